// SPDX-License-Identifier: MIT
/*
 * fuzz_walker.c - libFuzzer target for uw_unwind() over a synthetic address
 * space: every byte the walker reads comes from the input (walker_input.h
 * says how it is laid out; gen_walker_corpus.c writes well-formed stacks of
 * every supported CPython version as seeds).
 *
 *   make fuzz && build/fuzz/fuzz_walker -max_len=65536 fuzz/corpus/walker
 *   WALKER_FUZZ_PRINT=1 build/fuzz/fuzz_walker INPUT...   (show the stacks)
 *
 * Invariants checked on every input: no crash, no sanitizer report, no hang
 * (libFuzzer's -timeout); a valid status with a reason exactly when it is not
 * UW_OK; nframes <= UW_FRAMES_MAX; every string offset inside the used arena
 * and NUL-terminated there, at most UW_STR_MAX bytes, valid UTF-8; module kinds
 * in range; the reads reported are the calls the reader counted, and bounded.
 * A successful unwind is repeated on the same handle (warm caches: thread
 * state, code objects, speculative frames) and must give the same frames.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modname.h"
#include "pyoffsets.h"
#include "remote.h"
#include "stack.h"
#include "debug_blobs.h"
#include "walker.h"
#include "walker_harness.h"
#include "walker_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * More than any walk needs: thread states (one budget of 4096 for all
 * interpreters, up to 3 reads each with 3.8-3.10's pthread read) and two
 * reads per interpreter; one read per frame; for code objects the header
 * batch, then one by one, then names and tables one by one, twice, and
 * again whole. About 35,000: a cycle that multiplied the list bounds (as
 * walker-4 did, 262,273 reads) is caught.
 */
#define READS_MAX 65536u

static struct uw_pyoffsets layouts[FW_NLAYOUTS];
static const uint8_t *blobs[FW_NLAYOUTS];
static size_t blob_len[FW_NLAYOUTS];
static struct uw_modctx ctx;
static struct uw_stack st1, st2;
static bool verbose;

static void must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_walker: %s\n", what);
		abort();
	}
}

static void init(void)
{
	static const enum wh_blob which[] = { WH_BLOB_3_13_0, WH_BLOB_3_13_5, WH_BLOB_3_14_10,
					      WH_BLOB_3_15_2 };
	char d[64];

	for (int i = FW_L38; i <= FW_L312; i++) {
		const struct uw_pyoffsets *o = uw_pyoffsets_static(3, 8 + i);

		must(o != NULL, "no static layout");
		layouts[i] = *o;
	}
	for (int i = FW_L3130; i <= FW_L315; i++) {
		blobs[i] = wh_blob(which[i - FW_L3130], &blob_len[i]);
		must(blobs[i] && uw_pyoffsets_from_debug(blobs[i], blob_len[i], &layouts[i]) == 0,
		     "real debug offsets refused");
	}
	uw_modctx_init(&ctx);
	for (int m = 8; m <= 15; m++) {
		snprintf(d, sizeof(d), "/usr/lib/python3.%d", m);
		must(uw_modctx_add_stdlib(&ctx, d) == 0, "stdlib");
	}
	must(uw_modctx_add_site(&ctx, "/usr/lib/python3/dist-packages") == 0, "site");
	for (int m = 11; m <= 15; m++) {
		snprintf(d, sizeof(d), "/usr/local/lib/python3.%d/dist-packages", m);
		must(uw_modctx_add_site(&ctx, d) == 0, "site");
	}
	must(uw_modctx_set_appdir(&ctx, "/srv/app") == 0, "appdir");
	must(uw_modctx_set_main(&ctx, "/srv/app/main.py") == 0, "main");
	must(uw_modctx_set_cwd(&ctx, "/srv/app") == 0, "cwd");
	verbose = getenv("WALKER_FUZZ_PRINT") != NULL;
}

