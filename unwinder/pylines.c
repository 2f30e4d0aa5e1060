// SPDX-License-Identifier: MIT
/*
 * pylines.c - line numbers from CPython line tables (see pylines.h).
 *
 * Each decoder follows CPython's PyCode_Addr2Line() for its version step by
 * step (Objects/codeobject.c of 3.8, 3.10 and 3.11+; the formats are
 * described in Objects/lnotab_notes.txt and Objects/locations.md), walking
 * forward from the start of the table, so that the answer is the one
 * frame.f_lineno would give.  Lines are summed in 64 bits, so no table can
 * overflow them, and must fit an int at the end.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>

#include "pylines.h"

static int set_line(int64_t line, int *out)
{
	if (line < INT_MIN || line > INT_MAX)
		return -EINVAL;
	*out = (int)line;
	return 0;
}

/*
 * 3.8/3.9: pairs of (unsigned byte delta, signed line delta). The line
 * delta of a pair applies from the pair's address on, so stop at the first
 * pair whose address is past the offset. Past the end of the table the last
 * line holds, exactly as in CPython.
 */
static int lnotab_line(const uint8_t *t, size_t len, int first, uint64_t offset,
		       int *line)
{
	int64_t l = first;
	uint64_t addr = 0;

	/* CPython reads len / 2 pairs; its own tables are never odd. */
	if (len % 2)
		return -EINVAL;
	if (offset == UW_PYLINE_BEFORE_START)
		return set_line(first, line);
	for (size_t i = 0; i < len; i += 2) {
		addr += t[i];
		if (addr > offset)
			break;
		l += (int8_t)t[i + 1];
	}
	return set_line(l, line);
}

/*
 * 3.10: the same pairs, read as address ranges [start, start + delta) in
 * bytes; a line delta of -128 marks a range without a line. Zero-width
 * ranges only carry a line change (PyLineTable_NextAddressRange skips
 * them; it asserts that the table does not end on one: we call that
 * malformed).
 */
static int linetable310_line(const uint8_t *t, size_t len, int first, uint64_t offset,
			     int *line)
{
	int64_t computed = first;
	uint64_t start, end = 0, target;
	bool has_line = false;
	size_t i = 0;

	if (len % 2)
		return -EINVAL;
	if (offset == UW_PYLINE_BEFORE_START)
		return set_line(first, line);
	if (offset > UINT64_MAX / 4)
		return -ENOENT;
	target = offset * 2;	/* f_lasti counts code units, the table bytes */
	while (end <= target) {
		if (i >= len)
			return -ENOENT;
		do {
			if (i >= len)
				return -EINVAL;
			start = end;
			end += t[i];
			if ((int8_t)t[i + 1] == -128) {
				has_line = false;
			} else {
				computed += (int8_t)t[i + 1];
				has_line = true;
			}
			i += 2;
		} while (start == end);
	}
	if (!has_line)
		return -ENOENT;
	return set_line(computed, line);
}

/* Location-table entry kinds (the 4-bit code in an entry's first byte). */
enum {
	LOC_SHORT_MAX = 9,	/* 0-9: same line, one byte of columns */
	LOC_ONE_LINE0 = 10,	/* 10-12: line + 0/1/2, two column bytes */
	LOC_ONE_LINE2 = 12,
	LOC_NO_COLUMNS = 13,	/* svarint line delta */
	LOC_LONG = 14,		/* svarint line delta, 3 varints */
	LOC_NONE = 15,		/* no location at all */
};

/*
 * A varint of the location table: 6 bits a byte, low bits first, 0x40 set
 * on every byte but the last. It must end before @end (the next entry or
 * the end of the table). CPython writes at most 32-bit values.
 */
static int loc_varint(const uint8_t *t, size_t end, size_t *i, uint32_t *val)
{
	uint64_t v = 0;
	unsigned int shift = 0;
	uint8_t b;

	do {
		if (*i >= end || shift > 30)
			return -EINVAL;
		b = t[(*i)++];
		v |= (uint64_t)(b & 63) << shift;
		shift += 6;
	} while (b & 64);
	if (v > UINT32_MAX)
		return -EINVAL;
	*val = (uint32_t)v;
	return 0;
}

/*
 * The payload of one entry, bytes [@i, @end): the line delta it carries,
 * and whether it has the length its kind calls for (a check CPython does
 * not need for its own tables and we make for the target's).
 */
static int loc_entry(const uint8_t *t, size_t i, size_t end, unsigned int code,
		     int64_t *delta)
{
	uint32_t u, skip;
	int err;

	*delta = 0;
	if (code <= LOC_SHORT_MAX)
		return end - i == 1 ? 0 : -EINVAL;
	if (code <= LOC_ONE_LINE2) {
		*delta = code - LOC_ONE_LINE0;
		return end - i == 2 ? 0 : -EINVAL;
	}
	if (code == LOC_NONE)
		return end == i ? 0 : -EINVAL;
	err = loc_varint(t, end, &i, &u);
	if (err)
		return err;
	*delta = (u & 1) ? -(int64_t)(u >> 1) : (int64_t)(u >> 1);
	if (code == LOC_LONG) {
		/* end line delta, start column + 1, end column + 1 */
		for (int k = 0; k < 3 && !err; k++)
			err = loc_varint(t, end, &i, &skip);
		if (err)
			return err;
	}
	return i == end ? 0 : -EINVAL;
}

/*
 * 3.11+: entries that each cover 1-8 code units: a first byte with bit 7
 * set (kind in bits 3-6, length - 1 in bits 0-2) and a payload of bytes
 * with bit 7 clear.
 */
static int locations_line(const uint8_t *t, size_t len, int first, uint64_t offset,
			  int *line)
{
	int64_t computed = first, delta;
	uint64_t end = 0;
	bool has_line = false;
	size_t i = 0;

	if (offset == UW_PYLINE_BEFORE_START)
		return set_line(first, line);
	while (end <= offset) {
		size_t next = i + 1;
		unsigned int code;
		int err;

		if (i >= len)
			return -ENOENT;
		if (!(t[i] & 0x80))
			return -EINVAL;
		while (next < len && !(t[next] & 0x80))
			next++;
		code = (t[i] >> 3) & 15;
		err = loc_entry(t, i + 1, next, code, &delta);
		if (err)
			return err;
		computed += delta;
		has_line = code != LOC_NONE;
		end += (t[i] & 7) + 1;
		i = next;
	}
	if (!has_line)
		return -ENOENT;
	return set_line(computed, line);
}

int uw_pyline(int model, const uint8_t *table, size_t len, int firstlineno,
	      uint64_t offset, int *line)
{
	if (!line || (!table && len) || len > UW_PYLINE_TABLE_MAX)
		return -EINVAL;
	switch (model) {
	case UW_PYLINE_LNOTAB:
		return lnotab_line(table, len, firstlineno, offset, line);
	case UW_PYLINE_310:
		return linetable310_line(table, len, firstlineno, offset, line);
	case UW_PYLINE_LOCATIONS:
		return locations_line(table, len, firstlineno, offset, line);
	default:
		return -EINVAL;
	}
}
