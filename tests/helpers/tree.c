// SPDX-License-Identifier: MIT
/*
 * tree - process-tree workloads for the end-to-end tests. Every created task
 * makes one notified syscall (an O_WRONLY open of /dev/null) and reports.
 *
 *   tree fork N      N children via fork(); child i exits with i
 *   tree vfork       vfork() + execve("/bin/true")
 *   tree clone       a process via clone() on its own stack
 *   tree threads N   N pthreads
 *   tree odd-threads two threads by raw clone(CLONE_THREAD): one with exit
 *                    signal SIGCHLD (ptrace reports a FORK), one with
 *                    CLONE_VFORK (a VFORK)
 *   tree exec-chain  execve itself down a chain of 3 steps, then exit 4
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int notified(void)
{
	int fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int do_fork(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0)
			_exit(notified() == 0 ? i : 100);
	}
	for (int i = 0; i < n; i++) {
		int st;
		pid_t p = wait(&st);

		if (p < 0 || !WIFEXITED(st) || WEXITSTATUS(st) >= 100)
			return 2;
	}
	printf("fork %d ok\n", n);
	return 0;
}

static int do_vfork(void)
{
	int st;
	pid_t p = vfork();

	if (p == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 2;
	printf("vfork ok\n");
	return 0;
}

static int clone_child(void *arg)
{
	(void)arg;
	return notified() == 0 ? 9 : 100;
}

static int do_clone(void)
{
	size_t sz = 256 * 1024;
	char *stack = malloc(sz);
	int st;
	pid_t p;

	if (!stack)
		return 1;
	p = clone(clone_child, stack + sz, SIGCHLD, NULL);
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 9)
		return 2;
	free(stack);
	printf("clone ok\n");
	return 0;
}

static void *thread_fn(void *arg)
{
	(void)arg;
	return (void *)(long)notified();
}

static int do_threads(int n)
{
	pthread_t *t = calloc((size_t)n, sizeof(*t));

	if (!t)
		return 1;
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, thread_fn, NULL) != 0)
			return 2;
	for (int i = 0; i < n; i++) {
		void *r;

		if (pthread_join(t[i], &r) != 0 || r != NULL)
			return 3;
	}
	free(t);
	printf("threads %d ok\n", n);
	return 0;
}

static volatile int odd_result;

static int odd_fn(void *arg)
{
	(void)arg;
	odd_result = notified() == 0 ? 1 : -1;
	return 0; /* glibc's clone() ends a CLONE_THREAD child with exit(), not exit_group() */
}

/* One thread by clone() with @extra flags; waits for it to be gone (the
 * kernel clears the tid word at its exit: CLONE_CHILD_CLEARTID). */
static int odd_thread(int extra)
{
	size_t sz = 256 * 1024;
	char *stack = malloc(sz);
	static volatile pid_t ctid;
	int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
		    CLONE_CHILD_CLEARTID | extra;

	if (!stack)
		return 1;
	odd_result = 0;
	ctid = 1;
	if (clone(odd_fn, stack + sz, flags, NULL, NULL, NULL, &ctid) < 0)
		return 2;
	while (ctid != 0)
		syscall(SYS_futex, &ctid, 0 /* FUTEX_WAIT */, 1, NULL, NULL, 0);
	free(stack);
	return odd_result == 1 ? 0 : 3;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "odd-threads") == 0) {
		int rc = odd_thread(SIGCHLD);

		if (rc == 0)
			rc = odd_thread(CLONE_VFORK);
		if (rc == 0)
			printf("odd-threads ok\n");
		return rc;
	}
	if (argc >= 2 && strcmp(argv[1], "fork") == 0)
		return do_fork(argc > 2 ? atoi(argv[2]) : 4);
	if (argc >= 2 && strcmp(argv[1], "vfork") == 0)
		return do_vfork();
	if (argc >= 2 && strcmp(argv[1], "clone") == 0)
		return do_clone();
	if (argc >= 2 && strcmp(argv[1], "threads") == 0)
		return do_threads(argc > 2 ? atoi(argv[2]) : 4);
	if (argc >= 2 && strcmp(argv[1], "exec-chain") == 0) {
		int left = argc > 2 ? atoi(argv[2]) : 3;
		char buf[16];

		if (left == 0)
			return 4;
		snprintf(buf, sizeof(buf), "%d", left - 1);
		execl("/proc/self/exe", argv[0], "exec-chain", buf, (char *)NULL);
		return 5;
	}
	fprintf(stderr, "usage: tree fork N|vfork|clone|threads N|exec-chain [N]\n");
	return 64;
}
