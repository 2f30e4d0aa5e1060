// SPDX-License-Identifier: MIT
/*
 * Unit tests: batched remote reads (unwinder/remote.c), over a synthetic
 * address space with holes, and over a real process (this one, through
 * process_vm_readv): which pieces of a speculative batch count as read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "remote.h"

static uint8_t a[4096], b[4096];

static struct uw_mem *synth(void)
{
	/* two segments with a hole between them */
	struct uw_seg segs[] = { { 0x10000, sizeof(a), a }, { 0x30000, sizeof(b), b } };

	for (size_t i = 0; i < sizeof(a); i++) {
		a[i] = (uint8_t)i;
		b[i] = (uint8_t)(255 - i);
	}
	return uw_mem_new_synthetic(segs, 2);
}

static void prefix_all_whole(void **state)
{
	struct uw_mem *m = synth();
	uint8_t x[16], y[16], z[16];
	struct uw_iov v[] = { { 0x10000, x, 16 }, { 0x30010, y, 16 }, { 0x10100, z, 16 } };

	(void)state;
	assert_int_equal(uw_mem_readv_prefix(m, v, 3, 1), 3);
	assert_memory_equal(x, a, 16);
	assert_memory_equal(y, b + 16, 16);
	assert_memory_equal(z, a + 256, 16);
	assert_int_equal(uw_mem_calls(m), 1);
	uw_mem_free(m);
}

/* A speculative piece in the hole ends the batch there: the pieces before
 * it count, the ones after it do not, and the call still succeeds. */
static void prefix_stops_at_a_fault(void **state)
{
	struct uw_mem *m = synth();
	uint8_t x[16], y[16], z[16];
	struct uw_iov v[] = { { 0x10000, x, 16 }, { 0x20000, y, 16 }, { 0x30000, z, 16 } };

	(void)state;
	assert_int_equal(uw_mem_readv_prefix(m, v, 3, 1), 1);
	assert_memory_equal(x, a, 16);
	uw_mem_free(m);
}

/* A needed piece that faults fails the call. */
static void prefix_needed_piece_faults(void **state)
{
	struct uw_mem *m = synth();
	uint8_t x[16], y[16];
	struct uw_iov v[] = { { 0x10000, x, 16 }, { 0x20000, y, 16 } };

	(void)state;
	assert_int_equal(uw_mem_readv_prefix(m, v, 2, 2), -EFAULT);
	uw_mem_free(m);
}

/* Addresses no process can map (hostile pointers) end the batch before the
 * kernel is asked; among the needed pieces they fail it. */
static void prefix_impossible_addresses(void **state)
{
	struct uw_mem *m = synth();
	uint8_t x[16], y[16];
	struct uw_iov v[] = { { 0x10000, x, 16 }, { 0xffff800000000000ULL, y, 16 } };
	struct uw_iov w[] = { { 0x7ffffffffff8ULL, x, 16 }, { 0x10000, y, 16 } };

	(void)state;
	assert_int_equal(uw_mem_readv_prefix(m, v, 2, 1), 1);
	assert_int_equal(uw_mem_readv_prefix(m, w, 2, 1), -EFAULT);
	assert_int_equal(uw_mem_readv_prefix(m, v, 2, 3), -E2BIG);
	uw_mem_free(m);
}

/* The same over a real process: this one, with a page unmapped between two
 * mapped ones (the kernel stops at the first piece it cannot copy). */
static void prefix_real_process(void **state)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *map = mmap(NULL, (size_t)pg * 3, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct uw_mem *m = uw_mem_new(getpid());
	uint8_t x[8], y[8], z[8];

	(void)state;
	assert_non_null(m);
	assert_true(map != MAP_FAILED);
	memset(map, 7, (size_t)pg * 3);
	assert_int_equal(munmap(map + pg, (size_t)pg), 0);
	{
		struct uw_iov v[] = { { (uint64_t)(uintptr_t)map, x, 8 },
				      { (uint64_t)(uintptr_t)(map + 2 * pg), y, 8 },
				      { (uint64_t)(uintptr_t)(map + pg), z, 8 } };

		assert_int_equal(uw_mem_readv_prefix(m, v, 3, 1), 2);
		assert_int_equal(x[0], 7);
		assert_int_equal(y[7], 7);
		assert_int_equal(uw_mem_readv_prefix(m, v + 2, 1, 1), -EFAULT);
	}
	munmap(map, (size_t)pg);
	munmap(map + 2 * pg, (size_t)pg);
	uw_mem_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prefix_all_whole),
		cmocka_unit_test(prefix_stops_at_a_fault),
		cmocka_unit_test(prefix_needed_piece_faults),
		cmocka_unit_test(prefix_impossible_addresses),
		cmocka_unit_test(prefix_real_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
