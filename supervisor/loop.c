// SPDX-License-Identifier: MIT
/*
 * loop.c - the event loop: notifications, ptrace stops, signals, socket
 * workers. A notification and a ptrace stop are both handled as soon as they
 * arrive; neither can block the other, which matters because a task that is
 * ptrace-stopped cannot make the syscall we wait for, and a task blocked in a
 * notification cannot reach the stop we wait for.
 *
 * The main thread waits in a blocking SECCOMP_IOCTL_NOTIF_RECV, not in
 * epoll_wait: with SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP the kernel then wakes
 * it on the notifying thread's CPU, which an epoll waiter never gets (the
 * wake-up goes through ep_poll_callback). That and the epoll_wait saved are
 * 2-3 us of a ~13 us round trip (bench/notify_floor -e).
 *
 * Everything else (the signalfd: SIGCHLD for ptrace stops and the signals we
 * forward; the socket workers' descriptors; the listener's hang-up) is
 * watched by a waker thread in epoll_wait on sv->epfd. It never touches the
 * supervisor's state: it raises a flag and interrupts the RECV with a signal
 * whose handler has no SA_RESTART, and the main thread serves the events.
 * The signal is unblocked only around the RECV, so nothing else the main
 * thread does (writes to a terminal, a name lookup) sees EINTR. A kick that
 * lands between the flag check and the ioctl is lost; the waker repeats it
 * every millisecond until the main thread has served, so an event waits at
 * most that long in this rare case.
 *
 * If the waker thread cannot be started, the loop waits in epoll_wait over
 * everything instead (the listener too), as before.
 */
#include "loop.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "netdefer.h"
#include "notify.h"
#include "sigfwd.h"
#include "tracer.h"

enum { EV_LISTENER = 1, EV_SIGNAL = 2, EV_STOP = 4 }; /* netdefer.h's SV_EPOLL_NET is 3 */

/* A standard signal, so repeated kicks while it is blocked coalesce into one
 * (a real-time one would queue a kick per millisecond of a long decision).
 * sisup owns no socket that could raise SIGURG (no F_SETOWN). */
#define SV_KICK_SIGNAL SIGURG
#define KICK_REPEAT_NS 1000000L

struct waker {
	pthread_t main, th;
	int epfd, stopfd;
	atomic_int pending;	/* events wait for the main thread */
	atomic_uint served;	/* bumped by the main thread after serving (a futex) */
	atomic_int stop;
};

static void on_kick(int sig)
{
	(void)sig; /* only there to make the RECV return EINTR */
}

static void drain_signals(struct sv *sv)
{
	struct signalfd_siginfo si[16];

	for (;;) {
		ssize_t n = read(sv->sigfd, si, sizeof(si));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* EAGAIN: drained */
		for (size_t i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			if (si[i].ssi_signo == SIGCHLD)
				continue; /* reaped below, once per batch */
			sv_sigfwd_handle(sv, &si[i]);
		}
		sv_tracer_reap(sv);
	}
}

/* Serve what epoll reported. */
static void dispatch(struct sv *sv, const struct epoll_event *evs, int n)
{
	for (int i = 0; i < n; i++) {
		if (evs[i].data.u32 == EV_SIGNAL) {
			drain_signals(sv);
		} else if (evs[i].data.u32 == SV_EPOLL_NET) {
			sv_net_event(sv); /* deferred socket calls */
		} else if (evs[i].data.u32 == EV_LISTENER) {
			if (evs[i].events & EPOLLIN) {
				sv_notify_handle(sv);
			} else if (evs[i].events & (EPOLLHUP | EPOLLERR)) {
				/* No task uses the filter any more. Stop polling a
				 * descriptor that would report HUP for ever. */
				epoll_ctl(sv->epfd, EPOLL_CTL_DEL, sv->launch.listener, NULL);
				sv->listener_gone = true;
			}
		}
	}
}

static void *waker_main(void *arg)
{
	struct waker *w = arg;

	for (;;) {
		struct epoll_event ev;
		unsigned gen;
		int n = epoll_wait(w->epfd, &ev, 1, -1);

		if (atomic_load(&w->stop))
			return NULL;
		if (n <= 0)
			continue; /* EINTR (no signal is unblocked here, but be safe) */
		gen = atomic_load(&w->served);
		atomic_store(&w->pending, 1);
		/* Until the main thread has served once since this event. */
		while (atomic_load(&w->served) == gen && !atomic_load(&w->stop)) {
			struct timespec ts = { 0, KICK_REPEAT_NS };

			pthread_kill(w->main, SV_KICK_SIGNAL);
			syscall(SYS_futex, &w->served, FUTEX_WAIT_PRIVATE, gen, &ts, NULL, 0);
		}
	}
}

