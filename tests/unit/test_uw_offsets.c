// SPDX-License-Identifier: MIT
/*
 * Unit tests: CPython layouts (unwinder/pyoffsets.c) against offsets found
 * live in real interpreters by tests/tools/measure_offsets.py, and the
 * _Py_DebugOffsets parser against blobs read from real 3.13+ processes,
 * whole, truncated and corrupted. Data: tests/unit/data/ (regenerate with
 * tests/tools/gen_unit_data.sh).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pyoffsets.h"

/* ------------------------------------------------------------ test data */

static char *data_path(const char *name)
{
	const char *dir = getenv("SISUP_TEST_DATA");
	const char *src = __FILE__;
	const char *slash = strrchr(src, '/');
	char *p;

	if (dir)
		assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
	else if (slash)
		assert_true(asprintf(&p, "%.*s/data/%s", (int)(slash - src), src, name) > 0);
	else
		assert_true(asprintf(&p, "data/%s", name) > 0);
	return p;
}

/* The whole file, NUL-terminated; fails the test if it is missing. */
static uint8_t *load(const char *name, size_t *len)
{
	char *path = data_path(name);
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			cap = cap * 2 + 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		if (!got)
			break;
		n += got;
	}
	fclose(f);
	free(path);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* A copy in a heap block of exactly @len bytes, so ASan sees over-reads. */
static uint8_t *exact(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, src, len);
	return p;
}

/* The value of "key value" in a measured offsets file, or NULL. */
static const char *lookup(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, key, kl) && l[kl] == ' ')
			return l + kl + 1;
	return NULL;
}

static long measured(const char *text, const char *key)
{
	const char *v = lookup(text, key);
	char *end;
	long r;

	if (!v)
		fail_msg("measured offsets lack %s", key);
	if (*v == '?')
		fail_msg("%s was not measured", key);
	r = strtol(v, &end, 0);
	if (end == v)
		fail_msg("%s: bad value", key);
	return r;
}

static int measured_is(const char *text, const char *key, const char *word)
{
	const char *v = lookup(text, key);

	if (!v)
		fail_msg("measured offsets lack %s", key);
	return !strncmp(v, word, strlen(word)) && (v[strlen(word)] == '\n' || !v[strlen(word)]);
}

/* ------------------------------------------------------------ comparison */

enum kind { I32, U32, U8, I8 };

static const struct {
	const char *key;
	size_t off;
	enum kind kind;
} fields[] = {
#define M(key, member, kind) { key, offsetof(struct uw_pyoffsets, member), kind }
	M("runtime.interpreters_head", runtime_interpreters_head, I32),
	M("interp.next", interp_next, I32),
	M("interp.threads_head", interp_threads_head, I32),
	M("tstate.next", tstate_next, I32),
	M("tstate.interp", tstate_interp, I32),
	M("tstate.frame", tstate_frame, I32),
	M("tstate.cframe", tstate_cframe, I32),
	M("cframe.current_frame", cframe_current_frame, I32),
	M("tstate.current_frame", tstate_current_frame, I32),
	M("tstate.thread_id", tstate_thread_id, I32),
	M("tstate.native_thread_id", tstate_native_thread_id, I32),
	M("tstate.datastack_chunk", tstate_datastack_chunk, I32),
	M("frame.previous", frame_previous, I32),
	M("frame.code", frame_code, I32),
	M("frame.lasti", frame_lasti, I32),
	M("frame.instr_ptr", frame_instr_ptr, I32),
	M("frame.owner", frame_owner, I32),
	M("frame.is_entry", frame_is_entry, I32),
	M("code.filename", code_filename, I32),
	M("code.name", code_name, I32),
	M("code.qualname", code_qualname, I32),
	M("code.firstlineno", code_firstlineno, I32),
	M("code.linetable", code_linetable, I32),
	M("code.co_code_adaptive", code_adaptive, I32),
	M("object.ob_type", object_type, I32),
	M("object.head_size", object_head_size, U32),
	M("unicode.length", unicode_length, I32),
	M("unicode.state", unicode_state, I32),
	M("unicode.ascii_size", unicode_ascii_size, U32),
	M("unicode.compact_size", unicode_compact_size, U32),
	M("unicode.kind_shift", unicode_kind_shift, U8),
	M("unicode.compact_bit", unicode_compact_bit, U8),
	M("unicode.ascii_bit", unicode_ascii_bit, U8),
#undef M
};

