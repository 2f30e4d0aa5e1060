// SPDX-License-Identifier: MIT
/*
 * gen_walker_corpus.c - seeds for fuzz_walker: well-formed synthetic stacks.
 *
 *   build/fuzz/gen_walker_corpus tests/unit/data OUTDIR [-v]
 *
 * For every layout fuzz_walker knows (CPython 3.8-3.12 static tables, the real
 * _Py_DebugOffsets of 3.13.0, 3.13.5, 3.14.10 and 3.15.2) it writes stacks
 * laid out as that version lays them out in memory: _PyRuntime, interpreters,
 * thread states (with glibc's struct pthread for 3.8-3.10), frame objects or
 * _PyInterpreterFrames in a data-stack chunk, generator and entry frames,
 * _PyCFrame on a C stack (3.11/3.12), the 3.15 base frame inside the thread
 * state, code objects with real line tables (tests/unit/data/lines_*.txt) and
 * compact unicode objects of every kind. The layouts come from pyoffsets.c
 * itself, so the seeds always match what the walker expects.
 *
 * Variants: "app" (five frames of every module kind, non-ASCII names, a file
 * name past the speculative read, a string at the very end of a mapping, a
 * long line table), "deep" (one recursive function, DEEP frames), "threads"
 * (the thread in a second interpreter, behind other threads). Long line
 * tables are cut to TABLE_KEEP bytes to keep the seeds small. With -v, each
 * seed's expected frames are printed (WALKER_FUZZ_PRINT=1 fuzz_walker shows
 * what the walker makes of it).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pylines.h"
#include "pyoffsets.h"
#include "walker_input.h"

#define PID 4242
#define TID 4243
#define OTHER_TID 4244
#define RUNTIME 0x555555a00000ULL
#define INTERP0 0x555555b00000ULL
#define PYCODE_TYPE 0x555555c00000ULL
#define STR_TYPE 0x555555c01000ULL
#define BYTES_TYPE 0x555555c02000ULL
#define NONE_ADDR 0x555555c03000ULL
#define HEAP 0x7f1000000000ULL
#define HEAP_LEN (256u * 1024)
#define EDGE 0x7f1800000000ULL		/* strings ending exactly at a mapping's end */
#define CHUNK 0x7f3000000000ULL
#define CSTACK 0x7ffc00000000ULL
#define CSTACK_LEN 8192u
#define GLIBC_TID_OFF 720		/* glibc 2.36 */
#define TABLE_KEEP 600			/* longest line table kept */
#define DEEP 64			/* frames of the deep stacks */

static bool verbose;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "gen_walker_corpus: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* ------------------------------------------------------------------ */
/* The image: segments being filled.                                   */

struct gseg {
	uint64_t addr;
	uint32_t len;
	uint8_t *buf;
};

struct img {
	struct gseg seg[FW_SEGS_MAX];
	int nseg;
	uint64_t heap_next, edge_next;
};

static void seg_add(struct img *im, uint64_t addr, uint32_t len)
{
	if (im->nseg == FW_SEGS_MAX)
		die("too many segments");
	im->seg[im->nseg].addr = addr;
	im->seg[im->nseg].len = len;
	im->seg[im->nseg].buf = calloc(1, len);
	if (!im->seg[im->nseg].buf)
		die("out of memory");
	im->nseg++;
}

static uint8_t *at(struct img *im, uint64_t addr, size_t n)
{
	for (int i = 0; i < im->nseg; i++)
		if (addr >= im->seg[i].addr && addr + n <= im->seg[i].addr + im->seg[i].len)
			return im->seg[i].buf + (addr - im->seg[i].addr);
	die("write outside the segments at %#llx", (unsigned long long)addr);
	return NULL;
}

