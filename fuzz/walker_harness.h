/* SPDX-License-Identifier: MIT */
/*
 * walker_harness.h - a struct uw_proc without /proc or ELF files, for the
 * walker's fuzz target (see walker_harness.c).
 */
#ifndef FUZZ_WALKER_HARNESS_H
#define FUZZ_WALKER_HARNESS_H

#include <stdint.h>
#include <sys/types.h>

#include "modname.h"
#include "pyoffsets.h"
#include "remote.h"
#include "stack.h"

struct uw_proc;

/**
 * wh_proc_new - a process handle whose runtime was "found" at @runtime_addr,
 * with PyCode_Type at @pycode_type, layout @off, module context @ctx, and
 * whose memory is @mem (owned by the handle from now on, even on failure).
 * @pid is the process's pid in its own namespace (3.8-3.10 learn glibc's
 * tid offset from it); the handle's own pid is -1 and the native walk is
 * off, so that nothing looks at a real process. Free with uw_proc_free().
 * NULL when memory runs out.
 */
struct uw_proc *wh_proc_new(struct uw_mem *mem, const struct uw_pyoffsets *off,
			    const struct uw_modctx *ctx, uint64_t runtime_addr,
			    uint64_t pycode_type, pid_t pid);

/**
 * wh_proc_done - empty @p's code cache and free its reader (p->mem = NULL),
 * so that nothing allocated for one fuzz input outlives it.
 */
void wh_proc_done(struct uw_proc *p);

/**
 * wh_proc_reuse - make @p (the handle wh_proc_new() made last) as
 * wh_proc_new() would, but cheaply: wh_proc_done(), then every member back
 * to what wh_proc_new() set (a copy taken then), with @mem (now owned by
 * @p), @off, @runtime_addr, @pycode_type and @pid. The module context stays.
 */
void wh_proc_reuse(struct uw_proc *p, struct uw_mem *mem, const struct uw_pyoffsets *off,
		   uint64_t runtime_addr, uint64_t pycode_type, pid_t pid);

#endif
