// SPDX-License-Identifier: MIT
/*
 * Unit tests: supervisor/bpfsim.c, the classic BPF interpreter restart.c uses
 * to tell which calls sisup's filter notifies.
 *
 * Agreement with the kernel: programs that compute a value from the syscall's
 * number and arguments with every ALU operation, the scratch memory and every
 * jump, and return SECCOMP_RET_ERRNO | (value & 0xfff), are loaded in a forked
 * child; the errno the kernel gives each probe call must be what the
 * interpreter computes. Then the refusals: what the kernel would not load or
 * run ends in SECCOMP_RET_KILL_PROCESS.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "bpfsim.h"

#define OFF_NR offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
#define OFF_ARG(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define S(code, k) BPF_STMT(code, k)
#define J(code, k, t, f) BPF_JUMP(code, k, t, f)

/* Only calls with no effect reach the value part: getppid with junk
 * arguments (ignored by the kernel) is the probe; everything else (write to
 * the pipe, exit) is allowed first. */
#define PROLOGUE                                                  \
	S(BPF_LD | BPF_W | BPF_ABS, OFF_NR),                               \
	J(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 1, 0),                  \
	S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

/* value = ((nr + a0) ^ a1) * 3 - a2, then shifts, or/and, div, sub, neg */
static const struct sock_filter alu_prog[] = {
	PROLOGUE,
	S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(0)),
	S(BPF_ST, 0),
	S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(1)),
	S(BPF_ST, 1),
	S(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
	S(BPF_LDX | BPF_MEM, 0),
	S(BPF_ALU | BPF_ADD | BPF_X, 0),
	S(BPF_LDX | BPF_MEM, 1),
	S(BPF_ALU | BPF_XOR | BPF_X, 0),
	S(BPF_ALU | BPF_MUL | BPF_K, 3),
	S(BPF_ST, 2),
	S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(2)),
	S(BPF_MISC | BPF_TAX, 0),
	S(BPF_LD | BPF_MEM, 2),
	S(BPF_ALU | BPF_SUB | BPF_X, 0),
	S(BPF_ALU | BPF_LSH | BPF_K, 3),
	S(BPF_ALU | BPF_RSH | BPF_K, 1),
	S(BPF_ALU | BPF_OR | BPF_K, 0x5),
	S(BPF_ALU | BPF_AND | BPF_K, 0xfffff),
	S(BPF_ALU | BPF_DIV | BPF_K, 7),
	S(BPF_STX, 3),
	S(BPF_LDX | BPF_IMM, 1000),
	S(BPF_ALU | BPF_SUB | BPF_X, 0),
	S(BPF_ALU | BPF_NEG, 0),
	S(BPF_ALU | BPF_AND | BPF_K, 0xfff),
	S(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
	S(BPF_RET | BPF_A, 0),
};

/* jumps: a small decision tree over arg3 (high word too) with JGT, JGE,
 * JSET, JEQ on K and X, and a JA. */
static const struct sock_filter jump_prog[] = {
	PROLOGUE,
	S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(3) + 4),
	J(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
	S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
	S(BPF_LD | BPF_W | BPF_ABS, OFF_ARG(3)),
	S(BPF_LDX | BPF_IMM, 100),
	J(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 2),
	J(BPF_JMP | BPF_JSET | BPF_K, 0x10, 0, 1),
	S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 2),
	J(BPF_JMP | BPF_JGE | BPF_K, 50, 0, 2),
	S(BPF_JMP | BPF_JA, 3),
	S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 99), /* skipped by JA */
	J(BPF_JMP | BPF_JEQ | BPF_X, 0, 2, 0),
	S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 3),
	S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 98),
	S(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 4),
	S(BPF_LD | BPF_W | BPF_LEN, 0),
	S(BPF_ALU | BPF_ADD | BPF_K, 0), /* never reached for arg3 != 100 */
	S(BPF_RET | BPF_A, 0),
};

