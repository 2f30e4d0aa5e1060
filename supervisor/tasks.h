/* SPDX-License-Identifier: MIT */
/*
 * tasks.h - the table of every live traced task (thread or process).
 */
#ifndef SV_TASKS_H
#define SV_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eval.h"
#include "walker.h"

enum sv_task_origin {
	SV_ORIGIN_ROOT,		/* the program sisup started */
	SV_ORIGIN_FORK,		/* PTRACE_EVENT_FORK */
	SV_ORIGIN_VFORK,	/* PTRACE_EVENT_VFORK */
	SV_ORIGIN_CLONE,	/* PTRACE_EVENT_CLONE: a thread or a clone()d process */
	SV_ORIGIN_UNKNOWN,	/* first seen before its creator's event */
};

struct sv_task {
	pid_t tid;
	pid_t tgid;		/* process (thread group) */
	pid_t ppid;		/* parent process at creation, 0 if unknown */
	pid_t creator;		/* thread that made the fork/vfork/clone call, 0 for the root */
	enum sv_task_origin origin;
	bool attached;		/* its initial ptrace stop has been seen and resumed */
	bool thread;		/* created with CLONE_THREAD */
	unsigned execs;		/* execs performed by this thread group leader */
	char *exe;		/* executable after the last exec (malloc'ed), or NULL */
	struct uw_proc *py;	/* leader only: the unwinder's view of the process */
	void *inherited;	/* uw_stack_pack() of the creator's stack at creation */
	struct pol_principals *inh;	/* principals inherited at creation (malloc'ed), or NULL */
	/* An exec allowed on the strength of exec: [PROGRAM...] rules: the
	 * principals that must accept the program the kernel really loads,
	 * checked at the exec event (malloc'ed), or NULL. */
	struct pol_principals *exec_check;
	/* The last notification received from this thread, when sisup answered
	 * it with CONTINUE (restart.c). */
	bool cont_valid;
	int cont_nr;
	uint64_t cont_args[6];
};

struct sv_tasks;

struct sv_tasks *sv_tasks_new(void);
void sv_tasks_free(struct sv_tasks *t);

/** sv_tasks_get - the entry for @tid, or NULL. The pointer is valid until the
 * next insert or remove. */
struct sv_task *sv_tasks_get(struct sv_tasks *t, pid_t tid);

/** sv_tasks_add - the entry for @tid, created zeroed (tid set) if absent.
 * Returns NULL only when memory runs out. */
struct sv_task *sv_tasks_add(struct sv_tasks *t, pid_t tid);

/** sv_tasks_remove - forget @tid; frees its exe string. No-op if absent. */
void sv_tasks_remove(struct sv_tasks *t, pid_t tid);

size_t sv_tasks_count(const struct sv_tasks *t);

/** sv_tasks_clear - forget every task. */
void sv_tasks_clear(struct sv_tasks *t);

/** sv_tasks_foreach - call @fn for every task; @fn must not insert or remove. */
void sv_tasks_foreach(struct sv_tasks *t, void (*fn)(struct sv_task *, void *), void *arg);

/** sv_task_set_exe - replace the exe string (copied). Returns 0 or -ENOMEM. */
int sv_task_set_exe(struct sv_task *task, const char *exe);

#endif
