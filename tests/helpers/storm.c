// SPDX-License-Identifier: MIT
/*
 * storm THREADS CALLS - every thread makes CALLS notified syscalls (O_WRONLY
 * opens of /dev/null) and checks each result. Prints "tid N ok" per thread;
 * exits 0 only if every call succeeded. The test counts the answers per tid
 * in sisup's JSON log: exactly CALLS each, none lost, none duplicated.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static int calls;
static pthread_barrier_t start;
static pthread_mutex_t out = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	long failures = 0;

	(void)arg;
	pthread_barrier_wait(&start); /* all threads hammer the listener at once */
	for (int i = 0; i < calls; i++) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY | O_CLOEXEC);

		if (fd < 0) {
			failures++;
			continue;
		}
		close(fd);
	}
	pthread_mutex_lock(&out);
	printf("tid %ld %d %s\n", (long)syscall(SYS_gettid), calls - (int)failures,
	       failures ? "FAIL" : "ok");
	pthread_mutex_unlock(&out);
	return (void *)failures;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 64;
	pthread_t *t;
	long bad = 0;

	calls = argc > 2 ? atoi(argv[2]) : 1000;
	if (n <= 0 || calls <= 0)
		return 64;
	t = calloc((size_t)n, sizeof(*t));
	if (!t || pthread_barrier_init(&start, NULL, (unsigned)n) != 0)
		return 1;
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			return 2;
	for (int i = 0; i < n; i++) {
		void *r;

		pthread_join(t[i], &r);
		bad += (long)r;
	}
	fflush(stdout);
	return bad ? 3 : 0;
}
