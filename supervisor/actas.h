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
 * sv_task_umask - the file mode creation mask of thread @tid ("Umask:" of
 * /proc/TID/status, Linux 4.7).
 * Return: the mask (0..0777), or -errno (-ESRCH when the thread is gone,
 * -ENOTSUP when the kernel does not show it).
 */
int sv_task_umask(pid_t tid);

/**
 * sv_task_tgid - the process (thread group) of thread @tid, as seen from
 * sisup's pid namespace.
 * Return: the tgid, or -errno.
 */
pid_t sv_task_tgid(pid_t tid);

#endif
