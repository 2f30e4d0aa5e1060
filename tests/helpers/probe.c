// SPDX-License-Identifier: MIT
/*
 * probe - run hardening probes one after the other and report each result.
 *
 *   probe [--target PID] COMMAND [ARG] [COMMAND [ARG]]...
 *
 * "sisup" below is the target pid: --target PID, or else getppid() at start
 * (sisup is the parent of the program's main process). Each command prints
 * exactly one line
 *
 *   RESULT <command> ok [details]
 *   RESULT <command> errno=<ENAME> [details]
 *   RESULT <command> setup-failed errno=<ENAME> [what]
 *
 * where <command> is the command word as given. The probe goes on with the
 * next command whatever the result, and exits 0 (2 for a usage error), so a
 * test can run an attack and then check that sisup still answers.
 *
 * All calls are raw syscall(2) so that glibc wrappers hide nothing (no
 * clone3 fallback, no pid caching, full 64-bit arguments). Sibling probes
 * fork a child that blocks on a pipe and attack it.
 *
 * Commands (ARG in brackets is optional, SIG is a number, default in parens):
 *   ptrace-sibling, ptrace-seize-sibling   PTRACE_ATTACH/SEIZE a forked child
 *   ptrace-traceme                         PTRACE_TRACEME in a forked child
 *   ptrace-nopid                           PTRACE_ATTACH of a pid that does
 *                                          not exist (bare: ESRCH)
 *   ptrace-sisup                           PTRACE_ATTACH of sisup
 *   vm-writev-sibling                      process_vm_writev into a child;
 *                                          details say if the child saw it
 *   vm-readv-sibling                       process_vm_readv from a child
 *   pidfd-getfd-sibling                    pidfd_getfd of a child's pipe end
 *   userfaultfd                            userfaultfd(UFFD_USER_MODE_ONLY)
 *   seccomp-listener[-highbits]            a RET_ALLOW filter with
 *                                          NEW_LISTENER (highbits: bit 32 of
 *                                          the flags argument set too)
 *   seccomp-plain                          the same filter without it
 *   kill-sisup [SIG(0)]                    kill(sisup, SIG)
 *   tkill-sisup, tgkill-sisup,
 *   sigqueue-sisup, tgsigqueue-sisup [SIG(0)]
 *   pidfd-open-sisup, prlimit-sisup        pidfd_open / prlimit64(get only)
 *   NAME-highbits [SIG]                    any of the eight above with bit 32
 *                                          set in the pid argument
 *   kill-sisup-raxhigh [SIG(0)]            kill via the syscall instruction
 *                                          with bit 32 set in rax (the
 *                                          kernel uses the low 32 bits)
 *   pidfd-send-sisup [SIG(0)]              pidfd_send_signal on an open
 *                                          /proc/<sisup> directory
 *   pidfd-send-sisup-thread [SIG(0)]       the same from a thread that has
 *                                          its own descriptor table, while
 *                                          the process's main table holds a
 *                                          child's /proc dir at that number
 *   pidfd-send-sibling [SIG(15)]           pidfd_send_signal via pidfd_open
 *                                          of a child; details: child's end
 *   pidfd-send-sibling-procfd [SIG(15)]    the same via /proc/<child>
 *   kill-sibling [SIG(15)]                 kill a child
 *   kill-self                              kill(getpid(), 0)
 *   prlimit-self                           prlimit64(0, RLIMIT_NOFILE) (get)
 *   personality[-highbits] VALUE           set VALUE (hex or decimal), then
 *                                          restore the previous persona
 *   clone3                                 a fork-like clone3
 *   threads [N(4)]                         N pthreads, joined
 *   fork-exec                              fork + execve /bin/true
 *   vm-readv-sisup                         process_vm_readv of sisup memory
 *   mem-write-sisup                        open /proc/<sisup>/mem O_WRONLY
 *                                          (closed at once, nothing written)
 *   list-sisup-fds                         readdir of /proc/<sisup>/fd
 *   set-nondumpable                        prctl(PR_SET_DUMPABLE, 0) on the
 *                                          probe itself (as ssh-agent, gpg-agent
 *                                          and other secret holders do)
 *   sisup-alive                            sisup still exists and is not
 *                                          stopped or a zombie; details:
 *                                          its state letter
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define HIGHBIT (1L << 32)
/* Far above any pid_max (at most 4194304). */
#define NO_SUCH_PID 0x3ffffff0L

