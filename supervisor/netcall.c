// SPDX-License-Identifier: MIT
/*
 * netcall.c - copy a socket call's addresses and data once, describe them,
 * and perform the call on a duplicate of the program's socket.
 *
 * Semantics kept: the program's own open file description (pidfd_getfd), so
 * its O_NONBLOCK, connection state, bound name and buffers are the ones
 * used; the call's MSG_* flags; the kernel's own result and errno; sendmmsg's
 * msg_len fields; SCM_RIGHTS descriptors (translated from the program's
 * table); SIGPIPE on a broken stream (sent to the caller, as the kernel
 * would, unless MSG_NOSIGNAL). What differs, and why:
 *  - AF_UNIX paths are resolved once, against the caller's working directory,
 *    into an O_PATH descriptor; sisup then names that very inode as
 *    "/proc/self/fd/N" (the kernel follows the magic link), and a bind
 *    creates "NAME" in the pinned directory as "/proc/self/fd/N/NAME". A
 *    racing thread that swaps a symlink cannot redirect the call. The price:
 *    getsockname() on a socket bound to a path shows that /proc name.
 *  - the peer of a unix connection sees sisup's pid in SO_PEERCRED (uid and
 *    gid are the program's: sisup acts only with identical ids);
 *  - SCM_CREDENTIALS is refused (EPERM): the kernel checks the pid in it
 *    against the sender, which would be sisup;
 *  - at most SV_NET_DATA_MAX bytes and SV_NET_MSGS_MAX messages per call (a
 *    short count, which callers of send must handle anyway).
 */
#include "netcall.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "actas.h"
#include "kcompat.h"
#include "netdefer.h"
#include "remotefd.h"

/* The kernel's limits: iovecs per message and descriptors per SCM_RIGHTS. */
#define NET_IOV_MAX 1024
#define NET_SCM_MAX_FD 253

void sv_net_result(struct sv_answer *ans, long r)
{
	sv_answer_result(ans, r);
}

/*
 * The lexical absolute form of @path seen from @tid's working directory:
 * what the program asked for, when it cannot be opened (the call then fails
 * with the kernel's own error, but the decision still needs a name). "." and
 * ".." are folded without following anything: only a name, never used to
 * reach a file. Bounded by @outlen; no recursion.
 */
static int lexical_path(pid_t tid, const char *path, char *out, size_t outlen)
{
	char buf[PATH_MAX * 2], link[64];
	size_t o = 0;
	const char *p;

	if (path[0] == '/') {
		snprintf(buf, sizeof(buf), "%s", path);
	} else {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/%d/cwd", (int)tid);
		n = readlink(link, buf, PATH_MAX - 1);
		if (n <= 0)
			return -ESRCH;
		buf[n] = '\0';
		if (snprintf(buf + n, sizeof(buf) - (size_t)n, "/%s", path) >= (int)(sizeof(buf) - (size_t)n))
			return -ENAMETOOLONG;
	}
	out[0] = '\0';
	for (p = buf; *p;) {
		const char *e;
		size_t len;

		while (*p == '/')
			p++;
		e = strchrnul(p, '/');
		len = (size_t)(e - p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			out[o] = '\0';
		} else {
			if (o + 1 + len + 1 > outlen)
				return -ENAMETOOLONG;
			out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
			out[o] = '\0';
		}
		p = e;
	}
	if (o == 0)
		snprintf(out, outlen, "/");
	return 0;
}

/*
 * Resolve unix socket path @path of thread @tid: open it (or, for bind, its
 * directory) with O_PATH relative to the caller's working directory,
 * following symlinks as the kernel would, and take the canonical name from
 * the descriptor (readlink of /proc/self/fd/N names the inode we hold, so
 * the name checked and the file used cannot diverge).
 * RESOLVE_NO_MAGICLINKS: /proc/self/... would name sisup's files.
 *
 * This is the one place that resolves a socket path; sv_path_resolve()
 * (pathcall.c) can replace the open below once it exists, as long as the
 * result stays pinned by a descriptor.
 */
