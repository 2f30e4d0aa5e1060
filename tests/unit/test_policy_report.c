// SPDX-License-Identifier: MIT
/*
 * Unit tests: the audit report and the learned policy, policy/report.c.
 *
 * Every output is compared byte for byte: the report is meant to be diffed
 * between runs, so an unexpected space is a bug. The hostile cases feed
 * names and targets a sandboxed program could choose (terminal escapes,
 * quotes, invalid UTF-8, very long paths) and check that nothing raw
 * reaches the output. The learned policies are read back with the real
 * loader, which is the only judge of whether they mean what we wrote.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "args.h"
#include "report.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define TP POL_PKG_THIRD_PARTY
#define APP POL_PKG_APP
#define STD POL_PKG_STDLIB
#define RAW (-1)

/* x86-64 numbers used below */
#define NR_EXECVE 59
#define NR_PTRACE 101
#define NR_MOUNT 165
#define NR_UNSHARE 272
#define NR_SETNS 308
#define NR_BPF 321

struct call {
	const char *pkg;
	enum pol_pkg_kind kind;
	int cap, nr;
	const char *target;
};

enum writer { W_TEXT, W_JSON, W_LEARN };

/* The output of one writer, as a malloc'd string. */
static char *render(const struct pol_usage *u, enum writer w, const struct pol_policy *base,
		    const char *comment)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err = -1;

	assert_non_null(f);
	switch (w) {
	case W_TEXT:
		err = pol_usage_write_text(u, f);
		break;
	case W_JSON:
		err = pol_usage_write_json(u, f);
		break;
	case W_LEARN:
		err = pol_learn_write(u, base, comment, f);
		break;
	}
	assert_int_equal(err, 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void assert_render(const struct pol_usage *u, enum writer w, const struct pol_policy *base,
			  const char *comment, const char *want)
{
	char *got = render(u, w, base, comment);

	if (strcmp(got, want) != 0) {
		print_error("--- want\n%s--- got\n%s---\n", want, got);
		fail();
	}
	free(got);
}

static void add_all(struct pol_usage *u, const struct call *c, size_t n, size_t stride)
{
	/* stride coprime with n visits every call once, in another order */
	for (size_t k = 0, i = 0; k < n; k++, i = (i + stride) % n)
		assert_int_equal(pol_usage_add(u, c[i].pkg, c[i].kind, c[i].cap, c[i].nr, c[i].target), 0);
}

/* ------------------------------------------------------------------ */

static const struct call mixed[] = {
	{ "requests", TP, POL_CAP_DNS, 0, "example.org" },
	{ "requests", TP, POL_CAP_DNS, 0, "example.com" },
	{ "requests", TP, POL_CAP_DNS, 0, "b.example" },
	{ "requests", TP, POL_CAP_DNS, 0, "a.example" },
	{ "requests", TP, POL_CAP_DNS, 0, "example.com" },
	{ "requests", TP, POL_CAP_DNS, 0, "z.example" },
	{ "requests", TP, POL_CAP_NET_CONNECT, 0, "127.0.0.1:8080" },
	{ "requests", TP, POL_CAP_NET_CONNECT, 0, NULL },
	{ "requests", TP, POL_CAP_NET_CONNECT, 0, "" },
	{ "urllib3", TP, POL_CAP_NET_CONNECT, 0, "10.0.0.2:443" },
	{ "urllib3", TP, POL_CAP_FS_READ, 0, "/etc/ssl/certs/ca.pem" },
	{ "urllib3", TP, RAW, NR_SETNS, "" },
	{ "urllib3", TP, RAW, NR_BPF, NULL },
	{ "urllib3", TP, RAW, NR_BPF, NULL },
	{ "app", APP, POL_CAP_EXEC, 0, "/bin/sh" },
	{ "app", APP, RAW, NR_UNSHARE, NULL },
	{ "json", STD, POL_CAP_FS_READ, 0, "/usr/lib/python3.11/json/__init__.py" },
	{ "aaa", TP, POL_CAP_SPAWN, 0, NULL },
	{ "aaa", TP, RAW, 999, "x" },
};

static void output_independent_of_order(void **state)
{
	static const size_t strides[] = { 1, NELEM(mixed) - 1, 7, 5 };
	char *want[3] = { 0 };

	(void)state;
	for (size_t s = 0; s < NELEM(strides); s++) {
		struct pol_usage *u = pol_usage_new();

		assert_non_null(u);
		add_all(u, mixed, NELEM(mixed), strides[s]);
		assert_int_equal(pol_usage_packages(u), 5);
		for (int w = W_TEXT; w <= W_LEARN; w++) {
			char *got = render(u, (enum writer)w, NULL, NULL);

			if (!want[w])
				want[w] = got;
			else {
				assert_string_equal(got, want[w]);
				free(got);
			}
		}
		pol_usage_free(u);
	}
	/* the kept examples are the smallest three, whatever came first */
	assert_non_null(strstr(want[W_TEXT],
			       "    dns             6  e.g. a.example, b.example, example.com\n"));
	assert_non_null(strstr(want[W_TEXT], "    net-connect     3  e.g. 127.0.0.1:8080\n"));
	/* raw syscalls: named ones by name, unnamed after them */
	assert_non_null(strstr(want[W_TEXT], "    syscall bpf     2\n    syscall setns   1\n"));
	assert_non_null(strstr(want[W_TEXT], "    spawn           1\n    syscall 999     1  e.g. x\n"));
	for (int w = W_TEXT; w <= W_LEARN; w++)
		free(want[w]);
}

static void text_report_exact(void **state)
{
	struct pol_usage *u = pol_usage_new();

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pol_usage_add(u, "requests", TP, POL_CAP_DNS, 0, "example.org"), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pol_usage_add(u, "requests", TP, POL_CAP_NET_CONNECT, 0, "127.0.0.1:8080"),
				 0);
	assert_int_equal(pol_usage_seen(u, "yaml", TP), 0);
	assert_int_equal(pol_usage_add(u, "app", APP, POL_CAP_EXEC, 0, "/bin/sh"), 0);
	assert_int_equal(pol_usage_add(u, "app", APP, RAW, NR_UNSHARE, NULL), 0);
	assert_int_equal(pol_usage_seen(u, "os", STD), 0);
	for (int i = 0; i < 12; i++)
		assert_int_equal(pol_usage_add(u, "app", APP, POL_CAP_FS_READ, 0, "/etc/hosts"), 0);
	assert_render(u, W_TEXT, NULL, NULL,
		      "sisup: audit report: 4 packages\n"
		      "  requests (third-party)\n"
		      "    dns              4  e.g. example.org\n"
		      "    net-connect      2  e.g. 127.0.0.1:8080\n"
		      "  yaml (third-party)\n"
		      "    (nothing beyond the baseline)\n"
		      "  app (application)\n"
		      "    exec             1  e.g. /bin/sh\n"
		      "    fs-read         12  e.g. /etc/hosts\n"
		      "    syscall unshare  1\n"
		      "  os (stdlib)\n"
		      "    (nothing beyond the baseline)\n");
	assert_render(u, W_JSON, NULL, NULL,
		      "{\"version\":1,\"packages\":["
		      "{\"name\":\"requests\",\"kind\":\"third-party\",\"capabilities\":["
		      "{\"name\":\"dns\",\"count\":4,\"examples\":[\"example.org\"]},"
		      "{\"name\":\"net-connect\",\"count\":2,\"examples\":[\"127.0.0.1:8080\"]}],"
		      "\"syscalls\":[]},"
		      "{\"name\":\"yaml\",\"kind\":\"third-party\",\"capabilities\":[],\"syscalls\":[]},"
		      "{\"name\":\"app\",\"kind\":\"application\",\"capabilities\":["
		      "{\"name\":\"exec\",\"count\":1,\"examples\":[\"/bin/sh\"]},"
		      "{\"name\":\"fs-read\",\"count\":12,\"examples\":[\"/etc/hosts\"]}],"
		      "\"syscalls\":[{\"name\":\"unshare\",\"count\":1,\"examples\":[]}]},"
		      "{\"name\":\"os\",\"kind\":\"stdlib\",\"capabilities\":[],\"syscalls\":[]}]}\n");
	pol_usage_free(u);
}

