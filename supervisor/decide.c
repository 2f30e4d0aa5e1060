// SPDX-License-Identifier: MIT
/*
 * decide.c - the answer to a notification: the one hardening rule that BPF
 * cannot decide, then the policy (enforce.c) when there is one.
 *
 * pidfd_send_signal takes a descriptor, and a descriptor can name sisup (a
 * pidfd from a /proc walk is refused by the filter, but an open /proc/PID
 * directory is also accepted by the kernel). We copy the descriptor with
 * pidfd_getfd, look at what it refers to, and refuse if it is sisup or if we
 * cannot tell. The program can swap the descriptor between our check and the
 * CONTINUE; the worst it gains is a signal to sisup, and sisup's death kills
 * the whole tree (PTRACE_O_EXITKILL): that race fails closed, not open.
 *
 * pidfd_getfd needs ptrace access to the program; a program that made itself
 * non-dumpable denies it to an unprivileged sisup, and its pidfd_send_signal
 * calls are then refused (EPERM): we cannot tell where they point.
 */
#include "decide.h"
#include "enforce.h"
#include "remotefd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* "Pid:" of a pidfd (our pid namespace) or "Tgid:" of a /proc/PID directory;
 * 0 when @fd is neither. */
static pid_t fd_target(int fd)
{
	char path[64], buf[4096];
	const char *key = "\nPid:\t";
	ssize_t n;
	int sfd;
	char *p;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	sfd = open(path, O_RDONLY | O_CLOEXEC);
	if (sfd < 0)
		return 0;
	n = read(sfd, buf, sizeof(buf) - 1);
	close(sfd);
	if (n > 0) {
		buf[n] = '\0';
		p = strstr(buf, key);
		if (p)
			return (pid_t)strtol(p + strlen(key), NULL, 10);
	}
	sfd = openat(fd, "status", O_RDONLY | O_CLOEXEC);
	if (sfd < 0)
		return 0;
	n = read(sfd, buf, sizeof(buf) - 1);
	close(sfd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strstr(buf, "\nTgid:\t");
	return p ? (pid_t)strtol(p + 7, NULL, 10) : 0;
}

static void check_pidfd_send_signal(struct sv *sv, const struct seccomp_notif *req,
				    struct sv_answer *ans)
{
	int dup, target;

	ans->verdict = SV_ERRNO;
	ans->error = EPERM;
	/* The calling thread's own descriptor table (remotefd.h): where it
	 * cannot be reached, the call is refused (the safe answer). */
	dup = sv_remote_fd((pid_t)req->pid, (int)(uint32_t)req->data.args[0]);
	if (dup < 0) {
		if (dup == -EBADF) {
			/* Not a descriptor at all: let the kernel say EBADF. */
			ans->verdict = SV_CONTINUE;
			ans->error = 0;
		}
		return;
	}
	target = fd_target(dup);
	close(dup);
	if (target > 0 && target != sv->self) {
		ans->verdict = SV_CONTINUE;
		ans->error = 0;
	} else if (target == 0 || target == -1) {
		/* What the kernel would say about that descriptor (it is not
		 * a pidfd; its process is gone), answered without CONTINUE:
		 * another thread could put a different file in its place. */
		ans->error = target == 0 ? EBADF : ESRCH;
		ans->result = true;
	}
}

void sv_decide(struct sv *sv, const struct seccomp_notif *req, struct sv_answer *ans)
{
	ans->verdict = SV_CONTINUE;
	ans->error = 0;
	ans->result = false;
	if (req->data.nr == __NR_pidfd_send_signal) {
		check_pidfd_send_signal(sv, req, ans);
		if (ans->verdict != SV_CONTINUE)
			return;
	}
	if (sv->policy)
		sv_policy_decide(sv, req, ans);
}
