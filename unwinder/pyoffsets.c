// SPDX-License-Identifier: MIT
/*
 * pyoffsets.c - per-version CPython layouts (see pyoffsets.h).
 *
 * Every number in the static tables was measured live, in the running
 * interpreter, by tests/tools/measure_offsets.py (results kept in
 * tests/unit/data/offsets_*.txt and compared with these tables by
 * tests/unit/test_uw_offsets.c): pyenv 3.8.18, 3.9.18, 3.10.13, 3.11.7,
 * 3.12.1, 3.13.0, Debian 3.11.2, 3.13.5, 3.14.10, 3.15.2 (x86-64, GIL
 * builds). Layouts are the same within a minor version (3.11.2 = 3.11.7,
 * 3.13.0 = 3.13.5), so tables are keyed by minor version.
 */
#include <errno.h>
#include <string.h>

#include "pyoffsets.h"

/* Sizes and offsets in a _Py_DebugOffsets beyond which it is not CPython. */
#define UW_PYOFF_STRUCT_MAX (1u << 20)	/* _PyRuntimeState is ~340 KiB in 3.15 */
#define UW_PYOFF_OBJHEAD_MAX 64

/*
 * 3.8-3.12. Every field is spelled out: a forgotten one would be 0, a valid
 * offset, where UW_OFF_NONE is meant.
 */