static long get(const struct uw_pyoffsets *o, size_t i)
{
	const char *p = (const char *)o + fields[i].off;

	switch (fields[i].kind) {
	case I32: return *(const int32_t *)p;
	case U32: return *(const uint32_t *)p;
	case U8: return *(const uint8_t *)p;
	case I8: return *(const int8_t *)p;
	}
	return -999;
}

/* A measured "a,b,c" list of numbers; returns how many. */
static int numbers(const char *text, const char *key, int *vals, int max)
{
	const char *v = lookup(text, key);
	int n = 0;

	if (!v)
		fail_msg("measured offsets lack %s", key);
	while (*v && *v != '\n' && n < max) {
		char *end;

		vals[n++] = (int)strtol(v, &end, 10);
		if (end == v)
			fail_msg("%s: bad list", key);
		v = *end == ',' ? end + 1 : end;
	}
	return n;
}

/*
 * The owners seen live: the measuring script's own functions run in
 * thread-owned frames; below them (3.12+) sit @bottoms frames that are not
 * code (the entry frame of the interpreter, and in 3.15 the thread
 * state's base frame); a function called from C (sorted's key) sits on an
 * entry frame in 3.12+, directly on its caller's frame in 3.11.
 */
static void check_owners(const char *text, const struct uw_pyoffsets *o, int bottoms)
{
	int v[256], n = numbers(text, "chain.owners", v, 256);

	assert_true(n > bottoms + 3);
	for (int i = 0; i < n - bottoms; i++)
		assert_int_equal(v[i], o->owner_thread);
	for (int i = n - bottoms; i < n; i++)
		assert_true(v[i] >= o->owner_no_code && v[i] != o->owner_thread &&
			    v[i] != o->owner_generator && v[i] != o->owner_frame_object);
	n = numbers(text, "entry.below_owners", v, 256);
	assert_int_equal(n, 2);
	if (o->owner_no_code < 0) {
		assert_int_equal(v[0], o->owner_thread);
	} else {
		assert_true(v[0] >= o->owner_no_code);
		/* 3.13: FRAME_OWNED_BY_CSTACK; 3.14/3.15: ..._INTERPRETER */
		assert_true(v[0] == o->owner_cstack || v[0] == o->owner_interpreter);
	}
	assert_int_equal(v[1], o->owner_thread);
}

