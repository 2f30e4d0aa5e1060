// SPDX-License-Identifier: MIT
/*
 * notify_floor.c - the floor under sisup's decision cost: what one seccomp
 * user-notification round trip costs when the supervisor does nothing but
 * answer CONTINUE.
 *
 * A supervisor process (the parent) and a target process (the child), like
 * sisup and the program it runs. The child first times openat("/dev/null",
 * O_WRONLY) + close with no filter (bare), then installs a filter that sends
 * openat, and only openat, to a listener (NEW_LISTENER, plus
 * WAIT_KILLABLE_RECV when the kernel has it, as sisup does), hands the
 * listener to the parent over a unix socket (sendmsg is not notified, so the
 * hand-over cannot deadlock), and times the same pair again. The parent turns
 * on SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP when the kernel has it (6.6+; sisup
 * does too) and answers every notification with CONTINUE from a blocking
 * RECV: no epoll, no stack reading, no bookkeeping.
 *
 * Two options make the supervisor also make the system calls sisup makes for
 * one steady-state decision (seen with strace on sisup, Python 3.11, stack
 * depth 50), to tell where sisup's time goes: -m reads the target's memory as
 * the stack walk does (one process_vm_readv: the thread state's 1,280 bytes,
 * 1 KiB around the C frame, 16 KiB of the data-stack chunk and 3 x 144 bytes
 * of code-object headers; two calls, the headers in the second, until
 * 2026-11-29) and checks SECCOMP_IOCTL_NOTIF_ID_VALID. What sisup costs beyond -m is its own
 * user-space work. -e waits in epoll_wait before each RECV, as sisup's event
 * loop did before 2026-11-29 (it loses the same-CPU wake-up).
 *
 * Usage: notify_floor [-e] [-m] [-n CALLS] [-r ROUNDS] [-s SUPERVISOR_CPU] [-t TARGET_CPU]
 * Prints one line of JSON: medians over ROUNDS batches of CALLS calls, in
 * microseconds per call, and their difference, the round trip.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5) /* 5.19 */
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64) /* 6.6 */
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

#define MAX_ROUNDS 101

/* What the model's supervisor reads: in the target, at the same address in
 * both processes (fork without exec). */
static char target_mem[1280 + 1024 + 16384 + 3 * 144];

static void die(const char *what)
{
	fprintf(stderr, "notify_floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		die("sched_setaffinity");
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Microseconds per openat+close pair, median of @rounds batches. */
static double time_pairs(long calls, int rounds)
{
	double per[MAX_ROUNDS];

	for (int r = 0; r < rounds; r++) {
		double t0 = now_us();

		for (long i = 0; i < calls; i++) {
			/* the raw syscall: glibc's open() is openat too, but be exact */
			long fd = syscall(__NR_openat, AT_FDCWD, "/dev/null", O_WRONLY | O_CLOEXEC);

			if (fd < 0)
				die("openat");
			close((int)fd);
		}
		per[r] = (now_us() - t0) / calls;
	}
	return median(per, rounds);
}

static int install_filter(unsigned int *flags_used)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
	unsigned int flags = SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	long fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("PR_SET_NO_NEW_PRIVS");
	fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (fd < 0 && errno == EINVAL) { /* before 5.19 */
		flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	}
	if (fd < 0)
		die("seccomp(NEW_LISTENER)");
	*flags_used = flags;
	return (int)fd;
}

static void send_fd(int sock, int fd)
{
	char buf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'L';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = buf, .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1)
		die("sendmsg");
}