static const struct uw_pyoffsets static_tables[] = {
	{
		.version = 0x03080000, .major = 3, .minor = 8,
		.frame_model = UW_FRAME_OBJECT, .lasti_kind = UW_LASTI_BYTES,
		.line_model = UW_PYLINE_LNOTAB,
		.runtime_interpreters_head = 32,
		.interp_next = 0, .interp_threads_head = 8,
		.tstate_next = 8, .tstate_interp = 16, .tstate_frame = 24,
		.tstate_cframe = UW_OFF_NONE, .cframe_current_frame = UW_OFF_NONE,
		.tstate_current_frame = UW_OFF_NONE,
		.tstate_thread_id = 176, .tstate_native_thread_id = UW_OFF_NONE,
		.tstate_datastack_chunk = UW_OFF_NONE,
		.frame_previous = 24, .frame_code = 32, .frame_lasti = 104,
		.frame_instr_ptr = UW_OFF_NONE, .frame_owner = UW_OFF_NONE,
		.frame_is_entry = UW_OFF_NONE, .frame_code_tag_mask = 0,
		.owner_thread = UW_OFF_NONE, .owner_generator = UW_OFF_NONE,
		.owner_frame_object = UW_OFF_NONE, .owner_cstack = UW_OFF_NONE,
		.owner_interpreter = UW_OFF_NONE, .owner_no_code = UW_OFF_NONE,
		.code_filename = 104, .code_name = 112, .code_qualname = UW_OFF_NONE,
		.code_firstlineno = 40, .code_linetable = 120,
		.code_adaptive = UW_OFF_NONE,
		.object_type = 8, .object_head_size = 16,
		.unicode_length = 16, .unicode_state = 32,
		.unicode_ascii_size = 48, .unicode_compact_size = 72,
		.unicode_kind_shift = 2, .unicode_compact_bit = 5,
		.unicode_ascii_bit = 6, .unicode_ready_bit = 7,
	},
	{
		/* 3.9: as 3.8 */
		.version = 0x03090000, .major = 3, .minor = 9,
		.frame_model = UW_FRAME_OBJECT, .lasti_kind = UW_LASTI_BYTES,
		.line_model = UW_PYLINE_LNOTAB,
		.runtime_interpreters_head = 32,
		.interp_next = 0, .interp_threads_head = 8,
		.tstate_next = 8, .tstate_interp = 16, .tstate_frame = 24,
		.tstate_cframe = UW_OFF_NONE, .cframe_current_frame = UW_OFF_NONE,
		.tstate_current_frame = UW_OFF_NONE,
		.tstate_thread_id = 176, .tstate_native_thread_id = UW_OFF_NONE,
		.tstate_datastack_chunk = UW_OFF_NONE,
		.frame_previous = 24, .frame_code = 32, .frame_lasti = 104,
		.frame_instr_ptr = UW_OFF_NONE, .frame_owner = UW_OFF_NONE,
		.frame_is_entry = UW_OFF_NONE, .frame_code_tag_mask = 0,
		.owner_thread = UW_OFF_NONE, .owner_generator = UW_OFF_NONE,
		.owner_frame_object = UW_OFF_NONE, .owner_cstack = UW_OFF_NONE,
		.owner_interpreter = UW_OFF_NONE, .owner_no_code = UW_OFF_NONE,
		.code_filename = 104, .code_name = 112, .code_qualname = UW_OFF_NONE,
		.code_firstlineno = 40, .code_linetable = 120,
		.code_adaptive = UW_OFF_NONE,
		.object_type = 8, .object_head_size = 16,
		.unicode_length = 16, .unicode_state = 32,
		.unicode_ascii_size = 48, .unicode_compact_size = 72,
		.unicode_kind_shift = 2, .unicode_compact_bit = 5,
		.unicode_ascii_bit = 6, .unicode_ready_bit = 7,
	},
	{
		/* 3.10: f_lasti moves to 96 and counts code units; co_linetable */
		.version = 0x030a0000, .major = 3, .minor = 10,
		.frame_model = UW_FRAME_OBJECT, .lasti_kind = UW_LASTI_UNITS,
		.line_model = UW_PYLINE_310,
		.runtime_interpreters_head = 32,
		.interp_next = 0, .interp_threads_head = 8,
		.tstate_next = 8, .tstate_interp = 16, .tstate_frame = 24,
		.tstate_cframe = UW_OFF_NONE, .cframe_current_frame = UW_OFF_NONE,
		.tstate_current_frame = UW_OFF_NONE,
		.tstate_thread_id = 176, .tstate_native_thread_id = UW_OFF_NONE,
		.tstate_datastack_chunk = UW_OFF_NONE,
		.frame_previous = 24, .frame_code = 32, .frame_lasti = 96,
		.frame_instr_ptr = UW_OFF_NONE, .frame_owner = UW_OFF_NONE,
		.frame_is_entry = UW_OFF_NONE, .frame_code_tag_mask = 0,
		.owner_thread = UW_OFF_NONE, .owner_generator = UW_OFF_NONE,
		.owner_frame_object = UW_OFF_NONE, .owner_cstack = UW_OFF_NONE,
		.owner_interpreter = UW_OFF_NONE, .owner_no_code = UW_OFF_NONE,
		.code_filename = 104, .code_name = 112, .code_qualname = UW_OFF_NONE,
		.code_firstlineno = 40, .code_linetable = 120,
		.code_adaptive = UW_OFF_NONE,
		.object_type = 8, .object_head_size = 16,
		.unicode_length = 16, .unicode_state = 32,
		.unicode_ascii_size = 48, .unicode_compact_size = 72,
		.unicode_kind_shift = 2, .unicode_compact_bit = 5,
		.unicode_ascii_bit = 6, .unicode_ready_bit = 7,
	},
	{
		/*
		 * 3.11: _PyInterpreterFrame; tstate->cframe->current_frame;
		 * prev_instr points at the instruction being executed or, in a
		 * call to Python code, at the CALL's last inline cache entry.
		 * No entry/shim frames yet: frames called from C have is_entry.
		 */
		.version = 0x030b0000, .major = 3, .minor = 11,
		.frame_model = UW_FRAME_INTERP, .lasti_kind = UW_LASTI_PREV_INSTR,
		.line_model = UW_PYLINE_LOCATIONS,
		.runtime_interpreters_head = 40,
		.interp_next = 0, .interp_threads_head = 16,
		.tstate_next = 8, .tstate_interp = 16, .tstate_frame = UW_OFF_NONE,
		.tstate_cframe = 56, .cframe_current_frame = 8,
		.tstate_current_frame = UW_OFF_NONE,
		.tstate_thread_id = 152, .tstate_native_thread_id = 160,
		.tstate_datastack_chunk = 296,
		.frame_previous = 48, .frame_code = 32, .frame_lasti = UW_OFF_NONE,
		.frame_instr_ptr = 56, .frame_owner = 69,
		.frame_is_entry = 68, .frame_code_tag_mask = 0,
		.owner_thread = 0, .owner_generator = 1,
		.owner_frame_object = 2, .owner_cstack = UW_OFF_NONE,
		.owner_interpreter = UW_OFF_NONE, .owner_no_code = UW_OFF_NONE,
		.code_filename = 112, .code_name = 120, .code_qualname = 128,
		.code_firstlineno = 72, .code_linetable = 136,
		.code_adaptive = 184,
		.object_type = 8, .object_head_size = 16,
		.unicode_length = 16, .unicode_state = 32,
		.unicode_ascii_size = 48, .unicode_compact_size = 72,
		.unicode_kind_shift = 2, .unicode_compact_bit = 5,
		.unicode_ascii_bit = 6, .unicode_ready_bit = 7,
	},
	{
		/*
		 * 3.12: frames called from C sit on an entry frame owned by the
		 * C stack (owner 3) whose code is "<interpreter trampoline>";
		 * unicode loses wstr and the ready bit.
		 */
		.version = 0x030c0000, .major = 3, .minor = 12,
		.frame_model = UW_FRAME_INTERP, .lasti_kind = UW_LASTI_PREV_INSTR,
		.line_model = UW_PYLINE_LOCATIONS,
		.runtime_interpreters_head = 40,
		.interp_next = 0, .interp_threads_head = 72,
		.tstate_next = 8, .tstate_interp = 16, .tstate_frame = UW_OFF_NONE,
		.tstate_cframe = 56, .cframe_current_frame = 0,
		.tstate_current_frame = UW_OFF_NONE,
		.tstate_thread_id = 136, .tstate_native_thread_id = 144,
		.tstate_datastack_chunk = 232,
		.frame_previous = 8, .frame_code = 0, .frame_lasti = UW_OFF_NONE,
		.frame_instr_ptr = 56, .frame_owner = 70,
		.frame_is_entry = UW_OFF_NONE, .frame_code_tag_mask = 0,
		.owner_thread = 0, .owner_generator = 1,
		.owner_frame_object = 2, .owner_cstack = 3,
		.owner_interpreter = UW_OFF_NONE, .owner_no_code = 3,
		.code_filename = 112, .code_name = 120, .code_qualname = 128,
		.code_firstlineno = 68, .code_linetable = 136,
		.code_adaptive = 192,
		.object_type = 8, .object_head_size = 16,
		.unicode_length = 16, .unicode_state = 32,
		.unicode_ascii_size = 40, .unicode_compact_size = 56,
		.unicode_kind_shift = 2, .unicode_compact_bit = 5,
		.unicode_ascii_bit = 6, .unicode_ready_bit = UW_OFF_NONE,
	},
};

