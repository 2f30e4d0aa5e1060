/* SPDX-License-Identifier: MIT */
/*
 * target.h - say in a few words what a system call concerns, for messages.
 *
 * "exec /bin/sh", "connect 10.0.0.1:443", "open /etc/passwd for writing",
 * "kill pid 123 (SIGTERM)": what a denial, a log line or an audit report
 * shows next to the syscall name.
 *
 * FOR DISPLAY ONLY, NEVER FOR DECISIONS. Paths, socket addresses and
 * openat2/clone3/msghdr structures are read from the program's memory while
 * it is stopped in the notification, but another thread of the program can
 * rewrite that memory the moment after we read it and before the kernel
 * does (the seccomp_unotify TOCTOU): the text is what the memory held when
 * it was read, not necessarily what the kernel acted on.
 */
#ifndef SV_TARGET_H
#define SV_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "remote.h"

/* Longest path (and unix socket path) read from the program, bytes with NUL. */
#define SV_TARGET_PATH_MAX 4096

/**
 * sv_target_describe - a short description of what syscall @nr concerns.
 * @mem:    a reader for @tid's process (unwinder/remote.h); the only path to
 *          the program's memory: this file never calls process_vm_readv
 *          itself. May be NULL: then only registers are decoded.
 * @tid:    the thread that made the call (its memory is its process's, read
 *          through @mem; the number itself is not needed today).
 * @nr:     the native x86-64 syscall number.
 * @args:   its six register arguments.
 * @buf:    receives the description, e.g. "rename /tmp/a -> /tmp/b",
 *          always NUL-terminated when @len > 0, cut with "..." if longer
 *          than @len - 1 bytes.
 * @object: receives only the object part ("/bin/sh", "10.0.0.1:443",
 *          "pid 123", "fd 3"), empty when the call concerns no object
 *          ("new process", "make memory executable"); may be NULL. Cut like
 *          @buf at @olen - 1 bytes.
 *
 * Strings from memory (paths, unix socket names, memfd names) are read up to
 * SV_TARGET_PATH_MAX bytes in reads that never cross a page boundary, stop
 * at the NUL, and have every byte outside printable ASCII (and the
 * backslash) written as \xNN, so the text is safe for a terminal or a log
 * line. A path without a NUL within the bound ends in "...". Relative paths
 * with a directory descriptor are shown as "fd N/path": never resolved,
 * as resolving would race with the program and mean nothing to the kernel.
 *
 * Syscalls this file knows nothing particular about are described by their
 * name alone (sv_syscall_name()).
 *
 * Context: the notification's thread is stopped; reads may still fail (it
 * may be killed, or the pointers may be bad): that is reported, not fatal.
 *
 * Return: 0, or the first -errno of a read that failed (-EFAULT for a bad
 * pointer, -ESRCH when the process is gone, -EINVAL when @mem is NULL and
 * memory was needed); @buf then holds what is known from registers, e.g.
 * "open <unreadable path> for writing".
 */
int sv_target_describe(struct uw_mem *mem, pid_t tid, int nr, const uint64_t args[6],
		       char *buf, size_t len, char *object, size_t olen);

#endif
