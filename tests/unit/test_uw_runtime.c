// SPDX-License-Identifier: MIT
/*
 * Unit tests: /proc/PID/maps parsing, ELF symbols and load bias, and finding
 * CPython's runtime in live interpreters (every one this machine has: Debian's
 * static python3.11, pyenv's shared builds, the trixie/sid 3.13-3.15).
 * Missing interpreters are skipped with a note, and counted by cmocka.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "elfsym.h"
#include "maps.h"
#include "remote.h"
#include "runtime.h"

#define DEB_PY "/usr/bin/python3.11"
#define CACHE_PY "/var/cache/sisup-pythons/bin/python3.%d"
int main(void);

#define SLEEPER "import sys,time; print(1, flush=True); time.sleep(30)"

/* ------------------------------------------------------------------ maps */

struct line_case {
	const char *name, *line;
	bool ok;
	uint64_t start, end, offset, inode;
	unsigned maj, min, prot;
	bool shared, deleted;
	const char *path;
};

#define BAD(n, l) { .name = n, .line = l, .ok = false }
#define R PROT_READ
#define W PROT_WRITE
#define X PROT_EXEC

static const struct line_case line_cases[] = {
	{ "file", "55ccac33c000-55ccac33d000 r--p 00000000 fe:00 18624                      /root/.pyenv/versions/3.11.7/bin/python3.11",
	  true, 0x55ccac33c000, 0x55ccac33d000, 0, 18624, 0xfe, 0, R, false, false,
	  "/root/.pyenv/versions/3.11.7/bin/python3.11" },
	{ "text", "7f7ff64f5000-7f7ff6731000 r-xp 000f5000 fe:00 18834                      /lib/libpython3.11.so.1.0",
	  true, 0x7f7ff64f5000, 0x7f7ff6731000, 0xf5000, 18834, 0xfe, 0, R | X, false, false,
	  "/lib/libpython3.11.so.1.0" },
	{ "anonymous, trailing space", "7f7ff5e39000-7f7ff5e68000 rw-p 00000000 00:00 0 ",
	  true, 0x7f7ff5e39000, 0x7f7ff5e68000, 0, 0, 0, 0, R | W, false, false, NULL },
	{ "anonymous, no space", "7f7ff5e39000-7f7ff5e68000 rw-p 00000000 00:00 0",
	  true, 0x7f7ff5e39000, 0x7f7ff5e68000, 0, 0, 0, 0, R | W, false, false, NULL },
	{ "heap", "555556a3e000-555556a5f000 rw-p 00000000 00:00 0                          [heap]",
	  true, 0x555556a3e000, 0x555556a5f000, 0, 0, 0, 0, R | W, false, false, "[heap]" },
	{ "stack", "7ffd2f4c8000-7ffd2f4e9000 rw-p 00000000 00:00 0                          [stack]",
	  true, 0x7ffd2f4c8000, 0x7ffd2f4e9000, 0, 0, 0, 0, R | W, false, false, "[stack]" },
	{ "vdso", "7ffd2f5f4000-7ffd2f5f6000 r-xp 00000000 00:00 0                          [vdso]",
	  true, 0x7ffd2f5f4000, 0x7ffd2f5f6000, 0, 0, 0, 0, R | X, false, false, "[vdso]" },
	{ "vsyscall", "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]",
	  true, 0xffffffffff600000, 0xffffffffff601000, 0, 0, 0, 0, X, false, false, "[vsyscall]" },
	{ "no access", "7f0000000000-7f0000200000 ---p 00000000 00:00 0 ",
	  true, 0x7f0000000000, 0x7f0000200000, 0, 0, 0, 0, 0, false, false, NULL },
	{ "deleted", "7f1000000000-7f1000001000 r--p 00002000 08:01 1234                       /tmp/x/python3.11 (deleted)",
	  true, 0x7f1000000000, 0x7f1000001000, 0x2000, 1234, 8, 1, R, false, true, "/tmp/x/python3.11" },
	{ "memfd shared", "7f1000000000-7f1000001000 rw-s 00000000 00:01 77                         /memfd:jit (deleted)",
	  true, 0x7f1000000000, 0x7f1000001000, 0, 77, 0, 1, R | W, true, true, "/memfd:jit" },
	{ "spaces in path", "7f1000000000-7f1000001000 r--p 00000000 fe:00 5   /srv/my dir/lib  python3.so",
	  true, 0x7f1000000000, 0x7f1000001000, 0, 5, 0xfe, 0, R, false, false, "/srv/my dir/lib  python3.so" },
	{ "escaped newline kept", "7f1000000000-7f1000001000 r--p 00000000 fe:00 5 /tmp/a\\012b",
	  true, 0x7f1000000000, 0x7f1000001000, 0, 5, 0xfe, 0, R, false, false, "/tmp/a\\012b" },
	{ "big dev, 64-bit offset", "1000-2000 r--s 123456789abcdef0 103:fffff 18446744073709551615 /dev/x",
	  true, 0x1000, 0x2000, 0x123456789abcdef0, UINT64_MAX, 0x103, 0xfffff, R, true, false, "/dev/x" },
	{ "anon_inode", "7f1000000000-7f1000001000 rw-s 00000000 00:0e 1045   anon_inode:[io_uring]",
	  true, 0x7f1000000000, 0x7f1000001000, 0, 1045, 0, 0xe, R | W, true, false, "anon_inode:[io_uring]" },
	{ "deleted suffix only part", "1000-2000 r--p 00000000 00:00 0 (deleted)",
	  true, 0x1000, 0x2000, 0, 0, 0, 0, R, false, false, "(deleted)" },
	BAD("empty", ""),
	BAD("garbage", "hello world"),
	BAD("start == end", "2000-2000 r--p 00000000 00:00 0"),
	BAD("start > end", "3000-2000 r--p 00000000 00:00 0"),
	BAD("no dash", "1000 2000 r--p 00000000 00:00 0"),
	BAD("17 hex digits", "10000000000000000-20000000000000000 r--p 00000000 00:00 0"),
	BAD("bad perms", "1000-2000 rwzp 00000000 00:00 0"),
	BAD("short perms", "1000-2000 rw"),
	BAD("no offset", "1000-2000 r--p  00:00 0"),
	BAD("major overflow", "1000-2000 r--p 00000000 1000:00 0"),
	BAD("minor overflow", "1000-2000 r--p 00000000 00:100000 0"),
	BAD("no inode", "1000-2000 r--p 00000000 00:00 "),
	BAD("inode overflow", "1000-2000 r--p 00000000 00:00 18446744073709551616 /x"),
	BAD("inode glued to path", "1000-2000 r--p 00000000 00:00 12/x"),
	BAD("tab separated", "1000-2000\tr--p 00000000 00:00 0"),
};

