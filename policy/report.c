// SPDX-License-Identifier: MIT
/*
 * report.c - what each package used (audit) and the smallest policy that
 * lets the same run pass (learn).
 *
 * pol_usage_add() runs once per package on the stack for every notified
 * call, so recording is a binary search plus, at most, one small copy. All
 * names and targets come from the watched program and are hostile: their
 * lengths are bounded on entry, the number of packages is capped, and every
 * writer escapes what it prints (a package called "\e]0;pwned\a" must not
 * retitle the user's terminal, nor a target break out of a JSON string or a
 * YAML key).
 *
 * Output never depends on the order in which calls arrived: packages,
 * capabilities and syscalls are written sorted by name, and the examples
 * kept are the smallest distinct targets in byte order, so two runs of one
 * program give byte-identical reports and policies.
 */
#include "report.h"

#include "args.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Calls counted and example targets kept for one capability or syscall. */
struct tally {
	uint64_t count;
	char *ex[POL_EXAMPLES_MAX];	/* distinct, ascending in byte order */
	unsigned nex;
};

struct sys_use {
	int nr;
	struct tally t;
};

struct pkg {
	char *name;
	enum pol_pkg_kind kind;		/* the first one recorded */
	struct tally caps[POL_CAP_COUNT];
	struct sys_use *sys;		/* ascending by nr, distinct: at most POL_NR_MAX */
	size_t nsys, sys_alloc;
};

struct pol_usage {
	struct pkg **pkgs;		/* ascending by name (strcmp) */
	size_t n, alloc;
	/* Calls refused because POL_PACKAGES_MAX packages were already tracked:
	 * counted so that the report and the learned policy can say they are
	 * incomplete rather than silently short. */
	uint64_t dropped;
};

/* The order the writers use: third-party first (what a policy confines),
 * then the application, then the standard library. */
static const enum pol_pkg_kind kind_order[] = {
	POL_PKG_THIRD_PARTY, POL_PKG_APP, POL_PKG_STDLIB,
};

static const char *kind_name(enum pol_pkg_kind k)
{
	switch (k) {
	case POL_PKG_THIRD_PARTY:
		return "third-party";
	case POL_PKG_APP:
		return "application";
	case POL_PKG_STDLIB:
		return "stdlib";
	}
	return "?";
}

/* ------------------------------------------------------------------ */
/* Recording.                                                          */

/**
 * pol_usage_new - an empty record of what packages used.
 *
 * Return: the record (free with pol_usage_free()), or NULL on ENOMEM.
 */
struct pol_usage *pol_usage_new(void)
{
	return calloc(1, sizeof(struct pol_usage));
}

static void tally_free(struct tally *t)
{
	for (unsigned i = 0; i < t->nex; i++)
		free(t->ex[i]);
	t->nex = 0;
}

static void pkg_free(struct pkg *p)
{
	if (!p)
		return;
	for (size_t c = 0; c < POL_CAP_COUNT; c++)
		tally_free(&p->caps[c]);
	for (size_t i = 0; i < p->nsys; i++)
		tally_free(&p->sys[i].t);
	free(p->sys);
	free(p->name);
	free(p);
}

/**
 * pol_usage_free - free @u and everything recorded in it.
 * @u: a record, or NULL.
 */
void pol_usage_free(struct pol_usage *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		pkg_free(u->pkgs[i]);
	free(u->pkgs);
	free(u);
}

/**
 * pol_usage_packages - how many packages @u tracks.
 * @u: a record, or NULL.
 *
 * Return: the number of packages (at most POL_PACKAGES_MAX).
 */
size_t pol_usage_packages(const struct pol_usage *u)
{
	return u ? u->n : 0;
}

/* Index of @name in u->pkgs, or where it would go (*found false). */
static size_t pkg_find(const struct pol_usage *u, const char *name, bool *found)
{
	size_t lo = 0, hi = u->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, u->pkgs[mid]->name);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int check_name(const char *name)
{
	size_t len;

	if (!name)
		return -EINVAL;
	len = strnlen(name, POL_NAME_MAX + 1);
	if (len == 0 || len > POL_NAME_MAX)
		return -EINVAL;
	return 0;
}

static bool kind_valid(enum pol_pkg_kind k)
{
	return k == POL_PKG_THIRD_PARTY || k == POL_PKG_APP || k == POL_PKG_STDLIB;
}