static void empty_usage(void **state)
{
	struct pol_usage *u = pol_usage_new();

	(void)state;
	assert_int_equal(pol_usage_packages(u), 0);
	assert_render(u, W_TEXT, NULL, NULL, "sisup: audit report: 0 packages\n");
	assert_render(u, W_JSON, NULL, NULL, "{\"version\":1,\"packages\":[]}\n");
	assert_render(u, W_LEARN, NULL, NULL,
		      "version: 1\ndefault: []\nsemantics: stack\nmodules: {}\n");
	pol_usage_free(u);
	pol_usage_free(NULL);
}

static void seen_and_kinds(void **state)
{
	struct pol_usage *u = pol_usage_new();

	(void)state;
	/* the first kind recorded stays, whatever later calls say */
	assert_int_equal(pol_usage_seen(u, "x", APP), 0);
	assert_int_equal(pol_usage_add(u, "x", TP, POL_CAP_SIGNAL, 0, "pid 1"), 0);
	assert_int_equal(pol_usage_seen(u, "x", STD), 0);
	/* add implies seen */
	assert_int_equal(pol_usage_add(u, "y", STD, POL_CAP_INSPECT, 0, NULL), 0);
	assert_int_equal(pol_usage_packages(u), 2);
	assert_render(u, W_TEXT, NULL, NULL,
		      "sisup: audit report: 2 packages\n"
		      "  x (application)\n"
		      "    signal         1  e.g. pid 1\n"
		      "  y (stdlib)\n"
		      "    inspect        1\n");
	pol_usage_free(u);
}

