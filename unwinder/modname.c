// SPDX-License-Identifier: MIT
/*
 * modname.c - co_filename -> (kind, dotted module name), a pure function.
 *
 * Runs once per frame on the notification path, so it allocates nothing and
 * does one linear pass over the name plus one memcmp per registered root.
 * Everything about the file name is hostile: lengths are bounded before any
 * copy, ".." is resolved lexically before any root is compared (so
 * "/usr/lib/python3.11/../../../tmp/evil.py" is /tmp/evil.py), roots match
 * only at a "/" boundary (so "/usr/lib/python3.11-evil" is not stdlib), and
 * nothing recurses.
 */
#include "modname.h"

#include <errno.h>
#include <string.h>

/* Room for cwd + "/" + filename, both bounded by UW_PATH_MAX. */
#define UW_JOIN_MAX (2 * UW_PATH_MAX + 2)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const uw_kind_names[UW_MOD_KIND_MAX] = {
	[UW_MOD_UNKNOWN] = "unknown",
	[UW_MOD_STDLIB] = "stdlib",
	[UW_MOD_THIRD_PARTY] = "third-party",
	[UW_MOD_APP] = "app",
	[UW_MOD_MAIN] = "main",
	[UW_MOD_FROZEN] = "frozen",
	[UW_MOD_SYNTHETIC] = "synthetic",
};

/*
 * When two roots are the same directory, the one CPython itself treats as
 * more specific wins: a script run from the stdlib directory
 * ("python3 /usr/lib/python3.11/timeit.py") still imports stdlib modules.
 * Lower is stronger.
 */
static const unsigned char uw_kind_rank[UW_MOD_KIND_MAX] = {
	[UW_MOD_STDLIB] = 0,
	[UW_MOD_THIRD_PARTY] = 1,
	[UW_MOD_APP] = 2,
};

/*
 * Directory names that mean "an installation root the caller did not
 * register". Below a stdlib or app root they would otherwise yield stdlib
 * or app names for third-party code (pyenv's site-packages sits inside the
 * stdlib directory; a project's .venv sits inside the app directory).
 */
static const char *const uw_site_dirs[] = { "site-packages", "dist-packages" };

/* Archive directories under a site root that are sys.path entries of their
 * own (easy_install eggs, zips and wheels added by .pth files). */
static const char *const uw_archive_ext[] = { ".egg", ".zip", ".whl" };

/* ABI tags between the stem and ".so" (PEP 3149, PEP 384, PyPy). */
static const struct {
	const char *tag;
	bool prefix;	/* tag is a prefix ("cpython-311-...") or exact ("abi3") */
} uw_so_tags[] = {
	{ "abi3", false },
	{ "cpython-", true },
	{ "pypy", true },
};

/* Cache tags inside __pycache__ (PEP 3147), before an optional .opt-N. */
static const char *const uw_pyc_tags[] = { "cpython-", "pypy" };

/* Source suffixes dropped from the last component. */
static const char *const uw_src_ext[] = { ".py", ".pyw" };

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n > k && memcmp(s + n - k, suf, k) == 0;
}

static bool has_prefix(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n > k && memcmp(s, pre, k) == 0;
}

static bool eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* The last "." in @s[0..n), or NULL (memrchr is a GNU extension). */
static const char *last_dot(const char *s, size_t n)
{
	while (n > 0)
		if (s[--n] == '.')
			return s + n;
	return NULL;
}

/*
 * An import statement can only produce ASCII identifiers here. Non-ASCII
 * identifiers are legal Python (PEP 3131) but checking XID_Start needs the
 * Unicode tables, and homoglyph names ("requеsts" with a Cyrillic е) are
 * exactly what a policy wants flagged, so any byte >= 0x80 is odd.
 */
