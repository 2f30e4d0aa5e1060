/* SPDX-License-Identifier: MIT */
/*
 * netdefer.h - socket calls that wait (a blocking connect, a send on a full
 * blocking socket) run on worker threads, so the event loop never waits on
 * the network; the loop answers their notifications when they complete.
 *
 * The loop stays single-threaded for everything else: a worker only makes
 * its one call on its own duplicate and copies, stores the result and wakes
 * the loop through an eventfd. While calls are in flight a 20 ms timerfd
 * makes the loop check each caller: gone (SECCOMP_IOCTL_NOTIF_ID_VALID
 * fails) or with a signal to handle, the worker is interrupted (a signal
 * without SA_RESTART, so the call returns EINTR) and the caller is answered
 * with what the call returned, EINTR as the bare call would have.
 */
#ifndef SV_NETDEFER_H
#define SV_NETDEFER_H

#include "decide.h"
#include "supervisor.h"

struct sv_netcall;

/* Calls in flight at once; beyond, the caller gets EAGAIN at once (sisup
 * never waits in its loop). One per blocked thread of the program. */
#define SV_NET_INFLIGHT_MAX 64
/* How often the loop checks callers of calls in flight. */
#define SV_NET_TICK_MS 20
/* epoll_event.data.u32 of netdefer's descriptors in sv->epfd (loop.c's own
 * tags are 1 and 2). */
#define SV_EPOLL_NET 3
/* Interrupts a worker; sisup uses no real-time signal otherwise. */
#define SV_NET_SIGNAL (SIGRTMIN + 4)

/**
 * sv_net_defer - run the call of @nc on a worker thread and answer
 * notification @nc->id when it completes. Takes what @nc holds (@nc is
 * left empty). Sets @ans to SV_ANSWERED, or to EAGAIN when
 * SV_NET_INFLIGHT_MAX calls are in flight or no thread can be started.
 */
void sv_net_defer(struct sv *sv, struct sv_netcall *nc, struct sv_answer *ans);

/**
 * sv_net_event - the loop saw a descriptor tagged SV_EPOLL_NET readable:
 * answer completed calls, check the callers of the others.
 */
void sv_net_event(struct sv *sv);

/** sv_net_inflight - calls in flight (for tests and the exit path). */
unsigned sv_net_inflight(const struct sv *sv);

/**
 * sv_net_shutdown - interrupt and join every worker, answer what is left
 * (the callers are normally gone by then), close netdefer's descriptors.
 * Called once on sisup's exit path; safe when nothing was deferred.
 */
void sv_net_shutdown(struct sv *sv);

#endif