/* The package called @name, created on first sight. */
static int pkg_get(struct pol_usage *u, const char *name, enum pol_pkg_kind kind, struct pkg **out)
{
	struct pkg *p;
	bool found;
	size_t at;

	at = pkg_find(u, name, &found);
	if (found) {
		*out = u->pkgs[at];
		return 0;
	}
	if (u->n >= POL_PACKAGES_MAX) {
		u->dropped++;
		return -E2BIG;
	}
	if (u->n == u->alloc) {
		size_t want = u->alloc ? 2 * u->alloc : 16;
		struct pkg **np;

		if (want > POL_PACKAGES_MAX)
			want = POL_PACKAGES_MAX;
		np = realloc(u->pkgs, want * sizeof(*np));
		if (!np)
			return -ENOMEM;
		u->pkgs = np;
		u->alloc = want;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->name = strdup(name);
	if (!p->name) {
		free(p);
		return -ENOMEM;
	}
	p->kind = kind;
	memmove(&u->pkgs[at + 1], &u->pkgs[at], (u->n - at) * sizeof(u->pkgs[0]));
	u->pkgs[at] = p;
	u->n++;
	*out = p;
	return 0;
}

/**
 * pol_usage_seen - note that @package was on a stack, used or not.
 * @u: the record.
 * @package: a top-level package or module name, 1 to POL_NAME_MAX bytes.
 * @kind: what it is; the first kind recorded for a name stays.
 *
 * Return: 0; -EINVAL for a bad name or kind; -E2BIG when @package is new
 * and POL_PACKAGES_MAX are tracked (counted as dropped); -ENOMEM.
 */
int pol_usage_seen(struct pol_usage *u, const char *package, enum pol_pkg_kind kind)
{
	struct pkg *p;
	int err;

	if (!u || !kind_valid(kind))
		return -EINVAL;
	err = check_name(package);
	if (err)
		return err;
	return pkg_get(u, package, kind, &p);
}

/*
 * Copy @target into @buf (at least POL_TARGET_MAX + 4 bytes), cut at
 * POL_TARGET_MAX bytes with "..." appended. The cut backs off (at most three
 * bytes) so as not to split a UTF-8 sequence: a path cut in the middle of a
 * character would otherwise print as an escape of half a character.
 */
static void target_cut(const char *target, char *buf)
{
	size_t n = strnlen(target, POL_TARGET_MAX + 1);

	if (n <= POL_TARGET_MAX) {
		memcpy(buf, target, n);
		buf[n] = '\0';
		return;
	}
	n = POL_TARGET_MAX;
	for (int i = 0; i < 3 && n > 0 && ((unsigned char)target[n] & 0xc0) == 0x80; i++)
		n--;
	memcpy(buf, target, n);
	memcpy(buf + n, "...", 4);
}

/*
 * Count one call and keep @target if it is among the POL_EXAMPLES_MAX
 * smallest distinct ones seen so far. The call is counted even when keeping
 * the example fails for want of memory.
 */
static int tally_add(struct tally *t, const char *target)
{
	char buf[POL_TARGET_MAX + 4];
	unsigned at = 0;
	char *dup;

	t->count++;
	if (!target || !*target)
		return 0;
	target_cut(target, buf);
	for (; at < t->nex; at++) {
		int c = strcmp(buf, t->ex[at]);

		if (c == 0)
			return 0;
		if (c < 0)
			break;
	}
	if (at == POL_EXAMPLES_MAX)
		return 0;	/* larger than every kept example */
	dup = strdup(buf);
	if (!dup)
		return -ENOMEM;
	if (t->nex == POL_EXAMPLES_MAX)
		free(t->ex[--t->nex]);
	memmove(&t->ex[at + 1], &t->ex[at], (t->nex - at) * sizeof(t->ex[0]));
	t->ex[at] = dup;
	t->nex++;
	return 0;
}

/* The tally of raw syscall @nr in @p, created on first use. */
static int sys_get(struct pkg *p, int nr, struct tally **out)
{
	size_t lo = 0, hi = p->nsys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->sys[mid].nr == nr) {
			*out = &p->sys[mid].t;
			return 0;
		}
		if (p->sys[mid].nr > nr)
			hi = mid;
		else
			lo = mid + 1;
	}
	/* nr is distinct and below POL_NR_MAX, so nsys never exceeds it */
	if (p->nsys == p->sys_alloc) {
		size_t want = p->sys_alloc ? 2 * p->sys_alloc : 4;
		struct sys_use *ns;

		if (want > POL_NR_MAX)
			want = POL_NR_MAX;
		ns = realloc(p->sys, want * sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		p->sys = ns;
		p->sys_alloc = want;
	}
	memmove(&p->sys[lo + 1], &p->sys[lo], (p->nsys - lo) * sizeof(p->sys[0]));
	memset(&p->sys[lo], 0, sizeof(p->sys[lo]));
	p->sys[lo].nr = nr;
	p->nsys++;
	*out = &p->sys[lo].t;
	return 0;
}