static pid_t sisup;

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

/* rc < 0: errno holds the error. */
static void report(const char *cmd, long rc, const char *details)
{
	if (rc < 0)
		printf("RESULT %s errno=%s%s%s\n", cmd, ename(errno), details ? " " : "",
		       details ? details : "");
	else
		printf("RESULT %s ok%s%s\n", cmd, details ? " " : "", details ? details : "");
}

static void setup_failed(const char *cmd, const char *what)
{
	printf("RESULT %s setup-failed errno=%s %s\n", cmd, ename(errno), what);
}

/* ------------------------------------------------------------------ */
/* A child to attack: it blocks on a pipe until we close our end.      */

struct sibling {
	pid_t pid;
	int wfd;	/* close to release the child */
	int rfd;	/* the child's read end (same number in the child) */
};

static volatile long sibling_word = 0x1111;

static int sibling_start(struct sibling *s)
{
	int p[2];
	char c;

	if (pipe(p) < 0)
		return -1;
	fflush(stdout);
	s->pid = fork();
	if (s->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (s->pid == 0) {
		close(p[1]);
		/* Exit status: 42 when someone changed sibling_word. */
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(sibling_word == 0x5eed ? 42 : 7);
	}
	close(p[0]);
	s->wfd = p[1];
	s->rfd = p[0];
	return 0;
}

/* Release and reap the child; returns its wait status. */
static int sibling_end(struct sibling *s, int sig)
{
	int st = 0;

	if (sig)
		syscall(SYS_kill, s->pid, sig);
	close(s->wfd);
	while (waitpid(s->pid, &st, __WALL) < 0 && errno == EINTR)
		;
	return st;
}

static void describe_status(int st, char *buf, size_t len)
{
	if (WIFSIGNALED(st))
		snprintf(buf, len, "child=SIG%s", sigabbrev_np(WTERMSIG(st)));
	else
		snprintf(buf, len, "child=exit%d", WEXITSTATUS(st));
}

/* ------------------------------------------------------------------ */

static void p_ptrace_sibling(const char *cmd, long request)
{
	struct sibling s;
	long rc;
	int e;

	if (sibling_start(&s) < 0)
		return setup_failed(cmd, "fork");
	rc = syscall(SYS_ptrace, request, s.pid, 0, 0);
	e = errno;
	/* If it worked (bare), we are the tracer now; SIGKILL ends it either way. */
	sibling_end(&s, rc == 0 ? SIGKILL : 0);
	errno = e;
	report(cmd, rc, NULL);
}

static void p_ptrace_traceme(const char *cmd)
{
	int p[2], err = 0, st;
	pid_t pid;

	if (pipe(p) < 0)
		return setup_failed(cmd, "pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return setup_failed(cmd, "fork");
	if (pid == 0) {
		long rc = syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);

		err = rc < 0 ? errno : 0;
		if (write(p[1], &err, sizeof(err)) != sizeof(err))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) != sizeof(err))
		err = EIO;
	close(p[0]);
	while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
		;
	errno = err;
	report(cmd, err ? -1 : 0, NULL);
}

