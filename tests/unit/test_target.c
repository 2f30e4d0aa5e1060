// SPDX-License-Identifier: MIT
/*
 * Unit tests: sv_target_describe() against a real child process.
 *
 * The child maps fresh memory after fork (so none of it exists in this
 * process), lays out strings, socket addresses and structures there, sends
 * their addresses over a pipe and blocks until the pipe back is closed. Every
 * description is then read from the child through uw_mem_new(child), as the
 * supervisor reads a sandboxed program.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "remote.h"
#include "target.h"

#define PAGE 4096UL
#define REGION_PAGES 16
#define NONUL_PAGES 3	/* 'A's without a NUL at the region's tail */

/* Addresses in the child, sent over the pipe. */
struct layout {
	uint64_t bin_sh, passwd, rel, tmpx, tmpy, empty, nonprint, longpath, cross;
	uint64_t edge;		/* "/tmp/edge": its NUL is the last byte before a hole */
	uint64_t noend;		/* no NUL up to that hole */
	uint64_t hole;		/* the unmapped page */
	uint64_t nonul;		/* 4096+ 'A's without a NUL, not page-aligned */
	uint64_t how_w, how_r, clone_thread, memfd_name;
	uint64_t sin, sin6, sin6_scope, sun, sun_abs, netlink, fam77;
	uint64_t msg, msg_noname, mmsg;
};

struct child {
	pid_t pid;
	int to_child;		/* closing it lets the child exit */
	struct layout l;
	struct uw_mem *mem;
};

static struct child C;

/* ------------------------------------------------------------------ */
/* The child.                                                          */

static uint8_t *bump;

static uint64_t put(const void *data, size_t n)
{
	uint8_t *at = bump;

	memcpy(at, data, n);
	bump += (n + 15) & ~15UL;
	return (uint64_t)(uintptr_t)at;
}

static uint64_t put_str(const char *s)
{
	return put(s, strlen(s) + 1);
}

static void child_layout(struct layout *l)
{
	uint8_t *region = mmap(NULL, REGION_PAGES * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
	uint8_t *two2 = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *tail;

	if (region == MAP_FAILED || two == MAP_FAILED || two2 == MAP_FAILED)
		_exit(2);
	bump = region;
	l->bin_sh = put_str("/bin/sh");
	l->passwd = put_str("/etc/passwd");
	l->rel = put_str("sub/file");
	l->tmpx = put_str("/tmp/x");
	l->tmpy = put_str("/tmp/y");
	l->empty = put_str("");
	l->nonprint = put_str("/tmp/a\x01\x1b[31m\\b\xff");
	{
		char p[301];

		memset(p, 'p', 300);
		p[0] = '/';
		p[300] = '\0';
		l->longpath = put_str(p);
	}
	/* a string straddling two mapped pages: read in two pieces */
	bump = region + PAGE - 5;
	l->cross = put_str("/tmp/cross/page");
	bump = region + 2 * PAGE;
	{
		struct { uint64_t flags, mode, resolve; } how = { O_WRONLY | O_CREAT, 0644, 0 };

		l->how_w = put(&how, sizeof(how));
		how.flags = O_RDONLY | O_CLOEXEC;
		l->how_r = put(&how, sizeof(how));
	}
	{
		uint64_t ca[11] = { CLONE_VM | CLONE_THREAD | CLONE_SIGHAND };

		l->clone_thread = put(ca, sizeof(ca));
	}
	l->memfd_name = put_str("jit");
	{
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(8080) };
		struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_port = htons(443),
					   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
		struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/run/x.sock" };
		struct sockaddr_un abs = { .sun_family = AF_UNIX };
		struct sockaddr_storage other = { .ss_family = AF_NETLINK };

		inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
		l->sin = put(&sin, sizeof(sin));
		l->sin6 = put(&s6, sizeof(s6));
		inet_pton(AF_INET6, "fe80::1", &s6.sin6_addr);
		s6.sin6_scope_id = 2;
		l->sin6_scope = put(&s6, sizeof(s6));
		l->sun = put(&sun, sizeof(sun));
		memcpy(abs.sun_path, "\0name\0x", 7);
		l->sun_abs = put(&abs, sizeof(abs));
		l->netlink = put(&other, sizeof(other));
		other.ss_family = 77;
		l->fam77 = put(&other, sizeof(other));
	}
	{
		struct msghdr m = { .msg_name = (void *)(uintptr_t)l->sin,
				    .msg_namelen = sizeof(struct sockaddr_in) };
		struct mmsghdr mm[2] = { { .msg_hdr = { .msg_name = (void *)(uintptr_t)l->sin6,
						       .msg_namelen = sizeof(struct sockaddr_in6) } } };

		l->msg = put(&m, sizeof(m));
		m.msg_name = NULL;
		m.msg_namelen = 99;	/* ignored without a name */
		l->msg_noname = put(&m, sizeof(m));
		l->mmsg = put(mm, sizeof(mm));
	}
	/* 4096+ bytes without a NUL, up to the region's end (still mapped) */
	tail = region + (REGION_PAGES - NONUL_PAGES) * PAGE;
	memset(tail, 'A', NONUL_PAGES * PAGE);
	l->nonul = (uint64_t)(uintptr_t)(tail + 10);

	/* a string whose NUL is the last byte of a page followed by a hole */
	if (munmap(two + PAGE, PAGE) < 0 || munmap(two2 + PAGE, PAGE) < 0)
		_exit(2);
	memcpy(two + PAGE - sizeof("/tmp/edge"), "/tmp/edge", sizeof("/tmp/edge"));
	l->edge = (uint64_t)(uintptr_t)(two + PAGE - sizeof("/tmp/edge"));
	l->hole = (uint64_t)(uintptr_t)(two + PAGE);
	/* the same, but without the NUL: the string runs into the hole */
	memcpy(two2 + PAGE - 9, "/tmp/edge", 9);
	l->noend = (uint64_t)(uintptr_t)(two2 + PAGE - 9);
}