static void bad_arguments(void **state)
{
	struct pol_usage *u = pol_usage_new();
	char name[POL_NAME_MAX + 2];

	(void)state;
	memset(name, 'n', sizeof(name));
	name[POL_NAME_MAX + 1] = '\0';
	assert_int_equal(pol_usage_add(u, name, TP, POL_CAP_DNS, 0, NULL), -EINVAL);
	assert_int_equal(pol_usage_seen(u, name, TP), -EINVAL);
	name[POL_NAME_MAX] = '\0';
	assert_int_equal(pol_usage_seen(u, name, TP), 0);
	assert_int_equal(pol_usage_add(u, NULL, TP, POL_CAP_DNS, 0, NULL), -EINVAL);
	assert_int_equal(pol_usage_add(u, "", TP, POL_CAP_DNS, 0, NULL), -EINVAL);
	assert_int_equal(pol_usage_seen(u, "", TP), -EINVAL);
	assert_int_equal(pol_usage_add(u, "a", TP, POL_CAP_COUNT, 0, NULL), -EINVAL);
	assert_int_equal(pol_usage_add(u, "a", TP, RAW, -1, NULL), -EINVAL);
	assert_int_equal(pol_usage_add(u, "a", TP, RAW, POL_NR_MAX, NULL), -EINVAL);
	assert_int_equal(pol_usage_add(u, "a", TP, -7, POL_NR_MAX, NULL), -EINVAL);
	assert_int_equal(pol_usage_add(u, "a", (enum pol_pkg_kind)3, POL_CAP_DNS, 0, NULL), -EINVAL);
	assert_int_equal(pol_usage_seen(NULL, "a", TP), -EINVAL);
	/* a failed call records nothing, not even the package */
	assert_int_equal(pol_usage_packages(u), 1);
	assert_int_equal(pol_usage_add(u, "a", TP, RAW, POL_NR_MAX - 1, NULL), 0);
	assert_int_equal(pol_usage_add(u, "a", TP, RAW, 0, NULL), 0);
	assert_int_equal(pol_usage_packages(u), 2);
	pol_usage_free(u);
}

static void long_targets_are_cut(void **state)
{
	struct pol_usage *u = pol_usage_new();
	char longer[400], exact[POL_TARGET_MAX + 1], other[400], want[POL_TARGET_MAX + 4];
	char utf[POL_TARGET_MAX + 8], *out;

	(void)state;
	memset(longer, 'a', sizeof(longer));
	longer[sizeof(longer) - 1] = '\0';
	memcpy(other, longer, sizeof(other));
	other[POL_TARGET_MAX + 5] = 'b';	/* differs only past the cut: the same example */
	memset(exact, 'c', sizeof(exact));
	exact[POL_TARGET_MAX] = '\0';
	assert_int_equal(pol_usage_add(u, "p", TP, POL_CAP_FS_READ, 0, longer), 0);
	assert_int_equal(pol_usage_add(u, "p", TP, POL_CAP_FS_READ, 0, other), 0);
	assert_int_equal(pol_usage_add(u, "p", TP, POL_CAP_FS_READ, 0, exact), 0);
	/* a two-byte character straddling the cut is dropped whole */
	memset(utf, 'd', sizeof(utf));
	memcpy(utf + POL_TARGET_MAX - 1, "\xc3\xa9", 2);
	utf[sizeof(utf) - 1] = '\0';
	assert_int_equal(pol_usage_add(u, "q", TP, POL_CAP_FS_READ, 0, utf), 0);

	out = render(u, W_JSON, NULL, NULL);
	memset(want, 'a', POL_TARGET_MAX);
	memcpy(want + POL_TARGET_MAX, "...", 4);
	assert_non_null(strstr(out, want));
	assert_null(strstr(out, "aaaaa\","));		/* never uncut */
	assert_non_null(strstr(out, "\"count\":3"));
	{
		char *ex = strstr(out, "\"examples\":[\"");

		assert_non_null(ex);
		ex += strlen("\"examples\":[\"");
		/* "aaa...", then "ccc" complete, and nothing else */
		assert_memory_equal(ex, want, strlen(want));
		ex += strlen(want);
		assert_memory_equal(ex, "\",\"", 3);
		ex += 3;
		assert_memory_equal(ex, exact, POL_TARGET_MAX);
		assert_memory_equal(ex + POL_TARGET_MAX, "\"]", 2);
	}
	memset(want, 'd', POL_TARGET_MAX - 1);
	memcpy(want + POL_TARGET_MAX - 1, "...\"", 5);
	assert_non_null(strstr(out, want));
	free(out);
	pol_usage_free(u);
}

static void hostile_text_is_escaped(void **state)
{
	struct pol_usage *u = pol_usage_new();
	char *out;
	int lines = 0;

	(void)state;
	assert_int_equal(pol_usage_add(u, "evil\x1b]0;pwned\a\n  fake (stdlib)", TP, POL_CAP_EXEC, 0,
				       "/tmp/\r\n\xff\\x41\xc2\x85\xe2\x80\xae"), 0);
	out = render(u, W_TEXT, NULL, NULL);
	for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
		if (*p == '\n')
			lines++;
		else
			assert_true(*p >= 0x20 && *p <= 0x7e);
	}
	assert_int_equal(lines, 3);
	assert_string_equal(out,
			    "sisup: audit report: 1 package\n"
			    "  evil\\x1b]0;pwned\\x07\\x0a  fake (stdlib) (third-party)\n"
			    "    exec           1  e.g. /tmp/\\x0d\\x0a\\xff\\\\x41\\xc2\\x85\\xe2\\x80\\xae\n");
	free(out);
	pol_usage_free(u);
}

/* Run python3 on @json; returns what @script printed (malloc'd), or NULL
 * when python3 is missing. */
