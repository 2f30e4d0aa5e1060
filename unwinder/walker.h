/* SPDX-License-Identifier: MIT */
/*
 * walker.h - the Python stack of a thread in another process.
 */
#ifndef UW_WALKER_H
#define UW_WALKER_H

#include <stdbool.h>
#include <sys/types.h>

#include "remote.h"
#include "stack.h"

struct uw_proc;

/**
 * uw_proc_open - prepare to unwind threads of process @pid (in our pid
 * namespace). The first uw_unwind finds its runtime, selects the layout for
 * its version and builds the module-name context from its executable,
 * command line and working directory (uw_proc_mem alone costs none of it).
 * Call it again after every exec.
 *
 * Returns 0 and a handle even when the process is not Python or its version
 * is unsupported (uw_unwind then reports that status); -ENOMEM or -ESRCH
 * otherwise.
 */
int uw_proc_open(pid_t pid, struct uw_proc **out);
void uw_proc_free(struct uw_proc *p);

/**
 * uw_unwind - fill @out with the Python frames of thread @tid (our
 * namespace), innermost first. Never fails: a problem is a status and a
 * reason in @out. Reads are bounded (UW_FRAMES_MAX frames, UW_STR_MAX
 * bytes per string) and every pointer is checked before use.
 */
void uw_unwind(struct uw_proc *p, pid_t tid, struct uw_stack *out);

/**
 * uw_proc_set_native - with @on, uw_unwind also names the native objects
 * between the syscall and the innermost Python frame (native.h): @out's
 * native[], nnative and native_complete. Off by default (it costs).
 */
void uw_proc_set_native(struct uw_proc *p, bool on);

/**
 * uw_proc_mem - the reader of this process's memory (counted with the
 * unwinder's reads), for callers that read syscall arguments. Owned by @p.
 */
struct uw_mem *uw_proc_mem(struct uw_proc *p);

/** uw_proc_reads - process_vm_readv calls made for this process so far. */
unsigned long long uw_proc_reads(const struct uw_proc *p);

#endif
