/* SPDX-License-Identifier: MIT */
/*
 * native.h - the native frames between a blocked syscall and the innermost
 * Python frame, without stopping the thread.
 *
 * The thread that sent a seccomp notification must never be ptrace-stopped
 * (that cancels the notification), so the only registers known are the ones
 * the kernel shows in /proc/PID/task/TID/syscall: SP and PC. libunwind's
 * remote interface walks the stack from there with DWARF CFI (.eh_frame),
 * through our accessors: memory through the counted reader of remote.h (with
 * a page cache for read-only file pages), unwind tables located from the ELF
 * headers and PT_GNU_EH_FRAME as the target mapped them.
 *
 * What the walk is for: naming the shared objects between the syscall and
 * the eval loop (libc, a C extension, libffi for ctypes, the interpreter),
 * so that a policy can charge the syscall to the extension that made it.
 * Against hostile native code the answer is a hint (a tail call leaves no
 * frame, a forged chain can mimic one): see ../shared/notes/native-unwind.md.
 *
 * Note: stack.h's "struct uw_native" is one reported frame (pc, object);
 * the per-process state here is "struct uw_native_ctx".
 */
#ifndef UW_NATIVE_H
#define UW_NATIVE_H

#include <stdint.h>
#include <sys/types.h>

#include "remote.h"
#include "runtime.h"
#include "stack.h"

/* Frames walked per unwind at most (deduplicated entries: UW_NATIVE_MAX). */
#define UW_NATIVE_FRAMES_MAX 64
/* process_vm_readv calls one unwind may make (cold caches need ~20-60). */
#define UW_NATIVE_READS_MAX 256
/* Reads of /proc/.../syscall that may say "running" before giving up. */
#define UW_NATIVE_RUNNING_TRIES 8

/* Per-process state: address space, mappings, caches. Opaque. */
struct uw_native_ctx;

/**
 * uw_native_new - prepare to unwind the native stacks of process @pid.
 * @pid: the process, in our pid namespace
 * @mem: the reader for @pid to read through (does not take ownership: it
 *       must outlive the context; sharing the walker's reader makes one read
 *       count per unwind); NULL to create one of our own
 * @out: receives the context (free with uw_native_free)
 *
 * Return: 0; -ENOMEM; -ENOTSUP when libunwind (loaded here, at the first
 * call) is missing; -EINVAL when it cannot create an address space.
 */
int uw_native_new(pid_t pid, struct uw_mem *mem, struct uw_native_ctx **out);

/** uw_native_free - free @n (NULL is fine); closes the /proc fds it kept. */
void uw_native_free(struct uw_native_ctx *n);

/**
 * uw_native_invalidate - forget mappings, objects and cached pages.
 * Mappings are re-read by themselves when a pc falls outside every
 * executable file mapping or SP outside a writable one; call this when the
 * process is known to have unmapped or remapped memory (munmap, mmap with
 * MAP_FIXED, dlclose), which that check cannot see.
 */
void uw_native_invalidate(struct uw_native_ctx *n);

/**
 * uw_native_unwind - the native objects of thread @tid, innermost first.
 * @n: the context of @tid's process
 * @tid: a thread of that process, blocked (in a notification, or stopped);
 *       it is never stopped or signalled by this function
 * @rt: the process's CPython runtime (rt->path names the file holding the
 *      interpreter; rt->eval_frame_addr/size the eval loop), or NULL when
 *      the process is not CPython (the walk then runs to the end)
 * @out: receives native[], nnative and native_complete; the object paths
 *      are interned in its arena. Its Python frames are left alone. When
 *      the walk stops before the interpreter and @out->reason is empty, the
 *      reason is written there, prefixed "native: ".
 *
 * Consecutive frames of one object are recorded once (the innermost pc).
 * The walk ends at the eval loop (_PyEval_EvalFrameDefault), crossing the
 * interpreter's own C frames on the way (an extension calling back into
 * the C API lies beyond them); when that symbol is unknown or only a stub
 * (Debian's 3.14/3.15 builds keep the loop in an unnamed function), at the
 * first frame in the interpreter's file. native_complete is set then, and
 * only then. It stops early at
 * UW_NATIVE_FRAMES_MAX frames, UW_NATIVE_READS_MAX reads, a frame whose
 * CFA needs a register other than RSP/RIP (RBP: libffi's ffi_call_unix64,
 * alloca, frame-pointer code), code without unwind tables, anonymous
 * executable memory (JIT, trampolines), or a return address that does not
 * follow a call instruction. RBP is never guessed.
 *
 * Return: 0 when the walk ran (complete or not: see @out);
 * -EAGAIN when the thread stayed on a CPU ("running");
 * -ESRCH when it is gone; -EACCES/-EPERM without ptrace read access;
 * -ENOMEM.
 */
int uw_native_unwind(struct uw_native_ctx *n, pid_t tid, const struct uw_runtime *rt,
		     struct uw_stack *out);

/* Whom the native part of a stack charges the syscall to. */
enum uw_native_attr {
	UW_NATIVE_UNDETERMINED = 0,	/* the walk stopped before any other object */
	UW_NATIVE_INTERPRETER,		/* only libc, ld.so, libpthread, vdso, the interpreter */
	UW_NATIVE_CTYPES,		/* libffi (or _ctypes) came first: ctypes */
	UW_NATIVE_OBJECT,		/* an extension or library: *principal names it */
};

/**
 * uw_native_attribute - walk @s->native[] outward from the syscall and skip
 * libc, ld.so, libpthread, the vdso and the interpreter; the first other
 * object is the principal (libffi and _ctypes count as "ctypes"). An
 * incomplete walk still names a principal it saw: an outer frame cannot
 * come before it.
 * @principal: receives the object's path (in @s's arena), "ctypes", or NULL
 */
enum uw_native_attr uw_native_attribute(const struct uw_stack *s, const char **principal);

/**
 * uw_native_principal - the path of the object the syscall is charged to,
 * "ctypes" for libffi, or NULL (only system objects and the interpreter, or
 * undetermined: see uw_native_attribute to tell them apart).
 */
const char *uw_native_principal(const struct uw_stack *s);

/** uw_native_basename - the last component of @path (for display). */
const char *uw_native_basename(const char *path);

struct uw_native_stats {
	uint64_t unwinds;	/* uw_native_unwind calls that walked */
	uint64_t frames;	/* frames walked in all */
	uint64_t reads;		/* process_vm_readv calls made by the walks */
	uint64_t page_hits, page_misses;	/* the read-only file page cache */
	uint64_t maps_reads;	/* /proc/PID/maps parsed */
	uint64_t objects;	/* ELF objects whose unwind table was located */
	uint64_t running;	/* "running" answers from /proc/.../syscall */
};

/** uw_native_get_stats - counters since uw_native_new. */
void uw_native_get_stats(const struct uw_native_ctx *n, struct uw_native_stats *st);

#endif
