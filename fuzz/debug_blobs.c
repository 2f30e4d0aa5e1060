// SPDX-License-Identifier: MIT
/*
 * debug_blobs.c - the real _Py_DebugOffsets blobs of tests/unit/data, built
 * into the fuzz targets that start from them (see debug_blobs.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "debug_blobs.h"

/* The blobs, with the assembler's .incbin (paths from the repository root,
 * where make runs). */
__asm__(".pushsection .rodata\n"
	".balign 8\n"
	"wh_blob_3_13_0: .incbin \"tests/unit/data/debug_offsets_3.13.0.bin\"\n"
	"wh_blob_3_13_0_end:\n"
	".balign 8\n"
	"wh_blob_3_13_5: .incbin \"tests/unit/data/debug_offsets_3.13.5.bin\"\n"
	"wh_blob_3_13_5_end:\n"
	".balign 8\n"
	"wh_blob_3_14_10: .incbin \"tests/unit/data/debug_offsets_3.14.10.bin\"\n"
	"wh_blob_3_14_10_end:\n"
	".balign 8\n"
	"wh_blob_3_15_2: .incbin \"tests/unit/data/debug_offsets_3.15.2.bin\"\n"
	"wh_blob_3_15_2_end:\n"
	".popsection\n"
	".pushsection .data.rel.ro,\"aw\"\n"
	".balign 8\n"
	".globl wh_blobs\n"
	".hidden wh_blobs\n"
	"wh_blobs: .quad wh_blob_3_13_0, wh_blob_3_13_0_end, wh_blob_3_13_5, wh_blob_3_13_5_end,"
	" wh_blob_3_14_10, wh_blob_3_14_10_end, wh_blob_3_15_2, wh_blob_3_15_2_end\n"
	".popsection\n");

extern const uint8_t *const wh_blobs[2 * WH_BLOB_COUNT];

const uint8_t *wh_blob(enum wh_blob b, size_t *len)
{
	if ((unsigned int)b >= WH_BLOB_COUNT)
		return NULL;
	*len = (size_t)(wh_blobs[2 * b + 1] - wh_blobs[2 * b]);
	return wh_blobs[2 * b];
}
