// SPDX-License-Identifier: MIT
/*
 * Unit tests: the cancellable RECV of the event loop (kickrecv.c) on a real
 * listener. A child installs a filter that notifies getppid() and hands the
 * listener over a socket (SCM_RIGHTS); it calls getppid() when told to.
 * The kick is SIGURG with SA_RESTART, as in loop.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kickrecv.h"

static int listener = -1, cmd = -1;	/* cmd: a byte makes the child call getppid() */
static pid_t child;
static atomic_int pending;

static void on_kick(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	sv_kick_cancel_recv(uc);
}

static void child_main(int sock)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 }, c = 'L';
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			     .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	int lfd;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	lfd = (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			   &prog);
	if (lfd < 0)
		_exit(2);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &lfd, sizeof(int));
	if (sendmsg(sock, &mh, 0) != 1)
		_exit(3);
	close(lfd);
	while (read(sock, &c, 1) == 1)
		syscall(__NR_getppid); /* notified; answered by the test */
	_exit(0);
}

static int setup(void **state)
{
	int sv[2];
	char ctl[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			     .msg_controllen = sizeof(ctl) };
	struct sigaction sa;

	(void)state;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		close(sv[0]);
		child_main(sv[1]);
	}
	close(sv[1]);
	cmd = sv[0];
	if (recvmsg(cmd, &mh, 0) != 1 || !CMSG_FIRSTHDR(&mh))
		return -1;
	memcpy(&listener, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_kick;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGURG, &sa, NULL);
}

static int teardown(void **state)
{
	int st;

	(void)state;
	close(cmd);
	close(listener);
	waitpid(child, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static long recv_one(struct seccomp_notif *req)
{
	memset(req, 0, sizeof(*req));
	return sv_recv_cancellable(listener, req, &pending);
}

/* A flag already raised: no wait at all. */
static void pending_flag_cancels(void **state)
{
	struct seccomp_notif req;

	(void)state;
	atomic_store(&pending, 1);
	assert_int_equal(recv_one(&req), -EINTR);
	atomic_store(&pending, 0);
}

struct kicker {
	pthread_t target;
	long delay_ns;
	bool raise_flag;
};

static void *kick_main(void *arg)
{
	struct kicker *k = arg;
	struct timespec ts = { 0, k->delay_ns };

	nanosleep(&ts, NULL);
	if (k->raise_flag)
		atomic_store(&pending, 1);
	pthread_kill(k->target, SIGURG);
	return NULL;
}

/* A kick during the blocking wait cancels it, although SA_RESTART would
 * have restarted a plain ioctl (what the stub exists for). */
static void kick_cancels_wait(void **state)
{
	struct kicker k = { pthread_self(), 50 * 1000 * 1000, false };
	struct seccomp_notif req;
	pthread_t th;

	(void)state;
	alarm(10); /* a wait that is not cancelled fails the test, not hangs it */
	assert_int_equal(pthread_create(&th, NULL, kick_main, &k), 0);
	assert_int_equal(recv_one(&req), -EINTR);
	pthread_join(th, NULL);
	alarm(0);
}

/* Flag then kick at every moment around the call, as the waker does: each
 * call returns -EINTR; with the kick blocked outside the ioctl (the loop
 * before) some of these were lost and the call blocked. */
static void no_kick_is_lost(void **state)
{
	struct seccomp_notif req;

	(void)state;
	alarm(20);
	for (int i = 0; i < 3000; i++) {
		struct kicker k = { pthread_self(), (i % 60) * 1000, true };
		pthread_t th;

		atomic_store(&pending, 0);
		assert_int_equal(pthread_create(&th, NULL, kick_main, &k), 0);
		assert_int_equal(recv_one(&req), -EINTR);
		pthread_join(th, NULL);
	}
	atomic_store(&pending, 0);
	alarm(0);
}

/* A notification is received and answered; a kick after it does not undo
 * the receipt. */
static void notification_received(void **state)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	(void)state;
	alarm(10);
	assert_int_equal(write(cmd, "x", 1), 1);
	assert_int_equal(recv_one(&req), 0);
	assert_int_equal(req.data.nr, __NR_getppid);
	assert_int_equal((pid_t)req.pid, child);
	pthread_kill(pthread_self(), SIGURG); /* handled here, outside the stub */
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	assert_int_equal(ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
	alarm(0);
}

/* Elsewhere the kick restarts what it interrupted: a blocking read gets its
 * data, not EINTR. */
static int late_fd;

static void *late_writer(void *arg)
{
	struct timespec ts = { 0, 80 * 1000 * 1000 };

	(void)arg;
	nanosleep(&ts, NULL); /* after the kick (30 ms) has landed */
	if (write(late_fd, "y", 1) != 1)
		abort();
	return NULL;
}

static void kick_elsewhere_restarts(void **state)
{
	struct kicker k = { pthread_self(), 30 * 1000 * 1000, false };
	int p[2];
	char c = 0;
	pthread_t th, wr;

	(void)state;
	assert_int_equal(pipe(p), 0);
	late_fd = p[1];
	alarm(10);
	assert_int_equal(pthread_create(&th, NULL, kick_main, &k), 0);
	assert_int_equal(pthread_create(&wr, NULL, late_writer, NULL), 0);
	assert_int_equal(read(p[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	pthread_join(th, NULL);
	pthread_join(wr, NULL);
	alarm(0);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pending_flag_cancels),
		cmocka_unit_test(kick_cancels_wait),
		cmocka_unit_test(no_kick_is_lost),
		cmocka_unit_test(notification_received),
		cmocka_unit_test(kick_elsewhere_restarts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
