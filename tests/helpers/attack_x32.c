// SPDX-License-Identifier: MIT
/*
 * attack_x32 - make an x32 system call: the native `syscall` instruction
 * with rax = 39 (getpid) | 0x40000000 (__X32_SYSCALL_BIT). The x32 ABI shares
 * AUDIT_ARCH_X86_64 with the native one, so only the marker bit tells it
 * apart; sisup's filter must kill the process with SIGSYS.
 *
 *   attack_x32          from the main thread
 *   attack_x32 fork     from a forked child; the parent reports its end
 *
 * Output: "BEFORE", then (only if the call returned) "AFTER ret=N".
 * Bare: ret=-38 (ENOSYS) on kernels without CONFIG_X86_X32_ABI, the pid on
 * kernels with it.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define X32_BIT 0x40000000L

static long x32_getpid(void)
{
	long ret = X32_BIT | 39;

	__asm__ volatile("syscall" : "+a"(ret) : : "rcx", "r11", "memory");
	return ret;
}

static void attack(void)
{
	long ret;

	printf("BEFORE\n");
	fflush(stdout);
	ret = x32_getpid();
	printf("AFTER ret=%ld\n", ret);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "main";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(mode, "main") == 0) {
		attack();
		return 0;
	}
	if (strcmp(mode, "fork") == 0) {
		int st;
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0) {
			attack();
			_exit(0);
		}
		if (waitpid(pid, &st, 0) < 0) {
			perror("waitpid");
			return 2;
		}
		if (WIFSIGNALED(st))
			printf("CHILD signal=%s\n", sigabbrev_np(WTERMSIG(st)));
		else
			printf("CHILD exit=%d\n", WEXITSTATUS(st));
		return 0;
	}
	fprintf(stderr, "usage: attack_x32 [main|fork]\n");
	return 2;
}