/* Compare @o with everything the script measured in @name. */
static void compare(const struct uw_pyoffsets *o, const char *name)
{
	size_t len;
	char *text = (char *)load(name, &len);
	long lb;

	print_message("  %s\n", name);
	assert_int_equal(uw_pyoffsets_validate(o), 0);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		long want = measured(text, fields[i].key), have = get(o, i);

		if (want != have)
			fail_msg("%s: %s measured %ld, table %ld", name, fields[i].key, want, have);
	}
	assert_int_equal(o->major, 3);
	assert_int_equal(o->minor, (measured(text, "version") >> 16) & 0xff);
	assert_int_equal(o->frame_model,
			 measured_is(text, "frame.model", "object") ? UW_FRAME_OBJECT :
			 measured_is(text, "frame.model", "interp") ? UW_FRAME_INTERP : -1);
	assert_int_equal(o->lasti_kind,
			 measured_is(text, "frame.instr_kind", "lasti_bytes") ? UW_LASTI_BYTES :
			 measured_is(text, "frame.instr_kind", "lasti_units") ? UW_LASTI_UNITS :
			 measured_is(text, "frame.instr_kind", "prev_instr") ? UW_LASTI_PREV_INSTR :
			 measured_is(text, "frame.instr_kind", "instr_ptr") ? UW_LASTI_INSTR_PTR : -1);
	assert_int_equal(o->line_model,
			 measured_is(text, "lines.model", "lnotab") ? UW_PYLINE_LNOTAB :
			 measured_is(text, "lines.model", "linetable310") ? UW_PYLINE_310 :
			 measured_is(text, "lines.model", "locations") ? UW_PYLINE_LOCATIONS : -1);
	/* a frame calling out is at its CALL: the line it reports there */
	assert_int_equal(measured(text, "call.callee_c.line_ok"), 1);
	assert_int_equal(measured(text, "call.callee_python.line_ok"), 1);
	/* the state word of a compact ASCII string, by the table's bit layout */
	lb = measured(text, "unicode.state_ascii_low_byte");
	assert_int_equal((lb >> o->unicode_kind_shift) & 7, 1);
	assert_true(lb >> o->unicode_compact_bit & 1);
	assert_true(lb >> o->unicode_ascii_bit & 1);
	if (o->unicode_ready_bit >= 0)
		assert_true(lb >> o->unicode_ready_bit & 1);
	else
		assert_false(lb & 0x80);	/* 3.12+: statically_allocated */
	assert_int_equal(measured(text, "unicode.data_follows_header"), 1);
	if (o->frame_model == UW_FRAME_INTERP) {
		const char *codes = lookup(text, "chain.code");
		const char *none;

		assert_int_equal(measured(text, "frame.generator_frame_inside_generator"), 1);
		assert_int_equal(measured(text, "frame.finished_frame_inside_frame_object"), 1);
		/* the running code's f_executable carries no tag bit outside the mask */
		assert_int_equal(measured(text, "frame.code_tag_bits") & ~(long)o->frame_code_tag_mask, 0);
		assert_non_null(codes);
		/* 3.15: the thread state's embedded base frame ends every chain,
		 * right after PyThreadState (888 bytes in 3.15.2) */
		check_owners(text, o, o->minor == 11 ? 0 : o->minor >= 15 ? 2 : 1);
		assert_int_equal(measured(text, "chain.bottom_in_tstate_at"), o->minor >= 15 ? 888 : -1);
		/* 3.13+: entry frames hold None, tagged in 3.14+ within the mask */
		none = strstr(codes, "None|");
		if (o->minor >= 13) {
			assert_non_null(none);
			assert_int_equal(strtol(none + 5, NULL, 10) & ~(long)o->frame_code_tag_mask, 0);
		}
	}
	free(text);
}

/* ------------------------------------------------------------ static tables */

