/* SPDX-License-Identifier: MIT */
/*
 * modname.h - which Python module does a code object's co_filename belong to?
 *
 * co_filename is read from the sandboxed process and is whatever the code was
 * compiled with: an absolute path, a path relative to the initial working
 * directory (3.8 "target.py"), "<frozen os>", "<string>", or anything that
 * compile() or CodeType.replace() was given. The classifier is a pure function
 * of its inputs: it never looks at the local filesystem (the supervisor's view
 * of it is not the program's, and a stat would race with the program anyway),
 * so the caller describes the interpreter's layout once per process in a
 * struct uw_modctx.
 *
 * The answer is advisory: code can claim any file name it likes. What the
 * classifier guarantees is that it never turns a path into a module the path
 * does not name (".." is resolved before matching, roots match only at a
 * component boundary, an unregistered site-packages is never stdlib or app)
 * and that names which are not plain dotted identifiers are flagged (odd).
 */
#ifndef UW_MODNAME_H
#define UW_MODNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest file name or root accepted, in bytes (CPython's PATH_MAX). */
#define UW_PATH_MAX 4096
/* Size of uw_module.name, NUL included. */
#define UW_MODNAME_MAX 256
/* At most this many stdlib roots, and as many site roots. */
#define UW_MODCTX_MAX_DIRS 16
/* Bytes shared by all the strings of a context (roots, main, cwd). */
#define UW_MODCTX_POOL 32768

enum uw_modkind {
	UW_MOD_UNKNOWN = 0,	/* not attributable: name is "" */
	UW_MOD_STDLIB,		/* under a stdlib root (lib-dynload, pythonXY.zip too) */
	UW_MOD_THIRD_PARTY,	/* under a site-packages/dist-packages root */
	UW_MOD_APP,		/* under the application directory (sys.path[0]) */
	UW_MOD_MAIN,		/* the main script itself: name is "__main__" */
	UW_MOD_FROZEN,		/* "<frozen NAME>": name is NAME */
	UW_MOD_SYNTHETIC,	/* any other "<...>": name is "" */
	UW_MOD_KIND_MAX
};

struct uw_module {
	char name[UW_MODNAME_MAX];	/* dotted module name, always NUL-terminated */
	enum uw_modkind kind;
	/*
	 * The name was produced but is not a dotted sequence of ASCII
	 * identifiers (a "my-pkg" or "python3.11" directory, a file without a
	 * Python suffix, non-ASCII or non-UTF-8 bytes). Such a name cannot come
	 * from an import statement and may be ambiguous ("a.b" from a
	 * directory "a.b"): the policy decides whether to trust it.
	 */
	bool odd;
};

/* One registered directory: a slice of the pool. Private to modname.c. */
struct uw_modroot {
	uint16_t off;
	uint16_t len;
	uint8_t kind;	/* enum uw_modkind */
};

/*
 * The interpreter's layout as seen by one process. Built once per process
 * by the caller, then only read: classification never writes to it, so one
 * context may be used from several threads. Fields are private; use the
 * uw_modctx_* functions. Fixed size (about 32 KiB): no allocation.
 */
struct uw_modctx {
	struct uw_modroot root[2 * UW_MODCTX_MAX_DIRS + 1];
	unsigned int nroot;
	unsigned int nstdlib, nsite;
	bool has_app;
	struct uw_modroot main, cwd;	/* len 0: not set */
	size_t used;
	char pool[UW_MODCTX_POOL];
};

/**
 * uw_modctx_init - an empty context: every absolute path is UNKNOWN and
 * relative paths are UNKNOWN until a cwd is set.
 * @ctx: the context to reset (caller-allocated).
 */
void uw_modctx_init(struct uw_modctx *ctx);

/**
 * uw_modctx_add_stdlib - register a standard library directory.
 * @ctx: the context.
 * @dir: absolute path, NUL-terminated, at most UW_PATH_MAX bytes, normalised
 *       lexically (".", "..", "//" and a trailing "/" are fine). Register
 *       lib-dynload and the pythonXY.zip entry of sys.path too.
 *
 * A root may nest inside another (pyenv's lib/python3.12/site-packages is
 * inside lib/python3.12): the longest matching root wins. Registering the
 * same directory twice is not an error. "/" is refused: it would make every
 * file on the system part of the standard library.
 *
 * Return: 0, -EINVAL (NULL, relative, or "/"),
 * -ENAMETOOLONG, or -ENOSPC (UW_MODCTX_MAX_DIRS reached or pool full).
 */
int uw_modctx_add_stdlib(struct uw_modctx *ctx, const char *dir);

