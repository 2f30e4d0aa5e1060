// SPDX-License-Identifier: MIT
/*
 * netdefer.c - worker threads for socket calls that wait.
 *
 * Every deferred notification gets exactly one answer, from the loop, after
 * its worker has been joined: the worker never touches the listener, the
 * stats or anything but its own job. Races, and how they end:
 *  - the caller is killed while its call waits: ID_VALID fails on a tick,
 *    the worker is interrupted, joined, the answer comes back ENOENT
 *    (counted as abandoned) and the duplicate is closed;
 *  - the caller gets a signal it handles (WAIT_KILLABLE_RECV holds it in
 *    the notification until we answer): the worker is interrupted and the
 *    caller answered with the call's own EINTR, as the bare call would have
 *    returned without SA_RESTART. The kernel goes on connecting in the
 *    background, as it does for the bare call;
 *  - our interrupt lands before the worker entered the call: it is sent
 *    again on every tick until the worker is done.
 */
#include "netdefer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "netcall.h"

struct job {
	struct sv_netcall nc;
	pthread_t th;
	int efd;		/* the loop's eventfd (not owned) */
	atomic_bool done;
	long r;			/* the call's result, once done */
	bool interrupt;		/* keep interrupting until done */
	struct job *next;
};

struct sv_netdefer {
	int efd, tfd;
	bool armed;
	unsigned n;
	struct job *jobs;
};

static void on_interrupt(int sig)
{
	(void)sig; /* only there to make the worker's call return EINTR */
}

static void *worker(void *arg)
{
	struct job *j = arg;
	uint64_t one = 1;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SV_NET_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	j->r = sv_net_call(&j->nc, 0);
	atomic_store(&j->done, true);
	if (write(j->efd, &one, sizeof(one)) < 0) {
		/* The counter cannot overflow with 64 writers; the tick
		 * finds the job done anyway. */
	}
	return NULL;
}

static void arm(struct sv_netdefer *d, bool on)
{
	struct itimerspec it = { 0 };

	if (d->armed == on)
		return;
	if (on) {
		it.it_interval.tv_nsec = SV_NET_TICK_MS * 1000000L;
		it.it_value = it.it_interval;
	}
	if (timerfd_settime(d->tfd, 0, &it, NULL) == 0)
		d->armed = on;
}

static struct sv_netdefer *get(struct sv *sv)
{
	struct sv_netdefer *d = sv->netdefer;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = SV_EPOLL_NET };
	struct sigaction sa;

	if (d)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	/* No SA_RESTART: an interrupted connect must return, not resume. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigemptyset(&sa.sa_mask);
	d->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->efd < 0 || d->tfd < 0 || sigaction(SV_NET_SIGNAL, &sa, NULL) < 0 ||
	    epoll_ctl(sv->epfd, EPOLL_CTL_ADD, d->efd, &ev) < 0 ||
	    epoll_ctl(sv->epfd, EPOLL_CTL_ADD, d->tfd, &ev) < 0) {
		if (d->efd >= 0)
			close(d->efd);
		if (d->tfd >= 0)
			close(d->tfd);
		free(d);
		return NULL;
	}
	sv->netdefer = d;
	return d;
}

void sv_net_defer(struct sv *sv, struct sv_netcall *nc, struct sv_answer *ans)
{
	struct sv_netdefer *d = get(sv);
	pthread_attr_t attr;
	sigset_t all, old;
	struct job *j;
	int rc;

	if (!d || d->n >= SV_NET_INFLIGHT_MAX || !(j = calloc(1, sizeof(*j)))) {
		sv_net_result(ans, -EAGAIN);
		return;
	}
	j->nc = *nc;
	j->efd = d->efd;
	atomic_init(&j->done, false);
	/* The worker starts with every signal blocked (sisup's signalfd
	 * signals must stay with the loop) and unblocks only ours. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	rc = pthread_create(&j->th, &attr, worker, j);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		free(j);
		sv_net_result(ans, -EAGAIN);
		return;
	}
	/* The job owns the descriptors and copies now. */
	memset(nc, 0, sizeof(*nc));
	nc->sock = -1;
	j->next = d->jobs;
	d->jobs = j;
	d->n++;
	arm(d, true);
	memset(ans, 0, sizeof(*ans));
	ans->verdict = SV_ANSWERED;
}

