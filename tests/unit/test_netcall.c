// SPDX-License-Identifier: MIT
/*
 * Unit tests: socket calls performed by sisup (netcall.c, netdefer.c) with
 * real notifications. A child installs a filter with a listener for
 * connect/bind/sendto/sendmsg/sendmmsg, runs one scenario and writes what it
 * saw to a pipe; the test takes the listener with pidfd_getfd, prepares and
 * performs each call, answers, and compares with what the bare call gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netcall.h"
#include "netdefer.h"

static char dir[64];
static int port_open, port_closed, port_full, udp_port;
static int full_fds[3];
static int udp;

static void filter_self(int out)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_connect, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_bind, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sendto, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sendmsg, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_sendmmsg, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	int lfd;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	lfd = (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER,
			   SECCOMP_FILTER_FLAG_NEW_LISTENER | (1UL << 5) /* WAIT_KILLABLE_RECV */, &prog);
	if (write(out, &lfd, sizeof(lfd)) != sizeof(lfd))
		_exit(2);
}

__attribute__((noreturn, format(printf, 2, 3))) static void report(int out, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(out, buf, (size_t)n) != n)
		_exit(3);
	_exit(0);
}

static struct sockaddr_in lo(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void on_usr1(int s)
{
	(void)s;
}

/* The scenarios, run by the filtered child. */
enum sc { CONNECT_OK, CONNECT_REFUSED, CONNECT_NONBLOCK, BIND_PORT, UNIX_RELATIVE, ABSTRACT,
	  UDP_SENDTO, SCM_RIGHTS_FD, SENDMMSG_LEN, CONNECT_EINTR, CONNECT_KILLED };

static void scenario(enum sc sc, int out)
{
	int s, r;

	switch (sc) {
	case CONNECT_OK:
	case CONNECT_REFUSED: {
		struct sockaddr_in a = lo(sc == CONNECT_OK ? port_open : port_closed);

		s = socket(AF_INET, SOCK_STREAM, 0);
		r = connect(s, (void *)&a, sizeof(a));
		report(out, "%d %d", r, r < 0 ? errno : 0);
	}
	case CONNECT_NONBLOCK: {
		struct sockaddr_in a = lo(port_full);

		s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		r = connect(s, (void *)&a, sizeof(a));
		report(out, "%d %d", r, r < 0 ? errno : 0);
	}
	case BIND_PORT: {
		struct sockaddr_in a = lo(0);
		socklen_t l = sizeof(a);

		s = socket(AF_INET, SOCK_STREAM, 0);
		r = bind(s, (void *)&a, sizeof(a));
		getsockname(s, (void *)&a, &l);
		report(out, "%d %d", r, ntohs(a.sin_port) != 0);
	}
	case UNIX_RELATIVE: {
		struct sockaddr_un a = { .sun_family = AF_UNIX };
		char c = 0;

		if (chdir(dir) < 0)
			report(out, "chdir");
		strcpy(a.sun_path, "srv.sock");
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		r = connect(s, (void *)&a, sizeof(a));
		if (r == 0 && read(s, &c, 1) != 1)
			c = '?';
		report(out, "%d %c", r, c);
	}
	case ABSTRACT: {
		struct sockaddr_un a = { .sun_family = AF_UNIX };

		memcpy(a.sun_path, "\0sisup-test-abs", 15);
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		r = connect(s, (void *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 15));
		report(out, "%d %d", r, r < 0 ? errno : 0);
	}
	case UDP_SENDTO: {
		struct sockaddr_in a = lo(udp_port);

		s = socket(AF_INET, SOCK_DGRAM, 0);
		report(out, "%zd", sendto(s, "ping", 4, 0, (void *)&a, sizeof(a)));
	}
	case SCM_RIGHTS_FD: {
		int sp[2], p[2], got = -1;
		char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, data = 'x', text[8] = { 0 };
		struct iovec iov = { &data, 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				    .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0 || pipe(p) < 0 ||
		    write(p[1], "hello", 5) != 5)
			report(out, "setup");
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &p[0], sizeof(int));
		r = (int)sendmsg(sp[0], &m, 0);
		memset(cbuf, 0, sizeof(cbuf));
		if (recvmsg(sp[1], &m, 0) == 1 && (c = CMSG_FIRSTHDR(&m)))
			memcpy(&got, CMSG_DATA(c), sizeof(int));
		if (got < 0 || read(got, text, 5) != 5)
			text[0] = '\0';
		report(out, "%d %s", r, text);
	}
	case SENDMMSG_LEN: {
		struct sockaddr_in a = lo(udp_port);
		struct iovec iov[2] = { { (void *)"one", 3 }, { (void *)"three", 5 } };
		struct mmsghdr mm[2];

		memset(mm, 0, sizeof(mm));
		s = socket(AF_INET, SOCK_DGRAM, 0);
		connect(s, (void *)&a, sizeof(a)); /* notified too */
		for (int i = 0; i < 2; i++) {
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_len = 99;
		}
		r = sendmmsg(s, mm, 2, 0);
		report(out, "%d %u %u", r, mm[0].msg_len, mm[1].msg_len);
	}
	case CONNECT_EINTR:
	case CONNECT_KILLED: {
		struct sockaddr_in a = lo(port_full);
		struct sigaction sa = { .sa_handler = on_usr1 }; /* no SA_RESTART */

		sigaction(SIGUSR1, &sa, NULL);
		s = socket(AF_INET, SOCK_STREAM, 0);
		r = connect(s, (void *)&a, sizeof(a));
		report(out, "%d %d", r, r < 0 ? errno : 0);
	}
	}
	_exit(1);
}

