// SPDX-License-Identifier: MIT
/*
 * walker_harness.c - the walker, compiled here with a test-only constructor.
 *
 * walker.c is included whole so that struct uw_proc can be built directly:
 * no /proc, no ELF lookup, memory from a synthetic uw_mem. wh_proc_new()
 * mirrors uw_proc_open(): when walker.c grows a member that uw_proc_open()
 * allocates, allocate it here too (uw_proc_free frees it). Scalar state
 * needs nothing: wh_proc_reuse() restores the whole struct from a copy.
 */
#include "../unwinder/walker.c"

#include "walker_harness.h"

static void setup(struct uw_proc *p, struct uw_mem *mem, const struct uw_pyoffsets *off,
		  uint64_t runtime_addr, uint64_t pycode_type, pid_t pid)
{
	/* No real process behind it: nothing may look in /proc (-1 is no pid) */
	p->pid = -1;
	p->nspid = pid;
	p->ns_differs = false;	/* tids are the target's already */
	p->want_native = false;	/* the native walk reads /proc/PID/task/TID/syscall */
	p->mem = mem;
	p->pthread_tid_off = -1;
	memset(&p->rt, 0, sizeof(p->rt));
	p->rt.runtime_addr = runtime_addr;
	p->rt.pycode_type = pycode_type;
	p->rt.major = off->major;
	p->rt.minor = off->minor;
	p->rt.version_hex = off->version;
	p->rt.debug_offsets = off->minor >= 13;
	p->off = *off;
	p->status = UW_OK;
	p->reason[0] = '\0';
	p->need_retry = false;
}

/* @p as wh_proc_new() left it (the scalars; the buffers are @p's own). */
static struct uw_proc *g_pristine_of;
static struct uw_proc g_pristine;

struct uw_proc *wh_proc_new(struct uw_mem *mem, const struct uw_pyoffsets *off,
			    const struct uw_modctx *ctx, uint64_t runtime_addr,
			    uint64_t pycode_type, pid_t pid)
{
	struct uw_proc *p = calloc(1, sizeof(*p));

	if (!p) {
		uw_mem_free(mem);
		return NULL;
	}
	p->mem = mem;
	p->chunk = malloc(CHUNK_MAX);
	p->spec = calloc(UW_FRAMES_MAX, sizeof(*p->spec));
	p->mctx = malloc(sizeof(*p->mctx));
	p->code_slot = calloc(CODE_CACHE, sizeof(*p->code_slot));
	p->codes = malloc(CODE_ENTRIES * sizeof(*p->codes));
	if (!p->mem || !p->mctx || !p->chunk || !p->code_slot || !p->codes || !p->spec) {
		uw_proc_free(p);
		return NULL;
	}
	*p->mctx = *ctx;
	setup(p, mem, off, runtime_addr, pycode_type, pid);
	g_pristine = *p;
	g_pristine_of = p;
	return p;
}

void wh_proc_done(struct uw_proc *p)
{
	cache_flush(p);
	uw_mem_free(p->mem);
	p->mem = NULL;
}

void wh_proc_reuse(struct uw_proc *p, struct uw_mem *mem, const struct uw_pyoffsets *off,
		   uint64_t runtime_addr, uint64_t pycode_type, pid_t pid)
{
	if (p != g_pristine_of)
		abort();	/* only the last handle made is remembered */
	wh_proc_done(p);
	*p = g_pristine;
	setup(p, mem, off, runtime_addr, pycode_type, pid);
}
