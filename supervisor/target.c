// SPDX-License-Identifier: MIT
/*
 * target.c - what a system call concerns, in words, for messages.
 *
 * A table maps each syscall we know to a shape (one path, two paths, an
 * open, a socket address, a signal, ...) and the registers that hold its
 * parts; one function per shape writes the words.
 *
 * Display only (see target.h): everything read here is what the program's
 * memory held when we looked, and hostile. Reads are bounded by constants
 * (strings SV_TARGET_PATH_MAX, socket addresses sizeof(struct
 * sockaddr_storage), structures their few leading fields) and by the
 * length registers; lengths and families are checked before any field is
 * used; no loop runs longer than its bound. Output goes through a sink that
 * never writes past the caller's buffer and cuts only between whole tokens,
 * so an escape such as \x1b is never split by the "...".
 */
#include "target.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "kcompat.h"
#include "syscalls.h"

#ifndef __NR_futimesat
#define __NR_futimesat 261
#endif

/* ------------------------------------------------------------------ */
/* Output: a buffer that cuts with "..." at a token boundary.          */

struct sink {
	char *p;	/* NULL: discard everything */
	size_t cap;	/* bytes at p, NUL included */
	size_t n;	/* bytes written, without the NUL */
	size_t safe;	/* the last token end that leaves room for "..." */
	bool cut;
};

static void sink_init(struct sink *s, char *p, size_t cap)
{
	*s = (struct sink){ .p = cap ? p : NULL, .cap = cap };
	if (s->p)
		s->p[0] = '\0';
}

/*
 * Append @k bytes as one token: all of it, or (when it does not fit) the
 * sink is cut after the last token that still leaves room for "...", and
 * everything after is dropped.
 */
static void sink_tok(struct sink *s, const char *t, size_t k)
{
	size_t dots;

	if (!s->p || s->cut)
		return;
	if (k <= s->cap - 1 - s->n) {
		memcpy(s->p + s->n, t, k);
		s->n += k;
		s->p[s->n] = '\0';
		if (s->n + 3 <= s->cap - 1)
			s->safe = s->n;
		return;
	}
	s->cut = true;
	/* a buffer of under 4 bytes gets as many dots as fit */
	dots = s->cap - 1 - s->safe < 3 ? s->cap - 1 - s->safe : 3;
	memcpy(s->p + s->safe, "...", dots);
	s->n = s->safe + dots;
	s->p[s->n] = '\0';
}

/* Plain text, one token per byte: it may be cut anywhere. */
static void sink_text(struct sink *s, const char *t)
{
	for (; *t; t++)
		sink_tok(s, t, 1);
}

/* @n bytes from the program: printable ASCII as is, anything else \xNN. */
static void sink_escaped(struct sink *s, const char *b, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			sink_tok(s, (const char *)&b[i], 1);
		} else {
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 0xf] };

			sink_tok(s, e, sizeof(e));
		}
	}
}

/* The description being built: the whole text and the object part. */
struct desc {
	struct uw_mem *mem;
	struct sink all, obj;
	int rc;		/* the first read error */
};

/* Words that are not part of the object ("open ", " for writing"). */
static void say(struct desc *d, const char *t)
{
	sink_text(&d->all, t);
}

/* Words of the object: in both. */
static void obj(struct desc *d, const char *t)
{
	sink_text(&d->all, t);
	sink_text(&d->obj, t);
}

__attribute__((format(printf, 2, 3)))
static void objf(struct desc *d, const char *fmt, ...)
{
	char t[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t, sizeof(t), fmt, ap);
	va_end(ap);
	obj(d, t);
}

__attribute__((format(printf, 2, 3)))
static void sayf(struct desc *d, const char *fmt, ...)
{
	char t[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t, sizeof(t), fmt, ap);
	va_end(ap);
	say(d, t);
}