/*
 * Where each field we use sits inside _Py_DebugOffsets, per minor version
 * (byte positions of uint64_t members; the struct only ever grows, but
 * members are inserted in the middle, so every minor needs its own row).
 * 3.13: Include/internal/pycore_runtime.h; 3.14+:
 * Include/internal/pycore_debug_offsets.h; checked against blobs read from
 * live 3.13.0, 3.13.5, 3.14.10 and 3.15.2 processes.
 */
struct debug_layout {
	uint8_t minor;
	uint16_t size;
	uint16_t runtime_size, runtime_interpreters_head;
	uint16_t interp_size, interp_next, interp_threads_head;
	uint16_t tstate_size, tstate_next, tstate_interp, tstate_current_frame;
	uint16_t tstate_thread_id, tstate_native_thread_id, tstate_datastack_chunk;
	uint16_t frame_size, frame_previous, frame_executable, frame_instr_ptr;
	uint16_t frame_owner;
	uint16_t code_size, code_filename, code_name, code_qualname;
	uint16_t code_linetable, code_firstlineno, code_adaptive;
	uint16_t object_size, object_type;
	uint16_t unicode_size, unicode_state, unicode_length, unicode_ascii_size;
};

/*
 * What the blob does not say, per minor version. Owner values:
 * pycore_frame.h (3.13), pycore_interpframe_structs.h (3.14+), and live:
 * the entry frame below a function called from C has owner 3 in 3.13
 * (FRAME_OWNED_BY_CSTACK), 3.14 and 3.15 (FRAME_OWNED_BY_INTERPRETER;
 * 3.14 still has FRAME_OWNED_BY_CSTACK = 4, 3.15 dropped it); the bottom
 * of every 3.15 thread is tstate's embedded base_frame, owner 3 too.
 * f_executable: a plain pointer in 3.13, a _PyStackRef from 3.14 whose
 * low two bits are tags (Py_TAG_BITS 3; None in entry frames carries
 * bit 0 in 3.14.10 and 3.15.2).
 */
