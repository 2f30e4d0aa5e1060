// SPDX-License-Identifier: MIT
/*
 * launch.c - start the program under the filter and hand the listener over.
 *
 * The hand-over, and why it is done this way (../shared/notes/kernel.md):
 * the listener is created by seccomp() in the child, but once the filter is
 * loaded any notified syscall of the child blocks until someone holds the
 * listener. Passing it with SCM_RIGHTS deadlocks when sendmsg is notified
 * ("--notify all"); pidfd_getfd is refused in Docker's default profile.
 * So the child shares our descriptor table (clone with CLONE_FILES), which puts
 * the listener straight into the supervisor. It then
 * tells us the number without a single system call: it stores it in a shared
 * page and executes int3. Because we seized it before it loaded the filter,
 * the SIGTRAP is a signal-delivery stop that we see and suppress; at that
 * point the number is final. Only then does the child exec, which unshares
 * the table and drops the listener (close-on-exec), so the program never holds
 * a listener: exactly one copy exists, ours.
 *
 * Every descriptor the supervisor opens is close-on-exec for the same reason.
 *
 * The child also shares our memory (CLONE_VM, on a stack of its own) until its
 * exec, like posix_spawn's child. A fork-like child cost 3-4 ms per start on
 * the VMs sisup runs on, where page faults and page-table changes are
 * expensive: copying our page tables, then a copy-on-write fault (~60 us) for
 * each page either side wrote before the exec and a fresh mapping of each page
 * the child touched. What sharing asks of the code:
 *  - the child runs only our code, on its own stack, and copies its context
 *    first (the parent's copy is on the parent's stack, gone once the
 *    handshake is over and the parent returns while the child execs);
 *  - it shares our thread-local storage, so a failing call in it writes
 *    errno in the parent too. Before the handshake completes the parent only
 *    blocks in waitpid; after it, when both run, the child execs without
 *    touching errno (exec_program: execvp's search, raw execve calls);
 *  - no signal handler of ours may run in it: sisup installs none (signals are
 *    blocked and read from a signalfd), and it does not share them anyway
 *    (no CLONE_SIGHAND);
 *  - PR_SET_DUMPABLE(0), set by main.c after the launch, also applies to the
 *    child until its exec: nothing reads its memory or /proc/PID/maps then
 *    (pystack.c answers for it without a walk), and the exec gives it a
 *    memory (and dumpability) of its own.
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch.h"
#include "filter.h"

/* The child's own stack (it shares our memory until its exec), plus room
 * for the path it builds. */
#define CHILD_STACK (256u << 10)

/*
 * Functions that run in the child, on its own stack. AddressSanitizer (the
 * SANITIZE=1 build) knows only the parent's stack and warns at every
 * noreturn call made on another; there is nothing for it to check here.
 */
#define CHILD_SIDE __attribute__((no_sanitize("address")))

struct child_ctx {
	char *const *argv;
	const char *path;	/* $PATH, or NULL */
	const struct sock_fprog *prog;
	const sigset_t *mask;
	struct sv_handshake *hs;
	int go_fd;
	pid_t parent;
	bool plain;
};

/*
 * A program started by root keeps root's capabilities, and CAP_SYS_PTRACE
 * overrides what protects sisup from its own program: non-dumpable (reading
 * and writing our memory through /proc/PID/mem or process_vm_*), and the
 * ptrace access checks on /proc/PID/fd. Drop it from every set, bounding set
 * first, before the filter goes on; with no_new_privs no exec gives it back.
 * Returns 0 or -errno. Async-signal-safe.
 */
CHILD_SIDE static int drop_ptrace_cap(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	const unsigned idx = CAP_SYS_PTRACE / 32, bit = 1u << (CAP_SYS_PTRACE % 32);

	if (syscall(SYS_capget, &h, d) < 0)
		return -errno;
	if (!((d[idx].permitted | d[idx].effective | d[idx].inheritable) & bit) &&
	    prctl(PR_CAPBSET_READ, CAP_SYS_PTRACE) != 1)
		return 0;
	/* Needs CAP_SETPCAP; without it, exec cannot regain the capability
	 * anyway (no_new_privs), so EPERM here is not fatal. */
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_PTRACE) < 0 && errno != EPERM && errno != EINVAL)
		return -errno;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	d[idx].permitted &= ~bit;
	d[idx].effective &= ~bit;
	d[idx].inheritable &= ~bit;
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	return 0;
}

CHILD_SIDE static void fail(struct sv_handshake *hs, int stage, int err)
{
	hs->error = err;
	__atomic_store_n(&hs->stage, stage, __ATOMIC_RELEASE);
	_exit(125);
}

extern char **environ;

/* Arguments a script (no "#!") is run with through /bin/sh, at most: its
 * argument vector is built on the child's stack. */
