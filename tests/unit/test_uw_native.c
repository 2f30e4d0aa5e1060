// SPDX-License-Identifier: MIT
/*
 * Unit tests: the native unwinder (unwinder/native.c) on live processes
 * blocked in read(2), never stopped:
 *   - attribution rules, table-driven, on synthetic stacks;
 *   - a forked copy of this test blocked three functions deep, walked to its
 *     outermost frame (no Python: the walk runs to the end);
 *   - every interpreter of the machine blocked in os.read: libc, then the
 *     interpreter, complete;
 *   - the ext_socket C extension (tests/helpers/ext_socket) blocked in its
 *     own read(2), on every interpreter with C headers: libc, the extension,
 *     the interpreter; the extension is loaded after the first unwind, so
 *     the mappings must be re-read on their own;
 *   - ctypes (libffi): the walk stops in ffi_call_unix64 (its CFA is RBP)
 *     and says so; attribution "ctypes";
 *   - a thread on a CPU ("running"), and a thread that is gone.
 * Missing interpreters, headers or libffi are skipped with a note, and
 * counted by cmocka.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "native.h"
#include "remote.h"
#include "runtime.h"
#include "stack.h"

int main(void);

#define DEB_PY "/usr/bin/python3.11"
#define BUILD_SH "tests/helpers/ext_socket/build.sh"

static struct uw_stack g_stack;
static pid_t g_child = -1;
static int g_in = -1, g_out = -1;	/* the child's stdin (write end), stdout (read end) */

static int teardown_child(void **state)
{
	(void)state;
	if (g_child > 0) {
		kill(g_child, SIGKILL);
		waitpid(g_child, NULL, 0);
	}
	g_child = -1;
	if (g_in >= 0)
		close(g_in);
	if (g_out >= 0)
		close(g_out);
	g_in = g_out = -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Attribution, on synthetic stacks.                                   */

struct attr_case {
	const char *name;
	const char *objects[6];
	bool complete;
	enum uw_native_attr want;
	const char *principal;	/* NULL, "ctypes", or the expected path */
};

static const struct attr_case attr_cases[] = {
	{ "static interpreter", { "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/python3.11" },
	  true, UW_NATIVE_INTERPRETER, NULL },
	{ "shared libpython", { "/lib/libc.so.6", "/opt/py/lib/libpython3.12.so.1.0" },
	  true, UW_NATIVE_INTERPRETER, NULL },
	{ "extension", { "/lib/libc.so.6", "/x/site-packages/pkg/_ext.cpython-311-x86_64-linux-gnu.so",
			 "/usr/bin/python3.11" },
	  true, UW_NATIVE_OBJECT, "/x/site-packages/pkg/_ext.cpython-311-x86_64-linux-gnu.so" },
	{ "library under an extension", { "/lib/libc.so.6", "/lib/libssl.so.3", "/x/_ssl.so",
					  "/usr/bin/python3.11" },
	  true, UW_NATIVE_OBJECT, "/lib/libssl.so.3" },
	{ "extension through ld.so and the vdso", { "[vdso]", "/lib64/ld-linux-x86-64.so.2",
						     "/lib/libpthread.so.0", "/x/e.so", "/usr/bin/python3.11" },
	  true, UW_NATIVE_OBJECT, "/x/e.so" },
	{ "ctypes, stopped in libffi", { "/lib/libc.so.6", "/lib/libffi.so.8.1.2" },
	  false, UW_NATIVE_CTYPES, "ctypes" },
	{ "ctypes, complete", { "/lib/libc.so.6", "/lib/libffi.so.8", "/x/_ctypes.cpython-311-x86_64-linux-gnu.so",
				"/usr/bin/python3.11" },
	  true, UW_NATIVE_CTYPES, "ctypes" },
	{ "extension, walk stopped after it", { "/lib/libc.so.6", "/x/e.so" },
	  false, UW_NATIVE_OBJECT, "/x/e.so" },
	{ "stopped in libc", { "/lib/libc.so.6" }, false, UW_NATIVE_UNDETERMINED, NULL },
	{ "nothing", { NULL }, false, UW_NATIVE_UNDETERMINED, NULL },
	/* the last object of a complete walk is the interpreter whatever its name */
	{ "renamed interpreter", { "/lib/libc.so.6", "/opt/bin/mypy-runtime" },
	  true, UW_NATIVE_INTERPRETER, NULL },
};

static void attribution_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(attr_cases) / sizeof(attr_cases[0]); i++) {
		const struct attr_case *c = &attr_cases[i];
		const char *p = (const char *)1;
		enum uw_native_attr a;

		uw_stack_reset(&g_stack);
		for (unsigned k = 0; k < 6 && c->objects[k]; k++) {
			g_stack.native[k].pc = 0x1000 + k;
			g_stack.native[k].object =
				uw_stack_intern(&g_stack, c->objects[k], strlen(c->objects[k]));
			g_stack.nnative++;
		}
		g_stack.native_complete = c->complete;
		a = uw_native_attribute(&g_stack, &p);
		if (a != c->want || (c->principal ? !p || strcmp(p, c->principal) : p != NULL))
			fail_msg("%s: got %d %s, want %d %s", c->name, a, p ? p : "NULL", c->want,
				 c->principal ? c->principal : "NULL");
		p = uw_native_principal(&g_stack);
		assert_true(c->principal ? p && strcmp(p, c->principal) == 0 : p == NULL);
	}
	assert_string_equal(uw_native_basename("/a/b/libc.so.6"), "libc.so.6");
	assert_string_equal(uw_native_basename("[vdso]"), "[vdso]");
}

