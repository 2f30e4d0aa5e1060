// SPDX-License-Identifier: MIT
/*
 * fuzz_modname.c - libFuzzer target for uw_modname(): co_filename comes from
 * the sandboxed process, so every byte string must give a well-formed answer.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isupervisor -Iunwinder \
 *       fuzz/fuzz_modname.c unwinder/modname.c -o /tmp/fuzz_modname
 *   /tmp/fuzz_modname -max_len=8192 -max_total_time=180 corpus/
 *
 * The context mixes the layouts that make matching hard: a stdlib with a
 * site-packages inside it (pyenv), Debian's nested dist-packages, a zip on
 * sys.path, and the application directory equal to the cwd (so that every
 * byte of a name comes from the input, which the invariants below check).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct uw_modctx ctx;

static void must(int rc)
{
	if (rc)
		abort();
}

static void build(void)
{
	static const char *const stdlib[] = {
		"/usr/lib/python311.zip", "/usr/lib/python3.11", "/usr/lib/python3.11/lib-dynload",
		"/p/lib/python3.12", "/p/lib/python3.12/lib-dynload",
	};
	static const char *const site[] = {
		"/usr/lib/python3/dist-packages", "/usr/lib/python3.11/dist-packages",
		"/usr/local/lib/python3.11/dist-packages", "/p/lib/python3.12/site-packages",
		"/w/app.zip", "/w/.venv/lib/python3.11/site-packages",
	};

	uw_modctx_init(&ctx);
	for (size_t i = 0; i < sizeof(stdlib) / sizeof(stdlib[0]); i++)
		must(uw_modctx_add_stdlib(&ctx, stdlib[i]));
	for (size_t i = 0; i < sizeof(site) / sizeof(site[0]); i++)
		must(uw_modctx_add_site(&ctx, site[i]));
	must(uw_modctx_set_appdir(&ctx, "/w"));
	must(uw_modctx_set_main(&ctx, "/w/m.py"));
	must(uw_modctx_set_cwd(&ctx, "/w"));
}

static bool dotted_identifiers(const char *s, size_t n)
{
	bool start = true;

	for (size_t i = 0; i < n; i++) {
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

static void check(const uint8_t *data, size_t size, int rc, const struct uw_module *m)
{
	size_t n = strnlen(m->name, sizeof(m->name));
	bool seen[256] = { false };

	if (rc != 0 && rc != -EINVAL && rc != -ENAMETOOLONG)
		abort();
	if ((unsigned int)m->kind >= UW_MOD_KIND_MAX || n == sizeof(m->name))
		abort();
	/* errors, unknown and synthetic carry no name and no flag */
	if (rc && m->kind != UW_MOD_UNKNOWN)
		abort();
	if ((m->kind == UW_MOD_UNKNOWN || m->kind == UW_MOD_SYNTHETIC) && (n != 0 || m->odd))
		abort();
	if (m->kind == UW_MOD_MAIN) {
		if (strcmp(m->name, "__main__") != 0 || m->odd)
			abort();
		return;
	}
	if (m->kind == UW_MOD_UNKNOWN || m->kind == UW_MOD_SYNTHETIC)
		return;
	/* a module has a name; frozen names are always plain identifiers */
	if (n == 0 || (m->kind == UW_MOD_FROZEN && m->odd))
		abort();
	/* never invented: every byte is from the input, or a separator */
	for (size_t i = 0; i < size; i++)
		seen[data[i]] = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)m->name[i];

		if (c == '/' || (c != '.' && !seen[c]))
			abort();
	}
	/* no empty leading component (hidden files are unknown) */
	if (m->name[0] == '.')
		abort();
	/* not odd: exactly a dotted sequence of ASCII identifiers */
	if (!m->odd && !dotted_identifiers(m->name, n))
		abort();
	/* the name covers itself */
	if (!uw_module_within(m->name, m->name))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct uw_module a, b;
	char *copy;
	int rc;

	if (!ready) {
		build();
		ready = true;
	}
	/* an exact-size heap copy: ASan catches any read past @size */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	rc = uw_modname(&ctx, copy, size, &a);
	check(data, size, rc, &a);
	/* deterministic: a pure function of its inputs */
	if (uw_modname(&ctx, copy, size, &b) != rc || a.kind != b.kind || a.odd != b.odd ||
	    strcmp(a.name, b.name) != 0)
		abort();
	free(copy);
	return 0;
}
