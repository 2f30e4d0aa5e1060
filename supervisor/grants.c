// SPDX-License-Identifier: MIT
/*
 * grants.c - the implicit import grant (docs/policy.md, "import").
 *
 * A confined module without fs-read must still be able to import: the
 * import system reads source, bytecode and metadata on its behalf. The
 * grant rests on two things. The stack: the call comes from standard
 * library code that belongs to the import system, with no confined frame in
 * between (so the module did not just call open()). And the path, checked on
 * sisup's own copy and then opened by sisup itself (emulate.c): the program
 * cannot change what is opened after the check. A confined module can steer
 * the import system (sys.path, custom names), so what the grant gives is
 * bounded by the path rules: files that look importable and directory
 * listings, read-only.
 */
#include "grants.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "eval.h"
#include "principals.h"
#include "remotefd.h"

static const char *const import_modules[] = {
	"importlib", "zipimport", "site", "pkgutil", "runpy", "getpath",
	"_frozen_importlib", "_frozen_importlib_external", "sysconfig",
};

static bool within(const char *mod, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(mod, prefix, n) == 0 && (mod[n] == '\0' || mod[n] == '.');
}

bool sv_import_stack(const struct pol_policy *p, const struct uw_stack *s)
{
	bool import = false;

	if (s->status != UW_OK || s->inherited)
		return false;
	/* The innermost run of standard-library frames: whoever called it
	 * (a confined module, the application, code a .pth file exec'd) is
	 * importing, and the import system does the reading. A confined
	 * frame (a policy can name a stdlib module) ends the run. */
	for (uint32_t i = 0; i < s->nframes; i++) {
		struct pol_frame f;

		sv_frame_of(s, i, &f);
		if (f.origin != POL_ORIGIN_STDLIB || pol_entry_of(p, &f) != POL_ENTRY_NONE)
			break;
		for (size_t k = 0; k < sizeof(import_modules) / sizeof(import_modules[0]); k++)
			if (within(f.module, import_modules[k]))
				import = true;
	}
	return import;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

bool sv_import_path(const char *path, int flags)
{
	const char *c = path, *last = path;
	bool meta = false;
	size_t n;

	if (!path[0])
		return false;
	/* Walk the components: no "..", and note metadata directories. */
	while (*c) {
		const char *e = strchr(c, '/');
		size_t len = e ? (size_t)(e - c) : strlen(c);

		if (len == 2 && c[0] == '.' && c[1] == '.')
			return false;
		if (e && (ends_with(c, len, ".dist-info") || ends_with(c, len, ".egg-info") ||
			  (len == 11 && memcmp(c, "__pycache__", 11) == 0)))
			meta = true;
		if (len)
			last = c;
		if (!e)
			break;
		c = e + 1;
	}
	if (flags & O_DIRECTORY)
		return true;
	if (meta)
		return true;
	n = strcspn(last, "/");
	if (ends_with(last, n, ".py") || ends_with(last, n, ".pyc") || ends_with(last, n, ".pyw") ||
	    ends_with(last, n, ".so") || ends_with(last, n, ".pth") || ends_with(last, n, ".zip") ||
	    ends_with(last, n, ".egg") || ends_with(last, n, ".whl") || ends_with(last, n, "._pth") ||
	    (n == 10 && memcmp(last, "pyvenv.cfg", 10) == 0) ||
	    (n == 14 && memcmp(last, "pybuilddir.txt", 14) == 0))
		return true;
	return false;
}

bool sv_system_file(const char *path)
{
	static const char *const files[] = { "/etc/localtime", "/dev/null", "/dev/urandom",
					     "/dev/random", "/dev/zero", "/usr/lib/ssl/openssl.cnf",
					     "/etc/ssl/openssl.cnf" };
	static const char *const dirs[] = { "/usr/share/zoneinfo/", "/usr/lib/locale/",
					    "/usr/share/locale/" };

	if (strstr(path, "/../") || strstr(path, "/./"))
		return false;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(path, files[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strncmp(path, dirs[i], strlen(dirs[i])) == 0)
			return true;
	return false;
}

bool sv_library_path(const char *path)
{
	const char *base = strrchr(path, '/'), *so;

	if (strcmp(path, "/etc/ld.so.cache") == 0)
		return true;
	if (strstr(path, "/../") || strncmp(path, "../", 3) == 0)
		return false;
	base = base ? base + 1 : path;
	/* "NAME.so" or "NAME.so.VERSION" */
	for (so = strstr(base, ".so"); so; so = strstr(so + 1, ".so"))
		if (so > base && (so[3] == '\0' || so[3] == '.'))
			return true;
	return false;
}

/* Is @path under @dir (a directory ending in '/')? */
static bool under(const char *path, const char *dir)
{
	return strncmp(path, dir, strlen(dir)) == 0;
}

struct count_arg {
	pid_t tgid;
	unsigned n;
};

static void count_threads(struct sv_task *t, void *arg)
{
	struct count_arg *c = arg;

	if (t->tgid == c->tgid)
		c->n++;
}

bool sv_extension_map(struct sv *sv, pid_t tid, int fd)
{
	const struct sv_task *t = sv_tasks_get(sv->tasks, tid);
	char link[64], path[PATH_MAX], exe[PATH_MAX], prefix[PATH_MAX];
	struct count_arg cnt;
	struct stat st;
	ssize_t n;
	int dup;
	bool ok = false;

	if (!t || fd < 0)
		return false;
	/* Another thread could dup2() a different file onto @fd between our
	 * look and the kernel's: only a single-threaded process gets the
	 * grant. New threads are held by the tracer until we have answered. */
	cnt.tgid = t->tgid;
	cnt.n = 0;
	sv_tasks_foreach(sv->tasks, count_threads, &cnt);
	if (cnt.n != 1)
		return false;
	dup = sv_remote_fd(tid, fd);
	if (dup < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", dup);
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0 && fstat(dup, &st) == 0 && S_ISREG(st.st_mode)) {
		path[n] = '\0';
		ok = under(path, "/usr/lib/") || under(path, "/lib/") || under(path, "/usr/lib64/") ||
		     under(path, "/lib64/") || under(path, "/usr/local/lib/");
		/* The interpreter's own prefix (pyenv, a private build): PREFIX/lib/. */
		snprintf(link, sizeof(link), "/proc/%d/exe", (int)tid);
		n = readlink(link, exe, sizeof(exe) - 1);
		if (!ok && n > 0) {
			char *slash;

			exe[n] = '\0';
			slash = strrchr(exe, '/');
			if (slash) {
				*slash = '\0';
				slash = strrchr(exe, '/');
			}
			if (slash) {
				*slash = '\0';
				if (snprintf(prefix, sizeof(prefix), "%s/lib/", exe) < (int)sizeof(prefix))
					ok = exe[0] && under(path, prefix);
			}
		}
	}
	close(dup);
	/* Third-party extensions live under the same prefixes: they are
	 * native code of a package, which native-code decides. */
	if (ok && (strstr(path, "/site-packages/") || strstr(path, "/dist-packages/")))
		ok = false;
	/* ctypes gives Python code raw access to the process's memory
	 * (ctypes.memmove, string_at) without loading anything else: with
	 * it a module can rewrite its own frames. Loading it is native code,
	 * whoever's import it is. */
	if (ok) {
		const char *base = strrchr(path, '/');

		if (base && strncmp(base + 1, "_ctypes", 7) == 0)
			ok = false;
	}
	return ok;
}