/* ------------------------------------------------------------------ */
/* Live processes.                                                     */

static bool read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
	size_t n = 0;

	while (n + 1 < cap) {
		struct pollfd p = { fd, POLLIN, 0 };
		char c;

		if (poll(&p, 1, timeout_ms) <= 0 || read(fd, &c, 1) != 1)
			return false;
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return true;
}

/* Start @argv with stdin and stdout on pipes (g_in, g_out), @env added to
 * the environment; wait for the line "ready". */
static pid_t spawn(char *const argv[], const char *env)
{
	int in[2], out[2];
	char line[64];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		if (env)
			putenv((char *)env);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	g_in = in[1];
	g_out = out[0];
	g_child = pid;
	if (pid < 0 || !read_line(g_out, line, sizeof(line), 20000) || strcmp(line, "ready") != 0)
		return -1;
	return pid;
}

/* Wait until thread @tid is blocked in syscall @nr (the kernel's view). */
static bool wait_blocked(pid_t pid, pid_t tid, long nr)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid, (int)tid);
	for (int i = 0; i < 2000; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			if (strncmp(buf, "running", 7) != 0 && strtol(buf, NULL, 10) == nr)
				return true;
		}
		usleep(1000);
	}
	return false;
}

static const char *obj(const struct uw_stack *s, unsigned i)
{
	return i < s->nnative ? uw_str(s, s->native[i].object) : "";
}

static void dump(const struct uw_stack *s)
{
	print_message("  native (%s%s%s):", s->native_complete ? "complete" : "incomplete",
		      s->reason[0] ? ", " : "", s->reason);
	for (unsigned i = 0; i < s->nnative; i++)
		print_message(" %s", uw_native_basename(obj(s, i)));
	print_message("\n");
}

/* A forked copy of this program, blocked in read(2) three calls deep.
 * Through syscall(): ASan intercepts read() itself. */
static __attribute__((noinline)) ssize_t deep3(int fd, char *b)
{
	ssize_t r = syscall(SYS_read, fd, b, 1);

	__asm__ volatile("" ::: "memory");
	return r;
}

static __attribute__((noinline)) ssize_t deep2(int fd, char *b)
{
	ssize_t r = deep3(fd, b);

	__asm__ volatile("" ::: "memory");
	return r;
}

static __attribute__((noinline)) ssize_t deep1(int fd, char *b)
{
	ssize_t r = deep2(fd, b);

	__asm__ volatile("" ::: "memory");
	return r;
}

