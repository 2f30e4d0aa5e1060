/* SPDX-License-Identifier: MIT */
/*
 * stack.h - what the unwinder reports for one thread: its Python frames,
 * innermost first, and the native objects between the syscall and the
 * innermost Python frame. Plain data shared with the supervisor.
 */
#ifndef UW_STACK_H
#define UW_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UW_FRAMES_MAX 2048		/* deeper stacks are truncated (marked) */
#define UW_STR_MAX 4096			/* longer strings are cut (marked with "...") */
#define UW_ARENA_SIZE (512u * 1024)	/* all strings of one stack */
#define UW_NATIVE_MAX 32

enum uw_status {
	UW_OK = 0,
	UW_NOT_PYTHON,		/* no CPython runtime in the process */
	UW_UNSUPPORTED,		/* a CPython version we have no layout for */
	UW_NOT_INITIALIZED,	/* runtime found, no interpreter yet (very first syscalls) */
	UW_NO_THREAD_STATE,	/* Python process, but no thread state for this thread */
	UW_READ_FAILED,		/* a remote read failed part way (reason says which) */
	UW_CORRUPT,		/* a value read failed validation (cycle, bad type, range) */
};

struct uw_frame {
	uint32_t file;		/* arena offsets; 0 is the empty string */
	uint32_t func;		/* qualified name where the version has one */
	uint32_t module;	/* dotted module name, empty when none can be named */
	int32_t line;		/* -1 when unknown */
	uint8_t kind;		/* enum uw_modkind (modname.h) */
};

struct uw_native {
	uint64_t pc;
	uint32_t object;	/* arena offset of the shared object's path */
};

struct uw_stack {
	enum uw_status status;
	char reason[160];	/* why status is not UW_OK, for the log */
	bool truncated;		/* deeper than UW_FRAMES_MAX, or the arena filled up */
	bool inherited;		/* frames are the creator's, recorded at fork/clone */
	pid_t inherited_from;	/* the creating thread */
	enum uw_status own_status;	/* when inherited: why the thread's own stack was not used */
	uint32_t reads;		/* process_vm_readv calls this unwind made */
	uint32_t nframes;
	struct uw_frame frames[UW_FRAMES_MAX];
	uint32_t nnative;
	bool native_complete;	/* the native walk reached the interpreter */
	struct uw_native native[UW_NATIVE_MAX];
	uint32_t arena_used;
	char arena[UW_ARENA_SIZE];
};

static inline const char *uw_str(const struct uw_stack *s, uint32_t off)
{
	return off < s->arena_used ? s->arena + off : "";
}

/** uw_stack_reset - empty @s (status UW_OK, no frames, empty arena). */
void uw_stack_reset(struct uw_stack *s);

/**
 * uw_stack_intern - copy @len bytes of @str into the arena, NUL-terminated.
 * Returns its offset, or 0 (the empty string) when the arena is full (then
 * @s->truncated is set).
 */
uint32_t uw_stack_intern(struct uw_stack *s, const char *str, size_t len);

const char *uw_status_name(enum uw_status st);

/**
 * uw_stack_pack - a compact malloc'ed copy of @s (frames and used arena
 * only), for keeping a creator's stack with each task it created.
 * Returns NULL when memory runs out.
 */
void *uw_stack_pack(const struct uw_stack *s);

/** uw_stack_unpack - restore a packed copy into @s. */
void uw_stack_unpack(const void *packed, struct uw_stack *s);

#endif