static char *python_reads(const char *json, const char *script)
{
	char path[] = "/tmp/sisup-report-XXXXXX", cmd[1024], *out = calloc(1, 65536);
	size_t n = 0;
	int fd = mkstemp(path), st;
	FILE *p;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 -c '%s' < %s 2>&1", script, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (n < 65535 && !feof(p)) {
		size_t k = fread(out + n, 1, 65535 - n, p);

		if (k == 0)
			break;
		n += k;
	}
	st = pclose(p);
	unlink(path);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		free(out);
		return NULL;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		print_error("python3: %s\n", out);
		fail();
	}
	return out;
}

static void json_is_valid_and_escaped(void **state)
{
	struct pol_usage *u = pol_usage_new();
	char *out, *py;

	(void)state;
	assert_int_equal(pol_usage_add(u, "q\"uote\\back", TP, POL_CAP_DNS, 0, "tab\there"), 0);
	assert_int_equal(pol_usage_add(u, "caf\xc3\xa9", TP, POL_CAP_DNS, 0, "\xf0\x9f\x98\x80"), 0);
	/* invalid UTF-8: lone continuation, overlong '/', surrogate, truncated */
	assert_int_equal(pol_usage_add(u, "bad\x80\xc0\xaf\xed\xa0\x80\xe2\x82", TP, POL_CAP_DNS, 0,
				       "\x01\x1f\x7f"), 0);
	assert_int_equal(pol_usage_add(u, "esc\x1b[2J", APP, RAW, NR_MOUNT, "</script>"), 0);
	out = render(u, W_JSON, NULL, NULL);
	/* ASCII only, one line */
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		assert_true((*p >= 0x20 && *p <= 0x7e) || (*p == '\n' && p[1] == '\0'));
	assert_non_null(strstr(out, "\"q\\\"uote\\\\back\""));
	assert_non_null(strstr(out, "\"caf\\u00e9\""));
	assert_non_null(strstr(out, "\"\\ud83d\\ude00\""));
	assert_non_null(strstr(out, "\"bad\\u0080\\u00c0\\u00af\\u00ed\\u00a0\\u0080\\u00e2\\u0082\""));
	assert_non_null(strstr(out, "\"\\u0001\\u001f\\u007f\""));
	py = python_reads(out,
			  "import json,sys\n"
			  "d = json.load(sys.stdin)\n"
			  "assert d[\"version\"] == 1\n"
			  "for p in d[\"packages\"]:\n"
			  "    assert sorted(p) == [\"capabilities\", \"kind\", \"name\", \"syscalls\"]\n"
			  "    for c in p[\"capabilities\"] + p[\"syscalls\"]:\n"
			  "        print(ascii((p[\"name\"], p[\"kind\"], c[\"name\"], c[\"count\"], c[\"examples\"])))\n");
	if (!py) {
		free(out);
		pol_usage_free(u);
		skip();
	}
	assert_string_equal(py,
			    "('bad\\x80\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82', 'third-party', 'dns', 1, ['\\x01\\x1f\\x7f'])\n"
			    "('caf\\xe9', 'third-party', 'dns', 1, ['\\U0001f600'])\n"
			    "('q\"uote\\\\back', 'third-party', 'dns', 1, ['tab\\there'])\n"
			    "('esc\\x1b[2J', 'application', 'mount', 1, ['</script>'])\n");
	free(py);
	free(out);
	pol_usage_free(u);
}

static void package_limit(void **state)
{
	struct pol_usage *u = pol_usage_new();
	char name[16], *out;

	(void)state;
	for (int i = 0; i < POL_PACKAGES_MAX; i++) {
		snprintf(name, sizeof(name), "p%05d", (i * 7919) % POL_PACKAGES_MAX);
		assert_int_equal(pol_usage_seen(u, name, TP), 0);
	}
	assert_int_equal(pol_usage_packages(u), POL_PACKAGES_MAX);
	assert_int_equal(pol_usage_seen(u, "late", TP), -E2BIG);
	assert_int_equal(pol_usage_add(u, "later", TP, POL_CAP_DNS, 0, NULL), -E2BIG);
	/* the ones already tracked keep counting */
	assert_int_equal(pol_usage_add(u, "p00017", TP, POL_CAP_DNS, 0, NULL), 0);
	assert_int_equal(pol_usage_seen(u, "p04095", TP), 0);
	assert_int_equal(pol_usage_packages(u), POL_PACKAGES_MAX);

	out = render(u, W_TEXT, NULL, NULL);
	{
		static const char head[] = "sisup: audit report: 4096 packages\n"
					   "  (2 calls by packages beyond the first 4096 were not recorded)\n"
					   "  p00000 (third-party)\n";

		assert_memory_equal(out, head, strlen(head));
	}
	assert_non_null(strstr(out, "  p00017 (third-party)\n    dns            1\n  p00018"));
	free(out);
	out = render(u, W_JSON, NULL, NULL);
	assert_non_null(strstr(out, "]}],\"dropped\":2}\n"));
	free(out);
	out = render(u, W_LEARN, NULL, "c");
	{
		static const char head[] = "# c\n# incomplete: 2 calls by packages beyond the first 4096 "
					   "were not recorded\nversion: 1\n";

		assert_memory_equal(out, head, strlen(head));
	}
	free(out);
	pol_usage_free(u);
}