static const uint64_t probes[][4] = {
	{ 0, 0, 0, 0 }, { 1, 2, 3, 4 }, { 0xdeadbeef, 0x1234, 77, 17 },
	{ 0xffffffffULL, 0xfffffff0ULL, 0xffffffffULL, 49 }, { 5, 6, 7, 50 },
	{ 9, 9, 9, 60 }, { 1, 1, 1, 100 }, { 3, 3, 3, 116 }, { 3, 3, 3, 101 },
	{ 0x100000000ULL, 0, 0, 0x100000000ULL }, { 42, 4242, 424242, 0x7fffffffULL },
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

/* The errno (or 0) the kernel gives each probe under @prog. */
static void kernel_results(const struct sock_filter *insns, size_t n, long out[NPROBES])
{
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = (struct sock_filter *)insns };
	int p[2];
	pid_t pid;
	int st;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		long res[NPROBES];

		close(p[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(2);
		for (size_t i = 0; i < NPROBES; i++) {
			long rc = syscall(__NR_getppid, probes[i][0], probes[i][1], probes[i][2],
					  probes[i][3], 0, 0);

			res[i] = rc < 0 ? errno : 0;
		}
		_exit(write(p[1], res, sizeof(res)) == (ssize_t)sizeof(res) ? 0 : 3);
	}
	close(p[1]);
	assert_int_equal(read(p[0], out, sizeof(long) * NPROBES), (ssize_t)(sizeof(long) * NPROBES));
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void agrees(const struct sock_filter *insns, size_t n)
{
	long kern[NPROBES];

	kernel_results(insns, n, kern);
	for (size_t i = 0; i < NPROBES; i++) {
		struct seccomp_data d = { .nr = __NR_getppid, .arch = AUDIT_ARCH_X86_64 };
		uint32_t act;

		memcpy(d.args, probes[i], sizeof(probes[i]));
		act = sv_bpf_run(insns, n, &d);
		assert_int_equal(act & SECCOMP_RET_ACTION_FULL, SECCOMP_RET_ERRNO);
		/* errno 0 from RET_ERRNO means "return 0" */
		assert_int_equal((long)(act & SECCOMP_RET_DATA), kern[i]);
	}
}

static void alu_agrees_with_kernel(void **state)
{
	(void)state;
	agrees(alu_prog, sizeof(alu_prog) / sizeof(alu_prog[0]));
}

static void jumps_agree_with_kernel(void **state)
{
	(void)state;
	agrees(jump_prog, sizeof(jump_prog) / sizeof(jump_prog[0]));
}

static uint32_t run1(const struct sock_filter *insns, size_t n)
{
	struct seccomp_data d = { .nr = 1, .arch = AUDIT_ARCH_X86_64 };

	return sv_bpf_run(insns, n, &d);
}

static void refusals_kill(void **state)
{
	const struct sock_filter off_end[] = { S(BPF_LD | BPF_W | BPF_ABS, OFF_NR) };
	const struct sock_filter unaligned[] = { S(BPF_LD | BPF_W | BPF_ABS, 2),
						 S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	const struct sock_filter beyond[] = { S(BPF_LD | BPF_W | BPF_ABS, sizeof(struct seccomp_data)),
					      S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	const struct sock_filter huge[] = { S(BPF_LD | BPF_W | BPF_ABS, 0xfffffffcu),
					    S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	const struct sock_filter half[] = { S(BPF_LD | BPF_H | BPF_ABS, 0),
					    S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	const struct sock_filter div0[] = { S(BPF_LDX | BPF_IMM, 0), S(BPF_ALU | BPF_DIV | BPF_X, 0),
					    S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	const struct sock_filter mem[] = { S(BPF_LD | BPF_MEM, BPF_MEMWORDS),
					   S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	const struct sock_filter ja_out[] = { S(BPF_JMP | BPF_JA, 5), S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	const struct sock_filter jmp_out[] = { S(BPF_LD | BPF_W | BPF_ABS, OFF_NR),
					       J(BPF_JMP | BPF_JEQ | BPF_K, 1, 7, 0),
					       S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	/* seccomp refuses BPF_MOD (seccomp_check_filter): so does the interpreter */
	const struct sock_filter mod[] = { S(BPF_LDX | BPF_IMM, 3), S(BPF_ALU | BPF_MOD | BPF_X, 0),
					   S(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog modprog = { .len = 3, .filter = (struct sock_filter *)mod };
	const struct sock_filter last_ok[] = { S(BPF_LD | BPF_W | BPF_ABS, OFF_ARCH),
					       S(BPF_RET | BPF_A, 0) };

	(void)state;
	assert_int_equal(run1(off_end, 1), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run1(unaligned, 2), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run1(beyond, 2), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run1(huge, 2), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run1(half, 2), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run1(div0, 3), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run1(mem, 2), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run1(ja_out, 2), SECCOMP_RET_KILL_PROCESS);
	/* a conditional jump past the end runs off it */
	assert_int_equal(run1(jmp_out, 3), SECCOMP_RET_KILL_PROCESS);
	assert_int_equal(run1(mod, 3), SECCOMP_RET_KILL_PROCESS);
	{
		pid_t pid = fork();
		int st;

		assert_true(pid >= 0);
		if (pid == 0) {
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
				_exit(2);
			_exit(syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &modprog) < 0 &&
			      errno == EINVAL ? 0 : 1);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(run1(last_ok, 2), AUDIT_ARCH_X86_64);
	assert_int_equal(sv_bpf_run(NULL, 0, &(struct seccomp_data){ 0 }), SECCOMP_RET_KILL_PROCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alu_agrees_with_kernel),
		cmocka_unit_test(jumps_agree_with_kernel),
		cmocka_unit_test(refusals_kill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
