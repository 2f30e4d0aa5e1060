// SPDX-License-Identifier: MIT
/*
 * emulate.c - opens performed by sisup on the program's behalf.
 *
 * Why: a decision that rests on a path must not be answered with CONTINUE,
 * since the program can rewrite the path between our read and the kernel's
 * (a racing thread wins often enough, see the kernel notes). Opening our own
 * copy and injecting the descriptor closes that race: what was checked is
 * what is opened.
 *
 * Semantics kept: the caller's working directory or dirfd (taken from its
 * process with /proc/TID/cwd or pidfd_getfd), its flags (O_CLOEXEC becomes
 * the injected descriptor's close-on-exec flag), the kernel's own errno.
 * Resolution refuses magic links (RESOLVE_NO_MAGICLINKS): /proc/self/... and
 * /proc/PID/fd/N would otherwise name sisup's own files, not the program's.
 * sisup opens with its own credentials: equal to the program's unless sisup
 * runs as root and the program changed ids, which is checked.
 */
#include "emulate.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "actas.h"
#include "kcompat.h"
#include "remotefd.h"

int sv_restore_blocking(int fd, uint64_t flags)
{
	int fl;

	if ((flags & (O_NONBLOCK | O_PATH)) != 0)
		return fd;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int sv_emulate_open(struct sv *sv, const struct seccomp_notif *req, int dirfd, const char *path,
		    int flags)
{
	struct seccomp_notif_addfd addfd;
	struct open_how how;
	pid_t tid = (pid_t)req->pid;
	int base = AT_FDCWD, fd, rc;

	/* As root we could open what the program may not (it may have
	 * dropped privileges): act for it only with identical ids. An
	 * unprivileged program cannot change its ids (no_new_privs). */
	if (sv->euid_root && !sv_same_ids(tid))
		return -EPERM;
	if (path[0] != '/') {
		if (dirfd == AT_FDCWD) {
			char cwd[64];

			snprintf(cwd, sizeof(cwd), "/proc/%d/cwd", (int)tid);
			base = open(cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (base < 0)
				return errno == ENOENT ? -ESRCH : -errno;
		} else {
			base = sv_remote_fd(tid, dirfd);
			if (base < 0)
				return base;
		}
	}
	memset(&how, 0, sizeof(how));
	/* O_NONBLOCK: never wait in the open (a FIFO without a writer would
	 * hold the supervisor); the program's own mode is restored after. */
	how.flags = (uint64_t)(unsigned)flags | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
	how.resolve = RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, base, path, &how, sizeof(how));
	rc = fd < 0 ? -errno : 0;
	if (base >= 0)
		close(base);
	if (fd < 0)
		return rc == -ELOOP && !(flags & O_NOFOLLOW) ? -EACCES : rc;
	fd = sv_restore_blocking(fd, (uint64_t)(unsigned)flags);
	if (fd < 0)
		return fd;

	memset(&addfd, 0, sizeof(addfd));
	addfd.id = req->id;
	addfd.flags = SECCOMP_ADDFD_FLAG_SEND;
	addfd.srcfd = (__u32)fd;
	addfd.newfd_flags = (__u32)(flags & O_CLOEXEC);
	do {
		rc = ioctl(sv->launch.listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	} while (rc < 0 && errno == EINTR);
	rc = rc >= 0 ? 1 : errno == ENOENT ? 1 : -errno;
	close(fd);
	return rc;
}
