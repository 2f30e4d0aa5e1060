// SPDX-License-Identifier: MIT
/*
 * Unit tests: the seccomp program, run by the real kernel.
 *
 * A forked child loads the filter and then closes its listener: notified
 * syscalls then fail with ENOSYS instead of waiting, which makes "this call
 * is notified" observable without a supervisor. The child reports the errno
 * of each probe through a pipe (write is never notified).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "bpf_eval.h"

#include "filter.h"

enum probe { P_GETPID, P_OPEN_RO, P_OPEN_WR, P_IOURING, P_CLONE3, P_PTRACE, P_VMWRITEV,
	     P_PIDFD_GETFD, P_USERFAULTFD, P_KILL_SUP, P_KILL_SUP_HIGH, P_TGKILL_SUP, P_KILL_OTHER,
	     P_PRLIMIT_SUP, P_SECCOMP_LISTENER, P_PERS_BAD, P_PERS_QUERY, P_CLONE_UNTRACED,
	     P_MMAP_EXEC, P_MMAP_RW, P_SOCKET, P_SETOWN_SUP, P_SETOWN_OTHER, P_SETOWN_EX,
	     P_FIOSETOWN, P_NR_MINUS_1, P_COUNT };

static long result(long rc)
{
	return rc < 0 ? errno : 0;
}

static void probes(pid_t sup, long out[P_COUNT])
{
	struct sock_filter ret_allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog allow = { 1, &ret_allow };
	void *m;

	out[P_GETPID] = result(syscall(SYS_getpid));
	out[P_OPEN_RO] = result(syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC));
	out[P_OPEN_WR] = result(syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY | O_CLOEXEC));
	out[P_IOURING] = result(syscall(SYS_io_uring_setup, 1, NULL));
	out[P_CLONE3] = result(syscall(SYS_clone3, NULL, 0));
	out[P_PTRACE] = result(syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0));
	out[P_VMWRITEV] = result(syscall(SYS_process_vm_writev, sup, NULL, 0, NULL, 0, 0));
	out[P_PIDFD_GETFD] = result(syscall(SYS_pidfd_getfd, 0, 0, 0));
	out[P_USERFAULTFD] = result(syscall(SYS_userfaultfd, 0));
	out[P_KILL_SUP] = result(syscall(SYS_kill, sup, 0));
	out[P_KILL_SUP_HIGH] = result(syscall(SYS_kill, (long)sup | (1L << 32), 0));
	out[P_TGKILL_SUP] = result(syscall(SYS_tgkill, sup, sup, 0));
	out[P_KILL_OTHER] = result(syscall(SYS_kill, 1, 0)); /* notified -> ENOSYS */
	out[P_PRLIMIT_SUP] = result(syscall(SYS_prlimit64, sup, RLIMIT_NOFILE, NULL, NULL));
	out[P_SECCOMP_LISTENER] = result(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
						 SECCOMP_FILTER_FLAG_NEW_LISTENER, &allow));
	out[P_PERS_BAD] = result(syscall(SYS_personality, 0x0040000)); /* ADDR_NO_RANDOMIZE */
	out[P_PERS_QUERY] = result(syscall(SYS_personality, 0xffffffffUL));
	out[P_CLONE_UNTRACED] = result(syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0));
	m = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	out[P_MMAP_EXEC] = m == MAP_FAILED ? errno : 0;
	m = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	out[P_MMAP_RW] = m == MAP_FAILED ? errno : 0;
	out[P_SOCKET] = result(syscall(SYS_socket, AF_INET, SOCK_STREAM, 0));
	out[P_SETOWN_SUP] = result(syscall(SYS_fcntl, 0, F_SETOWN, sup));
	out[P_SETOWN_OTHER] = result(syscall(SYS_fcntl, 0, F_SETOWN, getpid()));
	out[P_SETOWN_EX] = result(syscall(SYS_fcntl, 0, F_SETOWN_EX, NULL));
	out[P_FIOSETOWN] = result(syscall(SYS_ioctl, 0, FIOSETOWN, NULL));
	out[P_NR_MINUS_1] = result(syscall(-1));
}