static void maps_line_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		const struct line_case *c = &line_cases[i];
		struct uw_maps *maps;
		const struct uw_mapping *m;
		bool good;

		assert_int_equal(uw_maps_parse(c->line, strlen(c->line), &maps), 0);
		m = uw_maps_entries(maps);
		good = uw_maps_count(maps) == (c->ok ? 1u : 0u);
		if (good && c->ok)
			good = m->start == c->start && m->end == c->end && m->offset == c->offset &&
			       m->inode == c->inode && m->dev_major == c->maj &&
			       m->dev_minor == c->min && m->prot == c->prot &&
			       m->shared == c->shared && m->deleted == c->deleted &&
			       (c->path ? m->path && !strcmp(m->path, c->path) : !m->path) &&
			       uw_maps_find(maps, c->start) == m &&
			       uw_maps_find(maps, c->end - 1) == m && !uw_maps_find(maps, c->end);
		if (!good)
			fail_msg("maps line case \"%s\"", c->name);
		uw_maps_free(maps);
	}
}

static void maps_odd_bytes(void **state)
{
	/* a NUL inside the path would truncate it: the line is dropped */
	static const char nul[] = "1000-2000 r--p 00000000 00:00 5 /a\0b\n3000-4000 r--p 00000000 00:00 0\n";
	char *longp;
	struct uw_maps *maps;
	size_t n;

	(void)state;
	assert_int_equal(uw_maps_parse(nul, sizeof(nul) - 1, &maps), 0);
	assert_int_equal(uw_maps_count(maps), 1);
	assert_true(uw_maps_entries(maps)[0].start == 0x3000);
	uw_maps_free(maps);

	/* a path of PATH_MAX - 1 bytes is kept, PATH_MAX is not */
	longp = malloc(PATH_MAX + 128);
	assert_non_null(longp);
	for (int len = PATH_MAX - 1; len <= PATH_MAX; len++) {
		n = (size_t)snprintf(longp, 64, "1000-2000 r--p 00000000 00:00 5 /");
		memset(longp + n, 'a', (size_t)len - 1);
		n += (size_t)len - 1;
		assert_int_equal(uw_maps_parse(longp, n, &maps), 0);
		assert_int_equal(uw_maps_count(maps), len < PATH_MAX ? 1 : 0);
		if (len < PATH_MAX)
			assert_int_equal(strlen(uw_maps_entries(maps)[0].path), PATH_MAX - 1);
		uw_maps_free(maps);
	}
	free(longp);

	/* no trailing newline, CRLF, blank lines, unsorted and overlapping input */
	{
		static const char t[] = "\n\n5000-6000 r--p 00000000 00:00 0 /five\r\n"
					"1000-2000 r--p 00000000 00:00 0 /one\n"
					"1800-2800 r--p 00000000 00:00 0 /overlap\n"
					"3000-4000 r--p 00000000 00:00 0 /three";
		const struct uw_mapping *v;

		assert_int_equal(uw_maps_parse(t, sizeof(t) - 1, &maps), 0);
		assert_int_equal(uw_maps_count(maps), 3);
		v = uw_maps_entries(maps);
		assert_string_equal(v[0].path, "/one");
		assert_string_equal(v[1].path, "/three");
		assert_string_equal(v[2].path, "/five\r");
		assert_null(uw_maps_find(maps, 0xfff));
		assert_null(uw_maps_find(maps, 0x2000));
		assert_null(uw_maps_find(maps, 0x4000));
		assert_ptr_equal(uw_maps_find(maps, 0x3fff), &v[1]);
		assert_null(uw_maps_find(maps, UINT64_MAX));
		uw_maps_free(maps);
	}
	assert_int_equal(uw_maps_parse("", 0, &maps), 0);
	assert_int_equal(uw_maps_count(maps), 0);
	assert_null(uw_maps_find(maps, 0));
	uw_maps_free(maps);
	uw_maps_free(NULL);
}

/* Build @n lines of maps text, one page each with a gap between them. */
static char *make_lines(size_t n, size_t *len)
{
	size_t cap = n * 96 + 1, off = 0;
	char *t = malloc(cap);

	assert_non_null(t);
	for (size_t i = 0; i < n; i++) {
		uint64_t s = 0x10000000ull + (uint64_t)i * 0x2000;

		off += (size_t)snprintf(t + off, cap - off,
					"%llx-%llx r-xp %08llx fe:01 %zu    /usr/lib/lib%zu.so\n",
					(unsigned long long)s, (unsigned long long)s + 0x1000,
					(unsigned long long)(i * 0x1000), i + 1, i % 97);
	}
	*len = off;
	return t;
}