static void p_vm_writev_sibling(const char *cmd)
{
	struct sibling s;
	long val = 0x5eed;
	struct iovec local = { &val, sizeof(val) };
	struct iovec remote = { (void *)&sibling_word, sizeof(val) };
	char det[64];
	long rc;
	int e, st;

	if (sibling_start(&s) < 0)
		return setup_failed(cmd, "fork");
	/* Same address in the child: it is a fork of us. */
	rc = syscall(SYS_process_vm_writev, s.pid, &local, 1, &remote, 1, 0);
	e = errno;
	st = sibling_end(&s, 0);
	snprintf(det, sizeof(det), "modified=%s",
		 WIFEXITED(st) && WEXITSTATUS(st) == 42 ? "yes" : "no");
	errno = e;
	report(cmd, rc, det);
}

static void p_vm_readv_sibling(const char *cmd)
{
	struct sibling s;
	long val = 0;
	struct iovec local = { &val, sizeof(val) };
	struct iovec remote = { (void *)&sibling_word, sizeof(val) };
	char det[64];
	long rc;
	int e;

	if (sibling_start(&s) < 0)
		return setup_failed(cmd, "fork");
	rc = syscall(SYS_process_vm_readv, s.pid, &local, 1, &remote, 1, 0);
	e = errno;
	sibling_end(&s, 0);
	snprintf(det, sizeof(det), "value=0x%lx", val);
	errno = e;
	report(cmd, rc, rc < 0 ? NULL : det);
}

static void p_pidfd_getfd_sibling(const char *cmd)
{
	struct sibling s;
	long pidfd, rc;
	int e;

	if (sibling_start(&s) < 0)
		return setup_failed(cmd, "fork");
	pidfd = syscall(SYS_pidfd_open, s.pid, 0);
	if (pidfd < 0) {
		e = errno;
		sibling_end(&s, 0);
		errno = e;
		return setup_failed(cmd, "pidfd_open");
	}
	rc = syscall(SYS_pidfd_getfd, pidfd, s.rfd, 0);
	e = errno;
	if (rc >= 0)
		close((int)rc);
	close((int)pidfd);
	sibling_end(&s, 0);
	errno = e;
	report(cmd, rc, NULL);
}

static void p_userfaultfd(const char *cmd)
{
	/* User-mode-only works without privilege even when
	 * vm.unprivileged_userfaultfd is 0 (since 5.11). */
	long rc = syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);

	if (rc >= 0)
		close((int)rc);
	report(cmd, rc, NULL);
}

static void p_seccomp(const char *cmd, unsigned long flags)
{
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { 1, allow };
	long rc;

	/* Needed bare as non-root; under sisup it is already set. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return setup_failed(cmd, "PR_SET_NO_NEW_PRIVS");
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (rc > 0)
		close((int)rc); /* the listener of an allow-all filter: never used */
	report(cmd, rc, NULL);
}

/* Syscalls whose first argument is a pid, aimed at sisup. */
static void p_at_sisup(const char *cmd, const char *base, bool high, int sig)
{
	long pid = high ? (long)sisup | HIGHBIT : (long)sisup;
	char det[64] = "";
	siginfo_t si;
	long rc;

	memset(&si, 0, sizeof(si));
	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();

	if (strcmp(base, "kill-sisup") == 0) {
		rc = syscall(SYS_kill, pid, sig);
	} else if (strcmp(base, "tkill-sisup") == 0) {
		rc = syscall(SYS_tkill, pid, sig);
	} else if (strcmp(base, "tgkill-sisup") == 0) {
		rc = syscall(SYS_tgkill, pid, (long)sisup, sig);
	} else if (strcmp(base, "sigqueue-sisup") == 0) {
		rc = syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
	} else if (strcmp(base, "tgsigqueue-sisup") == 0) {
		rc = syscall(SYS_rt_tgsigqueueinfo, pid, (long)sisup, sig, &si);
	} else if (strcmp(base, "pidfd-open-sisup") == 0) {
		rc = syscall(SYS_pidfd_open, pid, 0);
		if (rc >= 0)
			close((int)rc);
	} else { /* prlimit-sisup: only reading, the new limit is NULL */
		struct rlimit r;

		rc = syscall(SYS_prlimit64, pid, RLIMIT_NOFILE, NULL, &r);
		if (rc == 0)
			snprintf(det, sizeof(det), "nofile=%llu", (unsigned long long)r.rlim_cur);
	}
	report(cmd, rc, det[0] ? det : NULL);
}

