// SPDX-License-Identifier: MIT
/*
 * load.c - reading policy files: sisup's format (version: 1) and secimport's
 * (modules: with destructive/syscall_allowlist), merged into one policy.
 *
 * A policy file is outside input: it may be generated, copied from a
 * project, or plain garbage. Loading goes in three steps, each bounded:
 *
 *   1. build: libyaml's event parser feeds a small tree of our own (scalars,
 *      lists, mappings in document order). No recursion: open containers sit
 *      on a fixed stack of LD_DEPTH_MAX entries, and nesting deeper than that
 *      stops the parse at the offending node, before libyaml reads further.
 *      Anchors, aliases, tags and second documents are refused here, which
 *      also rules out alias bombs (billion laughs). At most LD_NODES_MAX
 *      nodes; scalars live in one string arena.
 *   2. interpret: the tree, known to be at most LD_DEPTH_MAX deep, is read
 *      by one function per level into a temporary policy. Every error names
 *      a node, so it has a line and column.
 *   3. merge: into the caller's policy. All allocation is done first; the
 *      merge proper cannot fail, so on any error the caller's policy is left
 *      as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "args.h"
#include "policy.h"

/* Containers inside containers; a policy needs 4 ({deny: EIO} in a module). */
#define LD_DEPTH_MAX 16
/* Scalars, lists and mappings in one file: a generous policy (4096 modules
 * with 50 grants each) has about 220,000. */
#define LD_NODES_MAX (1u << 20)
/* Largest errno a policy may return (the kernel's MAX_ERRNO). */
#define LD_ERRNO_MAX 4095
/* User text quoted in messages is cut after this many bytes. */
#define LD_QUOTE_MAX 60

enum ytype { Y_SCALAR = 1, Y_SEQ, Y_MAP };

/* A node of the document. Children are linked in document order; node 0 is
 * never used, so index 0 means "none". A mapping's children alternate key,
 * value (libyaml always emits both). Nodes are numbered in document order,
 * which the duplicate-key check relies on. */
struct ynode {
	uint8_t type;		/* enum ytype */
	bool plain;		/* a plain scalar: may be a number, bool or null */
	uint32_t len;		/* scalar length in bytes (may hold NULs) */
	uint32_t first, next;	/* first child; next sibling */
	uint32_t count;		/* children (keys and values both, for a map) */
	size_t str;		/* scalar: offset in ld.strs, NUL-terminated */
	unsigned line, column;	/* 1-based */
};

/* Keys a file set explicitly, for merging: only those override. */
struct mod_set {
	bool import;
	bool on_violation;
};

struct ld {
	const char *name;
	struct pol_error *err;
	const char *buf;
	size_t len;
	struct ynode *nodes;
	uint32_t nnodes, capnodes;
	char *strs;
	size_t nstrs, capstrs;
	/* what this file says, before merging */
	struct pol_policy *t;
	struct mod_set *set;		/* parallel to t->modules */
	size_t capmods;
	size_t captransparent;
	bool set_default, set_semantics, set_processes, set_threads;
};

/* ------------------------------------------------------------------ */
/* Errors.                                                             */

__attribute__((format(printf, 4, 5)))
static int fail_at(struct ld *l, unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	l->err->line = line;
	l->err->column = column;
	va_start(ap, fmt);
	vsnprintf(l->err->message, sizeof(l->err->message), fmt, ap);
	va_end(ap);
	l->err->hint[0] = '\0';
	return -EINVAL;
}

#define fail(l, node, ...) fail_at((l), (node)->line, (node)->column, __VA_ARGS__)

/* Use as: return hint(l, fail(l, n, "..."), "..."); */
__attribute__((format(printf, 3, 4)))
static int hint(struct ld *l, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->err->hint, sizeof(l->err->hint), fmt, ap);
	va_end(ap);
	return rc;
}

static int oom(struct ld *l)
{
	fail_at(l, 0, 0, "out of memory");
	return -ENOMEM;
}

/* @s as 'text' for a message: at most LD_QUOTE_MAX bytes, anything but
 * printable ASCII as \xNN, so that a hostile name cannot write terminal
 * escapes or fake lines into the supervisor's output. */
static const char *quote(char *out, size_t cap, const char *s, size_t len)
{
	size_t o = 0;

	if (cap < 16) {
		if (cap)
			out[0] = '\0';
		return out;
	}
	out[o++] = '\'';
	for (size_t i = 0; i < len && i < LD_QUOTE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o + 8 >= cap)
			break;
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[o++] = (char)c;
		} else {
			snprintf(out + o, cap - o, "\\x%02x", c);
			o += 4;
		}
	}
	if (len > LD_QUOTE_MAX && o + 4 < cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '\'';
	out[o] = '\0';
	return out;
}

/* Quote buffers: one message quotes at most two things. */
#define QBUF (LD_QUOTE_MAX * 4 + 8)

/* ------------------------------------------------------------------ */
/* Names close to a misspelling, for hints.                            */