static void obj_escaped(struct desc *d, const char *b, size_t n)
{
	sink_escaped(&d->all, b, n);
	sink_escaped(&d->obj, b, n);
}

static void fail(struct desc *d, int rc)
{
	if (d->rc == 0)
		d->rc = rc;
}

/* int arguments: the kernel looks at the low 32 bits only. */
static int arg_int(const uint64_t args[6], int i)
{
	return (int)(uint32_t)args[i];
}

/* ------------------------------------------------------------------ */
/* Reading the program's memory.                                       */

static int mem_read(struct desc *d, uint64_t addr, void *out, size_t n)
{
	if (!d->mem)
		return -EINVAL;
	return uw_mem_read(d->mem, addr, out, n);
}

/*
 * The NUL-terminated string at @addr, at most @max bytes with the NUL, into
 * @out. Each read stops at a page end: the kernel fails a process_vm_readv
 * that runs into an unmapped page as a whole, so a string whose NUL is the
 * last byte before a hole would otherwise be unreadable. The next page is
 * read only when no NUL has been found yet, as the kernel's own
 * strncpy_from_user would. Returns the string's length (*complete: a NUL was
 * found; else @max bytes without one), or -errno.
 */
static long read_str(struct desc *d, uint64_t addr, char *out, size_t max, bool *complete)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t got = 0;

	*complete = false;
	if (page <= 0)
		page = 4096;
	/* the first read would fail anyway; this keeps addr + got from wrapping */
	if (addr > UINT64_MAX - max)
		return -EFAULT;
	while (got < max) {
		uint64_t a = addr + got;
		size_t chunk = (size_t)page - (size_t)(a % (uint64_t)page);
		const char *nul;
		int rc;

		if (chunk > max - got)
			chunk = max - got;
		rc = mem_read(d, a, out + got, chunk);
		if (rc < 0)
			return rc;
		nul = memchr(out + got, '\0', chunk);
		if (nul) {
			*complete = true;
			return nul - out;
		}
		got += chunk;
	}
	return (long)got;
}

/* What the object becomes when a string could not be read. */
static void obj_unreadable(struct desc *d, int rc, const char *what)
{
	fail(d, rc);
	objf(d, "<unreadable %s>", what);
}

/* @n bytes of a string read by read_str(), "..." when it had no NUL. */
static void obj_string(struct desc *d, const char *s, size_t n, bool complete)
{
	obj_escaped(d, s, n);
	if (!complete)
		obj(d, "...");
}

/* ------------------------------------------------------------------ */
/* Paths.                                                              */

#define NO (-1)		/* no such argument */

/* A call on the descriptor @dfd itself (AT_EMPTY_PATH, utimensat's NULL). */
static void obj_dirfd(struct desc *d, int dfd)
{
	if (dfd == AT_FDCWD)
		obj(d, "the current directory");
	else
		objf(d, "fd %d", dfd);
}

/*
 * The path in register @pi, relative to the directory descriptor in @di
 * (NO: the current directory). With AT_EMPTY_PATH in register @fi and an
 * empty (or, as newer kernels accept, NULL) path the call is about the
 * descriptor itself: "fd N". @null_ok: a NULL path means the descriptor
 * (utimensat).
 */
static void path_arg(struct desc *d, const uint64_t args[6], int di, int pi, int fi, bool null_ok)
{
	int dfd = di == NO ? AT_FDCWD : arg_int(args, di);
	bool empty_ok = fi != NO && (args[fi] & AT_EMPTY_PATH);
	char s[SV_TARGET_PATH_MAX];
	bool complete;
	long n;

	if (args[pi] == 0 && (null_ok || empty_ok)) {
		obj_dirfd(d, dfd);
		return;
	}
	n = read_str(d, args[pi], s, sizeof(s), &complete);
	if (n < 0) {
		obj_unreadable(d, (int)n, "path");
		return;
	}
	if (n == 0 && complete) {
		if (empty_ok)
			obj_dirfd(d, dfd);
		else
			obj(d, "<empty path>");	/* the kernel says ENOENT */
		return;
	}
	/* the kernel ignores the descriptor for an absolute path */
	if (dfd != AT_FDCWD && s[0] != '/')
		objf(d, "fd %d/", dfd);
	obj_string(d, s, (size_t)n, complete);
}