static void w8(struct img *im, uint64_t a, uint8_t v) { *at(im, a, 1) = v; }
static void w16(struct img *im, uint64_t a, uint16_t v) { memcpy(at(im, a, 2), &v, 2); }
static void w32(struct img *im, uint64_t a, uint32_t v) { memcpy(at(im, a, 4), &v, 4); }
static void w64(struct img *im, uint64_t a, uint64_t v) { memcpy(at(im, a, 8), &v, 8); }

static uint64_t align(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t halloc(struct img *im, size_t n)
{
	uint64_t a = align(im->heap_next, 16);

	if (a + n > HEAP + HEAP_LEN)
		die("heap full");
	im->heap_next = a + n;
	return a;
}

/* A field that exists in this layout. */
static uint64_t F(uint64_t base, int32_t off)
{
	if (off < 0)
		die("field missing from the layout");
	return base + (uint64_t)off;
}

/* ------------------------------------------------------------------ */
/* Objects.                                                            */

static size_t utf8_decode(const char *s, uint32_t *cp, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p && n < max) {
		uint32_t c = *p++;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		c &= more == 3 ? 0x07 : more == 2 ? 0x0f : more == 1 ? 0x1f : 0x7f;
		while (more-- > 0 && *p)
			c = c << 6 | (*p++ & 0x3f);
		cp[n++] = c;
	}
	return n;
}

/* A compact str (ASCII, or 1, 2 or 4 bytes a character) at @a, or only its
 * size when @a is 0. */
static size_t unicode_at(struct img *im, const struct uw_pyoffsets *o, uint64_t a, const char *s)
{
	uint32_t cp[1024];
	size_t n = utf8_decode(s, cp, 1024);
	uint32_t max = 0, kind, state;
	size_t data, size;
	bool ascii;

	for (size_t i = 0; i < n; i++)
		max = cp[i] > max ? cp[i] : max;
	ascii = max < 0x80;
	kind = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
	data = ascii ? o->unicode_ascii_size : o->unicode_compact_size;
	size = data + (n + 1) * kind;
	if (!a)
		return size;
	w64(im, a, 1);				/* ob_refcnt */
	w64(im, F(a, o->object_type), STR_TYPE);
	w64(im, F(a, o->unicode_length), n);
	w64(im, a + (uint64_t)o->unicode_length + 8, (uint64_t)-1);	/* hash */
	state = kind << o->unicode_kind_shift | 1u << o->unicode_compact_bit |
		(ascii ? 1u << o->unicode_ascii_bit : 0) |
		(o->unicode_ready_bit >= 0 ? 1u << o->unicode_ready_bit : 0);
	w32(im, F(a, o->unicode_state), state);
	for (size_t i = 0; i < n; i++) {
		if (kind == 1)
			w8(im, a + data + i, (uint8_t)cp[i]);
		else if (kind == 2)
			w16(im, a + data + 2 * i, (uint16_t)cp[i]);
		else
			w32(im, a + data + 4 * i, cp[i]);
	}
	return size;
}

static uint64_t unicode(struct img *im, const struct uw_pyoffsets *o, const char *s)
{
	uint64_t a = halloc(im, unicode_at(im, o, 0, s));

	unicode_at(im, o, a, s);
	return a;
}

/* A str that ends exactly where its own mapping ends: a speculative read of
 * it faults, and the walker must fall back to reading the header first. */
static uint64_t unicode_edge(struct img *im, const struct uw_pyoffsets *o, const char *s)
{
	size_t size = unicode_at(im, o, 0, s);
	uint64_t a = im->edge_next;

	seg_add(im, a, (uint32_t)size);
	unicode_at(im, o, a, s);
	im->edge_next += 0x10000;
	return a;
}

static uint64_t bytes(struct img *im, const uint8_t *d, size_t n)
{
	uint64_t a = halloc(im, 32 + n + 1);

	w64(im, a, 1);
	w64(im, a + 8, BYTES_TYPE);
	w64(im, a + 16, n);
	w64(im, a + 24, (uint64_t)-1);
	memcpy(at(im, a + 32, n ? n : 1), d, n);
	return a;
}