static void p_kill_raxhigh(const char *cmd, int sig)
{
	long ret = (1L << 32) | SYS_kill;

	__asm__ volatile("syscall"
			 : "+a"(ret)
			 : "D"((long)sisup), "S"((long)sig)
			 : "rcx", "r11", "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		ret = -1;
	}
	report(cmd, ret, NULL);
}

static int open_proc_dir(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void p_pidfd_send_sisup(const char *cmd, int sig)
{
	int fd = open_proc_dir(sisup);
	long rc;
	int e;

	if (fd < 0)
		return setup_failed(cmd, "open /proc/<sisup>");
	rc = syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	e = errno;
	close(fd);
	errno = e;
	report(cmd, rc, NULL);
}

/*
 * pidfd_send_signal from a thread (CLONE_THREAD) created WITHOUT
 * CLONE_FILES: it has a descriptor table of its own. In it, descriptor
 * SLOT names /proc/<sisup>; in the main table, SLOT names /proc/<child>.
 */
#define SLOT 200

struct thr_ctx {
	int sig;
	volatile int done;
	long rc;
	int err;
};

static int thread_fn(void *arg)
{
	struct thr_ctx *c = arg;
	int fd = open_proc_dir(sisup);

	if (fd < 0 || dup2(fd, SLOT) < 0) {
		c->rc = -2;
		c->err = errno;
	} else {
		c->rc = syscall(SYS_pidfd_send_signal, SLOT, c->sig, NULL, 0);
		c->err = errno;
	}
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	syscall(SYS_exit, 0); /* this thread only */
	return 0;
}

static void p_pidfd_send_sisup_thread(const char *cmd, int sig)
{
	struct thr_ctx c = { .sig = sig };
	struct sibling s;
	size_t stsz = 256 * 1024;
	char *stack;
	int fd;
	long tid;

	if (sibling_start(&s) < 0)
		return setup_failed(cmd, "fork");
	fd = open_proc_dir(s.pid);
	if (fd < 0 || dup2(fd, SLOT) < 0) {
		sibling_end(&s, 0);
		return setup_failed(cmd, "open /proc/<child>");
	}
	close(fd);
	stack = mmap(NULL, stsz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED) {
		sibling_end(&s, 0);
		return setup_failed(cmd, "mmap");
	}
	fflush(stdout);
	tid = clone(thread_fn, stack + stsz,
		    CLONE_VM | CLONE_FS | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM, &c);
	if (tid < 0) {
		sibling_end(&s, 0);
		return setup_failed(cmd, "clone");
	}
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE))
		usleep(1000);
	usleep(10000); /* let the thread finish exiting before its stack goes */
	close(SLOT);
	sibling_end(&s, 0);
	if (c.rc == -2) {
		errno = c.err;
		return setup_failed(cmd, "thread: open /proc/<sisup>");
	}
	errno = c.err;
	report(cmd, c.rc, NULL);
}

static void p_pidfd_send_sibling(const char *cmd, int sig, bool procfd)
{
	struct sibling s;
	char det[64];
	long fd, rc;
	int e, st;

	if (sibling_start(&s) < 0)
		return setup_failed(cmd, "fork");
	fd = procfd ? open_proc_dir(s.pid) : syscall(SYS_pidfd_open, s.pid, 0);
	if (fd < 0) {
		e = errno;
		sibling_end(&s, 0);
		errno = e;
		return setup_failed(cmd, procfd ? "open /proc/<child>" : "pidfd_open");
	}
	rc = syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	e = errno;
	close((int)fd);
	st = sibling_end(&s, 0);
	describe_status(st, det, sizeof(det));
	errno = e;
	report(cmd, rc, det);
}