static void maps_many_lines(void **state)
{
	struct uw_maps *maps;
	size_t len;
	char *t = make_lines(10000, &len);

	(void)state;
	assert_int_equal(uw_maps_parse(t, len, &maps), 0);
	assert_int_equal(uw_maps_count(maps), 10000);
	for (size_t i = 0; i < 10000; i += 7) {
		uint64_t s = 0x10000000ull + (uint64_t)i * 0x2000;
		const struct uw_mapping *m = uw_maps_find(maps, s + 0x800);

		assert_non_null(m);
		assert_true(m->start == s && m->inode == i + 1);
		assert_null(uw_maps_find(maps, s + 0x1000));	/* the gap */
	}
	uw_maps_free(maps);
	free(t);

	/* over the cap: refused as a whole, not truncated */
	t = make_lines(UW_MAPS_MAX + 1, &len);
	assert_int_equal(uw_maps_parse(t, len, &maps), -E2BIG);
	assert_null(maps);
	assert_int_equal(uw_maps_parse(t, len - 1, &maps), -E2BIG);
	free(t);
	t = make_lines(UW_MAPS_MAX, &len);
	assert_int_equal(uw_maps_parse(t, len, &maps), 0);
	assert_int_equal(uw_maps_count(maps), UW_MAPS_MAX);
	uw_maps_free(maps);
	free(t);
}

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Whatever the bytes, the result is sorted, disjoint and bounded. */
static void check_invariants(const struct uw_maps *maps)
{
	const struct uw_mapping *v = uw_maps_entries(maps);

	for (size_t i = 0; i < uw_maps_count(maps); i++) {
		assert_true(v[i].start < v[i].end);
		if (i > 0)
			assert_true(v[i - 1].end <= v[i].start);
		if (v[i].path)
			assert_true(strlen(v[i].path) < PATH_MAX);
		assert_ptr_equal(uw_maps_find(maps, v[i].start), &v[i]);
	}
}

static void maps_garbage(void **state)
{
	uint32_t seed = 0x9e3779b9;
	size_t len;
	char *valid = make_lines(200, &len), *buf = malloc(1 << 20);
	struct uw_maps *maps;

	(void)state;
	assert_non_null(buf);
	/* pure noise, biased towards the characters the format uses */
	for (int round = 0; round < 20; round++) {
		static const char alphabet[] = "0123456789abcdef- :\nrwxps/[] ()deleted";

		for (size_t i = 0; i < (1 << 20); i++) {
			uint32_t r = rnd(&seed);

			buf[i] = (r & 1) ? (char)(r >> 8) : alphabet[(r >> 8) % (sizeof(alphabet) - 1)];
		}
		assert_int_equal(uw_maps_parse(buf, 1 << 20, &maps), 0);
		check_invariants(maps);
		uw_maps_free(maps);
	}
	/* valid text with a few bytes changed */
	for (int round = 0; round < 2000; round++) {
		memcpy(buf, valid, len);
		for (int k = 0; k < 8; k++)
			buf[rnd(&seed) % len] = (char)rnd(&seed);
		assert_int_equal(uw_maps_parse(buf, len, &maps), 0);
		assert_true(uw_maps_count(maps) <= 200);
		check_invariants(maps);
		uw_maps_free(maps);
	}
	free(buf);
	free(valid);
}

static void maps_of_self(void **state)
{
	struct uw_maps *maps;
	const struct uw_mapping *m;
	struct stat st;
	int local = 0;
	pid_t dead;

	(void)state;
	assert_int_equal(uw_maps_read(getpid(), &maps), 0);
	assert_true(uw_maps_count(maps) > 5);
	check_invariants(maps);
	m = uw_maps_find(maps, (uint64_t)(uintptr_t)main);
	assert_non_null(m);
	assert_true(m->prot & PROT_EXEC);
	assert_int_equal(stat("/proc/self/exe", &st), 0);
	assert_true(m->inode == st.st_ino && m->dev_major == major(st.st_dev) &&
		    m->dev_minor == minor(st.st_dev));
	m = uw_maps_find(maps, (uint64_t)(uintptr_t)&local);
	assert_non_null(m);
	/* ASan may move locals to a fake stack in an anonymous mapping */
	assert_true(m->prot & PROT_WRITE);
	uw_maps_free(maps);

	dead = fork();
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	assert_int_equal(uw_maps_read(dead, &maps), -ESRCH);
	assert_null(maps);
	assert_int_equal(uw_maps_read(0, &maps), -EINVAL);
}

/* ------------------------------------------------------------------ ELF */

static bool exists(const char *p)
{
	return access(p, X_OK) == 0;
}

/* The build id found by scanning the raw bytes for a GNU build-id note. */
static bool raw_build_id(const char *path, uint8_t id[20])
{
	static const uint8_t hdr[16] = { 4, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0 };
	uint8_t buf[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf), f);	/* the note sits right after the headers */
	fclose(f);
	for (size_t i = 0; i + 36 <= n; i += 4) {
		if (!memcmp(buf + i, hdr, sizeof(hdr))) {
			memcpy(id, buf + i + 16, 20);
			return true;
		}
	}
	return false;
}