/* ------------------------------------------------------------------ */
/* Line tables from tests/unit/data/lines_*.txt.                       */

struct lcode {
	char name[96];
	int first;
	uint8_t *table;
	size_t tlen;
	int *lines;
	size_t nlines;
};

struct lfile {
	int model, scale;
	struct lcode code[32];
	size_t ncode;
};

static void load_lines(const char *dir, const char *ver, struct lfile *lf)
{
	char path[512], line[65536];
	FILE *f;
	struct lcode *c = NULL;

	snprintf(path, sizeof(path), "%s/lines_%s.txt", dir, ver);
	f = fopen(path, "r");
	if (!f)
		die("%s: %s", path, strerror(errno));
	memset(lf, 0, sizeof(*lf));
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "model ", 6)) {
			lf->model = !strcmp(line + 6, "lnotab") ? UW_PYLINE_LNOTAB :
				    !strcmp(line + 6, "linetable310") ? UW_PYLINE_310 :
				    UW_PYLINE_LOCATIONS;
		} else if (!strncmp(line, "scale ", 6)) {
			lf->scale = atoi(line + 6);
		} else if (!strncmp(line, "code ", 5) && lf->ncode < 32) {
			c = &lf->code[lf->ncode++];
			snprintf(c->name, sizeof(c->name), "%.95s", line + 5);
		} else if (c && !strncmp(line, "first ", 6)) {
			c->first = atoi(line + 6);
		} else if (c && !strncmp(line, "table ", 6)) {
			size_t n = strlen(line + 6) / 2;

			c->table = malloc(n ? n : 1);
			for (size_t i = 0; i < n; i++) {
				unsigned int b;

				sscanf(line + 6 + 2 * i, "%2x", &b);
				c->table[i] = (uint8_t)b;
			}
			c->tlen = n;
		} else if (c && !strncmp(line, "lines ", 6)) {
			char *p = line + 6, *e;

			c->lines = malloc(sizeof(int) * (strlen(p) / 2 + 1));
			for (long v = strtol(p, &e, 10); e != p; v = strtol(p, &e, 10)) {
				c->lines[c->nlines++] = (int)v;
				p = e;
			}
		}
	}
	fclose(f);
	if (!lf->model || !lf->ncode)
		die("%s: no codes", path);
}

/* The code whose name is @name (else the first). */
static const struct lcode *lcode(const struct lfile *lf, const char *name)
{
	for (size_t i = 0; i < lf->ncode; i++)
		if (!strcmp(lf->code[i].name, name) && lf->code[i].nlines)
			return &lf->code[i];
	return &lf->code[0];
}

/* ------------------------------------------------------------------ */
/* Code objects and frames.                                            */

struct ctx {
	struct img im;
	const struct uw_pyoffsets *o;
	const struct lfile *lf;
	int layout;
	uint64_t chunk_next, chunk_end;
	uint64_t cf_owner;	/* the thread whose _PyCFrame is mid-stack */
	int nexpect;
};

struct code {
	uint64_t addr;
	const struct lcode *lc;
	char file[512], func[128];
};