static void live_c_program(void **state)
{
	char self[PATH_MAX], b;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct uw_native_ctx *nc;
	int in[2];

	(void)state;
	assert_true(n > 0);
	self[n] = '\0';
	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	g_child = fork();
	if (g_child == 0) {
		close(in[1]);
		_exit(deep1(in[0], &b) == 1 ? 0 : 1);
	}
	close(in[0]);
	g_in = in[1];
	assert_true(wait_blocked(g_child, g_child, 0));

	assert_int_equal(uw_native_new(g_child, NULL, &nc), 0);
	uw_stack_reset(&g_stack);
	assert_int_equal(uw_native_unwind(nc, g_child, NULL, &g_stack), 0);
	dump(&g_stack);
	/* syscall() in libc, then this program (deep3..deep1, the test,
	 * cmocka... main), libc's start code, this program's _start. Built
	 * with frame pointers (make SANITIZE=1) deep3's CFA is RBP, unknown:
	 * the walk then ends in deep3, and says why. */
	assert_true(g_stack.nnative >= 2);
	assert_string_equal(uw_native_basename(obj(&g_stack, 0)), "libc.so.6");
	assert_string_equal(obj(&g_stack, 1), self);
	assert_false(g_stack.native_complete);
	assert_true(strstr(g_stack.reason, "outermost frame") || strstr(g_stack.reason, "RBP"));
	{
		/* the frame into this program is deep3's, right after its call */
		uint64_t pc = g_stack.native[1].pc, f = (uint64_t)(uintptr_t)&deep3;

		assert_true(pc > f && pc < f + 64);
	}
	/* a walk without Python charges the first non-system object */
	assert_string_equal(uw_native_principal(&g_stack), self);
	uw_native_free(nc);
}

struct interp {
	char path[PATH_MAX];
};

/* Every interpreter of the machine: Debian's, pyenv's 3.8+, the cache's. */
static unsigned interpreters(struct interp *out, unsigned cap)
{
	static const char *const pats[] = {
		DEB_PY,
		"/root/.pyenv/versions/3.*.*/bin/python3.[0-9]",
		"/root/.pyenv/versions/3.*.*/bin/python3.[0-9][0-9]",
		"/var/cache/sisup-pythons/bin/python3.[0-9][0-9]",
	};
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		glob_t g;

		if (glob(pats[i], 0, NULL, &g) != 0)
			continue;
		for (size_t k = 0; k < g.gl_pathc && n < cap; k++) {
			const char *p = g.gl_pathv[k], *v = strstr(p, "/python3.");
			int minor = v ? atoi(v + 9) : 0;

			if (minor < 8 || access(p, X_OK) != 0)
				continue;
			snprintf(out[n++].path, PATH_MAX, "%s", p);
		}
		globfree(&g);
	}
	return n;
}

/* Unwind thread @tid of @pid with a fresh runtime: 0 or -errno. */
static int unwind_py(struct uw_native_ctx *nc, struct uw_mem *mem, pid_t pid, struct uw_runtime *rt)
{
	int rc = uw_runtime_find(pid, mem, rt);

	if (rc < 0)
		return rc;
	uw_stack_reset(&g_stack);
	return uw_native_unwind(nc, pid, rt, &g_stack);
}

static void live_python_read(void **state)
{
	struct interp py[32];
	unsigned n = interpreters(py, 32), ran = 0;

	(void)state;
	for (unsigned i = 0; i < n; i++) {
		char *argv[] = { py[i].path, (char *)"-c",
				 (char *)"import os\nprint('ready', flush=True)\nos.read(0, 1)\n", NULL };
		struct uw_runtime rt;
		struct uw_mem *mem;
		struct uw_native_ctx *nc;
		uint64_t r0;

		print_message("  %s\n", py[i].path);
		assert_true(spawn(argv, NULL) > 0);
		assert_true(wait_blocked(g_child, g_child, 0));
		mem = uw_mem_new(g_child);
		assert_non_null(mem);
		assert_int_equal(uw_native_new(g_child, mem, &nc), 0);
		assert_int_equal(unwind_py(nc, mem, g_child, &rt), 0);
		dump(&g_stack);
		assert_int_equal(g_stack.nnative, 2);
		assert_string_equal(uw_native_basename(obj(&g_stack, 0)), "libc.so.6");
		assert_string_equal(obj(&g_stack, 1), rt.path);
		assert_true(g_stack.native_complete);
		assert_int_equal(g_stack.reason[0], '\0');
		assert_null(uw_native_principal(&g_stack));
		/* steady state: the stack (one read), nothing else */
		r0 = uw_mem_calls(mem);
		uw_stack_reset(&g_stack);
		assert_int_equal(uw_native_unwind(nc, g_child, &rt, &g_stack), 0);
		assert_true(g_stack.native_complete);
		assert_true(uw_mem_calls(mem) - r0 <= 2);
		uw_native_free(nc);
		uw_mem_free(mem);
		teardown_child(NULL);
		ran++;
	}
	if (ran == 0) {
		print_message("  note: no interpreter, skipped\n");
		skip();
	}
}

