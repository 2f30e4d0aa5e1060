// SPDX-License-Identifier: MIT
/* Unit tests: the task table (insert, lookup, backward-shift removal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "tasks.h"

static void add_get_remove(void **state)
{
	struct sv_tasks *t = sv_tasks_new();

	(void)state;
	assert_non_null(t);
	assert_null(sv_tasks_get(t, 5));
	assert_non_null(sv_tasks_add(t, 5));
	assert_int_equal(sv_tasks_get(t, 5)->tid, 5);
	assert_ptr_equal(sv_tasks_add(t, 5), sv_tasks_get(t, 5)); /* idempotent */
	assert_int_equal(sv_tasks_count(t), 1);
	assert_int_equal(sv_task_set_exe(sv_tasks_get(t, 5), "/bin/sh"), 0);
	sv_tasks_remove(t, 5);
	assert_null(sv_tasks_get(t, 5));
	assert_int_equal(sv_tasks_count(t), 0);
	sv_tasks_remove(t, 5); /* absent: no-op */
	assert_null(sv_tasks_add(t, 0));
	assert_null(sv_tasks_add(t, -3));
	sv_tasks_free(t);
}

/* Churn like a thread pool: many inserts and removals in random order must
 * keep every live entry reachable (the backward shift is the subtle part). */
static void churn_against_reference(void **state)
{
	enum { N = 5000 };
	static char live[N * 8];
	struct sv_tasks *t = sv_tasks_new();
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 200000; round++) {
		pid_t tid;

		seed = seed * 1103515245u + 12345u;
		tid = (pid_t)(1 + (seed >> 8) % (N * 8 - 1));
		if (live[tid]) {
			sv_tasks_remove(t, tid);
			live[tid] = 0;
		} else {
			struct sv_task *e = sv_tasks_add(t, tid);

			assert_non_null(e);
			e->tgid = tid + 1;
			if (round % 7 == 0)
				assert_int_equal(sv_task_set_exe(e, "/usr/bin/python3"), 0);
			live[tid] = 1;
		}
	}
	{
		size_t n = 0;

		for (int tid = 1; tid < N * 8; tid++) {
			struct sv_task *e = sv_tasks_get(t, tid);

			if (live[tid]) {
				assert_non_null(e);
				assert_int_equal(e->tgid, tid + 1);
				n++;
			} else {
				assert_null(e);
			}
		}
		assert_int_equal(sv_tasks_count(t), n);
	}
	sv_tasks_free(t); /* ASan/valgrind: no leak of exe strings */
}

static void count_fn(struct sv_task *task, void *arg)
{
	(void)task;
	(*(int *)arg)++;
}

static void foreach_visits_all(void **state)
{
	struct sv_tasks *t = sv_tasks_new();
	int n = 0;

	(void)state;
	for (pid_t i = 100; i < 400; i++)
		assert_non_null(sv_tasks_add(t, i));
	sv_tasks_foreach(t, count_fn, &n);
	assert_int_equal(n, 300);
	sv_tasks_clear(t);
	assert_int_equal(sv_tasks_count(t), 0);
	assert_null(sv_tasks_get(t, 100));
	assert_non_null(sv_tasks_add(t, 100));
	sv_tasks_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_get_remove),
		cmocka_unit_test(churn_against_reference),
		cmocka_unit_test(foreach_visits_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