/* Signals pending for thread @tid that it would handle now: pending (its own
 * or its process's), not blocked, not ignored, and either caught or with a
 * default action that ends the process (a default-ignored or stop signal
 * does not interrupt a bare connect either, or restarts it). */
static bool signal_to_handle(pid_t tid)
{
	static const char *const keys[] = { "SigPnd:", "ShdPnd:", "SigBlk:", "SigIgn:", "SigCgt:" };
	unsigned long long v[5] = { 0 }, quiet;
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (int i = 0; i < 5; i++) {
		const char *p = strstr(buf, keys[i]);

		if (!p || sscanf(p + strlen(keys[i]), "%llx", &v[i]) != 1)
			return false;
	}
#define BIT(s) (1ull << ((s) - 1))
	quiet = BIT(SIGCHLD) | BIT(SIGCONT) | BIT(SIGURG) | BIT(SIGWINCH) | BIT(SIGSTOP) |
		BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU);
#undef BIT
	return ((v[0] | v[1]) & ~v[2] & ~v[3] & (v[4] | ~quiet)) != 0;
}

static void answer(struct sv *sv, struct job *j)
{
	size_t size = sv->resp_size ? sv->resp_size : sizeof(struct seccomp_notif_resp);
	struct seccomp_notif_resp *resp = calloc(1, size);
	struct sv_answer ans;
	int rc;

	sv_net_finish(&j->nc, j->r);
	sv_net_sigpipe(sv, &j->nc, j->r);
	sv_net_result(&ans, j->r);
	if (!resp)
		return; /* cannot happen in practice; the caller then waits for its death */
	resp->id = j->nc.id;
	if (ans.verdict == SV_RETURN)
		resp->val = ans.val;
	else
		resp->error = -ans.error;
	do {
		rc = ioctl(sv->launch.listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0 && errno == ENOENT)
		sv->stats.abandoned++;
	free(resp);
}

static void reap(struct sv *sv, struct sv_netdefer *d, bool tick)
{
	struct job **pp = &d->jobs;

	/* Bounded: at most SV_NET_INFLIGHT_MAX jobs. */
	while (*pp) {
		struct job *j = *pp;

		if (!atomic_load(&j->done)) {
			if (tick && !j->interrupt &&
			    (ioctl(sv->launch.listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &j->nc.id) < 0 ||
			     signal_to_handle(j->nc.tid)))
				j->interrupt = true;
			if (tick && j->interrupt)
				pthread_kill(j->th, SV_NET_SIGNAL);
			pp = &j->next;
			continue;
		}
		pthread_join(j->th, NULL);
		answer(sv, j);
		sv_net_release(&j->nc);
		*pp = j->next;
		d->n--;
		free(j);
	}
	if (d->n == 0)
		arm(d, false);
}

void sv_net_event(struct sv *sv)
{
	struct sv_netdefer *d = sv->netdefer;
	uint64_t v;
	bool tick;

	if (!d)
		return;
	if (read(d->efd, &v, sizeof(v)) < 0) {
		/* EAGAIN: the timer woke us */
	}
	tick = read(d->tfd, &v, sizeof(v)) == (ssize_t)sizeof(v);
	reap(sv, d, tick);
}

unsigned sv_net_inflight(const struct sv *sv)
{
	return sv->netdefer ? sv->netdefer->n : 0;
}

void sv_net_shutdown(struct sv *sv)
{
	struct sv_netdefer *d = sv->netdefer;

	if (!d)
		return;
	for (struct job *j = d->jobs; j; j = j->next)
		j->interrupt = true;
	/* Each round re-sends the interrupt (it may land before the call);
	 * a worker interrupted in its call returns at once. Bounded: a worker
	 * still running after 10 s is left to the process's exit, with its
	 * job (it may still touch it). */
	for (int round = 0; d->n > 0 && round < 500; round++) {
		struct timespec ts = { 0, SV_NET_TICK_MS * 1000000L };

		reap(sv, d, true);
		if (d->n > 0)
			nanosleep(&ts, NULL);
	}
	if (d->n > 0)
		return;
	close(d->efd);
	close(d->tfd);
	free(d);
	sv->netdefer = NULL;
}
