// SPDX-License-Identifier: MIT
/*
 * timer CALLS - a 1 ms SIGALRM interval timer with an SA_RESTART handler fires
 * while the program makes CALLS notified syscalls. Bare, none of them can
 * fail with EINTR (SA_RESTART restarts them); under sisup they must not
 * either, and the loop must finish (no livelock of abandoned and re-raised
 * notifications). Prints the counts; exits 0 when every call succeeded and
 * the timer really fired during the calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 5000;
	struct sigaction sa;
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	int eintr = 0, other = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0 || setitimer(ITIMER_REAL, &it, NULL) < 0)
		return 1;
	for (int i = 0; i < calls; i++) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY | O_CLOEXEC);

		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (errno == EINTR)
			eintr++;
		else
			other++;
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	printf("calls %d eintr %d other %d ticks %d\n", calls, eintr, other, (int)ticks);
	return eintr || other || ticks == 0 ? 2 : 0;
}