static int recv_fd(int sock)
{
	char buf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = buf, .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		die("recvmsg");
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		die("no descriptor received");
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

struct answerer {
	int listener;
	long answered;
	int epoll;	/* -e: epoll_wait before each RECV */
	int model;	/* -m: the stack walk's reads and ID_VALID */
	pid_t target;
	int epfd;
};

/* sisup's reads for one decision (see the header comment); errors do not
 * matter, the cost does. */
static void model_reads(pid_t pid)
{
	static char buf[sizeof(target_mem)];
	char *t = target_mem;
	struct iovec l[6] = { { buf, 1280 }, { buf + 1280, 1024 }, { buf + 2304, 16384 } };
	struct iovec r[6] = { { t, 1280 }, { t + 1280, 1024 }, { t + 2304, 16384 } };

	for (int i = 0; i < 3; i++) {
		l[3 + i] = (struct iovec){ buf + 18688 + i * 144, 144 };
		r[3 + i] = (struct iovec){ t + 18688 + i * 144, 144 };
	}
	process_vm_readv(pid, l, 6, r, 6, 0);
}

/* The whole supervisor: a blocking RECV and a CONTINUE, for ever. The main
 * thread ends the process when the child has exited. */
static void *answer_loop(void *arg)
{
	struct answerer *a = arg;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	for (;;) {
		if (a->epoll) {
			struct epoll_event ev;

			if (epoll_wait(a->epfd, &ev, 1, -1) < 0)
				continue;
		}
		memset(&req, 0, sizeof(req));
		if (ioctl(a->listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue; /* ENOENT: the caller went away meanwhile */
			return NULL;
		}
		if (a->model) {
			model_reads(a->target);
			ioctl(a->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id);
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(a->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
			a->answered++;
	}
}

int main(int argc, char **argv)
{
	long calls = 20000;
	int rounds = 7, sup_cpu = -1, tgt_cpu = -1, use_epoll = 0, model = 0, opt, sv[2], status;
	pid_t child;

	while ((opt = getopt(argc, argv, "emn:r:s:t:")) != -1) {
		switch (opt) {
		case 'e': use_epoll = 1; break;
		case 'm': model = 1; break;
		case 'n': calls = atol(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		case 's': sup_cpu = atoi(optarg); break;
		case 't': tgt_cpu = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-e] [-m] [-n CALLS] [-r ROUNDS] [-s CPU] [-t CPU]\n", argv[0]);
			return 2;
		}
	}
	if (calls < 1 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "notify_floor: bad -n or -r\n");
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	fflush(stdout);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		unsigned int flags = 0;
		double bare, notified;
		char go;
		int listener;

		close(sv[0]);
		pin(tgt_cpu);
		memset(target_mem, 1, sizeof(target_mem)); /* resident, like a live stack */
		time_pairs(calls / 10 + 1, 1); /* warm up */
		bare = time_pairs(calls, rounds);
		listener = install_filter(&flags);
		send_fd(sv[1], listener);
		close(listener); /* the supervisor holds the only copy */
		if (read(sv[1], &go, 1) != 1) /* the supervisor is ready */
			die("read");
		time_pairs(calls / 10 + 1, 1);
		notified = time_pairs(calls, rounds);
		printf("{\"calls\": %ld, \"rounds\": %d, \"bare_us\": %.4f, \"notified_us\": %.4f, "
		       "\"roundtrip_us\": %.4f, \"killable_wait\": %s",
		       calls, rounds, bare, notified, notified - bare,
		       flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ? "true" : "false");
		fflush(stdout);
		_exit(0);
	} else {
		struct answerer a = { .listener = -1, .epoll = use_epoll, .model = model,
					  .target = child, .epfd = -1 };
		__u64 wake = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
		pthread_t th;
		int sync;

		close(sv[1]);
		pin(sup_cpu);
		a.listener = recv_fd(sv[0]);
		sync = ioctl(a.listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, wake) == 0;
		if (use_epoll) {
			struct epoll_event ev = { .events = EPOLLIN };

			a.epfd = epoll_create1(EPOLL_CLOEXEC);
			if (a.epfd < 0 || epoll_ctl(a.epfd, EPOLL_CTL_ADD, a.listener, &ev) < 0)
				die("epoll");
		}
		if ((errno = pthread_create(&th, NULL, answer_loop, &a)) != 0)
			die("pthread_create");
		if (write(sv[0], "g", 1) != 1)
			die("write");
		if (waitpid(child, &status, 0) < 0)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "notify_floor: target failed (status 0x%x)\n", status);
			return 1;
		}
		printf(", \"sync_wakeup\": %s, \"epoll\": %s, \"reads\": %s, \"answered\": %ld, "
		       "\"supervisor_cpu\": %d, \"target_cpu\": %d}\n", sync ? "true" : "false",
		       use_epoll ? "true" : "false", model ? "true" : "false", a.answered, sup_cpu,
		       tgt_cpu);
		return 0; /* ends the answering thread too */
	}
}