static void static_tables_match_measurements(void **state)
{
	static const struct { int minor; const char *file; } v[] = {
		{ 8, "offsets_3.8.18.txt" },
		{ 9, "offsets_3.9.18.txt" },
		{ 10, "offsets_3.10.13.txt" },
		{ 11, "offsets_3.11.7.txt" },	/* pyenv, shared libpython */
		{ 11, "offsets_3.11.2.txt" },	/* Debian, static */
		{ 12, "offsets_3.12.1.txt" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct uw_pyoffsets *o = uw_pyoffsets_static(3, v[i].minor);

		assert_non_null(o);
		compare(o, v[i].file);
	}
}

static void static_lookup(void **state)
{
	(void)state;
	assert_null(uw_pyoffsets_static(3, 7));
	assert_null(uw_pyoffsets_static(3, 13));
	assert_null(uw_pyoffsets_static(2, 7));
	assert_null(uw_pyoffsets_static(4, 8));
	for (int m = 8; m <= 12; m++) {
		const struct uw_pyoffsets *o = uw_pyoffsets_static(3, m);

		assert_non_null(o);
		assert_int_equal(o->minor, m);
		assert_int_equal(o->version, 0x03000000u | (unsigned int)m << 16);
		assert_int_equal(uw_pyoffsets_validate(o), 0);
	}
}

static void spans(void **state)
{
	const struct uw_pyoffsets *o311 = uw_pyoffsets_static(3, 11);
	const struct uw_pyoffsets *o312 = uw_pyoffsets_static(3, 12);
	const struct uw_pyoffsets *o38 = uw_pyoffsets_static(3, 8);

	(void)state;
	assert_int_equal(uw_pyoffsets_span(o311, UW_PYS_TSTATE), 296 + 8);
	assert_int_equal(uw_pyoffsets_span(o311, UW_PYS_CFRAME), 16);
	assert_int_equal(uw_pyoffsets_span(o311, UW_PYS_FRAME), 70);	/* owner at 69 */
	assert_int_equal(uw_pyoffsets_span(o312, UW_PYS_CFRAME), 8);
	assert_int_equal(uw_pyoffsets_span(o312, UW_PYS_CODE), 144);
	assert_int_equal(uw_pyoffsets_span(o312, UW_PYS_UNICODE), 40);
	assert_int_equal(uw_pyoffsets_span(o38, UW_PYS_CFRAME), 0);
	assert_int_equal(uw_pyoffsets_span(o38, UW_PYS_FRAME), 108);	/* f_lasti at 104 */
	assert_int_equal(uw_pyoffsets_span(o38, UW_PYS_RUNTIME), 40);
	assert_int_equal(uw_pyoffsets_span(o38, UW_PYS_COUNT), 0);
	assert_int_equal(uw_pyoffsets_span(NULL, UW_PYS_FRAME), 0);
}

static void validate_rejects(void **state)
{
	struct uw_pyoffsets o;

	(void)state;
	assert_int_equal(uw_pyoffsets_validate(NULL), -EINVAL);
	o = *uw_pyoffsets_static(3, 12);
	o.frame_owner = UW_PYOFF_FIELD_MAX;
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
	o = *uw_pyoffsets_static(3, 12);
	o.tstate_next = 12;				/* misaligned pointer */
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
	o = *uw_pyoffsets_static(3, 12);
	o.tstate_current_frame = 72;			/* both ways to the frame */
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
	o = *uw_pyoffsets_static(3, 12);
	o.code_name = 0;				/* inside the object header */
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
	o = *uw_pyoffsets_static(3, 12);
	o.code_adaptive = 100;				/* before fields it must follow */
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
	o = *uw_pyoffsets_static(3, 12);
	o.owner_generator = o.owner_thread;
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
	o = *uw_pyoffsets_static(3, 10);
	o.line_model = UW_PYLINE_LNOTAB;		/* 3.10 lasti with 3.8 table */
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
	o = *uw_pyoffsets_static(3, 9);
	o.frame_owner = 70;
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
	o = *uw_pyoffsets_static(3, 9);
	o.unicode_length = 44;				/* runs past PyASCIIObject */
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
	o = *uw_pyoffsets_static(3, 9);
	o.minor = 16;
	assert_int_equal(uw_pyoffsets_validate(&o), -EINVAL);
}

/* ------------------------------------------------------------ debug offsets */

static const struct {
	const char *blob, *measured;
	uint64_t version;
	size_t size;
} blobs[] = {
	{ "debug_offsets_3.13.0.bin", "offsets_3.13.0.txt", 0x030d00f0, 584 },
	{ "debug_offsets_3.13.5.bin", "offsets_3.13.5.txt", 0x030d05f0, 584 },
	{ "debug_offsets_3.14.10.bin", "offsets_3.14.10.txt", 0x030e0af0, 760 },
	{ "debug_offsets_3.15.2.bin", "offsets_3.15.2.txt", 0x030f02f0, 888 },
};

#define NBLOBS (sizeof(blobs) / sizeof(blobs[0]))

static void put64(uint8_t *b, size_t pos, uint64_t v)
{
	memcpy(b + pos, &v, 8);
}

static uint64_t get64(const uint8_t *b, size_t pos)
{
	uint64_t v;

	memcpy(&v, b + pos, 8);
	return v;
}

static void debug_blobs_match_measurements(void **state)
{
	(void)state;
	for (size_t i = 0; i < NBLOBS; i++) {
		size_t len;
		uint8_t *raw = load(blobs[i].blob, &len);
		size_t size = uw_pyoffsets_debug_size(get64(raw, 8));
		uint8_t *b;
		struct uw_pyoffsets o;

		assert_int_equal(get64(raw, 8), blobs[i].version);
		assert_int_equal(size, blobs[i].size);
		assert_true(len >= size);
		/* exactly the struct: a read past it would trip ASan */
		b = exact(raw, size);
		memset(&o, 0xa5, sizeof(o));
		assert_int_equal(uw_pyoffsets_from_debug(b, size, &o), 0);
		assert_int_equal(o.version, blobs[i].version);
		compare(&o, blobs[i].measured);
		/* the bytes after the struct (runtime state) change nothing */
		{
			struct uw_pyoffsets o2;

			assert_int_equal(uw_pyoffsets_from_debug(raw, len, &o2), 0);
			assert_memory_equal(&o, &o2, sizeof(o));
		}
		free(b);
		free(raw);
	}
}

static void debug_sizes(void **state)
{
	(void)state;
	assert_int_equal(uw_pyoffsets_debug_size(0x030d00f0), 584);
	assert_int_equal(uw_pyoffsets_debug_size(0x030d00a1), 584);
	assert_int_equal(uw_pyoffsets_debug_size(0x030e00f0), 760);
	assert_int_equal(uw_pyoffsets_debug_size(0x030f02f0), 888);
	assert_int_equal(uw_pyoffsets_debug_size(0x030c00f0), 0);
	assert_int_equal(uw_pyoffsets_debug_size(0x031000f0), 0);
	assert_int_equal(uw_pyoffsets_debug_size(0x020d00f0), 0);
	assert_int_equal(uw_pyoffsets_debug_size(0x1030d00f0ull), 0);
}

/* @b, a copy of a real blob of @size bytes, with one change: the result. */
static int parse_modified(const uint8_t *orig, size_t size, size_t pos, uint64_t v,
			  struct uw_pyoffsets *o)
{
	uint8_t *b = exact(orig, size);
	int r;

	put64(b, pos, v);
	r = uw_pyoffsets_from_debug(b, size, o);
	free(b);
	return r;
}

static void debug_header_checks(void **state)
{
	(void)state;
	for (size_t i = 0; i < NBLOBS; i++) {
		size_t len, size;
		uint8_t *raw = load(blobs[i].blob, &len);
		struct uw_pyoffsets o;
		uint64_t v = blobs[i].version;

		size = blobs[i].size;
		/* truncated anywhere: refused, never read past */
		for (size_t n = 0; n < size; n++) {
			uint8_t *b = exact(raw, n);

			assert_int_equal(uw_pyoffsets_from_debug(b, n, &o), -EINVAL);
			free(b);
		}
		assert_int_equal(uw_pyoffsets_from_debug(NULL, size, &o), -EINVAL);
		assert_int_equal(uw_pyoffsets_from_debug(raw, size, NULL), -EINVAL);
		/* cookie */
		{
			uint8_t *b = exact(raw, size);

			b[7] = 'Y';
			assert_int_equal(uw_pyoffsets_from_debug(b, size, &o), -EINVAL);
			free(b);
		}
		/* versions without a known layout */
		assert_int_equal(parse_modified(raw, size, 8, (v & ~0xf0ull) | 0xa0, &o), -ENOTSUP);
		assert_int_equal(parse_modified(raw, size, 8, (v & ~0xf0ull) | 0xb0, &o), -ENOTSUP);
		assert_int_equal(parse_modified(raw, size, 8, (v & ~0xf0ull) | 0xc0, &o), 0);
		assert_int_equal(parse_modified(raw, size, 8, 0x030c01f0, &o), -ENOTSUP);
		assert_int_equal(parse_modified(raw, size, 8, 0x031000f0, &o), -ENOTSUP);
		assert_int_equal(parse_modified(raw, size, 8, v | 1ull << 40, &o), -ENOTSUP);
		/* free-threaded builds are not supported; other values are junk */
		assert_int_equal(parse_modified(raw, size, 16, 1, &o), -ENOTSUP);
		assert_int_equal(parse_modified(raw, size, 16, 2, &o), -EINVAL);
		/* a blob of another minor version's size is too short for 3.15 */
		if (v >> 16 == 0x030f)
			assert_int_equal(uw_pyoffsets_from_debug(raw, 760, &o), -EINVAL);
		free(raw);
	}
}

/*
 * Every word of every real blob set to hostile values: the parser must
 * refuse or return a table that validates and keeps all offsets small.
 */
static void debug_every_word_corrupted(void **state)
{
	static const uint64_t evil[] = {
		0, 1, 3, 7, 0x8000, 0xfff8, 0x10000, 0x100000, 0x100008,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
		0x8000000000000000ull, UINT64_MAX, UINT64_MAX - 7,
	};

	(void)state;
	for (size_t i = 0; i < NBLOBS; i++) {
		size_t len, size = blobs[i].size, accepted = 0, refused = 0;
		uint8_t *raw = load(blobs[i].blob, &len);

		for (size_t pos = 24; pos + 8 <= size; pos += 8) {
			uint64_t orig = get64(raw, pos);
			uint64_t extra[] = { orig + 1, orig + 4, orig + 8, orig * 2, orig - 8 };

			for (size_t k = 0; k < sizeof(evil) / sizeof(evil[0]) + 5; k++) {
				uint64_t v = k < sizeof(evil) / sizeof(evil[0]) ?
					     evil[k] : extra[k - sizeof(evil) / sizeof(evil[0])];
				struct uw_pyoffsets o;
				int r = parse_modified(raw, size, pos, v, &o);

				if (r == 0) {
					accepted++;
					assert_int_equal(uw_pyoffsets_validate(&o), 0);
					for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
						assert_true(get(&o, f) < UW_PYOFF_FIELD_MAX);
				} else {
					refused++;
					assert_int_equal(r, -EINVAL);
				}
			}
		}
		/* words we do not use may change freely; the others may not */
		assert_true(accepted > 0 && refused > 0);
		free(raw);
	}
}

/* Specific fields pushed out of their structures. */
static void debug_fields_bounded(void **state)
{
	size_t len;
	uint8_t *raw = load("debug_offsets_3.14.10.bin", &len);
	struct uw_pyoffsets o;

	(void)state;
	/* thread_state.native_thread_id (224) at the struct's size (176) */
	assert_int_equal(parse_modified(raw, 760, 224, get64(raw, 176), &o), -EINVAL);
	/* ... just inside: accepted */
	assert_int_equal(parse_modified(raw, 760, 224, get64(raw, 176) - 8, &o), 0);
	assert_int_equal(o.tstate_native_thread_id, (int32_t)get64(raw, 176) - 8);
	/* misaligned */
	assert_int_equal(parse_modified(raw, 760, 224, 161, &o), -EINVAL);
	/* a huge PyThreadState cannot carry a field past 64 KiB */
	{
		uint8_t *b = exact(raw, 760);

		put64(b, 176, 1u << 20);
		put64(b, 224, 0x10000);
		assert_int_equal(uw_pyoffsets_from_debug(b, 760, &o), -EINVAL);
		put64(b, 224, 0xfff8);
		assert_int_equal(uw_pyoffsets_from_debug(b, 760, &o), 0);
		put64(b, 176, (1u << 20) + 8);	/* implausible size */
		assert_int_equal(uw_pyoffsets_from_debug(b, 760, &o), -EINVAL);
		free(b);
	}
	/* interpreter_frame.owner (288) may be any byte of the frame (88 bytes) */
	assert_int_equal(parse_modified(raw, 760, 288, 87, &o), 0);
	assert_int_equal(parse_modified(raw, 760, 288, 88, &o), -EINVAL);
	/* the object header: sizeof(PyObject) at 400 */
	assert_int_equal(parse_modified(raw, 760, 400, 8, &o), -EINVAL);	/* ob_type at 8 */
	assert_int_equal(parse_modified(raw, 760, 400, 4096, &o), -EINVAL);
	/* sizeof(PyASCIIObject) at 640 */
	assert_int_equal(parse_modified(raw, 760, 640, 0, &o), -EINVAL);
	assert_int_equal(parse_modified(raw, 760, 640, 60, &o), -EINVAL);
	/* co_code_adaptive inside the fields before it */
	assert_int_equal(parse_modified(raw, 760, 384, 120, &o), -EINVAL);
	free(raw);
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void debug_random_blobs(void **state)
{
	static const uint64_t versions[] = { 0x030d00f0, 0x030e0af0, 0x030f02f0 };
	uint8_t *b = malloc(888);

	(void)state;
	assert_non_null(b);
	for (int n = 0; n < 20000; n++) {
		uint64_t v = versions[n % 3];
		size_t size = uw_pyoffsets_debug_size(v);
		struct uw_pyoffsets o;
		int r;

		for (size_t p = 0; p < size; p += 8) {
			uint64_t w = rnd();

			/* mostly small numbers, as real ones */
			put64(b, p, n & 1 ? w % 512 : w);
		}
		memcpy(b, "xdebugpy", 8);
		put64(b, 8, v);
		put64(b, 16, 0);
		r = uw_pyoffsets_from_debug(b, size, &o);
		assert_true(r == 0 || r == -EINVAL);
		if (r == 0)
			assert_int_equal(uw_pyoffsets_validate(&o), 0);
	}
	free(b);
}

/* ------------------------------------------------------------ frame offsets */

static void frame_offsets(void **state)
{
	const struct uw_pyoffsets *o38 = uw_pyoffsets_static(3, 8);
	const struct uw_pyoffsets *o310 = uw_pyoffsets_static(3, 10);
	const struct uw_pyoffsets *o312 = uw_pyoffsets_static(3, 12);
	struct uw_pyoffsets o313;
	uint64_t off, code = 0x7f0000001000ull, start = code + 192;
	size_t len;
	uint8_t *raw = load("debug_offsets_3.13.0.bin", &len);

	(void)state;
	assert_int_equal(uw_pyoffsets_from_debug(raw, len, &o313), 0);
	free(raw);
	/* f_lasti: -1 before the first instruction, bytes in 3.8, units in 3.10 */
	assert_int_equal(uw_pyoffsets_frame_offset(o38, (uint64_t)-1, 0, &off), 0);
	assert_true(off == UW_PYLINE_BEFORE_START);
	assert_int_equal(uw_pyoffsets_frame_offset(o38, 10, 0, &off), 0);
	assert_int_equal(off, 10);
	assert_int_equal(uw_pyoffsets_frame_offset(o38, 11, 0, &off), -EINVAL);
	assert_int_equal(uw_pyoffsets_frame_offset(o310, 11, 0, &off), 0);
	assert_int_equal(off, 11);
	assert_int_equal(uw_pyoffsets_frame_offset(o310, (uint64_t)-2, 0, &off), -ERANGE);
	assert_int_equal(uw_pyoffsets_frame_offset(o310, 1ull << 31, 0, &off), -ERANGE);
	/* prev_instr: one unit before the code means "not started" */
	assert_int_equal(uw_pyoffsets_frame_offset(o312, start - 2, code, &off), 0);
	assert_true(off == UW_PYLINE_BEFORE_START);
	assert_int_equal(uw_pyoffsets_frame_offset(o312, start, code, &off), 0);
	assert_int_equal(off, 0);
	assert_int_equal(uw_pyoffsets_frame_offset(o312, start + 10, code, &off), 0);
	assert_int_equal(off, 5);
	assert_int_equal(uw_pyoffsets_frame_offset(o312, start - 4, code, &off), -ERANGE);
	assert_int_equal(uw_pyoffsets_frame_offset(o312, start + 3, code, &off), -EINVAL);
	assert_int_equal(uw_pyoffsets_frame_offset(o312, 0, UINT64_MAX - 8, &off), -EINVAL);
	/* instr_ptr: never before the code */
	start = code + 200;
	assert_int_equal(uw_pyoffsets_frame_offset(&o313, start, code, &off), 0);
	assert_int_equal(off, 0);
	assert_int_equal(uw_pyoffsets_frame_offset(&o313, start - 2, code, &off), -ERANGE);
	assert_int_equal(uw_pyoffsets_frame_offset(&o313, start + 64, code, &off), 0);
	assert_int_equal(off, 32);
	assert_int_equal(uw_pyoffsets_frame_offset(NULL, 0, 0, &off), -EINVAL);
	assert_int_equal(uw_pyoffsets_frame_offset(o38, 0, 0, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(static_tables_match_measurements),
		cmocka_unit_test(static_lookup),
		cmocka_unit_test(spans),
		cmocka_unit_test(validate_rejects),
		cmocka_unit_test(debug_blobs_match_measurements),
		cmocka_unit_test(debug_sizes),
		cmocka_unit_test(debug_header_checks),
		cmocka_unit_test(debug_every_word_corrupted),
		cmocka_unit_test(debug_fields_bounded),
		cmocka_unit_test(debug_random_blobs),
		cmocka_unit_test(frame_offsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