static void child_main(int wr, int rd)
{
	struct layout l;
	char c;

	/* Yama ptrace_scope 1 already lets a parent read its child; naming
	 * the parent as our tracer makes that explicit (EINVAL without Yama,
	 * ignored; scope 2 and 3 refuse anyway and the tests skip) */
	prctl(PR_SET_PTRACER, (unsigned long)getppid(), 0, 0, 0);
	memset(&l, 0, sizeof(l));
	child_layout(&l);
	if (write(wr, &l, sizeof(l)) != (ssize_t)sizeof(l))
		_exit(3);
	/* wait until the parent is done (EOF) */
	while (read(rd, &c, 1) > 0)
		;
	_exit(0);
}

static int setup(void **state)
{
	int up[2], down[2];
	ssize_t n;

	(void)state;
	if (pipe2(up, O_CLOEXEC) < 0 || pipe2(down, O_CLOEXEC) < 0)
		return -1;
	C.pid = fork();
	if (C.pid < 0)
		return -1;
	if (C.pid == 0) {
		close(up[0]);
		close(down[1]);
		child_main(up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	C.to_child = down[1];
	n = read(up[0], &C.l, sizeof(C.l));
	close(up[0]);
	if (n != (ssize_t)sizeof(C.l))
		return -1;
	C.mem = uw_mem_new(C.pid);
	return C.mem ? 0 : -1;
}

static int teardown(void **state)
{
	int st;

	(void)state;
	uw_mem_free(C.mem);
	close(C.to_child);
	waitpid(C.pid, &st, 0);
	return 0;
}

/*
 * When even a plain read of the child is refused (Yama ptrace_scope 3, or a
 * seccomp/LSM policy around the test run), every test skips, visibly.
 */
static bool readable(void)
{
	char c;
	int rc = uw_mem_read(C.mem, C.l.bin_sh, &c, 1);

	if (rc == 0)
		return true;
	print_message("cannot read the child's memory (%s): skipping\n", strerror(-rc));
	return false;
}

/* ------------------------------------------------------------------ */
/* The cases.                                                          */

struct tcase {
	int nr;
	uint64_t a[6];
	int rc;
	const char *text;
	const char *object;
};

#define FD_CWD ((uint64_t)(uint32_t)AT_FDCWD)
/* a negative int argument as the 64-bit register holds it */
#define NEG(x) ((uint64_t)(int64_t)(x))

static void run(const struct tcase *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char buf[8192], ob[8192];
		int rc;

		memset(buf, 'Z', sizeof(buf));
		memset(ob, 'Z', sizeof(ob));
		rc = sv_target_describe(C.mem, C.pid, c[i].nr, c[i].a, buf, sizeof(buf), ob,
					sizeof(ob));
		if (rc != c[i].rc || strcmp(buf, c[i].text) != 0 ||
		    (c[i].object && strcmp(ob, c[i].object) != 0))
			print_error("case %zu (nr %d): rc %d \"%s\" [%s], want %d \"%s\" [%s]\n", i,
				    c[i].nr, rc, buf, ob, c[i].rc, c[i].text,
				    c[i].object ? c[i].object : "-");
		assert_int_equal(rc, c[i].rc);
		assert_string_equal(buf, c[i].text);
		if (c[i].object)
			assert_string_equal(ob, c[i].object);
	}
}

#define RUN(cases) run(cases, sizeof(cases) / sizeof(cases[0]))

static void files(void **state)
{
	const struct layout *l = &C.l;
	const struct tcase cases[] = {
		{ __NR_open, { l->passwd, O_RDONLY }, 0, "open /etc/passwd for reading", "/etc/passwd" },
		{ __NR_open, { l->passwd, O_WRONLY }, 0, "open /etc/passwd for writing", "/etc/passwd" },
		{ __NR_open, { l->passwd, O_RDONLY | O_APPEND }, 0, "open /etc/passwd for writing", NULL },
		{ __NR_openat, { FD_CWD, l->tmpx, O_RDWR | O_CREAT, 0644 }, 0,
		  "open /tmp/x for writing", "/tmp/x" },
		{ __NR_openat, { 7, l->rel, O_RDONLY }, 0, "open fd 7/sub/file for reading",
		  "fd 7/sub/file" },
		/* an absolute path ignores the descriptor: no prefix */
		{ __NR_openat, { 7, l->passwd, O_RDONLY }, 0, "open /etc/passwd for reading", NULL },
		{ __NR_openat, { FD_CWD, l->empty, O_RDONLY }, 0, "open <empty path> for reading", NULL },
		{ __NR_creat, { l->tmpx, 0600 }, 0, "open /tmp/x for writing", "/tmp/x" },
		{ __NR_openat2, { FD_CWD, l->passwd, l->how_w, 24 }, 0, "open /etc/passwd for writing",
		  "/etc/passwd" },
		{ __NR_openat2, { 3, l->rel, l->how_r, 24 }, 0, "open fd 3/sub/file for reading", NULL },
		/* open_how unreadable: the path is still shown, the mode is not */
		{ __NR_openat2, { FD_CWD, l->passwd, l->hole, 24 }, -EFAULT, "open /etc/passwd", NULL },
		{ __NR_openat2, { FD_CWD, l->passwd, l->how_w, 4 }, 0, "open /etc/passwd", NULL },
		{ __NR_execve, { l->bin_sh, 0, 0 }, 0, "exec /bin/sh", "/bin/sh" },
		{ __NR_execveat, { 5, l->empty, 0, 0, AT_EMPTY_PATH }, 0, "exec fd 5", "fd 5" },
		{ __NR_execveat, { 5, 0, 0, 0, AT_EMPTY_PATH }, 0, "exec fd 5", "fd 5" },
		{ __NR_execveat, { 5, l->rel, 0, 0, 0 }, 0, "exec fd 5/sub/file", NULL },
		{ __NR_execveat, { FD_CWD, l->bin_sh, 0, 0, 0 }, 0, "exec /bin/sh", NULL },
		{ __NR_mkdir, { l->tmpx, 0755 }, 0, "mkdir /tmp/x", "/tmp/x" },
		{ __NR_mkdirat, { 4, l->rel, 0755 }, 0, "mkdir fd 4/sub/file", NULL },
		{ __NR_rmdir, { l->tmpx }, 0, "rmdir /tmp/x", NULL },
		{ __NR_unlink, { l->tmpx }, 0, "unlink /tmp/x", "/tmp/x" },
		{ __NR_unlinkat, { FD_CWD, l->tmpx, 0 }, 0, "unlink /tmp/x", NULL },
		{ __NR_unlinkat, { FD_CWD, l->tmpx, AT_REMOVEDIR }, 0, "rmdir /tmp/x", NULL },
		{ __NR_rename, { l->tmpx, l->tmpy }, 0, "rename /tmp/x -> /tmp/y", "/tmp/x -> /tmp/y" },
		{ __NR_renameat, { 3, l->rel, FD_CWD, l->tmpy }, 0, "rename fd 3/sub/file -> /tmp/y", NULL },
		{ __NR_renameat2, { FD_CWD, l->tmpx, 9, l->rel, 1 }, 0, "rename /tmp/x -> fd 9/sub/file",
		  NULL },
		{ __NR_link, { l->tmpx, l->tmpy }, 0, "link /tmp/x -> /tmp/y", NULL },
		{ __NR_linkat, { 3, l->empty, FD_CWD, l->tmpy, AT_EMPTY_PATH }, 0, "link fd 3 -> /tmp/y",
		  NULL },
		/* ls -l order: the link, then what it points to */
		{ __NR_symlink, { l->passwd, l->tmpx }, 0, "symlink /tmp/x -> /etc/passwd", NULL },
		{ __NR_symlinkat, { l->rel, 6, l->tmpy }, 0, "symlink /tmp/y -> sub/file", NULL },
		{ __NR_symlinkat, { l->rel, 6, l->rel }, 0, "symlink fd 6/sub/file -> sub/file", NULL },
		{ __NR_chmod, { l->tmpx, 0777 }, 0, "chmod /tmp/x", NULL },
		{ __NR_fchmodat, { 3, l->rel, 0777 }, 0, "chmod fd 3/sub/file", NULL },
		{ __NR_chown, { l->tmpx, 0, 0 }, 0, "chown /tmp/x", NULL },
		{ __NR_lchown, { l->tmpx, 0, 0 }, 0, "lchown /tmp/x", NULL },
		{ __NR_fchownat, { 3, l->empty, 0, 0, AT_EMPTY_PATH }, 0, "chown fd 3", "fd 3" },
		{ __NR_fchownat, { FD_CWD, l->empty, 0, 0, AT_EMPTY_PATH }, 0,
		  "chown the current directory", NULL },
		{ __NR_truncate, { l->tmpx, 0 }, 0, "truncate /tmp/x", NULL },
		{ __NR_mknod, { l->tmpx, 0 }, 0, "mknod /tmp/x", NULL },
		{ __NR_mknodat, { 3, l->rel, 0 }, 0, "mknod fd 3/sub/file", NULL },
		{ __NR_utime, { l->tmpx, 0 }, 0, "utime /tmp/x", NULL },
		{ __NR_utimes, { l->tmpx, 0 }, 0, "utime /tmp/x", NULL },
		{ __NR_utimensat, { 3, l->rel, 0, 0 }, 0, "utime fd 3/sub/file", NULL },
		/* utimensat(fd, NULL): futimens on the descriptor, not a bad pointer */
		{ __NR_utimensat, { 3, 0, 0, 0 }, 0, "utime fd 3", "fd 3" },
		{ __NR_setxattr, { l->tmpx, 0, 0, 0, 0 }, 0, "setxattr /tmp/x", NULL },
		{ __NR_lsetxattr, { l->tmpx, 0, 0, 0, 0 }, 0, "setxattr /tmp/x", NULL },
		{ __NR_removexattr, { l->tmpx, 0 }, 0, "removexattr /tmp/x", NULL },
		{ __NR_lremovexattr, { l->tmpx, 0 }, 0, "removexattr /tmp/x", NULL },
	};

	(void)state;
	if (!readable())
		skip();
	RUN(cases);
}

static void strings_from_memory(void **state)
{
	const struct layout *l = &C.l;
	const struct tcase cases[] = {
		/* read in two pieces across a mapped page boundary */
		{ __NR_unlink, { l->cross }, 0, "unlink /tmp/cross/page", "/tmp/cross/page" },
		/* the NUL is the last byte before an unmapped page */
		{ __NR_unlink, { l->edge }, 0, "unlink /tmp/edge", "/tmp/edge" },
		/* no NUL before the unmapped page: the kernel would fault too */
		{ __NR_unlink, { l->noend }, -EFAULT, "unlink <unreadable path>", "<unreadable path>" },
		{ __NR_unlink, { l->hole }, -EFAULT, "unlink <unreadable path>", "<unreadable path>" },
		{ __NR_open, { l->hole, O_WRONLY }, -EFAULT, "open <unreadable path> for writing",
		  "<unreadable path>" },
		{ __NR_openat, { 3, l->hole, O_RDONLY }, -EFAULT, "open <unreadable path> for reading",
		  NULL },
		{ __NR_execve, { 0 }, -EFAULT, "exec <unreadable path>", NULL },
		/* above the user half: refused before any read */
		{ __NR_execve, { 0xffffffffffffff00ULL }, -EFAULT, "exec <unreadable path>", NULL },
		{ __NR_rename, { l->hole, l->tmpy }, -EFAULT, "rename <unreadable path> -> /tmp/y",
		  NULL },
		{ __NR_rename, { l->tmpx, l->hole }, -EFAULT, "rename /tmp/x -> <unreadable path>",
		  NULL },
		/* anything outside printable ASCII, and the backslash, as \xNN */
		{ __NR_unlink, { l->nonprint }, 0, "unlink /tmp/a\\x01\\x1b[31m\\x5cb\\xff",
		  "/tmp/a\\x01\\x1b[31m\\x5cb\\xff" },
		{ __NR_memfd_create, { l->memfd_name, 0 }, 0, "memfd_create jit", "jit" },
		{ __NR_memfd_create, { l->hole, 0 }, -EFAULT, "memfd_create <unreadable name>",
		  "<unreadable name>" },
	};

	(void)state;
	if (!readable())
		skip();
	RUN(cases);
}

/* 4096 bytes and no NUL: all of them shown, then "..." (the kernel's
 * ENAMETOOLONG case); and the read never goes past the bound. */
static void path_without_nul(void **state)
{
	const uint64_t a[6] = { C.l.nonul, O_RDONLY };
	char buf[8192], ob[8192], want[8192];
	uint64_t calls;
	int rc;

	(void)state;
	if (!readable())
		skip();
	memcpy(want, "open ", 5);
	memset(want + 5, 'A', SV_TARGET_PATH_MAX);
	strcpy(want + 5 + SV_TARGET_PATH_MAX, "... for reading");
	calls = uw_mem_calls(C.mem);
	rc = sv_target_describe(C.mem, C.pid, __NR_open, a, buf, sizeof(buf), ob, sizeof(ob));
	assert_int_equal(rc, 0);
	assert_string_equal(buf, want);
	assert_int_equal(strlen(ob), SV_TARGET_PATH_MAX + 3);
	/* up to the page end, then the rest of the bound: two reads */
	assert_int_equal(uw_mem_calls(C.mem) - calls, 2);
}

static void network(void **state)
{
	const struct layout *l = &C.l;
	const uint64_t in6 = sizeof(struct sockaddr_in6), in = sizeof(struct sockaddr_in);
	const uint64_t un_base = offsetof(struct sockaddr_un, sun_path);
	const struct tcase cases[] = {
		{ __NR_socket, { AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 6 }, 0,
		  "socket AF_INET SOCK_STREAM", "AF_INET SOCK_STREAM" },
		{ __NR_socket, { AF_UNIX, SOCK_DGRAM, 0 }, 0, "socket AF_UNIX SOCK_DGRAM", NULL },
		{ __NR_socket, { 99, 14 | SOCK_NONBLOCK, 0 }, 0, "socket family 99 type 14", NULL },
		{ __NR_connect, { 3, l->sin, in }, 0, "connect 127.0.0.1:8080", "127.0.0.1:8080" },
		{ __NR_connect, { 3, l->sin6, in6 }, 0, "connect [::1]:443", "[::1]:443" },
		/* the RFC 2133 size without sin6_scope_id is accepted by the kernel */
		{ __NR_connect, { 3, l->sin6, 24 }, 0, "connect [::1]:443", NULL },
		{ __NR_connect, { 3, l->sin6_scope, in6 }, 0, "connect [fe80::1%2]:443", NULL },
		{ __NR_connect, { 3, l->sin6, 20 }, 0, "connect <short AF_INET6 address>", NULL },
		{ __NR_connect, { 3, l->sin, 8 }, 0, "connect <short AF_INET address>", NULL },
		/* a length above sockaddr_storage: only 128 bytes are read */
		{ __NR_connect, { 3, l->sin, 100000 }, 0, "connect 127.0.0.1:8080", NULL },
		{ __NR_connect, { 3, l->sin, NEG(-1) }, 0, "connect <bad address length -1>", NULL },
		{ __NR_connect, { 3, l->sin, 0 }, 0, "connect <no address>", NULL },
		{ __NR_connect, { 3, l->sun, un_base + strlen("/run/x.sock") + 1 }, 0,
		  "connect unix:/run/x.sock", "unix:/run/x.sock" },
		/* no NUL within the length: the length ends the path */
		{ __NR_connect, { 3, l->sun, un_base + 4 }, 0, "connect unix:/run", NULL },
		/* abstract: every byte of the length counts, NULs too */
		{ __NR_bind, { 3, l->sun_abs, un_base + 7 }, 0, "bind unix:@name\\x00x",
		  "unix:@name\\x00x" },
		{ __NR_bind, { 3, l->sun_abs, un_base + 5 }, 0, "bind unix:@name", NULL },
		{ __NR_bind, { 3, l->sun, un_base }, 0, "bind unix:<unnamed>", NULL },
		{ __NR_connect, { 3, l->netlink, 12 }, 0, "connect family 16 (AF_NETLINK)", NULL },
		{ __NR_connect, { 3, l->fam77, 16 }, 0, "connect family 77", "family 77" },
		{ __NR_connect, { 3, l->hole, in }, -EFAULT, "connect <unreadable address>", NULL },
		/* the address ends exactly at the hole: one read, as the kernel's */
		{ __NR_connect, { 3, l->hole - in, in }, 0, "connect family 0", NULL },
		{ __NR_sendto, { 3, 0, 10, 0, l->sin, in }, 0, "sendto 127.0.0.1:8080", NULL },
		{ __NR_sendto, { 3, 0, 10, 0, 0, 0 }, 0, "sendto fd 3", "fd 3" },
		{ __NR_sendmsg, { 4, l->msg, 0 }, 0, "sendmsg 127.0.0.1:8080", "127.0.0.1:8080" },
		{ __NR_sendmsg, { 4, l->msg_noname, 0 }, 0, "sendmsg fd 4", "fd 4" },
		{ __NR_sendmsg, { 4, l->hole, 0 }, -EFAULT, "sendmsg <unreadable message header>", NULL },
		{ __NR_sendmmsg, { 4, l->mmsg, 2, 0 }, 0, "sendmmsg [::1]:443", NULL },
		{ __NR_sendmmsg, { 4, l->mmsg, 0, 0 }, 0, "sendmmsg fd 4", NULL },
		{ __NR_listen, { 5, 128 }, 0, "listen fd 5", "fd 5" },
		{ __NR_accept, { 5, 0, 0 }, 0, "accept fd 5", NULL },
		{ __NR_accept4, { 5, 0, 0, SOCK_CLOEXEC }, 0, "accept fd 5", NULL },
	};

	(void)state;
	if (!readable())
		skip();
	RUN(cases);
}

static void processes_and_signals(void **state)
{
	const struct layout *l = &C.l;
	const struct tcase cases[] = {
		{ __NR_kill, { 123, SIGTERM }, 0, "kill pid 123 (SIGTERM)", "pid 123" },
		{ __NR_kill, { NEG(-1), SIGKILL }, 0, "kill every process (SIGKILL)", "every process" },
		{ __NR_kill, { 0, SIGHUP }, 0, "kill its own process group (SIGHUP)", NULL },
		{ __NR_kill, { NEG(-77), 0 }, 0, "kill process group 77 (signal 0)", NULL },
		{ __NR_kill, { 0xffffffff80000000ULL, 9 }, 0, "kill pid -2147483648 (SIGKILL)", NULL },
		/* only the low 32 bits of an int register count */
		{ __NR_kill, { 0xdead00000000007bULL, SIGTERM }, 0, "kill pid 123 (SIGTERM)", NULL },
		{ __NR_tkill, { 55, SIGUSR1 }, 0, "kill pid 55 (SIGUSR1)", NULL },
		{ __NR_tgkill, { 10, 11, SIGSEGV }, 0, "kill pid 10 (SIGSEGV)", NULL },
		{ __NR_rt_sigqueueinfo, { 10, 40, 0 }, 0, "kill pid 10 (signal 40)", NULL },
		{ __NR_rt_tgsigqueueinfo, { 10, 11, SIGINT, 0 }, 0, "kill pid 10 (SIGINT)", NULL },
		{ __NR_pidfd_send_signal, { 6, SIGTERM, 0, 0 }, 0, "kill pidfd 6 (SIGTERM)", "pidfd 6" },
		{ __NR_pidfd_open, { 42, 0 }, 0, "pidfd_open pid 42", "pid 42" },
		{ __NR_fork, { 0 }, 0, "new process", "" },
		{ __NR_vfork, { 0 }, 0, "new process", "" },
		{ __NR_clone, { SIGCHLD }, 0, "new process", "" },
		{ __NR_clone, { CLONE_VM | CLONE_THREAD | CLONE_SIGHAND }, 0, "new thread", NULL },
		{ __NR_clone3, { l->clone_thread, 88 }, 0, "new thread", NULL },
		{ __NR_clone3, { l->hole, 88 }, -EFAULT, "new process or thread", NULL },
		{ __NR_process_vm_readv, { 42, 0, 1, 0, 1, 0 }, 0, "inspect pid 42", "pid 42" },
		{ __NR_kcmp, { 42, 43, 0, 0, 0 }, 0, "inspect pid 42 and pid 43", NULL },
		{ __NR_kcmp, { 42, 42, 0, 0, 0 }, 0, "inspect pid 42", NULL },
		{ __NR_perf_event_open, { 0, 42, NEG(-1), NEG(-1), 0 }, 0, "inspect pid 42", NULL },
		{ __NR_perf_event_open, { 0, NEG(-1), 3, NEG(-1), 0 }, 0,
		  "inspect every process on cpu 3", NULL },
		{ __NR_mmap, { 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, 7, 0 }, 0,
		  "map fd 7 executable", "fd 7" },
		{ __NR_mmap, { 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS, NEG(-1), 0 }, 0, "make memory executable",
		  "" },
		{ __NR_mmap, { 0, 4096, PROT_READ, MAP_PRIVATE, 7, 0 }, 0, "mmap", "" },
		{ __NR_mprotect, { 0x10000, 4096, PROT_READ | PROT_EXEC }, 0, "make memory executable",
		  NULL },
		{ __NR_pkey_mprotect, { 0x10000, 4096, PROT_EXEC, 1 }, 0, "make memory executable",
		  NULL },
		{ __NR_mprotect, { 0x10000, 4096, PROT_READ }, 0, "mprotect", NULL },
		/* anything else: the name alone */
		{ __NR_getpid, { 0 }, 0, "getpid", "" },
		{ __NR_ptrace, { 0 }, 0, "ptrace", "" },
		{ 1000, { 0 }, 0, "syscall_1000", "" },
		{ -1, { 0 }, 0, "syscall_-1", "" },
	};

	(void)state;
	if (!readable())
		skip();
	RUN(cases);
}

/* Cutting: "..." within the buffer, never inside an escape. */
static void cutting(void **state)
{
	const uint64_t lp[6] = { C.l.longpath, O_WRONLY };
	const uint64_t np[6] = { C.l.nonprint };
	char buf[64], ob[64];
	int rc;

	(void)state;
	if (!readable())
		skip();
	rc = sv_target_describe(C.mem, C.pid, __NR_open, lp, buf, 16, ob, 10);
	assert_int_equal(rc, 0);
	assert_string_equal(buf, "open /pppppp...");
	assert_string_equal(ob, "/ppppp...");

	/* exactly fitting: no "..." */
	rc = sv_target_describe(C.mem, C.pid, __NR_unlink, (const uint64_t[6]){ C.l.tmpx }, buf,
				sizeof("unlink /tmp/x"), ob, sizeof("/tmp/x"));
	assert_int_equal(rc, 0);
	assert_string_equal(buf, "unlink /tmp/x");
	assert_string_equal(ob, "/tmp/x");
	rc = sv_target_describe(C.mem, C.pid, __NR_unlink, (const uint64_t[6]){ C.l.tmpx }, buf,
				sizeof("unlink /tmp/x") - 1, ob, sizeof("/tmp/x") - 1);
	assert_string_equal(buf, "unlink /t...");
	assert_string_equal(ob, "/t...");

	/* "unlink /tmp/a\x01\x1b[31m...": the cut falls between escapes */
	for (size_t len = 1; len <= 40; len++) {
		char *dots;

		memset(buf, 'Z', sizeof(buf));
		rc = sv_target_describe(C.mem, C.pid, __NR_unlink, np, buf, len, NULL, 0);
		assert_int_equal(rc, 0);
		assert_true(strlen(buf) <= len - 1);
		assert_int_equal(buf[len], 'Z');	/* nothing past the buffer */
		dots = strstr(buf, "...");
		if (len - 1 < strlen("unlink /tmp/a\\x01\\x1b[31m\\x5cb\\xff")) {
			assert_true(len < 4 || dots);
			/* what precedes the dots is a prefix ending at a token */
			if (dots) {
				size_t k = (size_t)(dots - buf);

				assert_memory_equal(buf, "unlink /tmp/a\\x01\\x1b[31m\\x5cb\\xff", k);
				assert_true(k < 2 || buf[k - 1] != '\\');
				assert_true(k < 3 || buf[k - 2] != '\\');
				assert_true(k < 4 || buf[k - 3] != '\\');
			}
		}
	}
	/* tiny buffers: "", ".", ".." */
	rc = sv_target_describe(C.mem, C.pid, __NR_getpid, np, buf, 1, NULL, 0);
	assert_string_equal(buf, "");
	rc = sv_target_describe(C.mem, C.pid, __NR_getpid, np, buf, 2, NULL, 0);
	assert_string_equal(buf, ".");
	rc = sv_target_describe(C.mem, C.pid, __NR_getpid, np, buf, 3, NULL, 0);
	assert_string_equal(buf, "..");
	rc = sv_target_describe(C.mem, C.pid, __NR_getpid, np, buf, 4, NULL, 0);
	assert_string_equal(buf, "...");
	/* a zero-sized buffer is left alone */
	buf[0] = 'Z';
	rc = sv_target_describe(C.mem, C.pid, __NR_getpid, np, buf, 0, ob, 0);
	assert_int_equal(rc, 0);
	assert_int_equal(buf[0], 'Z');
}

/* Without a reader only registers are decoded. */
static void no_reader(void **state)
{
	char buf[64], ob[64];
	int rc;

	(void)state;
	rc = sv_target_describe(NULL, 1, __NR_open, (const uint64_t[6]){ 0x1000, O_WRONLY }, buf,
				sizeof(buf), ob, sizeof(ob));
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(buf, "open <unreadable path> for writing");
	rc = sv_target_describe(NULL, 1, __NR_kill, (const uint64_t[6]){ 9, SIGTERM }, buf,
				sizeof(buf), ob, sizeof(ob));
	assert_int_equal(rc, 0);
	assert_string_equal(buf, "kill pid 9 (SIGTERM)");
}

/* A process that is gone: -ESRCH, and still a description. */
static void gone(void **state)
{
	pid_t pid = fork();
	struct uw_mem *m;
	char buf[64];
	int st, rc;

	(void)state;
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	m = uw_mem_new(pid);
	assert_non_null(m);
	rc = sv_target_describe(m, pid, __NR_execve, (const uint64_t[6]){ C.l.bin_sh }, buf,
				sizeof(buf), NULL, 0);
	assert_int_equal(rc, -ESRCH);
	assert_string_equal(buf, "exec <unreadable path>");
	uw_mem_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(files),
		cmocka_unit_test(strings_from_memory),
		cmocka_unit_test(path_without_nul),
		cmocka_unit_test(network),
		cmocka_unit_test(processes_and_signals),
		cmocka_unit_test(cutting),
		cmocka_unit_test(no_reader),
		cmocka_unit_test(gone),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
