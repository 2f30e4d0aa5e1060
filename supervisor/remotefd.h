/* SPDX-License-Identifier: MIT */
/*
 * remotefd.h - a copy of one of the program's descriptors.
 */
#ifndef SV_REMOTEFD_H
#define SV_REMOTEFD_H

#include <sys/types.h>

/**
 * sv_remote_fd - duplicate descriptor @fd of thread @tid into sisup
 * (pidfd_open with PIDFD_THREAD, then pidfd_getfd), close-on-exec.
 *
 * The thread's own table: a thread cloned without CLONE_FILES has one of
 * its own. PIDFD_THREAD needs Linux 6.9; before, only a leader can be named
 * and a non-leader's descriptor cannot be reached (the callers then take
 * the safe answer). What the number names can change the moment after:
 * use the copy itself (perform the call on it), or treat what it shows as
 * a hint.
 *
 * Return: the new descriptor, or -errno (-EBADF: @fd is not open there;
 * -EPERM: no ptrace access, e.g. a non-dumpable program).
 */
int sv_remote_fd(pid_t tid, int fd);

#endif