/* ------------------------------------------------------------------ */
/* Names of registers' values.                                         */

static const char *family_name(int f)
{
	switch (f) {
	case AF_UNIX: return "AF_UNIX";
	case AF_INET: return "AF_INET";
	case AF_INET6: return "AF_INET6";
	case AF_NETLINK: return "AF_NETLINK";
	case AF_PACKET: return "AF_PACKET";
	case AF_VSOCK: return "AF_VSOCK";
	case AF_BLUETOOTH: return "AF_BLUETOOTH";
	case AF_ALG: return "AF_ALG";
	case AF_CAN: return "AF_CAN";
	case AF_XDP: return "AF_XDP";
	default: return NULL;
	}
}

static const char *socktype_name(int t)
{
	switch (t & 0xf) {	/* the rest are SOCK_NONBLOCK/SOCK_CLOEXEC */
	case SOCK_STREAM: return "SOCK_STREAM";
	case SOCK_DGRAM: return "SOCK_DGRAM";
	case SOCK_RAW: return "SOCK_RAW";
	case SOCK_RDM: return "SOCK_RDM";
	case SOCK_SEQPACKET: return "SOCK_SEQPACKET";
	case SOCK_PACKET: return "SOCK_PACKET";
	default: return NULL;
	}
}

/* " (SIGTERM)", " (signal 0)", " (signal 40)". */
static void say_signal(struct desc *d, int sig)
{
	/* glibc's names for the classic signals (below the kernel's first
	 * real-time signal, 32); none for 0 (a probe) and real-time ones */
	const char *s = sig > 0 && sig < 32 ? sigabbrev_np(sig) : NULL;

	if (s)
		sayf(d, " (SIG%s)", s);
	else
		sayf(d, " (signal %d)", sig);
}

/* ------------------------------------------------------------------ */
/* Socket addresses.                                                   */

/*
 * The socket address of @alen bytes at @addr. Only min(@alen,
 * sizeof(struct sockaddr_storage)) bytes are read (the kernel itself refuses
 * longer ones, or clamps them for sendmsg), in one read as the kernel does,
 * and each family's fields are used only when the length covers them.
 */