/**
 * uw_modctx_add_site - register a site-packages or dist-packages directory,
 * or any other third-party root on sys.path (a .pth-added src directory, a
 * zip or egg listed in a .pth file).
 * @ctx: the context.
 * @dir: as for uw_modctx_add_stdlib().
 *
 * Return: as for uw_modctx_add_stdlib().
 */
int uw_modctx_add_site(struct uw_modctx *ctx, const char *dir);

/**
 * uw_modctx_set_appdir - set the application directory (sys.path[0]: the
 * main script's directory, or the initial cwd for -c and -m).
 * @ctx: the context.
 * @dir: absolute path, as for uw_modctx_add_stdlib(), but "/" is accepted
 *       (a script at /x.py really has "/" as sys.path[0]).
 *
 * Return: 0, -EINVAL, -ENAMETOOLONG, -ENOSPC, or -EEXIST if already set.
 */
int uw_modctx_set_appdir(struct uw_modctx *ctx, const char *dir);

/**
 * uw_modctx_set_main - set the main script's path; that exact file is
 * classified MAIN ("__main__") before any root is considered.
 * @ctx: the context.
 * @path: absolute path of the script (resolve a relative argv[0] against the
 *        initial cwd first), normalised lexically.
 *
 * Return: 0, -EINVAL ("/" or relative), -ENAMETOOLONG, -ENOSPC, or -EEXIST.
 */
int uw_modctx_set_main(struct uw_modctx *ctx, const char *path);

/**
 * uw_modctx_set_cwd - set the directory relative file names are resolved
 * against.
 * @ctx: the context.
 * @dir: absolute path. Use the process's initial working directory: that is
 *       where CPython resolved the relative script path and the relative
 *       sys.path entries that produce relative co_filename values, whatever
 *       chdir() the program did later.
 *
 * Return: 0, -EINVAL, -ENAMETOOLONG, -ENOSPC, or -EEXIST.
 */
int uw_modctx_set_cwd(struct uw_modctx *ctx, const char *dir);

/**
 * uw_modname - classify a co_filename and name its module.
 * @ctx: the context, built with the uw_modctx_* functions.
 * @filename: the bytes of co_filename; need not be NUL-terminated, never read
 *            beyond @len. Any bytes: non-UTF-8 bytes are copied as they are.
 * @len: number of bytes at @filename.
 * @out: filled on every return, errors included (UNKNOWN, name "").
 *
 * Rules, in order: "<frozen NAME>" with NAME a dotted ASCII identifier is
 * FROZEN, any other "<...>" is SYNTHETIC; a relative name is joined to the
 * cwd (UNKNOWN if none); the path is normalised lexically; the main script
 * is MAIN; otherwise the longest root that matches at a component boundary
 * decides the kind (ties: stdlib, then site, then app) and the rest of the
 * path gives the name: directories joined by ".", the last component without
 * .py/.pyw/.pyc/.so and its ABI tag (.cpython-311-x86_64-linux-gnu, .abi3,
 * pypy), "__init__" dropped, "__pycache__/x.cpython-311[.opt-1].pyc" is x,
 * a leading .egg, .zip or .whl component under a site root skipped. A path
 * with a site-packages or dist-packages component below its root is UNKNOWN
 * (a site directory the caller did not register), as is one with a hidden
 * component (".venv", ".tox": no import goes through them), one outside
 * every root and one equal to a root.
 *
 * Return: 0 (classified, possibly UNKNOWN), -EINVAL (NULL argument, or a NUL
 * byte inside @filename: no file has such a name), -ENAMETOOLONG (@len above
 * UW_PATH_MAX, or a name that does not fit in UW_MODNAME_MAX).
 */
int uw_modname(const struct uw_modctx *ctx, const char *filename, size_t len,
	       struct uw_module *out);

/**
 * uw_module_within - does dotted module @module lie inside @prefix?
 * @module: a module name such as "requests.adapters".
 * @prefix: a package or module name such as "requests".
 *
 * True when @module equals @prefix or starts with @prefix followed by ".":
 * "requests" covers "requests.adapters" but not "requestsx". An empty or
 * NULL @prefix covers nothing (no implicit wildcard). Do not rely on it for
 * names marked odd: "a.b" may be one directory called "a.b".
 *
 * Return: true or false.
 */
bool uw_module_within(const char *module, const char *prefix);

/**
 * uw_modkind_name - a short fixed name for @kind ("stdlib", "third-party",
 * "app", "main", "frozen", "synthetic", "unknown"), for logs and policies.
 * @kind: any value; out-of-range values give "unknown".
 *
 * Return: a static string.
 */
const char *uw_modkind_name(enum uw_modkind kind);

#endif
