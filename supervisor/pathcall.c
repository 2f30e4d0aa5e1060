// SPDX-License-Identifier: MIT
/*
 * pathcall.c - canonicalise a path as the program would resolve it, and
 * perform the call on that path so that nothing can redirect it.
 *
 * Two halves, see pathcall.h for why:
 *  - walk(): an iterative, bounded resolver over sisup's view of the file
 *    system (lstat/readlink per component, 40 links like the kernel). It
 *    only produces a name; races with it are harmless because
 *  - perform opens the canonical parent with RESOLVE_NO_SYMLINKS from "/"
 *    (a canonical path has no "..", so nothing walks out of it) and acts
 *    on the last component relative to that descriptor, again with
 *    RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH. Whatever is found is what sits
 *    at the approved path now; a component swapped for a symlink fails the
 *    call with ELOOP. Renames of directories along the path change what
 *    sits there, not the name the policy approved.
 *
 * Everything read from the program (paths, open_how, times, xattr names and
 * values) is copied once, bounded, and never re-read.
 */
#include "pathcall.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "actas.h"
#include "emulate.h"
#include "arch.h"
#include "kcompat.h"
#include "remote.h"
#include "remotefd.h"

#define MAXLINKS 40			/* the kernel's MAXSYMLINKS */
#define REST_MAX (4 * SV_PATH_MAX)	/* pending path text while expanding links */
#define XNAME_MAX 255			/* XATTR_NAME_MAX */
#define XSIZE_MAX 65536			/* XATTR_SIZE_MAX */
#define PAGE 4096

/* What the kernel's open/openat keep of their flags (VALID_OPEN_FLAGS). */
#define OPEN_VALID (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | \
		    O_DSYNC | O_SYNC | FASYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | \
		    O_NOATIME | O_CLOEXEC | O_PATH | O_TMPFILE)
/* Flags taking a mode: O_TMPFILE includes O_DIRECTORY, so test __O_TMPFILE. */
#define WILL_CREATE(f) (((f) & O_CREAT) || ((f) & (O_TMPFILE & ~O_DIRECTORY)))

enum walk_how {
	W_FOLLOW = 1,		/* follow a symlink in the last component */
	W_BENEATH = 2,		/* openat2 RESOLVE_BENEATH */
	W_NO_SYMLINKS = 4,	/* openat2 RESOLVE_NO_SYMLINKS */
	W_NO_MAGIC = 8,		/* openat2 RESOLVE_NO_MAGICLINKS */
};

/* ---- copying from the program ---------------------------------------- */

int sv_path_copy_str(struct uw_mem *mem, uint64_t addr, char *buf, size_t len)
{
	size_t got = 0;

	if (!mem || !addr || !len)
		return -EFAULT;
	while (got + 1 < len) {
		size_t n = PAGE - ((addr + got) % PAGE);

		if (n > len - 1 - got)
			n = len - 1 - got;
		if (uw_mem_read(mem, addr + got, buf + got, n) < 0)
			return -EFAULT;
		if (memchr(buf + got, '\0', n))
			return 0;
		got += n;
	}
	return -ENAMETOOLONG;
}

/* ---- sisup's view must be the program's ------------------------------ */

/* Same mount namespace and root directory, else a path names something
 * else for sisup. The program cannot change either (no namespaces, no
 * chroot without privileges), so this is a guard, not a race. */