static void obj_sockaddr(struct desc *d, uint64_t addr, int alen)
{
	struct sockaddr_storage ss;
	size_t n;
	int rc, fam;
	const char *name;

	if (alen < 0) {
		objf(d, "<bad address length %d>", alen);
		return;
	}
	if (alen < (int)sizeof(sa_family_t)) {
		obj(d, "<no address>");
		return;
	}
	n = (size_t)alen < sizeof(ss) ? (size_t)alen : sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	rc = mem_read(d, addr, &ss, n);
	if (rc < 0) {
		fail(d, rc);
		obj(d, "<unreadable address>");
		return;
	}
	fam = ss.ss_family;
	switch (fam) {
	case AF_INET: {
		struct sockaddr_in sin;
		char ip[INET_ADDRSTRLEN];

		if (n < sizeof(sin))
			break;
		memcpy(&sin, &ss, sizeof(sin));
		if (!inet_ntop(AF_INET, &sin.sin_addr, ip, sizeof(ip)))
			break;
		objf(d, "%s:%u", ip, (unsigned)ntohs(sin.sin_port));
		return;
	}
	case AF_INET6: {
		/* the kernel accepts the RFC 2133 size, without sin6_scope_id */
		const size_t rfc2133 = offsetof(struct sockaddr_in6, sin6_scope_id);
		struct sockaddr_in6 sin6;
		char ip[INET6_ADDRSTRLEN];

		if (n < rfc2133)
			break;
		memset(&sin6, 0, sizeof(sin6));
		memcpy(&sin6, &ss, n < sizeof(sin6) ? n : sizeof(sin6));
		if (!inet_ntop(AF_INET6, &sin6.sin6_addr, ip, sizeof(ip)))
			break;
		if (sin6.sin6_scope_id)
			objf(d, "[%s%%%u]:%u", ip, (unsigned)sin6.sin6_scope_id,
			     (unsigned)ntohs(sin6.sin6_port));
		else
			objf(d, "[%s]:%u", ip, (unsigned)ntohs(sin6.sin6_port));
		return;
	}
	case AF_UNIX: {
		const size_t off = offsetof(struct sockaddr_un, sun_path);
		const char *p = (const char *)&ss + off;
		size_t plen = n - off;	/* n >= sizeof(sa_family_t) == off */

		if (plen > sizeof(((struct sockaddr_un *)0)->sun_path))
			plen = sizeof(((struct sockaddr_un *)0)->sun_path);
		if (plen == 0) {
			obj(d, "unix:<unnamed>");
		} else if (p[0] == '\0') {
			/* abstract: every byte of the length counts, NULs too */
			obj(d, "unix:@");
			obj_escaped(d, p + 1, plen - 1);
		} else {
			const char *nul = memchr(p, '\0', plen);

			obj(d, "unix:");
			obj_escaped(d, p, nul ? (size_t)(nul - p) : plen);
		}
		return;
	}
	default:
		break;
	}
	name = family_name(fam);
	if (name && (fam == AF_INET || fam == AF_INET6))
		objf(d, "<short %s address>", name);
	else if (name)
		objf(d, "family %d (%s)", fam, name);
	else
		objf(d, "family %d", fam);
}

/* ------------------------------------------------------------------ */
/* The table.                                                          */

enum shape {
	S_PATH,		/* verb path(a0 rel. dirfd a1) [AT_EMPTY_PATH in a2] */
	S_PATH_NULL,	/* as S_PATH, a NULL path means the dirfd (utimensat) */
	S_PATH2,	/* verb path(a0, dirfd a1) -> path(a2, dirfd a3) [flags a4] */
	S_OPEN,		/* path a0 (dirfd a1), access mode in register a2 */
	S_CREAT,	/* path a0, always for writing */
	S_OPENAT2,	/* path a0 (dirfd a1), struct open_how at a2, its size in args[3] */
	S_EXEC,		/* path a0 (dirfd a1), AT_EMPTY_PATH in a2 */
	S_UNLINKAT,	/* path a0 (dirfd a1): "unlink", or "rmdir" with AT_REMOVEDIR in a2 */
	S_SOCKET,
	S_ADDR,		/* verb, fd a0, address a1, length a2 (sendto: NULL = none) */
	S_SENDMSG,	/* fd a0, struct msghdr at a1 */
	S_SENDMMSG,	/* fd a0, struct mmsghdr[] at a1, count a2 */
	S_FD,		/* verb fd a0 */
	S_KILL,		/* kill(2) pid semantics: a0 pid, a1 signal */
	S_SIGNAL,	/* a0 pid, a1 signal */
	S_PIDFD_SIGNAL,
	S_PIDFD_OPEN,
	S_MMAP,
	S_MPROTECT,
	S_MEMFD,
	S_FORK,
	S_CLONE,
	S_CLONE3,
	S_INSPECT,	/* a0 pid, a1 second pid (kcmp) */
	S_PERF,
};

struct rule {
	int nr;
	uint8_t shape;
	const char *verb;
	int8_t a[5];	/* argument registers, meaning per shape; NO = none */
};

#define P1(n, v, dfd, p, fl)	{ n, S_PATH, v, { p, dfd, fl, NO, NO } }
#define P2(n, v, d1, p1, d2, p2, fl) { n, S_PATH2, v, { p1, d1, p2, d2, fl } }
#define R(n, s, v, a0, a1, a2)	{ n, s, v, { a0, a1, a2, NO, NO } }

