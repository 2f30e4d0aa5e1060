/* SPDX-License-Identifier: MIT */
/*
 * actas.h - what sisup checks and adopts of a thread before it performs a
 * call for it (emulated opens, path calls): its ids, umask and process.
 */
#ifndef SV_ACTAS_H
#define SV_ACTAS_H

#include <stdbool.h>
#include <sys/types.h>

/**
 * sv_same_ids - does thread @tid run with sisup's uids and gids (real,
 * effective, saved and file system ids, all of them)?
 *
 * sisup acts with its own credentials: as root it could do what a program
 * that dropped privileges may not, so it acts only for a thread with
 * identical ids. Reads /proc/TID/status; any doubt (unreadable, gone) is
 * "no".
 */
bool sv_same_ids(pid_t tid);

/**
 * sv_task_tgid - the process (thread group) of thread @tid, as seen from
 * sisup's pid namespace.
 * Return: the tgid, or -errno.
 */
pid_t sv_task_tgid(pid_t tid);

/* What one read of /proc/TID/status says about acting for the thread. */
struct sv_actas {
	pid_t tgid;		/* its process */
	int umask;		/* 0..0777, or -ENOTSUP when the kernel does not show it */
	bool same_ids;		/* sv_same_ids() */
};

/**
 * sv_actas_read - @out for thread @tid, from one read of its status file
 * (a path call needs all three; each read costs a few microseconds).
 * Return: 0, or -errno (-ESRCH when the thread is gone).
 */
int sv_actas_read(pid_t tid, struct sv_actas *out);

#endif