/* Fork a child under the filter, run @fn there; returns its wait status. */
static int under_filter(const struct sv_notify_set *set, void (*fn)(pid_t, int), int wfd)
{
	struct sock_fprog prog;
	struct sv_filter_opts o = { .supervisor = getpid(), .set = set };
	pid_t sup = getpid(), pid;
	int st;

	assert_int_equal(sv_filter_build(&o, &prog), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		unsigned long flags;
		int fd;

		/* cmocka catches SIGSEGV and would resume its test list in here */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGSYS, SIG_DFL);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(100);
		fd = sv_filter_load(&prog, false, &flags);
		if (fd < 0)
			_exit(101);
		close(fd); /* no supervisor: notified calls fail with ENOSYS */
		fn(sup, wfd);
		_exit(0);
	}
	sv_filter_free(&prog);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void run_probes(pid_t sup, int wfd)
{
	long out[P_COUNT];

	probes(sup, out);
	if (write(wfd, out, sizeof(out)) != (ssize_t)sizeof(out))
		_exit(102);
}

static void default_set_in_the_kernel(void **state)
{
	struct sv_notify_set set = { .defaults = true };
	long out[P_COUNT];
	int p[2], st;

	(void)state;
	assert_int_equal(pipe(p), 0);
	st = under_filter(&set, run_probes, p[1]);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(read(p[0], out, sizeof(out)), (ssize_t)sizeof(out));
	close(p[0]);
	close(p[1]);

	assert_int_equal(out[P_GETPID], 0);
	assert_int_equal(out[P_OPEN_RO], 0);		/* kept in the kernel */
	assert_int_equal(out[P_OPEN_WR], ENOSYS);	/* notified */
	assert_int_equal(out[P_IOURING], ENOSYS);
	assert_int_equal(out[P_CLONE3], ENOSYS);
	assert_int_equal(out[P_PTRACE], EPERM);
	assert_int_equal(out[P_VMWRITEV], EPERM);
	assert_int_equal(out[P_PIDFD_GETFD], EPERM);
	assert_int_equal(out[P_USERFAULTFD], EPERM);
	assert_int_equal(out[P_KILL_SUP], EPERM);
	assert_int_equal(out[P_KILL_SUP_HIGH], EPERM);	/* upper half ignored, as the kernel does */
	assert_int_equal(out[P_TGKILL_SUP], EPERM);
	assert_int_equal(out[P_KILL_OTHER], ENOSYS);	/* notified, not refused */
	assert_int_equal(out[P_PRLIMIT_SUP], EPERM);
	assert_int_equal(out[P_SECCOMP_LISTENER], EPERM);
	assert_int_equal(out[P_PERS_BAD], EPERM);
	assert_int_equal(out[P_PERS_QUERY], 0);
	assert_int_equal(out[P_CLONE_UNTRACED], EPERM);
	assert_int_equal(out[P_MMAP_EXEC], ENOSYS);	/* PROT_EXEC is notified */
	assert_int_equal(out[P_MMAP_RW], 0);
	assert_int_equal(out[P_SOCKET], ENOSYS);
	assert_int_equal(out[P_SETOWN_SUP], EPERM);
	assert_int_equal(out[P_SETOWN_OTHER], 0);
	assert_int_equal(out[P_SETOWN_EX], EPERM);
	assert_int_equal(out[P_FIOSETOWN], EPERM);
	assert_int_equal(out[P_NR_MINUS_1], ENOSYS);	/* not x32: the kernel's own ENOSYS */
}

static void custom_set(void **state)
{
	struct sv_notify_set set = { 0 };
	long out[P_COUNT];
	int p[2], st;

	(void)state;
	set.extra[SYS_getpid] = 1;
	assert_int_equal(pipe(p), 0);
	st = under_filter(&set, run_probes, p[1]);
	assert_true(WIFEXITED(st));
	assert_int_equal(read(p[0], out, sizeof(out)), (ssize_t)sizeof(out));
	close(p[0]);
	close(p[1]);
	assert_int_equal(out[P_GETPID], ENOSYS);	/* the only notified call */
	assert_int_equal(out[P_OPEN_WR], 0);
	assert_int_equal(out[P_SOCKET], 0);
	assert_int_equal(out[P_PTRACE], EPERM);		/* hardening is always on */
	assert_int_equal(out[P_IOURING], ENOSYS);
}