static const struct rule rules[] = {
	/* files: verb, then dirfd and path registers */
	R(__NR_open, S_OPEN, "open", 0, NO, 1),
	R(__NR_openat, S_OPEN, "open", 1, 0, 2),
	R(__NR_openat2, S_OPENAT2, "open", 1, 0, 2),
	R(__NR_creat, S_CREAT, "open", 0, NO, NO),
	R(__NR_execve, S_EXEC, "exec", 0, NO, NO),
	R(__NR_execveat, S_EXEC, "exec", 1, 0, 4),
	P1(__NR_mkdir, "mkdir", NO, 0, NO), P1(__NR_mkdirat, "mkdir", 0, 1, NO),
	P1(__NR_rmdir, "rmdir", NO, 0, NO),
	P1(__NR_unlink, "unlink", NO, 0, NO),
	R(__NR_unlinkat, S_UNLINKAT, "unlink", 1, 0, 2),
	P2(__NR_rename, "rename", NO, 0, NO, 1, NO),
	P2(__NR_renameat, "rename", 0, 1, 2, 3, NO),
	P2(__NR_renameat2, "rename", 0, 1, 2, 3, NO),
	P2(__NR_link, "link", NO, 0, NO, 1, NO),
	P2(__NR_linkat, "link", 0, 1, 2, 3, 4),
	/* symlinks as ls -l shows them: "symlink LINK -> TARGET"; the target
	 * is stored as given, never relative to the descriptor */
	P2(__NR_symlink, "symlink", NO, 1, NO, 0, NO),
	P2(__NR_symlinkat, "symlink", 1, 2, NO, 0, NO),
	P1(__NR_chmod, "chmod", NO, 0, NO), P1(__NR_fchmodat, "chmod", 0, 1, NO),
	P1(__NR_fchmodat2, "chmod", 0, 1, 3),
	P1(__NR_chown, "chown", NO, 0, NO), P1(__NR_lchown, "lchown", NO, 0, NO),
	P1(__NR_fchownat, "chown", 0, 1, 4),
	P1(__NR_truncate, "truncate", NO, 0, NO),
	P1(__NR_mknod, "mknod", NO, 0, NO), P1(__NR_mknodat, "mknod", 0, 1, NO),
	P1(__NR_utime, "utime", NO, 0, NO), P1(__NR_utimes, "utime", NO, 0, NO),
	P1(__NR_futimesat, "utime", 0, 1, NO),
	{ __NR_utimensat, S_PATH_NULL, "utime", { 1, 0, 3, NO, NO } },
	P1(__NR_setxattr, "setxattr", NO, 0, NO), P1(__NR_lsetxattr, "setxattr", NO, 0, NO),
	P1(__NR_removexattr, "removexattr", NO, 0, NO),
	P1(__NR_lremovexattr, "removexattr", NO, 0, NO),
	P1(__NR_chroot, "chroot", NO, 0, NO), P1(__NR_umount2, "umount", NO, 0, NO),
	P1(__NR_mount, "mount on", NO, 1, NO),
	P2(__NR_pivot_root, "pivot_root", NO, 0, NO, 1, NO),

	/* network */
	R(__NR_socket, S_SOCKET, "socket", 0, 1, NO),
	R(__NR_connect, S_ADDR, "connect", 0, 1, 2),
	R(__NR_bind, S_ADDR, "bind", 0, 1, 2),
	{ __NR_sendto, S_ADDR, "sendto", { 0, 4, 5, NO, NO } },
	R(__NR_sendmsg, S_SENDMSG, "sendmsg", 0, 1, NO),
	R(__NR_sendmmsg, S_SENDMMSG, "sendmmsg", 0, 1, 2),
	R(__NR_listen, S_FD, "listen", 0, NO, NO),
	R(__NR_accept, S_FD, "accept", 0, NO, NO),
	R(__NR_accept4, S_FD, "accept", 0, NO, NO),

	/* signals */
	R(__NR_kill, S_KILL, "kill", 0, 1, NO),
	R(__NR_tkill, S_SIGNAL, "kill", 0, 1, NO),
	R(__NR_tgkill, S_SIGNAL, "kill", 0, 2, NO),
	R(__NR_rt_sigqueueinfo, S_SIGNAL, "kill", 0, 1, NO),
	R(__NR_rt_tgsigqueueinfo, S_SIGNAL, "kill", 0, 2, NO),
	R(__NR_pidfd_send_signal, S_PIDFD_SIGNAL, "kill", 0, 1, NO),
	R(__NR_pidfd_open, S_PIDFD_OPEN, "pidfd_open", 0, NO, NO),

	/* native code */
	R(__NR_mmap, S_MMAP, NULL, NO, NO, NO),
	R(__NR_mprotect, S_MPROTECT, NULL, NO, NO, NO),
	R(__NR_pkey_mprotect, S_MPROTECT, NULL, NO, NO, NO),
	R(__NR_memfd_create, S_MEMFD, "memfd_create", 0, NO, NO),

	/* processes */
	R(__NR_fork, S_FORK, NULL, NO, NO, NO), R(__NR_vfork, S_FORK, NULL, NO, NO, NO),
	R(__NR_clone, S_CLONE, NULL, NO, NO, NO),
	R(__NR_clone3, S_CLONE3, NULL, NO, NO, NO),
	R(__NR_process_vm_readv, S_INSPECT, "inspect", 0, NO, NO),
	R(__NR_kcmp, S_INSPECT, "inspect", 0, 1, NO),
	R(__NR_perf_event_open, S_PERF, "inspect", NO, NO, NO),
};

