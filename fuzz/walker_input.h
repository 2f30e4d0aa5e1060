/* SPDX-License-Identifier: MIT */
/*
 * walker_input.h - how fuzz_walker reads its input (shared with the corpus
 * generator, gen_walker_corpus.c). All integers little-endian.
 *
 *   u8  sel        low nibble: layout (enum fw_layout, modulo FW_NLAYOUTS);
 *                  FW_SEL_PATCH: byte patches to the layout follow the header
 *   u8  flags      reserved
 *   u32 tid        the thread to unwind
 *   u32 pid        the process's pid (3.8-3.10 learn glibc's tid offset from it)
 *   u64 runtime    &_PyRuntime
 *   u64 pycode     &PyCode_Type
 *   [patches, with FW_SEL_PATCH: u8 n (at most FW_PATCHES_MAX), then n times
 *    u16 pos, u8 value: a byte of the layout (struct uw_pyoffsets for 3.8-3.12,
 *    the _Py_DebugOffsets blob for 3.13+; pos modulo its size); a layout that
 *    then fails validation is not unwound]
 *   segments, to the end of the input, at most FW_SEGS_MAX:
 *     u64 addr, u32 len (at most FW_SEG_LEN_MAX), u16 datalen,
 *     datalen bytes (fewer if the input ends): the segment's first bytes;
 *     the rest of its len bytes are zero. Empty segments, segments below
 *     64 KiB (vm.mmap_min_addr) and segments that overlap an earlier one are
 *     dropped. Adjacent segments read as one mapping.
 *
 * The module-name context is fixed: stdlib /usr/lib/python3.X (X = 8..15),
 * site /usr/lib/python3/dist-packages and /usr/local/lib/python3.X/dist-packages,
 * application directory /srv/app, main script /srv/app/main.py, cwd /srv/app.
 */
#ifndef FUZZ_WALKER_INPUT_H
#define FUZZ_WALKER_INPUT_H

enum fw_layout {
	FW_L38, FW_L39, FW_L310, FW_L311, FW_L312,	/* uw_pyoffsets_static */
	FW_L3130, FW_L3135, FW_L314, FW_L315,		/* real _Py_DebugOffsets blobs */
	FW_NLAYOUTS
};

#define FW_SEL_PATCH 0x10
#define FW_HDR_SIZE 26
#define FW_PATCHES_MAX 8
#define FW_SEG_HDR_SIZE 14
#define FW_SEGS_MAX 64
#define FW_SEG_LEN_MAX (2u << 20)
#define FW_TOTAL_MAX (16u << 20)

#endif
