// SPDX-License-Identifier: MIT
/*
 * Unit tests: line numbers from CPython line tables (unwinder/pylines.c).
 *
 * The vectors in tests/unit/data/lines_<version>.txt were made by each real
 * interpreter (tests/tools/gen_line_vectors.py): for every instruction of
 * every code object, the line CPython's own PyCode_Addr2Line() gives. Each
 * table is also decoded truncated at many lengths and garbage tables are
 * thrown at every model: answers are 0, -ENOENT or -EINVAL, never a read
 * past the table (ASan build) and never a wrong line where the truncated
 * table still covers the offset.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pylines.h"

static const char *const files[] = {
	"lines_3.8.18.txt", "lines_3.9.18.txt", "lines_3.10.13.txt",
	"lines_3.11.2.txt", "lines_3.11.7.txt", "lines_3.12.1.txt",
	"lines_3.13.0.txt", "lines_3.13.5.txt", "lines_3.14.10.txt",
	"lines_3.15.2.txt",
};

#define NFILES (sizeof(files) / sizeof(files[0]))

static FILE *open_data(const char *name)
{
	const char *dir = getenv("SISUP_TEST_DATA");
	const char *src = __FILE__;
	const char *slash = strrchr(src, '/');
	char *path;
	FILE *f;

	if (dir)
		assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	else if (slash)
		assert_true(asprintf(&path, "%.*s/data/%s", (int)(slash - src), src, name) > 0);
	else
		assert_true(asprintf(&path, "data/%s", name) > 0);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	free(path);
	return f;
}

/* One code object's vector. */
struct vec {
	char name[128];
	int first, before;
	uint8_t *table;		/* exactly len bytes (ASan sees over-reads) */
	size_t len;
	int *lines;		/* per code unit; -1: no line */
	size_t units;
};

struct vecfile {
	int model, scale;
	struct vec v[64];
	size_t n;
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	fail_msg("bad hex digit %c", c);
	return 0;
}