struct debug_extra {
	uint8_t minor;
	uint64_t tag_mask;
	int8_t owner_cstack, owner_interpreter;
};

static const struct debug_layout debug_layouts[] = {
	{
		.minor = 13, .size = 584,
		.runtime_size = 24, .runtime_interpreters_head = 40,
		.interp_size = 48, .interp_next = 64, .interp_threads_head = 72,
		.tstate_size = 152, .tstate_next = 168, .tstate_interp = 176,
		.tstate_current_frame = 184, .tstate_thread_id = 192,
		.tstate_native_thread_id = 200, .tstate_datastack_chunk = 208,
		.frame_size = 224, .frame_previous = 232, .frame_executable = 240,
		.frame_instr_ptr = 248, .frame_owner = 264,
		.code_size = 272, .code_filename = 280, .code_name = 288,
		.code_qualname = 296, .code_linetable = 304,
		.code_firstlineno = 312, .code_adaptive = 344,
		.object_size = 352, .object_type = 360,
		.unicode_size = 536, .unicode_state = 544, .unicode_length = 552,
		.unicode_ascii_size = 560,
	},
	{
		/* + interpreter_state.threads_main, code_object_generation,
		 * tlbc_generation; interpreter_frame.stackpointer, tlbc_index;
		 * code_object.co_tlbc; set_object, gen_object, llist_node,
		 * debugger_support */
		.minor = 14, .size = 760,
		.runtime_size = 24, .runtime_interpreters_head = 40,
		.interp_size = 48, .interp_next = 64, .interp_threads_head = 72,
		.tstate_size = 176, .tstate_next = 192, .tstate_interp = 200,
		.tstate_current_frame = 208, .tstate_thread_id = 216,
		.tstate_native_thread_id = 224, .tstate_datastack_chunk = 232,
		.frame_size = 248, .frame_previous = 256, .frame_executable = 264,
		.frame_instr_ptr = 272, .frame_owner = 288,
		.code_size = 312, .code_filename = 320, .code_name = 328,
		.code_qualname = 336, .code_linetable = 344,
		.code_firstlineno = 352, .code_adaptive = 384,
		.object_size = 400, .object_type = 408,
		.unicode_size = 616, .unicode_state = 624, .unicode_length = 632,
		.unicode_ascii_size = 640,
	},
	{
		/* + three thread_state members after current_frame and five
		 * after status, and more in type_object and gc */
		.minor = 15, .size = 888,
		.runtime_size = 24, .runtime_interpreters_head = 40,
		.interp_size = 48, .interp_next = 64, .interp_threads_head = 72,
		.tstate_size = 176, .tstate_next = 192, .tstate_interp = 200,
		.tstate_current_frame = 208, .tstate_thread_id = 240,
		.tstate_native_thread_id = 248, .tstate_datastack_chunk = 256,
		.frame_size = 312, .frame_previous = 320, .frame_executable = 328,
		.frame_instr_ptr = 336, .frame_owner = 352,
		.code_size = 376, .code_filename = 384, .code_name = 392,
		.code_qualname = 400, .code_linetable = 408,
		.code_firstlineno = 416, .code_adaptive = 448,
		.object_size = 464, .object_type = 472,
		.unicode_size = 712, .unicode_state = 720, .unicode_length = 728,
		.unicode_ascii_size = 736,
	},
};

static const struct debug_extra debug_extras[] = {
	{ .minor = 13, .tag_mask = 0, .owner_cstack = 3, .owner_interpreter = UW_OFF_NONE },
	{ .minor = 14, .tag_mask = 3, .owner_cstack = 4, .owner_interpreter = 3 },
	{ .minor = 15, .tag_mask = 3, .owner_cstack = UW_OFF_NONE, .owner_interpreter = 3 },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const struct uw_pyoffsets *uw_pyoffsets_static(int major, int minor)
{
	for (size_t i = 0; i < ARRAY_LEN(static_tables); i++)
		if (static_tables[i].major == major && static_tables[i].minor == minor)
			return &static_tables[i];
	return NULL;
}

static const struct debug_layout *debug_layout_for(uint64_t version_hex)
{
	if (version_hex >> 32 || (version_hex >> 24) != 3)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(debug_layouts); i++)
		if (debug_layouts[i].minor == ((version_hex >> 16) & 0xff))
			return &debug_layouts[i];
	return NULL;
}