static void code_new(struct ctx *c, struct code *k, const char *file, const char *name,
		     const char *qualname, const struct lcode *lc, bool edge_file)
{
	const struct uw_pyoffsets *o = c->o;
	/* the walker reads the header only: a few code units are enough */
	size_t size = o->code_adaptive >= 0 ? (size_t)o->code_adaptive + 16
					    : uw_pyoffsets_span(o, UW_PYS_CODE) + 16;
	size_t tlen = lc->tlen;

	/* Long tables are cut (at an entry boundary) to a little more than the
	 * walker's speculative read: enough to take the long path, and the
	 * lines of the first instructions stay the same. */
	if (tlen > TABLE_KEEP) {
		tlen = TABLE_KEEP;
		if (c->lf->model == UW_PYLINE_LOCATIONS)
			while (tlen < lc->tlen && !(lc->table[tlen] & 0x80))
				tlen++;
		else
			tlen &= ~(size_t)1;
	}
	uint64_t a = halloc(&c->im, size);
	uint64_t fn = edge_file ? unicode_edge(&c->im, o, file) : unicode(&c->im, o, file);

	w64(&c->im, a, 1);
	w64(&c->im, F(a, o->object_type), PYCODE_TYPE);
	w64(&c->im, F(a, o->code_filename), fn);
	w64(&c->im, F(a, o->code_name), unicode(&c->im, o, name));
	if (o->code_qualname >= 0)
		w64(&c->im, F(a, o->code_qualname), unicode(&c->im, o, qualname));
	w32(&c->im, F(a, o->code_firstlineno), (uint32_t)lc->first);
	w64(&c->im, F(a, o->code_linetable), bytes(&c->im, lc->table, tlen));
	k->addr = a;
	k->lc = lc;
	snprintf(k->file, sizeof(k->file), "%s", file);
	snprintf(k->func, sizeof(k->func), "%s", o->code_qualname >= 0 ? qualname : name);
}

enum where { IN_HEAP, IN_CHUNK, ON_CSTACK };

/* A frame running @k at its @u-th instruction (index into the lines list);
 * @k NULL: an entry/sentinel frame (owner @owner, no code). Returns its address. */
static uint64_t frame(struct ctx *c, enum where w, const struct code *k, size_t u, int owner,
		      uint64_t prev, bool tag)
{
	const struct uw_pyoffsets *o = c->o;
	uint32_t span = uw_pyoffsets_span(o, UW_PYS_FRAME);
	size_t size = align(span, 8) + 4 * 8;	/* a few locals after the header */
	uint64_t a;

	if (w == IN_CHUNK) {
		a = c->chunk_next;
		c->chunk_next += size;
		if (c->chunk_next > c->chunk_end)
			die("chunk full");
	} else if (w == ON_CSTACK) {
		a = CSTACK + CSTACK_LEN / 2 - 512;
	} else {
		a = halloc(&c->im, size);
	}
	w64(&c->im, F(a, o->frame_previous), prev);
	if (k)
		w64(&c->im, F(a, o->frame_code), k->addr | (tag && o->frame_code_tag_mask ? 1 : 0));
	else
		w64(&c->im, F(a, o->frame_code), NONE_ADDR | (o->frame_code_tag_mask ? 1 : 0));
	if (o->frame_owner >= 0)
		w8(&c->im, F(a, o->frame_owner), (uint8_t)owner);
	if (!k)
		return a;
	if (u >= k->lc->nlines)
		u = k->lc->nlines - 1;
	if (o->frame_model == UW_FRAME_OBJECT)
		w32(&c->im, F(a, o->frame_lasti), (uint32_t)(u * (size_t)c->lf->scale));
	else
		w64(&c->im, F(a, o->frame_instr_ptr), k->addr + (uint64_t)o->code_adaptive + 2 * u);
	if (verbose)
		printf("    expect %s:%d  %s\n", k->file, k->lc->lines[u], k->func);
	c->nexpect++;
	return a;
}

/* ------------------------------------------------------------------ */
/* Interpreters and threads.                                           */

struct thread {
	pid_t tid;
	uint64_t ts;
};

static uint64_t pthread_struct(struct ctx *c, pid_t tid)
{
	uint64_t a = halloc(&c->im, 1024);

	w64(&c->im, a, a);	/* header.self */
	w32(&c->im, a + GLIBC_TID_OFF, (uint32_t)tid);
	return a;
}

