/* SPDX-License-Identifier: MIT */
/*
 * launch.h - start the program: a child that installs the filter, hands the
 * listener to the supervisor and execs, traced from its first instruction.
 */
#ifndef SV_LAUNCH_H
#define SV_LAUNCH_H

#include <linux/filter.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/types.h>

/* Lives in a MAP_SHARED page between the supervisor and the child until exec. */
struct sv_handshake {
	int stage;		/* HS_* below, written by the child */
	int error;		/* errno of the failed step */
	int listener;		/* fd number in the shared descriptor table */
	unsigned long flags;	/* seccomp filter flags that were accepted */
	int exec_errno;		/* the last execvp error */
};

enum { HS_WAITING, HS_READY, HS_FILTER_FAILED, HS_SETUP_FAILED };

struct sv_launch {
	pid_t pid;			/* the program's main process */
	int listener;
	unsigned long filter_flags;
	struct sv_handshake *hs;	/* still mapped; read after exec failure */
	void *stack;			/* the child's stack until its exec */
	size_t stack_len;
};

/* Options every tracee carries; auto-attached tasks inherit them. */
#define SV_PTRACE_OPTIONS (PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
			   PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC)

/**
 * sv_launch_start - clone the child, seize it, let it install @prog and
 * collect the listener. On return the child is traced, runs under the filter
 * and is about to exec @argv (its exec is the first notification under the
 * default set).
 * @child_mask: signal mask the program starts with.
 * @plain: do not ask for WAIT_KILLABLE_RECV (tests of the old-kernel path).
 * @err: a message for the user on failure.
 *
 * Returns 0 or -errno (nothing is left running on failure).
 */
int sv_launch_start(char *const argv[], const struct sock_fprog *prog, const sigset_t *child_mask,
		    bool plain,
		    struct sv_launch *out, char *err, size_t errlen);

void sv_launch_release(struct sv_launch *l);

#endif
