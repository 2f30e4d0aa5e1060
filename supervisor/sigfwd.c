// SPDX-License-Identifier: MIT
/*
 * sigfwd.c - sisup stays in the program's process group, so job control and
 * terminal signals need nothing from us: Ctrl-C, Ctrl-Z (both stop; the
 * tracer answers the group stop with PTRACE_LISTEN) and fg reach the program
 * directly. What we forward is a signal addressed to sisup alone, e.g.
 * `kill -TERM <sisup>` from a service manager.
 *
 * A signal sent with kill(-pgrp) by an outside process reaches both sisup and
 * the program, and siginfo cannot tell it from kill(pid): the program then
 * sees it twice. Documented in the README.
 */
#include "sigfwd.h"

#include <signal.h>
#include <sys/types.h>

static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
				 SIGALRM, SIGWINCH };

void sv_sigfwd_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

struct fan {
	int sig;
	pid_t last;
};

static void to_process(struct sv_task *t, void *arg)
{
	struct fan *f = arg;

	if (t->tid == t->tgid && t->tgid != f->last) {
		kill(t->tgid, f->sig);
		f->last = t->tgid;
	}
}

void sv_sigfwd_handle(struct sv *sv, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	if (si->ssi_code == SI_KERNEL)
		return; /* terminal-generated: the foreground group has it */
	if ((si->ssi_code == SI_USER || si->ssi_code == SI_QUEUE) &&
	    sv_tasks_get(sv->tasks, (pid_t)si->ssi_pid))
		return; /* the program signalled its own group, sisup included */
	if (!sv->main_exited) {
		kill(sv->launch.pid, sig);
		return;
	}
	/* The main process is gone but its descendants live: tell each. */
	{
		struct fan f = { sig, 0 };

		sv_tasks_foreach(sv->tasks, to_process, &f);
	}
}