static void served(struct waker *w)
{
	atomic_fetch_add(&w->served, 1);
	syscall(SYS_futex, &w->served, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* Start the waker; -errno when it cannot run (the caller then polls). */
static int waker_start(struct sv *sv, struct waker *w)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = EV_STOP };
	struct sigaction sa;
	sigset_t all, old;
	int rc;

	memset(w, 0, sizeof(*w));
	w->main = pthread_self();
	w->epfd = sv->epfd;
	w->stopfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->stopfd < 0)
		return -errno;
	if (epoll_ctl(sv->epfd, EPOLL_CTL_ADD, w->stopfd, &ev) < 0) {
		rc = -errno;
		close(w->stopfd);
		return rc;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick; /* no SA_RESTART: the RECV must return */
	sigemptyset(&sa.sa_mask);
	sigfillset(&all);
	if (sigaction(SV_KICK_SIGNAL, &sa, NULL) < 0) {
		rc = -errno;
		goto fail;
	}
	/* The waker inherits a mask with every signal blocked. */
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = -pthread_create(&w->th, NULL, waker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0)
		return 0;
fail:
	epoll_ctl(sv->epfd, EPOLL_CTL_DEL, w->stopfd, NULL);
	close(w->stopfd);
	return rc;
}

static void waker_stop(struct sv *sv, struct waker *w)
{
	uint64_t one = 1;

	atomic_store(&w->stop, 1);
	if (write(w->stopfd, &one, sizeof(one)) < 0) {
		/* an eventfd write of 1 cannot fail here; join regardless */
	}
	served(w); /* out of a kick wait */
	pthread_join(w->th, NULL);
	epoll_ctl(sv->epfd, EPOLL_CTL_DEL, w->stopfd, NULL);
	close(w->stopfd);
}

static bool running(const struct sv *sv)
{
	return !sv->main_exited || sv_tasks_count(sv->tasks) > 0;
}

/* The fallback: one epoll_wait over everything. */
static int poll_loop(struct sv *sv)
{
	while (running(sv)) {
		struct epoll_event evs[4];
		int n;

		if (sv->log)
			fflush(sv->log); /* nothing is lost if sisup is killed while idle */
		n = epoll_wait(sv->epfd, evs, 4, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		dispatch(sv, evs, n);
	}
	return 0;
}

static int recv_loop(struct sv *sv, struct waker *w)
{
	sigset_t kick;
	int rc;

	sigemptyset(&kick);
	sigaddset(&kick, SV_KICK_SIGNAL);
	while (running(sv)) {
		if (sv->log)
			fflush(sv->log); /* nothing is lost if sisup is killed while idle */
		/* A kick that came while the signal was blocked is delivered
		 * here, before the check: it cannot be lost in between. */
		pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
		if (atomic_exchange(&w->pending, 0) || sv->listener_gone) {
			/* Serve what is ready. Once nothing can be received any
			 * more, wait here for the rest (exits, signals) instead. */
			struct epoll_event evs[8];
			int n;

			pthread_sigmask(SIG_BLOCK, &kick, NULL);
			n = epoll_wait(sv->epfd, evs, 8, sv->listener_gone ? 100 : 0);
			if (n > 0)
				dispatch(sv, evs, n);
			served(w);
			continue;
		}
		rc = sv_notify_recv(sv); /* blocks; -EINTR when kicked */
		pthread_sigmask(SIG_BLOCK, &kick, NULL);
		if (rc == 0)
			sv_notify_serve(sv);
	}
	return 0;
}

int sv_loop_run(struct sv *sv)
{
	struct epoll_event ev = { 0 };
	struct waker w;
	int rc;

	ev.data.u32 = EV_SIGNAL;
	ev.events = EPOLLIN;
	if (epoll_ctl(sv->epfd, EPOLL_CTL_ADD, sv->sigfd, &ev) < 0)
		return -errno;
	/* Statuses may have queued before the signalfd existed. */
	sv_tracer_reap(sv);

	ev.data.u32 = EV_LISTENER;
	if (waker_start(sv, &w) == 0) {
		/* The waker only needs the hang-up: no EPOLLIN, so it is not
		 * woken by every notification (HUP and ERR are always on). */
		ev.events = 0;
		if (epoll_ctl(sv->epfd, EPOLL_CTL_ADD, sv->launch.listener, &ev) < 0) {
			rc = -errno;
			waker_stop(sv, &w);
			return rc;
		}
		rc = recv_loop(sv, &w);
		waker_stop(sv, &w);
		return rc;
	}
	ev.events = EPOLLIN;
	if (epoll_ctl(sv->epfd, EPOLL_CTL_ADD, sv->launch.listener, &ev) < 0)
		return -errno;
	return poll_loop(sv);
}