struct run {
	pid_t pid;
	int out;	/* the child's reports */
	int listener;
	struct sv sv;
	struct sv_opts opts;
};

static void start(struct run *run, enum sc sc)
{
	int p[2], lfd = -1, pidfd;

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	run->pid = fork();
	assert_true(run->pid >= 0);
	if (run->pid == 0) {
		close(p[0]);
		filter_self(p[1]);
		scenario(sc, p[1]);
	}
	close(p[1]);
	run->out = p[0];
	assert_int_equal(read(p[0], &lfd, sizeof(lfd)), sizeof(lfd));
	assert_true(lfd >= 0);
	pidfd = (int)syscall(SYS_pidfd_open, run->pid, 0);
	assert_true(pidfd >= 0);
	run->listener = (int)syscall(SYS_pidfd_getfd, pidfd, lfd, 0);
	close(pidfd);
	assert_true(run->listener >= 0);
	memset(&run->sv, 0, sizeof(run->sv));
	run->sv.opts = &run->opts;
	run->sv.launch.listener = run->listener;
	run->sv.epfd = epoll_create1(EPOLL_CLOEXEC);
	assert_true(run->sv.epfd >= 0);
}

/* Receive one notification, perform it, answer (or let netdefer). */
/* @check: called between prepare and perform, where the policy decides. */
static struct sv_answer handle(struct run *run, void (*check)(const struct sv_netcall *))
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct sv_netcall nc;
	struct sv_answer ans;
	struct uw_mem *mem;
	int rc;

	memset(&req, 0, sizeof(req));
	assert_int_equal(ioctl(run->listener, SECCOMP_IOCTL_NOTIF_RECV, &req), 0);
	mem = uw_mem_new((pid_t)req.pid);
	assert_non_null(mem);
	rc = sv_net_prepare(&run->sv, &req, mem, &nc);
	uw_mem_free(mem);
	if (rc < 0) {
		sv_net_result(&ans, rc);
	} else {
		if (check)
			check(&nc);
		sv_net_perform(&run->sv, &req, &nc, &ans);
		sv_net_release(&nc);
	}
	if (ans.verdict != SV_ANSWERED) {
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		if (ans.verdict == SV_RETURN)
			resp.val = ans.val;
		else
			resp.error = -ans.error;
		assert_int_equal(ioctl(run->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
	}
	return ans;
}

/* The loop's part for deferred calls, until none is in flight. */
static void drain(struct run *run)
{
	while (sv_net_inflight(&run->sv) > 0) {
		struct epoll_event ev;

		if (epoll_wait(run->sv.epfd, &ev, 1, 1000) == 1) {
			assert_int_equal(ev.data.u32, SV_EPOLL_NET);
			sv_net_event(&run->sv);
		}
	}
}

static void finish(struct run *run, const char *want)
{
	char buf[256] = { 0 };
	int st;

	if (want) {
		assert_true(read(run->out, buf, sizeof(buf) - 1) > 0);
		assert_string_equal(buf, want);
	}
	waitpid(run->pid, &st, 0);
	sv_net_shutdown(&run->sv);
	close(run->out);
	close(run->listener);
	close(run->sv.epfd);
}

static void simple(enum sc sc, const char *want)
{
	struct run run;

	start(&run, sc);
	handle(&run, NULL);
	drain(&run);
	finish(&run, want);
}

static void connect_ok(void **state)
{
	char want[32];

	(void)state;
	simple(CONNECT_OK, "0 0");
	simple(CONNECT_REFUSED, (snprintf(want, sizeof(want), "-1 %d", ECONNREFUSED), want));
	simple(CONNECT_NONBLOCK, (snprintf(want, sizeof(want), "-1 %d", EINPROGRESS), want));
}

static void bind_port(void **state)
{
	(void)state;
	simple(BIND_PORT, "0 1");
}

static char want_path[PATH_MAX];

static void check_path(const struct sv_netcall *nc)
{
	/* The decision sees the canonical path. */
	assert_int_equal(nc->naddr, 1);
	assert_int_equal(nc->addr[0].obj.kind, POL_OBJ_UNIX);
	assert_false(nc->addr[0].obj.abstract);
	assert_string_equal(nc->addr[0].obj.path, want_path);
}

static void check_abstract(const struct sv_netcall *nc)
{
	assert_true(nc->addr[0].obj.abstract);
	assert_int_equal(nc->addr[0].obj.namelen, 14);
	assert_memory_equal(nc->addr[0].obj.name, "sisup-test-abs", 14);
}

static void unix_paths(void **state)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct run run;
	int l = socket(AF_UNIX, SOCK_STREAM, 0), la = socket(AF_UNIX, SOCK_STREAM, 0), c;

	(void)state;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/srv.sock", dir);
	assert_int_equal(bind(l, (void *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 4), 0);
	assert_non_null(realpath(a.sun_path, want_path));
	start(&run, UNIX_RELATIVE);
	handle(&run, check_path);
	drain(&run); /* a blocking connect: on a worker */
	c = accept(l, NULL, NULL);
	assert_true(c >= 0);
	assert_int_equal(write(c, "k", 1), 1);
	finish(&run, "0 k");
	close(c);
	close(l);

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, "\0sisup-test-abs", 15);
	assert_int_equal(bind(la, (void *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 15)), 0);
	assert_int_equal(listen(la, 4), 0);
	start(&run, ABSTRACT);
	handle(&run, check_abstract);
	drain(&run);
	finish(&run, "0 0");
	close(la);
}