/* ------------------------------------------------------------------ */
/* One function per shape.                                             */

static void d_open(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	/* the same bits policy/classify.c and filter.c call writing */
	const uint64_t wbits = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND;
	int known = 1;	/* 0: flags unknown, open_how unreadable */
	uint64_t flags = 0;

	if (r->shape == S_OPEN) {
		flags = args[r->a[2]];
	} else if (r->shape == S_CREAT) {
		flags = O_WRONLY | O_CREAT | O_TRUNC;
	} else {
		/* openat2: flags are the first u64 of struct open_how; the
		 * kernel refuses sizes below its 24-byte first version, and we
		 * read nothing when even the flags are not covered */
		uint64_t how = args[r->a[2]], size = args[3];
		int rc = size >= sizeof(flags) ? mem_read(d, how, &flags, sizeof(flags)) : -EINVAL;

		if (rc < 0) {
			if (size >= sizeof(flags))
				fail(d, rc);
			known = 0;
		}
	}
	say(d, "open ");
	path_arg(d, args, r->a[1], r->a[0], NO, false);
	if (known)
		say(d, (flags & wbits) ? " for writing" : " for reading");
}

static void d_exec(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	say(d, "exec ");
	path_arg(d, args, r->a[1], r->a[0], r->a[2], false);
}

static void d_path(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	const char *verb = r->verb;

	if (r->shape == S_UNLINKAT && (args[r->a[2]] & AT_REMOVEDIR))
		verb = "rmdir";
	say(d, verb);
	say(d, " ");
	path_arg(d, args, r->a[1], r->a[0], r->shape == S_UNLINKAT ? NO : r->a[2],
		 r->shape == S_PATH_NULL);
}

static void d_path2(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	say(d, r->verb);
	say(d, " ");
	/* AT_EMPTY_PATH (linkat) applies to the existing file only */
	path_arg(d, args, r->a[1], r->a[0], r->a[4], false);
	obj(d, " -> ");
	path_arg(d, args, r->a[3], r->a[2], NO, false);
}