#define SH_ARGS_MAX 4096

/* execve @file, and like execvp a file without "#!" with /bin/sh. -errno. */
CHILD_SIDE static long try_exec(const char *file, char *const argv[])
{
	long rc = sv_raw_execve(file, argv, environ);
	size_t argc = 0;

	if (rc != -ENOEXEC)
		return rc;
	while (argv[argc] && argc < SH_ARGS_MAX)
		argc++;
	if (argv[argc])
		return rc;
	{
		char *sh[argc + 2];

		sh[0] = (char *)"/bin/sh";
		sh[1] = (char *)file;
		for (size_t i = 1; i <= argc; i++)
			sh[i + 1] = argv[i];
		sv_raw_execve("/bin/sh", sh, environ);
	}
	return rc;
}

/*
 * execvp's search (glibc's rules: a name with '/' is used as is; else each
 * $PATH entry in turn, "" meaning the current directory, default
 * "/bin:/usr/bin"; EACCES is remembered and the search goes on; a miss goes
 * on; any other error stops it) without writing errno (see the top of the
 * file). Never returns.
 */
CHILD_SIDE __attribute__((noreturn)) static void exec_program(const struct child_ctx *c)
{
	const char *file = c->argv[0], *path = c->path ? c->path : "/bin:/usr/bin";
	size_t flen = strlen(file);
	bool eacces = false;
	long rc = -ENOENT;

	if (flen && strchr(file, '/')) {
		rc = try_exec(file, c->argv);
	} else if (flen) {
		char buf[strlen(path) + flen + 2];

		for (const char *p = path;; p++) {
			const char *end = strchr(p, ':');
			size_t dlen = end ? (size_t)(end - p) : strlen(p);
			size_t o = 0;

			if (dlen) {
				memcpy(buf, p, dlen);
				o = dlen;
				buf[o++] = '/';
			}
			memcpy(buf + o, file, flen + 1);
			rc = try_exec(buf, c->argv);
			if (rc == -EACCES)
				eacces = true;
			else if (rc != -ENOENT && rc != -ENOTDIR && rc != -ESTALE && rc != -ENODEV &&
				 rc != -ETIMEDOUT)
				break;
			if (!end)
				break;
			p = end;
		}
		if (eacces && (rc == -ENOENT || rc == -ENOTDIR || rc == -ESTALE || rc == -ENODEV ||
			       rc == -ETIMEDOUT))
			rc = -EACCES;
	}
	c->hs->exec_errno = (int)-rc;
	_exit(rc == -ENOENT || rc == -ENOTDIR ? 127 : 126);
}

/* Runs in the child between clone and exec: async-signal-safe calls only. */
CHILD_SIDE __attribute__((noreturn)) static void child(const struct child_ctx *c)
{
	unsigned long flags = 0;
	char go = 0;
	int fd;

	/* Until the supervisor has seized us, its death must take us along. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != c->parent)
		_exit(125);
	if (read(c->go_fd, &go, 1) != 1 || go != 'g')
		_exit(125);
	/* From here PTRACE_O_EXITKILL covers us; do not leak the pdeath signal
	 * into the program. */
	if (prctl(PR_SET_PDEATHSIG, 0) < 0)
		fail(c->hs, HS_SETUP_FAILED, errno);
	if (sigprocmask(SIG_SETMASK, c->mask, NULL) < 0)
		fail(c->hs, HS_SETUP_FAILED, errno);
	{
		int rc = drop_ptrace_cap();

		if (rc < 0)
			fail(c->hs, HS_SETUP_FAILED, -rc);
	}
	/* Required for an unprivileged filter; also makes setuid binaries
	 * inside the sandbox gain nothing. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail(c->hs, HS_SETUP_FAILED, errno);
	fd = sv_filter_load(c->prog, c->plain, &flags);
	if (fd < 0)
		fail(c->hs, HS_FILTER_FAILED, -fd);
	c->hs->listener = fd;
	c->hs->flags = flags;
	__atomic_store_n(&c->hs->stage, HS_READY, __ATOMIC_RELEASE);
	/* No syscall here: under "--notify all" it would block for ever. */
	__asm__ volatile("int3");
	exec_program(c);
}

/* clone's entry: copy the context first (see the top of the file). */
CHILD_SIDE static int child_entry(void *arg)
{
	struct child_ctx c = *(const struct child_ctx *)arg;

	child(&c);
}