static void elf_debian_static(void **state)
{
	struct uw_elf *e;
	uint64_t v, s, a, sz, vaddr;
	uint8_t id[UW_ELF_BUILD_ID_MAX], raw[20];
	size_t len;

	(void)state;
	if (!exists(DEB_PY)) {
		print_message("  note: %s missing, skipped\n", DEB_PY);
		skip();
	}
	assert_int_equal(uw_elf_open_path(DEB_PY, &e), 0);
	assert_int_equal(uw_elf_is_exec(e), 1);			/* non-PIE */
	assert_int_equal(uw_elf_symbol(e, "_PyRuntime", &v, &s), 0);
	assert_int_equal(uw_elf_section(e, ".PyRuntime", &a, &sz), 0);
	assert_true(v == a && s == sz && s > 0);
	assert_int_equal(uw_elf_section(e, ".symtab", &a, NULL), -ENOENT);	/* stripped */
	assert_int_equal(uw_elf_symbol(e, "PyCode_Type", &v, NULL), 0);
	assert_int_equal(uw_elf_symbol(e, "Py_Version", &v, &s), 0);
	assert_int_equal(s, 8);						/* const unsigned long */
	assert_int_equal(uw_elf_symbol(e, "no_such_symbol_anywhere", &v, &s), -ENOENT);
	assert_int_equal(uw_elf_symbol(e, "_PyRuntim", &v, &s), -ENOENT);	/* no prefix match */
	assert_int_equal(uw_elf_first_load_vaddr(e, &vaddr), 0);
	assert_true(vaddr == 0x400000);
	assert_int_equal(uw_elf_needs(e, "libpython3."), 0);
	assert_int_equal(uw_elf_needs(e, "libc.so"), 1);
	assert_int_equal(uw_elf_build_id(e, id, sizeof(id), &len), 0);
	assert_int_equal(len, 20);
	assert_true(raw_build_id(DEB_PY, raw));
	assert_memory_equal(id, raw, 20);
	assert_int_equal(uw_elf_build_id(e, id, 4, &len), -ENOSPC);
	uw_elf_close(e);
	uw_elf_close(NULL);
}

/* The newest pyenv 3.@minor executable, into @out. */
static bool pyenv_python(int minor, char *out, size_t cap)
{
	const char *root = getenv("PYENV_ROOT"), *home = getenv("HOME");
	char pat[PATH_MAX];
	glob_t g;
	bool ok = false;

	if (root && *root)
		snprintf(pat, sizeof(pat), "%s/versions/3.%d.*/bin/python3.%d", root, minor, minor);
	else
		snprintf(pat, sizeof(pat), "%s/.pyenv/versions/3.%d.*/bin/python3.%d",
			 home && *home ? home : "/root", minor, minor);
	if (glob(pat, 0, NULL, &g) == 0 && g.gl_pathc > 0) {
		/* glob sorts; 3.8.9 < 3.8.18 lexically is wrong but harmless here */
		snprintf(out, cap, "%s", g.gl_pathv[g.gl_pathc - 1]);
		ok = exists(out);
	}
	globfree(&g);
	return ok;
}

static void elf_pyenv_shared(void **state)
{
	char py[PATH_MAX], lib[PATH_MAX + 32];
	struct uw_elf *e;
	uint64_t v, s, vaddr;

	(void)state;
	if (!pyenv_python(12, py, sizeof(py))) {
		print_message("  note: no pyenv 3.12, skipped\n");
		skip();
	}
	assert_int_equal(uw_elf_open_path(py, &e), 0);
	assert_int_equal(uw_elf_is_exec(e), 0);				/* PIE */
	assert_int_equal(uw_elf_needs(e, "libpython3.12"), 1);
	assert_int_equal(uw_elf_symbol(e, "_PyRuntime", &v, &s), -ENOENT);
	uw_elf_close(e);
	snprintf(lib, sizeof(lib), "%.*s/../lib/libpython3.12.so.1.0",
		 (int)(strrchr(py, '/') - py), py);
	assert_int_equal(uw_elf_open_path(lib, &e), 0);
	assert_int_equal(uw_elf_symbol(e, "_PyRuntime", &v, &s), 0);
	assert_true(v > 0 && s > 0);
	/* only in .symtab (static function): the second table is searched */
	assert_int_equal(uw_elf_symbol(e, "frame_dealloc", &v, &s), 0);
	assert_true(v > 0 && s > 0);
	assert_int_equal(uw_elf_first_load_vaddr(e, &vaddr), 0);
	assert_true(vaddr == 0);
	uw_elf_close(e);
}