static bool is_ident(const char *s, size_t n)
{
	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/*
 * Lexical normalisation in place, like os.path.normpath for an absolute
 * path: "//" and "." vanish, ".." removes the previous component and stops
 * at "/", a trailing "/" goes. @p[0] must be '/'. The output never gets
 * ahead of the input (each component is preceded by at least one "/" that
 * is consumed), so memmove within the buffer is safe. Returns the new length.
 */
static size_t normalize(char *p, size_t n)
{
	size_t out = 1, i = 0;

	while (i < n) {
		size_t s, clen;

		while (i < n && p[i] == '/')
			i++;
		s = i;
		while (i < n && p[i] != '/')
			i++;
		clen = i - s;
		if (clen == 0 || (clen == 1 && p[s] == '.'))
			continue;
		if (clen == 2 && p[s] == '.' && p[s + 1] == '.') {
			while (out > 1 && p[out - 1] != '/')
				out--;
			if (out > 1)
				out--;
			continue;
		}
		if (out > 1)
			p[out++] = '/';
		memmove(p + out, p + s, clen);
		out += clen;
	}
	return out;
}

/* Copy, check and normalise a caller-supplied directory into the pool. */
static int pool_add(struct uw_modctx *ctx, const char *dir, bool allow_slash,
		    struct uw_modroot *r)
{
	size_t n, len;
	char *p;

	if (!ctx || !dir || dir[0] != '/')
		return -EINVAL;
	n = strnlen(dir, UW_PATH_MAX + 1);
	if (n > UW_PATH_MAX)
		return -ENAMETOOLONG;
	if (n > sizeof(ctx->pool) - ctx->used)
		return -ENOSPC;
	p = ctx->pool + ctx->used;
	memcpy(p, dir, n);
	len = normalize(p, n);
	if (len == 1 && !allow_slash)
		return -EINVAL;
	r->off = (uint16_t)ctx->used;
	r->len = (uint16_t)len;
	ctx->used += len;
	return 0;
}

static const char *root_str(const struct uw_modctx *ctx, const struct uw_modroot *r)
{
	return ctx->pool + r->off;
}

static int add_root(struct uw_modctx *ctx, const char *dir, enum uw_modkind kind,
		    unsigned int *count, bool allow_slash)
{
	struct uw_modroot r;
	size_t used;
	int rc;

	if (!ctx)
		return -EINVAL;
	if (count && *count >= UW_MODCTX_MAX_DIRS)
		return -ENOSPC;
	used = ctx->used;
	rc = pool_add(ctx, dir, allow_slash, &r);
	if (rc)
		return rc;
	r.kind = (uint8_t)kind;
	/* sys.path often lists a directory twice; keep the first copy */
	for (unsigned int i = 0; i < ctx->nroot; i++) {
		const struct uw_modroot *o = &ctx->root[i];

		if (o->kind == kind && o->len == r.len &&
		    memcmp(root_str(ctx, o), root_str(ctx, &r), r.len) == 0) {
			ctx->used = used;
			return 0;
		}
	}
	ctx->root[ctx->nroot++] = r;
	if (count)
		(*count)++;
	return 0;
}

void uw_modctx_init(struct uw_modctx *ctx)
{
	/* Not the pool: only its first @used bytes are ever read, and
	 * clearing 32 KiB would fault in eight pages per Python process. */
	if (ctx)
		memset(ctx, 0, offsetof(struct uw_modctx, pool));
}

int uw_modctx_add_stdlib(struct uw_modctx *ctx, const char *dir)
{
	return add_root(ctx, dir, UW_MOD_STDLIB, ctx ? &ctx->nstdlib : NULL, false);
}

int uw_modctx_add_site(struct uw_modctx *ctx, const char *dir)
{
	return add_root(ctx, dir, UW_MOD_THIRD_PARTY, ctx ? &ctx->nsite : NULL, false);
}

int uw_modctx_set_appdir(struct uw_modctx *ctx, const char *dir)
{
	int rc;

	if (!ctx)
		return -EINVAL;
	if (ctx->has_app)
		return -EEXIST;
	rc = add_root(ctx, dir, UW_MOD_APP, NULL, true);
	if (rc == 0)
		ctx->has_app = true;
	return rc;
}

static int set_single(struct uw_modctx *ctx, const char *path, struct uw_modroot *slot,
		      bool allow_slash)
{
	if (!ctx)
		return -EINVAL;
	if (slot->len)
		return -EEXIST;
	return pool_add(ctx, path, allow_slash, slot);
}

int uw_modctx_set_main(struct uw_modctx *ctx, const char *path)
{
	return set_single(ctx, path, ctx ? &ctx->main : NULL, false);
}

int uw_modctx_set_cwd(struct uw_modctx *ctx, const char *dir)
{
	return set_single(ctx, dir, ctx ? &ctx->cwd : NULL, true);
}

const char *uw_modkind_name(enum uw_modkind kind)
{
	if ((unsigned int)kind >= UW_MOD_KIND_MAX)
		return "unknown";
	return uw_kind_names[kind];
}

/* Bounded append of @n bytes (plus a "." separator when @dot) to the name. */
static int name_put(struct uw_module *out, size_t *pos, const char *s, size_t n, bool dot)
{
	size_t need = n + (dot ? 1 : 0);

	if (need >= UW_MODNAME_MAX - *pos)
		return -ENAMETOOLONG;
	if (dot)
		out->name[(*pos)++] = '.';
	memcpy(out->name + *pos, s, n);
	*pos += n;
	out->name[*pos] = '\0';
	return 0;
}

static int set_kind(struct uw_module *out, enum uw_modkind kind, int rc)
{
	out->kind = kind;
	if (kind == UW_MOD_UNKNOWN || kind == UW_MOD_SYNTHETIC) {
		out->name[0] = '\0';
		out->odd = false;
	}
	return rc;
}

/*
 * "<...>" names are not files (linecache's rule). "<frozen NAME>" is a
 * frozen module only when NAME could be one: CPython freezes stdlib modules
 * only, all with dotted ASCII identifier names, so anything else inside the
 * brackets was made up by compile() and is SYNTHETIC with no name.
 */
static int classify_bracket(const char *f, size_t len, struct uw_module *out)
{
	static const char frozen[] = "<frozen ";
	const size_t fl = sizeof(frozen) - 1;
	size_t pos = 0, i, s;

	if (len <= fl + 1 || memcmp(f, frozen, fl) != 0)
		return set_kind(out, UW_MOD_SYNTHETIC, 0);
	f += fl;
	len -= fl + 1;
	for (i = 0, s = 0; i <= len; i++) {
		if (i < len && f[i] != '.')
			continue;
		if (!is_ident(f + s, i - s))
			return set_kind(out, UW_MOD_SYNTHETIC, 0);
		s = i + 1;
	}
	if (name_put(out, &pos, f, len, false))
		return set_kind(out, UW_MOD_UNKNOWN, -ENAMETOOLONG);
	return set_kind(out, UW_MOD_FROZEN, 0);
}

/*
 * The last component minus its suffixes. @in_pycache: the parent directory
 * is __pycache__ (handled only for .pyc, where PEP 3147 put it). Returns
 * false when no Python suffix was found (the stem is then the whole name).
 */
static bool strip_suffix(const char *c, size_t *n, bool in_pycache)
{
	size_t k = *n;

	for (size_t i = 0; i < NELEM(uw_src_ext); i++) {
		if (has_suffix(c, k, uw_src_ext[i])) {
			*n = k - strlen(uw_src_ext[i]);
			return true;
		}
	}
	if (has_suffix(c, k, ".pyc")) {
		k -= 4;
		if (in_pycache) {
			const char *dot = last_dot(c, k);
			size_t tl = dot ? (size_t)(c + k - dot - 1) : 0;

			/* "x.cpython-311.opt-1.pyc": optimisation level first */
			if (dot && has_prefix(dot + 1, tl, "opt-"))
				k = (size_t)(dot - c);
			dot = last_dot(c, k);
			tl = dot ? (size_t)(c + k - dot - 1) : 0;
			for (size_t i = 0; dot && i < NELEM(uw_pyc_tags); i++) {
				if (has_prefix(dot + 1, tl, uw_pyc_tags[i])) {
					k = (size_t)(dot - c);
					break;
				}
			}
		}
		*n = k;
		return true;
	}
	if (has_suffix(c, k, ".so")) {
		const char *dot;

		k -= 3;
		dot = last_dot(c, k);
		for (size_t i = 0; dot && i < NELEM(uw_so_tags); i++) {
			size_t tl = (size_t)(c + k - dot - 1);

			if (uw_so_tags[i].prefix ? has_prefix(dot + 1, tl, uw_so_tags[i].tag)
						 : eq(dot + 1, tl, uw_so_tags[i].tag)) {
				k = (size_t)(dot - c);
				break;
			}
		}
		*n = k;
		return true;
	}
	return false;
}

/*
 * Build the dotted name from @rest (the path below the root, no leading
 * "/", normalised so components are non-empty and never "." or "..").
 */
static int name_from_rest(const char *rest, size_t n, enum uw_modkind kind,
			  struct uw_module *out)
{
	size_t pos = 0, i = 0, ncomp = 0;
	const char *prev = NULL;
	size_t prevlen = 0;

	while (i < n) {
		const char *c = rest + i;
		const char *slash = memchr(c, '/', n - i);
		size_t clen = slash ? (size_t)(slash - c) : n - i;

		i += clen + 1;
		/*
		 * No import reaches through a hidden directory or loads a hidden
		 * file: those are tool caches (.venv, .tox, .eggs, .git) whose
		 * code is not the root's, and a leading "." would make an empty
		 * component in the dotted name.
		 */
		if (c[0] == '.')
			return set_kind(out, UW_MOD_UNKNOWN, 0);
		/* an installation root the caller did not register */
		for (size_t k = 0; k < NELEM(uw_site_dirs); k++)
			if (eq(c, clen, uw_site_dirs[k]))
				return set_kind(out, UW_MOD_UNKNOWN, 0);
		if (slash) {
			if (kind == UW_MOD_THIRD_PARTY && ncomp == 0 && prev == NULL) {
				bool skip = false;

				for (size_t k = 0; k < NELEM(uw_archive_ext); k++)
					skip |= has_suffix(c, clen, uw_archive_ext[k]);
				if (skip) {
					prev = c;	/* only the first component */
					prevlen = clen;
					continue;
				}
			}
			/* __pycache__ is only dropped right above a .pyc: hold it */
			if (eq(c, clen, "__pycache__")) {
				size_t left = n - i;
				const char *next = rest + i;

				if (!memchr(next, '/', left) && has_suffix(next, left, ".pyc")) {
					prev = c;
					prevlen = clen;
					continue;
				}
			}
			if (!is_ident(c, clen))
				out->odd = true;
			if (name_put(out, &pos, c, clen, ncomp > 0))
				return set_kind(out, UW_MOD_UNKNOWN, -ENAMETOOLONG);
			ncomp++;
			prev = c;
			prevlen = clen;
			continue;
		}
		/* the file itself */
		{
			size_t stem = clen;
			bool pyc = prev && eq(prev, prevlen, "__pycache__");
			bool suffixed = strip_suffix(c, &stem, pyc);

			if (!suffixed)
				out->odd = true;	/* no loader would import it */
			if (suffixed && eq(c, stem, "__init__")) {
				/* the package itself; at the root it names nothing */
				if (ncomp == 0)
					return set_kind(out, UW_MOD_UNKNOWN, 0);
				break;
			}
			if (stem == 0)
				return set_kind(out, UW_MOD_UNKNOWN, 0);
			if (!is_ident(c, stem))
				out->odd = true;
			if (name_put(out, &pos, c, stem, ncomp > 0))
				return set_kind(out, UW_MOD_UNKNOWN, -ENAMETOOLONG);
			ncomp++;
		}
	}
	if (ncomp == 0)
		return set_kind(out, UW_MOD_UNKNOWN, 0);
	return set_kind(out, kind, 0);
}

int uw_modname(const struct uw_modctx *ctx, const char *filename, size_t len,
	       struct uw_module *out)
{
	char buf[UW_JOIN_MAX];
	const struct uw_modroot *best = NULL;
	size_t n = 0;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!ctx || (!filename && len))
		return -EINVAL;
	if (len > UW_PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0)
		return 0;
	/* "a\0b" opens "a": truncating would let junk pass as a real path */
	if (memchr(filename, '\0', len))
		return -EINVAL;
	if (filename[0] == '<' && filename[len - 1] == '>')
		return classify_bracket(filename, len, out);

	if (filename[0] != '/') {
		/* relative: 3.8 "target.py", sourceless .pyc, '' on sys.path */
		if (!ctx->cwd.len)
			return 0;
		memcpy(buf, root_str(ctx, &ctx->cwd), ctx->cwd.len);
		n = ctx->cwd.len;
		buf[n++] = '/';
	}
	memcpy(buf + n, filename, len);
	n = normalize(buf, n + len);

	if (ctx->main.len && ctx->main.len == n &&
	    memcmp(buf, root_str(ctx, &ctx->main), n) == 0) {
		memcpy(out->name, "__main__", sizeof("__main__"));
		out->kind = UW_MOD_MAIN;
		return 0;
	}

	for (unsigned int i = 0; i < ctx->nroot; i++) {
		const struct uw_modroot *r = &ctx->root[i];
		size_t rl = r->len;

		if (rl > n || memcmp(buf, root_str(ctx, r), rl) != 0)
			continue;
		/*
		 * A component boundary, or the "/" root. A path equal to a root
		 * still matches it (and names nothing) so that a shorter root
		 * cannot claim the directory: pyenv's .../python3.12/site-packages
		 * is not the stdlib module "site-packages".
		 */
		if (rl < n && rl > 1 && buf[rl] != '/')
			continue;
		if (!best || rl > best->len ||
		    (rl == best->len && uw_kind_rank[r->kind] < uw_kind_rank[best->kind]))
			best = r;
	}
	if (!best)
		return 0;
	if (best->len == n)
		return 0;
	{
		size_t skip = best->len == 1 ? 1 : best->len + 1;

		return name_from_rest(buf + skip, n - skip, (enum uw_modkind)best->kind, out);
	}
}

bool uw_module_within(const char *module, const char *prefix)
{
	size_t k;

	if (!module || !prefix || !prefix[0])
		return false;
	k = strlen(prefix);
	return strncmp(module, prefix, k) == 0 && (module[k] == '\0' || module[k] == '.');
}