#define SUGGEST_LEN 64

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions), both lengths at most SUGGEST_LEN. */
static unsigned osa(const char *a, size_t la, const char *b, size_t lb)
{
	unsigned d[SUGGEST_LEN + 1][SUGGEST_LEN + 1];

	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

struct suggest {
	const char *name;
	size_t len;
	const char *best;
	unsigned dist;
};

static void suggest_init(struct suggest *sg, const char *name, size_t len)
{
	sg->name = name;
	sg->len = len;
	sg->best = NULL;
	sg->dist = UINT_MAX;
}

static void suggest_try(struct suggest *sg, const char *cand)
{
	size_t lc = cand ? strlen(cand) : 0;
	unsigned d;

	if (!cand || sg->len > SUGGEST_LEN || lc > SUGGEST_LEN)
		return;
	d = osa(sg->name, sg->len, cand, lc);
	if (d < sg->dist) {
		sg->dist = d;
		sg->best = cand;
	}
}

/* The best candidate, if close enough to be a likely typo. */
static const char *suggest_best(const struct suggest *sg)
{
	unsigned limit = sg->len <= 3 ? 1 : sg->len <= 6 ? 2 : 3;

	return sg->best && sg->dist > 0 && sg->dist <= limit ? sg->best : NULL;
}

/* ------------------------------------------------------------------ */
/* Step 1: the document tree.                                          */

static unsigned mark_line(const yaml_mark_t *m)
{
	return m->line >= UINT_MAX - 1 ? UINT_MAX : (unsigned)m->line + 1;
}

static unsigned mark_column(const yaml_mark_t *m)
{
	return m->column >= UINT_MAX - 1 ? UINT_MAX : (unsigned)m->column + 1;
}

static int fail_mark(struct ld *l, const yaml_mark_t *m, const char *what)
{
	return fail_at(l, mark_line(m), mark_column(m), "%s", what);
}

static int node_new(struct ld *l, enum ytype type, const yaml_mark_t *m, uint32_t *out)
{
	struct ynode *n;

	if (l->nnodes >= LD_NODES_MAX)
		return hint(l, fail_at(l, mark_line(m), mark_column(m),
				       "the policy has more than %u values", LD_NODES_MAX),
			    "split it, or name packages rather than files");
	if (l->nnodes + 1 > l->capnodes) {
		uint32_t cap = l->capnodes ? l->capnodes * 2 : 256;
		struct ynode *nn;

		if (cap > LD_NODES_MAX + 1)
			cap = LD_NODES_MAX + 1;
		nn = realloc(l->nodes, (size_t)cap * sizeof(*nn));
		if (!nn)
			return oom(l);
		l->nodes = nn;
		l->capnodes = cap;
		if (l->nnodes == 0)
			l->nnodes = 1;	/* node 0 means "none" */
	}
	n = &l->nodes[l->nnodes];
	memset(n, 0, sizeof(*n));
	n->type = (uint8_t)type;
	n->line = mark_line(m);
	n->column = mark_column(m);
	*out = l->nnodes++;
	return 0;
}

static int scalar_store(struct ld *l, struct ynode *n, const yaml_event_t *ev)
{
	size_t len = ev->data.scalar.length;

	/* bounded by the input: libyaml never makes a scalar longer than the
	 * bytes it was read from plus escapes that shrink */
	if (len > POL_FILE_MAX)
		return fail(l, n, "a value is longer than the file may be");
	if (len + 1 > l->capstrs - l->nstrs) {
		size_t cap = l->capstrs ? l->capstrs : 4096;
		char *ns;

		while (cap - l->nstrs < len + 1)
			cap *= 2;
		ns = realloc(l->strs, cap);
		if (!ns)
			return oom(l);
		l->strs = ns;
		l->capstrs = cap;
	}
	if (len)
		memcpy(l->strs + l->nstrs, ev->data.scalar.value, len);
	l->strs[l->nstrs + len] = '\0';
	n->str = l->nstrs;
	n->len = (uint32_t)len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	l->nstrs += len + 1;
	return 0;
}

/* An open list or mapping while building. */
struct open {
	uint32_t node, last;
};

static int node_attach(struct ld *l, struct open *stack, unsigned depth, uint32_t idx,
		       uint32_t *root)
{
	struct open *o;
	struct ynode *parent;

	if (depth == 0) {
		/* one document, so one root */
		*root = idx;
		return 0;
	}
	o = &stack[depth - 1];
	parent = &l->nodes[o->node];
	if (parent->type == Y_MAP && parent->count % 2 == 0 && l->nodes[idx].type != Y_SCALAR)
		return hint(l, fail(l, &l->nodes[idx], "a key must be a name, not a %s",
				    l->nodes[idx].type == Y_MAP ? "mapping" : "list"),
			    "write \"key: value\"");
	if (o->last)
		l->nodes[o->last].next = idx;
	else
		parent->first = idx;
	o->last = idx;
	parent->count++;
	return 0;
}

/* Refuse what the language does not have: anchors and aliases (a way to
 * blow a small file up), and explicit tags (types are fixed by position). */
static int check_props(struct ld *l, const yaml_event_t *ev, const yaml_char_t *anchor,
		       const yaml_char_t *tag)
{
	if (anchor)
		return hint(l, fail_mark(l, &ev->start_mark,
					 "anchors and aliases are not supported"),
			    "write the value out in full");
	if (tag)
		return hint(l, fail_mark(l, &ev->start_mark, "YAML tags are not supported"),
			    "remove the '!' tag; a key's type is fixed by the language");
	return 0;
}

static int syntax_error(struct ld *l, const yaml_parser_t *ps)
{
	const char *problem = ps->problem ? ps->problem : "unknown error";

	if (ps->error == YAML_MEMORY_ERROR)
		return oom(l);
	if (ps->error == YAML_READER_ERROR) {
		/* reader errors carry a byte offset, not a mark: count lines and
		 * characters (UTF-8 lead bytes) up to it */
		size_t off = ps->problem_offset < l->len ? ps->problem_offset : l->len;
		unsigned line = 1, column = 1;

		for (size_t i = 0; i < off; i++) {
			unsigned char c = (unsigned char)l->buf[i];

			if (c == '\n') {
				if (line < UINT_MAX)
					line++;
				column = 1;
			} else if ((c & 0xc0) != 0x80 && column < UINT_MAX) {
				column++;
			}
		}
		if (ps->problem_value >= 0)
			fail_at(l, line, column, "invalid YAML: %s (byte 0x%02x)", problem,
				(unsigned)ps->problem_value & 0xffu);
		else
			fail_at(l, line, column, "invalid YAML: %s", problem);
		return hint(l, -EINVAL, "a policy file is UTF-8 text");
	}
	if (ps->context)
		return fail_at(l, mark_line(&ps->problem_mark), mark_column(&ps->problem_mark),
			       "invalid YAML: %s (%s)", problem, ps->context);
	return fail_at(l, mark_line(&ps->problem_mark), mark_column(&ps->problem_mark),
		       "invalid YAML: %s", problem);
}

/* One event into the tree. */
static int build_event(struct ld *l, const yaml_event_t *ev, struct open *stack,
		       unsigned *depth, unsigned *docs, uint32_t *root)
{
	uint32_t idx;
	int rc;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if ((*docs)++)
			return hint(l, fail_mark(l, &ev->start_mark,
						 "more than one YAML document in a policy file"),
				    "remove the second '---', or split the file");
		if (ev->data.document_start.tag_directives.start !=
		    ev->data.document_start.tag_directives.end)
			return fail_mark(l, &ev->start_mark, "YAML tags are not supported");
		return 0;
	case YAML_ALIAS_EVENT:
		return hint(l, fail_mark(l, &ev->start_mark, "aliases are not supported"),
			    "write the value out in full");
	case YAML_SCALAR_EVENT:
		rc = check_props(l, ev, ev->data.scalar.anchor, ev->data.scalar.tag);
		if (!rc)
			rc = node_new(l, Y_SCALAR, &ev->start_mark, &idx);
		if (!rc)
			rc = scalar_store(l, &l->nodes[idx], ev);
		if (!rc)
			rc = node_attach(l, stack, *depth, idx, root);
		return rc;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (ev->type == YAML_SEQUENCE_START_EVENT)
			rc = check_props(l, ev, ev->data.sequence_start.anchor,
					 ev->data.sequence_start.tag);
		else
			rc = check_props(l, ev, ev->data.mapping_start.anchor,
					 ev->data.mapping_start.tag);
		if (rc)
			return rc;
		if (*depth >= LD_DEPTH_MAX)
			return hint(l, fail_mark(l, &ev->start_mark,
						 "nesting is deeper than 16 levels"),
				    "a policy needs 4 at most");
		rc = node_new(l, ev->type == YAML_MAPPING_START_EVENT ? Y_MAP : Y_SEQ,
			      &ev->start_mark, &idx);
		if (!rc)
			rc = node_attach(l, stack, *depth, idx, root);
		if (!rc) {
			stack[*depth].node = idx;
			stack[*depth].last = 0;
			(*depth)++;
		}
		return rc;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		/* libyaml balances these; the guard costs nothing */
		if (*depth)
			(*depth)--;
		return 0;
	default:
		return 0;
	}
}