/**
 * pol_usage_add - charge one call to @package.
 * @u: the record.
 * @package: as for pol_usage_seen(), which this implies.
 * @kind: as for pol_usage_seen().
 * @cap: the enum pol_cap used, or negative for a raw syscall.
 * @nr: the raw syscall (0 <= @nr < POL_NR_MAX) when @cap is negative.
 * @target: what the call was about, or NULL/"" when unknown; cut at
 *          POL_TARGET_MAX bytes.
 *
 * Every call is counted; the POL_EXAMPLES_MAX smallest distinct targets are
 * kept, so the examples do not depend on the order calls arrive in.
 *
 * Return: 0; -EINVAL for a bad argument (nothing recorded); -E2BIG as for
 * pol_usage_seen(); -ENOMEM (the call may be counted without its example).
 */
int pol_usage_add(struct pol_usage *u, const char *package, enum pol_pkg_kind kind, int cap,
		  int nr, const char *target)
{
	struct tally *t;
	struct pkg *p;
	int err;

	if (!u || !kind_valid(kind) || cap >= POL_CAP_COUNT || (cap < 0 && (nr < 0 || nr >= POL_NR_MAX)))
		return -EINVAL;
	err = check_name(package);
	if (err)
		return err;
	err = pkg_get(u, package, kind, &p);
	if (err)
		return err;
	if (cap >= 0) {
		t = &p->caps[cap];
	} else {
		err = sys_get(p, nr, &t);
		if (err)
			return err;
	}
	return tally_add(t, target);
}

/* ------------------------------------------------------------------ */
/* Escaping. Every writer goes through one of these for outside data.  */

/*
 * The code point of the well-formed UTF-8 sequence at @s, its length in
 * *@len; -1 when @s does not start one (overlong forms, surrogates and
 * values past U+10FFFF are not well-formed). Reads stop at the terminating
 * NUL, which is never a continuation byte.
 */
static long utf8_decode(const unsigned char *s, unsigned *len)
{
	static const long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned n;
	long cp;

	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return -1;
	}
	for (unsigned i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*len = n;
	return cp;
}

/*
 * Text for a terminal: printable ASCII as is, everything else as \xNN,
 * backslash doubled so that a literal "\x1b" in a name cannot pass for an
 * escape. UTF-8 is escaped too: it can carry C1 controls and bidirectional
 * overrides that would make the report lie about what it says.
 */
static void put_text(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p >= 0x20 && *p <= 0x7e)
			fputc(*p, f);
		else
			fprintf(f, "\\x%02x", *p);
	}
}

/*
 * A JSON string in ASCII only: well-formed UTF-8 becomes \uXXXX (a
 * surrogate pair above U+FFFF) so that module names keep their meaning;
 * any other byte outside printable ASCII becomes \u00XX of the byte.
 */
static void put_json(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		unsigned len = 1;
		long cp;

		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p);
		} else if (*p >= 0x20 && *p <= 0x7e) {
			fputc(*p, f);
		} else if (*p >= 0x80 && (cp = utf8_decode(p, &len)) >= 0) {
			if (cp > 0xffff)
				fprintf(f, "\\u%04lx\\u%04lx", 0xd800 + ((cp - 0x10000) >> 10),
					0xdc00 + ((cp - 0x10000) & 0x3ff));
			else
				fprintf(f, "\\u%04lx", cp);
		} else {
			len = 1;
			fprintf(f, "\\u%04x", *p);
		}
		p += len;
	}
	fputc('"', f);
}

/*
 * A YAML 1.1 plain scalar that every loader reads back as the same string:
 * an identifier-like dotted name that is not one of the words YAML 1.1
 * resolves to a boolean or null.
 */
static bool yaml_plain_ok(const char *s)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off", "null",
	};
	const char *p = s;

	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
		return false;
	for (p++; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
			return false;
	for (size_t i = 0; i < NELEM(words); i++)
		if (strcasecmp(s, words[i]) == 0)
			return false;
	return true;
}