/* A little-endian reader over the input. */
struct in {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct in *in, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++) {
		if (in->left) {
			v |= (uint64_t)in->p[0] << (8 * i);
			in->p++;
			in->left--;
		}
	}
	return v;
}

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			k = 2, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			k = 3, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			k = 4, cp = c & 0x07;
		else
			return false;
		if (i + k > n)
			return false;
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += k;
	}
	return true;
}

static void check_str(const struct uw_stack *s, uint32_t off)
{
	const char *str, *nul;

	if (off == 0)
		return;
	must(off < s->arena_used, "string offset past the arena");
	str = s->arena + off;
	nul = memchr(str, '\0', s->arena_used - off);
	must(nul != NULL, "string not terminated in the arena");
	must((size_t)(nul - str) <= UW_STR_MAX, "string longer than UW_STR_MAX");
	must(utf8_valid((const unsigned char *)str, (size_t)(nul - str)), "string not UTF-8");
}

static void check(const struct uw_stack *s, uint64_t reads)
{
	size_t rl = strnlen(s->reason, sizeof(s->reason));

	must((unsigned int)s->status <= UW_CORRUPT, "status out of range");
	must(rl < sizeof(s->reason), "reason not terminated");
	must((s->status == UW_OK) == (rl == 0), "reason iff not ok");
	must(s->nframes <= UW_FRAMES_MAX, "too many frames");
	must(s->nnative <= UW_NATIVE_MAX, "too many native frames");
	must(s->arena_used >= 1 && s->arena_used <= UW_ARENA_SIZE && s->arena[0] == '\0',
	     "arena");
	must(s->reads == reads, "reads reported are not the calls made");
	must(reads <= READS_MAX, "too many reads");
	must(!s->inherited, "inherited");
	for (uint32_t i = 0; i < s->nframes; i++) {
		const struct uw_frame *f = &s->frames[i];

		check_str(s, f->file);
		check_str(s, f->func);
		check_str(s, f->module);
		must(f->kind < UW_MOD_KIND_MAX, "module kind out of range");
		must(f->module == 0 || f->kind != UW_MOD_UNKNOWN, "unknown module with a name");
	}
}

static bool same_frames(const struct uw_stack *a, const struct uw_stack *b)
{
	if (a->status != b->status || a->nframes != b->nframes || a->truncated != b->truncated)
		return false;
	for (uint32_t i = 0; i < a->nframes; i++) {
		const struct uw_frame *x = &a->frames[i], *y = &b->frames[i];

		if (x->line != y->line || x->kind != y->kind ||
		    strcmp(uw_str(a, x->file), uw_str(b, y->file)) ||
		    strcmp(uw_str(a, x->func), uw_str(b, y->func)) ||
		    strcmp(uw_str(a, x->module), uw_str(b, y->module)))
			return false;
	}
	return true;
}

static void print(const char *what, const struct uw_stack *s)
{
	fprintf(stderr, "%s: %s%s%s, %u frames, %u reads%s\n", what, uw_status_name(s->status),
		s->reason[0] ? ": " : "", s->reason, s->nframes, s->reads,
		s->truncated ? ", truncated" : "");
	for (uint32_t i = 0; i < s->nframes; i++) {
		const struct uw_frame *f = &s->frames[i];

		fprintf(stderr, "  %-12s %-28s %s:%d  %s\n", uw_modkind_name((enum uw_modkind)f->kind),
			uw_str(s, f->module), uw_str(s, f->file), (int)f->line, uw_str(s, f->func));
	}
}