static int build(struct ld *l, uint32_t *root)
{
	struct open stack[LD_DEPTH_MAX];
	yaml_parser_t ps;
	yaml_event_t ev;
	unsigned depth = 0, docs = 0;
	bool done = false;
	int rc = 0;

	*root = 0;
	if (!yaml_parser_initialize(&ps))
		return oom(l);
	yaml_parser_set_input_string(&ps, (const unsigned char *)l->buf, l->len);
	/* Each event consumes input or closes something opened, and nodes are
	 * capped, so this ends. */
	while (!done && !rc) {
		if (!yaml_parser_parse(&ps, &ev)) {
			rc = syntax_error(l, &ps);
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT)
			done = true;
		else
			rc = build_event(l, &ev, stack, &depth, &docs, root);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Step 2: reading the tree.                                           */

static const struct ynode *node(const struct ld *l, uint32_t i)
{
	return i ? &l->nodes[i] : NULL;
}

static const char *str(const struct ld *l, const struct ynode *n)
{
	return l->strs + n->str;
}

/* Iterate over the keys of mapping @m (may be NULL): k is the key node,
 * v its value. */
#define for_each_pair(l, m, k, v)                                                           \
	for (const struct ynode *k = (m) ? node(l, (m)->first) : NULL,                      \
				*v = k ? node(l, k->next) : NULL;                           \
	     k && v; k = node(l, v->next), v = k ? node(l, k->next) : NULL)

#define for_each_item(l, s, it) \
	for (const struct ynode *it = (s) ? node(l, (s)->first) : NULL; it; it = node(l, it->next))

static const char *type_name(const struct ynode *n)
{
	switch (n->type) {
	case Y_MAP:
		return "a mapping";
	case Y_SEQ:
		return "a list";
	default:
		return "a single value";
	}
}

static bool is_null(const struct ld *l, const struct ynode *n)
{
	const char *s;

	if (n->type != Y_SCALAR || !n->plain)
		return false;
	s = str(l, n);
	return n->len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	       strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static bool is(const struct ld *l, const struct ynode *n, const char *word)
{
	return n->type == Y_SCALAR && n->len == strlen(word) &&
	       memcmp(str(l, n), word, n->len) == 0;
}

/* The value of key @word in mapping @m, or NULL. */
static const struct ynode *map_get(const struct ld *l, const struct ynode *m, const char *word)
{
	for_each_pair(l, m, k, v)
		if (is(l, k, word))
			return v;
	return NULL;
}

/* A string value: any scalar without NUL bytes. */
static int get_str(struct ld *l, const struct ynode *n, const char *what, const char **out)
{
	if (n->type != Y_SCALAR)
		return fail(l, n, "expected %s, found %s", what, type_name(n));
	if (strlen(str(l, n)) != n->len)
		return fail(l, n, "%s contains a NUL character", what);
	*out = str(l, n);
	return 0;
}

static int get_bool(struct ld *l, const struct ynode *n, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };

	if (n->type == Y_SCALAR && n->plain) {
		for (size_t i = 0; i < 3; i++) {
			if (is(l, n, yes[i])) {
				*out = true;
				return 0;
			}
			if (is(l, n, no[i])) {
				*out = false;
				return 0;
			}
		}
	}
	return hint(l, fail(l, n, "expected true or false for '%s', found %s", key,
			    n->type == Y_SCALAR ? "a string" : type_name(n)),
		    "write %s: true or %s: false", key, key);
}

/* A plain decimal integer. Return 0, -EINVAL (not one) or -ERANGE. */
static int get_int(const struct ld *l, const struct ynode *n, long *out)
{
	size_t i = 0;
	bool neg = false;
	const char *s;
	long v = 0;

	if (n->type != Y_SCALAR || !n->plain || n->len == 0)
		return -EINVAL;
	s = str(l, n);
	if (s[0] == '-' || s[0] == '+')
		neg = s[i++] == '-';
	if (i == n->len)
		return -EINVAL;
	for (; i < n->len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		if (v > (LONG_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

/* Python's dotted names: identifiers of ASCII letters, digits and _ (not
 * starting with a digit) joined by single dots. "__main__" is one. */
static bool dotted_name(const char *s, size_t len)
{
	bool start = true;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (start)
				return false;
			start = true;
		} else if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			start = false;
		} else if (c >= '0' && c <= '9') {
			if (start)
				return false;
		} else {
			return false;
		}
	}
	return !start;
}

/* A module prefix (modules:, transparent:). */
static bool has_dotdot(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '.' && s[i + 1] == '.' && (i == 0 || s[i - 1] == '/') &&
		    (i + 2 == len || s[i + 2] == '/'))
			return true;
	return false;
}

/*
 * A module key: a dotted module name, or an absolute path prefix for code
 * that has no module name (a directory outside every site directory sisup
 * knows; learn writes such entries), matched against co_filename.
 */
static int get_module_name(struct ld *l, const struct ynode *n, const char **out,
			   enum pol_match *match)
{
	char q[QBUF];
	int rc = get_str(l, n, "a module name", out);

	if (rc)
		return rc;
	*match = POL_MATCH_MODULE;
	if (n->len > 0 && (*out)[0] == '/') {
		if (n->len > POL_NAME_MAX)
			return fail(l, n, "path %s is longer than %d bytes",
				    quote(q, sizeof(q), *out, n->len), POL_NAME_MAX);
		for (size_t i = 0; i < n->len; i++)
			if ((unsigned char)(*out)[i] < 0x20 || (*out)[i] == 0x7f)
				return fail(l, n, "%s contains a control character",
					    quote(q, sizeof(q), *out, n->len));
		if (has_dotdot(*out, n->len))
			return hint(l, fail(l, n, "path %s contains '..'",
					    quote(q, sizeof(q), *out, n->len)),
				    "write the directory as Python reports it, without '..'");
		*match = POL_MATCH_PATH;
		return 0;
	}
	if (n->len > POL_NAME_MAX)
		return hint(l, fail(l, n, "module name %s is longer than %d bytes",
				    quote(q, sizeof(q), *out, n->len), POL_NAME_MAX),
			    "name the package, not a file in it");
	if (!dotted_name(*out, n->len))
		return hint(l, fail(l, n, "%s is not a Python module name",
				    quote(q, sizeof(q), *out, n->len)),
			    "write a dotted name such as requests or urllib3.util (ASCII "
			    "letters, digits and _), __main__, or an absolute directory such as "
			    "/opt/plugins/");
	return 0;
}

bool pol_module_key_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len > POL_NAME_MAX)
		return false;
	if (name[0] != '/')
		return dotted_name(name, len);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	return !has_dotdot(name, len);
}

/* Duplicate keys. Sorting indices by (key bytes, position) puts each key's
 * first occurrence right before its second. */