static void learn_exact(void **state)
{
	static const struct call calls[] = {
		{ "requests", TP, POL_CAP_NET_CONNECT, 0, "1.2.3.4:443" },
		{ "requests", TP, POL_CAP_FS_READ, 0, "/etc/ssl" },
		{ "requests", TP, POL_CAP_DNS, 0, "example.org" },
		{ "requests", TP, RAW, NR_UNSHARE, NULL },
		{ "requests", TP, RAW, NR_BPF, NULL },
		{ "my-pkg", TP, POL_CAP_SPAWN, 0, NULL },
		{ "yes", TP, POL_CAP_SIGNAL, 0, NULL },
		{ "caf\xc3\xa9", TP, POL_CAP_FS_WRITE, 0, NULL },
		{ "bad\xff", TP, POL_CAP_FS_WRITE, 0, NULL },
		{ "app", APP, POL_CAP_EXEC, 0, "/bin/sh" },
		{ "json", STD, POL_CAP_FS_READ, 0, NULL },
		{ "z.mod_1", TP, RAW, 999, NULL },
		{ "a\n  app:\n    allow: [exec]", TP, POL_CAP_DNS, 0, NULL },
		{ "1abc", TP, POL_CAP_DNS, 0, NULL },
		{ "a..b", TP, POL_CAP_DNS, 0, NULL },
	};
	struct pol_usage *u = pol_usage_new();

	(void)state;
	add_all(u, calls, NELEM(calls), 1);
	assert_int_equal(pol_usage_seen(u, "yaml", TP), 0);
	assert_render(u, W_LEARN, NULL, "learned by sisup\n\nfrom: python3 app.py\r\xe2\x80\xa8x\n",
		      "# learned by sisup\n"
		      "#\n"
		      "# from: python3 app.py\\x0d\\xe2\\x80\\xa8x\n"
		      "version: 1\n"
		      "default: []\n"
		      "semantics: stack\n"
		      "# left out, not a Python module name: 1abc\n"
		      "# left out, not a Python module name: a\\x0a  app:\\x0a    allow: [exec]\n"
		      "# left out, not a Python module name: a..b\n"
		      "# left out, not a Python module name: bad\\xff\n"
		      "# left out, not a Python module name: caf\\xc3\\xa9\n"
		      "# left out, not a Python module name: my-pkg\n"
		      "modules:\n"
		      "  requests:\n"
		      "    allow: [dns, fs-read, net-connect, bpf, unshare]\n"
		      "  yaml:\n"
		      "    allow: []\n"
		      "  \"yes\":\n"
		      "    allow: [signal]\n"
		      "  z.mod_1:\n"
		      "    allow: []\n"
		      "    # left out, no name known: syscall 999\n");
	pol_usage_free(u);
}

/* ------------------------------------------------------------------ */
/* Merging into a base policy built by hand.                           */

static struct pol_module *base_add(struct pol_policy *p, const char *name, enum pol_match match)
{
	struct pol_module *m;

	m = realloc(p->modules, (p->nmodules + 1) * sizeof(*m));
	assert_non_null(m);
	p->modules = m;
	m = &p->modules[p->nmodules++];
	memset(m, 0, sizeof(*m));
	m->name = strdup(name);
	assert_non_null(m->name);
	m->match = match;
	m->on_violation = POL_DENY;
	m->error = EPERM;
	m->allow.import = true;
	return m;
}

static void base_transparent(struct pol_policy *p, const char *name)
{
	char **t = realloc(p->transparent, (p->ntransparent + 1) * sizeof(*t));

	assert_non_null(t);
	p->transparent = t;
	t[p->ntransparent] = strdup(name);
	assert_non_null(t[p->ntransparent]);
	p->ntransparent++;
}