static int resolve_unix(pid_t tid, const char *path, bool bind_dir, struct sv_net_addr *a)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_MAGICLINKS };
	char link[64], dir[PATH_MAX];
	const char *name = NULL, *target = path;
	struct sockaddr_un *un = (struct sockaddr_un *)&a->use;
	int base = AT_FDCWD, fd, n;
	ssize_t len;

	if (bind_dir) {
		const char *slash = strrchr(path, '/');

		how.flags |= O_DIRECTORY;
		if (!slash) {
			target = ".";
			name = path;
		} else {
			size_t dl = slash == path ? 1 : (size_t)(slash - path);

			if (dl >= sizeof(dir))
				return -ENAMETOOLONG;
			memcpy(dir, path, dl);
			dir[dl] = '\0';
			target = dir;
			name = slash + 1;
		}
	}
	if (target[0] != '/') {
		snprintf(link, sizeof(link), "/proc/%d/cwd", (int)tid);
		base = open(link, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (base < 0)
			return errno == ENOENT ? -ESRCH : -errno;
	}
	fd = (int)syscall(SYS_openat2, base, target, &how, sizeof(how));
	n = errno;
	if (base >= 0)
		close(base);
	if (fd < 0)
		return -n;
	a->pathfd = fd;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, a->path, sizeof(a->path) - 1);
	if (len <= 0)
		return -EIO;
	a->path[len] = '\0';
	if (name) {
		size_t pl = (size_t)len;

		if (pl + 1 + strlen(name) + 1 > sizeof(a->path))
			return -ENAMETOOLONG;
		snprintf(a->path + pl, sizeof(a->path) - pl, "%s%s", pl > 1 ? "/" : "", name);
	}
	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	n = name ? snprintf(un->sun_path, sizeof(un->sun_path), "/proc/self/fd/%d/%s", fd, name)
		 : snprintf(un->sun_path, sizeof(un->sun_path), "/proc/self/fd/%d", fd);
	if (n < 0 || (size_t)n >= sizeof(un->sun_path))
		return -ENAMETOOLONG;
	a->uselen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n + 1);
	return 0;
}

/* Describe the copied address in @a (a->sa, a->salen) and prepare what is
 * used. Return 0, or -errno of the call (the address cannot be reached). */
static int describe(pid_t tid, bool bind_dir, struct sv_net_addr *a, int *err)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)&a->sa;
	size_t off = offsetof(struct sockaddr_un, sun_path);

	a->use = a->sa;
	a->uselen = a->salen;
	a->obj.kind = POL_OBJ_NONE;
	if (a->salen < sizeof(sa_family_t))
		return 0; /* the kernel's EINVAL, on the copy */
	if ((a->sa.ss_family == AF_INET && a->salen >= sizeof(struct sockaddr_in)) ||
	    (a->sa.ss_family == AF_INET6 && a->salen >= 24 /* SIN6_LEN_RFC2133 */)) {
		a->obj.kind = POL_OBJ_INET;
		a->obj.sa = (const struct sockaddr *)&a->sa;
		a->obj.salen = a->salen;
		return 0;
	}
	if (a->sa.ss_family != AF_UNIX)
		return 0;
	a->obj.kind = POL_OBJ_UNIX;
	if (a->salen == off || un->sun_path[0] == '\0') {
		/* Abstract (or autobind: an empty name the kernel picks). */
		a->obj.abstract = true;
		a->obj.name = (const unsigned char *)un->sun_path + (a->salen > off ? 1 : 0);
		a->obj.namelen = a->salen > off ? a->salen - off - 1 : 0;
		return 0;
	}
	{
		char path[sizeof(un->sun_path) + 1];
		size_t n = strnlen(un->sun_path, a->salen - off);
		int rc;

		memcpy(path, un->sun_path, n);
		path[n] = '\0';
		a->obj.path = a->path;
		rc = resolve_unix(tid, path, bind_dir, a);
		if (rc < 0) {
			/* The call fails with the kernel's error; the decision
			 * is taken on the name the program gave. */
			if (a->pathfd >= 0)
				close(a->pathfd);
			a->pathfd = -1;
			*err = rc;
			return lexical_path(tid, path, a->path, sizeof(a->path));
		}
	}
	return 0;
}

/* Copy the address at @uaddr (@ulen bytes, as the kernel's
 * move_addr_to_kernel checks it) into @a. */