/* The layout the input selects, patched if asked; false if it is not valid. */
static bool layout(struct in *in, struct uw_pyoffsets *o, unsigned int sel)
{
	unsigned int li = (sel & 0x0f) % FW_NLAYOUTS, n;
	uint8_t blob[4096];
	size_t bl = blob_len[li];

	*o = layouts[li];
	if (!(sel & FW_SEL_PATCH))
		return true;
	n = (unsigned int)take(in, 1);
	if (n > FW_PATCHES_MAX)
		n = FW_PATCHES_MAX;
	if (blobs[li]) {
		if (bl > sizeof(blob))
			bl = sizeof(blob);
		memcpy(blob, blobs[li], bl);
	}
	for (unsigned int i = 0; i < n; i++) {
		unsigned int pos = (unsigned int)take(in, 2);
		uint8_t v = (uint8_t)take(in, 1);

		if (blobs[li])
			blob[pos % bl] = v;
		else
			((uint8_t *)o)[pos % sizeof(*o)] = v;
	}
	if (blobs[li])
		return uw_pyoffsets_from_debug(blob, bl, o) == 0;
	return uw_pyoffsets_validate(o) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct in in = { data, size };
	struct uw_seg segs[FW_SEGS_MAX];
	uint8_t *bufs[FW_SEGS_MAX];
	size_t nseg = 0, total = 0;
	struct uw_pyoffsets off;
	static struct uw_proc *p;
	struct uw_mem *mem;
	unsigned int sel;
	pid_t tid, pid;
	uint64_t runtime, pycode, r0;

	if (!ready) {
		init();
		ready = true;
	}
	if (size < FW_HDR_SIZE)
		return 0;
	sel = (unsigned int)take(&in, 1);
	(void)take(&in, 1);
	tid = (pid_t)(uint32_t)take(&in, 4);
	pid = (pid_t)(uint32_t)take(&in, 4);
	runtime = take(&in, 8);
	pycode = take(&in, 8);
	if (!layout(&in, &off, sel))
		return 0;

	while (in.left >= FW_SEG_HDR_SIZE && nseg < FW_SEGS_MAX) {
		uint64_t addr = take(&in, 8);
		uint32_t len = (uint32_t)take(&in, 4);
		size_t dlen = (size_t)take(&in, 2);
		bool clash = false;

		if (dlen > in.left)
			dlen = in.left;
		if (len > FW_SEG_LEN_MAX)
			len = FW_SEG_LEN_MAX;
		if (dlen > len)
			dlen = len;
		for (size_t i = 0; i < nseg && !clash; i++)
			clash = addr < segs[i].addr + segs[i].len && segs[i].addr < addr + len;
		/* nothing is ever mapped below vm.mmap_min_addr (64 KiB) */
		if (len == 0 || clash || addr < 0x10000 || addr >= 0x800000000000ULL ||
		    len > 0x800000000000ULL - addr || total + len > FW_TOTAL_MAX) {
			in.p += dlen;
			in.left -= dlen;
			continue;
		}
		/* exactly len bytes: ASan catches a read past a segment's end */
		bufs[nseg] = calloc(1, len);
		if (!bufs[nseg])
			break;
		memcpy(bufs[nseg], in.p, dlen);
		in.p += dlen;
		in.left -= dlen;
		segs[nseg] = (struct uw_seg){ addr, len, bufs[nseg] };
		total += len;
		nseg++;
	}

	mem = uw_mem_new_synthetic(segs, nseg);
	must(mem != NULL, "synthetic reader refused valid segments");
	if (p) {
		wh_proc_reuse(p, mem, &off, runtime, pycode, pid);
	} else {
		p = wh_proc_new(mem, &off, &ctx, runtime, pycode, pid);
		must(p != NULL, "out of memory");
	}

	r0 = uw_proc_reads(p);
	uw_unwind(p, tid, &st1);
	check(&st1, uw_proc_reads(p) - r0);
	if (verbose)
		print("unwind", &st1);
	if (st1.status == UW_OK) {
		/* again, with everything the handle cached */
		r0 = uw_proc_reads(p);
		uw_unwind(p, tid, &st2);
		check(&st2, uw_proc_reads(p) - r0);
		if (verbose)
			print("again", &st2);
		must(same_frames(&st1, &st2), "a second unwind of the same memory differs");
	}

	wh_proc_done(p);
	for (size_t i = 0; i < nseg; i++)
		free(bufs[i]);
	return 0;
}