static void sends(void **state)
{
	char buf[16] = { 0 };
	struct run run;

	(void)state;
	simple(UDP_SENDTO, "4");
	assert_int_equal(recv(udp, buf, sizeof(buf), MSG_DONTWAIT), 4);
	assert_memory_equal(buf, "ping", 4);

	simple(SCM_RIGHTS_FD, "1 hello");

	start(&run, SENDMMSG_LEN);
	handle(&run, NULL); /* connect */
	handle(&run, NULL); /* sendmmsg */
	finish(&run, "2 3 5");
	assert_int_equal(recv(udp, buf, sizeof(buf), MSG_DONTWAIT), 3);
	assert_int_equal(recv(udp, buf, sizeof(buf), MSG_DONTWAIT), 5);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static void blocking_connect(void **state)
{
	struct sv_answer ans;
	struct run run;
	char want[32];
	int before;

	(void)state;
	/* A signal the caller handles: EINTR, as the bare call gives. */
	start(&run, CONNECT_EINTR);
	ans = handle(&run, NULL);
	assert_int_equal(ans.verdict, SV_ANSWERED);
	assert_int_equal(sv_net_inflight(&run.sv), 1);
	kill(run.pid, SIGUSR1);
	drain(&run);
	snprintf(want, sizeof(want), "-1 %d", EINTR);
	finish(&run, want);

	/* The caller killed: the worker is interrupted, nothing leaks. */
	before = count_fds();
	start(&run, CONNECT_KILLED);
	ans = handle(&run, NULL);
	assert_int_equal(ans.verdict, SV_ANSWERED);
	kill(run.pid, SIGKILL);
	drain(&run);
	assert_int_equal(run.sv.stats.abandoned, 1);
	finish(&run, NULL);
	assert_int_equal(count_fds(), before);
}

static int listener(int type, int backlog, int *port)
{
	struct sockaddr_in a = lo(0);
	socklen_t l = sizeof(a);
	int s = socket(AF_INET, type, 0);

	bind(s, (void *)&a, sizeof(a));
	if (type == SOCK_STREAM)
		listen(s, backlog);
	getsockname(s, (void *)&a, &l);
	*port = ntohs(a.sin_port);
	return s;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connect_ok),
		cmocka_unit_test(bind_port),
		cmocka_unit_test(unix_paths),
		cmocka_unit_test(sends),
		cmocka_unit_test(blocking_connect),
	};
	int closed, full;

	snprintf(dir, sizeof(dir), "/tmp/sisup-netcall-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	listener(SOCK_STREAM, 16, &port_open);
	closed = listener(SOCK_STREAM, 0, &port_closed);
	close(closed); /* nothing listens there now */
	/* A listener whose queue is full: further SYNs are dropped and a
	 * blocking connect waits (offline, deterministic). */
	full = listener(SOCK_STREAM, 0, &port_full);
	for (int i = 0; i < 3; i++) {
		struct sockaddr_in a = lo(port_full);

		full_fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(full_fds[i], (void *)&a, sizeof(a));
	}
	(void)full;
	udp = listener(SOCK_DGRAM, 0, &udp_port);
	signal(SIGPIPE, SIG_IGN);
	{
		int rc = cmocka_run_group_tests(tests, NULL, NULL);
		char p[128];

		snprintf(p, sizeof(p), "%s/srv.sock", dir);
		unlink(p);
		rmdir(dir);
		return rc;
	}
}