/* A file mapped twice: the lowest offset-0 mapping of the same dev+inode wins. */
static void elf_bias_rules(void **state)
{
	struct uw_elf *e;
	struct uw_maps *maps;
	struct stat st;
	uint64_t bias;
	char text[1024];
	int n;

	(void)state;
	if (!exists(DEB_PY))
		skip();
	assert_int_equal(stat(DEB_PY, &st), 0);
	n = snprintf(text, sizeof(text),
		     "7f0000000000-7f0000001000 r--p 00000000 %x:%x %lu /x\n"	/* highest */
		     "500000-501000 r--p 00001000 %x:%x %lu /x\n"		/* offset != 0 */
		     "600000-601000 r--p 00000000 %x:%x %lu /x\n"		/* other dev */
		     "700000-701000 r--p 00000000 %x:%x %lu /x\n"		/* other inode */
		     "10000000-10001000 r--p 00000000 %x:%x %lu /x\n",	/* the lowest match */
		     major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino,
		     major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino,
		     major(st.st_dev) + 1, minor(st.st_dev), (unsigned long)st.st_ino,
		     major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino + 1,
		     major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
	assert_int_equal(uw_maps_parse(text, (size_t)n, &maps), 0);
	assert_int_equal(uw_elf_open_path(DEB_PY, &e), 0);
	assert_int_equal(uw_elf_load_bias(e, maps, &bias), 0);
	assert_true(bias == 0x10000000 - 0x400000);
	uw_maps_free(maps);
	assert_int_equal(uw_maps_parse(text, 0, &maps), 0);
	assert_int_equal(uw_elf_load_bias(e, maps, &bias), -ENOENT);
	uw_maps_free(maps);
	uw_elf_close(e);
}

/* Our own executable, opened through our own mappings: bias + st_value(main) == main. */
static void elf_self_bias(void **state)
{
	struct uw_maps *maps;
	const struct uw_mapping *m;
	struct uw_mapping fake;
	struct uw_elf *e;
	uint64_t bias, v;

	(void)state;
	assert_int_equal(uw_maps_read(getpid(), &maps), 0);
	m = uw_maps_find(maps, (uint64_t)(uintptr_t)main);
	assert_non_null(m);
	assert_int_equal(uw_elf_open_mapping(getpid(), m, &e), 0);
	assert_int_equal(uw_elf_load_bias(e, maps, &bias), 0);
	assert_int_equal(uw_elf_symbol(e, "main", &v, NULL), 0);
	assert_true(bias + v == (uint64_t)(uintptr_t)main);
	uw_elf_close(e);

	/* a mapping record that names another inode: refused, not "close enough" */
	fake = *m;
	fake.inode++;
	assert_int_equal(uw_elf_open_mapping(getpid(), &fake, &e), -ESTALE);
	assert_null(e);
	fake = *m;
	fake.path = NULL;
	assert_int_equal(uw_elf_open_mapping(getpid(), &fake, &e), -EINVAL);
	uw_maps_free(maps);
}

static int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t w;

	if (fd < 0)
		return -errno;
	w = write(fd, buf, len);
	close(fd);
	return w == (ssize_t)len ? 0 : -EIO;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size);
	if (buf && read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* Exercise every reader on one file; only the absence of crashes and
 * of positive return values is checked. Returns whether it opened. */
static int poke_elf(const char *path, const struct uw_maps *maps)
{
	struct uw_elf *e;
	uint64_t a, b;
	uint8_t id[UW_ELF_BUILD_ID_MAX];
	size_t len;
	int err = uw_elf_open_path(path, &e);

	assert_true(err <= 0);
	if (err)
		return 0;
	assert_true(uw_elf_symbol(e, "main", &a, &b) <= 0);
	assert_true(uw_elf_symbol(e, "_init", &a, &b) <= 0);
	assert_true(uw_elf_section(e, ".text", &a, &b) <= 0);
	assert_true(uw_elf_section(e, ".PyRuntime", &a, &b) <= 0);
	assert_true(uw_elf_first_load_vaddr(e, &a) <= 0);
	assert_true(uw_elf_load_bias(e, maps, &a) <= 0);
	assert_true(uw_elf_build_id(e, id, sizeof(id), &len) <= 0);
	assert_true(uw_elf_needs(e, "libc") >= 0);
	uw_elf_close(e);
	return 1;
}

static void elf_hostile_files(void **state)
{
	char dir[] = "/tmp/uw_elf_XXXXXX", path[64], fifo[64];
	size_t len;
	uint8_t *orig = slurp("/bin/true", &len), *buf;
	struct uw_maps *maps;
	uint32_t seed = 12345;
	struct uw_elf *e;
	int opened = 0;

	(void)state;
	assert_non_null(orig);
	assert_true(len > 4096);
	buf = malloc(len);
	assert_non_null(buf);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(uw_maps_read(getpid(), &maps), 0);

	/* not ELF at all, empty, truncated, a FIFO (must not block), a directory */
	assert_int_equal(write_file(path, "#!/bin/sh\n", 10), 0);
	assert_int_equal(uw_elf_open_path(path, &e), -ENOEXEC);
	assert_int_equal(write_file(path, "", 0), 0);
	assert_int_equal(uw_elf_open_path(path, &e), -ENOEXEC);
	for (size_t cut = 1; cut < 512; cut += 13) {
		assert_int_equal(write_file(path, orig, cut), 0);
		poke_elf(path, maps);
	}
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(uw_elf_open_path(fifo, &e), -ESTALE);
	assert_int_equal(uw_elf_open_path(dir, &e), -ESTALE);
	assert_int_equal(uw_elf_open_path("/nonexistent/x", &e), -ENOENT);

	/* no section headers at all: the build id still comes from PT_NOTE */
	{
		uint8_t id[UW_ELF_BUILD_ID_MAX], raw[20];
		size_t idlen;
		uint64_t v;

		assert_true(raw_build_id("/bin/true", raw));
		memcpy(buf, orig, len);
		memset(buf + 0x28, 0, 8);	/* e_shoff */
		memset(buf + 0x3c, 0, 4);	/* e_shnum, e_shstrndx */
		assert_int_equal(write_file(path, buf, len), 0);
		assert_int_equal(uw_elf_open_path(path, &e), 0);
		assert_int_equal(uw_elf_symbol(e, "_init", &v, NULL), -ENOENT);
		assert_int_equal(uw_elf_build_id(e, id, sizeof(id), &idlen), 0);
		assert_int_equal(idlen, 20);
		assert_memory_equal(id, raw, 20);
		uw_elf_close(e);
	}

	/* random damage to the ELF header, program headers and section headers */
	for (int round = 0; round < 600; round++) {
		uint64_t shoff;

		memcpy(buf, orig, len);
		memcpy(&shoff, orig + 0x28, sizeof(shoff));
		for (int k = 0; k < 1 + (int)(rnd(&seed) % 6); k++) {
			size_t where;

			switch (rnd(&seed) % 3) {
			case 0:
				where = rnd(&seed) % 64;
				break;
			case 1:
				where = 64 + rnd(&seed) % (13 * 56);
				break;
			default:
				where = shoff < len ? (size_t)shoff + rnd(&seed) % (len - (size_t)shoff)
						    : rnd(&seed) % len;
			}
			if (where < len)
				buf[where] = (uint8_t)rnd(&seed);
		}
		assert_int_equal(write_file(path, buf, len), 0);
		opened += poke_elf(path, maps);
	}
	/* the damage must leave enough files libelf accepts to test our checks */
	print_message("  %d of 600 damaged files opened\n", opened);
	assert_true(opened > 100);
	uw_maps_free(maps);
	unlink(path);
	unlink(fifo);
	rmdir(dir);
	free(buf);
	free(orig);
}

/* ------------------------------------------------------------------ live */

static pid_t g_child;

static void reap(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
	}
	*pid = 0;
}

static int teardown_child(void **state)
{
	(void)state;
	reap(&g_child);
	return 0;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n++;
	closedir(d);
	return n;
}