static void p_kill_sibling(const char *cmd, int sig)
{
	struct sibling s;
	char det[64];
	long rc;
	int e, st;

	if (sibling_start(&s) < 0)
		return setup_failed(cmd, "fork");
	rc = syscall(SYS_kill, s.pid, sig);
	e = errno;
	st = sibling_end(&s, 0);
	describe_status(st, det, sizeof(det));
	errno = e;
	report(cmd, rc, det);
}

static void p_personality(const char *cmd, unsigned long val, bool high)
{
	unsigned long arg = high ? val | (unsigned long)HIGHBIT : val;
	long old = syscall(SYS_personality, 0xffffffffUL);
	long rc = syscall(SYS_personality, arg);
	int e = errno;
	char det[64];

	if (rc >= 0 && old >= 0 && val != 0xffffffffUL)
		syscall(SYS_personality, (unsigned long)old);
	snprintf(det, sizeof(det), "value=0x%lx", val);
	errno = e;
	report(cmd, rc, det);
}

static void p_clone3(const char *cmd)
{
	struct clone_args a;
	long rc;
	int st;

	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	fflush(stdout);
	rc = syscall(SYS_clone3, &a, sizeof(a));
	if (rc == 0)
		_exit(0); /* the fork-like child */
	if (rc > 0)
		waitpid((pid_t)rc, &st, 0);
	report(cmd, rc < 0 ? -1 : 0, NULL);
}

static long thread_sum;

static void *adder(void *arg)
{
	long n = (long)arg;

	__atomic_add_fetch(&thread_sum, n, __ATOMIC_RELAXED);
	return (void *)(n * 2);
}

static void p_threads(const char *cmd, int n)
{
	pthread_t t[64];
	char det[64];
	long expect = 0, ret2 = 0;
	int i, rc = 0;

	if (n < 1 || n > 64)
		n = 4;
	thread_sum = 0;
	for (i = 0; i < n; i++) {
		rc = pthread_create(&t[i], NULL, adder, (void *)(long)(i + 1));
		if (rc != 0)
			break;
		expect += i + 1;
	}
	for (int j = 0; j < i; j++) {
		void *r;

		pthread_join(t[j], &r);
		ret2 += (long)r;
	}
	if (rc != 0) {
		errno = rc;
		snprintf(det, sizeof(det), "created=%d", i);
		return report(cmd, -1, det);
	}
	if (thread_sum != expect || ret2 != 2 * expect) {
		errno = EPROTO;
		return report(cmd, -1, "wrong-sum");
	}
	snprintf(det, sizeof(det), "n=%d sum=%ld", n, thread_sum);
	report(cmd, 0, det);
}

static void p_fork_exec(const char *cmd)
{
	char name[] = "true";
	char *argv[] = { name, NULL };
	char det[64];
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return report(cmd, -1, NULL);
	if (pid == 0) {
		execve("/bin/true", argv, environ);
		_exit(99);
	}
	waitpid(pid, &st, 0);
	describe_status(st, det, sizeof(det));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		errno = ECHILD;
		return report(cmd, -1, det);
	}
	report(cmd, 0, det);
}

/* The first readable mapping of sisup, or a guess when maps is closed to us
 * (the permission check comes before the address is looked at). */
static unsigned long sisup_addr(void)
{
	char path[64];
	unsigned long a = 0x400000;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)sisup);
	f = fopen(path, "re");
	if (!f)
		return a;
	if (fscanf(f, "%lx", &a) != 1)
		a = 0x400000;
	fclose(f);
	return a;
}

static void p_vm_readv_sisup(const char *cmd)
{
	char buf[16];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { (void *)sisup_addr(), sizeof(buf) };

	report(cmd, syscall(SYS_process_vm_readv, sisup, &local, 1, &remote, 1, 0), NULL);
}

static void p_mem_write_sisup(const char *cmd)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)sisup);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd); /* nothing is ever written */
	report(cmd, fd, NULL);
}

