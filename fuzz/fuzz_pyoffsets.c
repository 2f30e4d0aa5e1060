// SPDX-License-Identifier: MIT
/*
 * fuzz_pyoffsets.c - libFuzzer target for what pyoffsets.c and pylines.c
 * make of bytes read from the target: _Py_DebugOffsets blobs, line tables,
 * frame positions.
 *
 * The first byte picks a mode, the rest is its data:
 *  0 uw_pyoffsets_from_debug() on the bytes as a blob (exact-size copy).
 *    An accepted blob must give a table uw_pyoffsets_validate() accepts,
 *    of the version the blob names, long enough for uw_pyoffsets_debug_size().
 *  1 the same on a real blob (tests/unit/data, embedded) with byte patches:
 *    (u16 pos, u8 value) pairs, so that mutations stay near real layouts.
 *  2 uw_pyoffsets_validate() on the bytes as a struct uw_pyoffsets.
 *  Every table accepted in modes 0-2 is held to what the walker relies on:
 *    every field it has lies inside the span of its structure, spans are
 *    bounded, the unicode header holds length and state and compact objects
 *    extend it, frame owners and models are consistent; and
 *    uw_pyoffsets_frame_offset() is tried on positions around its code.
 *  3 uw_pyline(): u8 model, i32 firstlineno, u64 offset, then the table
 *    (exact-size copy). Answers are 0, -ENOENT or -EINVAL; the same twice;
 *    BEFORE_START gives firstlineno; a table is never read past its end.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pylines.h"
#include "pyoffsets.h"
#include "debug_blobs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_pyoffsets: %s\n", what);
		abort();
	}
}

static uint64_t le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* A field of @o the walker reads @width bytes of, inside structure @s. */
static void field(const struct uw_pyoffsets *o, int32_t off, unsigned int width,
		  enum uw_pystruct s)
{
	if (off == UW_OFF_NONE)
		return;
	must(off >= 0, "negative offset other than UW_OFF_NONE");
	must((uint32_t)off + width <= uw_pyoffsets_span(o, s), "field past its structure's span");
}

static void frame_offsets(const struct uw_pyoffsets *o)
{
	static const uint64_t codes[] = { 0, 0x1000, 0x7f0000001000ULL, UINT64_MAX - 0x100,
					  UINT64_MAX };
	static const int64_t deltas[] = { -4, -2, -1, 0, 1, 2, 3, 4, 1000, INT32_MAX };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		for (size_t j = 0; j < sizeof(deltas) / sizeof(deltas[0]); j++) {
			uint64_t start = codes[i] + (uint64_t)(o->code_adaptive > 0 ? o->code_adaptive : 0);
			uint64_t raw = o->frame_model == UW_FRAME_OBJECT ? (uint64_t)deltas[j]
									 : start + (uint64_t)deltas[j];
			uint64_t off = 0;
			int rc = uw_pyoffsets_frame_offset(o, raw, codes[i], &off);

			must(rc == 0 || rc == -ERANGE || rc == -EINVAL, "frame_offset rc");
		}
	}
}

static void check_table(const struct uw_pyoffsets *o)
{
	must(uw_pyoffsets_validate(o) == 0, "accepted table does not validate");
	for (int s = 0; s < UW_PYS_COUNT; s++)
		must(uw_pyoffsets_span(o, (enum uw_pystruct)s) <= UW_PYOFF_FIELD_MAX, "span");
	must(uw_pyoffsets_span(o, UW_PYS_COUNT) == 0, "span of no structure");
	field(o, o->runtime_interpreters_head, 8, UW_PYS_RUNTIME);
	field(o, o->interp_next, 8, UW_PYS_INTERP);
	field(o, o->interp_threads_head, 8, UW_PYS_INTERP);
	field(o, o->tstate_next, 8, UW_PYS_TSTATE);
	field(o, o->tstate_frame, 8, UW_PYS_TSTATE);
	field(o, o->tstate_cframe, 8, UW_PYS_TSTATE);
	field(o, o->tstate_current_frame, 8, UW_PYS_TSTATE);
	field(o, o->tstate_thread_id, 8, UW_PYS_TSTATE);
	field(o, o->tstate_native_thread_id, 4, UW_PYS_TSTATE);
	field(o, o->tstate_datastack_chunk, 8, UW_PYS_TSTATE);
	field(o, o->cframe_current_frame, 8, UW_PYS_CFRAME);
	field(o, o->frame_previous, 8, UW_PYS_FRAME);
	field(o, o->frame_code, 8, UW_PYS_FRAME);
	field(o, o->frame_lasti, 4, UW_PYS_FRAME);
	field(o, o->frame_instr_ptr, 8, UW_PYS_FRAME);
	field(o, o->frame_owner, 1, UW_PYS_FRAME);
	field(o, o->code_filename, 8, UW_PYS_CODE);
	field(o, o->code_name, 8, UW_PYS_CODE);
	field(o, o->code_qualname, 8, UW_PYS_CODE);
	field(o, o->code_firstlineno, 4, UW_PYS_CODE);
	field(o, o->code_linetable, 8, UW_PYS_CODE);
	field(o, o->object_type, 8, UW_PYS_CODE);
	field(o, o->unicode_length, 8, UW_PYS_UNICODE);
	field(o, o->unicode_state, 4, UW_PYS_UNICODE);
	/* decode_unicode: length and state lie in the ASCII header, which the
	 * compact header extends; bit positions fit a 32-bit state */
	must((uint32_t)o->unicode_length + 8 <= o->unicode_ascii_size &&
	     (uint32_t)o->unicode_state + 4 <= o->unicode_ascii_size &&
	     o->unicode_ascii_size < o->unicode_compact_size && o->unicode_compact_size <= 256,
	     "unicode header");
	must(o->unicode_kind_shift <= 29 && o->unicode_compact_bit <= 31 &&
	     o->unicode_ascii_bit <= 31, "unicode bits");
	must(o->frame_model == UW_FRAME_OBJECT || o->frame_model == UW_FRAME_INTERP, "model");
	if (o->frame_model == UW_FRAME_OBJECT)
		must(o->frame_lasti >= 0 && o->tstate_frame >= 0, "object frames");
	else
		must(o->frame_instr_ptr >= 0 && o->frame_owner >= 0 && o->code_adaptive >= 0 &&
		     (o->tstate_current_frame >= 0 ||
		      (o->tstate_cframe >= 0 && o->cframe_current_frame >= 0)), "interp frames");
	must(o->frame_code_tag_mask <= 7, "tag mask");
	frame_offsets(o);
}

