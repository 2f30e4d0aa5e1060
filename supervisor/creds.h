/* SPDX-License-Identifier: MIT */
/*
 * creds.h - may sisup act for a thread of the program with its own
 * credentials?
 */
#ifndef SV_CREDS_H
#define SV_CREDS_H

#include <stdbool.h>
#include <sys/types.h>

/**
 * sv_same_ids - does thread @tid run with sisup's uids and gids (real,
 * effective, saved and filesystem of each)?
 *
 * Calls sisup performs for the program (opens, socket calls) are checked by
 * the kernel against sisup's credentials. When sisup runs as root and the
 * program dropped privileges, acting for it would grant what it gave up:
 * callers then refuse. An unprivileged program cannot change its ids
 * (no_new_privs), so this only matters for root.
 * Return: true when all eight ids match; false when they differ or cannot
 * be read (the thread is gone).
 */
bool sv_same_ids(pid_t tid);

#endif