static uint64_t tstate(struct ctx *c, uint64_t interp, pid_t tid, uint64_t next)
{
	const struct uw_pyoffsets *o = c->o;
	uint32_t span = uw_pyoffsets_span(o, UW_PYS_TSTATE);
	uint32_t fspan = uw_pyoffsets_span(o, UW_PYS_FRAME);
	uint64_t a = halloc(&c->im, align(span, 16) + align(fspan, 16) + 64);

	w64(&c->im, F(a, o->tstate_next), next);
	w64(&c->im, F(a, o->tstate_interp), interp);
	w64(&c->im, F(a, o->tstate_thread_id), pthread_struct(c, tid));
	if (o->tstate_native_thread_id >= 0)
		w64(&c->im, F(a, o->tstate_native_thread_id), (uint64_t)tid);
	return a;
}

/* Point thread state @ts at its innermost frame @top (and its chunk). */
static void tstate_frames(struct ctx *c, uint64_t ts, uint64_t top, bool chunk)
{
	const struct uw_pyoffsets *o = c->o;

	if (o->frame_model == UW_FRAME_OBJECT) {
		w64(&c->im, F(ts, o->tstate_frame), top);
		return;
	}
	if (chunk)
		w64(&c->im, F(ts, o->tstate_datastack_chunk), CHUNK);
	if (o->tstate_current_frame >= 0) {
		w64(&c->im, F(ts, o->tstate_current_frame), top);
	} else {
		/* 3.11/3.12: through a _PyCFrame in the middle of the C stack
		 * (another thread's further up) */
		uint64_t cf = CSTACK + CSTACK_LEN / 2 + (ts == c->cf_owner || !c->cf_owner ? 0 : 1024);

		if (!c->cf_owner)
			c->cf_owner = ts;

		w64(&c->im, F(ts, o->tstate_cframe), cf);
		w64(&c->im, F(cf, o->cframe_current_frame), top);
	}
}

/* The 3.15 base frame: inside the thread state, owner 3, no code. */
static uint64_t base_frame(struct ctx *c, uint64_t ts)
{
	if (c->o->minor < 15)
		return 0;
	return ts + align(uw_pyoffsets_span(c->o, UW_PYS_TSTATE), 16);
}

static void base_frame_fill(struct ctx *c, uint64_t ts)
{
	uint64_t b = base_frame(c, ts);

	if (!b)
		return;
	w64(&c->im, F(b, c->o->frame_previous), 0);
	w64(&c->im, F(b, c->o->frame_code), NONE_ADDR | 1);
	w8(&c->im, F(b, c->o->frame_owner), 3);
}

static void setup(struct ctx *c, bool chunk, uint32_t chunk_len)
{
	const struct uw_pyoffsets *o = c->o;

	c->im.heap_next = HEAP;
	c->im.edge_next = EDGE;
	seg_add(&c->im, RUNTIME, align(uw_pyoffsets_span(o, UW_PYS_RUNTIME), 64) + 64);
	seg_add(&c->im, INTERP0, 0x1000 + align(uw_pyoffsets_span(o, UW_PYS_INTERP), 64));
	seg_add(&c->im, HEAP, HEAP_LEN);
	if (o->frame_model == UW_FRAME_INTERP) {
		seg_add(&c->im, CSTACK, CSTACK_LEN);
		if (chunk) {
			seg_add(&c->im, CHUNK, chunk_len);
			w64(&c->im, CHUNK + 8, chunk_len);	/* _PyStackChunk.size */
			c->chunk_next = CHUNK + 32;
			c->chunk_end = CHUNK + chunk_len;
		}
	}
	w64(&c->im, F(RUNTIME, o->runtime_interpreters_head), INTERP0);
}

static void finish_chunk(struct ctx *c)
{
	if (c->chunk_end)
		w64(&c->im, CHUNK + 16, c->chunk_next);	/* top */
}

/* ------------------------------------------------------------------ */
/* Output.                                                             */

static const char *const layout_name[FW_NLAYOUTS] = {
	"3.8", "3.9", "3.10", "3.11", "3.12", "3.13.0", "3.13.5", "3.14", "3.15",
};