static void debug_blob(const uint8_t *blob, size_t len)
{
	struct uw_pyoffsets o, o2;
	uint64_t ver;
	int rc;

	memset(&o, 0xa5, sizeof(o));
	o2 = o;
	rc = uw_pyoffsets_from_debug(blob, len, &o);
	must(rc == 0 || rc == -EINVAL || rc == -ENOTSUP, "from_debug rc");
	if (rc) {
		must(!memcmp(&o, &o2, sizeof(o)), "output written on failure");
		return;
	}
	must(len >= UW_PYDEBUG_HEAD_SIZE, "short blob accepted");
	ver = le(blob + 8, 8);
	must(o.version == ver && o.major == 3 && o.minor == ((ver >> 16) & 0xff),
	     "version differs from the blob's");
	must(uw_pyoffsets_debug_size(ver) > 0 && len >= uw_pyoffsets_debug_size(ver),
	     "blob shorter than its version's size");
	must(uw_pyoffsets_from_debug(blob, len, &o2) == 0 && !memcmp(&o, &o2, sizeof(o)),
	     "not deterministic");
	check_table(&o);
}

static void patched_blob(const uint8_t *data, size_t size)
{
	static const enum wh_blob which[] = { WH_BLOB_3_13_0, WH_BLOB_3_13_5, WH_BLOB_3_14_10,
					      WH_BLOB_3_15_2 };
	uint8_t *blob;
	const uint8_t *real;
	size_t len;

	if (size < 1)
		return;
	real = wh_blob(which[data[0] % 4], &len);
	blob = malloc(len);
	must(blob != NULL, "oom");
	memcpy(blob, real, len);
	for (size_t i = 1; i + 3 <= size; i += 3)
		blob[le(data + i, 2) % len] = data[i + 2];
	/* cut the blob where the last odd byte says (exact size: ASan) */
	if (size % 3 == 2)
		len = len * data[size - 1] / 255;
	debug_blob(blob, len);
	free(blob);
}

static void raw_table(const uint8_t *data, size_t size)
{
	struct uw_pyoffsets o;

	memset(&o, 0, sizeof(o));
	memcpy(&o, data, size < sizeof(o) ? size : sizeof(o));
	if (uw_pyoffsets_validate(&o) == 0)
		check_table(&o);
	(void)uw_pyoffsets_span(&o, (enum uw_pystruct)(size % (UW_PYS_COUNT + 2)));
	frame_offsets(&o);
}

static void line(const uint8_t *data, size_t size)
{
	int model, first, l1 = 12345, l2 = 54321, r1, r2;
	uint64_t offset;
	uint8_t *t;
	size_t n;

	if (size < 13)
		return;
	model = data[0] % 5;	/* 1-3 are models; 0 and 4 are not */
	first = (int)(int32_t)le(data + 1, 4);
	offset = le(data + 5, 8);
	if (data[5] == 0xff)
		offset = UW_PYLINE_BEFORE_START;
	else if (data[5] >= 0xf0)
		offset &= 0xfff;	/* mostly offsets inside the table */
	n = size - 13;
	t = malloc(n ? n : 1);
	must(t != NULL, "oom");
	memcpy(t, data + 13, n);
	r1 = uw_pyline(model, t, n, first, offset, &l1);
	r2 = uw_pyline(model, t, n, first, offset, &l2);
	must(r1 == 0 || r1 == -ENOENT || r1 == -EINVAL, "pyline rc");
	must(r1 == r2 && (r1 || l1 == l2), "pyline not deterministic");
	if (model < 1 || model > 3)
		must(r1 == -EINVAL, "bad model accepted");
	if (r1 == 0 && offset == UW_PYLINE_BEFORE_START)
		must(l1 == first, "before start is not firstlineno");
	if (n)
		must(uw_pyline(model, NULL, n, first, offset, &l1) == -EINVAL, "NULL table accepted");
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	if (size < 1)
		return 0;
	/* an exact-size copy: ASan catches any read past the end */
	copy = malloc(size - 1 ? size - 1 : 1);
	must(copy != NULL, "oom");
	memcpy(copy, data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		debug_blob(copy, size - 1);
		break;
	case 1:
		patched_blob(copy, size - 1);
		break;
	case 2:
		raw_table(copy, size - 1);
		break;
	default:
		line(copy, size - 1);
		break;
	}
	free(copy);
	return 0;
}
