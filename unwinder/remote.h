/* SPDX-License-Identifier: MIT */
/*
 * remote.h - every read of another process's memory goes through here.
 *
 * One funnel (as austin does) so that reads are counted, batched and bounded
 * in one place. Everything read is hostile: callers bound what they ask for
 * and check what they get.
 */
#ifndef UW_REMOTE_H
#define UW_REMOTE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One piece of a batched read. */
struct uw_iov {
	uint64_t addr;
	void *buf;
	size_t len;
};

/* Pieces per process_vm_readv call (the kernel's UIO_MAXIOV). */
#define UW_IOV_MAX 1024

struct uw_mem;

/** uw_mem_new - a reader for process @pid (pid in our namespace). */
struct uw_mem *uw_mem_new(pid_t pid);
void uw_mem_free(struct uw_mem *m);

/*
 * A synthetic address space, for fuzzing and tests: @len readable bytes at
 * @addr, their contents at @data (not copied: they must outlive the reader).
 */
struct uw_seg {
	uint64_t addr;
	uint64_t len;
	const uint8_t *data;
};

/* The most segments of a synthetic reader. */
#define UW_SEGS_MAX 4096

/**
 * uw_mem_new_synthetic - a reader over @n segments instead of a process.
 *
 * Reads behave as process_vm_readv on a process whose only mappings are the
 * segments: the same limits are checked first, a read may run from one
 * segment into an adjacent one, a piece that reaches a byte outside every
 * segment stops the batch there (earlier bytes are copied, as the kernel
 * does) and the call returns -EFAULT; calls are counted in the same way.
 * uw_mem_pid() gives 0.
 *
 * Return: the reader, or NULL when memory runs out, @n is above
 * UW_SEGS_MAX, or a segment is empty, wraps around, lies above the 47-bit
 * user half or overlaps another (mappings never do).
 */
struct uw_mem *uw_mem_new_synthetic(const struct uw_seg *segs, size_t n);

/**
 * uw_mem_read - copy @len bytes at @addr into @buf with one process_vm_readv.
 * Returns 0, -EFAULT for a partial or unmapped read, or another -errno
 * (-ESRCH: the process is gone; -EPERM: no access).
 */
int uw_mem_read(struct uw_mem *m, uint64_t addr, void *buf, size_t len);

/**
 * uw_mem_readv - read @n pieces with as few process_vm_readv calls as
 * possible (one per UW_IOV_MAX pieces). Returns 0 when every piece was read
 * in full, otherwise -EFAULT (some pieces may have been filled: the kernel
 * stops at the first fault, so callers treat all pieces as unread).
 */
int uw_mem_readv(struct uw_mem *m, const struct uw_iov *iov, size_t n);

/**
 * uw_mem_readv_prefix - uw_mem_readv() of at most UW_IOV_MAX pieces in one
 * call, where only the first @need must be read: the rest are speculative
 * (predicted addresses that may have been freed since).
 * Return: how many pieces, from the first, were read whole (>= @need);
 * -EFAULT when one of the first @need was not; -E2BIG for more than
 * UW_IOV_MAX pieces; another -errno from process_vm_readv.
 */
int uw_mem_readv_prefix(struct uw_mem *m, const struct uw_iov *iov, size_t n, size_t need);

/** uw_mem_calls - number of process_vm_readv calls made so far. */
uint64_t uw_mem_calls(const struct uw_mem *m);

pid_t uw_mem_pid(const struct uw_mem *m);

#endif
