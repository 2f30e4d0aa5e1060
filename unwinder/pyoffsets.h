/* SPDX-License-Identifier: MIT */
/*
 * pyoffsets.h - where a frame walker finds things in one CPython version.
 *
 * 3.8-3.12 have no self-description: their layouts come from static tables
 * (uw_pyoffsets_static), measured live on real interpreters by
 * tests/tools/measure_offsets.py. 3.13+ describe themselves in the
 * _Py_DebugOffsets struct at the start of _PyRuntime; that struct comes
 * from the target, so uw_pyoffsets_from_debug() checks every field before
 * it trusts it. Free-threaded builds are refused (-ENOTSUP): their object
 * header, unicode state bits and per-thread bytecode differ and no such
 * build was available to measure.
 *
 * Offsets are byte offsets from the start of the named C structure;
 * UW_OFF_NONE marks a field the version does not have. All offsets of a
 * valid struct uw_pyoffsets are below UW_PYOFF_FIELD_MAX.
 */
#ifndef UW_PYOFFSETS_H
#define UW_PYOFFSETS_H

#include <stddef.h>
#include <stdint.h>

#include "pylines.h"

#define UW_OFF_NONE (-1)

/* Bound on every field offset (a reader copies at most this much of a struct). */
#define UW_PYOFF_FIELD_MAX 65536

/* How a thread's frames are linked. */
enum uw_frame_model {
	/* 3.8-3.10: tstate->frame is a PyFrameObject, linked by f_back. */
	UW_FRAME_OBJECT = 1,
	/* 3.11+: _PyInterpreterFrame records, linked by previous. */
	UW_FRAME_INTERP = 2,
};

/* What the frame's position field holds (see uw_pyoffsets_frame_offset). */
enum uw_lasti_kind {
	UW_LASTI_BYTES = 1,	/* 3.8/3.9: int f_lasti, a byte offset, -1 before start */
	UW_LASTI_UNITS = 2,	/* 3.10: int f_lasti, in code units, -1 before start */
	UW_LASTI_PREV_INSTR = 3,/* 3.11/3.12: _Py_CODEUNIT *prev_instr */
	UW_LASTI_INSTR_PTR = 4,	/* 3.13+: _Py_CODEUNIT *instr_ptr */
};

/* Which structure a field belongs to (for uw_pyoffsets_span). */
enum uw_pystruct {
	UW_PYS_RUNTIME,		/* _PyRuntimeState */
	UW_PYS_INTERP,		/* PyInterpreterState */
	UW_PYS_TSTATE,		/* PyThreadState */
	UW_PYS_CFRAME,		/* _PyCFrame (3.11/3.12) */
	UW_PYS_FRAME,		/* PyFrameObject or _PyInterpreterFrame */
	UW_PYS_CODE,		/* PyCodeObject (header, without co_code_adaptive) */
	UW_PYS_UNICODE,		/* PyASCIIObject */
	UW_PYS_COUNT
};

struct uw_pyoffsets {
	uint32_t version;	/* PY_VERSION_HEX; static tables: 0x03XX0000 */
	uint8_t major, minor;
	uint8_t frame_model;	/* enum uw_frame_model */
	uint8_t lasti_kind;	/* enum uw_lasti_kind */
	uint8_t line_model;	/* enum uw_pyline_model */

	/* _PyRuntimeState */
	int32_t runtime_interpreters_head;	/* PyInterpreterState * */
	/* PyInterpreterState */
	int32_t interp_next;			/* PyInterpreterState * */
	int32_t interp_threads_head;		/* tstate_head / threads.head */
	/* PyThreadState */
	int32_t tstate_next;
	int32_t tstate_interp;
	int32_t tstate_frame;			/* 3.8-3.10: PyFrameObject *frame */
	int32_t tstate_cframe;			/* 3.11/3.12: _PyCFrame *cframe */
	int32_t cframe_current_frame;		/* 3.11/3.12: in the _PyCFrame */
	int32_t tstate_current_frame;		/* 3.13+ */
	int32_t tstate_thread_id;		/* pthread_t (unsigned long) */
	int32_t tstate_native_thread_id;	/* 3.11+: TID in the target's pid ns */
	int32_t tstate_datastack_chunk;		/* 3.11+: _PyStackChunk * */
	/* the frame: PyFrameObject (3.8-3.10) or _PyInterpreterFrame (3.11+) */
	int32_t frame_previous;			/* f_back / previous */
	int32_t frame_code;			/* f_code / f_executable (pointer) */
	int32_t frame_lasti;			/* 3.8-3.10: int f_lasti */
	int32_t frame_instr_ptr;		/* 3.11+: prev_instr / instr_ptr */
	int32_t frame_owner;			/* 3.11+: char owner */
	/* 3.11 only: bool is_entry, set in a frame called from C; unlike the
	 * entry frames of 3.12+ it is real code, not to be skipped */
	int32_t frame_is_entry;
	/*
	 * Low bits of frame_code that are tags, not address: 3.14+ store a
	 * _PyStackRef there (bit 0 marks a deferred/immortal reference).
	 */
	uint64_t frame_code_tag_mask;
	/*
	 * Values of frame_owner (UW_OFF_NONE where the version lacks one).
	 * Frames with owner >= owner_no_code (3.12+) are entry/trampoline or
	 * sentinel frames: not Python code of their own, to be skipped (3.12:
	 * code "<interpreter trampoline>"; 3.13+: f_executable None).
	 */
	int8_t owner_thread;
	int8_t owner_generator;
	int8_t owner_frame_object;
	int8_t owner_cstack;
	int8_t owner_interpreter;
	int8_t owner_no_code;
	/* PyCodeObject */
	int32_t code_filename;
	int32_t code_name;
	int32_t code_qualname;			/* 3.11+ */
	int32_t code_firstlineno;		/* int */
	int32_t code_linetable;			/* co_lnotab (3.8/3.9) / co_linetable */
	int32_t code_adaptive;			/* 3.11+: co_code_adaptive (inline) */
	/* PyObject */
	int32_t object_type;			/* ob_type */
	uint32_t object_head_size;		/* sizeof(PyObject) */
	/* PyUnicodeObject */
	int32_t unicode_length;			/* Py_ssize_t */
	int32_t unicode_state;			/* 32-bit word of bit fields */
	uint32_t unicode_ascii_size;		/* sizeof(PyASCIIObject): ASCII data follows */
	uint32_t unicode_compact_size;		/* sizeof(PyCompactUnicodeObject) */
	uint8_t unicode_kind_shift;		/* kind = (state >> shift) & 7: 1, 2, 4 bytes */
	uint8_t unicode_compact_bit;
	uint8_t unicode_ascii_bit;
	int8_t unicode_ready_bit;		/* 3.8-3.11; UW_OFF_NONE from 3.12 */
};

