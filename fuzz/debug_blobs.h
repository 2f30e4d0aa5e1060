/* SPDX-License-Identifier: MIT */
/*
 * debug_blobs.h - _Py_DebugOffsets read from live CPython 3.13.0, 3.13.5,
 * 3.14.10 and 3.15.2 processes (tests/unit/data/debug_offsets_*.bin),
 * embedded at build time.
 */
#ifndef FUZZ_DEBUG_BLOBS_H
#define FUZZ_DEBUG_BLOBS_H

#include <stddef.h>
#include <stdint.h>

enum wh_blob { WH_BLOB_3_13_0, WH_BLOB_3_13_5, WH_BLOB_3_14_10, WH_BLOB_3_15_2, WH_BLOB_COUNT };

/** wh_blob - blob @b and its length in *@len; NULL for a bad @b. */
const uint8_t *wh_blob(enum wh_blob b, size_t *len);

#endif
