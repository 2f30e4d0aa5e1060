/* SPDX-License-Identifier: MIT */
/*
 * pathcall.h - file system calls that sisup performs itself, on the very
 * path the policy saw (fs-write / fs-read argument rules).
 *
 * A decision on a path must never end in CONTINUE: a racing thread rewrites
 * the path, swaps a component for a symlink or renames a directory between
 * our look and the kernel's. So: copy the arguments once, canonicalise the
 * path (absolute, no symlink, no "." or ".."), let the policy decide on that,
 * then perform the call on exactly that path with RESOLVE_NO_SYMLINKS, so a
 * symlink swapped in meanwhile makes the call fail (ELOOP) instead of
 * redirecting it. That ELOOP is the only difference a racing program sees.
 *
 * Handled: open, openat, openat2, creat, truncate, mkdir(at), mknod(at),
 * rmdir, unlink(at), rename(at, at2), link(at), symlink(at), chmod,
 * fchmodat, fchmodat2, chown, lchown, fchownat, utime, utimes, futimesat,
 * utimensat, (l)setxattr, (l)removexattr, and through a copy of the
 * descriptor fchmod, fchown, fsetxattr, fremovexattr, utimensat(fd, NULL).
 *
 * Refused (-EOPNOTSUPP, the caller denies):
 *  - a thread whose ids differ from root sisup's (sisup acts with its own);
 *  - a thread in another mount namespace or under another root directory
 *    (paths would not mean the same to sisup);
 *  - a path-creating or -removing call whose last component is "." or ".."
 *    or that names "/" (mkdir("a/."), rmdir(".")): the kernel's answers
 *    differ per call and nothing needs them;
 *  - openat2 with RESOLVE_IN_ROOT or RESOLVE_NO_XDEV;
 *  - another architecture's numbers.
 * Answered differently from the kernel (documented, all fail closed):
 *  - /proc/PID/... of any process but the caller's own: -EACCES (sisup as
 *    root keeps CAP_SYS_PTRACE and would see what the program may not);
 *  - magic links (/proc/self/fd/N, cwd, exe...) are followed by the path
 *    readlink shows, only when that path still names the same inode;
 *    otherwise (pipe:[..], socket:[..], anon_inode:, a deleted file)
 *    -ENOENT: the kernel would reach the object itself;
 *  - a descriptor whose path is not reachable (deleted file, pipe) in
 *    fchmod/fchown/f*xattr: -EACCES;
 *  - more than 16 KiB of pending symlink text, or a canonical path of
 *    PATH_MAX or more: -ENAMETOOLONG (the kernel could follow);
 *  - opens never make the file the caller's controlling terminal
 *    (O_NOCTTY is always added).
 */
#ifndef SV_PATHCALL_H
#define SV_PATHCALL_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "actas.h"
#include "decide.h"
#include "supervisor.h"

struct uw_mem;

#define SV_PATH_MAX 4096

struct sv_pathcall {
	int nr;				/* the system call */
	unsigned npaths;		/* 1, or 2 (rename, link: old, new) */
	char path[2][SV_PATH_MAX];	/* canonical absolute paths: what the policy sees */

	/* Private to pathcall.c: what sv_path_perform needs. */
	int op;
	struct sv_actas who;		/* the caller's process, umask and ids (one read) */
	int fd;				/* sisup's copy of the object's descriptor, or -1 */
	bool slash[2];			/* a trailing slash the kernel must see again */
	bool follow;			/* the last component was followed */
	bool unnamed;			/* link source: a file without a name (O_TMPFILE) */
	uint64_t flags, mode, resolve;	/* call flags, mode; openat2 resolve bits */
	uint64_t a, b;			/* uid/gid; dev; length; xattr size/flags */
	bool have_times;
	struct timespec times[2];
	char str[SV_PATH_MAX];		/* symlink target, or xattr name */
	void *value;			/* xattr value (malloc'ed) */
};

/**
 * sv_path_copy_str - copy the NUL-terminated string at @addr of the
 * program into @buf (@len bytes with the NUL).
 * Reads one page at a time (the next may be unmapped).
 * Return: 0, -EFAULT, or -ENAMETOOLONG when no NUL fits.
 */
int sv_path_copy_str(struct uw_mem *mem, uint64_t addr, char *buf, size_t len);

/**
 * sv_path_resolve - canonicalise @path as thread @tid would resolve it
 * relative to its descriptor @dirfd (AT_FDCWD: its working directory).
 * @follow_last: a symlink in the last component is followed.
 * A missing last component is not an error (calls that create); a missing
 * or non-directory intermediate one is (-ENOENT, -ENOTDIR). /proc/self and
 * /proc/thread-self mean the thread's own. The result is a hint for a
 * decision: perform with RESOLVE_NO_SYMLINKS on it (or re-check).
 * Return: 0 with the absolute path in @out, or -errno (-ENOENT, -ENOTDIR,
 * -ELOOP, -ENAMETOOLONG, -EBADF, -EACCES, -ESRCH, -EOPNOTSUPP).
 */
int sv_path_resolve(pid_t tid, int dirfd, const char *path, bool follow_last, char *out,
		    size_t outlen);

/**
 * sv_path_prepare - copy and canonicalise the arguments of notification
 * @req (read through @mem) into @pc.
 * Return: 0; -EOPNOTSUPP when sisup cannot perform the call exactly (the
 * caller denies it); another -errno the program must be answered with
 * (-ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EFAULT, -EBADF, -EINVAL...).
 * Call sv_path_release in every case.
 */
int sv_path_prepare(struct sv *sv, const struct seccomp_notif *req, struct uw_mem *mem,
		    struct sv_pathcall *pc);

/**
 * sv_path_perform - perform the prepared call as the kernel would have for
 * the program, on @pc's canonical paths.
 * @ans: SV_ANSWERED (a descriptor was injected with ADDFD|SEND, or the
 * caller is gone), SV_RETURN with the call's value, or SV_ERRNO with
 * result=true and the call's own errno.
 */
void sv_path_perform(struct sv *sv, const struct seccomp_notif *req, struct sv_pathcall *pc,
		     struct sv_answer *ans);

/** sv_path_release - close and free what sv_path_prepare took (idempotent). */
void sv_path_release(struct sv_pathcall *pc);

#endif