static void parse_table(struct vec *v, const char *hex)
{
	size_t n = strcspn(hex, "\n");

	if (n == 1 && hex[0] == '-')
		n = 0;
	assert_true(n % 2 == 0);
	v->len = n / 2;
	v->table = malloc(v->len ? v->len : 1);
	assert_non_null(v->table);
	for (size_t i = 0; i < v->len; i++)
		v->table[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
}

static void parse_lines(struct vec *v, const char *s)
{
	size_t cap = 256;

	v->lines = malloc(cap * sizeof(int));
	assert_non_null(v->lines);
	v->units = 0;
	for (;;) {
		char *end;
		long x = strtol(s, &end, 10);

		if (end == s)
			break;
		if (v->units == cap) {
			cap *= 2;
			v->lines = realloc(v->lines, cap * sizeof(int));
			assert_non_null(v->lines);
		}
		v->lines[v->units++] = (int)x;
		s = end;
	}
}

static void load(const char *name, struct vecfile *vf)
{
	FILE *f = open_data(name);
	char *line = NULL;
	size_t cap = 0;
	struct vec *cur = NULL;

	memset(vf, 0, sizeof(*vf));
	while (getline(&line, &cap, f) > 0) {
		if (line[0] == '#')
			continue;
		if (!strncmp(line, "model ", 6)) {
			vf->model = !strcmp(line + 6, "lnotab\n") ? UW_PYLINE_LNOTAB :
				    !strcmp(line + 6, "linetable310\n") ? UW_PYLINE_310 :
				    !strcmp(line + 6, "locations\n") ? UW_PYLINE_LOCATIONS : 0;
		} else if (!strncmp(line, "scale ", 6)) {
			vf->scale = atoi(line + 6);
		} else if (!strncmp(line, "code ", 5)) {
			assert_true(vf->n < sizeof(vf->v) / sizeof(vf->v[0]));
			cur = &vf->v[vf->n++];
			snprintf(cur->name, sizeof(cur->name), "%.*s",
				 (int)strcspn(line + 5, "\n"), line + 5);
		} else if (!strncmp(line, "first ", 6)) {
			cur->first = atoi(line + 6);
		} else if (!strncmp(line, "before ", 7)) {
			cur->before = atoi(line + 7);
		} else if (!strncmp(line, "table ", 6)) {
			parse_table(cur, line + 6);
		} else if (!strncmp(line, "lines ", 6)) {
			parse_lines(cur, line + 6);
		}
	}
	free(line);
	fclose(f);
	assert_true(vf->model != 0);
	assert_true(vf->scale == 1 || vf->scale == 2);
	assert_true(vf->n >= 10);
}

static void unload(struct vecfile *vf)
{
	for (size_t i = 0; i < vf->n; i++) {
		free(vf->v[i].table);
		free(vf->v[i].lines);
	}
}

/* What uw_pyline must answer for unit @u of @v: the line, or -ENOENT. */
static int expect(const struct vec *v, size_t u, int *line)
{
	if (v->lines[u] == -1)
		return -ENOENT;
	*line = v->lines[u];
	return 0;
}

static void real_vectors(void **state)
{
	size_t total = 0, noline = 0, extended = 0;

	(void)state;
	for (size_t fi = 0; fi < NFILES; fi++) {
		struct vecfile vf;

		load(files[fi], &vf);
		for (size_t i = 0; i < vf.n; i++) {
			const struct vec *v = &vf.v[i];
			int line = INT_MIN, want = 0;

			/* a frame that has not started reports co_firstlineno */
			assert_int_equal(uw_pyline(vf.model, v->table, v->len, v->first,
						   UW_PYLINE_BEFORE_START, &line), 0);
			assert_int_equal(line, v->before);
			for (size_t u = 0; u < v->units; u++) {
				int r = uw_pyline(vf.model, v->table, v->len, v->first,
						  (uint64_t)u * (uint64_t)vf.scale, &line);
				int e = expect(v, u, &want);

				if (r != e || (r == 0 && line != want))
					fail_msg("%s %s unit %zu: got %d/%d, want %d/%d", files[fi],
						 v->name, u, r, line, e, want);
				total++;
				noline += e == -ENOENT;
			}
			if (v->units > 4096)
				extended++;
		}
		unload(&vf);
	}
	print_message("  %zu instructions, %zu without a line, %zu long functions\n",
		      total, noline, extended);
	assert_true(noline > 0);
	assert_true(extended >= NFILES);
}

/*
 * Every table cut short: for 3.10+ an offset the shorter table still
 * covers gets the same line; for all, no crash and only the known codes.
 */
static void truncated_tables(void **state)
{
	(void)state;
	for (size_t fi = 0; fi < NFILES; fi++) {
		struct vecfile vf;

		load(files[fi], &vf);
		for (size_t i = 0; i < vf.n; i++) {
			const struct vec *v = &vf.v[i];
			/* big tables: a sample of the cuts, all offsets cost too much */
			size_t step = v->len > 400 ? 37 : 1;

			for (size_t cut = 0; cut < v->len; cut += step) {
				uint8_t *t = malloc(cut ? cut : 1);
				size_t ustep = v->units > 200 ? v->units / 50 : 1;

				assert_non_null(t);
				memcpy(t, v->table, cut);
				for (size_t u = 0; u < v->units; u += ustep) {
					int line = INT_MIN, want = 0;
					int r = uw_pyline(vf.model, t, cut, v->first,
							  (uint64_t)u * (uint64_t)vf.scale, &line);

					assert_true(r == 0 || r == -ENOENT || r == -EINVAL);
					if (r == 0 && vf.model != UW_PYLINE_LNOTAB) {
						assert_int_equal(expect(v, u, &want), 0);
						assert_int_equal(line, want);
					}
				}
				free(t);
			}
		}
		unload(&vf);
	}
}

static uint64_t rnd_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void garbage_tables(void **state)
{
	size_t ok = 0, noent = 0, inval = 0;

	(void)state;
	for (int n = 0; n < 30000; n++) {
		size_t len = rnd() % 80;
		uint8_t *t = malloc(len ? len : 1);
		int model = 1 + n % 3;

		assert_non_null(t);
		for (size_t i = 0; i < len; i++)
			t[i] = (uint8_t)rnd();
		/* some tables start like real location tables */
		if (len && n % 2)
			t[0] |= 0x80;
		for (int k = 0; k < 8; k++) {
			int line = 0;
			uint64_t off = k == 7 ? rnd() : rnd() % 64;
			int r = uw_pyline(model, t, len, (int)(rnd() % 1000) - 100, off, &line);

			assert_true(r == 0 || r == -ENOENT || r == -EINVAL);
			ok += r == 0;
			noent += r == -ENOENT;
			inval += r == -EINVAL;
		}
		free(t);
	}
	print_message("  0: %zu, -ENOENT: %zu, -EINVAL: %zu\n", ok, noent, inval);
	assert_true(ok && noent && inval);
}

static int L(int model, const uint8_t *t, size_t len, int first, uint64_t off)
{
	int line = INT_MIN;
	int r = uw_pyline(model, t, len, first, off, &line);

	return r ? r : line;
}

static void lnotab_cases(void **state)
{
	/* +2 lines from byte 4, -1 line from byte 10 */
	static const uint8_t t[] = { 4, 2, 6, 0xff };
	static const uint8_t odd[] = { 4, 2, 6 };

	(void)state;
	assert_int_equal(L(UW_PYLINE_LNOTAB, t, 4, 10, 0), 10);
	assert_int_equal(L(UW_PYLINE_LNOTAB, t, 4, 10, 2), 10);
	assert_int_equal(L(UW_PYLINE_LNOTAB, t, 4, 10, 4), 12);
	assert_int_equal(L(UW_PYLINE_LNOTAB, t, 4, 10, 8), 12);
	assert_int_equal(L(UW_PYLINE_LNOTAB, t, 4, 10, 10), 11);
	/* past the end the last line holds (CPython does the same) */
	assert_int_equal(L(UW_PYLINE_LNOTAB, t, 4, 10, 1000), 11);
	assert_int_equal(L(UW_PYLINE_LNOTAB, t, 4, 10, UW_PYLINE_BEFORE_START), 10);
	assert_int_equal(L(UW_PYLINE_LNOTAB, NULL, 0, 7, 100), 7);
	assert_int_equal(L(UW_PYLINE_LNOTAB, odd, 3, 10, 0), -EINVAL);
}

static void linetable310_cases(void **state)
{
	/* bytes 0-3 line +1, 4-5 no line, a zero-width +5, 6-7 line +5 */
	static const uint8_t t[] = { 4, 1, 2, 0x80, 0, 5, 2, 0 };
	static const uint8_t zero_end[] = { 2, 1, 0, 3 };

	(void)state;
	assert_int_equal(L(UW_PYLINE_310, t, 8, 10, 0), 11);
	assert_int_equal(L(UW_PYLINE_310, t, 8, 10, 1), 11);
	assert_int_equal(L(UW_PYLINE_310, t, 8, 10, 2), -ENOENT);
	assert_int_equal(L(UW_PYLINE_310, t, 8, 10, 3), 16);
	assert_int_equal(L(UW_PYLINE_310, t, 8, 10, 4), -ENOENT);	/* past the table */
	assert_int_equal(L(UW_PYLINE_310, t, 8, 10, UINT64_MAX - 1), -ENOENT);
	assert_int_equal(L(UW_PYLINE_310, t, 8, 10, UW_PYLINE_BEFORE_START), 10);
	assert_int_equal(L(UW_PYLINE_310, t, 7, 10, 0), -EINVAL);
	assert_int_equal(L(UW_PYLINE_310, NULL, 0, 10, 0), -ENOENT);
	/* ending on a zero-width range: CPython asserts it cannot happen */
	assert_int_equal(L(UW_PYLINE_310, zero_end, 4, 10, 0), 11);
	assert_int_equal(L(UW_PYLINE_310, zero_end, 4, 10, 1), -EINVAL);
}

static void locations_cases(void **state)
{
	/* short form, 2 units, same line; one-line form +2, 1 unit */
	static const uint8_t good[] = { 0x81, 0x05, 0xe0, 0x02, 0x07 };
	/* no-columns form, line delta -3 (svarint 7), 3 units; no location */
	static const uint8_t neg[] = { 0xea, 0x07, 0xf8 };
	/* long form: +1000 lines (svarint 2000 = 0x50 | 0x40, 0x1f), 1 unit */
	static const uint8_t lng[] = { 0xf0, 0x50, 0x1f, 0x00, 0x01, 0x02 };
	static const uint8_t no_start[] = { 0x05, 0x81, 0x05 };
	static const uint8_t short_payload[] = { 0x81 };
	static const uint8_t long_payload[] = { 0x81, 0x05, 0x05 };
	static const uint8_t open_varint[] = { 0xe8, 0x41 };
	static const uint8_t huge_varint[] = { 0xe8, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x01 };
	static const uint8_t none_payload[] = { 0xf8, 0x01 };
	/* three jumps of +2^30 lines: no int holds the sum */
	static const uint8_t overflow[] = { 0xe8, 0x40, 0x40, 0x40, 0x40, 0x40, 0x02,
					    0xe8, 0x40, 0x40, 0x40, 0x40, 0x40, 0x02,
					    0xe8, 0x40, 0x40, 0x40, 0x40, 0x40, 0x02 };

	(void)state;
	assert_int_equal(L(UW_PYLINE_LOCATIONS, good, 5, 10, 0), 10);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, good, 5, 10, 1), 10);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, good, 5, 10, 2), 12);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, good, 5, 10, 3), -ENOENT);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, good, 5, 10, UW_PYLINE_BEFORE_START), 10);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, neg, 3, 10, 2), 7);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, neg, 3, 10, 3), -ENOENT);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, lng, 6, 10, 0), 1010);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, NULL, 0, 10, 0), -ENOENT);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, no_start, 3, 10, 0), -EINVAL);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, short_payload, 1, 10, 0), -EINVAL);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, long_payload, 3, 10, 0), -EINVAL);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, open_varint, 2, 10, 0), -EINVAL);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, huge_varint, 8, 10, 0), -EINVAL);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, none_payload, 2, 10, 0), -EINVAL);
	assert_int_equal(L(UW_PYLINE_LOCATIONS, overflow, 7, 10, 0), 10 + (1 << 30));
	assert_int_equal(L(UW_PYLINE_LOCATIONS, overflow, 21, 10, 2), -EINVAL);
	/* only the entries up to the offset are decoded: a bad one after it
	 * (no location, yet a payload byte) shows only when it is reached */
	{
		static const uint8_t bad_after[] = { 0x80, 0x05, 0xf8, 0x01 };

		assert_int_equal(L(UW_PYLINE_LOCATIONS, bad_after, 4, 10, 0), 10);
		assert_int_equal(L(UW_PYLINE_LOCATIONS, bad_after, 4, 10, 1), -EINVAL);
	}
}

static void bad_arguments(void **state)
{
	static const uint8_t t[] = { 0x80, 0x05 };
	int line;

	(void)state;
	assert_int_equal(uw_pyline(0, t, 2, 1, 0, &line), -EINVAL);
	assert_int_equal(uw_pyline(4, t, 2, 1, 0, &line), -EINVAL);
	assert_int_equal(uw_pyline(UW_PYLINE_LOCATIONS, t, 2, 1, 0, NULL), -EINVAL);
	assert_int_equal(uw_pyline(UW_PYLINE_LOCATIONS, NULL, 2, 1, 0, &line), -EINVAL);
	assert_int_equal(uw_pyline(UW_PYLINE_LOCATIONS, t, (size_t)UW_PYLINE_TABLE_MAX + 1, 1, 0,
				   &line), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_vectors),
		cmocka_unit_test(truncated_tables),
		cmocka_unit_test(garbage_tables),
		cmocka_unit_test(lnotab_cases),
		cmocka_unit_test(linetable310_cases),
		cmocka_unit_test(locations_cases),
		cmocka_unit_test(bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