/* Bytes to read first from a _Py_DebugOffsets: cookie, version, free_threaded. */
#define UW_PYDEBUG_HEAD_SIZE 24

/**
 * uw_pyoffsets_static - the built-in table for CPython @major.@minor.
 *
 * Return: the table for 3.8-3.12 (GIL builds), NULL for any other version
 * (3.13+ describe themselves: use uw_pyoffsets_from_debug). Not to be freed.
 */
const struct uw_pyoffsets *uw_pyoffsets_static(int major, int minor);

/**
 * uw_pyoffsets_debug_size - how many bytes of _Py_DebugOffsets to read.
 * @version_hex: the version field of the struct (PY_VERSION_HEX), read
 *	from its first UW_PYDEBUG_HEAD_SIZE bytes.
 *
 * The struct grows with every minor version (3.13: 584 bytes, 3.14: 760,
 * 3.15: 888). Return: its size for @version_hex, or 0 for a version this
 * code does not know.
 */
size_t uw_pyoffsets_debug_size(uint64_t version_hex);

/**
 * uw_pyoffsets_from_debug - interpret a _Py_DebugOffsets blob.
 * @blob: the bytes read from the start of the target's _PyRuntime; hostile.
 * @len: their number; at least uw_pyoffsets_debug_size() of its version.
 * @out: filled on success only.
 *
 * Checks the "xdebugpy" cookie, reads the version first and decodes the
 * rest with that minor version's layout. Every structure size must be
 * plausible and every field must be aligned, lie inside its structure and
 * below UW_PYOFF_FIELD_MAX. Knowledge the blob does not carry (frame
 * owner values, tag bits, unicode state bits) comes from per-version
 * tables.
 *
 * Return: 0; -EINVAL for a short or malformed blob; -ENOTSUP for a version
 * without a known layout (not 3.13-3.15, or an alpha/beta, whose layouts
 * changed until the release candidates) or a free-threaded build.
 */
int uw_pyoffsets_from_debug(const void *blob, size_t len, struct uw_pyoffsets *out);

/**
 * uw_pyoffsets_span - bytes of structure @s to copy to see every field of
 * @o that lives in it (the end of the last field). 0 for a structure the
 * version does not use (_PyCFrame outside 3.11/3.12) or a bad @s.
 */
uint32_t uw_pyoffsets_span(const struct uw_pyoffsets *o, enum uw_pystruct s);

/**
 * uw_pyoffsets_validate - check that every field of @o is consistent: the
 * fields its version needs are there, inside UW_PYOFF_FIELD_MAX, aligned,
 * and the models and owner values are in range. uw_pyoffsets_from_debug()
 * only returns tables that pass; the static ones are tested against it.
 *
 * Return: 0 or -EINVAL.
 */
int uw_pyoffsets_validate(const struct uw_pyoffsets *o);

/**
 * uw_pyoffsets_frame_offset - where a frame is, in the unit uw_pyline()
 * wants for @o->line_model.
 * @raw: the frame's position field as read: f_lasti (the 32-bit int,
 *	sign-extended) or the prev_instr / instr_ptr pointer.
 * @code_addr: the address of the frame's code object (3.11+ only).
 * @offset: set to the offset, or UW_PYLINE_BEFORE_START for a frame that
 *	has not started (f_lasti -1; prev_instr before the first code unit).
 *
 * Return: 0; -ERANGE for a pointer more than one code unit before the
 * code, or f_lasti below -1; -EINVAL for a pointer not on a code unit.
 * Whether the offset is inside the code is for the caller (who knows the
 * code's length) or uw_pyline() (which answers -ENOENT past the table).
 */
int uw_pyoffsets_frame_offset(const struct uw_pyoffsets *o, uint64_t raw,
			      uint64_t code_addr, uint64_t *offset);

#endif
