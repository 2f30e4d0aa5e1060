// SPDX-License-Identifier: MIT
/*
 * prefault.c - make sisup's own heap resident in bulk (see prefault.h).
 */
#include "prefault.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Heap grown in steps of this much: what a run of a small program uses
 * (the stack walk's buffers of a Python process come from mmap). */
#define TOP_PAD (512u << 10)

void sv_prefault_heap(void)
{
	/* The main arena is one sbrk region ending at the break. */
	uintptr_t end = (uintptr_t)sbrk(0), page = (uintptr_t)sysconf(_SC_PAGESIZE), start;
	struct mallinfo2 mi = mallinfo2();

	if (end == (uintptr_t)-1 || !page || mi.arena == 0 || mi.arena > end)
		return;
	start = (end - mi.arena) & ~(page - 1);
	/* Resident writable pages stay as they are; only missing or
	 * write-protected ones are filled. */
	madvise((void *)start, end - start, MADV_POPULATE_WRITE);
}

void sv_prefault_init(void)
{
	/* volatile: the compiler drops a malloc whose block is only freed */
	void *volatile p;

	mallopt(M_TOP_PAD, TOP_PAD);
	/* Freed memory stays ours for the next allocation instead of being
	 * handed back (and faulted in again). */
	mallopt(M_TRIM_THRESHOLD, 4 * TOP_PAD);
	/* One allocation that needs more room grows the heap by TOP_PAD now.
	 * It must stay below the mmap threshold (128 KiB): a larger one is
	 * mapped on its own and the heap stays as small as it was, so that
	 * building the filter alone faulted in 30-odd pages one by one (as
	 * it did while the compiler removed the pair altogether). */
	p = malloc(64u << 10);
	free(p);
	sv_prefault_heap();
}