/* Build ext_socket for @py into @dir; the module's path into @so.
 * Return 0, 77 (no headers), or another failure. */
static int build_ext(const char *py, const char *dir, char *so, size_t cap)
{
	int out[2], st;
	pid_t pid;
	bool ok;

	if (access(BUILD_SH, X_OK) != 0 || pipe2(out, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		execl(BUILD_SH, BUILD_SH, py, dir, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	ok = read_line(out[0], so, cap, 120000);
	close(out[0]);
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	if (WEXITSTATUS(st) != 0)
		return WEXITSTATUS(st);
	return ok && so[0] == '/' ? 0 : -1;
}

static void live_extension(void **state)
{
	struct interp py[32];
	unsigned n = interpreters(py, 32), ran = 0;
	char tmpl[] = "/tmp/uw-native-XXXXXX", *top = mkdtemp(tmpl);

	(void)state;
	assert_non_null(top);
	if (access(BUILD_SH, X_OK) != 0) {
		print_message("  note: %s not found (run from the top of the tree), skipped\n", BUILD_SH);
		skip();
	}
	for (unsigned i = 0; i < n; i++) {
		/* os.read first (the extension is not loaded yet), then the
		 * extension's own read(2): the same context must find it */
		char *argv[] = { py[i].path, (char *)"-c",
				 (char *)"import os\nprint('ready', flush=True)\nos.read(0, 1)\n"
					 "import ext_socket\nprint('loaded', flush=True)\n"
					 "ext_socket.read(0, 1)\n",
				 NULL };
		char dir[PATH_MAX], so[PATH_MAX], env[PATH_MAX + 16], line[32];
		struct uw_runtime rt;
		struct uw_mem *mem;
		struct uw_native_ctx *nc;
		struct uw_native_stats st;
		int rc;

		snprintf(dir, sizeof(dir), "%s/%u", top, i);
		rc = build_ext(py[i].path, dir, so, sizeof(so));
		if (rc == 77) {
			print_message("  %s: no C headers, skipped\n", py[i].path);
			continue;
		}
		assert_int_equal(rc, 0);
		print_message("  %s\n", py[i].path);
		snprintf(env, sizeof(env), "PYTHONPATH=%s", dir);
		assert_true(spawn(argv, env) > 0);
		assert_true(wait_blocked(g_child, g_child, 0));
		mem = uw_mem_new(g_child);
		assert_int_equal(uw_native_new(g_child, mem, &nc), 0);
		assert_int_equal(unwind_py(nc, mem, g_child, &rt), 0);
		assert_int_equal(g_stack.nnative, 2);

		assert_int_equal(write(g_in, "x", 1), 1);
		assert_true(read_line(g_out, line, sizeof(line), 20000));
		assert_string_equal(line, "loaded");
		assert_true(wait_blocked(g_child, g_child, 0));
		uw_stack_reset(&g_stack);
		assert_int_equal(uw_native_unwind(nc, g_child, &rt, &g_stack), 0);
		dump(&g_stack);
		assert_int_equal(g_stack.nnative, 3);
		assert_string_equal(uw_native_basename(obj(&g_stack, 0)), "libc.so.6");
		assert_string_equal(obj(&g_stack, 1), so);
		assert_string_equal(obj(&g_stack, 2), rt.path);
		assert_true(g_stack.native_complete);
		assert_string_equal(uw_native_principal(&g_stack), so);
		uw_native_get_stats(nc, &st);
		assert_int_equal(st.maps_reads, 2); /* the first unwind, then the dlopen */
		uw_native_free(nc);
		uw_mem_free(mem);
		teardown_child(NULL);
		unlink(so);
		rmdir(dir);
		ran++;
	}
	rmdir(top);
	if (ran == 0) {
		print_message("  note: no interpreter with C headers, skipped\n");
		skip();
	}
}

static void live_ctypes(void **state)
{
	char *argv[] = { (char *)DEB_PY, (char *)"-c",
			 (char *)"import ctypes\nlibc = ctypes.CDLL(None)\nb = ctypes.create_string_buffer(1)\n"
				 "print('ready', flush=True)\nlibc.read(0, b, 1)\n",
			 NULL };
	struct uw_runtime rt;
	struct uw_mem *mem;
	struct uw_native_ctx *nc;
	const char *p;

	(void)state;
	if (access(DEB_PY, X_OK) != 0) {
		print_message("  note: %s missing, skipped\n", DEB_PY);
		skip();
	}
	assert_true(spawn(argv, NULL) > 0);
	assert_true(wait_blocked(g_child, g_child, 0));
	mem = uw_mem_new(g_child);
	assert_int_equal(uw_native_new(g_child, mem, &nc), 0);
	assert_int_equal(unwind_py(nc, mem, g_child, &rt), 0);
	dump(&g_stack);
	/* libc's read, then ffi_call_unix64, whose CFA is RBP: RBP is unknown
	 * without stopping the thread, so the walk ends there */
	assert_int_equal(g_stack.nnative, 2);
	assert_string_equal(uw_native_basename(obj(&g_stack, 0)), "libc.so.6");
	assert_true(strncmp(uw_native_basename(obj(&g_stack, 1)), "libffi.so", 9) == 0);
	assert_false(g_stack.native_complete);
	assert_non_null(strstr(g_stack.reason, "RBP"));
	assert_int_equal(uw_native_attribute(&g_stack, &p), UW_NATIVE_CTYPES);
	assert_string_equal(p, "ctypes");
	uw_native_free(nc);
	uw_mem_free(mem);
}

static void live_running_and_gone(void **state)
{
	char *argv[] = { (char *)DEB_PY, (char *)"-c",
			 (char *)"print('ready', flush=True)\nwhile True: pass\n", NULL };
	struct uw_native_ctx *nc;
	pid_t pid;

	(void)state;
	if (access(DEB_PY, X_OK) != 0) {
		print_message("  note: %s missing, skipped\n", DEB_PY);
		skip();
	}
	pid = spawn(argv, NULL);
	assert_true(pid > 0);
	assert_int_equal(uw_native_new(pid, NULL, &nc), 0);
	/* on a CPU: /proc says "running" every time (never stopped to ask) */
	uw_stack_reset(&g_stack);
	assert_int_equal(uw_native_unwind(nc, pid, NULL, &g_stack), -EAGAIN);
	assert_int_equal(g_stack.nnative, 0);
	assert_non_null(strstr(g_stack.reason, "CPU"));
	/* a thread of another process (ours) is not under /proc/PID/task */
	uw_stack_reset(&g_stack);
	assert_int_equal(uw_native_unwind(nc, getpid(), NULL, &g_stack), -ENOENT);
	/* gone: the kept fd answers ESRCH, a fresh open ENOENT */
	teardown_child(NULL);
	uw_stack_reset(&g_stack);
	assert_int_equal(uw_native_unwind(nc, pid, NULL, &g_stack), -ESRCH);
	uw_stack_reset(&g_stack);
	assert_int_equal(uw_native_unwind(nc, pid, NULL, &g_stack), -ENOENT);
	uw_native_free(nc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(attribution_table),
		cmocka_unit_test_teardown(live_c_program, teardown_child),
		cmocka_unit_test_teardown(live_python_read, teardown_child),
		cmocka_unit_test_teardown(live_extension, teardown_child),
		cmocka_unit_test_teardown(live_ctypes, teardown_child),
		cmocka_unit_test_teardown(live_running_and_gone, teardown_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
