// SPDX-License-Identifier: MIT
/*
 * remote.c - process_vm_readv with counting and batching.
 *
 * process_vm_readv costs ~1.5 us whatever its size up to a page or so, and the
 * kernel reads iovecs in order, stopping at the first fault: a batch is all or
 * nothing for our purposes.
 *
 * A synthetic reader (uw_mem_new_synthetic) answers from segments in our own
 * memory instead, with the same checks, counting and fault semantics: the
 * fuzz targets drive the walker through it. The live path pays one branch.
 */
#include "remote.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

struct uw_mem {
	pid_t pid;
	uint64_t calls;
	struct uw_seg *segs;	/* synthetic: sorted, disjoint; NULL for a process */
	size_t nsegs;
};

/* The user half of the x86-64 address space (47 bits). */
#define USER_END 0x800000000000ULL

struct uw_mem *uw_mem_new(pid_t pid)
{
	struct uw_mem *m = calloc(1, sizeof(*m));

	if (m)
		m->pid = pid;
	return m;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct uw_seg *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

struct uw_mem *uw_mem_new_synthetic(const struct uw_seg *segs, size_t n)
{
	struct uw_mem *m;

	if (n > UW_SEGS_MAX || (n && !segs))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (segs[i].len == 0 || !segs[i].data || segs[i].addr >= USER_END ||
		    segs[i].len > USER_END - segs[i].addr)
			return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	/* never NULL, even for no segment at all: it marks the backend */
	m->segs = malloc(n ? n * sizeof(*segs) : 1);
	if (!m->segs) {
		free(m);
		return NULL;
	}
	if (n)
		memcpy(m->segs, segs, n * sizeof(*segs));
	qsort(m->segs, n, sizeof(*segs), seg_cmp);
	for (size_t i = 1; i < n; i++) {
		if (m->segs[i].addr < m->segs[i - 1].addr + m->segs[i - 1].len) {
			uw_mem_free(m);
			return NULL;
		}
	}
	m->nsegs = n;
	return m;
}

void uw_mem_free(struct uw_mem *m)
{
	if (m)
		free(m->segs);
	free(m);
}

pid_t uw_mem_pid(const struct uw_mem *m)
{
	return m->pid;
}

uint64_t uw_mem_calls(const struct uw_mem *m)
{
	return m->calls;
}

int uw_mem_read(struct uw_mem *m, uint64_t addr, void *buf, size_t len)
{
	struct uw_iov v = { addr, buf, len };

	return uw_mem_readv(m, &v, 1);
}

/* The segment holding @addr, or NULL. */
static const struct uw_seg *seg_find(const struct uw_mem *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->segs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr - m->segs[lo - 1].addr >= m->segs[lo - 1].len)
		return NULL;
	return &m->segs[lo - 1];
}

/*
 * process_vm_readv over the segments: pieces in order, each possibly across
 * adjacent segments, stopping at the first byte outside them. Returns the
 * bytes copied, or -1 with errno EFAULT when the very first byte faults.
 */
static ssize_t synth_readv(const struct uw_mem *m, const struct uw_iov *iov, size_t k)
{
	size_t got = 0;

	for (size_t i = 0; i < k; i++) {
		uint64_t a = iov[i].addr;
		uint8_t *dst = iov[i].buf;
		size_t left = iov[i].len;

		while (left > 0) {
			const struct uw_seg *s = seg_find(m, a);
			uint64_t in;
			size_t take;

			if (!s) {
				if (got)
					return (ssize_t)got;
				errno = EFAULT;
				return -1;
			}
			in = s->addr + s->len - a;
			take = left < in ? left : (size_t)in;
			memcpy(dst, s->data + (a - s->addr), take);
			dst += take;
			a += take;
			left -= take;
			got += take;
		}
	}
	return (ssize_t)got;
}

/*
 * Fill @local/@remote for the first pieces of @iov (at most UW_IOV_MAX) that
 * can be valid at all: addresses above the 47-bit user half cannot be, nor
 * a piece of 64 MiB or more. Returns how many; the rest are left out.
 */
static size_t iov_prepare(const struct uw_iov *iov, size_t k, struct iovec *local,
			  struct iovec *remote)
{
	size_t i;

	for (i = 0; i < k; i++) {
		if (iov[i].addr > 0x7fffffffffffULL || iov[i].len > (1u << 26) ||
		    iov[i].addr + iov[i].len > USER_END)
			break;
		local[i].iov_base = iov[i].buf;
		local[i].iov_len = iov[i].len;
		remote[i].iov_base = (void *)(uintptr_t)iov[i].addr;
		remote[i].iov_len = iov[i].len;
	}
	return i;
}

/* One process_vm_readv (or its synthetic twin) of @k prepared pieces. */
static ssize_t readv_once(struct uw_mem *m, const struct uw_iov *iov, size_t k,
			  const struct iovec *local, const struct iovec *remote)
{
	m->calls++;
	if (m->segs)
		return synth_readv(m, iov, k);
	return process_vm_readv(m->pid, local, k, remote, k, 0);
}

int uw_mem_readv_prefix(struct uw_mem *m, const struct uw_iov *iov, size_t n, size_t need)
{
	struct iovec local[UW_IOV_MAX], remote[UW_IOV_MAX];
	size_t whole = 0, sum = 0;
	ssize_t got;

	if (n > UW_IOV_MAX || need > n)
		return -E2BIG;
	/* A speculative piece out of range ends the list there. */
	n = iov_prepare(iov, n, local, remote);
	if (n < need)
		return -EFAULT;
	if (n == 0)
		return 0;
	got = readv_once(m, iov, n, local, remote);
	if (got < 0)
		return -errno;
	/* The kernel stops at the first piece it cannot read: count whole ones. */
	while (whole < n && sum + iov[whole].len <= (size_t)got)
		sum += iov[whole++].len;
	return whole >= need ? (int)whole : -EFAULT;
}

int uw_mem_readv(struct uw_mem *m, const struct uw_iov *iov, size_t n)
{
	struct iovec local[UW_IOV_MAX], remote[UW_IOV_MAX];

	while (n > 0) {
		size_t k = n < UW_IOV_MAX ? n : UW_IOV_MAX, want = 0;
		ssize_t got;

		if (iov_prepare(iov, k, local, remote) < k)
			return -EFAULT;
		for (size_t i = 0; i < k; i++)
			want += iov[i].len;
		got = readv_once(m, iov, k, local, remote);
		if (got < 0)
			return -errno;
		if ((size_t)got != want)
			return -EFAULT;
		iov += k;
		n -= k;
	}
	return 0;
}