size_t uw_pyoffsets_debug_size(uint64_t version_hex)
{
	const struct debug_layout *l = debug_layout_for(version_hex);

	return l ? l->size : 0;
}

/* One field of a structure: where it is, how wide, which structure. */
struct field {
	int32_t off;
	uint8_t width;
	uint8_t align;
	uint8_t in;		/* enum uw_pystruct */
};

/*
 * Every field of @o with its width and structure: the one list that
 * uw_pyoffsets_span() and uw_pyoffsets_validate() work from.
 */
static size_t fields_of(const struct uw_pyoffsets *o, struct field *f)
{
	size_t n = 0;

#define F(member, w, s) (f[n++] = (struct field){ o->member, w, w, s })
	F(runtime_interpreters_head, 8, UW_PYS_RUNTIME);
	F(interp_next, 8, UW_PYS_INTERP);
	F(interp_threads_head, 8, UW_PYS_INTERP);
	F(tstate_next, 8, UW_PYS_TSTATE);
	F(tstate_interp, 8, UW_PYS_TSTATE);
	F(tstate_frame, 8, UW_PYS_TSTATE);
	F(tstate_cframe, 8, UW_PYS_TSTATE);
	F(tstate_current_frame, 8, UW_PYS_TSTATE);
	F(tstate_thread_id, 8, UW_PYS_TSTATE);
	F(tstate_native_thread_id, 8, UW_PYS_TSTATE);
	F(tstate_datastack_chunk, 8, UW_PYS_TSTATE);
	F(cframe_current_frame, 8, UW_PYS_CFRAME);
	F(frame_previous, 8, UW_PYS_FRAME);
	F(frame_code, 8, UW_PYS_FRAME);
	F(frame_lasti, 4, UW_PYS_FRAME);
	F(frame_instr_ptr, 8, UW_PYS_FRAME);
	F(frame_owner, 1, UW_PYS_FRAME);
	F(frame_is_entry, 1, UW_PYS_FRAME);
	F(code_filename, 8, UW_PYS_CODE);
	F(code_name, 8, UW_PYS_CODE);
	F(code_qualname, 8, UW_PYS_CODE);
	F(code_firstlineno, 4, UW_PYS_CODE);
	F(code_linetable, 8, UW_PYS_CODE);
	F(object_type, 8, UW_PYS_CODE);
	F(unicode_length, 8, UW_PYS_UNICODE);
	F(unicode_state, 4, UW_PYS_UNICODE);
#undef F
	return n;
}

#define FIELDS_MAX 32

uint32_t uw_pyoffsets_span(const struct uw_pyoffsets *o, enum uw_pystruct s)
{
	struct field f[FIELDS_MAX];
	size_t n;
	uint32_t end = 0;

	if (!o || (unsigned int)s >= UW_PYS_COUNT)
		return 0;
	n = fields_of(o, f);
	for (size_t i = 0; i < n; i++)
		if (f[i].in == s && f[i].off >= 0 && (uint32_t)f[i].off + f[i].width > end)
			end = (uint32_t)f[i].off + f[i].width;
	/* the unicode header is read whole: the text follows it */
	if (s == UW_PYS_UNICODE && o->unicode_ascii_size > end)
		end = o->unicode_ascii_size;
	return end;
}

static int present(int32_t off)
{
	return off >= 0;
}

static int owner_ok(int8_t v)
{
	return v == UW_OFF_NONE || v >= 0;
}