static int copy_addr(struct uw_mem *mem, pid_t tid, uint64_t uaddr, uint64_t ulen, bool bind_dir,
		     struct sv_net_addr *a, int *err)
{
	a->pathfd = -1;
	a->has_addr = true;
	if (ulen > sizeof(a->sa))
		return -EINVAL;
	a->salen = (socklen_t)ulen;
	if (ulen && uw_mem_read(mem, uaddr, &a->sa, ulen) < 0)
		return -EFAULT;
	return describe(tid, bind_dir, a, err);
}

/* Translate the SCM_RIGHTS descriptors of the control data at @ctl into
 * duplicates of the program's; refuse what sisup cannot send as the program. */
static int translate_ctl(struct sv_netcall *nc, struct msghdr *m)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		size_t n;

		if (c->cmsg_len < CMSG_LEN(0))
			return -EINVAL;
		if (c->cmsg_level != SOL_SOCKET)
			continue; /* IP_PKTINFO, UDP_SEGMENT...: plain values */
		if (c->cmsg_type == SCM_CREDENTIALS)
			return -EPERM;
		if (c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (n > NET_SCM_MAX_FD || nc->nfds + n > (size_t)NET_SCM_MAX_FD * SV_NET_MSGS_MAX)
			return -EINVAL;
		for (size_t i = 0; i < n; i++) {
			int fd, dup;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			dup = sv_remote_fd(nc->tid, fd);
			if (dup < 0)
				return dup == -EBADF ? -EBADF : -EPERM;
			nc->fds[nc->nfds++] = dup;
			memcpy(CMSG_DATA(c) + i * sizeof(int), &dup, sizeof(int));
		}
	}
	return 0;
}

/*
 * Copy @n messages at @vec (struct msghdr, or struct mmsghdr for sendmmsg)
 * with their addresses, data and control data. Every count and length comes
 * from the program: each is checked against the kernel's limit or ours.
 */