static void put(FILE *f, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		fputc((int)(v >> (8 * i) & 0xff), f);
}

/*
 * A segment is its data then zeros, so a run of zeros costs nothing at the
 * end of a segment: split segments after their longest zero runs (the
 * pieces are adjacent, and reads run across them as across mappings), as
 * many times as FW_SEGS_MAX allows. Keeps the seeds a few KiB each.
 */
struct run {
	int seg;
	uint32_t start, end;	/* zero bytes [start, end) of the segment */
};

static int by_length(const void *a, const void *b)
{
	const struct run *x = a, *y = b;
	uint32_t lx = x->end - x->start, ly = y->end - y->start;

	return lx < ly ? 1 : lx > ly ? -1 : 0;
}

static int by_place(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	if (x->seg != y->seg)
		return x->seg - y->seg;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void put_piece(FILE *f, const struct gseg *s, uint32_t from, uint32_t to)
{
	uint32_t used = to - from;

	while (used > 0 && s->buf[from + used - 1] == 0)
		used--;
	if (used > 0xffff)
		die("a piece has %u bytes of data", used);
	put(f, s->addr + from, 8);
	put(f, to - from, 4);
	put(f, used, 2);
	fwrite(s->buf + from, 1, used, f);
}

static void write_segments(struct img *im, FILE *f)
{
	static struct run runs[1 << 16];
	size_t nruns = 0, keep = FW_SEGS_MAX - (size_t)im->nseg;

	for (int i = 0; i < im->nseg; i++) {
		const struct gseg *s = &im->seg[i];
		uint32_t end = s->len;

		while (end > 0 && s->buf[end - 1] == 0)
			end--;	/* trailing zeros are free anyway */
		for (uint32_t j = 0; j < end;) {
			uint32_t k = j;

			while (k < end && s->buf[k] == 0)
				k++;
			if (k - j >= 32 && nruns < sizeof(runs) / sizeof(runs[0]))
				runs[nruns++] = (struct run){ i, j, k };
			j = k > j ? k : j + 1;
		}
	}
	qsort(runs, nruns, sizeof(runs[0]), by_length);
	if (nruns > keep)
		nruns = keep;
	qsort(runs, nruns, sizeof(runs[0]), by_place);
	for (int i = 0, r = 0; i < im->nseg; i++) {
		const struct gseg *s = &im->seg[i];
		uint32_t from = 0;

		for (; (size_t)r < nruns && runs[r].seg == i; r++) {
			put_piece(f, s, from, runs[r].end);
			from = runs[r].end;
		}
		put_piece(f, s, from, s->len);
		free(s->buf);
	}
}

static void write_seed(struct ctx *c, const char *dir, const char *variant, pid_t tid)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%s-%s", dir, layout_name[c->layout], variant);
	f = fopen(path, "wb");
	if (!f)
		die("%s: %s", path, strerror(errno));
	put(f, (uint64_t)c->layout, 1);
	put(f, 0, 1);
	put(f, (uint64_t)tid, 4);
	put(f, PID, 4);
	put(f, RUNTIME, 8);
	put(f, PYCODE_TYPE, 8);
	write_segments(&c->im, f);
	if (fclose(f))
		die("%s: %s", path, strerror(errno));
	if (verbose)
		printf("%s: %d frames\n", path, c->nexpect);
}

/* ------------------------------------------------------------------ */
/* The stacks.                                                         */

static void begin(struct ctx *c, int layout, const struct uw_pyoffsets *o, const struct lfile *lf)
{
	memset(c, 0, sizeof(*c));
	c->layout = layout;
	c->o = o;
	c->lf = lf;
}

/*
 * Five frames, innermost first: app code with a non-ASCII file and function
 * name; a third-party method whose file name is longer than the speculative
 * read; a generator frame (outside the chunk); [an entry frame, 3.12+]; the
 * stdlib with the longest line table, at the end of a mapping; __main__.
 */