static int wait_handshake(pid_t pid, struct sv_handshake *hs, char *err, size_t errlen)
{
	for (;;) {
		int st, sig;

		if (waitpid(pid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "waiting for the child: %s", strerror(errno));
			return -errno;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			int stage = __atomic_load_n(&hs->stage, __ATOMIC_ACQUIRE);

			if (stage == HS_FILTER_FAILED) {
				snprintf(err, errlen, "cannot install the seccomp filter: %s",
					 strerror(hs->error));
				return -hs->error;
			}
			if (stage == HS_SETUP_FAILED) {
				snprintf(err, errlen, "cannot prepare the child: %s", strerror(hs->error));
				return -hs->error;
			}
			snprintf(err, errlen, "the child died during start-up");
			return -ECHILD;
		}
		if (!WIFSTOPPED(st))
			continue;
		sig = WSTOPSIG(st);
		if ((st >> 16) == 0 && sig == SIGTRAP &&
		    __atomic_load_n(&hs->stage, __ATOMIC_ACQUIRE) == HS_READY)
			return 0;
		/* Anything else (a signal from outside, a group stop) is passed on. */
		ptrace(PTRACE_CONT, pid, 0, (st >> 16) == 0 ? sig : 0);
	}
}

int sv_launch_start(char *const argv[], const struct sock_fprog *prog, const sigset_t *child_mask,
		    bool plain,
		    struct sv_launch *out, char *err, size_t errlen)
{
	struct sv_handshake *hs;
	struct child_ctx c;
	size_t stack_len = CHILD_STACK;
	void *stack;
	int go[2];
	pid_t pid;
	int rc;

	memset(out, 0, sizeof(*out));
	out->listener = -1;
	/* exec_program builds "$PATH entry/argv[0]" on its stack */
	stack_len += (strlen(argv[0]) + (getenv("PATH") ? strlen(getenv("PATH")) : 0) + 4095) &
		     ~(size_t)4095;
	hs = mmap(NULL, sizeof(*hs), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (hs == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		return -errno;
	}
	memset(hs, 0, sizeof(*hs));
	if (pipe2(go, O_CLOEXEC) < 0) {
		rc = -errno;
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		munmap(hs, sizeof(*hs));
		return rc;
	}
	c = (struct child_ctx){ argv, getenv("PATH"), prog, child_mask, hs, go[0], getpid(), plain };

	stack = mmap(NULL, stack_len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
	if (stack == MAP_FAILED) {
		rc = -errno;
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		goto out_pipe;
	}
	/* a guard page below it: an overflow faults instead of writing ours */
	mprotect(stack, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE);
	pid = clone(child_entry, (char *)stack + stack_len, CLONE_VM | CLONE_FILES | SIGCHLD, &c);
	if (pid < 0) {
		rc = -errno;
		snprintf(err, errlen, "clone: %s", strerror(errno));
		munmap(stack, stack_len);
		goto out_pipe;
	}
	out->stack = stack;
	out->stack_len = stack_len;

	if (ptrace(PTRACE_SEIZE, pid, 0, SV_PTRACE_OPTIONS) < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot trace the child (ptrace: %s)%s", strerror(errno),
			 errno == EPERM ? "; is ptrace restricted here (Yama, a container profile)?" : "");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		goto out_pipe;
	}
	if (write(go[1], "g", 1) != 1) {
		rc = -errno;
		snprintf(err, errlen, "cannot start the child: %s", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		goto out_pipe;
	}
	rc = wait_handshake(pid, hs, err, errlen);
	if (rc < 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
			;
		goto out_pipe;
	}
	out->pid = pid;
	out->listener = hs->listener;
	out->filter_flags = hs->flags;
	out->hs = hs;
	/* seccomp() makes it close-on-exec already; make sure, since the whole
	 * guarantee "the program never holds a listener" rests on it. */
	if (fcntl(out->listener, F_SETFD, FD_CLOEXEC) < 0) {
		rc = -errno;
		snprintf(err, errlen, "listener: %s", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		out->hs = NULL;
		goto out_pipe;
	}
	/* Suppress the SIGTRAP: the child goes on to exec. */
	if (ptrace(PTRACE_CONT, pid, 0, 0) < 0) {
		rc = -errno;
		snprintf(err, errlen, "ptrace(CONT): %s", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		out->hs = NULL;
		goto out_pipe;
	}
	close(go[0]);
	close(go[1]);
	return 0;

out_pipe:
	/* every path here after the clone has killed and reaped the child */
	if (out->stack)
		munmap(out->stack, out->stack_len);
	out->stack = NULL;
	close(go[0]);
	close(go[1]);
	munmap(hs, sizeof(*hs));
	return rc;
}

void sv_launch_release(struct sv_launch *l)
{
	if (l->stack)
		munmap(l->stack, l->stack_len);
	l->stack = NULL;
	if (l->hs)
		munmap(l->hs, sizeof(*l->hs));
	l->hs = NULL;
	if (l->listener >= 0)
		close(l->listener);
	l->listener = -1;
}