static void d_socket(struct desc *d, const uint64_t args[6])
{
	int fam = arg_int(args, 0), type = arg_int(args, 1);
	const char *fn = family_name(fam), *tn = socktype_name(type);

	say(d, "socket ");
	if (fn)
		obj(d, fn);
	else
		objf(d, "family %d", fam);
	if (tn)
		objf(d, " %s", tn);
	else
		objf(d, " type %d", type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC));
}

static void say_fd(struct desc *d, const char *verb, int fd)
{
	sayf(d, "%s ", verb);
	objf(d, "fd %d", fd);
}

static void d_addr(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	uint64_t addr = args[r->a[1]];

	/* sendto without an address sends on a connected socket */
	if (r->nr == __NR_sendto && addr == 0) {
		say_fd(d, r->verb, arg_int(args, r->a[0]));
		return;
	}
	sayf(d, "%s ", r->verb);
	obj_sockaddr(d, addr, arg_int(args, r->a[2]));
}

/*
 * sendmsg: the address is msg_name/msg_namelen inside struct msghdr; only
 * those two leading fields are read. sendmmsg: the first message's (the
 * others are not shown; they may go elsewhere).
 */
static void d_sendmsg(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	const size_t want = offsetof(struct msghdr, msg_namelen) + sizeof(socklen_t);
	struct msghdr m;
	int rc;

	if (r->shape == S_SENDMMSG && arg_int(args, 2) == 0) {
		say_fd(d, r->verb, arg_int(args, 0));
		return;
	}
	memset(&m, 0, sizeof(m));
	/* struct mmsghdr starts with its struct msghdr */
	rc = mem_read(d, args[1], &m, want);
	if (rc < 0) {
		fail(d, rc);
		sayf(d, "%s ", r->verb);
		obj(d, "<unreadable message header>");
		return;
	}
	if (!m.msg_name) {	/* the kernel ignores msg_namelen then */
		say_fd(d, r->verb, arg_int(args, 0));
		return;
	}
	sayf(d, "%s ", r->verb);
	obj_sockaddr(d, (uint64_t)(uintptr_t)m.msg_name, (int)m.msg_namelen);
}

static void d_kill(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	int pid = arg_int(args, r->a[0]), sig = arg_int(args, r->a[1]);

	say(d, "kill ");
	if (r->shape == S_PIDFD_SIGNAL)
		objf(d, "pidfd %d", pid);
	else if (r->shape == S_SIGNAL || pid > 0)
		objf(d, "pid %d", pid);
	else if (pid == 0)
		obj(d, "its own process group");
	else if (pid == -1)
		obj(d, "every process");
	else if (pid == INT_MIN)	/* -pid would overflow */
		objf(d, "pid %d", pid);
	else
		objf(d, "process group %d", -pid);
	say_signal(d, sig);
}

static void d_mmap(struct desc *d, const uint64_t args[6])
{
	int fd = arg_int(args, 4);

	if (!(args[2] & PROT_EXEC)) {
		say(d, "mmap");
		return;
	}
	if (args[3] & MAP_ANONYMOUS || fd < 0) {
		say(d, "make memory executable");
		return;
	}
	say(d, "map ");
	objf(d, "fd %d", fd);
	say(d, " executable");
}

static void d_mprotect(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	if (args[2] & PROT_EXEC)
		say(d, "make memory executable");
	else
		say(d, r->nr == __NR_mprotect ? "mprotect" : "pkey_mprotect");
}

static void d_memfd(struct desc *d, const uint64_t args[6])
{
	/* the kernel takes 249 bytes at most (MFD_NAME_MAX_LEN); read a few more */
	char s[256];
	bool complete;
	long n;

	say(d, "memfd_create ");
	n = read_str(d, args[0], s, sizeof(s), &complete);
	if (n < 0)
		obj_unreadable(d, (int)n, "name");
	else
		obj_string(d, s, (size_t)n, complete);
}