static int key_cmp(const void *a, const void *b, void *arg)
{
	const struct ld *l = arg;
	const struct ynode *x = &l->nodes[*(const uint32_t *)a];
	const struct ynode *y = &l->nodes[*(const uint32_t *)b];
	uint32_t n = x->len < y->len ? x->len : y->len;
	int c = n ? memcmp(str(l, x), str(l, y), n) : 0;

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* Find the earliest second occurrence of a key in @m: *dup and its first
 * occurrence *first, or *dup = 0. */
static int map_dups(struct ld *l, const struct ynode *m, uint32_t *dup, uint32_t *first)
{
	size_t nkeys = m->count / 2, i = 0;
	uint32_t *keys;

	*dup = *first = 0;
	if (nkeys < 2)
		return 0;
	keys = malloc(nkeys * sizeof(*keys));
	if (!keys)
		return oom(l);
	for (uint32_t k = m->first; k && l->nodes[k].next && i < nkeys;
	     k = l->nodes[l->nodes[k].next].next)
		keys[i++] = k;
	qsort_r(keys, i, sizeof(*keys), key_cmp, l);
	for (size_t j = 1, run = 0; j < i; j++) {
		const struct ynode *a = &l->nodes[keys[run]], *b = &l->nodes[keys[j]];

		if (a->len != b->len || memcmp(str(l, a), str(l, b), a->len) != 0) {
			run = j;
			continue;
		}
		/* keys[run] is the first occurrence, keys[run + 1] the second */
		if (j == run + 1 && (!*dup || keys[j] < *dup)) {
			*dup = keys[j];
			*first = keys[run];
		}
	}
	free(keys);
	return 0;
}

/* A mapping (or null, read as empty, when @null_ok) without repeated keys.
 * @key names it in messages; @modules: its keys are module entries, which
 * a duplicate message calls modules. *out is NULL for null. */
static int get_map(struct ld *l, const struct ynode *n, const char *key, bool null_ok,
		   bool modules, const struct ynode **out)
{
	char q[QBUF];
	uint32_t dup, first;
	int rc;

	*out = NULL;
	if (null_ok && is_null(l, n))
		return 0;
	/* @key may be a secimport path: quoted like any text from the file */
	if (n->type != Y_MAP)
		return hint(l, fail(l, n, "expected a mapping for %s, found %s",
				    quote(q, sizeof(q), key, strlen(key)), type_name(n)),
			    "write the entries indented under it, as \"name: value\"");
	rc = map_dups(l, n, &dup, &first);
	if (rc)
		return rc;
	if (dup) {
		const struct ynode *d = &l->nodes[dup], *f = &l->nodes[first];

		if (modules)
			return hint(l, fail(l, d, "module %s is defined twice; first at %s:%u",
					    quote(q, sizeof(q), str(l, d), d->len), l->name,
					    f->line),
				    "merge the two entries into one");
		return hint(l, fail(l, d, "key %s appears twice; first at line %u",
				    quote(q, sizeof(q), str(l, d), d->len), f->line),
			    "keep one of them");
	}
	*out = n;
	return 0;
}

/* A list (or null, read as empty). */
static int get_list(struct ld *l, const struct ynode *n, const char *key, const char *example,
		    const struct ynode **out)
{
	*out = NULL;
	if (is_null(l, n))
		return 0;
	if (n->type != Y_SEQ)
		return hint(l, fail(l, n, "expected a list for '%s', found %s", key, type_name(n)),
			    "write %s: [%s]", key, example);
	*out = n;
	return 0;
}

static int unknown_key(struct ld *l, const struct ynode *k, const char *where,
		       const char *const *valid, const char *extra_hint)
{
	char q[QBUF], list[256] = "";
	struct suggest sg;
	size_t used = 0;
	const char *best;

	suggest_init(&sg, str(l, k), k->len);
	for (size_t i = 0; valid[i]; i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", valid[i]);

		if (n > 0 && (size_t)n < sizeof(list) - used)
			used += (size_t)n;
		suggest_try(&sg, valid[i]);
	}
	fail(l, k, "unknown key %s%s", quote(q, sizeof(q), str(l, k), k->len), where);
	best = suggest_best(&sg);
	if (extra_hint)
		return hint(l, -EINVAL, "%s", extra_hint);
	if (best)
		return hint(l, -EINVAL, "did you mean '%s'? valid keys: %s", best, list);
	return hint(l, -EINVAL, "valid keys: %s", list);
}

/* Keys secimport uses in a module entry. */
static bool secimport_key(const struct ld *l, const struct ynode *k)
{
	return is(l, k, "destructive") || is(l, k, "syscall_allowlist");
}

/* The hint for a name that is no capability, group or syscall. */
static int unknown_grant(struct ld *l, const struct ynode *n, const char *s, bool args)
{
	char q[QBUF];
	struct suggest sg;
	const char *best;

	/* the nearest group, capability or (for a plain name) syscall; with
	 * arguments only the capabilities that take them */
	suggest_init(&sg, s, n->len);
	if (!args)
		for (const char *const *gn = pol_group_names(); *gn; gn++)
			suggest_try(&sg, *gn);
	if (s[0] != '@') {
		for (int c = 0; c < POL_CAP_COUNT; c++)
			if (!args || pol_args_takes((enum pol_cap)c))
				suggest_try(&sg, pol_cap_name((enum pol_cap)c));
		for (int nr = 0; nr < POL_NR_MAX && !args; nr++)
			suggest_try(&sg, pol_syscall_name(nr));
	}
	best = suggest_best(&sg);
	fail(l, n, args ? "unknown capability %s" : s[0] == '@' ? "unknown group %s"
					       : "unknown capability or syscall %s",
	     quote(q, sizeof(q), s, n->len));
	if (best)
		return hint(l, -EINVAL, "did you mean '%s'? (docs/policy.md lists them all)", best);
	return hint(l, -EINVAL, "see docs/policy.md for the capability list");
}

/*
 * {CAP: [PATTERN, ...]}: CAP for those arguments only (args.h). Each
 * pattern is checked where it is written, so an error points at it.
 */
static int allow_args(struct ld *l, const struct ynode *n, struct pol_grants *g)
{
	char q[QBUF], msg[256], hnt[256];
	const struct ynode *k, *v;
	const char *s;
	int rc, c;

	if (n->count != 2)
		return hint(l, fail(l, n, "an allow item with arguments has one key, found %u",
				    n->count / 2),
			    "write one item per capability: {fs-write: [/a/**]}, {exec: [/b]}");
	k = node(l, n->first);
	v = node(l, k->next);
	rc = get_str(l, k, "a capability", &s);
	if (rc)
		return rc;
	if (k->len > POL_NAME_MAX)
		return fail(l, k, "name is longer than %d bytes", POL_NAME_MAX);
	c = pol_cap_parse(s);
	if (c < 0 && (s[0] == '@' || pol_syscall_parse(s) >= 0))
		return hint(l, fail(l, k, "%s %s takes no arguments",
				    s[0] == '@' ? "group" : "syscall", quote(q, sizeof(q), s, k->len)),
			    "write it as a bare name; arguments are for fs-read, fs-write, exec, "
			    "net-connect, net-listen and net-unix");
	if (c < 0)
		return unknown_grant(l, k, s, true);
	if (!pol_args_takes((enum pol_cap)c))
		return hint(l, fail(l, k, "capability %s takes no arguments",
				    quote(q, sizeof(q), s, k->len)),
			    "write %s as a bare name; arguments are for fs-read, fs-write, exec, "
			    "net-connect, net-listen and net-unix", pol_cap_name((enum pol_cap)c));
	if (v->type != Y_SEQ || v->count == 0)
		return hint(l, fail(l, v, v->type == Y_SEQ ? "an empty list of arguments for %s"
							   : "expected a list of arguments for %s, "
							     "found %s",
				    pol_cap_name((enum pol_cap)c), type_name(v)),
			    "write {%s: [PATTERN, ...]}, or the bare name %s for any argument",
			    pol_cap_name((enum pol_cap)c), pol_cap_name((enum pol_cap)c));
	if (v->count > POL_ARGS_MAX)
		return hint(l, fail(l, v, "more than %d arguments", POL_ARGS_MAX),
			    "use wildcards, or a CIDR block");
	for_each_item(l, v, it) {
		rc = get_str(l, it, "a pattern", &s);
		if (rc)
			return rc;
		rc = pol_args_add(&g->args, (enum pol_cap)c, s, msg, sizeof(msg), hnt, sizeof(hnt));
		if (rc == -ENOMEM)
			return oom(l);
		if (rc) {
			/* pol_args' message quotes the pattern only in part: say
			 * which one, escaped, and keep its reason */
			fail(l, it, "%s %s: %s", pol_cap_name((enum pol_cap)c),
			     quote(q, sizeof(q), s, it->len), msg);
			return hnt[0] ? hint(l, rc, "%s", hnt) : rc;
		}
	}
	return 0;
}

/* One allow: item: a capability, a @group or a syscall, or a capability
 * with arguments. */
static int allow_item(struct ld *l, const struct ynode *n, struct pol_grants *g)
{
	const char *s;
	int rc, v;

	if (n->type == Y_MAP)
		return allow_args(l, n, g);
	rc = get_str(l, n, "a capability, syscall or @group", &s);
	if (rc)
		return rc;
	if (n->len > POL_NAME_MAX)
		return fail(l, n, "name is longer than %d bytes", POL_NAME_MAX);
	if (s[0] == '@') {
		if (pol_group_expand(s, g) == 0)
			return 0;
	} else if ((v = pol_cap_parse(s)) >= 0) {
		g->caps |= POL_CAP(v);
		return 0;
	} else if ((v = pol_syscall_parse(s)) >= 0) {
		pol_grants_add_syscall(g, v);
		return 0;
	}
	return unknown_grant(l, n, s, false);
}

static int get_allow(struct ld *l, const struct ynode *n, struct pol_grants *g)
{
	const struct ynode *list;
	int rc = get_list(l, n, "allow", "dns, net-connect", &list);

	for_each_item(l, list, it) {
		if (rc)
			break;
		rc = allow_item(l, it, g);
	}
	return rc;
}

/* errno names a policy may use in {deny: NAME}. */
static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "ESRCH", ESRCH }, { "EINTR", EINTR },
	{ "EIO", EIO }, { "ENXIO", ENXIO }, { "E2BIG", E2BIG }, { "ENOEXEC", ENOEXEC },
	{ "EBADF", EBADF }, { "ECHILD", ECHILD }, { "EAGAIN", EAGAIN },
	{ "EWOULDBLOCK", EWOULDBLOCK }, { "ENOMEM", ENOMEM }, { "EACCES", EACCES },
	{ "EFAULT", EFAULT }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST }, { "EXDEV", EXDEV },
	{ "ENODEV", ENODEV }, { "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR },
	{ "EINVAL", EINVAL }, { "ENFILE", ENFILE }, { "EMFILE", EMFILE }, { "ENOTTY", ENOTTY },
	{ "ETXTBSY", ETXTBSY }, { "EFBIG", EFBIG }, { "ENOSPC", ENOSPC }, { "ESPIPE", ESPIPE },
	{ "EROFS", EROFS }, { "EMLINK", EMLINK }, { "EPIPE", EPIPE }, { "EDOM", EDOM },
	{ "ERANGE", ERANGE }, { "EDEADLK", EDEADLK }, { "ENAMETOOLONG", ENAMETOOLONG },
	{ "ENOLCK", ENOLCK }, { "ENOSYS", ENOSYS }, { "ENOTEMPTY", ENOTEMPTY },
	{ "ELOOP", ELOOP }, { "ENOMSG", ENOMSG }, { "ENODATA", ENODATA },
	{ "EOVERFLOW", EOVERFLOW }, { "EILSEQ", EILSEQ }, { "ENOTSOCK", ENOTSOCK },
	{ "EDESTADDRREQ", EDESTADDRREQ }, { "EMSGSIZE", EMSGSIZE },
	{ "EPROTOTYPE", EPROTOTYPE }, { "ENOPROTOOPT", ENOPROTOOPT },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT }, { "ESOCKTNOSUPPORT", ESOCKTNOSUPPORT },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ENOTSUP", ENOTSUP }, { "EPFNOSUPPORT", EPFNOSUPPORT },
	{ "EAFNOSUPPORT", EAFNOSUPPORT }, { "EADDRINUSE", EADDRINUSE },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL }, { "ENETDOWN", ENETDOWN },
	{ "ENETUNREACH", ENETUNREACH }, { "ENETRESET", ENETRESET },
	{ "ECONNABORTED", ECONNABORTED }, { "ECONNRESET", ECONNRESET }, { "ENOBUFS", ENOBUFS },
	{ "EISCONN", EISCONN }, { "ENOTCONN", ENOTCONN }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ECONNREFUSED", ECONNREFUSED }, { "EHOSTDOWN", EHOSTDOWN },
	{ "EHOSTUNREACH", EHOSTUNREACH }, { "EALREADY", EALREADY },
	{ "EINPROGRESS", EINPROGRESS }, { "EDQUOT", EDQUOT }, { "ECANCELED", ECANCELED },
	{ "EOWNERDEAD", EOWNERDEAD }, { "ENOTRECOVERABLE", ENOTRECOVERABLE },
};

