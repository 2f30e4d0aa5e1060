// SPDX-License-Identifier: MIT
/*
 * loop.c - one epoll set over the listener and a signalfd (SIGCHLD and the
 * signals we forward). A notification and a ptrace stop are both handled as
 * soon as they arrive; neither can block the other, which matters because a
 * task that is ptrace-stopped cannot make the syscall we wait for, and a
 * task blocked in a notification cannot reach the stop we wait for.
 */
#include "loop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "netdefer.h"
#include "notify.h"
#include "sigfwd.h"
#include "tracer.h"

enum { EV_LISTENER = 1, EV_SIGNAL = 2 }; /* netdefer.h's SV_EPOLL_NET is 3 */

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

int sv_loop_run(struct sv *sv)
{
	struct epoll_event ev = { 0 };

	ev.events = EPOLLIN;
	ev.data.u32 = EV_LISTENER;
	if (epoll_ctl(sv->epfd, EPOLL_CTL_ADD, sv->launch.listener, &ev) < 0)
		return -errno;
	ev.data.u32 = EV_SIGNAL;
	if (epoll_ctl(sv->epfd, EPOLL_CTL_ADD, sv->sigfd, &ev) < 0)
		return -errno;

	/* Statuses may have queued before the signalfd existed. */
	sv_tracer_reap(sv);
	while (!sv->main_exited || sv_tasks_count(sv->tasks) > 0) {
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
		for (int i = 0; i < n; i++) {
			if (evs[i].data.u32 == EV_SIGNAL) {
				drain_signals(sv);
				continue;
			}
			if (evs[i].data.u32 == SV_EPOLL_NET) {
				sv_net_event(sv); /* deferred socket calls */
				continue;
			}
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
	return 0;
}