static void stack_app(struct ctx *c, const char *dir)
{
	const struct uw_pyoffsets *o = c->o;
	char longfile[400], stdfile[128];
	struct code k[5];
	uint64_t ts, other, f[8];
	bool interp = o->frame_model == UW_FRAME_INTERP;
	bool entry = o->owner_no_code >= 0, v = verbose;
	enum where where = interp ? IN_CHUNK : IN_HEAP;

	setup(c, true, 16384);
	snprintf(longfile, sizeof(longfile), "/usr/lib/python3/dist-packages/%s/sessions.py",
		 "requests/very_long_vendored_package_name/and/another/level/of/nesting/"
		 "that/keeps/going/past/the/two/hundred/byte/speculative/read/of/the/walker/"
		 "adapters/compat/internal");
	snprintf(stdfile, sizeof(stdfile), "/usr/lib/python3.%d/json/decoder.py", o->minor);
	code_new(c, &k[0], "/srv/app/pkg/δοκιμή.py", "grüße", "Config.grüße_🐍",
		 lcode(c->lf, "loops"), false);
	code_new(c, &k[1], longfile, "request", "Session.request", lcode(c->lf, "nested_calls"),
		 false);
	code_new(c, &k[2], stdfile, "<genexpr>", "JSONDecoder.decode.<locals>.<genexpr>",
		 lcode(c->lf, "generator"), false);
	code_new(c, &k[3], "/usr/lib/python3/dist-packages/yaml/__init__.py", "big", "big",
		 lcode(c->lf, "big"), true);
	code_new(c, &k[4], "/srv/app/main.py", "<module>", "<module>", lcode(c->lf, "<module>"),
		 false);

	other = tstate(c, INTERP0, PID, 0);
	ts = tstate(c, INTERP0, TID, other);
	w64(&c->im, F(INTERP0, o->interp_threads_head), ts);
	if (verbose)
		printf("%s app:\n", layout_name[c->layout]);
	/* built outermost first: each frame points at the previous (outer) one */
	base_frame_fill(c, ts);
	f[4] = frame(c, where, &k[4], 3, 0, base_frame(c, ts), false);
	f[3] = frame(c, where, &k[3], 40, 0, f[4], true);
	/* 3.12+: an entry frame on the C stack (3.12: next to the _PyCFrame) */
	f[5] = entry ? frame(c, ON_CSTACK, NULL, 0, o->owner_no_code, f[3], false) : f[3];
	f[2] = frame(c, IN_HEAP, &k[2], 2, interp ? o->owner_generator : 0, f[5], false);
	f[1] = frame(c, where, &k[1], 8, 0, f[2], true);
	f[0] = frame(c, where, &k[0], 5, 0, f[1], false);
	finish_chunk(c);
	tstate_frames(c, ts, f[0], true);
	/* the main thread: one frame of its own (not part of the unwind) */
	base_frame_fill(c, other);
	verbose = false;
	f[6] = frame(c, IN_HEAP, &k[4], 1, 0, base_frame(c, other), false);
	verbose = v;
	c->nexpect--;
	tstate_frames(c, other, f[6], false);
	write_seed(c, dir, "app", TID);
}

/* DEEP frames of one recursive function in a chunk larger than its first 16 KiB. */
static void stack_deep(struct ctx *c, const char *dir)
{
	const struct uw_pyoffsets *o = c->o;
	bool interp = o->frame_model == UW_FRAME_INTERP;
	struct code k;
	uint64_t ts, prev;

	setup(c, true, 32768);
	code_new(c, &k, "/srv/app/main.py", "fib", "fib", lcode(c->lf, "nested_calls"), false);
	ts = tstate(c, INTERP0, PID, 0);
	w64(&c->im, F(INTERP0, o->interp_threads_head), ts);
	if (verbose)
		printf("%s deep: %d x fib\n", layout_name[c->layout], DEEP);
	base_frame_fill(c, ts);
	prev = base_frame(c, ts);
	for (int i = 0; i < DEEP; i++) {
		bool v = verbose;

		verbose = false;
		prev = frame(c, interp ? IN_CHUNK : IN_HEAP, &k, (size_t)(i % 7) * 5, 0, prev,
			     i % 3 == 0);
		verbose = v;
	}
	finish_chunk(c);
	tstate_frames(c, ts, prev, true);
	write_seed(c, dir, "deep", PID);
}

