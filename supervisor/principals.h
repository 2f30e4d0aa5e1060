/* SPDX-License-Identifier: MIT */
/*
 * principals.h - from a thread's Python stack and its task record to the
 * policy entries answerable for its system call.
 */
#ifndef SV_PRINCIPALS_H
#define SV_PRINCIPALS_H

#include "eval.h"
#include "supervisor.h"

/* What the stack allowed us to say about the caller. */
struct sv_caller {
	struct pol_principals pr;
	bool own_python;	/* its own Python frames were read */
	bool unknown;		/* its stack could not be read: principals may be missing */
	const char *why;	/* for messages when unknown */
};

/** sv_frame_of - the policy's view of frame @i of @s. */
void sv_frame_of(const struct uw_stack *s, uint32_t i, struct pol_frame *out);

/**
 * sv_principals - the principals of thread @tid, whose stack (as returned
 * by sv_pystack) is @s: its own confined frames innermost first, then what
 * it inherited.
 */
void sv_principals(struct sv *sv, pid_t tid, const struct uw_stack *s, struct sv_caller *out);

/**
 * sv_principals_created - record with new task @child what it inherits
 * from @creator, whose stack is @s (own or inherited). Threads and
 * processes inherit the creator's own principals as the policy says, and
 * always what the creator itself inherited.
 */
void sv_principals_created(struct sv *sv, pid_t creator, const struct uw_stack *s, pid_t child);

#endif