static int same_view(pid_t tid)
{
	char p[64], root[8];
	struct stat a, b;
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/%d/root", (int)tid);
	n = readlink(p, root, sizeof(root));
	if (n < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if (n != 1 || root[0] != '/')
		return -EOPNOTSUPP;
	snprintf(p, sizeof(p), "/proc/%d/ns/mnt", (int)tid);
	if (stat(p, &a) < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if (stat("/proc/self/ns/mnt", &b) < 0)
		return -errno;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino ? 0 : -EOPNOTSUPP;
}

/* The absolute path of sisup's descriptor @fd, only if that path still
 * names the same inode (not "(deleted)", "pipe:[..]", another namespace's). */
static int fd_path(int fd, char *out, size_t len)
{
	char p[64];
	struct stat a, b;
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	n = readlink(p, out, len);
	if (n < 0)
		return -errno;
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	out[n] = '\0';
	if (out[0] != '/' || fstat(fd, &a) < 0 || stat(out, &b) < 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return -ENOENT;
	return 0;
}

/* sisup's copy of the caller's @dirfd, or of its working directory. */
static int base_fd(pid_t tid, int dirfd)
{
	char p[64];
	int fd;

	if (dirfd != AT_FDCWD)
		return sv_remote_fd(tid, dirfd);
	snprintf(p, sizeof(p), "/proc/%d/cwd", (int)tid);
	fd = open(p, O_PATH | O_CLOEXEC);
	return fd >= 0 ? fd : errno == ENOENT ? -ESRCH : -errno;
}

static bool on_procfs(const char *dir)
{
	struct statfs s;

	return statfs(dir, &s) == 0 && s.f_type == PROC_SUPER_MAGIC;
}

/* ---- the walk ---------------------------------------------------------- */

struct walk {
	pid_t tid, tgid;
	unsigned how;
	char *out;
	size_t outlen, olen;	/* out[0..olen) is canonical; "" is "/" */
	size_t base;		/* RESOLVE_BENEATH: ".." may not go above this */
	struct stat dir;	/* what out names (a directory) */
	bool lastdot;		/* the path ended in ".", ".." or named "/" */
	unsigned links;		/* symlinks followed so far (MAXLINKS) */
};

/* A magic link (procfs symlink below a pid directory) at w->out whose
 * readlink is @target: usable only as the path it shows, and only if that
 * path still names the same inode. The caller walks @target again from
 * "/" so that every rule (e.g. /proc of other processes) applies to it. */
static int magic(struct walk *w, const char *target)
{
	struct stat a, b;

	if (w->how & W_NO_MAGIC)
		return -ELOOP;
	if (w->how & W_BENEATH)
		return -EXDEV; /* the kernel: no jumps in a scoped lookup */
	if (target[0] != '/')
		return -ENOENT; /* pipe:[..], socket:[..], anon_inode:... */
	if (stat(w->out, &a) < 0)
		return -errno;
	if (stat(target, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return -ENOENT; /* "(deleted)", or replaced since */
	return 0;
}

/* Is the directory w->out (stat in w->dir) a procfs root? */
static bool at_proc_root(struct walk *w)
{
	return w->dir.st_ino == 1 && on_procfs(w->olen ? w->out : "/");
}

/* All digits? */
static bool numeric(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static int set_root(struct walk *w)
{
	w->olen = 0;
	w->out[0] = '\0';
	return stat("/", &w->dir) < 0 ? -errno : 0;
}

/*
 * Resolve @text (absolute, or relative to w->out) onto w->out. The pending
 * text lives at the end of @rest; a symlink's target replaces the component
 * in front of what is left, so no recursion and no copying of the tail.
 */
static int run(struct walk *w, char *rest, const char *text)
{
	char target[SV_PATH_MAX];
	size_t tlen = strnlen(text, SV_PATH_MAX), rpos;
	char *out = w->out;
	int rc;

	if (tlen >= SV_PATH_MAX)
		return -ENAMETOOLONG;
	rpos = REST_MAX - 1 - tlen;
	memcpy(rest + rpos, text, tlen + 1);
	if (text[0] == '/') {
		if (w->how & W_BENEATH)
			return -EXDEV;
		rc = set_root(w);
		if (rc < 0)
			return rc;
	}

	/* Each round consumes a component or expands one of at most
	 * MAXLINKS links (each at most SV_PATH_MAX bytes): bounded. */
	for (unsigned round = 0; round < (MAXLINKS + 2) * SV_PATH_MAX; round++) {
		const char *comp;
		size_t clen, q;
		bool last, follow;
		struct stat st;
		ssize_t n;

		while (rest[rpos] == '/')
			rpos++;
		if (!rest[rpos])
			return 0;
		comp = rest + rpos;
		clen = strcspn(comp, "/");
		rpos += clen;
		for (q = rpos; rest[q] == '/'; q++)
			;
		last = !rest[q];
		follow = !last || (w->how & W_FOLLOW);
		if (clen > NAME_MAX)
			return -ENAMETOOLONG;
		if (clen == 1 && comp[0] == '.') {
			w->lastdot = true;
			continue;
		}
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			if ((w->how & W_BENEATH) && w->olen <= w->base)
				return -EXDEV;
			while (w->olen > 0 && out[w->olen - 1] != '/')
				w->olen--;
			if (w->olen > 0)
				w->olen--;
			out[w->olen] = '\0';
			if (stat(w->olen ? out : "/", &w->dir) < 0)
				return -errno;
			w->lastdot = true;
			continue;
		}
		w->lastdot = false;
		n = -1;
		if (at_proc_root(w)) {
			/* /proc/self would be sisup's: make it the caller's. */
			if (follow && clen == 4 && !memcmp(comp, "self", 4))
				n = snprintf(target, sizeof(target), "%d", (int)w->tgid);
			else if (follow && clen == 11 && !memcmp(comp, "thread-self", 11))
				n = snprintf(target, sizeof(target), "%d/task/%d", (int)w->tgid,
					     (int)w->tid);
			else if (numeric(comp, clen) &&
				 (clen > 10 || (pid_t)strtol(comp, NULL, 10) != w->tgid))
				return -EACCES; /* another process: sisup's rights are not its */
		}
		if (n < 0) {
			if (w->olen + 1 + clen >= w->outlen)
				return -ENAMETOOLONG;
			out[w->olen] = '/';
			memcpy(out + w->olen + 1, comp, clen);
			w->olen += 1 + clen;
			out[w->olen] = '\0';
			if (lstat(out, &st) < 0) {
				if (errno == ENOENT && last)
					return 0; /* to be created: the call itself decides */
				return -errno;
			}
			if (!S_ISLNK(st.st_mode) || !follow) {
				if (!last && !S_ISDIR(st.st_mode))
					return -ENOTDIR;
				w->dir = st;
				continue;
			}
			if (w->how & W_NO_SYMLINKS)
				return -ELOOP;
			if (++w->links > MAXLINKS)
				return -ELOOP;
			n = readlink(out, target, sizeof(target));
			if (n < 0)
				return -errno;
			if ((size_t)n >= sizeof(target))
				return -ENAMETOOLONG;
			target[n] = '\0';
			/* Back to the link's directory. procfs links below its
			 * root are magic (fd/N, cwd, exe); those in the root
			 * (self, mounts -> self/mounts) are plain. */
			w->olen -= 1 + clen;
			out[w->olen] = '\0';
			if (on_procfs(w->olen ? out : "/") && !at_proc_root(w)) {
				out[w->olen] = '/'; /* the link again, for magic() */
				rc = magic(w, target);
				out[w->olen] = '\0';
				if (rc < 0)
					return rc;
			}
		} else if (++w->links > MAXLINKS) {
			return -ELOOP;
		}
		if (n == 0)
			return -ENOENT; /* an empty link, as the kernel */
		if (target[0] == '/') {
			if (w->how & W_BENEATH)
				return -EXDEV;
			rc = set_root(w);
			if (rc < 0)
				return rc;
		}
		/* The target replaces the component in the pending text. */
		if ((size_t)n > rpos)
			return -ENAMETOOLONG;
		rpos -= (size_t)n;
		memcpy(rest + rpos, target, (size_t)n);
	}
	return -ELOOP;
}

static int walk(pid_t tid, pid_t tgid, int dirfd, const char *path, unsigned how, char *out,
		size_t outlen, bool *lastdot)
{
	/* Only sisup's main thread resolves paths (socket workers never do);
	 * keeps 16 KiB off the stack. */
	static char rest[REST_MAX];
	struct walk w = { .tid = tid, .how = W_FOLLOW, .out = out, .outlen = outlen };
	int rc;

	if (outlen < 2 || strnlen(path, SV_PATH_MAX) >= SV_PATH_MAX)
		return -ENAMETOOLONG;
	if (!path[0])
		return -ENOENT;
	rc = same_view(tid);
	if (rc < 0)
		return rc;
	w.tgid = tgid;
	if (path[0] != '/') {
		/* The base is walked like any path (its name comes from
		 * readlink and may lead into /proc of another process). */
		char bpath[SV_PATH_MAX];
		struct stat st;
		int fd = base_fd(tid, dirfd);

		if (fd < 0)
			return fd;
		rc = fstat(fd, &st) < 0 ? -errno : !S_ISDIR(st.st_mode) ? -ENOTDIR : 0;
		if (!rc)
			rc = fd_path(fd, bpath, sizeof(bpath));
		close(fd);
		if (!rc)
			rc = run(&w, rest, bpath);
		if (rc < 0)
			return rc;
		w.base = w.olen;
	}
	w.how = how;
	w.lastdot = true;
	rc = run(&w, rest, path);
	if (rc < 0)
		return rc;
	if (!w.olen) {
		out[0] = '/';
		out[1] = '\0';
	}
	*lastdot = w.lastdot;
	return 0;
}

int sv_path_resolve(pid_t tid, int dirfd, const char *path, bool follow_last, char *out,
		    size_t outlen)
{
	bool lastdot;

	pid_t tgid = sv_task_tgid(tid);

	if (tgid < 0)
		return tgid;
	return walk(tid, tgid, dirfd, path, follow_last ? W_FOLLOW : 0, out, outlen, &lastdot);
}

/* ---- the calls --------------------------------------------------------- */

enum op {
	OP_OPEN, OP_TRUNCATE, OP_MKDIR, OP_MKNOD, OP_UNLINK, OP_RMDIR, OP_RENAME, OP_LINK,
	OP_SYMLINK, OP_CHMOD, OP_CHOWN, OP_UTIMENS, OP_SETXATTR, OP_RMXATTR,
};

enum tfmt { T_NONE, T_UTIMBUF, T_TIMEVAL, T_TIMESPEC };

/* Where a call keeps its arguments: register indexes, -1 for none. */
struct call {
	int nr;
	unsigned char op;
	signed char dirfd, path;	/* object (dirfd -1: AT_FDCWD) */
	signed char dirfd2, path2;	/* second path (rename/link new) */
	signed char flags;		/* AT_ / RENAME_ / open flags */
	signed char fd;			/* descriptor-based call */
	signed char arg;		/* first op argument: mode, uid, dev, length, times, name */
	bool nofollow;			/* the last component is never followed */
	unsigned char times;
};

#define P(nr_, op_, d_, p_, fl_, a_) { nr_, op_, d_, p_, -1, -1, fl_, -1, a_, false, T_NONE }

static const struct call calls[] = {
	P(__NR_open, OP_OPEN, -1, 0, 1, 2),
	P(__NR_openat, OP_OPEN, 0, 1, 2, 3),
	P(__NR_openat2, OP_OPEN, 0, 1, -1, 2),
	P(__NR_creat, OP_OPEN, -1, 0, -1, 1),
	P(__NR_truncate, OP_TRUNCATE, -1, 0, -1, 1),
	P(__NR_mkdir, OP_MKDIR, -1, 0, -1, 1),
	P(__NR_mkdirat, OP_MKDIR, 0, 1, -1, 2),
	P(__NR_mknod, OP_MKNOD, -1, 0, -1, 1),
	P(__NR_mknodat, OP_MKNOD, 0, 1, -1, 2),
	P(__NR_rmdir, OP_RMDIR, -1, 0, -1, -1),
	P(__NR_unlink, OP_UNLINK, -1, 0, -1, -1),
	P(__NR_unlinkat, OP_UNLINK, 0, 1, 2, -1),
	{ __NR_rename, OP_RENAME, -1, 0, -1, 1, -1, -1, -1, true, T_NONE },
	{ __NR_renameat, OP_RENAME, 0, 1, 2, 3, -1, -1, -1, true, T_NONE },
	{ __NR_renameat2, OP_RENAME, 0, 1, 2, 3, 4, -1, -1, true, T_NONE },
	{ __NR_link, OP_LINK, -1, 0, -1, 1, -1, -1, -1, true, T_NONE },
	{ __NR_linkat, OP_LINK, 0, 1, 2, 3, 4, -1, -1, true, T_NONE },
	{ __NR_symlink, OP_SYMLINK, -1, 1, -1, -1, -1, -1, 0, true, T_NONE },
	{ __NR_symlinkat, OP_SYMLINK, 1, 2, -1, -1, -1, -1, 0, true, T_NONE },
	P(__NR_chmod, OP_CHMOD, -1, 0, -1, 1),
	P(__NR_fchmodat, OP_CHMOD, 0, 1, -1, 2),
	P(__NR_fchmodat2, OP_CHMOD, 0, 1, 3, 2),
	P(__NR_chown, OP_CHOWN, -1, 0, -1, 1),
	{ __NR_lchown, OP_CHOWN, -1, 0, -1, -1, -1, -1, 1, true, T_NONE },
	P(__NR_fchownat, OP_CHOWN, 0, 1, 4, 2),
	{ __NR_utime, OP_UTIMENS, -1, 0, -1, -1, -1, -1, 1, false, T_UTIMBUF },
	{ __NR_utimes, OP_UTIMENS, -1, 0, -1, -1, -1, -1, 1, false, T_TIMEVAL },
	{ __NR_futimesat, OP_UTIMENS, 0, 1, -1, -1, -1, -1, 2, false, T_TIMEVAL },
	{ __NR_utimensat, OP_UTIMENS, 0, 1, -1, -1, 3, -1, 2, false, T_TIMESPEC },
	P(__NR_setxattr, OP_SETXATTR, -1, 0, -1, 1),
	{ __NR_lsetxattr, OP_SETXATTR, -1, 0, -1, -1, -1, -1, 1, true, T_NONE },
	P(__NR_removexattr, OP_RMXATTR, -1, 0, -1, 1),
	{ __NR_lremovexattr, OP_RMXATTR, -1, 0, -1, -1, -1, -1, 1, true, T_NONE },
	{ __NR_fchmod, OP_CHMOD, -1, -1, -1, -1, -1, 0, 1, false, T_NONE },
	{ __NR_fchown, OP_CHOWN, -1, -1, -1, -1, -1, 0, 1, false, T_NONE },
	{ __NR_fsetxattr, OP_SETXATTR, -1, -1, -1, -1, -1, 0, 1, false, T_NONE },
	{ __NR_fremovexattr, OP_RMXATTR, -1, -1, -1, -1, -1, 0, 1, false, T_NONE },
};

static const struct call *find_call(int nr)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (calls[i].nr == nr)
			return &calls[i];
	return NULL;
}

static int arg_fd(const struct seccomp_notif *req, int i)
{
	return i < 0 ? AT_FDCWD : (int)(uint32_t)req->data.args[i];
}

/* Does the call need an existing object (lookup), or a name to create or
 * remove in a directory (the kernel never follows the last component)? */
static bool parent_op(int op)
{
	return op == OP_MKDIR || op == OP_MKNOD || op == OP_UNLINK || op == OP_RMDIR ||
	       op == OP_RENAME || op == OP_SYMLINK;
}

/* The object is a descriptor: @fd of the caller (AT_FDCWD: its cwd). */
static int take_fd(struct sv_pathcall *pc, pid_t tid, int fd)
{
	struct stat st;

	pc->fd = base_fd(tid, fd);
	if (pc->fd < 0)
		return pc->fd;
	/* What the policy sees; a descriptor with no reachable name
	 * (deleted, pipe, another namespace's) is refused, except the
	 * source of a link that is an unnamed file (O_TMPFILE): linking
	 * gives it its first name, and that name is what is checked. */
	if (fd_path(pc->fd, pc->path[0], sizeof(pc->path[0])) == 0)
		return 0;
	if (pc->op == OP_LINK && fstat(pc->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_nlink == 0) {
		pc->unnamed = true;
		return 0;
	}
	return -EACCES;
}

/*
 * Is @raw the caller's own descriptor magic link ("/proc/self/fd/N",
 * "/proc/thread-self/fd/N", "/proc/TGID/fd/N")? The O_TMPFILE recipe links
 * a file through it (linkat AT_SYMLINK_FOLLOW); it names the descriptor,
 * not a path sisup could walk.
 * Return: N, or -1.
 */
static int own_fd_link(const char *raw, pid_t tgid)
{
	char self[32];
	const char *p = NULL;
	char *end;
	long n;

	snprintf(self, sizeof(self), "/proc/%d/fd/", (int)tgid);
	if (strncmp(raw, "/proc/self/fd/", 14) == 0)
		p = raw + 14;
	else if (strncmp(raw, "/proc/thread-self/fd/", 21) == 0)
		p = raw + 21;
	else if (tgid > 0 && strncmp(raw, self, strlen(self)) == 0)
		p = raw + strlen(self);
	if (!p || *p < '0' || *p > '9')
		return -1;
	errno = 0;
	n = strtol(p, &end, 10);
	if (errno || *end || n < 0 || n > INT_MAX)
		return -1;
	return (int)n;
}

/* Copy and canonicalise path @k of the call. */
static int take_path(struct sv_pathcall *pc, pid_t tid, struct uw_mem *mem, int dirfd,
		     uint64_t addr, unsigned how, bool parent, int k)
{
	char raw[SV_PATH_MAX];
	size_t len;
	bool lastdot;
	int rc = sv_path_copy_str(mem, addr, raw, sizeof(raw));

	if (rc < 0)
		return rc;
	len = strlen(raw);
	pc->slash[k] = len > 0 && raw[len - 1] == '/';
	/* A trailing slash makes a lookup follow and want a directory (the
	 * kernel's lookup_last); creating and removing calls keep it. */
	if (pc->slash[k] && !parent)
		how |= W_FOLLOW;
	rc = walk(tid, pc->who.tgid, dirfd, raw, how, pc->path[k], sizeof(pc->path[k]), &lastdot);
	if (rc < 0)
		return rc;
	if (parent && lastdot)
		return -EOPNOTSUPP;
	return 0;
}

static int copy_times(struct sv_pathcall *pc, struct uw_mem *mem, uint64_t addr, int fmt)
{
	if (!addr || fmt == T_NONE)
		return 0; /* NULL: now */
	pc->have_times = true;
	if (fmt == T_UTIMBUF) {
		struct utimbuf u;

		if (uw_mem_read(mem, addr, &u, sizeof(u)) < 0)
			return -EFAULT;
		pc->times[0] = (struct timespec){ .tv_sec = u.actime };
		pc->times[1] = (struct timespec){ .tv_sec = u.modtime };
	} else if (fmt == T_TIMEVAL) {
		struct timeval tv[2];

		if (uw_mem_read(mem, addr, tv, sizeof(tv)) < 0)
			return -EFAULT;
		for (int i = 0; i < 2; i++) {
			if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
				return -EINVAL;
			pc->times[i].tv_sec = tv[i].tv_sec;
			pc->times[i].tv_nsec = tv[i].tv_usec * 1000;
		}
	} else if (uw_mem_read(mem, addr, pc->times, sizeof(pc->times)) < 0) {
		return -EFAULT; /* timespec: the kernel checks the values */
	}
	return 0;
}

/* openat2's struct open_how, as the kernel's copy_struct_from_user. */
static int copy_how(struct sv_pathcall *pc, struct uw_mem *mem, uint64_t addr, uint64_t size)
{
	struct open_how how = { 0 };
	unsigned char tail[256];

	if (size < sizeof(uint64_t) * 3 || size > PAGE)
		return size > PAGE ? -E2BIG : -EINVAL;
	if (uw_mem_read(mem, addr, &how, size < sizeof(how) ? size : sizeof(how)) < 0)
		return -EFAULT;
	for (uint64_t off = sizeof(how); off < size; off += sizeof(tail)) {
		size_t n = size - off < sizeof(tail) ? (size_t)(size - off) : sizeof(tail);

		if (uw_mem_read(mem, addr + off, tail, n) < 0)
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (tail[i])
				return -E2BIG;
	}
	if (how.resolve & (RESOLVE_IN_ROOT | RESOLVE_NO_XDEV))
		return -EOPNOTSUPP;
	pc->flags = how.flags;
	pc->mode = how.mode;
	pc->resolve = how.resolve;
	return 0;
}

/* Copy the xattr name (and value) the way the kernel does. */
static int copy_xattr(struct sv_pathcall *pc, struct uw_mem *mem, const uint64_t *a)
{
	int rc = sv_path_copy_str(mem, a[0], pc->str, XNAME_MAX + 1);

	if (rc == -ENAMETOOLONG || (!rc && !pc->str[0]))
		return -ERANGE;
	if (rc < 0 || pc->op == OP_RMXATTR)
		return rc;
	pc->a = a[2];				/* size */
	pc->b = (uint64_t)(int)(uint32_t)a[3];	/* XATTR_CREATE / XATTR_REPLACE */
	if (pc->b & ~(uint64_t)(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	if (pc->a > XSIZE_MAX)
		return -E2BIG;
	if (pc->a) {
		pc->value = malloc(pc->a);
		if (!pc->value)
			return -ENOMEM;
		if (uw_mem_read(mem, a[1], pc->value, pc->a) < 0)
			return -EFAULT;
	}
	return 0;
}

int sv_path_prepare(struct sv *sv, const struct seccomp_notif *req, struct uw_mem *mem,
		    struct sv_pathcall *pc)
{
	uint64_t args[6];
	const struct call *c = find_call(req->data.nr);
	pid_t tid = (pid_t)req->pid;
	unsigned how = 0;
	int flags = 0, rc;

	for (int i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	/* Everything but the large buffers: the scratch is reused, and a
	 * field left from the previous call (times, flags) must not leak
	 * into this one. */
	memset(pc, 0, offsetof(struct sv_pathcall, path));
	memset(&pc->op, 0, offsetof(struct sv_pathcall, str) - offsetof(struct sv_pathcall, op));
	pc->fd = -1;
	pc->value = NULL;
	pc->nr = req->data.nr;
	if (!c || req->data.arch != SV_AUDIT_ARCH)
		return -EOPNOTSUPP;
	rc = sv_actas_read(tid, &pc->who);
	if (rc < 0)
		return rc;
	/* As root sisup could do what the program may not (see actas.h). */
	if (sv->euid_root && !pc->who.same_ids)
		return -EOPNOTSUPP;
	pc->op = c->op;
	if (c->flags >= 0)
		flags = (int)(uint32_t)args[c->flags];
	pc->flags = (uint64_t)(unsigned)flags;

	switch (c->op) {
	case OP_OPEN:
		if (c->nr == __NR_openat2) {
			rc = copy_how(pc, mem, args[2], args[3]);
			if (rc < 0)
				return rc;
		} else {
			if (c->nr == __NR_creat)
				flags = O_CREAT | O_WRONLY | O_TRUNC;
			/* open/openat: unknown bits ignored, mode only when
			 * creating (build_open_how), large files always. */
			flags = (flags & OPEN_VALID) | O_LARGEFILE;
			if (flags & O_PATH) /* the kernel's O_PATH_FLAGS */
				flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
			pc->flags = (uint64_t)(unsigned)flags;
			pc->mode = WILL_CREATE(flags) ? (args[c->arg] & 07777) : 0;
		}
		/* O_CREAT|O_EXCL implies O_NOFOLLOW (build_open_flags). */
		if (!(pc->flags & O_NOFOLLOW) && !((pc->flags & O_CREAT) && (pc->flags & O_EXCL)))
			how |= W_FOLLOW;
		if (pc->resolve & RESOLVE_BENEATH)
			how |= W_BENEATH;
		if (pc->resolve & RESOLVE_NO_SYMLINKS)
			how |= W_NO_SYMLINKS;
		if (pc->resolve & RESOLVE_NO_MAGICLINKS)
			how |= W_NO_MAGIC;
		break;
	case OP_UNLINK:
		if (flags & ~AT_REMOVEDIR)
			return -EINVAL;
		if (flags & AT_REMOVEDIR)
			pc->op = OP_RMDIR;
		break;
	case OP_LINK:
		if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
			return -EINVAL;
		if (flags & AT_SYMLINK_FOLLOW)
			how |= W_FOLLOW;
		break;
	case OP_CHMOD:
	case OP_CHOWN:
	case OP_UTIMENS:
		if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
			return -EINVAL;
		if (!c->nofollow && !(flags & AT_SYMLINK_NOFOLLOW))
			how |= W_FOLLOW;
		pc->mode = args[c->arg];
		pc->a = (uint64_t)(uint32_t)args[c->arg];	/* uid */
		pc->b = (uint64_t)(uint32_t)args[c->arg + 1];	/* gid */
		rc = copy_times(pc, mem, args[c->arg], c->times);
		if (rc < 0)
			return rc;
		break;
	case OP_SETXATTR:
	case OP_RMXATTR:
		if (!c->nofollow)
			how |= W_FOLLOW;
		rc = copy_xattr(pc, mem, &args[c->arg]);
		if (rc < 0)
			return rc;
		break;
	case OP_TRUNCATE:
		how |= W_FOLLOW;
		pc->a = args[c->arg];
		if ((int64_t)pc->a < 0)
			return -EINVAL;
		break;
	case OP_MKDIR:
	case OP_MKNOD:
		pc->mode = args[c->arg] & 0xffffffffu;
		pc->a = (uint64_t)(uint32_t)args[c->arg + 1]; /* dev, the kernel's u32 */
		break;
	case OP_SYMLINK:
		/* The target is data, not a path looked up now: anything
		 * that later goes through the link is canonicalised then. */
		rc = sv_path_copy_str(mem, args[c->arg], pc->str, sizeof(pc->str));
		if (rc < 0)
			return rc;
		break;
	default:
		break;
	}
	pc->follow = how & W_FOLLOW;
	pc->npaths = 1;

	/* The object: a descriptor, the dirfd itself (AT_EMPTY_PATH or
	 * utimensat(fd, NULL)), or a path. */
	if (c->fd >= 0)
		return take_fd(pc, tid, arg_fd(req, c->fd));
	if (c->op == OP_UTIMENS && !args[c->path] && c->dirfd >= 0 &&
	    arg_fd(req, c->dirfd) != AT_FDCWD)
		return flags ? -EINVAL : take_fd(pc, tid, arg_fd(req, c->dirfd));
	if ((flags & AT_EMPTY_PATH) && c->op != OP_OPEN && c->op != OP_UNLINK) {
		char first;

		if (uw_mem_read(mem, args[c->path], &first, 1) < 0)
			return -EFAULT;
		if (!first) {
			rc = take_fd(pc, tid, arg_fd(req, c->dirfd));
			if (rc < 0)
				return rc;
			goto second;
		}
	}
	if (pc->op == OP_LINK && (how & W_FOLLOW)) {
		/* One copy decides the branch; take_path copies again, and a
		 * string changed in between is walked like any other path. */
		char raw[SV_PATH_MAX];
		int n;

		rc = sv_path_copy_str(mem, args[c->path], raw, sizeof(raw));
		if (rc < 0)
			return rc;
		n = own_fd_link(raw, pc->who.tgid);
		if (n >= 0) {
			rc = take_fd(pc, tid, n);
			if (rc < 0)
				return rc == -EBADF ? -ENOENT : rc;
			goto second;
		}
	}
	rc = take_path(pc, tid, mem, arg_fd(req, c->dirfd), args[c->path], how,
		       parent_op(pc->op) || (c->op == OP_OPEN && (pc->flags & O_CREAT)), 0);
	if (rc < 0)
		return rc;
second:
	if (c->path2 >= 0) {
		pc->npaths = 2;
		rc = take_path(pc, tid, mem, arg_fd(req, c->dirfd2), args[c->path2], 0, true, 1);
		/* An unnamed source has no path of its own: the policy sees
		 * the name it is given, twice. */
		if (rc == 0 && pc->unnamed)
			memcpy(pc->path[0], pc->path[1], sizeof(pc->path[0]));
	}
	return rc;
}

/* ---- performing -------------------------------------------------------- */

/*
 * Open the directory holding canonical @path, and give its last component
 * in @name (with the caller's trailing slash when @slash). "/" itself is
 * ("/", "."). RESOLVE_NO_SYMLINKS: a symlink swapped into the path since it
 * was canonicalised fails the call (ELOOP) rather than redirecting it.
 */
static int open_parent(const char *path, bool slash, char *name, size_t namelen)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS };
	char dir[SV_PATH_MAX];
	const char *cut = strrchr(path, '/');
	size_t dlen;
	int fd;

	if (!cut || path[0] != '/')
		return -EINVAL;
	dlen = cut == path ? 1 : (size_t)(cut - path);
	memcpy(dir, path, dlen);
	dir[dlen] = '\0';
	if (snprintf(name, namelen, "%s%s", cut[1] ? cut + 1 : ".", slash ? "/" : "") >=
	    (int)namelen)
		return -ENAMETOOLONG;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

/* Open the last component below @dirfd, never through a symlink. */
static int open_below(int dirfd, const char *name, uint64_t flags, uint64_t mode,
		      uint64_t resolve)
{
	struct open_how how = { .flags = flags | O_CLOEXEC, .mode = mode,
				.resolve = resolve | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH };
	int fd;

	/* Never let a terminal become sisup's controlling one (openat2
	 * refuses any extra flag next to O_PATH). And never wait in the
	 * open: a FIFO without a peer would hold the supervisor, and every
	 * other notification of the tree with it. */
	if (!(flags & O_PATH))
		how.flags |= O_NOCTTY | O_NONBLOCK;
	fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
	if (fd < 0)
		return -errno;
	return sv_restore_blocking(fd, flags);
}

/* The object itself (O_PATH), at the canonical path or already held. */
static int object_fd(struct sv_pathcall *pc)
{
	char name[NAME_MAX + 2];
	int dir, fd;

	if (pc->fd >= 0)
		return (fd = fcntl(pc->fd, F_DUPFD_CLOEXEC, 0)) < 0 ? -errno : fd;
	dir = open_parent(pc->path[0], pc->slash[0], name, sizeof(name));
	if (dir < 0)
		return dir;
	fd = open_below(dir, name, O_PATH | (pc->follow ? 0 : O_NOFOLLOW), 0, 0);
	close(dir);
	return fd;
}

static long ret(long r)
{
	return r < 0 ? -errno : r;
}

/* Calls on the object through /proc/self/fd/N: follows the magic link to
 * exactly the inode we hold, then does the call's own permission checks. */
static long on_object(struct sv_pathcall *pc)
{
	char p[64];
	struct stat st;
	long r;
	int fd = object_fd(pc);

	if (fd < 0)
		return fd;
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	switch (pc->op) {
	case OP_TRUNCATE:
		r = ret(truncate(p, (off_t)pc->a));
		break;
	case OP_CHMOD:
		/* fchmodat2(AT_SYMLINK_NOFOLLOW) on a symlink: the kernel's answer */
		if (!pc->follow && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode))
			r = -EOPNOTSUPP;
		else
			r = ret(chmod(p, (mode_t)(pc->mode & 07777)));
		break;
	case OP_CHOWN:
		r = ret(fchownat(AT_FDCWD, p, (uid_t)pc->a, (gid_t)pc->b, 0));
		break;
	case OP_UTIMENS:
		r = ret(utimensat(AT_FDCWD, p, pc->have_times ? pc->times : NULL, 0));
		break;
	case OP_SETXATTR:
		r = ret(setxattr(p, pc->str, pc->value, (size_t)pc->a, (int)pc->b));
		break;
	case OP_RMXATTR:
		r = ret(removexattr(p, pc->str));
		break;
	default:
		r = -EOPNOTSUPP;
		break;
	}
	close(fd);
	return r;
}

/* Calls on the caller's own descriptor (fchmod...): on sisup's copy, the
 * same open file description, so O_PATH and access modes count as theirs. */
static long on_fd(struct sv_pathcall *pc)
{
	const struct timespec *t = pc->have_times ? pc->times : NULL;
	bool empty = pc->nr != __NR_fchmod && pc->nr != __NR_fchown && pc->nr != __NR_fsetxattr &&
		     pc->nr != __NR_fremovexattr && pc->nr != __NR_utimensat;
	int fl = (int)pc->flags;

	if (pc->nr == __NR_utimensat && fl & AT_EMPTY_PATH)
		empty = true;
	switch (pc->op) {
	case OP_CHMOD:
		return empty ? ret(syscall(__NR_fchmodat2, pc->fd, "", (mode_t)pc->mode, fl))
			     : ret(fchmod(pc->fd, (mode_t)pc->mode));
	case OP_CHOWN:
		return empty ? ret(fchownat(pc->fd, "", (uid_t)pc->a, (gid_t)pc->b, fl))
			     : ret(fchown(pc->fd, (uid_t)pc->a, (gid_t)pc->b));
	case OP_UTIMENS:
		return empty ? ret(utimensat(pc->fd, "", t, fl)) : ret(futimens(pc->fd, t));
	case OP_SETXATTR:
		return ret(fsetxattr(pc->fd, pc->str, pc->value, (size_t)pc->a, (int)pc->b));
	case OP_RMXATTR:
		return ret(fremovexattr(pc->fd, pc->str));
	default:
		return -EOPNOTSUPP;
	}
}

/* Hand @fd to the caller as the call's result. */
static void inject(struct sv *sv, const struct seccomp_notif *req, int fd, bool cloexec,
		   struct sv_answer *ans)
{
	struct seccomp_notif_addfd addfd = {
		.id = req->id,
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.srcfd = (__u32)fd,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int rc;

	do {
		rc = ioctl(sv->launch.listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	} while (rc < 0 && errno == EINTR);
	if (rc >= 0 || errno == ENOENT) {
		ans->verdict = SV_ANSWERED; /* ENOENT: the caller is gone */
	} else {
		ans->verdict = SV_ERRNO; /* EMFILE...: the caller's own limit */
		ans->error = errno;
		ans->result = true;
	}
}

static bool creates(const struct sv_pathcall *pc)
{
	return (pc->op == OP_OPEN && WILL_CREATE(pc->flags)) || pc->op == OP_MKDIR ||
	       pc->op == OP_MKNOD;
}

void sv_path_perform(struct sv *sv, const struct seccomp_notif *req, struct sv_pathcall *pc,
		     struct sv_answer *ans)
{
	char name[2][NAME_MAX + 2];
	int dir[2] = { -1, -1 }, um = -1, fd;
	mode_t old = 0;
	long r = 0;

	memset(ans, 0, sizeof(*ans));
	if (creates(pc)) {
		/* The caller's umask, not sisup's; restored below (sisup is
		 * single-threaded, nothing else creates files meanwhile). */
		um = pc->who.umask;
		if (um < 0) {
			r = um;
			goto out;
		}
		old = umask((mode_t)um);
	}
	if (pc->fd >= 0 && pc->op != OP_LINK) {
		r = on_fd(pc);
		goto out;
	}
	if (pc->op != OP_LINK || pc->fd < 0) {
		dir[0] = open_parent(pc->path[0], pc->slash[0], name[0], sizeof(name[0]));
		if (dir[0] < 0) {
			r = dir[0];
			goto out;
		}
	}
	if (pc->npaths == 2) {
		dir[1] = open_parent(pc->path[1], pc->slash[1], name[1], sizeof(name[1]));
		if (dir[1] < 0) {
			r = dir[1];
			goto out;
		}
	}
	switch (pc->op) {
	case OP_OPEN:
		fd = open_below(dir[0], name[0], pc->flags, pc->mode, pc->resolve & RESOLVE_CACHED);
		if (fd < 0) {
			r = fd;
			break;
		}
		inject(sv, req, fd, pc->flags & O_CLOEXEC, ans);
		close(fd);
		goto answered;
	case OP_MKDIR:
		r = ret(mkdirat(dir[0], name[0], (mode_t)pc->mode));
		break;
	case OP_MKNOD:
		r = ret(syscall(SYS_mknodat, dir[0], name[0], (unsigned)pc->mode, (unsigned)pc->a));
		break;
	case OP_UNLINK:
		r = ret(unlinkat(dir[0], name[0], 0));
		break;
	case OP_RMDIR:
		r = ret(unlinkat(dir[0], name[0], AT_REMOVEDIR));
		break;
	case OP_RENAME:
		r = ret(syscall(SYS_renameat2, dir[0], name[0], dir[1], name[1],
				(unsigned)pc->flags));
		break;
	case OP_LINK:
		/* AT_SYMLINK_FOLLOW was done by the walk: link what the
		 * canonical name holds, never follow again. */
		if (pc->fd >= 0) {
			/* Through sisup's own magic link to its copy of the
			 * descriptor: links exactly that file, and unlike
			 * AT_EMPTY_PATH needs no CAP_DAC_READ_SEARCH. */
			char via[64];

			snprintf(via, sizeof(via), "/proc/self/fd/%d", pc->fd);
			r = ret(linkat(AT_FDCWD, via, dir[1], name[1], AT_SYMLINK_FOLLOW));
		} else {
			r = ret(linkat(dir[0], name[0], dir[1], name[1], 0));
		}
		break;
	case OP_SYMLINK:
		r = ret(symlinkat(pc->str, dir[0], name[0]));
		break;
	default:
		r = on_object(pc);
		break;
	}
out:
	sv_answer_result(ans, r);
answered:
	if (um >= 0)
		umask(old);
	for (int i = 0; i < 2; i++)
		if (dir[i] >= 0)
			close(dir[i]);
}

void sv_path_release(struct sv_pathcall *pc)
{
	if (pc->fd >= 0)
		close(pc->fd);
	pc->fd = -1;
	free(pc->value);
	pc->value = NULL;
}
