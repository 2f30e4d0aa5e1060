/* SPDX-License-Identifier: MIT */
/*
 * syscalls.h - which system calls reach the supervisor (the notify set) and
 * their names.
 */
#ifndef SV_SYSCALLS_H
#define SV_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

/*
 * A notify set: the built-in sensitive set (defaults), every system call
 * (all), and/or extra syscalls named on the command line (extra[nr] != 0).
 */
struct sv_notify_set {
	bool all;
	bool defaults;
	uint8_t extra[SV_NR_MAX];
};

/**
 * sv_notify_set_parse - parse "default", "all" or "default,openat,stat".
 * @spec: comma-separated words; "default" and "all" are keywords, anything
 *        else must be a syscall name known to libseccomp for x86-64.
 * @out:  filled in on success.
 * @err:  receives a message on failure.
 *
 * Returns 0 or -EINVAL.
 */
int sv_notify_set_parse(const char *spec, struct sv_notify_set *out, char *err, size_t errlen);

/**
 * sv_syscall_name - name of a native syscall number, or "syscall_NR".
 * @buf: used when libseccomp has no name; must hold 24 bytes.
 */
const char *sv_syscall_name(int nr, char *buf, size_t len);

#endif