static int copy_msgs(struct uw_mem *mem, struct sv_netcall *nc, uint64_t vec, unsigned n, bool mmsg,
		     int *err)
{
	size_t stride = mmsg ? sizeof(struct mmsghdr) : sizeof(struct msghdr);
	struct uw_iov *pieces = NULL;
	struct iovec *src = NULL;
	size_t used = 0, ctlused = 0, ctltotal = 0;
	int rc = -ENOMEM;

	nc->msgs = calloc(n ? n : 1, sizeof(*nc->msgs));
	nc->addr = calloc(n ? n : 1, sizeof(*nc->addr));
	nc->iov = calloc(n ? n : 1, sizeof(*nc->iov));
	if (!nc->msgs || !nc->addr || !nc->iov)
		return -ENOMEM;
	for (unsigned k = 0; k < n; k++)
		nc->addr[k].pathfd = -1;
	nc->naddr = n;
	for (unsigned k = 0; k < n; k++) {
		struct msghdr *m = &nc->msgs[k].msg_hdr;

		if (uw_mem_read(mem, vec + (uint64_t)k * stride, m, sizeof(*m)) < 0)
			return -EFAULT;
		if (m->msg_controllen > SV_NET_CTL_MAX)
			return -ENOBUFS;
		ctltotal += m->msg_controllen;
	}
	src = malloc(NET_IOV_MAX * sizeof(*src));
	pieces = malloc(NET_IOV_MAX * sizeof(*pieces));
	nc->data = malloc(SV_NET_DATA_MAX);
	nc->ctl = ctltotal ? malloc(ctltotal) : NULL;
	nc->fds = ctltotal ? malloc(sizeof(int) * NET_SCM_MAX_FD * SV_NET_MSGS_MAX) : NULL;
	if (!src || !pieces || !nc->data || (ctltotal && (!nc->ctl || !nc->fds)))
		goto out;
	for (unsigned k = 0; k < n; k++) {
		struct msghdr *m = &nc->msgs[k].msg_hdr;
		struct sv_net_addr *a = &nc->addr[k];
		size_t want = 0, room = SV_NET_DATA_MAX - used, np = 0;

		rc = -EMSGSIZE;
		if (m->msg_iovlen > NET_IOV_MAX)
			goto out;
		rc = -EFAULT;
		if (m->msg_iovlen &&
		    uw_mem_read(mem, (uint64_t)(uintptr_t)m->msg_iov, src, m->msg_iovlen * sizeof(*src)) < 0)
			goto out;
		rc = -EINVAL;
		for (size_t i = 0; i < m->msg_iovlen; i++)
			if (src[i].iov_len > (size_t)SSIZE_MAX)
				goto out;
		/* The data, capped at what is left of SV_NET_DATA_MAX. */
		want = 0;
		for (size_t i = 0; i < m->msg_iovlen && want < room; i++) {
			size_t take = src[i].iov_len < room - want ? src[i].iov_len : room - want;

			if (take) {
				pieces[np].addr = (uint64_t)(uintptr_t)src[i].iov_base;
				pieces[np].buf = nc->data + used + want;
				pieces[np].len = take;
				np++;
			}
			want += take;
		}
		{
			size_t total = 0;
			bool over = false;

			for (size_t i = 0; i < m->msg_iovlen; i++) {
				if (src[i].iov_len > room - total) {
					over = true;
					break;
				}
				total += src[i].iov_len;
			}
			if (over && nc->type != SOCK_STREAM) {
				/* A datagram is sent whole or not at all. */
				if (k == 0) {
					rc = -EMSGSIZE;
					goto out;
				}
				n = k; /* send the earlier messages */
				break;
			}
			if (over && k > 0) {
				n = k;
				break;
			}
		}
		rc = -EFAULT;
		if (np && uw_mem_readv(mem, pieces, np) < 0)
			goto out;
		nc->iov[k].iov_base = nc->data + used;
		nc->iov[k].iov_len = want;
		used += want;
		m->msg_iov = &nc->iov[k];
		m->msg_iovlen = 1;
		m->msg_flags = 0;

		if (m->msg_controllen) {
			rc = -EFAULT;
			if (uw_mem_read(mem, (uint64_t)(uintptr_t)m->msg_control, nc->ctl + ctlused,
					m->msg_controllen) < 0)
				goto out;
			m->msg_control = nc->ctl + ctlused;
			ctlused += m->msg_controllen;
			rc = translate_ctl(nc, m);
			if (rc < 0)
				goto out;
		} else {
			m->msg_control = NULL;
		}

		if (m->msg_name) {
			/* The kernel clamps a long msg_namelen; a "negative"
			 * one is EINVAL. */
			uint64_t len = m->msg_namelen > sizeof(a->sa) ? sizeof(a->sa) : m->msg_namelen;

			rc = -EINVAL;
			if ((int)m->msg_namelen < 0)
				goto out;
			rc = copy_addr(mem, nc->tid, (uint64_t)(uintptr_t)m->msg_name, len, false, a,
				       err);
			if (rc < 0)
				goto out;
			m->msg_name = &a->use;
			m->msg_namelen = a->uselen;
		} else {
			m->msg_namelen = 0;
		}
	}

	nc->nmsgs = n;
	rc = 0;
out:
	free(src);
	free(pieces);
	return rc;
}

/* The duplicate of the caller's socket, its type and blocking mode. */
static int dup_sock(struct sv_netcall *nc, int fd)
{
	socklen_t l = sizeof(nc->type);
	int fl;

	nc->sock = sv_remote_fd(nc->tid, fd);
	if (nc->sock < 0) {
		int rc = nc->sock;

		nc->sock = -1;
		/* EBADF: not open in the caller, its own failure. Anything
		 * else (pidfd_getfd denied to sisup, as in Docker's default
		 * profile): sisup cannot act for it, a refusal. */
		return rc == -EBADF || rc == -ESRCH ? rc : -EPERM;
	}
	if (getsockopt(nc->sock, SOL_SOCKET, SO_TYPE, &nc->type, &l) < 0)
		return errno == ENOTSOCK ? -ENOTSOCK : -errno;
	fl = fcntl(nc->sock, F_GETFL);
	if (fl < 0)
		return -errno;
	nc->nonblock = fl & O_NONBLOCK;
	return 0;
}

int sv_net_prepare(struct sv *sv, const struct seccomp_notif *req, struct uw_mem *mem,
		   struct sv_netcall *nc)
{
	const __u64 *args = req->data.args;
	int rc, err = 0;