/* Read a line from @fd into @buf within @ms milliseconds. */
static bool read_line(int fd, char *buf, size_t cap, int ms)
{
	size_t n = 0;

	while (n + 1 < cap) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;

		if (poll(&p, 1, ms) <= 0)
			return false;
		r = read(fd, buf + n, 1);
		if (r <= 0)
			return false;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	return true;
}

/*
 * Start @argv[0] with stdout on a pipe. With @wait_line, return once it has
 * printed a line (into @line); otherwise once exec has happened.
 */
static pid_t spawn(char *const argv[], bool wait_line, char *line, size_t cap)
{
	int out[2], ex[2];
	pid_t pid;
	char c;

	if (pipe2(out, O_CLOEXEC) || pipe2(ex, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		execv(argv[0], argv);
		(void)!write(ex[1], "x", 1);
		_exit(127);
	}
	close(out[1]);
	close(ex[1]);
	/* EOF on the exec pipe: CLOEXEC closed it, the new image runs */
	if (pid > 0 && read(ex[0], &c, 1) != 0) {
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	if (pid > 0 && wait_line && !read_line(out[0], line, cap, 20000)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(out[0]);
	close(ex[0]);
	return pid;
}

struct pyinfo {
	int major, minor;
	unsigned long hex;
};

static bool ask_version(const char *py, struct pyinfo *pi)
{
	char *argv[] = { (char *)py, (char *)"-c",
			 (char *)"import sys;print(*sys.version_info[:2], sys.hexversion)", NULL };
	char line[128];
	pid_t pid = spawn(argv, true, line, sizeof(line));

	if (pid <= 0)
		return false;
	waitpid(pid, NULL, 0);
	return sscanf(line, "%d %d %lu", &pi->major, &pi->minor, &pi->hex) == 3;
}

/* The mapping holding @addr belongs to the file with @st, or is the anonymous
 * .bss right after that file's last mapping (3.8/3.9 keep _PyRuntime there). */
static bool in_file(const struct uw_maps *maps, uint64_t addr, const struct stat *st)
{
	const struct uw_mapping *m = uw_maps_find(maps, addr), *prev;

	if (!m)
		return false;
	if (m->inode == 0 && m > uw_maps_entries(maps)) {
		prev = m - 1;
		if (prev->end != m->start)
			return false;
		m = prev;
	}
	return m->inode == st->st_ino && m->dev_major == major(st->st_dev) &&
	       m->dev_minor == minor(st->st_dev);
}

/*
 * Follow _PyRuntime -> first interpreter -> its first thread state, and check
 * that the thread state points back at the interpreter. Offsets from
 * ../shared/notes/cpython.md (3.13+: from the debug offsets themselves).
 */
static void check_runtime_walk(struct uw_mem *mem, const struct uw_runtime *rt)
{
	uint64_t interp = 0, tstate = 0, back = 0, head_off, threads_off;

	if (rt->minor >= 13) {
		assert_int_equal(uw_mem_read(mem, rt->runtime_addr + 40, &head_off, 8), 0);
		assert_int_equal(uw_mem_read(mem, rt->runtime_addr + 72, &threads_off, 8), 0);
	} else {
		head_off = rt->minor <= 10 ? 32 : 40;
		threads_off = rt->minor <= 10 ? 8 : rt->minor == 11 ? 16 : 72;
	}
	assert_true(head_off < rt->runtime_size);
	assert_int_equal(uw_mem_read(mem, rt->runtime_addr + head_off, &interp, 8), 0);
	assert_true(interp != 0);
	assert_int_equal(uw_mem_read(mem, interp + threads_off, &tstate, 8), 0);
	assert_true(tstate != 0);
	assert_int_equal(uw_mem_read(mem, tstate + 16, &back, 8), 0);
	assert_true(back == interp);
}

struct live {
	const char *label;
	int source;		/* 0 Debian, 1 pyenv, 2 trixie/sid cache */
	int minor;
};

static bool live_path(const struct live *l, char *py, size_t cap)
{
	switch (l->source) {
	case 0:
		snprintf(py, cap, "/usr/bin/python3.%d", l->minor);
		return exists(py);
	case 1:
		return pyenv_python(l->minor, py, cap);
	default:
		snprintf(py, cap, CACHE_PY, l->minor);
		return exists(py);
	}
}

static void live_interpreter(void **state)
{
	const struct live *l = *state;
	char py[PATH_MAX], line[64], *argv[] = { py, (char *)"-c", (char *)SLEEPER, NULL };
	struct pyinfo pi;
	struct uw_runtime rt;
	struct uw_maps *maps;
	struct uw_mem *mem;
	struct uw_elf *e;
	struct stat st;
	int fds, err, pie;

	if (!live_path(l, py, sizeof(py))) {
		print_message("  note: %s missing, skipped\n", l->label);
		skip();
	}
	assert_true(ask_version(py, &pi));
	assert_int_equal(pi.major, 3);
	assert_int_equal(pi.minor, l->minor);
	assert_int_equal(uw_elf_open_path(py, &e), 0);
	pie = !uw_elf_is_exec(e);
	uw_elf_close(e);

	g_child = spawn(argv, true, line, sizeof(line));
	assert_true(g_child > 0);
	assert_string_equal(line, "1");
	mem = uw_mem_new(g_child);
	assert_non_null(mem);
	fds = count_fds();
	err = uw_runtime_find(g_child, mem, &rt);
	assert_int_equal(count_fds(), fds);		/* every libelf handle closed */
	if (l->minor < UW_PY_MINOR_MIN) {
		print_message("  %s: %s -> %d (%s), %d.%d\n", l->label, py, err, strerror(-err),
			      rt.major, rt.minor);
		assert_int_equal(err, -ENOTSUP);
		assert_int_equal(rt.major, pi.major);
		assert_int_equal(rt.minor, pi.minor);
		uw_mem_free(mem);
		reap(&g_child);
		return;
	}
	assert_int_equal(err, 0);
	print_message("  %s: %s (%s) runtime %#llx+%#llx in %s bias %#llx, PyCode_Type %#llx, "
		      "eval %#llx+%llu, version %#x, debug_offsets %d, free_threaded %d\n",
		      l->label, py, pie ? "PIE" : "non-PIE",
		      (unsigned long long)rt.runtime_addr, (unsigned long long)rt.runtime_size,
		      rt.path, (unsigned long long)rt.bias, (unsigned long long)rt.pycode_type,
		      (unsigned long long)rt.eval_frame_addr, (unsigned long long)rt.eval_frame_size,
		      rt.version_hex, rt.debug_offsets, rt.free_threaded);
	assert_int_equal(rt.major, pi.major);
	assert_int_equal(rt.minor, pi.minor);
	assert_int_equal(rt.debug_offsets, pi.minor >= 13);
	assert_false(rt.free_threaded);
	if (pi.minor >= 11)
		assert_int_equal(rt.version_hex, pi.hex);
	else
		assert_int_equal(rt.version_hex, 0);

	/* the right file: libpython for shared builds, the executable otherwise */
	assert_int_equal(uw_elf_open_path(py, &e), 0);
	if (uw_elf_needs(e, "libpython3.") == 1) {
		char want[32];

		snprintf(want, sizeof(want), "libpython3.%d.so", pi.minor);
		assert_non_null(strstr(rt.path, want));
		assert_true(rt.bias != 0);
	} else {
		struct stat pst, rst;

		assert_int_equal(stat(py, &pst), 0);
		assert_int_equal(stat(rt.path, &rst), 0);
		assert_true(pst.st_ino == rst.st_ino);
		assert_true(pie ? rt.bias != 0 : rt.bias == 0);
	}
	uw_elf_close(e);
	assert_int_equal(stat(rt.path, &st), 0);
	assert_int_equal(uw_maps_read(g_child, &maps), 0);
	assert_true(rt.runtime_addr != 0 && rt.runtime_size > 0);
	assert_true(in_file(maps, rt.runtime_addr, &st));
	assert_true(in_file(maps, rt.pycode_type, &st));
	assert_true(rt.eval_frame_addr != 0 && rt.eval_frame_size > 0);
	assert_true(in_file(maps, rt.eval_frame_addr, &st));
	assert_true(uw_maps_find(maps, rt.eval_frame_addr)->prot & PROT_EXEC);
	uw_maps_free(maps);
	check_runtime_walk(mem, &rt);
	assert_int_equal(uw_runtime_find(g_child, NULL, &rt), -EINVAL);
	assert_int_equal(rt.major, 0);
	uw_mem_free(mem);
	reap(&g_child);
}

static void live_not_python(void **state)
{
	char *argv[] = { (char *)"/bin/sleep", (char *)"30", NULL };
	struct uw_runtime rt;
	struct uw_mem *mem;

	(void)state;
	g_child = spawn(argv, false, NULL, 0);
	assert_true(g_child > 0);
	mem = uw_mem_new(g_child);
	assert_int_equal(uw_runtime_find(g_child, mem, &rt), -ENOENT);
	uw_mem_free(mem);
	reap(&g_child);
}

static void live_gone(void **state)
{
	struct uw_runtime rt;
	struct uw_mem *mem;
	pid_t pid = fork();

	(void)state;
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	/* a zombie first (no address space left), then no process at all */
	{
		siginfo_t si;

		assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
	}
	mem = uw_mem_new(pid);
	assert_int_equal(uw_runtime_find(pid, mem, &rt), -ESRCH);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(uw_runtime_find(pid, mem, &rt), -ESRCH);
	uw_mem_free(mem);
}

/* Right after exec, before ld.so ran: a shared build says "not yet". */
static void live_at_exec(void **state)
{
	char py[PATH_MAX];
	const char *which[2] = { NULL, DEB_PY };
	int want[2] = { -EAGAIN, 0 };

	(void)state;
	if (pyenv_python(12, py, sizeof(py)))
		which[0] = py;
	for (int i = 0; i < 2; i++) {
		struct uw_runtime rt;
		struct uw_mem *mem;
		int st;

		if (!which[i] || !exists(which[i])) {
			print_message("  note: no %s, skipped\n", i ? DEB_PY : "pyenv 3.12");
			continue;
		}
		g_child = fork();
		assert_true(g_child >= 0);
		if (g_child == 0) {
			if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
				_exit(99);
			execl(which[i], which[i], "-c", "pass", (char *)NULL);
			_exit(98);
		}
		assert_int_equal(waitpid(g_child, &st, 0), g_child);
		if (!WIFSTOPPED(st)) {
			g_child = 0;
			print_message("  note: ptrace unavailable, skipped\n");
			skip();
		}
		mem = uw_mem_new(g_child);
		assert_int_equal(uw_runtime_find(g_child, mem, &rt), want[i]);
		if (want[i] == 0)
			assert_int_equal(rt.minor, 11);
		uw_mem_free(mem);
		reap(&g_child);
	}
}

/* Drop CAP_SYS_ADMIN and CAP_CHECKPOINT_RESTORE: /proc/PID/map_files is closed. */
static int drop_map_files_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) != 0)
		return -errno;
	d[0].effective &= ~(1u << CAP_SYS_ADMIN);
	d[1].effective &= ~(1u << (40 - 32));	/* CAP_CHECKPOINT_RESTORE */
	return syscall(SYS_capset, &h, d) == 0 ? 0 : -errno;
}