static void learn_merge(void **state)
{
	struct pol_policy *base = pol_policy_new();
	struct pol_usage *u = pol_usage_new();
	struct pol_module *m;

	(void)state;
	assert_non_null(base);
	base->default_allow = false;
	base->def.caps = POL_CAP(POL_CAP_FS_READ);
	pol_grants_add_syscall(&base->def, NR_PTRACE);
	base->def_action = POL_LOG;
	base->semantics = POL_SEM_INNERMOST;
	base->inherit_threads = false;
	base_transparent(base, "zlib_wrap");
	base_transparent(base, "a.b");
	m = base_add(base, "requests", POL_MATCH_MODULE);
	m->allow.caps = POL_CAP(POL_CAP_NET_CONNECT);
	pol_grants_add_syscall(&m->allow, NR_SETNS);
	m->on_violation = POL_LOG;
	m = base_add(base, "<string>", POL_MATCH_FILENAME);
	m->on_violation = POL_KILL;
	m = base_add(base, "/x/site-packages/urllib3/", POL_MATCH_PATH);
	m->allow.caps = POL_CAP(POL_CAP_DNS);
	m->error = ENOSYS;
	m->allow.import = false;
	m = base_add(base, "app", POL_MATCH_MODULE);
	m->allow.caps = POL_CAP(POL_CAP_SIGNAL);

	assert_int_equal(pol_usage_add(u, "requests", TP, POL_CAP_DNS, 0, NULL), 0);
	assert_int_equal(pol_usage_add(u, "requests", TP, RAW, NR_MOUNT, NULL), 0);
	assert_int_equal(pol_usage_add(u, "zzz", TP, POL_CAP_FS_READ, 0, NULL), 0);
	assert_int_equal(pol_usage_add(u, "app", APP, POL_CAP_EXEC, 0, NULL), 0);
	assert_int_equal(pol_usage_add(u, "json", STD, POL_CAP_FS_WRITE, 0, NULL), 0);
	assert_int_equal(pol_usage_add(u, "mainapp", APP, POL_CAP_FS_WRITE, 0, NULL), 0);

	assert_render(u, W_LEARN, base, "merged",
		      "# merged\n"
		      "version: 1\n"
		      "default:\n"
		      "  allow: [fs-read, ptrace]\n"
		      "  on_violation: log\n"
		      "semantics: innermost\n"
		      "transparent: [a.b, zlib_wrap]\n"
		      "inherit: {processes: true, threads: false}\n"
		      "modules:\n"
		      "  \"/x/site-packages/urllib3/\":\n"
		      "    allow: [dns]\n"
		      "    on_violation: {deny: ENOSYS}\n"
		      "    import: false\n"
		      "  \"<string>\":\n"
		      "    allow: []\n"
		      "    on_violation: kill\n"
		      "  app:\n"
		      "    allow: [exec, signal]\n"
		      "  requests:\n"
		      "    allow: [dns, net-connect, mount, setns]\n"
		      "    on_violation: log\n"
		      "  zzz:\n"
		      "    allow: [fs-read]\n");

	/* an allow-all base keeps its default and gains the learned entries */
	base->default_allow = true;
	base->semantics = POL_SEM_STACK;
	base->inherit_threads = true;
	assert_render(u, W_LEARN, base, NULL,
		      "version: 1\n"
		      "default: allow\n"
		      "semantics: stack\n"
		      "transparent: [a.b, zlib_wrap]\n"
		      "modules:\n"
		      "  \"/x/site-packages/urllib3/\":\n"
		      "    allow: [dns]\n"
		      "    on_violation: {deny: ENOSYS}\n"
		      "    import: false\n"
		      "  \"<string>\":\n"
		      "    allow: []\n"
		      "    on_violation: kill\n"
		      "  app:\n"
		      "    allow: [exec, signal]\n"
		      "  requests:\n"
		      "    allow: [dns, net-connect, mount, setns]\n"
		      "    on_violation: log\n"
		      "  zzz:\n"
		      "    allow: [fs-read]\n");
	pol_policy_free(base);
	pol_usage_free(u);
}

/* ------------------------------------------------------------------ */
/* Round trips through the real loader.                                */

static struct pol_policy *load_text(const char *text)
{
	struct pol_policy *p = pol_policy_new();
	struct pol_error err;
	int rc;

	assert_non_null(p);
	rc = pol_load_buffer(p, "learned.yaml", text, strlen(text), &err);
	if (rc) {
		print_error("%s:%u:%u: %s (%s)\n%s", err.file, err.line, err.column, err.message,
			    err.hint, text);
		fail();
	}
	return p;
}

static const struct pol_module *module_named(const struct pol_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nmodules; i++)
		if (strcmp(p->modules[i].name, name) == 0)
			return &p->modules[i];
	return NULL;
}

static void assert_grants_equal(const struct pol_grants *a, const struct pol_grants *b)
{
	/* field by field: the struct has padding */
	assert_int_equal(a->caps, b->caps);
	assert_memory_equal(a->syscalls, b->syscalls, sizeof(a->syscalls));
	assert_int_equal(a->import, b->import);
}

static void learned_policy_loads_back(void **state)
{
	static const struct call calls[] = {
		{ "requests", TP, POL_CAP_DNS, 0, "example.org" },
		{ "requests", TP, POL_CAP_NET_CONNECT, 0, "1.2.3.4:80" },
		{ "requests", TP, RAW, NR_UNSHARE, NULL },
		{ "urllib3.util", TP, POL_CAP_FS_READ, 0, NULL },
		{ "yes", TP, POL_CAP_NATIVE_CODE, 0, NULL },
		{ "null", TP, RAW, NR_BPF, NULL },
		{ "app", APP, POL_CAP_EXEC, 0, NULL },
		{ "json", STD, POL_CAP_FS_READ, 0, NULL },
		{ "bad-name", TP, POL_CAP_EXEC, 0, NULL },
		{ "odd", TP, RAW, 999, NULL },
	};
	struct pol_usage *u = pol_usage_new();
	struct pol_policy *p, *empty = pol_policy_new();
	char *text;

	(void)state;
	add_all(u, calls, NELEM(calls), 1);
	assert_int_equal(pol_usage_seen(u, "idle", TP), 0);
	text = render(u, W_LEARN, NULL, "round trip");
	p = load_text(text);
	assert_false(p->default_allow);
	assert_int_equal(p->def.caps, 0);
	assert_int_equal(p->semantics, POL_SEM_STACK);
	assert_true(p->inherit_processes && p->inherit_threads);
	/* requests, urllib3.util, yes, null, idle, odd; not app, json, bad-name */
	assert_int_equal(p->nmodules, 6);
	for (size_t i = 0; i < p->nmodules; i++) {
		const struct pol_module *m = &p->modules[i];
		struct pol_grants want;

		memset(&want, 0, sizeof(want));
		want.import = true;
		for (size_t k = 0; k < NELEM(calls); k++) {
			if (strcmp(calls[k].pkg, m->name) != 0 || calls[k].nr == 999)
				continue;
			if (calls[k].cap >= 0)
				want.caps |= POL_CAP(calls[k].cap);
			else
				pol_grants_add_syscall(&want, calls[k].nr);
		}
		assert_int_equal(m->match, POL_MATCH_MODULE);
		assert_int_equal(m->on_violation, POL_DENY);
		assert_int_equal(m->error, EPERM);
		assert_grants_equal(&m->allow, &want);
	}
	assert_non_null(module_named(p, "idle"));
	assert_non_null(module_named(p, "odd"));
	assert_null(module_named(p, "app"));
	/* learning again into what was learned changes nothing */
	{
		char *again = render(u, W_LEARN, p, "round trip");

		assert_string_equal(again, text);
		free(again);
	}
	/* so does merging into an empty policy, except for its default: allow */
	{
		char *merged = render(u, W_LEARN, empty, "round trip");

		assert_non_null(strstr(merged, "default: allow\n"));
		assert_string_equal(strstr(merged, "modules:"), strstr(text, "modules:"));
		free(merged);
	}
	free(text);
	pol_policy_free(p);
	pol_policy_free(empty);
	pol_usage_free(u);
}

