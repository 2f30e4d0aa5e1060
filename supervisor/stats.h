/* SPDX-License-Identifier: MIT */
/*
 * stats.h - notification counts per syscall and supervisor time per
 * notification (mean and p99 from a log-linear histogram).
 */
#ifndef SV_STATS_H
#define SV_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "arch.h"

/* 16 sub-buckets per power of two: quantiles within 1/16 (6%). */
#define SV_HIST_SUB 16
#define SV_HIST_BUCKETS (64 * SV_HIST_SUB)

struct sv_stats {
	uint64_t per_nr[SV_NR_MAX];
	uint64_t notifications;	/* received */
	uint64_t abandoned;	/* answer came back ENOENT: the caller was gone */
	/* RECV found nothing: a notification abandoned before receipt, or one of
	 * the kernel's spurious wake-ups of a blocking RECV (seen ~3% of the time
	 * on 6.18 without any signal): not counted as abandoned. */
	uint64_t recv_enoent;
	uint64_t denied;
	uint64_t restarted;	/* interrupted before receipt, made to restart (restart.c) */
	int sync_wakeup;	/* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP in effect */
	int killable_wait;	/* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV in effect */
	uint64_t unwinds;	/* Python stacks read (--stacks) */
	uint64_t unwind_reads;	/* process_vm_readv calls they made */
	uint64_t unwind_reads_max;
	uint64_t total_ns;
	uint64_t hist[SV_HIST_BUCKETS];
};

/** sv_stats_record - count one handled notification that took @ns. */
void sv_stats_record(struct sv_stats *s, int nr, uint64_t ns);

/** sv_stats_quantile - the @q quantile (0 < q <= 1) of recorded times, in ns
 * (upper edge of its bucket); 0 when nothing was recorded. */
uint64_t sv_stats_quantile(const struct sv_stats *s, double q);

/** sv_stats_print - the --stats report, each line prefixed "sisup: ". */
void sv_stats_print(const struct sv_stats *s, FILE *out);

#endif
