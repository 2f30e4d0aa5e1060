// SPDX-License-Identifier: MIT
/*
 * attack_int80 - make an i386 system call (int $0x80, getpid = 20) from a
 * 64-bit process. sisup's filter must kill the whole process with SIGSYS
 * before the call runs.
 *
 *   attack_int80            from the main thread
 *   attack_int80 thread     from a second thread (the whole process must die)
 *   attack_int80 fork       from a forked child; the parent reports how the
 *                           child ended and exits 0
 *
 * Output: "BEFORE", then (only if the call returned) "AFTER ret=N".
 * Bare (no sisup, IA32 emulation enabled) it prints AFTER ret=<pid>.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static long int80_getpid(void)
{
	long ret = 20; /* __NR_getpid in the i386 table */

	/* int $0x80 clobbers r8-r11 on the way back (they are not saved for
	 * compat calls on all kernels); list them. */
	__asm__ volatile("int $0x80" : "+a"(ret) : : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static void attack(void)
{
	long ret;

	printf("BEFORE\n");
	fflush(stdout);
	ret = int80_getpid();
	printf("AFTER ret=%ld\n", ret);
	fflush(stdout);
}

static void *thread_main(void *arg)
{
	(void)arg;
	attack();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "main";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(mode, "main") == 0) {
		attack();
		return 0;
	}
	if (strcmp(mode, "thread") == 0) {
		pthread_t t;
		int rc = pthread_create(&t, NULL, thread_main, NULL);

		if (rc != 0) {
			printf("pthread_create: %s\n", strerrorname_np(rc));
			return 2;
		}
		pthread_join(t, NULL);
		/* Only reached when the process survived the attack. */
		printf("MAIN-SURVIVED\n");
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
	fprintf(stderr, "usage: attack_int80 [main|thread|fork]\n");
	return 2;
}
