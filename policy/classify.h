/* SPDX-License-Identifier: MIT */
/*
 * classify.h - which capability a system call needs, decided on its number
 * and register arguments only.
 *
 * One table serves both sides: the kernel filter is built from its rows (a
 * row whose class every confined module holds stays in the kernel) and the
 * supervisor classifies each notification with the same rows, so the two
 * cannot disagree. Pointer arguments (paths, socket addresses) are never
 * looked at here: the program can change them after we read them.
 */
#ifndef POL_CLASSIFY_H
#define POL_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

enum pol_class_id {
	POL_C_BASELINE = 0,	/* no row: always allowed (docs/policy.md lists it) */
	POL_C_OPEN_READ,	/* open/openat without write flags */
	POL_C_OPEN_WRITE,	/* open/openat with O_WRONLY/O_RDWR/O_CREAT/O_TRUNC/O_APPEND, creat, openat2 */
	POL_C_FS_WRITE,		/* mkdir, unlink, rename, link, chmod, chown, utimes, xattrs... */
	POL_C_EXEC,		/* execve, execveat */
	POL_C_SPAWN,		/* fork, vfork, clone without CLONE_THREAD */
	POL_C_SOCKET_UNIX,	/* socket(AF_UNIX) */
	POL_C_SOCKET_NET,	/* socket() of any other family */
	POL_C_CONNECT,		/* connect */
	POL_C_LISTEN,		/* bind, listen, accept, accept4 */
	POL_C_SEND,		/* sendto with an address, sendmsg, sendmmsg */
	POL_C_SIGNAL,		/* kill and friends (own process: allowed, checked by the supervisor) */
	POL_C_EXEC_MAP,		/* mmap/mprotect/pkey_mprotect with PROT_EXEC */
	POL_C_MEMFD,		/* memfd_create */
	POL_C_INSPECT,		/* process_vm_readv, kcmp, perf_event_open */
	POL_C_NEVER,		/* mounts, namespaces, kernel state: granted only by syscall name */
	POL_C_COUNT
};

struct pol_class {
	enum pol_class_id id;
	const char *name;	/* "open for reading", for messages and `sisup check` */
	pol_capset need;	/* any one of these capabilities suffices */
};

/* Conditions on one register argument. Comparisons of int-sized arguments
 * look at the low 32 bits only: the kernel truncates them, so garbage in the
 * upper half must not change the class. */
enum pol_cond {
	POL_COND_ALWAYS,
	POL_COND_ANY_BIT,	/* arg & value != 0 */
	POL_COND_NO_BIT,	/* arg & value == 0 */
	POL_COND_LOW32_EQ,	/* (u32)arg == value */
	POL_COND_LOW32_NE,	/* (u32)arg != value (the filter may over-approximate) */
	POL_COND_NONZERO,	/* arg != 0 (a pointer given) */
};

struct pol_rule {
	int nr;
	enum pol_cond cond;
	int arg;		/* 0..5; unused for ALWAYS */
	uint64_t value;
	enum pol_class_id cls;
};

/** pol_class_get - the class description of @id (never NULL). */
const struct pol_class *pol_class_get(enum pol_class_id id);

/** pol_rules - every row, grouped by syscall, first match wins within one. */
const struct pol_rule *pol_rules(size_t *count);

/** pol_rule_matches - does @r hold for these arguments? */
bool pol_rule_matches(const struct pol_rule *r, const uint64_t args[6]);

/**
 * pol_classify - the class of syscall @nr with @args: the first row of @nr
 * that matches, POL_C_BASELINE when none does.
 * @rule: receives the index of the row (or -1 for baseline); may be NULL.
 */
enum pol_class_id pol_classify(int nr, const uint64_t args[6], int *rule);

#endif
