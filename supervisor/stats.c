// SPDX-License-Identifier: MIT
/*
 * stats.c - allocation-free accounting on the hot path.
 */
#include "stats.h"

#include <inttypes.h>
#include <stdlib.h>

#include "syscalls.h"

static unsigned bucket(uint64_t v)
{
	unsigned e, sub;

	if (v < SV_HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);		/* v in [2^e, 2^(e+1)) */
	sub = (unsigned)((v >> (e - 4)) & (SV_HIST_SUB - 1)); /* next 4 bits */
	return (e - 3) * SV_HIST_SUB + sub;
}

/* Largest value that falls in bucket @b. */
static uint64_t bucket_upper(unsigned b)
{
	unsigned e, sub;

	if (b < SV_HIST_SUB)
		return b;
	e = b / SV_HIST_SUB + 3;
	sub = b % SV_HIST_SUB;
	return ((uint64_t)(SV_HIST_SUB + sub + 1) << (e - 4)) - 1;
}

void sv_stats_record(struct sv_stats *s, int nr, uint64_t ns)
{
	if (nr >= 0 && nr < SV_NR_MAX)
		s->per_nr[nr]++;
	s->total_ns += ns;
	s->hist[bucket(ns)]++;
}

uint64_t sv_stats_quantile(const struct sv_stats *s, double q)
{
	uint64_t n = 0, seen = 0, want;

	for (unsigned b = 0; b < SV_HIST_BUCKETS; b++)
		n += s->hist[b];
	if (n == 0)
		return 0;
	want = (uint64_t)(q * (double)n + 0.999999);
	if (want == 0)
		want = 1;
	for (unsigned b = 0; b < SV_HIST_BUCKETS; b++) {
		seen += s->hist[b];
		if (seen >= want)
			return bucket_upper(b);
	}
	return bucket_upper(SV_HIST_BUCKETS - 1);
}

struct row {
	int nr;
	uint64_t n;
};

static int by_count(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return x->nr - y->nr;
}

void sv_stats_print(const struct sv_stats *s, FILE *out)
{
	struct row rows[SV_NR_MAX];
	uint64_t handled = 0;
	size_t n = 0;
	char buf[24];

	for (int nr = 0; nr < SV_NR_MAX; nr++) {
		if (s->per_nr[nr]) {
			rows[n].nr = nr;
			rows[n].n = s->per_nr[nr];
			handled += s->per_nr[nr];
			n++;
		}
	}
	qsort(rows, n, sizeof(rows[0]), by_count);
	fprintf(out, "sisup: notifications: %" PRIu64 " (abandoned by the caller: %" PRIu64
		", denied: %" PRIu64 ")\n", s->notifications, s->abandoned, s->denied);
	fprintf(out, "sisup: kernel features: synchronous wake-ups %s, killable wait %s\n",
		s->sync_wakeup ? "on" : "off", s->killable_wait ? "on" : "off");
	fprintf(out, "sisup: calls interrupted by a signal before sisup received them, restarted: %" PRIu64
		"\n", s->restarted);
	fprintf(out, "sisup: supervisor time per notification (receive to answer): mean %.2f us, p99 %.2f us\n",
		handled ? (double)s->total_ns / (double)handled / 1000.0 : 0.0,
		(double)sv_stats_quantile(s, 0.99) / 1000.0);
	if (s->unwinds)
		fprintf(out, "sisup: stacks read: %" PRIu64 ", remote reads per stack: mean %.2f, max %" PRIu64
			"\n", s->unwinds, (double)s->unwind_reads / (double)s->unwinds, s->unwind_reads_max);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "sisup: %10" PRIu64 "  %s\n", rows[i].n,
			sv_syscall_name(rows[i].nr, buf, sizeof(buf)));
}
