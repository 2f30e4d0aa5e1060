/* SPDX-License-Identifier: MIT */
/*
 * emulate.h - perform a read-only open for the program and hand it the
 * descriptor (SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND).
 */
#ifndef SV_EMULATE_H
#define SV_EMULATE_H

#include "supervisor.h"

/**
 * sv_emulate_open - open @path (sisup's copy of the caller's argument)
 * relative to the caller's @dirfd (AT_FDCWD: its working directory) with
 * the caller's read-only @flags, and answer notification @req with the new
 * descriptor.
 * Return: 1 when the notification has been answered (or its caller is
 * gone); otherwise a negative errno the caller must be answered with: the
 * open's own failure (-ENOENT, -EACCES...) or -EPERM when sisup may not act
 * for the caller (different credentials).
 */
int sv_emulate_open(struct sv *sv, const struct seccomp_notif *req, int dirfd, const char *path,
		    int flags);

/**
 * sv_restore_blocking - after sisup opened @fd with O_NONBLOCK added (it
 * must never wait in an open: a FIFO without a peer would hold the
 * supervisor), give the open file description the program's own mode:
 * blocking unless its @flags asked for O_NONBLOCK.
 * Return: @fd, or -errno (then @fd is closed).
 */
int sv_restore_blocking(int fd, uint64_t flags);

#endif