static void p_list_sisup_fds(const char *cmd)
{
	char path[64], det[64];
	struct dirent *d;
	int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)sisup);
	dir = opendir(path);
	if (!dir)
		return report(cmd, -1, NULL);
	errno = 0;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			n++;
	if (errno) {
		int e = errno;

		closedir(dir);
		errno = e;
		return report(cmd, -1, NULL);
	}
	closedir(dir);
	snprintf(det, sizeof(det), "count=%d", n);
	report(cmd, 0, det);
}

static void p_sisup_alive(const char *cmd)
{
	char path[64], buf[512], det[64], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)sisup);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return report(cmd, -1, NULL);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return report(cmd, -1, NULL);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ') {
		errno = EPROTO;
		return report(cmd, -1, NULL);
	}
	snprintf(det, sizeof(det), "state=%c", p[2]);
	if (p[2] == 'Z' || p[2] == 'T' || p[2] == 't' || p[2] == 'X') {
		errno = ESRCH;
		return report(cmd, -1, det);
	}
	report(cmd, 0, det);
}

/* ------------------------------------------------------------------ */

static int usage(void)
{
	fprintf(stderr, "usage: probe [--target PID] COMMAND [ARG]... (see probe.c)\n");
	return 2;
}

/* The optional numeric argument of a command, if the next word is one. */
static bool num_arg(int argc, char **argv, int *i, long *out)
{
	char *end;
	long v;

	if (*i + 1 >= argc)
		return false;
	errno = 0;
	v = strtol(argv[*i + 1], &end, 0);
	if (errno || end == argv[*i + 1] || *end)
		return false;
	(*i)++;
	*out = v;
	return true;
}

static bool has_suffix(const char *s, const char *suf, char *base, size_t len)
{
	size_t n = strlen(s), m = strlen(suf);

	if (n <= m || strcmp(s + n - m, suf) != 0 || n - m >= len)
		return false;
	memcpy(base, s, n - m);
	base[n - m] = '\0';
	return true;
}