static void merged_policy_loads_back(void **state)
{
	static const char base_text[] =
		"version: 1\n"
		"default:\n"
		"  allow: [fs-read, \"@signal\"]\n"
		"  on_violation: {deny: EACCES}\n"
		"  import: false\n"
		"semantics: innermost\n"
		"transparent: [zz.top, aa]\n"
		"inherit: {processes: false, threads: true}\n"
		"modules:\n"
		"  requests:\n"
		"    allow: [net-connect, \"@mount\"]\n"
		"    on_violation: kill\n"
		"  app:\n"
		"    on_violation: {deny: 200}\n"
		"    import: false\n"
		"  quiet:\n"
		"    allow: [spawn]\n"
		"    on_violation: log\n";
	struct pol_policy *base = load_text(base_text), *p;
	struct pol_usage *u = pol_usage_new();
	const struct pol_module *bm, *m;
	struct pol_grants want;
	char *text;

	(void)state;
	assert_int_equal(pol_usage_add(u, "requests", TP, POL_CAP_DNS, 0, NULL), 0);
	assert_int_equal(pol_usage_add(u, "requests", TP, RAW, NR_SETNS, NULL), 0);
	assert_int_equal(pol_usage_add(u, "app", APP, POL_CAP_EXEC, 0, NULL), 0);
	assert_int_equal(pol_usage_add(u, "newpkg", TP, POL_CAP_FS_WRITE, 0, NULL), 0);
	assert_int_equal(pol_usage_add(u, "json", STD, POL_CAP_FS_READ, 0, NULL), 0);
	text = render(u, W_LEARN, base, NULL);
	p = load_text(text);

	assert_false(p->default_allow);
	assert_grants_equal(&p->def, &base->def);
	assert_int_equal(p->def_action, POL_DENY);
	assert_int_equal(p->def_error, EACCES);
	assert_int_equal(p->semantics, POL_SEM_INNERMOST);
	assert_false(p->inherit_processes);
	assert_true(p->inherit_threads);
	assert_int_equal(p->ntransparent, 2);
	assert_string_equal(p->transparent[0], "aa");
	assert_string_equal(p->transparent[1], "zz.top");
	assert_int_equal(p->nmodules, 4);	/* app, newpkg, quiet, requests */

	bm = module_named(base, "requests");
	m = module_named(p, "requests");
	assert_non_null(m);
	want = bm->allow;
	want.caps |= POL_CAP(POL_CAP_DNS);
	pol_grants_add_syscall(&want, NR_SETNS);
	assert_grants_equal(&m->allow, &want);
	assert_int_equal(m->on_violation, POL_KILL);

	bm = module_named(base, "app");
	m = module_named(p, "app");
	assert_non_null(m);
	want = bm->allow;
	want.caps |= POL_CAP(POL_CAP_EXEC);
	assert_grants_equal(&m->allow, &want);
	assert_false(m->allow.import);
	assert_int_equal(m->on_violation, POL_DENY);
	assert_int_equal(m->error, 200);

	m = module_named(p, "quiet");
	assert_non_null(m);
	assert_grants_equal(&m->allow, &module_named(base, "quiet")->allow);
	assert_int_equal(m->on_violation, POL_LOG);

	m = module_named(p, "newpkg");
	assert_non_null(m);
	assert_int_equal(m->allow.caps, POL_CAP(POL_CAP_FS_WRITE));
	assert_null(module_named(p, "json"));
	{
		char *again = render(u, W_LEARN, p, NULL);

		assert_string_equal(again, text);
		free(again);
	}
	free(text);
	pol_policy_free(p);
	pol_policy_free(base);
	pol_usage_free(u);
}

/* The argument rules of @a and @b, as written, are the same for every capability. */
static void assert_args_equal(const struct pol_grants *a, const struct pol_grants *b)
{
	for (int c = 0; c < POL_CAP_COUNT; c++) {
		size_t n = pol_args_count(a->args, (enum pol_cap)c);

		assert_int_equal(n, pol_args_count(b->args, (enum pol_cap)c));
		for (size_t k = 0; k < n; k++)
			assert_string_equal(pol_args_pattern(a->args, (enum pol_cap)c, k),
					    pol_args_pattern(b->args, (enum pol_cap)c, k));
	}
}