	memset(nc, 0, sizeof(*nc));
	nc->sock = -1;
	nc->nr = req->data.nr;
	nc->tid = (pid_t)req->pid;
	nc->id = req->id;
	/* Every call below is checked by the kernel against sisup's ids. */
	if (sv->euid_root && !sv_same_ids(nc->tid))
		return -EPERM;
	if (!mem)
		return -EFAULT;
	if (nc->nr != __NR_connect && nc->nr != __NR_bind && nc->nr != __NR_sendto &&
	    nc->nr != __NR_sendmsg && nc->nr != __NR_sendmmsg)
		return -EINVAL;
	rc = dup_sock(nc, (int)(uint32_t)args[0]);
	if (rc < 0)
		goto fail;
	switch (nc->nr) {
	case __NR_connect:
	case __NR_bind:
		rc = -ENOMEM;
		nc->addr = calloc(1, sizeof(*nc->addr));
		if (!nc->addr)
			goto fail;
		nc->naddr = 1;
		rc = copy_addr(mem, nc->tid, args[1], (uint32_t)args[2], nc->nr == __NR_bind,
			       &nc->addr[0], &err);
		break;
	case __NR_sendto: {
		/* sendto is sendmsg with one buffer: build that message in
		 * the program's layout and copy it like sendmsg's. */
		struct sv_net_addr *a;
		size_t len = args[2] > SV_NET_DATA_MAX ? SV_NET_DATA_MAX : args[2];

		nc->flags = (int)(uint32_t)args[3];
		rc = -ENOMEM;
		nc->msgs = calloc(1, sizeof(*nc->msgs));
		nc->addr = calloc(1, sizeof(*nc->addr));
		nc->iov = calloc(1, sizeof(*nc->iov));
		nc->data = malloc(len ? len : 1);
		if (!nc->msgs || !nc->addr || !nc->iov || !nc->data)
			goto fail;
		a = &nc->addr[0];
		a->pathfd = -1;
		nc->naddr = nc->nmsgs = 1;
		rc = -EMSGSIZE;
		if (args[2] > SV_NET_DATA_MAX && nc->type != SOCK_STREAM)
			goto fail;
		rc = -EFAULT;
		if (len && uw_mem_read(mem, args[1], nc->data, len) < 0)
			goto fail;
		nc->iov[0].iov_base = nc->data;
		nc->iov[0].iov_len = len;
		nc->msgs[0].msg_hdr.msg_iov = nc->iov;
		nc->msgs[0].msg_hdr.msg_iovlen = 1;
		rc = 0;
		if (args[4]) {
			rc = copy_addr(mem, nc->tid, args[4], (uint32_t)args[5], false, a, &err);
			nc->msgs[0].msg_hdr.msg_name = &a->use;
			nc->msgs[0].msg_hdr.msg_namelen = a->uselen;
		}
		break;
	}
	case __NR_sendmsg:
		nc->flags = (int)(uint32_t)args[2];
		rc = copy_msgs(mem, nc, args[1], 1, false, &err);
		break;
	default: /* sendmmsg */
		nc->flags = (int)(uint32_t)args[3];
		nc->vec = args[1];
		rc = copy_msgs(mem, nc, args[1],
			       (uint32_t)args[2] > SV_NET_MSGS_MAX ? SV_NET_MSGS_MAX : (unsigned)(uint32_t)args[2],
			       true, &err);
		break;
	}
	if (rc < 0)
		goto fail;
	/* An address that cannot be reached: the decision is still taken on
	 * its name, and perform answers with the kernel's error. */
	nc->err = err;
	/* What we read and duplicated belongs to this caller only if it is
	 * still blocked in this very notification (not killed, its tid not
	 * re-used): checked after the last read. */
	if (ioctl(sv->launch.listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &nc->id) < 0) {
		rc = -ESRCH;
		goto fail;
	}
	return 0;
fail:
	sv_net_release(nc);
	return rc;
}

/*
 * sendmmsg stores each message's sent length in the caller's mmsghdr, and
 * glibc's resolver checks it. We write those four-byte fields as the kernel
 * would (process_vm_writev: allowed to us as the program's tracer and
 * ancestor). This is the only write sisup makes into the program; it touches
 * nothing but the msg_len fields of the vector the call named. If it fails
 * (a non-dumpable program), the caller sees a short send: a failure, not a
 * grant.
 */
