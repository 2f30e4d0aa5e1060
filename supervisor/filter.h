/* SPDX-License-Identifier: MIT */
/*
 * filter.h - the seccomp program every sandboxed task runs under.
 *
 * One BPF program = a hand-written hardening prologue (always on, decided in
 * the kernel) followed by the libseccomp-built notify body (ALLOW by default,
 * USER_NOTIF for the notify set).
 */
#ifndef SV_FILTER_H
#define SV_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <sys/types.h>

#include "plan.h"
#include "syscalls.h"

struct sv_filter_opts {
	pid_t supervisor;		/* kills aimed at this pid get EPERM */
	const struct sv_notify_set *set;
	/* A policy's kernel plan (run, learn, audit): its rows replace the
	 * default set; set->extra still adds syscalls. NULL under trace. */
	const struct pol_plan *plan;
};

/**
 * sv_filter_build - assemble the complete program.
 * @prog: receives a malloc'ed filter; free with sv_filter_free().
 *
 * Runs in the supervisor before the fork. Returns 0 or -errno.
 */
int sv_filter_build(const struct sv_filter_opts *opts, struct sock_fprog *prog);
void sv_filter_free(struct sock_fprog *prog);

/**
 * sv_filter_load - install @prog on the calling (single-threaded) task with a
 * listener. Tries SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV first (unless
 * @plain) and falls back without it on kernels older than 5.19.
 * @flags: receives the flags that were accepted.
 *
 * Async-signal-safe (runs in the child between clone and exec).
 * Returns the listener fd or -errno.
 */
int sv_filter_load(const struct sock_fprog *prog, bool plain, unsigned long *flags);

#endif
