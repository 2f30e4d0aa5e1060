// SPDX-License-Identifier: MIT
/* Unit tests: notification accounting and the p99 histogram. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "stats.h"

static struct sv_stats s;

static void quantiles_within_a_sixteenth(void **state)
{
	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(sv_stats_quantile(&s, 0.99), 0);
	/* 1..10000 ns once each: the true p99 is 9900, p50 is 5000 */
	for (uint64_t v = 1; v <= 10000; v++)
		sv_stats_record(&s, 257, v);
	{
		uint64_t p99 = sv_stats_quantile(&s, 0.99), p50 = sv_stats_quantile(&s, 0.5);

		assert_true(p99 >= 9900 && p99 <= 9900 + 9900 / 16 + 1);
		assert_true(p50 >= 5000 && p50 <= 5000 + 5000 / 16 + 1);
	}
	assert_int_equal(s.per_nr[257], 10000);
	assert_int_equal(s.total_ns, 10000ull * 10001 / 2);
}

static void small_and_huge_values(void **state)
{
	(void)state;
	memset(&s, 0, sizeof(s));
	sv_stats_record(&s, 0, 0);
	sv_stats_record(&s, 1, 3);
	assert_int_equal(sv_stats_quantile(&s, 1.0), 3);
	sv_stats_record(&s, 1, UINT64_MAX / 2);
	assert_true(sv_stats_quantile(&s, 1.0) >= UINT64_MAX / 2);
	sv_stats_record(&s, -1, 5);		/* out-of-range numbers are timed, not counted */
	sv_stats_record(&s, SV_NR_MAX, 5);
	assert_int_equal(s.per_nr[0], 1);
}

static void report_lines_are_prefixed(void **state)
{
	char buf[8192] = { 0 };
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	(void)state;
	memset(&s, 0, sizeof(s));
	s.notifications = 3;
	sv_stats_record(&s, 257, 1000);
	sv_stats_record(&s, 257, 1000);
	sv_stats_record(&s, 59, 1000);
	sv_stats_print(&s, f);
	fclose(f);
	{
		/* most frequent first */
		char *o = strstr(buf, " openat\n"), *e = strstr(buf, " execve\n");

		assert_non_null(o);
		assert_non_null(e);
		assert_true(o < e);
	}
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		assert_memory_equal(line, "sisup: ", 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quantiles_within_a_sixteenth),
		cmocka_unit_test(small_and_huge_values),
		cmocka_unit_test(report_lines_are_prefixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