/* learn --merge keeps argument rules: load, write, load gives the same rules,
 * also where the run adds the capability outright. */
static void merged_args_load_back(void **state)
{
	static const char base_text[] =
		"version: 1\n"
		"default: [{fs-read: [\"/srv/data/**\"]}]\n"
		"modules:\n"
		"  requests:\n"
		"    allow: [dns, {net-connect: [\"127.0.0.1:8080\", \"*:443\", \"[::1]:80\"]}]\n"
		"  logging:\n"
		"    allow: [{fs-write: [\"/var/log/app/**\", \"/tmp/a b\\\"c\"]}, {net-unix: [\"@x\"]}]\n";
	struct pol_policy *base = load_text(base_text), *p;
	struct pol_usage *u = pol_usage_new();
	const struct pol_module *m;
	char *text, *again;

	(void)state;
	assert_int_equal(pol_usage_add(u, "requests", TP, POL_CAP_NET_CONNECT, 0, "1.2.3.4:80"), 0);
	assert_int_equal(pol_usage_add(u, "logging", TP, POL_CAP_EXEC, 0, NULL), 0);
	text = render(u, W_LEARN, base, NULL);
	p = load_text(text);
	assert_args_equal(&p->def, &base->def);
	m = module_named(p, "requests");
	assert_non_null(m);
	assert_args_equal(&m->allow, &module_named(base, "requests")->allow);
	/* the run used net-connect: granted outright now, the rules are kept */
	assert_true(m->allow.caps & POL_CAP(POL_CAP_NET_CONNECT));
	m = module_named(p, "logging");
	assert_args_equal(&m->allow, &module_named(base, "logging")->allow);
	assert_int_equal(m->allow.caps, POL_CAP(POL_CAP_EXEC));
	assert_int_equal(p->argcaps, base->argcaps);
	again = render(u, W_LEARN, p, NULL);
	assert_string_equal(again, text);
	free(again);
	free(text);
	pol_policy_free(p);
	pol_policy_free(base);
	pol_usage_free(u);
}

/* A secimport file as the base: its entries come out in sisup's format. */
static void secimport_base_loads_back(void **state)
{
	static const char base_text[] =
		"modules:\n"
		"  general_requirements:\n"
		"    syscall_allowlist: [read, \" close\"]\n"
		"  requests:\n"
		"    destructive: true\n"
		"    syscall_allowlist: [connect, socket]\n"
		"  yaml:\n"
		"    destructive: false\n"
		"    syscall_allowlist: []\n";
	struct pol_policy *base = load_text(base_text), *p;
	struct pol_usage *u = pol_usage_new();
	const struct pol_module *m;
	struct pol_grants want;
	char *text;

	(void)state;
	assert_true(base->secimport);
	assert_int_equal(pol_usage_add(u, "yaml", TP, POL_CAP_FS_READ, 0, NULL), 0);
	text = render(u, W_LEARN, base, NULL);
	p = load_text(text);
	assert_false(p->secimport);
	assert_int_equal(p->semantics, POL_SEM_INNERMOST);
	assert_int_equal(p->nmodules, 2);
	m = module_named(p, "requests");
	assert_non_null(m);
	assert_grants_equal(&m->allow, &module_named(base, "requests")->allow);
	assert_int_equal(m->on_violation, POL_KILL);
	m = module_named(p, "yaml");
	assert_non_null(m);
	want = module_named(base, "yaml")->allow;
	want.caps |= POL_CAP(POL_CAP_FS_READ);
	assert_grants_equal(&m->allow, &want);
	assert_int_equal(m->on_violation, POL_DENY);
	free(text);
	pol_policy_free(p);
	pol_policy_free(base);
	pol_usage_free(u);
}

static void write_errors(void **state)
{
	struct pol_usage *u = pol_usage_new();
	FILE *f;

	(void)state;
	assert_int_equal(pol_usage_add(u, "p", TP, POL_CAP_DNS, 0, "x"), 0);
	/* /dev/full fails every write with ENOSPC, reported when flushed */
	f = fopen("/dev/full", "w");
	if (!f) {
		pol_usage_free(u);
		skip();
	}
	assert_int_equal(pol_usage_write_text(u, f), -EIO);
	fclose(f);
	f = fopen("/dev/full", "w");
	assert_int_equal(pol_usage_write_json(u, f), -EIO);
	fclose(f);
	f = fopen("/dev/full", "w");
	assert_int_equal(pol_learn_write(u, NULL, "c", f), -EIO);
	fclose(f);
	pol_usage_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(output_independent_of_order),
		cmocka_unit_test(text_report_exact),
		cmocka_unit_test(empty_usage),
		cmocka_unit_test(seen_and_kinds),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(long_targets_are_cut),
		cmocka_unit_test(hostile_text_is_escaped),
		cmocka_unit_test(json_is_valid_and_escaped),
		cmocka_unit_test(package_limit),
		cmocka_unit_test(learn_exact),
		cmocka_unit_test(learn_merge),
		cmocka_unit_test(learned_policy_loads_back),
		cmocka_unit_test(merged_policy_loads_back),
		cmocka_unit_test(merged_args_load_back),
		cmocka_unit_test(secimport_base_loads_back),
		cmocka_unit_test(write_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
