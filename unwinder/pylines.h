/* SPDX-License-Identifier: MIT */
/*
 * pylines.h - the source line of an instruction, from a code object's line
 * table as copied out of the target.
 *
 * Three table formats have existed since 3.8; each is decoded the way
 * CPython's own PyCode_Addr2Line() decodes it (the function behind
 * frame.f_lineno), so a frame gets the line Python itself would report.
 * The table is hostile data: every loop is bounded by its length, every
 * multi-byte field is checked to end inside it, and a malformed table
 * gives -EINVAL, never a read past the end.
 */
#ifndef UW_PYLINES_H
#define UW_PYLINES_H

#include <stddef.h>
#include <stdint.h>

enum uw_pyline_model {
	/* 3.8, 3.9: co_lnotab, (byte delta, signed line delta) pairs;
	 * the offset is f_lasti, in bytes. */
	UW_PYLINE_LNOTAB = 1,
	/* 3.10: co_linetable (PEP 626), (byte delta, signed line delta)
	 * pairs, -128 = no line; the offset is f_lasti, in code units. */
	UW_PYLINE_310 = 2,
	/* 3.11+: co_linetable location table (PEP 657, Objects/locations.md);
	 * the offset is in code units: (prev_instr or instr_ptr minus
	 * co_code_adaptive) / 2. */
	UW_PYLINE_LOCATIONS = 3,
};

/*
 * The offset of a frame that has not run its first instruction yet
 * (f_lasti == -1 up to 3.10; prev_instr one code unit before the code in
 * 3.11/3.12). CPython reports co_firstlineno for it.
 */
#define UW_PYLINE_BEFORE_START UINT64_MAX

/* The longest table decoded (real tables are a few KiB). */
#define UW_PYLINE_TABLE_MAX (1u << 24)

/**
 * uw_pyline - the line of the instruction at @offset.
 * @model: an enum uw_pyline_model value, selected by the target's version.
 * @table: the line table bytes (co_lnotab or co_linetable); not retained.
 * @len: their number (0 is a valid, empty table); at most UW_PYLINE_TABLE_MAX.
 * @firstlineno: the code object's co_firstlineno.
 * @offset: where the frame is, in the unit @model names, or
 *	UW_PYLINE_BEFORE_START.
 * @line: set on success.
 *
 * A frame that is calling out (to a C function or to another Python
 * function) gets the line of the call: its f_lasti (3.8-3.10) and
 * instr_ptr (3.13+) point at the CALL instruction, its prev_instr
 * (3.11/3.12) at the CALL or at the CALL's last inline cache entry, and
 * the location table covers cache entries with their instruction.
 *
 * Return: 0; -ENOENT when the table gives no line for @offset (an
 * artificial instruction, or an offset past the code the table covers;
 * CPython reports -1 there; 3.8/3.9 tables have no such case and report
 * their last line past the end, as CPython does); -EINVAL for a bad
 * argument or a malformed table.
 */
int uw_pyline(int model, const uint8_t *table, size_t len, int firstlineno,
	      uint64_t offset, int *line);

#endif