/* uw_runtime_find in a child without map_files access; returns its result. */
static int find_without_map_files(pid_t target)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		struct uw_runtime rt;
		struct uw_mem *mem = uw_mem_new(target);
		char fn[64];
		int fd;

		if (drop_map_files_caps() != 0)
			_exit(200);
		uw_runtime_forget(); /* the parent's cached facts would hide the open */
		/* make sure the fallback is what gets tested */
		snprintf(fn, sizeof(fn), "/proc/%d/map_files", (int)target);
		{
			DIR *d = opendir(fn);
			struct dirent *de;
			char link[384];

			while (d && (de = readdir(d))) {
				if (de->d_name[0] == '.')
					continue;
				snprintf(link, sizeof(link), "%s/%s", fn, de->d_name);
				fd = open(link, O_PATH);
				if (fd >= 0)
					_exit(201);
				break;
			}
			if (d)
				closedir(d);
		}
		_exit(-uw_runtime_find(target, mem, &rt));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1000;
	return -WEXITSTATUS(st);
}

static int copy_file(const char *from, const char *to)
{
	size_t len;
	uint8_t *b = slurp(from, &len);
	int err;

	if (!b)
		return -EIO;
	err = write_file(to, b, len);
	free(b);
	return err ? err : chmod(to, 0700);
}

