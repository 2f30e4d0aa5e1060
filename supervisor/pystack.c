// SPDX-License-Identifier: MIT
/*
 * pystack.c - glue between the task table and the unwinder.
 *
 * The unwinder state of a process lives with its thread-group leader and is
 * created on first use: after an exec the old one describes a dead image.
 */
#include "pystack.h"

#include "prefault.h"
#include "principals.h"

#include <stdlib.h>
#include <string.h>

static struct uw_proc *proc_of(struct sv *sv, pid_t tid)
{
	const struct sv_task *t = sv_tasks_get(sv->tasks, tid);
	struct sv_task *leader;

	if (!t)
		return NULL;
	leader = sv_tasks_get(sv->tasks, t->tgid);
	if (!leader)
		return NULL;
	if (!leader->py && uw_proc_open(leader->tid, &leader->py) < 0)
		leader->py = NULL;
	if (leader->py)
		uw_proc_set_native(leader->py, sv->opts->stacks); /* trace --stacks shows them; ~20 us */
	return leader->py;
}

struct uw_mem *sv_pystack_mem(struct sv *sv, pid_t tid)
{
	return uw_proc_mem(proc_of(sv, tid));
}

void sv_pystack(struct sv *sv, pid_t tid, struct uw_stack *out)
{
	const struct sv_task *t = sv_tasks_get(sv->tasks, tid);
	struct uw_proc *p;

	if (t && t->origin == SV_ORIGIN_VFORK && !t->thread && t->execs == 0) {
		/* A vfork child before its exec (subprocess's fork_exec, four
		 * or five notified calls: execve along PATH) runs C code on its
		 * parent's thread state, whose thread id is the parent's: the
		 * walk cannot find a state of its own and costs a process
		 * lookup (maps, ELF facts) and four reads per call. Without
		 * CLONE_VM the child has its own copy, but its states still
		 * carry the creator's thread ids. Either way it acts for the
		 * stack recorded when it was created (below); only a forgery of
		 * the thread state could make the walk say otherwise. (A thread
		 * made with CLONE_VFORK is walked: it may have a state of its
		 * own.) */
		uw_stack_reset(out);
		out->status = UW_NO_THREAD_STATE;
		snprintf(out->reason, sizeof(out->reason), "a vfork child before its exec");
	} else if (tid == sv->launch.pid && !sv->main_execd) {
		/* The program's first task between clone and its first exec
		 * runs sisup's own code (launch.c: execvp, the only system
		 * call it makes under the filter), never Python. Finding that
		 * out from its image (sisup's maps and ELF tables) cost about a
		 * millisecond of every start; the answer is the one the walk
		 * would give. */
		uw_stack_reset(out);
		out->status = UW_NOT_PYTHON;
		snprintf(out->reason, sizeof(out->reason), "sisup's launcher, before the exec");
	} else if ((p = proc_of(sv, tid)) != NULL) {
		uw_unwind(p, tid, out);
	} else {
		uw_stack_reset(out);
		out->status = UW_READ_FAILED;
		snprintf(out->reason, sizeof(out->reason), "unknown task");
	}
	if (out->status == UW_OK && out->nframes > 0)
		return;
	/* No Python frames of its own (a vfork child, the child half of
	 * fork_exec, a thread started by C code, a non-Python program that
	 * was exec'd): it acts for whoever created it. */
	if (t && t->inherited) {
		enum uw_status own = out->status;
		char why[sizeof(out->reason)];

		/* (a cut reason is fine: it is for the log) */
		if (snprintf(why, sizeof(why), "%s%s%s", uw_status_name(own),
			     out->reason[0] ? ": " : "", out->reason) >= (int)sizeof(why))
			why[sizeof(why) - 1] = '\0';
		uw_stack_unpack(t->inherited, out);
		out->inherited = true;
		out->own_status = own;
		if (out->status == UW_OK &&
		    snprintf(out->reason, sizeof(out->reason), "own stack: %s", why) >=
			    (int)sizeof(out->reason))
			out->reason[sizeof(out->reason) - 1] = '\0';
	}
}

void sv_pystack_created(struct sv *sv, pid_t creator, pid_t child)
{
	struct uw_stack *s = sv->stack;
	struct sv_task *c;
	void *packed;

	if (!s)
		return;
	sv_pystack(sv, creator, s);
	sv_principals_created(sv, creator, s, child);
	if (s->status != UW_OK || s->nframes == 0)
		return;
	if (!s->inherited)
		s->inherited_from = creator;
	packed = uw_stack_pack(s);
	c = sv_tasks_get(sv->tasks, child);
	if (!c || !packed) {
		free(packed);
		return;
	}
	free(c->inherited);
	c->inherited = packed;
}

void sv_pystack_exec(struct sv *sv, pid_t leader)
{
	struct sv_task *t = sv_tasks_get(sv->tasks, leader);

	/* The program's first exec: the launch child no longer shares our
	 * pages, and each one written before the clone would now fault on
	 * its next write. */
	if (leader == sv->launch.pid && !sv->main_execd)
		sv_prefault_heap();

	if (t) {
		uw_proc_free(t->py);
		t->py = NULL;
	}
}

void sv_pystack_prepare(struct sv *sv, pid_t leader)
{
	/* Only when stacks are read at all (not for `sisup trace` without
	 * them); what a failure leaves is retried at the first call. */
	if (sv->stack)
		(void)proc_of(sv, leader);
}