void sv_net_finish(struct sv_netcall *nc, long r)
{
	if (nc->nr != __NR_sendmmsg || r <= 0)
		return;
	for (long i = 0; i < r && i < (long)nc->nmsgs; i++) {
		unsigned int len = nc->msgs[i].msg_len;
		struct iovec local = { &len, sizeof(len) };
		struct iovec remote = {
			(void *)(uintptr_t)(nc->vec + (uint64_t)i * sizeof(struct mmsghdr) +
					    offsetof(struct mmsghdr, msg_len)),
			sizeof(len),
		};

		if (process_vm_writev(nc->tid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(len))
			return;
	}
}

long sv_net_call(struct sv_netcall *nc, int extra_flags)
{
	long r;

	if (nc->err)
		return nc->err;
	switch (nc->nr) {
	case __NR_connect:
		r = connect(nc->sock, (struct sockaddr *)&nc->addr[0].use, nc->addr[0].uselen);
		break;
	case __NR_bind:
		r = bind(nc->sock, (struct sockaddr *)&nc->addr[0].use, nc->addr[0].uselen);
		break;
	case __NR_sendmmsg:
		if (nc->nmsgs == 0)
			return 0;
		/* sisup ignores SIGPIPE; the caller gets it from perform. */
		r = sendmmsg(nc->sock, nc->msgs, nc->nmsgs, nc->flags | extra_flags | MSG_NOSIGNAL);
		break;
	default:
		r = sendmsg(nc->sock, &nc->msgs[0].msg_hdr, nc->flags | extra_flags | MSG_NOSIGNAL);
		break;
	}
	return r < 0 ? -errno : r;
}

void sv_net_sigpipe(struct sv *sv, const struct sv_netcall *nc, long r)
{
	const struct sv_task *t;

	if (r != -EPIPE || (nc->flags & MSG_NOSIGNAL) || nc->type != SOCK_STREAM)
		return;
	/* The kernel raises SIGPIPE in the sending thread. */
	t = sv->tasks ? sv_tasks_get(sv->tasks, nc->tid) : NULL;
	if (t)
		syscall(SYS_tgkill, t->tgid, nc->tid, SIGPIPE);
}

void sv_net_perform(struct sv *sv, const struct seccomp_notif *req, struct sv_netcall *nc,
		    struct sv_answer *ans)
{
	bool stream = nc->type == SOCK_STREAM || nc->type == SOCK_SEQPACKET;
	long r;

	(void)req;
	if (nc->nr == __NR_connect && stream && !nc->nonblock && !nc->err) {
		/* A blocking connect waits for the peer: never in the event
		 * loop. The program's own O_NONBLOCK (shared description)
		 * makes the duplicate's connect return EINPROGRESS at once. */
		sv_net_defer(sv, nc, ans);
		return;
	}
	if (nc->nr == __NR_connect || nc->nr == __NR_bind) {
		sv_net_result(ans, sv_net_call(nc, 0));
		return;
	}
	/* Sends: try without waiting; only a full buffer on a blocking
	 * socket waits, on a worker. */
	r = sv_net_call(nc, MSG_DONTWAIT);
	if (r == -EAGAIN && !nc->nonblock && !(nc->flags & MSG_DONTWAIT)) {
		sv_net_defer(sv, nc, ans);
		return;
	}
	sv_net_finish(nc, r);
	sv_net_sigpipe(sv, nc, r);
	sv_net_result(ans, r);
}

void sv_net_release(struct sv_netcall *nc)
{
	if (nc->sock >= 0)
		close(nc->sock);
	for (unsigned k = 0; nc->addr && k < nc->naddr; k++)
		if (nc->addr[k].pathfd >= 0)
			close(nc->addr[k].pathfd);
	for (unsigned i = 0; i < nc->nfds; i++)
		close(nc->fds[i]);
	free(nc->addr);
	free(nc->msgs);
	free(nc->iov);
	free(nc->data);
	free(nc->ctl);
	free(nc->fds);
	memset(nc, 0, sizeof(*nc));
	nc->sock = -1;
}
