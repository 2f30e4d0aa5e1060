// SPDX-License-Identifier: MIT
/*
 * tracer.c - the ptrace half of the event loop.
 *
 * All tasks are seized (PTRACE_SEIZE) with EXITKILL, so the death of sisup
 * kills every one of them; the FORK/VFORK/CLONE options attach new tasks
 * before they run their first instruction.
 *
 * Ordering. When a task is created, two stops are reported: the creator's
 * PTRACE_EVENT_{FORK,VFORK,CLONE} (its stack still shows the creating call)
 * and the new task's attach stop, in either order. A new task is resumed only
 * once its creator's event has been recorded, so nothing it does can be seen
 * before we know who made it. If the creator dies before reporting (a fatal
 * signal skips the event stop), held tasks are released when any task exits,
 * with the creator unknown, rather than left stopped for ever.
 *
 * Stops. With PTRACE_SEIZE a group stop is a PTRACE_EVENT_STOP carrying a
 * stop signal: we answer PTRACE_LISTEN, so the task stays stopped exactly as
 * it would without a tracer and SIGCONT wakes it (Ctrl-Z, fg). A signal-
 * delivery stop re-injects its signal.
 */
#include "tracer.h"

#include "enforce.h"
#include "evlog.h"
#include "pystack.h"
#include "restart.h"

#include <errno.h>
#include <limits.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

static void read_exe(struct sv_task *t)
{
	char path[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)t->tid);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return;
	buf[n] = '\0';
	sv_task_set_exe(t, buf); /* on ENOMEM the previous name stays */
}

int sv_tracer_init(struct sv *sv)
{
	struct sv_task *t = sv_tasks_add(sv->tasks, sv->launch.pid);

	if (!t)
		return -ENOMEM;
	t->tgid = sv->launch.pid;
	t->ppid = sv->self;
	t->origin = SV_ORIGIN_ROOT;
	t->attached = true;
	read_exe(t);
	return 0;
}

static void log_task(struct sv *sv, struct sv_task_ev *ev)
{
	if (!sv->log)
		return;
	ev->time = (double)(sv_now_ns() - sv->t0_ns) / 1e9;
	sv_evlog_task(sv->log, sv->opts->json, ev);
}

static void resume(pid_t tid, int sig)
{
	/* ESRCH: killed meanwhile; its exit will be reported. */
	ptrace(PTRACE_CONT, tid, 0, sig);
}

static void on_created(struct sv *sv, pid_t creator, int event)
{
	struct user_regs_struct regs;
	unsigned long newtid = 0;
	unsigned long long cflags = 0;
	struct sv_task *c, *n;
	pid_t ctgid, cppid;
	char *cexe = NULL;

	if (ptrace(PTRACE_GETEVENTMSG, creator, 0, &newtid) < 0 || newtid == 0 || newtid > INT_MAX)
		return;
	/* The creator sits in the syscall-exit path: orig_rax/rdi are still the
	 * clone call and its flags (clone3 is refused by the filter). */
	if (ptrace(PTRACE_GETREGS, creator, 0, &regs) == 0 && regs.orig_rax == __NR_clone)
		cflags = regs.rdi;

	c = sv_tasks_get(sv->tasks, creator);
	ctgid = c ? c->tgid : creator;
	cppid = c ? c->ppid : 0;
	if (c && c->exe)
		cexe = strdup(c->exe);

	n = sv_tasks_add(sv->tasks, (pid_t)newtid); /* may move entries: c is stale now */
	if (!n) {
		free(cexe);
		return;
	}
	n->creator = creator;
	n->origin = event == PTRACE_EVENT_FORK ? SV_ORIGIN_FORK :
		    event == PTRACE_EVENT_VFORK ? SV_ORIGIN_VFORK : SV_ORIGIN_CLONE;
	/* A thread whatever the event: clone(CLONE_THREAD) with exit signal
	 * SIGCHLD is reported as a FORK, with CLONE_VFORK as a VFORK. */
	n->thread = (cflags & CLONE_THREAD) != 0;
	n->tgid = n->thread ? ctgid : (pid_t)newtid;
	n->ppid = n->thread ? cppid : (cflags & CLONE_PARENT) ? cppid : ctgid;
	if (cexe && !n->exe)
		n->exe = cexe;
	else
		free(cexe);
	{
		struct sv_task_ev ev = {
			.what = SV_TEV_CREATE, .pid = ctgid, .tid = creator,
			.child = n->tid, .child_pid = n->tgid,
			.kind = n->thread ? "thread" : n->origin == SV_ORIGIN_FORK ? "fork" :
				n->origin == SV_ORIGIN_VFORK ? "vfork" : "clone",
		};
		log_task(sv, &ev);
	}
	/* The creator is stopped in its fork/clone call: its stack is the one
	 * that asked for the new task. */
	sv_pystack_created(sv, creator, n->tid);
	n = sv_tasks_get(sv->tasks, (pid_t)newtid);
	if (!n)
		return;
	/* Its attach stop came first: it has been waiting for this record. */
	if (n->attached)
		resume(n->tid, 0);
}