/* A deleted and a replaced executable: map_files finds the mapped file, the
 * path fallback finds nothing or a different inode and refuses it. */
static void live_deleted_and_replaced(void **state)
{
	char dir[] = "/tmp/uw_rt_XXXXXX", py[64], other[64], line[16];
	char *argv[] = { py, (char *)"-c", (char *)SLEEPER, NULL };
	struct uw_runtime rt;
	struct uw_mem *mem;
	int r;

	(void)state;
	if (!exists(DEB_PY)) {
		print_message("  note: %s missing, skipped\n", DEB_PY);
		skip();
	}
	assert_non_null(mkdtemp(dir));
	snprintf(py, sizeof(py), "%s/python3.11", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	assert_int_equal(copy_file(DEB_PY, py), 0);
	g_child = spawn(argv, true, line, sizeof(line));
	assert_true(g_child > 0);
	mem = uw_mem_new(g_child);

	/* intact: both ways work */
	assert_int_equal(uw_runtime_find(g_child, mem, &rt), 0);
	assert_string_equal(rt.path, py);
	r = find_without_map_files(g_child);
	if (r == -200 || r == -201) {
		print_message("  note: cannot drop map_files access (%d), fallback not tested\n", r);
	} else {
		assert_int_equal(r, 0);
		/* replaced by another file under the same name */
		assert_int_equal(copy_file(DEB_PY, other), 0);
		assert_int_equal(rename(other, py), 0);
		assert_int_equal(uw_runtime_find(g_child, mem, &rt), 0);
		assert_int_equal(find_without_map_files(g_child), -ESTALE);
	}
	/* gone: only map_files still reaches it */
	unlink(py);
	assert_int_equal(uw_runtime_find(g_child, mem, &rt), 0);
	assert_int_equal(rt.minor, 11);
	assert_string_equal(rt.path, py);		/* " (deleted)" stripped */
	if (r == 0)
		assert_int_equal(find_without_map_files(g_child), -ENOENT);
	uw_mem_free(mem);
	reap(&g_child);
	rmdir(dir);
}

static void version_from_name(void **state)
{
	static const struct {
		const char *path;
		int minor;
	} t[] = {
		{ "/usr/lib/libpython3.8.so.1.0", 8 }, { "libpython3.12d.so", 12 },
		{ "/x/python3.10", 10 }, { "/x/python3.13t", 13 }, { "/x/libpython3.7m.so", 7 },
		{ "/x/python3", -1 }, { "/x/python3.", -1 }, { "/x/python3.123", -1 },
		{ "/x/mypython3.11", -1 }, { "/python3.11/bin/x", -1 }, { "", -1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ma = 0, mi = 0, err = uw_py_version_from_name(t[i].path, &ma, &mi);

		assert_int_equal(err, t[i].minor < 0 ? -ENOENT : 0);
		if (!err) {
			assert_int_equal(ma, 3);
			assert_int_equal(mi, t[i].minor);
		}
	}
}

static const struct live lives[] = {
	{ "deb-3.11", 0, 11 },
	{ "pyenv-3.6 (unsupported)", 1, 6 },
	{ "pyenv-3.7 (unsupported)", 1, 7 },
	{ "pyenv-3.8", 1, 8 },
	{ "pyenv-3.9", 1, 9 },
	{ "pyenv-3.10", 1, 10 },
	{ "pyenv-3.11", 1, 11 },
	{ "pyenv-3.12", 1, 12 },
	{ "pyenv-3.13", 1, 13 },
	{ "cache-3.13", 2, 13 },
	{ "cache-3.14", 2, 14 },
	{ "cache-3.15", 2, 15 },
};

#define LIVE(i) { lives[i].label, live_interpreter, NULL, teardown_child, (void *)&lives[i] }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(maps_line_table),
		cmocka_unit_test(maps_odd_bytes),
		cmocka_unit_test(maps_many_lines),
		cmocka_unit_test(maps_garbage),
		cmocka_unit_test(maps_of_self),
		cmocka_unit_test(version_from_name),
		cmocka_unit_test(elf_debian_static),
		cmocka_unit_test(elf_pyenv_shared),
		cmocka_unit_test(elf_bias_rules),
		cmocka_unit_test(elf_self_bias),
		cmocka_unit_test(elf_hostile_files),
		LIVE(0), LIVE(1), LIVE(2), LIVE(3), LIVE(4), LIVE(5),
		LIVE(6), LIVE(7), LIVE(8), LIVE(9), LIVE(10), LIVE(11),
		cmocka_unit_test_teardown(live_not_python, teardown_child),
		cmocka_unit_test(live_gone),
		cmocka_unit_test_teardown(live_at_exec, teardown_child),
		cmocka_unit_test_teardown(live_deleted_and_replaced, teardown_child),
	};

	_Static_assert(sizeof(lives) / sizeof(lives[0]) == 12, "one LIVE() per entry");
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