static void d_clone(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	uint64_t flags = 0;

	if (r->shape == S_CLONE) {
		flags = args[0];
	} else if (r->shape == S_CLONE3) {
		/* flags are the first u64 of struct clone_args */
		int rc = args[1] >= sizeof(flags) ? mem_read(d, args[0], &flags, sizeof(flags))
						  : -EINVAL;

		if (rc < 0) {
			if (args[1] >= sizeof(flags))
				fail(d, rc);
			say(d, "new process or thread");
			return;
		}
	}
	say(d, (flags & CLONE_THREAD) ? "new thread" : "new process");
}

static void d_inspect(struct desc *d, const struct rule *r, const uint64_t args[6])
{
	int pid = arg_int(args, 0);

	say(d, "inspect ");
	objf(d, "pid %d", pid);
	if (r->a[1] != NO && arg_int(args, r->a[1]) != pid)
		objf(d, " and pid %d", arg_int(args, r->a[1]));
}

/* perf_event_open(attr, pid, cpu, group_fd, flags) */
static void d_perf(struct desc *d, const uint64_t args[6])
{
	int pid = arg_int(args, 1), cpu = arg_int(args, 2);

	say(d, "inspect ");
	if (args[4] & PERF_FLAG_PID_CGROUP)
		objf(d, "cgroup fd %d", pid);
	else if (pid == -1)
		objf(d, "every process on cpu %d", cpu);
	else if (pid == 0)
		obj(d, "itself");
	else
		objf(d, "pid %d", pid);
}

static const struct rule *rule_find(int nr)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].nr == nr)
			return &rules[i];
	return NULL;
}

int sv_target_describe(struct uw_mem *mem, pid_t tid, int nr, const uint64_t args[6],
		       char *buf, size_t len, char *object, size_t olen)
{
	const struct rule *r = rule_find(nr);
	struct desc d = { .mem = mem };
	char nb[24];

	/* threads share their process's memory, which @mem reads */
	(void)tid;
	sink_init(&d.all, buf, len);
	sink_init(&d.obj, object, object ? olen : 0);
	if (!r) {
		say(&d, sv_syscall_name(nr, nb, sizeof(nb)));
		return 0;
	}
	switch ((enum shape)r->shape) {
	case S_OPEN:
	case S_CREAT:
	case S_OPENAT2:
		d_open(&d, r, args);
		break;
	case S_EXEC:
		d_exec(&d, r, args);
		break;
	case S_PATH:
	case S_PATH_NULL:
	case S_UNLINKAT:
		d_path(&d, r, args);
		break;
	case S_PATH2:
		d_path2(&d, r, args);
		break;
	case S_SOCKET:
		d_socket(&d, args);
		break;
	case S_ADDR:
		d_addr(&d, r, args);
		break;
	case S_SENDMSG:
	case S_SENDMMSG:
		d_sendmsg(&d, r, args);
		break;
	case S_FD:
		say_fd(&d, r->verb, arg_int(args, r->a[0]));
		break;
	case S_KILL:
	case S_SIGNAL:
	case S_PIDFD_SIGNAL:
		d_kill(&d, r, args);
		break;
	case S_PIDFD_OPEN:
		say(&d, "pidfd_open ");
		objf(&d, "pid %d", arg_int(args, 0));
		break;
	case S_MMAP:
		d_mmap(&d, args);
		break;
	case S_MPROTECT:
		d_mprotect(&d, r, args);
		break;
	case S_MEMFD:
		d_memfd(&d, args);
		break;
	case S_FORK:
	case S_CLONE:
	case S_CLONE3:
		d_clone(&d, r, args);
		break;
	case S_INSPECT:
		d_inspect(&d, r, args);
		break;
	case S_PERF:
		d_perf(&d, args);
		break;
	}
	return d.rc;
}