static void release_held(struct sv_task *t, void *arg)
{
	(void)arg;
	if (t->attached && t->creator == 0 && t->origin == SV_ORIGIN_UNKNOWN) {
		t->origin = SV_ORIGIN_UNKNOWN;
		t->creator = -1; /* released without a creator record */
		resume(t->tid, 0);
	}
}

static void on_exit_status(struct sv *sv, pid_t tid, int st)
{
	const struct sv_task *t = sv_tasks_get(sv->tasks, tid);
	struct sv_task_ev ev = { .what = SV_TEV_EXIT, .pid = t ? t->tgid : tid, .tid = tid,
				 .status = st };

	log_task(sv, &ev);
	sv_tasks_remove(sv->tasks, tid);
	if (tid == sv->launch.pid) {
		sv->main_exited = true;
		sv->main_status = st;
	}
	/* A creator killed before its event stop never reports the new task. */
	sv_tasks_foreach(sv->tasks, release_held, NULL);
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void on_stop(struct sv *sv, pid_t tid, int st)
{
	int sig = WSTOPSIG(st);
	int event = (unsigned)st >> 16;
	struct sv_task *t = sv_tasks_get(sv->tasks, tid);
	unsigned long former = 0;

	if (!t) {
		/* A new task whose creator has not reported yet. */
		t = sv_tasks_add(sv->tasks, tid);
		if (!t) {
			resume(tid, 0);
			return;
		}
		t->origin = SV_ORIGIN_UNKNOWN;
		t->tgid = tid;
	}

	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_created(sv, tid, event);
		resume(tid, 0);
		return;
	case PTRACE_EVENT_EXEC: {
		struct pol_principals *chk = NULL;
		struct sv_task *who;
		bool run = true;

		/* A non-leader thread that execs takes over the leader's tid;
		 * its old tid is gone without an exit report. The exec rules
		 * to check were recorded with the thread that called execve. */
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &former) != 0)
			former = (unsigned long)tid;
		who = sv_tasks_get(sv->tasks, (pid_t)former);
		if (who) {
			chk = who->exec_check;
			who->exec_check = NULL;
		}
		if ((pid_t)former != tid)
			sv_tasks_remove(sv->tasks, (pid_t)former);
		sv_pystack_exec(sv, tid);
		t = sv_tasks_get(sv->tasks, tid);
		if (t) {
			struct sv_task_ev ev = { .what = SV_TEV_EXEC, .pid = t->tgid, .tid = tid };

			t->execs++;
			t->thread = false;
			free(t->exec_check);
			t->exec_check = NULL;
			/* No stale name: a failed read must not show the
			 * program that called execve. */
			free(t->exe);
			t->exe = NULL;
			read_exe(t);
			ev.exe = t->exe;
			log_task(sv, &ev);
		}
		/* The new image has not run a single instruction: what the
		 * kernel loaded cannot change any more, so this check has no
		 * race. The execve cannot fail now; the process is killed. */
		if (chk)
			run = sv_policy_exec_event(sv, tid, chk, t ? t->exe : NULL);
		free(chk);
		if (!run)
			kill(tid, SIGKILL);
		if (tid == sv->launch.pid)
			sv->main_execd = true;
		resume(tid, 0);
		if (run)
			sv_pystack_prepare(sv, tid);
		return;
	}
	case PTRACE_EVENT_STOP:
		if (!t->attached) {
			/* The attach stop of a new task. */
			t->attached = true;
			if (t->origin != SV_ORIGIN_UNKNOWN)
				resume(tid, 0);
			return;
		}
		if (is_stop_signal(sig)) {
			ptrace(PTRACE_LISTEN, tid, 0, 0);
			return;
		}
		resume(tid, 0);
		return;
	case 0:
		/* Signal-delivery stop: the kernel has not yet chosen between
		 * restarting an interrupted call and EINTR. */
		sv_restart_at_signal(sv, t, tid);
		resume(tid, sig);
		return;
	default:
		resume(tid, 0);
		return;
	}
}

void sv_tracer_reap(struct sv *sv)
{
	for (;;) {
		int st;
		pid_t tid = waitpid(-1, &st, __WALL | WNOHANG);

		if (tid < 0) {
			if (errno == EINTR)
				continue;
			/* ECHILD: no tracee and no child is left, whatever the
			 * table says. An entry we failed to remove (a lost exec
			 * or exit report) must not keep the loop waiting for ever. */
			if (errno == ECHILD && sv->main_exited)
				sv_tasks_clear(sv->tasks);
			return;
		}
		if (tid == 0)
			return;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			on_exit_status(sv, tid, st);
		else if (WIFSTOPPED(st))
			on_stop(sv, tid, st);
	}
}
