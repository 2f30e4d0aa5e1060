/* SPDX-License-Identifier: MIT */
/*
 * pystack.h - the supervisor's use of the unwinder: one unwinder state per
 * process (redone after exec), and the creator's stack kept with each task.
 */
#ifndef SV_PYSTACK_H
#define SV_PYSTACK_H

#include "supervisor.h"

/**
 * sv_pystack - unwind thread @tid (blocked in a notification or stopped at
 * a ptrace event) into @out. A thread without Python frames of its own gets
 * its creator's stack, marked inherited. Never fails; the status says.
 */
void sv_pystack(struct sv *sv, pid_t tid, struct uw_stack *out);

/** sv_pystack_mem - the memory reader of @tid's process (NULL if unknown). */
struct uw_mem *sv_pystack_mem(struct sv *sv, pid_t tid);

/** sv_pystack_created - record @creator's current stack with @child. The
 * creator is stopped in its fork/clone call. */
void sv_pystack_created(struct sv *sv, pid_t creator, pid_t child);

/** sv_pystack_exec - the process of @leader exec'd: forget its layout. */
void sv_pystack_exec(struct sv *sv, pid_t leader);

/**
 * sv_pystack_prepare - learn the new image of @leader's process (its maps,
 * which file holds CPython's runtime, the symbols, the module context from
 * its environment) now rather than at its first notified call. Called just
 * after resuming it from the exec stop, so that this work overlaps the
 * dynamic loader's instead of holding up the first call.
 */
void sv_pystack_prepare(struct sv *sv, pid_t leader);

#endif
