/* SPDX-License-Identifier: MIT */
/*
 * supervisor.h - the state of one sisup run, shared by the event loop parts.
 */
#ifndef SV_SUPERVISOR_H
#define SV_SUPERVISOR_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "cli.h"
#include "launch.h"
#include "stats.h"
#include "tasks.h"
#include "stack.h"
#include "policy.h"
#include "plan.h"
#include "report.h"

struct sv {
	const struct sv_opts *opts;
	pid_t self;			/* sisup's pid */
	struct sv_launch launch;	/* main pid, listener, handshake */
	int epfd;
	int sigfd;
	struct sv_tasks *tasks;
	struct sv_stats stats;
	FILE *log;			/* trace log, NULL when not tracing */
	uint64_t t0_ns;			/* CLOCK_MONOTONIC at program start */

	/* the program's main process */
	bool main_exited;
	int main_status;		/* wait status */
	bool main_execd;		/* its first exec succeeded */

	/* notification buffers sized from SECCOMP_GET_NOTIF_SIZES */
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	size_t req_size, resp_size;
	bool sync_wakeup;		/* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP took */
	struct uw_stack *stack;		/* one unwind at a time (--stacks), allocated once */
	bool listener_gone;
	struct sock_fprog filter;	/* the program every task runs (restart.c reads it) */

	/* Policies (run, learn, audit). NULL under `trace`. Audit and learn
	 * run under an internal policy that confines every third-party
	 * package to nothing (what learn writes), allow every call and record
	 * what would have been denied in @usage. */
	struct pol_policy *policy;
	bool enforcing;			/* run: verdicts apply */
	struct pol_usage *usage;	/* audit, learn */
	struct sv_denials *denials;	/* distinct denial messages already printed */
	FILE *dlog;			/* --log: every decision that is not a plain allow */
	bool dlog_json;
	bool euid_root;			/* sisup runs as root: emulated opens check the caller's ids */
	struct sv_netdefer *netdefer;	/* socket calls waiting on workers (netdefer.c), NULL */
	struct sv_pathcall *pathcall;	/* scratch for file calls sisup performs (pathcall.c),
					 * NULL when the policy has no file argument rules */
};

static inline uint64_t sv_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no syscall, nothing notified */
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