static int get_errno(struct ld *l, const struct ynode *n, int *out)
{
	char q[QBUF];
	const char *s;
	long v;
	int rc = get_int(l, n, &v);

	if (rc == 0 || rc == -ERANGE) {
		if (rc == 0 && v >= 1 && v <= LD_ERRNO_MAX) {
			*out = (int)v;
			return 0;
		}
		return hint(l, fail(l, n, "errno %s is out of range",
				    quote(q, sizeof(q), str(l, n), n->len)),
			    "use 1..%d or a name such as EPERM, EACCES, ENOSYS", LD_ERRNO_MAX);
	}
	rc = get_str(l, n, "an errno name", &s);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++) {
		if (strcmp(s, errnos[i].name) == 0) {
			*out = errnos[i].value;
			return 0;
		}
	}
	return hint(l, fail(l, n, "unknown errno name %s", quote(q, sizeof(q), s, n->len)),
		    "use a name such as EPERM, EACCES, ENOSYS, EIO, ENOENT, EAGAIN, or a number "
		    "1..%d", LD_ERRNO_MAX);
}

static int get_action(struct ld *l, const struct ynode *n, enum pol_action *act, int *error)
{
	static const char *const deny_only[] = { "deny", NULL };
	char q[QBUF];
	const struct ynode *m;
	const char *s;
	int rc;

	if (n->type == Y_MAP) {
		rc = get_map(l, n, "on_violation", false, false, &m);
		if (rc)
			return rc;
		if (m->count != 2)
			return hint(l, fail(l, n, "on_violation takes one key, found %u",
					    m->count / 2),
				    "write on_violation: {deny: ENOSYS}");
		for_each_pair(l, m, k, v) {
			if (!is(l, k, "deny"))
				return unknown_key(l, k, " in on_violation", deny_only,
						   "only deny takes an errno: {deny: ENOSYS}");
			*act = POL_DENY;
			return get_errno(l, v, error);
		}
	}
	rc = get_str(l, n, "deny, kill, log or {deny: ERRNO}", &s);
	if (rc)
		return hint(l, rc, "write on_violation: kill");
	if (strcmp(s, "deny") == 0) {
		*act = POL_DENY;
		*error = EPERM;
	} else if (strcmp(s, "kill") == 0) {
		*act = POL_KILL;
		*error = 0;
	} else if (strcmp(s, "log") == 0) {
		*act = POL_LOG;
		*error = 0;
	} else {
		return hint(l, fail(l, n, "unknown action %s", quote(q, sizeof(q), s, n->len)),
			    "use deny, kill, log or {deny: ERRNO}");
	}
	return 0;
}

/* What a module entry or a default: mapping holds. */
struct body {
	struct pol_grants allow;
	enum pol_action on_violation;
	int error;
	struct mod_set set;
};

static void body_init(struct body *b)
{
	memset(b, 0, sizeof(*b));
	b->allow.import = true;
	b->on_violation = POL_DENY;
	b->error = EPERM;
}

