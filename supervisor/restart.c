// SPDX-License-Identifier: MIT
/*
 * restart.c - no EINTR from calls the program never saw start.
 *
 * With SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV a notified thread can be
 * interrupted by a non-fatal signal only while its notification is still
 * queued: once sisup has received it, only a fatal signal ends the wait. In
 * that window the kernel drops the notification and returns -ERESTARTSYS, so
 * a handler installed without SA_RESTART (CPython installs all of its
 * handlers that way) turns mkdir, rename, kill, socket or fork - calls that
 * never fail with EINTR bare - into EINTR. Nothing was performed: the call
 * had not started, and bare it would have run after the handler.
 *
 * sisup traces every thread, so it sees the signal-delivery stop before the
 * kernel decides between restarting and EINTR. There, if the thread is in a
 * syscall with -ERESTARTSYS and our own filter program (run by bpfsim.c on
 * the thread's registers) notifies that call, the value becomes
 * -ERESTARTNOINTR: the handler runs, then the call is made again, and is
 * notified again. This is the kernel's own "not started yet" result.
 *
 * A call sisup answered with CONTINUE really ran and may have been
 * interrupted in the kernel (a blocking connect, accept, open of a FIFO);
 * its EINTR is the bare result and must stay. sisup remembers the last call
 * it continued per thread; a thread has one syscall at a time, so an
 * interrupted call with the same number and arguments may be that one, and
 * is left alone - unless the syscall cannot sleep interruptibly at all
 * (signals, socket, clone, mmap...), where it can only be a new one.
 */
#include "restart.h"

#include "arch.h"
#include "bpfsim.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

/* Kernel-internal values (include/linux/errno.h), stable ABI for tracers. */
#define SV_ERESTARTSYS 512
#define SV_ERESTARTNOINTR 513

/* Notified syscalls that never sleep interruptibly when they run: an
 * -ERESTARTSYS on them can only come from the queued notification. */
static bool never_sleeps(long nr)
{
	switch (nr) {
	case __NR_kill: case __NR_tkill: case __NR_tgkill:
	case __NR_rt_sigqueueinfo: case __NR_rt_tgsigqueueinfo: case __NR_pidfd_send_signal:
	case __NR_socket: case __NR_clone: case __NR_fork: case __NR_vfork:
	case __NR_mmap: case __NR_mprotect: case __NR_pkey_mprotect: case __NR_shmat:
	case __NR_memfd_create: case __NR_prlimit64: case __NR_kcmp:
	case __NR_perf_event_open: case __NR_listen:
		return true;
	}
	return false;
}

void sv_restart_note(struct sv *sv, const struct seccomp_notif *req, bool continued)
{
	struct sv_task *t;

	/* Only read back where restarts happen (sv_restart_at_signal). */
	if (!sv->filter.filter || !sv->stats.killable_wait)
		return;
	t = sv_tasks_get(sv->tasks, (pid_t)req->pid);
	if (!t)
		return;
	t->cont_valid = continued;
	if (continued) {
		t->cont_nr = req->data.nr;
		memcpy(t->cont_args, req->data.args, sizeof(t->cont_args));
	}
}

void sv_restart_at_signal(struct sv *sv, struct sv_task *t, pid_t tid)
{
	struct user_regs_struct regs;
	struct seccomp_data d;

	/* Without the killable wait a received notification can be interrupted
	 * too, after sisup may have performed the call: EINTR then stays. */
	if (!sv->filter.filter || !sv->stats.killable_wait ||
	    ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return;
	/* orig_rax is -1 outside a syscall; whatever rax then holds is the
	 * program's own and means nothing. */
	if ((long long)regs.orig_rax < 0 || regs.orig_rax >= SV_X32_SYSCALL_BIT ||
	    (long long)regs.rax != -SV_ERESTARTSYS)
		return;
	memset(&d, 0, sizeof(d));
	sv_regs_to_seccomp_data(&regs, &d);
	if ((sv_bpf_run(sv->filter.filter, sv->filter.len, &d) & SECCOMP_RET_ACTION_FULL) !=
	    SECCOMP_RET_USER_NOTIF)
		return; /* the kernel ran it: its EINTR is the bare one */
	if (!never_sleeps(d.nr) && t->cont_valid && t->cont_nr == d.nr &&
	    memcmp(t->cont_args, d.args, sizeof(d.args)) == 0)
		return; /* perhaps the call sisup continued, interrupted in the kernel */
	/* ESRCH: killed meanwhile; nothing to restart. */
	if (ptrace(PTRACE_POKEUSER, tid, offsetof(struct user_regs_struct, rax),
		   (long)-SV_ERESTARTNOINTR) == 0)
		sv->stats.restarted++;
}