int uw_pyoffsets_validate(const struct uw_pyoffsets *o)
{
	struct field f[FIELDS_MAX];
	size_t n;

	if (!o || o->major != 3 || o->minor < 8 || o->minor > 15)
		return -EINVAL;
	n = fields_of(o, f);
	for (size_t i = 0; i < n; i++) {
		if (f[i].off == UW_OFF_NONE)
			continue;
		if (f[i].off < 0 || (int64_t)f[i].off + f[i].width > UW_PYOFF_FIELD_MAX ||
		    f[i].off % f[i].align)
			return -EINVAL;
	}
	/* what every version has */
	if (!present(o->runtime_interpreters_head) || !present(o->interp_next) ||
	    !present(o->interp_threads_head) || !present(o->tstate_next) ||
	    !present(o->tstate_interp) || !present(o->tstate_thread_id) ||
	    !present(o->frame_previous) || !present(o->frame_code) ||
	    !present(o->code_filename) || !present(o->code_name) ||
	    !present(o->code_firstlineno) || !present(o->code_linetable) ||
	    !present(o->object_type) || !present(o->unicode_length) ||
	    !present(o->unicode_state))
		return -EINVAL;
	/* the object header precedes every object field */
	if (o->object_head_size < 16 || o->object_head_size > UW_PYOFF_OBJHEAD_MAX ||
	    (uint32_t)o->object_type + 8 > o->object_head_size ||
	    (uint32_t)o->code_filename < o->object_head_size ||
	    (uint32_t)o->code_name < o->object_head_size ||
	    (uint32_t)o->code_firstlineno < o->object_head_size ||
	    (uint32_t)o->code_linetable < o->object_head_size ||
	    (present(o->code_qualname) && (uint32_t)o->code_qualname < o->object_head_size) ||
	    (uint32_t)o->unicode_length < o->object_head_size ||
	    (uint32_t)o->unicode_state < o->object_head_size)
		return -EINVAL;
	/* the unicode header holds length and state; compact objects extend it */
	if ((uint32_t)o->unicode_length + 8 > o->unicode_ascii_size ||
	    (uint32_t)o->unicode_state + 4 > o->unicode_ascii_size ||
	    o->unicode_compact_size <= o->unicode_ascii_size ||
	    o->unicode_compact_size > 256 || o->unicode_kind_shift > 29 ||
	    o->unicode_compact_bit > 31 || o->unicode_ascii_bit > 31 ||
	    o->unicode_ready_bit > 31 || o->unicode_ready_bit < UW_OFF_NONE)
		return -EINVAL;
	/* the code offsets lie in the header, before the inline bytecode */
	if (present(o->code_adaptive) &&
	    (uint32_t)o->code_adaptive < uw_pyoffsets_span(o, UW_PYS_CODE))
		return -EINVAL;
	if (o->frame_code_tag_mask > 7)
		return -EINVAL;
	switch (o->frame_model) {
	case UW_FRAME_OBJECT:
		if (!present(o->tstate_frame) || present(o->tstate_cframe) ||
		    present(o->cframe_current_frame) || present(o->tstate_current_frame) ||
		    !present(o->frame_lasti) || present(o->frame_instr_ptr) ||
		    present(o->frame_owner) || present(o->frame_is_entry) ||
		    (!(o->lasti_kind == UW_LASTI_BYTES && o->line_model == UW_PYLINE_LNOTAB) &&
		     !(o->lasti_kind == UW_LASTI_UNITS && o->line_model == UW_PYLINE_310)))
			return -EINVAL;
		if (o->frame_code_tag_mask || o->owner_no_code != UW_OFF_NONE)
			return -EINVAL;
		break;
	case UW_FRAME_INTERP:
		if (present(o->tstate_frame) || present(o->frame_lasti) ||
		    !present(o->frame_instr_ptr) || !present(o->frame_owner) ||
		    !present(o->code_adaptive) || !present(o->code_qualname) ||
		    !present(o->tstate_native_thread_id) ||
		    !present(o->tstate_datastack_chunk) ||
		    o->line_model != UW_PYLINE_LOCATIONS ||
		    (o->lasti_kind != UW_LASTI_PREV_INSTR && o->lasti_kind != UW_LASTI_INSTR_PTR))
			return -EINVAL;
		/* the current frame: through the _PyCFrame, or directly */
		if (present(o->tstate_cframe) ?
		    !present(o->cframe_current_frame) || present(o->tstate_current_frame) :
		    present(o->cframe_current_frame) || !present(o->tstate_current_frame))
			return -EINVAL;
		if (o->owner_thread < 0 || o->owner_generator < 0 || o->owner_frame_object < 0 ||
		    o->owner_thread == o->owner_generator ||
		    o->owner_thread == o->owner_frame_object ||
		    o->owner_generator == o->owner_frame_object ||
		    !owner_ok(o->owner_cstack) || !owner_ok(o->owner_interpreter) ||
		    !owner_ok(o->owner_no_code))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static uint64_t get64(const uint8_t *b, uint16_t pos)
{
	uint64_t v;

	/* the target runs on this machine: same byte order */
	memcpy(&v, b + pos, sizeof(v));
	return v;
}

/*
 * A field offset from the blob: it must be aligned, end inside its
 * structure (of @size bytes, itself checked) and below UW_PYOFF_FIELD_MAX.
 */
static int get_field(const uint8_t *b, uint16_t pos, uint64_t size, unsigned int width,
		     int32_t *out)
{
	uint64_t v = get64(b, pos);

	if (v >= UW_PYOFF_FIELD_MAX || v + width > size || v % width)
		return -EINVAL;
	*out = (int32_t)v;
	return 0;
}

static int get_size(const uint8_t *b, uint16_t pos, uint64_t *out)
{
	uint64_t v = get64(b, pos);

	if (v == 0 || v > UW_PYOFF_STRUCT_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

int uw_pyoffsets_from_debug(const void *blob, size_t len, struct uw_pyoffsets *out)
{
	const uint8_t *b = blob;
	const struct debug_layout *l;
	const struct debug_extra *x = NULL;
	struct uw_pyoffsets o;
	uint64_t version, ft, rt, ip, ts, fr, co, ob, un, ascii;
	int err = 0;

	if (!b || !out || len < UW_PYDEBUG_HEAD_SIZE)
		return -EINVAL;
	if (memcmp(b, "xdebugpy", 8))
		return -EINVAL;
	version = get64(b, 8);
	l = debug_layout_for(version);
	if (!l)
		return -ENOTSUP;
	/* alpha and beta releases had other layouts of the same minor */
	if (((version >> 4) & 0xf) != 0xc && ((version >> 4) & 0xf) != 0xf)
		return -ENOTSUP;
	if (len < l->size)
		return -EINVAL;
	ft = get64(b, 16);
	if (ft > 1)
		return -EINVAL;
	if (ft)
		return -ENOTSUP;
	for (size_t i = 0; i < ARRAY_LEN(debug_extras); i++)
		if (debug_extras[i].minor == l->minor)
			x = &debug_extras[i];
	if (!x)
		return -ENOTSUP;

	memset(&o, 0, sizeof(o));
	o.version = (uint32_t)version;
	o.major = 3;
	o.minor = l->minor;
	o.frame_model = UW_FRAME_INTERP;
	o.lasti_kind = UW_LASTI_INSTR_PTR;
	o.line_model = UW_PYLINE_LOCATIONS;
	o.tstate_frame = o.tstate_cframe = o.cframe_current_frame = UW_OFF_NONE;
	o.frame_lasti = o.frame_is_entry = UW_OFF_NONE;

	err = err ?: get_size(b, l->runtime_size, &rt);
	err = err ?: get_size(b, l->interp_size, &ip);
	err = err ?: get_size(b, l->tstate_size, &ts);
	err = err ?: get_size(b, l->frame_size, &fr);
	err = err ?: get_size(b, l->code_size, &co);
	err = err ?: get_size(b, l->object_size, &ob);
	err = err ?: get_size(b, l->unicode_size, &un);
	if (err)
		return err;
	err = err ?: get_field(b, l->runtime_interpreters_head, rt, 8, &o.runtime_interpreters_head);
	err = err ?: get_field(b, l->interp_next, ip, 8, &o.interp_next);
	err = err ?: get_field(b, l->interp_threads_head, ip, 8, &o.interp_threads_head);
	err = err ?: get_field(b, l->tstate_next, ts, 8, &o.tstate_next);
	err = err ?: get_field(b, l->tstate_interp, ts, 8, &o.tstate_interp);
	err = err ?: get_field(b, l->tstate_current_frame, ts, 8, &o.tstate_current_frame);
	err = err ?: get_field(b, l->tstate_thread_id, ts, 8, &o.tstate_thread_id);
	err = err ?: get_field(b, l->tstate_native_thread_id, ts, 8, &o.tstate_native_thread_id);
	err = err ?: get_field(b, l->tstate_datastack_chunk, ts, 8, &o.tstate_datastack_chunk);
	err = err ?: get_field(b, l->frame_previous, fr, 8, &o.frame_previous);
	err = err ?: get_field(b, l->frame_executable, fr, 8, &o.frame_code);
	err = err ?: get_field(b, l->frame_instr_ptr, fr, 8, &o.frame_instr_ptr);
	err = err ?: get_field(b, l->frame_owner, fr, 1, &o.frame_owner);
	err = err ?: get_field(b, l->code_filename, co, 8, &o.code_filename);
	err = err ?: get_field(b, l->code_name, co, 8, &o.code_name);
	err = err ?: get_field(b, l->code_qualname, co, 8, &o.code_qualname);
	err = err ?: get_field(b, l->code_linetable, co, 8, &o.code_linetable);
	err = err ?: get_field(b, l->code_firstlineno, co, 4, &o.code_firstlineno);
	/* co_code_adaptive is a flexible array: at least one code unit */
	err = err ?: get_field(b, l->code_adaptive, co, 2, &o.code_adaptive);
	err = err ?: get_field(b, l->object_type, ob, 8, &o.object_type);
	err = err ?: get_field(b, l->unicode_state, un, 4, &o.unicode_state);
	err = err ?: get_field(b, l->unicode_length, un, 8, &o.unicode_length);
	if (err)
		return err;
	/* sizeof(PyObject) and sizeof(PyASCIIObject), as sizes of nothing */
	if (ob > UW_PYOFF_OBJHEAD_MAX)
		return -EINVAL;
	ascii = get64(b, l->unicode_ascii_size);
	if (ascii == 0 || ascii + 16 > un)
		return -EINVAL;
	o.object_head_size = (uint32_t)ob;
	/* PyCompactUnicodeObject adds utf8_length and utf8 (3.12+) */
	o.unicode_ascii_size = (uint32_t)ascii;
	o.unicode_compact_size = (uint32_t)ascii + 16;
	o.unicode_kind_shift = 2;
	o.unicode_compact_bit = 5;
	o.unicode_ascii_bit = 6;
	o.unicode_ready_bit = UW_OFF_NONE;
	o.frame_code_tag_mask = x->tag_mask;
	o.owner_thread = 0;
	o.owner_generator = 1;
	o.owner_frame_object = 2;
	o.owner_cstack = x->owner_cstack;
	o.owner_interpreter = x->owner_interpreter;
	o.owner_no_code = 3;
	err = uw_pyoffsets_validate(&o);
	if (err)
		return err;
	*out = o;
	return 0;
}

int uw_pyoffsets_frame_offset(const struct uw_pyoffsets *o, uint64_t raw,
			      uint64_t code_addr, uint64_t *offset)
{
	int64_t lasti = (int64_t)raw;
	uint64_t start;

	if (!o || !offset)
		return -EINVAL;
	switch (o->lasti_kind) {
	case UW_LASTI_BYTES:
	case UW_LASTI_UNITS:
		if (lasti < -1 || lasti > INT32_MAX)
			return -ERANGE;
		if (lasti == -1) {
			*offset = UW_PYLINE_BEFORE_START;
			return 0;
		}
		/* instructions are two bytes: an odd byte offset is garbage */
		if (o->lasti_kind == UW_LASTI_BYTES && lasti % 2)
			return -EINVAL;
		*offset = (uint64_t)lasti;
		return 0;
	case UW_LASTI_PREV_INSTR:
	case UW_LASTI_INSTR_PTR:
		if (o->code_adaptive < 0 || code_addr > UINT64_MAX - (uint64_t)o->code_adaptive)
			return -EINVAL;
		start = code_addr + (uint64_t)o->code_adaptive;
		if ((raw - start) % 2)
			return -EINVAL;
		/* a new frame's prev_instr is one code unit before the code */
		if (o->lasti_kind == UW_LASTI_PREV_INSTR && start >= 2 && raw == start - 2) {
			*offset = UW_PYLINE_BEFORE_START;
			return 0;
		}
		if (raw < start)
			return -ERANGE;
		*offset = (raw - start) / 2;
		return 0;
	default:
		return -EINVAL;
	}
}