static void int80(pid_t sup, int wfd)
{
	(void)sup;
	(void)wfd;
	/* i386 getpid (20) through the compat entry point */
	__asm__ volatile("mov $20, %%eax\n\tint $0x80" ::: "eax", "memory");
}

static void x32(pid_t sup, int wfd)
{
	long ret;

	(void)sup;
	(void)wfd;
	__asm__ volatile("syscall" : "=a"(ret) : "0"(39L | 0x40000000L) : "rcx", "r11", "memory");
}

/* What int 0x80 does here without any filter: 0 if it runs, or the signal. */
static int int80_bare(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		int80(0, -1);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

static void foreign_abis_kill(void **state)
{
	struct sv_notify_set set = { .defaults = true };
	int st, bare = int80_bare();

	(void)state;
	st = under_filter(&set, int80, -1);
	assert_true(WIFSIGNALED(st));
	if (bare == 0) {
		assert_int_equal(WTERMSIG(st), SIGSYS);	/* the filter's arch check */
	} else {
		/* Kernel built or booted without IA32 emulation (ia32_emulation=0):
		 * int 0x80 never reaches seccomp, the CPU fault kills first. */
		print_message("note: int 0x80 is disabled by this kernel (bare: signal %d); "
			      "the arch rule cannot be exercised here\n", bare);
		assert_int_equal(WTERMSIG(st), bare);
	}
	st = under_filter(&set, x32, -1);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
}

/*
 * The evaluator (bpf_eval.h) runs the exact program we load with
 * arch = AUDIT_ARCH_I386 for the one rule this machine's kernel cannot
 * exercise: the hypervisor turns IA-32 emulation off, so int 0x80 faults
 * before seccomp runs. The live tests above cover everything the kernel can
 * reach.
 */

static void evaluator_agrees_and_i386_kills(void **state)
{
	struct sv_notify_set set = { .defaults = true };
	struct sv_filter_opts o = { .supervisor = 4242, .set = &set };
	struct seccomp_data d = { .arch = AUDIT_ARCH_X86_64 };
	struct sock_fprog prog;

	(void)state;
	assert_int_equal(sv_filter_build(&o, &prog), 0);
	/* cross-check the evaluator on cases the kernel showed above */
	d.nr = SYS_getpid;
	assert_int_equal(bpf_eval(&prog, &d), SECCOMP_RET_ALLOW);
	d.nr = SYS_openat; d.args[2] = O_WRONLY;
	assert_int_equal(bpf_eval(&prog, &d), SECCOMP_RET_USER_NOTIF);
	d.args[2] = O_RDONLY;
	assert_int_equal(bpf_eval(&prog, &d), SECCOMP_RET_ALLOW);
	d.nr = SYS_kill; d.args[0] = 4242;
	assert_int_equal(bpf_eval(&prog, &d), SECCOMP_RET_ERRNO | EPERM);
	d.args[0] = 4243;
	assert_int_equal(bpf_eval(&prog, &d), SECCOMP_RET_USER_NOTIF);
	d.nr = SYS_io_uring_setup;
	assert_int_equal(bpf_eval(&prog, &d), SECCOMP_RET_ERRNO | ENOSYS);
	d.nr = SYS_getpid | 0x40000000;
	assert_int_equal(bpf_eval(&prog, &d), SECCOMP_RET_KILL_PROCESS);
	/* the i386 ABI: every call kills, whatever its number */
	d.arch = AUDIT_ARCH_I386;
	for (int nr = 0; nr < 450; nr++) {
		d.nr = nr;
		assert_int_equal(bpf_eval(&prog, &d), SECCOMP_RET_KILL_PROCESS);
	}
	sv_filter_free(&prog);
}

static void all_set_fits(void **state)
{
	struct sv_notify_set set = { .all = true };
	struct sv_filter_opts o = { .supervisor = 1, .set = &set };
	struct sock_fprog prog;

	(void)state;
	assert_int_equal(sv_filter_build(&o, &prog), 0);
	assert_true(prog.len > 100 && prog.len <= 4096);
	sv_filter_free(&prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_set_in_the_kernel),
		cmocka_unit_test(custom_set),
		cmocka_unit_test(foreign_abis_kill),
		cmocka_unit_test(all_set_fits),
		cmocka_unit_test(evaluator_agrees_and_i386_kills),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
