// SPDX-License-Identifier: MIT
/*
 * fuzz_maps.c - libFuzzer target for uw_maps_parse(): /proc/PID/maps text is
 * the kernel's, but the paths in it are the target's choice (any bytes but
 * NUL and newline), and the parser must survive anything.
 *
 * Checks: 0 or -E2BIG/-ENOMEM only; mappings sorted, disjoint, start < end;
 * paths NUL-terminated, shorter than PATH_MAX, without a NUL or newline
 * inside, taken from the text (a " (deleted)" suffix stripped and flagged);
 * prot and device numbers in range; uw_maps_find() agrees with the list at
 * each mapping's edges and just outside them; parsing is deterministic.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_maps: %s\n", what);
		abort();
	}
}

static void check(const struct uw_maps *m, const char *text, size_t size)
{
	const struct uw_mapping *v = uw_maps_entries(m);
	size_t n = uw_maps_count(m);

	must(n <= UW_MAPS_MAX, "too many mappings");
	for (size_t i = 0; i < n; i++) {
		const struct uw_mapping *e = &v[i];

		must(e->start < e->end, "empty mapping");
		must(i == 0 || v[i - 1].end <= e->start, "unsorted or overlapping");
		must((e->prot & ~(unsigned)(PROT_READ | PROT_WRITE | PROT_EXEC)) == 0, "prot");
		must(e->dev_major <= 0xfff && e->dev_minor <= 0xfffff, "device");
		if (e->path) {
			size_t len = strnlen(e->path, PATH_MAX);

			must(len < PATH_MAX, "path too long");
			must(len > 0, "empty path");
			must(!memchr(e->path, '\n', len), "newline in a path");
			/* the path (and its suffix) is a piece of the text */
			must(memmem(text, size, e->path, len) != NULL, "path not from the text");
			if (e->deleted) {
				char *full = malloc(len + 11);

				must(full != NULL, "oom");
				memcpy(full, e->path, len);
				memcpy(full + len, " (deleted)", 10);
				must(memmem(text, size, full, len + 10) != NULL, "deleted suffix");
				free(full);
			}
		} else {
			must(!e->deleted, "deleted without a path");
		}
		must(uw_maps_find(m, e->start) == e, "find(start)");
		must(uw_maps_find(m, e->end - 1) == e, "find(end - 1)");
		if (e->start > 0 && (i == 0 || v[i - 1].end < e->start))
			must(uw_maps_find(m, e->start - 1) == NULL, "find(start - 1)");
		if (i + 1 == n || v[i + 1].start > e->end)
			must(uw_maps_find(m, e->end) == NULL, "find(end)");
	}
	must(n > 0 || uw_maps_find(m, 0) == NULL, "find in nothing");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: ASan catches any read past @size */
	char *text = malloc(size ? size : 1);
	struct uw_maps *a = NULL, *b = NULL;
	int ra, rb;

	if (!text)
		return 0;
	memcpy(text, data, size);
	ra = uw_maps_parse(text, size, &a);
	must(ra == 0 || ra == -E2BIG || ra == -ENOMEM, "unexpected error");
	must((ra == 0) == (a != NULL), "result without a handle");
	if (a)
		check(a, text, size);
	rb = uw_maps_parse(text, size, &b);
	must(ra == rb && uw_maps_count(a) == uw_maps_count(b), "not deterministic");
	for (size_t i = 0; i < uw_maps_count(a); i++) {
		const struct uw_mapping *x = &uw_maps_entries(a)[i], *y = &uw_maps_entries(b)[i];

		must(x->start == y->start && x->end == y->end && x->offset == y->offset &&
		     x->inode == y->inode && x->prot == y->prot && x->shared == y->shared &&
		     x->deleted == y->deleted && !x->path == !y->path &&
		     (!x->path || !strcmp(x->path, y->path)), "not deterministic");
	}
	uw_maps_free(a);
	uw_maps_free(b);
	free(text);
	return 0;
}
