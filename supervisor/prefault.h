/* SPDX-License-Identifier: MIT */
/*
 * prefault.h - make sisup's own heap resident in bulk.
 *
 * On the VMs sisup runs on, a page fault costs 10-60 us (the hypervisor
 * takes part in every one), while MADV_POPULATE_WRITE fills the same pages
 * for about 1 us each. sisup touches a few hundred pages of its own while a
 * program starts: at first use, and again after the launch (clone shares
 * every page copy-on-write with the child until its exec, and the first
 * write to each afterwards faults once more).
 */
#ifndef SV_PREFAULT_H
#define SV_PREFAULT_H

/**
 * sv_prefault_init - grow the heap in large steps (M_TOP_PAD) and populate
 * what it holds now. Call once, early in main. Failures are ignored: this
 * only saves time (kernels before 5.14 lack MADV_POPULATE_WRITE).
 */
void sv_prefault_init(void);

/**
 * sv_prefault_heap - populate the heap writable again, in one system call:
 * after the launch child's exec, every page written before the clone is
 * write-protected and would fault on its next write.
 */
void sv_prefault_heap(void);

#endif