static int get_body(struct ld *l, const struct ynode *m, const char *where, struct body *b)
{
	static const char *const keys[] = { "allow", "on_violation", "import", NULL };
	int rc = 0;

	for_each_pair(l, m, k, v) {
		if (is(l, k, "allow")) {
			rc = get_allow(l, v, &b->allow);
		} else if (is(l, k, "on_violation")) {
			rc = get_action(l, v, &b->on_violation, &b->error);
			b->set.on_violation = true;
		} else if (is(l, k, "import")) {
			rc = get_bool(l, v, "import", &b->allow.import);
			b->set.import = true;
		} else if (secimport_key(l, k)) {
			char q[QBUF];

			return hint(l, fail(l, k, "%s is a secimport key, but this file has "
					    "version: (sisup's format)",
					    quote(q, sizeof(q), str(l, k), k->len)),
				    "write allow: [SYSCALLS...] and on_violation: kill, or remove "
				    "version: to load the file as secimport's format");
		} else {
			return unknown_key(l, k, where, keys, NULL);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int add_module(struct ld *l, const struct ynode *k, const char *name,
		      enum pol_match match, const struct body *b)
{
	struct pol_policy *t = l->t;
	struct pol_module *m;

	if (t->nmodules >= POL_MODULES_MAX)
		return hint(l, fail(l, k, "more than %d modules", POL_MODULES_MAX),
			    "name packages rather than their submodules");
	if (t->nmodules == l->capmods) {
		size_t cap = l->capmods ? l->capmods * 2 : 16;
		struct pol_module *nm = realloc(t->modules, cap * sizeof(*nm));
		struct mod_set *ns;

		if (!nm)
			return oom(l);
		t->modules = nm;
		ns = realloc(l->set, cap * sizeof(*ns));
		if (!ns)
			return oom(l);
		l->set = ns;
		l->capmods = cap;
	}
	m = &t->modules[t->nmodules];
	memset(m, 0, sizeof(*m));
	m->name = strndup(name, k->len);
	if (!m->name)
		return oom(l);
	m->match = match;
	m->allow = b->allow;
	m->on_violation = b->on_violation;
	m->error = b->error;
	m->file = l->name;	/* re-pointed into pol_policy.files by merge() */
	m->line = k->line;
	m->column = k->column;
	l->set[t->nmodules] = b->set;
	t->nmodules++;
	return 0;
}

static int get_modules(struct ld *l, const struct ynode *n)
{
	const struct ynode *mods;
	int rc = get_map(l, n, "modules", true, true, &mods);

	for_each_pair(l, mods, k, v) {
		char where[QBUF + 16], q[QBUF];
		const struct ynode *body;
		const char *name;
		enum pol_match match;
		struct body b;

		if (rc)
			break;
		rc = get_module_name(l, k, &name, &match);
		if (!rc)
			rc = get_map(l, v, name, true, false, &body);
		if (rc)
			break;
		body_init(&b);
		snprintf(where, sizeof(where), " in module %s", quote(q, sizeof(q), name, k->len));
		rc = get_body(l, body, where, &b);
		if (!rc)
			rc = add_module(l, k, name, match, &b);
		if (rc)	/* once added, the entry owns them */
			pol_args_free(b.allow.args);
	}
	return rc;
}

static int get_default(struct ld *l, const struct ynode *k, const struct ynode *v)
{
	struct pol_policy *t = l->t;
	const struct ynode *m;
	struct body b;
	int rc;

	body_init(&b);
	if (v->type == Y_SCALAR) {
		char q[QBUF];

		if (!is(l, v, "allow"))
			return hint(l, fail(l, v, "unknown default %s",
					    quote(q, sizeof(q), str(l, v), v->len)),
				    "default is allow, a list of grants that confines every "
				    "other package to them, or {allow: [...], on_violation: ...}");
		t->default_allow = true;
	} else if (v->type == Y_SEQ) {
		rc = get_allow(l, v, &b.allow);
		if (rc) {
			pol_args_free(b.allow.args);
			return rc;
		}
		t->default_allow = false;
	} else {
		rc = get_map(l, v, "default", false, false, &m);
		if (!rc)
			rc = get_body(l, m, " in default", &b);
		if (rc) {
			pol_args_free(b.allow.args);
			return rc;
		}
		t->default_allow = false;
	}
	/* one default: per file (a repeated key is refused), so nothing to free */
	t->def = b.allow;
	t->def_action = b.on_violation;
	t->def_error = b.error;
	t->def_line = k->line;
	t->def_column = k->column;
	l->set_default = true;
	return 0;
}

static int get_semantics(struct ld *l, const struct ynode *v)
{
	char q[QBUF];
	const char *s;
	int rc = get_str(l, v, "stack or innermost", &s);

	if (rc)
		return rc;
	if (strcmp(s, "stack") == 0)
		l->t->semantics = POL_SEM_STACK;
	else if (strcmp(s, "innermost") == 0)
		l->t->semantics = POL_SEM_INNERMOST;
	else
		return hint(l, fail(l, v, "unknown semantics %s", quote(q, sizeof(q), s, v->len)),
			    "use stack (every confined module on the stack must allow) or "
			    "innermost (the innermost confined module decides)");
	l->set_semantics = true;
	return 0;
}

static int get_inherit(struct ld *l, const struct ynode *v)
{
	static const char *const keys[] = { "processes", "threads", NULL };
	const struct ynode *m;
	int rc = get_map(l, v, "inherit", false, false, &m);

	for_each_pair(l, m, k, val) {
		if (rc)
			break;
		if (is(l, k, "processes")) {
			rc = get_bool(l, val, "processes", &l->t->inherit_processes);
			l->set_processes = true;
		} else if (is(l, k, "threads")) {
			rc = get_bool(l, val, "threads", &l->t->inherit_threads);
			l->set_threads = true;
		} else {
			rc = unknown_key(l, k, " in inherit", keys, NULL);
		}
	}
	return rc;
}

static int get_transparent(struct ld *l, const struct ynode *v)
{
	struct pol_policy *t = l->t;
	const struct ynode *list;
	size_t items = 0;
	int rc = get_list(l, v, "transparent", "some.dispatcher", &list);

	for_each_item(l, list, it) {
		enum pol_match match;
		const char *name;
		bool seen = false;

		if (rc)
			break;
		/* items, not distinct names: each is compared with those kept,
		 * so a long list of repeats would otherwise cost n * 4096 */
		if (items++ >= POL_MODULES_MAX)
			return fail(l, it, "more than %d transparent modules", POL_MODULES_MAX);
		rc = get_module_name(l, it, &name, &match);
		if (!rc && match != POL_MATCH_MODULE)
			rc = fail(l, it, "transparent takes module names, not paths");
		if (rc)
			break;
		for (size_t i = 0; i < t->ntransparent && !seen; i++)
			seen = strcmp(t->transparent[i], name) == 0;
		if (seen)
			continue;
		if (t->ntransparent == l->captransparent) {
			size_t cap = l->captransparent ? l->captransparent * 2 : 8;
			char **nt = realloc(t->transparent, cap * sizeof(*nt));

			if (!nt)
				return oom(l);
			t->transparent = nt;
			l->captransparent = cap;
		}
		t->transparent[t->ntransparent] = strdup(name);
		if (!t->transparent[t->ntransparent])
			return oom(l);
		t->ntransparent++;
	}
	return rc;
}

static int get_version(struct ld *l, const struct ynode *v)
{
	char q[QBUF];
	long ver;
	int rc = get_int(l, v, &ver);

	if (rc == -EINVAL)
		return hint(l, fail(l, v, "expected an integer for 'version', found %s",
				    v->type == Y_SCALAR ? quote(q, sizeof(q), str(l, v), v->len)
							: type_name(v)),
			    "write version: 1");
	if (rc || ver != 1)
		return hint(l, fail(l, v, "unsupported policy version %s",
				    quote(q, sizeof(q), str(l, v), v->len)),
			    "this sisup reads version 1");
	l->t->version = 1;
	return 0;
}

static int get_sisup(struct ld *l, const struct ynode *root)
{
	static const char *const keys[] = { "version", "default", "semantics", "transparent",
					    "inherit", "modules", NULL };
	int rc = 0;

	for_each_pair(l, root, k, v) {
		if (is(l, k, "version"))
			rc = 0;	/* read first, by the caller */
		else if (is(l, k, "default"))
			rc = get_default(l, k, v);
		else if (is(l, k, "semantics"))
			rc = get_semantics(l, v);
		else if (is(l, k, "transparent"))
			rc = get_transparent(l, v);
		else if (is(l, k, "inherit"))
			rc = get_inherit(l, v);
		else if (is(l, k, "modules"))
			rc = get_modules(l, v);
		else
			rc = unknown_key(l, k, "", keys, NULL);
		if (rc)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* secimport's format.                                                 */

/* No version:, and some entry under modules: uses secimport's keys. */
static bool looks_secimport(const struct ld *l, const struct ynode *root)
{
	const struct ynode *mods = map_get(l, root, "modules");

	if (!mods || mods->type != Y_MAP)
		return false;
	for_each_pair(l, mods, k, v) {
		if (v->type == Y_MAP && (map_get(l, v, "destructive") ||
					 map_get(l, v, "syscall_allowlist")))
			return true;
	}
	return false;
}

/* One entry's keys: its syscalls into @g; destructive into @kill. Names
 * secimport recorded on another OS (fstat64, kqueue) are skipped and
 * counted: such a call cannot happen here. */
static int secimport_entry(struct ld *l, const struct ynode *m, const char *name,
			   struct pol_grants *g, bool *kill)
{
	static const char *const keys[] = { "destructive", "syscall_allowlist", NULL };
	int rc = 0;

	for_each_pair(l, m, k, v) {
		const struct ynode *list;

		if (is(l, k, "destructive")) {
			rc = get_bool(l, v, "destructive", kill);
		} else if (is(l, k, "syscall_allowlist")) {
			rc = get_list(l, v, "syscall_allowlist", "read, write", &list);
			for_each_item(l, list, it) {
				const char *s;
				size_t a = 0, b = it->len;
				char sys[64];
				int nr = -1;

				if (rc)
					break;
				rc = get_str(l, it, "a syscall name", &s);
				if (rc)
					break;
				/* secimport writes ' close': strip blanks around */
				while (a < b && (s[a] == ' ' || s[a] == '\t'))
					a++;
				while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
					b--;
				if (b - a > 0 && b - a < sizeof(sys)) {
					memcpy(sys, s + a, b - a);
					sys[b - a] = '\0';
					nr = pol_syscall_parse(sys);
				}
				if (nr >= 0)
					pol_grants_add_syscall(g, nr);
				else
					l->t->secimport_skipped++;
			}
		} else {
			char where[QBUF + 16], q[QBUF];
			bool sisup = is(l, k, "allow") || is(l, k, "on_violation") ||
				     is(l, k, "import");

			snprintf(where, sizeof(where), " in module %s",
				 quote(q, sizeof(q), name, strlen(name)));
			return unknown_key(l, k, where, keys,
					   sisup ? "this file has no version:, so it is read as "
						   "secimport's format; add \"version: 1\" to use "
						   "sisup's keys (and drop destructive and "
						   "syscall_allowlist)"
						 : NULL);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int secimport_name(struct ld *l, const struct ynode *k, const char **name,
			  enum pol_match *match)
{
	char q[QBUF];
	int rc = get_str(l, k, "a module name or path", name);

	if (rc)
		return rc;
	if (k->len == 0 || k->len > POL_NAME_MAX)
		return fail(l, k, "a module name or path must be 1 to %d bytes", POL_NAME_MAX);
	for (size_t i = 0; i < k->len; i++)
		if ((unsigned char)(*name)[i] < 0x20 || (*name)[i] == 0x7f)
			return fail(l, k, "%s contains a control character",
				    quote(q, sizeof(q), *name, k->len));
	if ((*name)[0] == '/')
		*match = POL_MATCH_PATH;
	else if ((*name)[0] == '<')
		*match = POL_MATCH_FILENAME;
	else if (dotted_name(*name, k->len))
		*match = POL_MATCH_MODULE;
	else
		return hint(l, fail(l, k, "%s is not a module name, a path or a <filename>",
				    quote(q, sizeof(q), *name, k->len)),
			    "secimport names a module (requests), a file or directory prefix "
			    "(/x/site-packages/urllib3) or a code filename (<frozen zipimport>)");
	return 0;
}

static int get_secimport(struct ld *l, const struct ynode *root)
{
	static const char *const top[] = { "modules", NULL };
	struct pol_grants general;
	const struct ynode *mods;
	int rc;

	for_each_pair(l, root, k, v) {
		if (!is(l, k, "modules"))
			return unknown_key(l, k, "", top,
					   "this file has no version:, so it is read as secimport's "
					   "format, which has only modules:; add \"version: 1\" to "
					   "use sisup's format");
	}
	mods = map_get(l, root, "modules");
	if (!mods)	/* looks_secimport() saw it */
		return fail(l, root, "missing 'modules'");
	rc = get_map(l, mods, "modules", true, true, &mods);
	if (rc)
		return rc;
	l->t->secimport = true;
	l->t->version = 1;
	/* closest to secimport's rule: the last module entered decides */
	l->t->semantics = POL_SEM_INNERMOST;
	l->set_semantics = true;

	/* general_requirements: granted to every entry, not an entry itself */
	memset(&general, 0, sizeof(general));
	for_each_pair(l, mods, k, v) {
		const struct ynode *m;
		bool kill = false;

		if (!is(l, k, "general_requirements"))
			continue;
		rc = get_map(l, v, "general_requirements", true, false, &m);
		if (!rc)
			rc = secimport_entry(l, m, "general_requirements", &general, &kill);
		if (rc)
			return rc;
	}
	for_each_pair(l, mods, k, v) {
		enum pol_match match = POL_MATCH_MODULE;
		const struct ynode *m;
		const char *name;
		bool kill = false;
		struct body b;

		if (is(l, k, "general_requirements"))
			continue;
		rc = secimport_name(l, k, &name, &match);
		if (!rc)
			rc = get_map(l, v, name, true, false, &m);
		if (rc)
			return rc;
		body_init(&b);
		rc = secimport_entry(l, m, name, &b.allow, &kill);
		if (rc)
			return rc;
		for (size_t i = 0; i < sizeof(b.allow.syscalls); i++)
			b.allow.syscalls[i] |= general.syscalls[i];
		b.allow.caps = 0;
		b.allow.import = true;
		b.on_violation = kill ? POL_KILL : POL_DENY;
		b.error = kill ? 0 : EPERM;
		b.set.on_violation = true;
		rc = add_module(l, k, name, match, &b);
		if (rc)
			return rc;
	}
	return 0;
}

static int interpret(struct ld *l, uint32_t root_idx)
{
	const struct ynode *root = node(l, root_idx), *top, *v;
	int rc;

	if (!root || is_null(l, root)) {
		fail_at(l, 0, 0, "empty policy");
		return hint(l, -EINVAL, "start the file with \"version: 1\"");
	}
	if (root->type != Y_MAP)
		return hint(l, fail(l, root, "expected a mapping at the top of the policy, "
				    "found %s", type_name(root)),
			    "a policy starts with \"version: 1\"");
	rc = get_map(l, root, "the policy", false, false, &top);
	if (rc)
		return rc;
	v = map_get(l, top, "version");
	if (v) {
		rc = get_version(l, v);
		return rc ? rc : get_sisup(l, top);
	}
	if (looks_secimport(l, top))
		return get_secimport(l, top);
	return hint(l, fail(l, top, "missing 'version'"),
		    "add \"version: 1\" at the top of the file");
}

/* ------------------------------------------------------------------ */
/* Step 3: merging.                                                    */

static struct pol_module *find_module(struct pol_policy *p, const struct pol_module *m)
{
	for (size_t i = 0; i < p->nmodules; i++)
		if (p->modules[i].match == m->match && strcmp(p->modules[i].name, m->name) == 0)
			return &p->modules[i];
	return NULL;
}

static bool has_transparent(const struct pol_policy *p, const char *name)
{
	for (size_t i = 0; i < p->ntransparent; i++)
		if (strcmp(p->transparent[i], name) == 0)
			return true;
	return false;
}

static int action_rank(enum pol_action a)
{
	return a == POL_KILL ? 3 : a == POL_DENY ? 2 : a == POL_LOG ? 1 : 0;
}

/* @args: the union of both entries' argument rules, made by merge()
 * beforehand (taken over), or NULL when @new has none. */
static void merge_module(struct pol_module *old, const struct pol_module *new,
			 const struct mod_set *set, const char *file, struct pol_args *args)
{
	for (size_t i = 0; i < sizeof(old->allow.syscalls); i++)
		old->allow.syscalls[i] |= new->allow.syscalls[i];
	old->allow.caps |= new->allow.caps;
	if (args) {
		pol_args_free(old->allow.args);
		old->allow.args = args;
	}
	if (set->import)
		old->allow.import = new->allow.import;
	/* the strictest action; between two denies, the later errno */
	if (set->on_violation && action_rank(new->on_violation) >= action_rank(old->on_violation)) {
		old->on_violation = new->on_violation;
		old->error = new->error;
	}
	/* the later file's place: that is where an override would be edited */
	old->file = file;
	old->line = new->line;
	old->column = new->column;
}

/* The capabilities some confined entry of @p has argument rules for. */
static pol_capset arg_caps(const struct pol_policy *p)
{
	pol_capset s = p->default_allow ? 0 : pol_args_caps(p->def.args);

	for (size_t i = 0; i < p->nmodules; i++)
		s |= pol_args_caps(p->modules[i].allow.args);
	return s;
}

static void free_pending(struct pol_args **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		pol_args_free(v[i]);
	free(v);
}

/*
 * Argument rules of the modules of @t that @p has already, joined with
 * @p's into new sets (*@out, parallel to t->modules, NULL where nothing
 * changes): made before the merge proper so that it cannot fail.
 */
static int merge_args(struct pol_policy *p, struct ld *l, struct pol_args ***out)
{
	struct pol_policy *t = l->t;
	struct pol_args **v;

	*out = NULL;
	if (!t->nmodules)
		return 0;
	v = calloc(t->nmodules, sizeof(*v));
	if (!v)
		return oom(l);
	for (size_t i = 0; i < t->nmodules; i++) {
		const struct pol_module *old = find_module(p, &t->modules[i]);
		int rc;

		if (!old || !t->modules[i].allow.args)
			continue;
		rc = pol_args_merge(&v[i], old->allow.args);
		if (!rc)
			rc = pol_args_merge(&v[i], t->modules[i].allow.args);
		if (rc) {
			free_pending(v, t->nmodules);
			if (rc == -ENOMEM)
				return oom(l);
			return hint(l, fail_at(l, t->modules[i].line, t->modules[i].column,
					       "more than %d argument rules for this module in "
					       "the merged policy", POL_ARGS_MAX),
				    "use wildcards, or a CIDR block");
		}
	}
	*out = v;
	return 0;
}

/* Everything that can fail is done before the first change to @p. */
static int merge(struct pol_policy *p, struct ld *l)
{
	struct pol_policy *t = l->t;
	struct pol_args **pending;
	size_t addm = 0, addt = 0;
	char *file;
	int rc;

	if (p->nfiles && p->version != t->version)
		return hint(l, fail_at(l, 0, 0, "policy version %d differs from %d in %s",
				       t->version, p->version, p->files[0]),
			    "all merged files must have the same version");
	for (size_t i = 0; i < t->nmodules; i++)
		if (!find_module(p, &t->modules[i]))
			addm++;
	for (size_t i = 0; i < t->ntransparent; i++)
		if (!has_transparent(p, t->transparent[i]))
			addt++;
	if (p->nmodules + addm > POL_MODULES_MAX)
		return fail_at(l, 0, 0, "more than %d modules in the merged policy",
			       POL_MODULES_MAX);
	if (p->ntransparent + addt > POL_MODULES_MAX)
		return fail_at(l, 0, 0, "more than %d transparent modules in the merged policy",
			       POL_MODULES_MAX);

	rc = merge_args(p, l, &pending);
	if (rc)
		return rc;
	/* a larger array holding the same entries is the same policy: each
	 * step below leaves @p valid if the next one fails */
	{
		char **nf = realloc(p->files, (p->nfiles + 1) * sizeof(*nf));

		if (!nf)
			goto nomem;
		p->files = nf;
	}
	if (addm) {
		struct pol_module *nm = realloc(p->modules, (p->nmodules + addm) * sizeof(*nm));

		if (!nm)
			goto nomem;
		p->modules = nm;
	}
	if (addt) {
		char **nt = realloc(p->transparent, (p->ntransparent + addt) * sizeof(*nt));

		if (!nt)
			goto nomem;
		p->transparent = nt;
	}
	file = strdup(l->name);
	if (!file)
		goto nomem;

	/* from here on nothing fails */
	p->files[p->nfiles++] = file;
	p->version = t->version;
	p->secimport |= t->secimport;
	p->secimport_skipped += t->secimport_skipped;
	if (l->set_default) {
		/* a later default replaces the earlier one, rules and all */
		pol_args_free(p->def.args);
		p->default_allow = t->default_allow;
		p->def = t->def;
		t->def.args = NULL;	/* moved */
		p->def_action = t->def_action;
		p->def_error = t->def_error;
		p->def_file = file;
		p->def_line = t->def_line;
		p->def_column = t->def_column;
	}
	if (l->set_semantics)
		p->semantics = t->semantics;
	if (l->set_processes)
		p->inherit_processes = t->inherit_processes;
	if (l->set_threads)
		p->inherit_threads = t->inherit_threads;
	for (size_t i = 0; i < t->ntransparent; i++) {
		if (has_transparent(p, t->transparent[i]))
			continue;
		p->transparent[p->ntransparent++] = t->transparent[i];
		t->transparent[i] = NULL;	/* moved */
	}
	for (size_t i = 0; i < t->nmodules; i++) {
		struct pol_module *old = find_module(p, &t->modules[i]);

		if (old) {
			merge_module(old, &t->modules[i], &l->set[i], file,
				     pending ? pending[i] : NULL);
			if (pending)
				pending[i] = NULL;	/* taken */
			continue;
		}
		p->modules[p->nmodules] = t->modules[i];
		p->modules[p->nmodules].file = file;
		p->nmodules++;
		t->modules[i].name = NULL;	/* moved */
		t->modules[i].allow.args = NULL;
	}
	p->argcaps = arg_caps(p);
	free_pending(pending, t->nmodules);
	return 0;
nomem:
	free_pending(pending, t->nmodules);
	return oom(l);
}

/* ------------------------------------------------------------------ */
/* Entry points.                                                       */

/**
 * pol_policy_new - an empty policy: version 1, default allow, stack
 * semantics, inheritance on, no modules, no files.
 *
 * Return: the policy (free with pol_policy_free()), or NULL on ENOMEM.
 */
struct pol_policy *pol_policy_new(void)
{
	struct pol_policy *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->version = 1;
	p->default_allow = true;
	p->def.import = true;
	p->def_action = POL_DENY;
	p->def_error = EPERM;
	p->semantics = POL_SEM_STACK;
	p->inherit_processes = true;
	p->inherit_threads = true;
	return p;
}

/**
 * pol_policy_free - free @p and everything it owns (NULL is fine).
 * @p: a policy from pol_policy_new().
 */
void pol_policy_free(struct pol_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nmodules; i++) {
		free(p->modules[i].name);
		pol_args_free(p->modules[i].allow.args);
	}
	free(p->modules);
	pol_args_free(p->def.args);
	for (size_t i = 0; i < p->ntransparent; i++)
		free(p->transparent[i]);
	free(p->transparent);
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	free(p);
}

static void err_begin(struct pol_error *err, const char *name)
{
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", name);
}

/**
 * pol_load_buffer - parse the policy text @buf and merge it into @p.
 * @p: the policy to extend; unchanged on error.
 * @name: the file name to record and to use in errors (NULL: "<buffer>").
 * @buf: the text, @len bytes, not necessarily NUL-terminated.
 * @len: at most POL_FILE_MAX.
 * @err: where and why on error (may be NULL); cleared on success.
 *
 * Return: 0, -EINVAL (a bad policy, or bad arguments), -EFBIG or -ENOMEM.
 */
int pol_load_buffer(struct pol_policy *p, const char *name, const char *buf, size_t len,
		    struct pol_error *err)
{
	struct pol_error spare;
	struct ld l;
	uint32_t root;
	int rc;

	if (!err)
		err = &spare;
	if (!name)
		name = "<buffer>";
	err_begin(err, name);
	if (!p || (!buf && len)) {
		snprintf(err->message, sizeof(err->message), "invalid arguments");
		return -EINVAL;
	}
	if (len > POL_FILE_MAX) {
		snprintf(err->message, sizeof(err->message),
			 "the policy is %zu bytes; the limit is %u", len, POL_FILE_MAX);
		snprintf(err->hint, sizeof(err->hint), "a policy file is at most 4 MiB");
		return -EFBIG;
	}
	memset(&l, 0, sizeof(l));
	l.name = name;
	l.err = err;
	l.buf = buf ? buf : "";
	l.len = len;
	l.t = pol_policy_new();
	if (!l.t)
		return oom(&l);
	rc = build(&l, &root);
	if (!rc)
		rc = interpret(&l, root);
	if (!rc)
		rc = merge(p, &l);
	if (!rc)
		err_begin(err, name);
	free(l.nodes);
	free(l.strs);
	free(l.set);
	pol_policy_free(l.t);
	return rc;
}

static int sys_fail(struct pol_error *err, int rc, const char *what)
{
	snprintf(err->message, sizeof(err->message), "%s: %s", what, strerror(-rc));
	return rc;
}

/**
 * pol_load_file - read the policy file @path and merge it into @p.
 * @p: the policy to extend; unchanged on error.
 * @path: a regular file of at most POL_FILE_MAX bytes.
 * @err: where and why on error (may be NULL).
 *
 * The file is opened once and read through the descriptor: the size check
 * and the read see the same file. O_NONBLOCK keeps a FIFO planted at @path
 * from blocking the open; the regular-file check then refuses it.
 *
 * Return: 0 or -errno (-EINVAL for a bad policy, -EFBIG over POL_FILE_MAX,
 * -EISDIR, -ENOENT, -EACCES, -ENOMEM, other open/read errors).
 */
int pol_load_file(struct pol_policy *p, const char *path, struct pol_error *err)
{
	struct pol_error spare;
	struct stat st;
	size_t cap, n = 0;
	char *buf;
	int fd, rc;

	if (!err)
		err = &spare;
	err_begin(err, path ? path : "(null)");
	if (!p || !path)
		return sys_fail(err, -EINVAL, "cannot load the policy");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return sys_fail(err, -errno, "cannot open the policy");
	if (fstat(fd, &st) < 0) {
		rc = sys_fail(err, -errno, "cannot read the policy");
		close(fd);
		return rc;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(err->hint, sizeof(err->hint), "name a policy file, not a directory");
		return sys_fail(err, -EISDIR, "cannot read the policy");
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err->message, sizeof(err->message), "the policy is not a regular file");
		return -EINVAL;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > POL_FILE_MAX) {
		close(fd);
		snprintf(err->message, sizeof(err->message),
			 "the policy is %jd bytes; the limit is %u", (intmax_t)st.st_size,
			 POL_FILE_MAX);
		snprintf(err->hint, sizeof(err->hint), "a policy file is at most 4 MiB");
		return -EFBIG;
	}
	/* st_size is a first guess (it is 0 for /proc files, and a file can
	 * grow): read to EOF, growing up to one byte past the limit */
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return sys_fail(err, -ENOMEM, "cannot read the policy");
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			size_t ncap = cap * 2 > (size_t)POL_FILE_MAX + 1 ? (size_t)POL_FILE_MAX + 1
									: cap * 2;
			char *nb;

			if (n > POL_FILE_MAX) {
				free(buf);
				close(fd);
				snprintf(err->message, sizeof(err->message),
					 "the policy is over %u bytes", POL_FILE_MAX);
				snprintf(err->hint, sizeof(err->hint),
					 "a policy file is at most 4 MiB");
				return -EFBIG;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				free(buf);
				close(fd);
				return sys_fail(err, -ENOMEM, "cannot read the policy");
			}
			buf = nb;
			cap = ncap;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = sys_fail(err, -errno, "cannot read the policy");
			free(buf);
			close(fd);
			return rc;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	rc = pol_load_buffer(p, path, buf, n, err);
	free(buf);
	return rc;
}