/*
 * A YAML scalar: plain when safe, else double-quoted. In the quoted form
 * well-formed UTF-8 is written as \u/\U escapes (so NEL, LS and PS, which
 * YAML 1.1 treats as line breaks, cannot end the key) and other bytes as
 * \xNN (which reads back as a code point, not as the byte: harmless for
 * what is written here, dotted names and the base policy's own names, which
 * libyaml only accepted as UTF-8).
 */
static void put_yaml(FILE *f, const char *s, bool force_quote)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!force_quote && yaml_plain_ok(s)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	while (*p) {
		unsigned len = 1;
		long cp;

		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p);
		} else if (*p >= 0x20 && *p <= 0x7e) {
			fputc(*p, f);
		} else if (*p >= 0x80 && (cp = utf8_decode(p, &len)) >= 0) {
			fprintf(f, cp > 0xffff ? "\\U%08lx" : "\\u%04lx", cp);
		} else {
			len = 1;
			fprintf(f, "\\x%02x", *p);
		}
		p += len;
	}
	fputc('"', f);
}

/* One YAML comment line, "# " then @s up to @n bytes, escaped as text. */
static void put_comment_line(FILE *f, const char *s, size_t n)
{
	fputc('#', f);
	if (n)
		fputc(' ', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* \r, NEL, LS and PS would end the comment for a YAML reader */
		if ((c >= 0x20 && c <= 0x7e) || c == '\t')
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	fputc('\n', f);
}

static int finish(FILE *f)
{
	/* flush so that a full disk shows up here, not at the caller's fclose */
	if (fflush(f) != 0 || ferror(f))
		return -EIO;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Sorted views for the writers.                                       */

/* Capabilities in name order (the enum is in documentation order). */
static void caps_by_name(int order[POL_CAP_COUNT])
{
	for (int i = 0; i < POL_CAP_COUNT; i++) {
		int j = i;

		for (; j > 0 && strcmp(pol_cap_name((enum pol_cap)order[j - 1]),
				       pol_cap_name((enum pol_cap)i)) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

/* Named syscalls by name, then unnamed ones by number. */
static int nr_cmp(int a, int b)
{
	const char *x = pol_syscall_name(a), *y = pol_syscall_name(b);

	if (x && y)
		return strcmp(x, y);
	if (x || y)
		return x ? -1 : 1;
	return (a > b) - (a < b);
}

static int sys_use_cmp(const void *a, const void *b)
{
	const struct sys_use *const *x = a, *const *y = b;

	return nr_cmp((*x)->nr, (*y)->nr);
}

static int int_nr_cmp(const void *a, const void *b)
{
	return nr_cmp(*(const int *)a, *(const int *)b);
}

/* @p's syscalls in name order into @v (room for POL_NR_MAX); returns how many. */
static size_t sys_sorted(const struct pkg *p, const struct sys_use **v)
{
	for (size_t i = 0; i < p->nsys; i++)
		v[i] = &p->sys[i];
	qsort(v, p->nsys, sizeof(v[0]), sys_use_cmp);
	return p->nsys;
}

/* "unshare", or "999" for a number the table does not name, into @buf. */
static const char *sys_label(int nr, char *buf, size_t len)
{
	const char *name = pol_syscall_name(nr);

	if (name)
		return name;
	snprintf(buf, len, "%d", nr);
	return buf;
}

/* ------------------------------------------------------------------ */
/* The text report.                                                    */

static unsigned digits(uint64_t v)
{
	unsigned n = 1;

	while (v >= 10 && n < 20) {
		v /= 10;
		n++;
	}
	return n;
}

static void text_line(FILE *f, const char *label, int lw, const struct tally *t, int cw)
{
	fprintf(f, "    %-*s %*" PRIu64, lw, label, cw, t->count);
	for (unsigned i = 0; i < t->nex; i++) {
		fputs(i ? ", " : "  e.g. ", f);
		put_text(f, t->ex[i]);
	}
	fputc('\n', f);
}

/**
 * pol_usage_write_text - the audit report for a human.
 * @u: the record.
 * @f: where to write; flushed before returning.
 *
 * One block per package (third-party, application, stdlib; by name within
 * each), one line per capability then raw syscall, by name, with the count
 * and the examples; the columns line up across the whole report. Bytes
 * outside printable ASCII in names and targets are written as \xNN.
 *
 * Return: 0 or -EIO.
 */
int pol_usage_write_text(const struct pol_usage *u, FILE *f)
{
	/* the narrowest label column that fits every capability name */
	int lw = 14, cw = 1;
	const struct sys_use *v[POL_NR_MAX];
	int order[POL_CAP_COUNT];
	char nb[32];

	caps_by_name(order);
	/* one pass for the column widths, so that every line of the report lines up */
	for (size_t i = 0; i < u->n; i++) {
		const struct pkg *p = u->pkgs[i];

		for (int c = 0; c < POL_CAP_COUNT; c++) {
			if (!p->caps[c].count)
				continue;
			if ((int)strlen(pol_cap_name((enum pol_cap)c)) > lw)
				lw = (int)strlen(pol_cap_name((enum pol_cap)c));
			if ((int)digits(p->caps[c].count) > cw)
				cw = (int)digits(p->caps[c].count);
		}
		for (size_t k = 0; k < p->nsys; k++) {
			int w = (int)strlen("syscall ") +
				(int)strlen(sys_label(p->sys[k].nr, nb, sizeof(nb)));

			if (w > lw)
				lw = w;
			if ((int)digits(p->sys[k].t.count) > cw)
				cw = (int)digits(p->sys[k].t.count);
		}
	}

	fprintf(f, "sisup: audit report: %zu package%s\n", u->n, u->n == 1 ? "" : "s");
	if (u->dropped)
		fprintf(f, "  (%" PRIu64 " calls by packages beyond the first %d were not recorded)\n",
			u->dropped, POL_PACKAGES_MAX);
	for (size_t k = 0; k < NELEM(kind_order); k++) {
		for (size_t i = 0; i < u->n; i++) {
			const struct pkg *p = u->pkgs[i];
			bool any = false;
			size_t ns;

			if (p->kind != kind_order[k])
				continue;
			fputs("  ", f);
			put_text(f, p->name);
			fprintf(f, " (%s)\n", kind_name(p->kind));
			for (int c = 0; c < POL_CAP_COUNT; c++) {
				const struct tally *t = &p->caps[order[c]];

				if (!t->count)
					continue;
				text_line(f, pol_cap_name((enum pol_cap)order[c]), lw, t, cw);
				any = true;
			}
			ns = sys_sorted(p, v);
			for (size_t s = 0; s < ns; s++) {
				char label[64];

				snprintf(label, sizeof(label), "syscall %s", sys_label(v[s]->nr, nb, sizeof(nb)));
				text_line(f, label, lw, &v[s]->t, cw);
				any = true;
			}
			if (!any)
				fputs("    (nothing beyond the baseline)\n", f);
		}
	}
	return finish(f);
}

/* ------------------------------------------------------------------ */
/* The JSON report.                                                    */

static void json_entry(FILE *f, const char *name, const struct tally *t)
{
	fputs("{\"name\":", f);
	put_json(f, name);
	fprintf(f, ",\"count\":%" PRIu64 ",\"examples\":[", t->count);
	for (unsigned i = 0; i < t->nex; i++) {
		if (i)
			fputc(',', f);
		put_json(f, t->ex[i]);
	}
	fputs("]}", f);
}

/**
 * pol_usage_write_json - the audit report as one JSON document and a newline.
 * @u: the record.
 * @f: where to write; flushed before returning.
 *
 * Same order as the text report. The output is ASCII: well-formed UTF-8 is
 * written as \u escapes, any other byte outside printable ASCII as \u00XX.
 * "dropped" appears only when calls were lost to POL_PACKAGES_MAX.
 *
 * Return: 0 or -EIO.
 */
int pol_usage_write_json(const struct pol_usage *u, FILE *f)
{
	const struct sys_use *v[POL_NR_MAX];
	int order[POL_CAP_COUNT];
	bool first_pkg = true;
	char nb[32];

	caps_by_name(order);
	fputs("{\"version\":1,\"packages\":[", f);
	for (size_t k = 0; k < NELEM(kind_order); k++) {
		for (size_t i = 0; i < u->n; i++) {
			const struct pkg *p = u->pkgs[i];
			bool first = true;
			size_t ns;

			if (p->kind != kind_order[k])
				continue;
			if (!first_pkg)
				fputc(',', f);
			first_pkg = false;
			fputs("{\"name\":", f);
			put_json(f, p->name);
			fprintf(f, ",\"kind\":\"%s\",\"capabilities\":[", kind_name(p->kind));
			for (int c = 0; c < POL_CAP_COUNT; c++) {
				if (!p->caps[order[c]].count)
					continue;
				if (!first)
					fputc(',', f);
				first = false;
				json_entry(f, pol_cap_name((enum pol_cap)order[c]), &p->caps[order[c]]);
			}
			fputs("],\"syscalls\":[", f);
			ns = sys_sorted(p, v);
			for (size_t s = 0; s < ns; s++) {
				if (s)
					fputc(',', f);
				json_entry(f, sys_label(v[s]->nr, nb, sizeof(nb)), &v[s]->t);
			}
			fputs("]}", f);
		}
	}
	fputc(']', f);
	/* only when something is missing, so that complete reports keep the
	 * documented shape exactly */
	if (u->dropped)
		fprintf(f, ",\"dropped\":%" PRIu64, u->dropped);
	fputs("}\n", f);
	return finish(f);
}

/* ------------------------------------------------------------------ */
/* The learned policy.                                                 */

/*
 * errno names for {deny: NAME}: the loader's table (load.c), less its
 * aliases (EWOULDBLOCK, ENOTSUP), so each value has one name. A value not
 * listed is written as its number, which the loader also reads.
 */
static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { ENOEXEC, "ENOEXEC" },
	{ EBADF, "EBADF" }, { ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ EXDEV, "EXDEV" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
	{ EINVAL, "EINVAL" }, { ENFILE, "ENFILE" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
	{ ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" },
	{ EROFS, "EROFS" }, { EMLINK, "EMLINK" }, { EPIPE, "EPIPE" }, { EDOM, "EDOM" },
	{ ERANGE, "ERANGE" }, { EDEADLK, "EDEADLK" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOLCK, "ENOLCK" }, { ENOSYS, "ENOSYS" }, { ENOTEMPTY, "ENOTEMPTY" },
	{ ELOOP, "ELOOP" }, { ENOMSG, "ENOMSG" }, { ENODATA, "ENODATA" },
	{ EOVERFLOW, "EOVERFLOW" }, { EILSEQ, "EILSEQ" }, { ENOTSOCK, "ENOTSOCK" },
	{ EDESTADDRREQ, "EDESTADDRREQ" }, { EMSGSIZE, "EMSGSIZE" },
	{ EPROTOTYPE, "EPROTOTYPE" }, { ENOPROTOOPT, "ENOPROTOOPT" },
	{ EPROTONOSUPPORT, "EPROTONOSUPPORT" }, { ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { EPFNOSUPPORT, "EPFNOSUPPORT" },
	{ EAFNOSUPPORT, "EAFNOSUPPORT" }, { EADDRINUSE, "EADDRINUSE" },
	{ EADDRNOTAVAIL, "EADDRNOTAVAIL" }, { ENETDOWN, "ENETDOWN" },
	{ ENETUNREACH, "ENETUNREACH" }, { ENETRESET, "ENETRESET" },
	{ ECONNABORTED, "ECONNABORTED" }, { ECONNRESET, "ECONNRESET" }, { ENOBUFS, "ENOBUFS" },
	{ EISCONN, "EISCONN" }, { ENOTCONN, "ENOTCONN" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ ECONNREFUSED, "ECONNREFUSED" }, { EHOSTDOWN, "EHOSTDOWN" },
	{ EHOSTUNREACH, "EHOSTUNREACH" }, { EALREADY, "EALREADY" },
	{ EINPROGRESS, "EINPROGRESS" }, { EDQUOT, "EDQUOT" }, { ECANCELED, "ECANCELED" },
	{ EOWNERDEAD, "EOWNERDEAD" }, { ENOTRECOVERABLE, "ENOTRECOVERABLE" },
};

/* "kill", "log", "{deny: ENOSYS}"; NULL for the default (deny with EPERM). */
static const char *action_text(enum pol_action a, int err, char *buf, size_t len)
{
	if (a == POL_KILL)
		return "kill";
	if (a == POL_LOG)
		return "log";
	if (a != POL_DENY || err == 0 || err == EPERM)
		return NULL;
	for (size_t i = 0; i < NELEM(errno_names); i++) {
		if (errno_names[i].err == err) {
			snprintf(buf, len, "{deny: %s}", errno_names[i].name);
			return buf;
		}
	}
	snprintf(buf, len, "{deny: %d}", err);
	return buf;
}

/*
 * "[dns, fs-read, {exec: ["/usr/bin/git"]}, unshare]": capabilities by
 * name, then argument rules (as written, always quoted: "*" and "@" cannot
 * start a plain YAML scalar) by capability name, then syscalls by name.
 * Rules are written even when the capability is granted outright too, so
 * that a learn --merge keeps what the operator wrote.
 * Syscalls the vocabulary cannot name cannot be written in a policy; they
 * are listed in a comment line after the list instead.
 */
static void put_grants(FILE *f, const struct pol_grants *g, const char *indent)
{
	int order[POL_CAP_COUNT], nrs[POL_NR_MAX];
	size_t n = 0, unnamed = 0;
	bool first = true;

	caps_by_name(order);
	fputc('[', f);
	for (int c = 0; c < POL_CAP_COUNT; c++) {
		if (!(g->caps & POL_CAP(order[c])))
			continue;
		fprintf(f, "%s%s", first ? "" : ", ", pol_cap_name((enum pol_cap)order[c]));
		first = false;
	}
	for (int c = 0; c < POL_CAP_COUNT; c++) {
		size_t na = pol_args_count(g->args, (enum pol_cap)order[c]);

		if (!na)
			continue;
		fprintf(f, "%s{%s: [", first ? "" : ", ", pol_cap_name((enum pol_cap)order[c]));
		for (size_t k = 0; k < na; k++) {
			if (k)
				fputs(", ", f);
			put_yaml(f, pol_args_pattern(g->args, (enum pol_cap)order[c], k), true);
		}
		fputs("]}", f);
		first = false;
	}
	for (int nr = 0; nr < POL_NR_MAX; nr++)
		if (pol_grants_syscall(g, nr))
			nrs[n++] = nr;
	qsort(nrs, n, sizeof(nrs[0]), int_nr_cmp);
	for (size_t i = 0; i < n; i++) {
		const char *name = pol_syscall_name(nrs[i]);

		if (!name) {
			unnamed++;
			continue;
		}
		fprintf(f, "%s%s", first ? "" : ", ", name);
		first = false;
	}
	fputs("]\n", f);
	if (unnamed) {
		fprintf(f, "%s# left out, no name known:", indent);
		for (size_t i = n - unnamed; i < n; i++)
			fprintf(f, " syscall %d", nrs[i]);
		fputc('\n', f);
	}
}

/* What @p used, as grants. */
static void grants_of(const struct pkg *p, struct pol_grants *g)
{
	for (int c = 0; c < POL_CAP_COUNT; c++)
		if (p->caps[c].count)
			g->caps |= POL_CAP(c);
	for (size_t i = 0; i < p->nsys; i++)
		pol_grants_add_syscall(g, p->sys[i].nr);
}

/*
 * A learned entry must load again (pol_module_key_ok: anything else would
 * make the whole file unloadable) and read back as the same bytes: names
 * are written quoted with escapes, which libyaml turns into code points,
 * so only printable ASCII round-trips byte for byte.
 */
static bool learnable_name(const char *s)
{
	if (!pol_module_key_ok(s))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int module_ptr_cmp(const void *a, const void *b)
{
	const struct pol_module *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static void put_comment(FILE *f, const char *comment)
{
	const char *s = comment;

	/* a trailing newline ends the last line, it does not start another */
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		put_comment_line(f, s, n);
		s += n + (nl ? 1 : 0);
	}
}

static int put_settings(FILE *f, const struct pol_policy *base)
{
	char buf[48];
	const char *act;

	if (!base) {
		fputs("default: []\nsemantics: stack\n", f);
		return 0;
	}
	act = action_text(base->def_action, base->def_error, buf, sizeof(buf));
	if (base->default_allow) {
		fputs("default: allow\n", f);
	} else if (!act && base->def.import) {
		fputs("default: ", f);
		put_grants(f, &base->def, "");
	} else {
		/* the long form only when the short one would lose something */
		fputs("default:\n  allow: ", f);
		put_grants(f, &base->def, "  ");
		if (act)
			fprintf(f, "  on_violation: %s\n", act);
		if (!base->def.import)
			fputs("  import: false\n", f);
	}
	fprintf(f, "semantics: %s\n", base->semantics == POL_SEM_INNERMOST ? "innermost" : "stack");
	if (base->ntransparent) {
		const char **v = malloc(base->ntransparent * sizeof(*v));

		if (!v)
			return -ENOMEM;
		for (size_t i = 0; i < base->ntransparent; i++)
			v[i] = base->transparent[i];
		qsort(v, base->ntransparent, sizeof(v[0]), str_ptr_cmp);
		fputs("transparent: [", f);
		for (size_t i = 0; i < base->ntransparent; i++) {
			if (i)
				fputs(", ", f);
			put_yaml(f, v[i], false);
		}
		fputs("]\n", f);
		free(v);
	}
	if (!base->inherit_processes || !base->inherit_threads)
		fprintf(f, "inherit: {processes: %s, threads: %s}\n",
			base->inherit_processes ? "true" : "false",
			base->inherit_threads ? "true" : "false");
	return 0;
}

/*
 * One module entry. @m is the base's entry (or NULL), @p the learned package
 * (or NULL); the grants are the union of both.
 */
static void put_module(FILE *f, const struct pol_module *m, const struct pkg *p)
{
	struct pol_grants g;
	char buf[48];
	const char *act = NULL;

	memset(&g, 0, sizeof(g));
	if (m) {
		/* g.args points at the entry's rules: only read, never freed */
		g = m->allow;
		act = action_text(m->on_violation, m->error, buf, sizeof(buf));
	}
	if (p)
		grants_of(p, &g);
	fputs("  ", f);
	/* path and file-name entries are recognised by their form; quoting
	 * keeps "<string>" and "/x/site-packages/y/" from being read as YAML */
	put_yaml(f, m ? m->name : p->name, m && m->match != POL_MATCH_MODULE);
	fputs(":\n    allow: ", f);
	put_grants(f, &g, "    ");
	if (act)
		fprintf(f, "    on_violation: %s\n", act);
	if (m && !m->allow.import)
		fputs("    import: false\n", f);
}

/**
 * pol_learn_write - the smallest policy under which the recorded run passes.
 * @u: the record.
 * @base: NULL, or a loaded policy to merge into (learn --merge).
 * @comment: lines written first as "# " comments, or NULL.
 * @f: where to write; flushed before returning.
 *
 * Without @base: "default: []", stack semantics, and one entry per
 * third-party package allowing exactly what it used. With @base: its
 * settings and entries, each entry's grants joined with what the package of
 * the same name used, plus entries for learned third-party packages it
 * lacks. Entries by name; capabilities, then syscalls, by name. Learned
 * names the loader would refuse (not a dotted Python name: "my-pkg", a
 * hostile "\x1b...") are left out, noted in a comment, so that the file
 * still loads: such a package stays under the default.
 *
 * Return: 0, -EIO, or -ENOMEM.
 */
int pol_learn_write(const struct pol_usage *u, const struct pol_policy *base, const char *comment,
		    FILE *f)
{
	const struct pol_module **bm = NULL;
	size_t nb = base ? base->nmodules : 0, i = 0, j = 0, entries = 0;
	int err;

	put_comment(f, comment);
	if (u->dropped)
		fprintf(f, "# incomplete: %" PRIu64 " calls by packages beyond the first %d were not recorded\n",
			u->dropped, POL_PACKAGES_MAX);
	fputs("version: 1\n", f);
	err = put_settings(f, base);
	if (err)
		return err;
	if (nb) {
		bm = malloc(nb * sizeof(*bm));
		if (!bm)
			return -ENOMEM;
		for (size_t k = 0; k < nb; k++)
			bm[k] = &base->modules[k];
		qsort(bm, nb, sizeof(bm[0]), module_ptr_cmp);
	}
	/* a merge of two name-sorted lists: base entries and learned packages */
	while (i < nb || j < u->n) {
		const struct pol_module *m = NULL;
		const struct pkg *p = NULL;
		int c;

		if (i == nb)
			c = 1;
		else if (j == u->n)
			c = -1;
		else
			c = strcmp(bm[i]->name, u->pkgs[j]->name);
		if (c <= 0)
			m = bm[i++];
		if (c >= 0)
			p = u->pkgs[j++];
		/* the application and the standard library are trusted unless
		 * the base policy names them */
		if (!m && p->kind != POL_PKG_THIRD_PARTY)
			continue;
		if (!m && !learnable_name(p->name)) {
			/* the loader takes only Python module names; left out,
			 * the package stays confined by the default */
			fputs("# left out, not a Python module name: ", f);
			put_text(f, p->name);
			fputc('\n', f);
			continue;
		}
		if (entries++ == 0)
			fputs("modules:\n", f);
		put_module(f, m, p);
	}
	if (!entries)
		fputs("modules: {}\n", f);
	free(bm);
	return finish(f);
}
