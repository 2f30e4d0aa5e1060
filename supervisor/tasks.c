// SPDX-License-Identifier: MIT
/*
 * tasks.c - open-addressing hash table keyed by tid.
 *
 * Linear probing with backward-shift deletion: no tombstones, so lookups stay
 * short however many threads come and go (a thread pool churns thousands).
 * Kept under half full.
 */
#include "tasks.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sv_tasks {
	struct sv_task *slot;	/* tid == 0 marks an empty slot */
	size_t cap;		/* power of two */
	size_t count;
};

/* Free what a task owns (not the slot). */
static void drop(struct sv_task *e)
{
	free(e->exe);
	free(e->inherited);
	free(e->inh);
	free(e->exec_check);
	uw_proc_free(e->py);
	e->exe = NULL;
	e->inherited = NULL;
	e->inh = NULL;
	e->exec_check = NULL;
	e->py = NULL;
}

static size_t hash(pid_t tid, size_t cap)
{
	/* Fibonacci hashing spreads consecutive tids. */
	return (size_t)(((uint32_t)tid * 2654435769u) >> 7) & (cap - 1);
}

struct sv_tasks *sv_tasks_new(void)
{
	struct sv_tasks *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = 64;
	t->slot = calloc(t->cap, sizeof(*t->slot));
	if (!t->slot) {
		free(t);
		return NULL;
	}
	return t;
}

void sv_tasks_free(struct sv_tasks *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].tid != 0)
			drop(&t->slot[i]);
	free(t->slot);
	free(t);
}

static struct sv_task *find(struct sv_task *slot, size_t cap, pid_t tid)
{
	for (size_t i = hash(tid, cap), n = 0; n < cap; i = (i + 1) & (cap - 1), n++) {
		if (slot[i].tid == tid)
			return &slot[i];
		if (slot[i].tid == 0)
			return NULL;
	}
	return NULL;
}

static struct sv_task *free_slot(struct sv_task *slot, size_t cap, pid_t tid)
{
	size_t i = hash(tid, cap);

	while (slot[i].tid != 0)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

struct sv_task *sv_tasks_get(struct sv_tasks *t, pid_t tid)
{
	if (tid <= 0)
		return NULL;
	return find(t->slot, t->cap, tid);
}

static int grow(struct sv_tasks *t)
{
	size_t ncap = t->cap * 2;
	struct sv_task *ns = calloc(ncap, sizeof(*ns));

	if (!ns)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].tid != 0)
			*free_slot(ns, ncap, t->slot[i].tid) = t->slot[i];
	free(t->slot);
	t->slot = ns;
	t->cap = ncap;
	return 0;
}

struct sv_task *sv_tasks_add(struct sv_tasks *t, pid_t tid)
{
	struct sv_task *e;

	if (tid <= 0)
		return NULL;
	e = find(t->slot, t->cap, tid);
	if (e)
		return e;
	if ((t->count + 1) * 2 > t->cap && grow(t) < 0)
		return NULL;
	e = free_slot(t->slot, t->cap, tid);
	memset(e, 0, sizeof(*e));
	e->tid = tid;
	t->count++;
	return e;
}

void sv_tasks_remove(struct sv_tasks *t, pid_t tid)
{
	struct sv_task *e = sv_tasks_get(t, tid);
	size_t i, j;

	if (!e)
		return;
	drop(e);
	i = (size_t)(e - t->slot);
	t->slot[i].tid = 0;
	t->count--;
	/* Backward shift: move later members of the probe run into the hole
	 * when their home slot does not lie cyclically in (i, j]. */
	for (j = (i + 1) & (t->cap - 1); t->slot[j].tid != 0; j = (j + 1) & (t->cap - 1)) {
		size_t home = hash(t->slot[j].tid, t->cap);
		int in_range = i <= j ? (i < home && home <= j) : (i < home || home <= j);

		if (in_range)
			continue;
		t->slot[i] = t->slot[j];
		t->slot[j].tid = 0;
		t->slot[j].exe = NULL;
		t->slot[j].py = NULL;
		t->slot[j].inherited = NULL;
		t->slot[j].inh = NULL;
		i = j;
	}
}

void sv_tasks_clear(struct sv_tasks *t)
{
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slot[i].tid != 0)
			drop(&t->slot[i]);
		t->slot[i].tid = 0;
	}
	t->count = 0;
}

size_t sv_tasks_count(const struct sv_tasks *t)
{
	return t->count;
}

void sv_tasks_foreach(struct sv_tasks *t, void (*fn)(struct sv_task *, void *), void *arg)
{
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].tid != 0)
			fn(&t->slot[i], arg);
}

int sv_task_set_exe(struct sv_task *task, const char *exe)
{
	char *copy = strdup(exe);

	if (!copy)
		return -ENOMEM;
	free(task->exe);
	task->exe = copy;
	return 0;
}