static bool is_at_sisup(const char *base)
{
	static const char *const names[] = {
		"kill-sisup", "tkill-sisup", "tgkill-sisup", "sigqueue-sisup",
		"tgsigqueue-sisup", "pidfd-open-sisup", "prlimit-sisup",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(base, names[i]) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sisup = getppid();
	if (argc > 2 && strcmp(argv[1], "--target") == 0) {
		sisup = (pid_t)atoi(argv[2]);
		i = 3;
	}
	if (i >= argc)
		return usage();
	printf("PROBE pid=%d target=%d\n", (int)getpid(), (int)sisup);

	for (; i < argc; i++) {
		const char *cmd = argv[i];
		char base[64];
		long v = 0;
		/* "NAME-highbits" for NAME one of the pid-aimed commands */
		bool high = has_suffix(cmd, "-highbits", base, sizeof(base)) && is_at_sisup(base);

		if (strcmp(cmd, "ptrace-sibling") == 0) {
			p_ptrace_sibling(cmd, PTRACE_ATTACH);
		} else if (strcmp(cmd, "ptrace-seize-sibling") == 0) {
			p_ptrace_sibling(cmd, PTRACE_SEIZE);
		} else if (strcmp(cmd, "ptrace-traceme") == 0) {
			p_ptrace_traceme(cmd);
		} else if (strcmp(cmd, "ptrace-nopid") == 0) {
			report(cmd, syscall(SYS_ptrace, PTRACE_ATTACH, NO_SUCH_PID, 0, 0), NULL);
		} else if (strcmp(cmd, "ptrace-sisup") == 0) {
			/* Should it ever succeed, sisup and the probe trace each
			 * other: the SIGCHLD of sisup's attach stop puts the
			 * probe in a signal-delivery stop that only sisup could
			 * end. Both stay stopped; the test fails by its timeout. */
			report(cmd, syscall(SYS_ptrace, PTRACE_ATTACH, sisup, 0, 0), NULL);
		} else if (strcmp(cmd, "vm-writev-sibling") == 0) {
			p_vm_writev_sibling(cmd);
		} else if (strcmp(cmd, "vm-readv-sibling") == 0) {
			p_vm_readv_sibling(cmd);
		} else if (strcmp(cmd, "pidfd-getfd-sibling") == 0) {
			p_pidfd_getfd_sibling(cmd);
		} else if (strcmp(cmd, "userfaultfd") == 0) {
			p_userfaultfd(cmd);
		} else if (strcmp(cmd, "seccomp-listener") == 0) {
			p_seccomp(cmd, SECCOMP_FILTER_FLAG_NEW_LISTENER);
		} else if (strcmp(cmd, "seccomp-listener-highbits") == 0) {
			p_seccomp(cmd, SECCOMP_FILTER_FLAG_NEW_LISTENER | (unsigned long)HIGHBIT);
		} else if (strcmp(cmd, "seccomp-plain") == 0) {
			p_seccomp(cmd, 0);
		} else if (is_at_sisup(cmd) || high) {
			num_arg(argc, argv, &i, &v);
			p_at_sisup(cmd, high ? base : cmd, high, (int)v);
		} else if (strcmp(cmd, "kill-sisup-raxhigh") == 0) {
			num_arg(argc, argv, &i, &v);
			p_kill_raxhigh(cmd, (int)v);
		} else if (strcmp(cmd, "pidfd-send-sisup") == 0) {
			num_arg(argc, argv, &i, &v);
			p_pidfd_send_sisup(cmd, (int)v);
		} else if (strcmp(cmd, "pidfd-send-sisup-thread") == 0) {
			num_arg(argc, argv, &i, &v);
			p_pidfd_send_sisup_thread(cmd, (int)v);
		} else if (strcmp(cmd, "pidfd-send-sibling") == 0 ||
			   strcmp(cmd, "pidfd-send-sibling-procfd") == 0) {
			v = SIGTERM;
			num_arg(argc, argv, &i, &v);
			p_pidfd_send_sibling(cmd, (int)v, strcmp(cmd, "pidfd-send-sibling-procfd") == 0);
		} else if (strcmp(cmd, "kill-sibling") == 0) {
			v = SIGTERM;
			num_arg(argc, argv, &i, &v);
			p_kill_sibling(cmd, (int)v);
		} else if (strcmp(cmd, "kill-self") == 0) {
			report(cmd, syscall(SYS_kill, getpid(), 0), NULL);
		} else if (strcmp(cmd, "prlimit-self") == 0) {
			struct rlimit r;

			report(cmd, syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &r), NULL);
		} else if (strcmp(cmd, "personality") == 0 || strcmp(cmd, "personality-highbits") == 0) {
			char *end;
			unsigned long val;

			if (i + 1 >= argc)
				return usage();
			val = strtoul(argv[++i], &end, 0);
			if (*end)
				return usage();
			p_personality(cmd, val, strcmp(cmd, "personality-highbits") == 0);
		} else if (strcmp(cmd, "clone3") == 0) {
			p_clone3(cmd);
		} else if (strcmp(cmd, "threads") == 0) {
			v = 4;
			num_arg(argc, argv, &i, &v);
			p_threads(cmd, (int)v);
		} else if (strcmp(cmd, "fork-exec") == 0) {
			p_fork_exec(cmd);
		} else if (strcmp(cmd, "vm-readv-sisup") == 0) {
			p_vm_readv_sisup(cmd);
		} else if (strcmp(cmd, "mem-write-sisup") == 0) {
			p_mem_write_sisup(cmd);
		} else if (strcmp(cmd, "list-sisup-fds") == 0) {
			p_list_sisup_fds(cmd);
		} else if (strcmp(cmd, "set-nondumpable") == 0) {
			report(cmd, prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), NULL);
		} else if (strcmp(cmd, "sisup-alive") == 0) {
			p_sisup_alive(cmd);
		} else {
			fprintf(stderr, "probe: unknown command '%s'\n", cmd);
			return usage();
		}
	}
	return 0;
}
