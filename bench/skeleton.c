// SPDX-License-Identifier: MIT
/*
 * skeleton.c - the least a supervisor of sisup's design does, as a peer in
 * bench/run.py: what any tool that follows a program's process tree with
 * ptrace and answers its sensitive syscalls from a seccomp user-notification
 * listener costs on this machine, before it reads a single stack.
 *
 * It starts COMMAND under a filter that notifies the calls given (the ones
 * sisup's filter notifies under the benchmark's policy, with the same
 * register conditions), PTRACE_SEIZEs it with sisup's options (fork, vfork,
 * clone and exec events, EXITKILL), and then serves both sides as cheaply as
 * they can be served: one thread waits in a blocking RECV and answers
 * CONTINUE (with SYNC_WAKE_UP when the kernel has it; libseccomp 2.5 cannot
 * ask for WAIT_KILLABLE_RECV, which changes what a signal does to a waiting
 * call, not what a call costs);
 * the main thread, the tracer, waits in waitpid and resumes every stop,
 * passing signals on. No policy, no stack, no bookkeeping, no log.
 *
 * Usage: skeleton [-w | RULE...] -- COMMAND [ARG...]
 * Without a RULE there is no filter: ptrace alone. With -w neither: a parent
 * that forks, execs COMMAND and waits (what a separate process costs).
 * RULE: NAME (always notified), NAME:K:and:MASK (notified when
 * argK & MASK != 0), NAME:K:nand:MASK (when argK & MASK == 0),
 * NAME:K:eq:V, NAME:K:ne:V (numbers in C notation).
 * Exits with COMMAND's status (128 + signal when killed).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

static void die(const char *what)
{
	fprintf(stderr, "skeleton: %s: %s\n", what, strerror(errno));
	exit(125);
}

static int add_rule(scmp_filter_ctx ctx, const char *spec)
{
	char name[64], op[8];
	unsigned k;
	unsigned long long v;
	int nr;

	if (sscanf(spec, "%63[^:]:%u:%7[^:]:%lli", name, &k, op, &v) == 4 && k < 6) {
		nr = seccomp_syscall_resolve_name(name);
		if (nr == __NR_SCMP_ERROR)
			return 0; /* not on this kernel's table: nothing to notify */
		if (!strcmp(op, "eq"))
			return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1, SCMP_CMP(k, SCMP_CMP_EQ, v));
		if (!strcmp(op, "ne"))
			return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1, SCMP_CMP(k, SCMP_CMP_NE, v));
		if (!strcmp(op, "nand"))
			return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1,
						SCMP_CMP(k, SCMP_CMP_MASKED_EQ, v, 0));
		if (!strcmp(op, "and")) {
			/* any bit of the mask: one rule per bit (rules are OR'ed) */
			for (int b = 0; b < 64; b++) {
				unsigned long long bit = 1ULL << b;
				int rc;

				if (!(v & bit))
					continue;
				rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 1,
						      SCMP_CMP(k, SCMP_CMP_MASKED_EQ, bit, bit));
				if (rc < 0)
					return rc;
			}
			return 0;
		}
		return -EINVAL;
	}
	nr = seccomp_syscall_resolve_name(spec);
	if (nr == __NR_SCMP_ERROR)
		return 0;
	return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
}

static void *answer_loop(void *arg)
{
	int fd = *(int *)arg;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return NULL; /* no task uses the filter any more */
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

int main(int argc, char **argv)
{
	int go[2], fdpipe[2], listener = -1, st, code = 125;
	scmp_filter_ctx ctx;
	pthread_t th;
	pid_t child;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		;
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: skeleton [RULE...] -- COMMAND [ARG...]\n");
		return 125;
	}
	if (i == 2 && !strcmp(argv[1], "-w")) {
		child = fork();
		if (child < 0)
			die("fork");
		if (child == 0) {
			execvp(argv[i + 1], argv + i + 1);
			_exit(127);
		}
		if (waitpid(child, &st, 0) < 0)
			die("waitpid");
		return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		die("seccomp_init");
	for (int r = 1; r < i; r++)
		if (add_rule(ctx, argv[r]) < 0) {
			fprintf(stderr, "skeleton: bad rule %s\n", argv[r]);
			return 125;
		}
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(fdpipe, O_CLOEXEC) < 0)
		die("pipe");
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		char c;
		int fd;

		close(go[1]);
		if (read(go[0], &c, 1) != 1) /* traced */
			_exit(125);
		fd = -1;
		if (i > 1) {
			if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1) < 0 || seccomp_load(ctx) < 0)
				_exit(125);
			fd = seccomp_notify_fd(ctx);
			if (fd < 0)
				_exit(125);
		}
		if (write(fdpipe[1], &fd, sizeof(fd)) != sizeof(fd))
			_exit(125);
		if (read(go[0], &c, 1) != 1) /* the listener is taken (it is close-on-exec) */
			_exit(125);
		execvp(argv[i + 1], argv + i + 1);
		_exit(127);
	}
	close(go[0]);
	close(fdpipe[1]);
	if (ptrace(PTRACE_SEIZE, child, 0,
		   PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
			   PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC) < 0)
		die("PTRACE_SEIZE");
	if (write(go[1], "g", 1) != 1)
		die("write");
	{
		int cfd;

		if (read(fdpipe[0], &cfd, sizeof(cfd)) != sizeof(cfd))
			die("the child's filter");
		if (cfd >= 0) {
			/* the child's descriptor, taken over (same uid, not yet exec'd) */
			int pfd = (int)syscall(SYS_pidfd_open, child, 0);

			listener = pfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pfd, cfd, 0);
			if (listener < 0)
				die("pidfd_getfd");
			close(pfd);
		}
	}
	if (listener >= 0) {
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
		if (pthread_create(&th, NULL, answer_loop, &listener) != 0)
			die("pthread_create");
	}
	if (write(go[1], "x", 1) != 1)
		die("write");

	/* The tracer: resume every stop, pass signals on, until no task is left. */
	for (;;) {
		pid_t t = waitpid(-1, &st, __WALL);

		if (t < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: the tree is gone */
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (t == child)
				code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		if (st >> 16 == PTRACE_EVENT_STOP) {
			int sig = WSTOPSIG(st);

			if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
				ptrace(PTRACE_LISTEN, t, 0, 0);
			else
				ptrace(PTRACE_CONT, t, 0, 0);
		} else if (st >> 16) {
			ptrace(PTRACE_CONT, t, 0, 0); /* fork, vfork, clone, exec events */
		} else {
			ptrace(PTRACE_CONT, t, 0, WSTOPSIG(st)); /* signal-delivery stop */
		}
	}
	return code;
}