/*
 * Two interpreters: the first has another thread and the main thread, the
 * thread unwound is alone in the second. Frames one by one (no chunk).
 */
static void stack_threads(struct ctx *c, const char *dir)
{
	const struct uw_pyoffsets *o = c->o;
	uint64_t interp1 = INTERP0 + 0x800, ts_other, ts_main, ts;
	struct code k[2];
	uint64_t f0, f1;

	setup(c, false, 0);
	code_new(c, &k[0], "/usr/lib/python3.12/threading.py", "run", "Thread.run",
		 lcode(c->lf, "Klass.decorated"), false);
	code_new(c, &k[1], "/srv/app/worker.py", "work", "Worker.work",
		 lcode(c->lf, "handlers"), false);
	ts_main = tstate(c, INTERP0, PID, 0);
	ts_other = tstate(c, INTERP0, OTHER_TID, ts_main);
	w64(&c->im, F(INTERP0, o->interp_threads_head), ts_other);
	w64(&c->im, F(INTERP0, o->interp_next), interp1);
	ts = tstate(c, interp1, TID, 0);
	w64(&c->im, F(interp1, o->interp_threads_head), ts);
	if (verbose)
		printf("%s threads:\n", layout_name[c->layout]);
	base_frame_fill(c, ts);
	f1 = frame(c, IN_HEAP, &k[0], 1, 0, base_frame(c, ts), false);
	f0 = frame(c, IN_HEAP, &k[1], 9, 0, f1, false);
	tstate_frames(c, ts, f0, false);
	write_seed(c, dir, "threads", TID);
}

int main(int argc, char **argv)
{
	static const char *const lines_of[FW_NLAYOUTS] = {
		"3.8.18", "3.9.18", "3.10.13", "3.11.7", "3.12.1", "3.13.0", "3.13.5", "3.14.10",
		"3.15.2",
	};
	static const char *const blob_of[FW_NLAYOUTS] = {
		[FW_L3130] = "3.13.0", [FW_L3135] = "3.13.5", [FW_L314] = "3.14.10",
		[FW_L315] = "3.15.2",
	};
	static struct lfile lf;
	static struct ctx c;

	if (argc < 3)
		die("usage: %s DATADIR OUTDIR [-v]", argv[0]);
	verbose = argc > 3 && !strcmp(argv[3], "-v");
	for (int l = 0; l < FW_NLAYOUTS; l++) {
		struct uw_pyoffsets off;

		if (blob_of[l]) {
			char path[512];
			uint8_t blob[4096];
			size_t n;
			FILE *f;

			snprintf(path, sizeof(path), "%s/debug_offsets_%s.bin", argv[1], blob_of[l]);
			f = fopen(path, "rb");
			if (!f)
				die("%s: %s", path, strerror(errno));
			n = fread(blob, 1, sizeof(blob), f);
			fclose(f);
			if (uw_pyoffsets_from_debug(blob, n, &off) != 0)
				die("%s: refused", path);
		} else {
			off = *uw_pyoffsets_static(3, 8 + l);
		}
		load_lines(argv[1], lines_of[l], &lf);
		begin(&c, l, &off, &lf);
		stack_app(&c, argv[2]);
		begin(&c, l, &off, &lf);
		stack_deep(&c, argv[2]);
		begin(&c, l, &off, &lf);
		stack_threads(&c, argv[2]);
	}
	return 0;
}
