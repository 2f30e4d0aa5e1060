// SPDX-License-Identifier: MIT
/* Unit tests: the policy loader (sisup's and secimport's formats, errors with
 * their positions, merging, file handling) and the vocabulary. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "args.h"
#include "policy.h"

#define NAME "t.yaml"

static int load(struct pol_policy *p, const char *yaml, struct pol_error *e)
{
	return pol_load_buffer(p, NAME, yaml, strlen(yaml), e);
}

static struct pol_policy *load_ok(const char *yaml)
{
	struct pol_policy *p = pol_policy_new();
	struct pol_error e;
	int rc;

	assert_non_null(p);
	rc = load(p, yaml, &e);
	if (rc)
		print_error("unexpected error %d at %u:%u: %s (%s)\n", rc, e.line, e.column,
			    e.message, e.hint);
	assert_int_equal(rc, 0);
	return p;
}

static const struct pol_module *module(const struct pol_policy *p, const char *name)
{
	for (size_t i = 0; i < p->nmodules; i++)
		if (strcmp(p->modules[i].name, name) == 0)
			return &p->modules[i];
	return NULL;
}

static bool has(const struct pol_grants *g, const char *syscall)
{
	return pol_grants_syscall(g, pol_syscall_parse(syscall));
}

static bool no_syscalls(const struct pol_grants *g)
{
	for (size_t i = 0; i < sizeof(g->syscalls); i++)
		if (g->syscalls[i])
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Every class of error: the position and what the message and hint say. */

static const struct bad {
	const char *what;
	const char *yaml;
	unsigned line, column;
	const char *message;	/* substring */
	const char *hint;	/* substring; NULL: not checked */
} bad[] = {
	/* version */
	{ "version 2", "version: 2\n", 1, 10, "unsupported policy version '2'", "reads version 1" },
	{ "version huge", "version: 99999999999999999999999\n", 1, 10,
	  "unsupported policy version '9999", "reads version 1" },
	{ "version word", "version: one\n", 1, 10, "expected an integer for 'version'", "version: 1" },
	{ "version quoted", "version: \"1\"\n", 1, 10, "expected an integer", "version: 1" },
	{ "version list", "version: [1]\n", 1, 10, "expected an integer for 'version', found a list",
	  NULL },
	{ "no version", "modules: {}\n", 1, 1, "missing 'version'", "version: 1" },
	{ "no version, typo", "# sisup\nverison: 1\n", 2, 1, "missing 'version'", "version: 1" },
	/* unknown keys, with the valid ones */
	{ "top key", "version: 1\nsemantic: stack\n", 2, 1, "unknown key 'semantic'",
	  "did you mean 'semantics'? valid keys: version, default, semantics, transparent, inherit, modules" },
	{ "module key", "version: 1\nmodules:\n  requests:\n    alow: [dns]\n", 4, 5,
	  "unknown key 'alow' in module 'requests'", "allow, on_violation, import" },
	{ "key case", "version: 1\nModules: {}\n", 2, 1, "unknown key 'Modules'", "'modules'" },
	{ "inherit key", "version: 1\ninherit: {process: false}\n", 2, 11,
	  "unknown key 'process' in inherit", "processes, threads" },
	{ "default key", "version: 1\ndefault: {allow: [dns], imports: false}\n", 2, 25,
	  "unknown key 'imports' in default", "did you mean 'import'" },
	/* wrong types */
	{ "allow string", "version: 1\nmodules:\n  requests:\n    allow: dns\n", 4, 12,
	  "expected a list for 'allow', found a single value", "allow: [dns" },
	{ "modules list", "version: 1\nmodules:\n  - requests\n", 3, 3,
	  "expected a mapping for 'modules', found a list", NULL },
	{ "module string", "version: 1\nmodules:\n  requests: dns\n", 3, 13,
	  "expected a mapping for 'requests'", NULL },
	{ "top list", "- version: 1\n", 1, 1, "expected a mapping at the top", "version: 1" },
	{ "top scalar", "hello\n", 1, 1, "expected a mapping at the top", NULL },
	{ "import word", "version: 1\nmodules:\n  a:\n    import: yes\n", 4, 13,
	  "expected true or false for 'import'", "import: true" },
	{ "import quoted", "version: 1\nmodules: {a: {import: \"true\"}}\n", 2, 23,
	  "expected true or false", NULL },
	{ "inherit list", "version: 1\ninherit: [processes]\n", 2, 10, "expected a mapping for 'inherit'",
	  NULL },
	/* argument rules: the item, its key, its list or the pattern */
	{ "args on dns", "version: 1\nmodules: {a: {allow: [{dns: 1}]}}\n", 2, 24,
	  "capability 'dns' takes no arguments", "write dns as a bare name" },
	{ "args on syscall", "version: 1\nmodules: {a: {allow: [{read: [x]}]}}\n", 2, 24,
	  "syscall 'read' takes no arguments", "bare name" },
	{ "args on group", "version: 1\nmodules: {a: {allow: [{\"@network-io\": [x]}]}}\n", 2, 24,
	  "group '@network-io' takes no arguments", "bare name" },
	{ "args unknown cap", "version: 1\nmodules: {a: {allow: [{fs-wirte: [/a]}]}}\n", 2, 24,
	  "unknown capability 'fs-wirte'", "did you mean 'fs-write'?" },
	{ "args two keys", "version: 1\nmodules: {a: {allow: [{fs-read: [/a], exec: [/b]}]}}\n", 2,
	  23, "an allow item with arguments has one key, found 2", "one item per capability" },
	{ "args empty", "version: 1\nmodules: {a: {allow: [{fs-write: []}]}}\n", 2, 34,
	  "an empty list of arguments for fs-write", "the bare name fs-write" },
	{ "args null", "version: 1\nmodules: {a: {allow: [{fs-write: }]}}\n", 2, 34,
	  "expected a list of arguments for fs-write", NULL },
	{ "args scalar", "version: 1\nmodules: {a: {allow: [{fs-write: /a}]}}\n", 2, 34,
	  "expected a list of arguments for fs-write, found a single value", "[PATTERN, ...]" },
	{ "args relative", "version: 1\nmodules: {a: {allow: [{fs-write: [var/log]}]}}\n", 2, 35,
	  "fs-write 'var/log': a relative path", "absolute path" },
	{ "args relative block", "version: 1\nmodules:\n  a:\n    allow:\n      - {exec: [git]}\n",
	  5, 17, "exec 'git': a relative path", "absolute" },
	{ "args dotdot", "version: 1\nmodules: {a: {allow: [{fs-read: [\"/a/../b\"]}]}}\n", 2, 34,
	  "a '..' component", "without '.' and '..'" },
	{ "args dot", "version: 1\nmodules: {a: {allow: [{fs-read: [/a/./b]}]}}\n", 2, 34,
	  "a '.' component", NULL },
	{ "args dstar in name", "version: 1\nmodules: {a: {allow: [{fs-read: [\"/a/b**\"]}]}}\n", 2,
	  34, "'**' inside a name", "stands alone" },
	{ "args pattern list", "version: 1\nmodules: {a: {allow: [{fs-read: [[/a]]}]}}\n", 2, 34,
	  "expected a pattern, found a list", NULL },
	{ "args bad port", "version: 1\nmodules: {a: {allow: [{net-connect: [\"1.2.3.4:70000\"]}]}}\n",
	  2, 38, "bad port '70000'", "0..65535" },
	{ "args port word", "version: 1\nmodules: {a: {allow: [{net-connect: [\"1.2.3.4:http\"]}]}}\n",
	  2, 38, "bad port 'http'", NULL },
	{ "args no port", "version: 1\nmodules: {a: {allow: [{net-listen: [1.2.3.4]}]}}\n", 2, 37,
	  "no port in '1.2.3.4'", ":443" },
	{ "args bad cidr", "version: 1\nmodules: {a: {allow: [{net-connect: [\"10.0.0.0/33:80\"]}]}}\n",
	  2, 38, "bad prefix length '/33'", "at most /32" },
	{ "args bad cidr v6", "version: 1\nmodules: {a: {allow: [{net-connect: [\"[::/129]:80\"]}]}}\n",
	  2, 38, "bad prefix length '/129'", "at most /128" },
	{ "args cidr word", "version: 1\nmodules: {a: {allow: [{net-connect: [\"10.0.0.0/x:80\"]}]}}\n",
	  2, 38, "bad prefix length '/x'", NULL },
	{ "args bad ip", "version: 1\nmodules: {a: {allow: [{net-connect: [\"1.2.3.999:80\"]}]}}\n", 2,
	  38, "bad address '1.2.3.999'", NULL },
	{ "args v6 unbracketed", "version: 1\nmodules: {a: {allow: [{net-connect: [\"::1:80\"]}]}}\n", 2,
	  38, "an IPv6 address without brackets", "[::1]:8080" },
	{ "args v6 no close", "version: 1\nmodules: {a: {allow: [{net-connect: [\"[::1:80\"]}]}}\n", 2,
	  38, "expected ']:'", NULL },
	{ "args empty abstract", "version: 1\nmodules: {a: {allow: [{net-unix: [\"@\"]}]}}\n", 2, 35,
	  "bad abstract socket name", NULL },
	{ "args in default", "version: 1\ndefault: [{signal: [x]}]\n", 2, 12,
	  "capability 'signal' takes no arguments", NULL },
	{ "key is a list", "version: 1\n[a]: b\n", 2, 1, "a key must be a name, not a list", NULL },
	{ "semantics", "version: 1\nsemantics: outermost\n", 2, 12, "unknown semantics 'outermost'",
	  "innermost" },
	{ "default word", "version: 1\ndefault: deny\n", 2, 10, "unknown default 'deny'",
	  "a list of grants" },
	/* names */
	{ "cap typo", "version: 1\nmodules:\n  requests:\n    allow: [dnss]\n", 4, 13,
	  "unknown capability or syscall 'dnss'", "did you mean 'dns'?" },
	{ "cap typo 2", "version: 1\nmodules: {a: {allow: [dns, net-conect]}}\n", 2, 28,
	  "unknown capability or syscall 'net-conect'", "did you mean 'net-connect'?" },
	{ "syscall typo", "version: 1\nmodules: {a: {allow: [conect]}}\n", 2, 23,
	  "unknown capability or syscall 'conect'", "did you mean 'connect'?" },
	{ "group typo", "version: 1\nmodules: {a: {allow: [\"@network\"]}}\n", 2, 23,
	  "unknown group '@network'", "did you mean '@network-io'?" },
	{ "group without @", "version: 1\nmodules: {a: {allow: [network-io]}}\n", 2, 23,
	  "unknown capability or syscall 'network-io'", "'@network-io'" },
	{ "far name", "version: 1\nmodules: {a: {allow: [frobnicate]}}\n", 2, 23,
	  "unknown capability or syscall 'frobnicate'", "see docs/policy.md for the capability list" },
	{ "other arch syscall", "version: 1\nmodules: {a: {allow: [socketcall]}}\n", 2, 23,
	  "unknown capability or syscall 'socketcall'", NULL },
	{ "module name", "version: 1\nmodules:\n  foo-bar: {}\n", 3, 3,
	  "'foo-bar' is not a Python module name", "dotted name" },
	{ "module digit", "version: 1\nmodules:\n  9lives: {}\n", 3, 3, "not a Python module name", NULL },
	{ "module dots", "version: 1\nmodules:\n  a..b: {}\n", 3, 3, "not a Python module name", NULL },
	{ "module relative path", "version: 1\nmodules:\n  usr/lib: {}\n", 3, 3,
	  "not a Python module name", "/opt/plugins/" },
	{ "module path dotdot", "version: 1\nmodules:\n  /usr/../etc/: {}\n", 3, 3, "contains '..'",
	  NULL },
	{ "module path control", "version: 1\nmodules:\n  \"/a\\nb\": {}\n", 3, 3,
	  "control character", NULL },
	{ "transparent path", "version: 1\ntransparent: [/opt/x]\n", 2, 15, "not paths", NULL },
	{ "module escape", "version: 1\nmodules:\n  \"a\\eb\": {}\n", 3, 3, "'a\\x1bb'", NULL },
	{ "module NUL", "version: 1\nmodules:\n  \"a\\0b\": {}\n", 3, 3, "contains a NUL character",
	  NULL },
	{ "transparent name", "version: 1\ntransparent: [ok, not ok]\n", 2, 19,
	  "'not ok' is not a Python module name", NULL },
	/* on_violation */
	{ "action", "version: 1\nmodules: {a: {on_violation: explode}}\n", 2, 29,
	  "unknown action 'explode'", "deny, kill, log or {deny: ERRNO}" },
	{ "errno name", "version: 1\nmodules: {a: {on_violation: {deny: EFOO}}}\n", 2, 36,
	  "unknown errno name 'EFOO'", "EPERM" },
	{ "errno 0", "version: 1\nmodules: {a: {on_violation: {deny: 0}}}\n", 2, 36,
	  "errno '0' is out of range", "1..4095" },
	{ "errno 4096", "version: 1\nmodules: {a: {on_violation: {deny: 4096}}}\n", 2, 36,
	  "errno '4096' is out of range", NULL },
	{ "errno huge", "version: 1\nmodules: {a: {on_violation: {deny: 123456789012345678901}}}\n",
	  2, 36, "out of range", NULL },
	{ "kill errno", "version: 1\nmodules: {a: {on_violation: {kill: EIO}}}\n", 2, 30,
	  "unknown key 'kill' in on_violation", "only deny takes an errno" },
	{ "two actions", "version: 1\nmodules: {a: {on_violation: {deny: EIO, log: 1}}}\n", 2, 29,
	  "on_violation takes one key, found 2", NULL },
	/* duplicates */
	{ "module twice", "version: 1\nmodules:\n  a: {}\n  b: {}\n  a: {allow: [dns]}\n", 5, 3,
	  "module 'a' is defined twice; first at t.yaml:3", NULL },
	{ "key twice", "version: 1\nsemantics: stack\nsemantics: innermost\n", 3, 1,
	  "key 'semantics' appears twice; first at line 2", NULL },
	{ "module key twice", "version: 1\nmodules:\n  a:\n    import: true\n    allow: []\n"
			      "    import: false\n", 6, 5, "key 'import' appears twice; first at line 4",
	  NULL },
	{ "earliest second", "version: 1\nmodules:\n  b: {}\n  a: {}\n  a: {}\n  b: {}\n", 5, 3,
	  "module 'a' is defined twice; first at t.yaml:4", NULL },
	/* YAML features the language does not have */
	{ "anchor", "version: 1\ntransparent: &x [a]\n", 2, 14, "aliases are not supported", NULL },
	{ "alias", "version: 1\ntransparent: *x\n", 2, 14, "aliases are not supported", NULL },
	{ "laughs", "version: 1\na: &a [\"lol\",\"lol\"]\nb: &b [*a,*a]\nc: [*b,*b]\n", 2, 4,
	  "aliases are not supported", NULL },
	{ "tag", "version: !!int 1\n", 1, 10, "tags are not supported", NULL },
	{ "local tag", "version: 1\nmodules: !thing {}\n", 2, 10, "tags are not supported", NULL },
	{ "tag directive", "%TAG ! tag:x,2000:\n---\nversion: 1\n", 1, 1, "tags are not supported",
	  NULL },
	{ "two documents", "version: 1\n---\nversion: 1\n", 2, 1, "more than one YAML document",
	  NULL },
	{ "empty", "", 0, 0, "empty policy", "version: 1" },
	{ "comments", "# a policy\n\n   # nothing yet\n", 0, 0, "empty policy", "version: 1" },
	{ "bare document", "---\n...\n", 0, 0, "empty policy", NULL },
	/* syntax and encoding */
	{ "syntax", "version: 1\nmodules: [a\n", 3, 1, "invalid YAML", NULL },
	{ "tab indent", "version: 1\nmodules:\n\ta: {}\n", 3, 1, "invalid YAML", NULL },
	{ "bad utf-8", "version: 1\n\x80\x81: x\n", 2, 1, "invalid YAML: invalid leading UTF-8 octet",
	  "UTF-8" },
	{ "control char", "version: 1\nmodules: {\x01}\n", 2, 11,
	  "invalid YAML: control characters are not allowed", NULL },
	/* mixing the formats */
	{ "secimport key with version", "version: 1\nmodules:\n  requests:\n    destructive: true\n", 4, 5,
	  "'destructive' is a secimport key", "remove version:" },
	{ "sisup key in secimport", "modules:\n  a:\n    destructive: true\n    allow: [dns]\n", 4, 5,
	  "unknown key 'allow' in module 'a'", "add \"version: 1\"" },
	{ "secimport extra top key", "modules:\n  a: {destructive: true}\nsemantics: stack\n", 3, 1,
	  "unknown key 'semantics'", "secimport's format" },
	{ "secimport bad name", "modules:\n  a b: {destructive: true}\n", 2, 3,
	  "'a b' is not a module name, a path or a <filename>", NULL },
	{ "secimport control", "modules:\n  \"/a\\nb\": {destructive: true}\n", 2, 3,
	  "contains a control character", NULL },
	{ "secimport entry type", "modules:\n  /caf\xc3\xa9: 1\n  a: {destructive: true}\n", 2, 10,
	  "expected a mapping for '/caf\\xc3\\xa9', found a single value", NULL },
	{ "secimport destructive", "modules:\n  a: {destructive: maybe}\n", 2, 20,
	  "expected true or false for 'destructive'", NULL },
	{ "secimport list", "modules:\n  a: {syscall_allowlist: read}\n", 2, 26,
	  "expected a list for 'syscall_allowlist'", NULL },
	{ "secimport twice", "modules:\n  a: {destructive: true}\n  a: {}\n", 3, 3,
	  "module 'a' is defined twice; first at t.yaml:2", NULL },
};

static void errors_have_positions(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad *c = &bad[i];
		struct pol_policy *p = pol_policy_new();
		struct pol_error e;
		int rc;

		assert_non_null(p);
		rc = load(p, c->yaml, &e);
		if (rc != -EINVAL || e.line != c->line || e.column != c->column ||
		    !strstr(e.message, c->message) || (c->hint && !strstr(e.hint, c->hint)) ||
		    strcmp(e.file, NAME) != 0) {
			print_error("case '%s': rc %d at %u:%u: \"%s\" hint \"%s\"; expected %u:%u "
				    "\"%s\" hint \"%s\"\n", c->what, rc, e.line, e.column, e.message,
				    e.hint, c->line, c->column, c->message, c->hint ? c->hint : "");
			failures++;
		}
		/* the policy is untouched */
		assert_int_equal(p->nmodules, 0);
		assert_int_equal(p->nfiles, 0);
		pol_policy_free(p);
	}
	assert_int_equal(failures, 0);
}

/* Built text: nesting, counts and lengths at and over the bounds. */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * n + tl + 1), *o = s;

	assert_non_null(s);
	memcpy(o, head, hl);
	o += hl;
	for (size_t i = 0; i < n; i++, o += ul)
		memcpy(o, unit, ul);
	memcpy(o, tail, tl + 1);
	return s;
}

static void bounds(void **state)
{
	struct pol_policy *p = pol_policy_new();
	struct pol_error e;
	char *s, name[POL_NAME_MAX + 2];

	(void)state;
	assert_non_null(p);
	/* 16 levels is fine (the top mapping is the first), 17 is not */
	s = repeat("version: 1\nx: ", "[", 15, "");
	assert_int_equal(load(p, s, &e), -EINVAL);
	assert_null(strstr(e.message, "deeper"));	/* an unclosed list, not depth */
	free(s);
	s = repeat("version: 1\nx: ", "[", 100000, "");
	assert_int_equal(load(p, s, &e), -EINVAL);
	assert_string_equal(e.message, "nesting is deeper than 16 levels");
	assert_int_equal(e.line, 2);
	assert_int_equal(e.column, 4 + 15);
	free(s);

	/* module names up to POL_NAME_MAX bytes */
	memset(name, 'a', sizeof(name));
	name[POL_NAME_MAX] = '\0';
	s = malloc(strlen(name) + 64);
	assert_non_null(s);
	sprintf(s, "version: 1\nmodules:\n  %s: {}\n", name);
	assert_int_equal(load(p, s, &e), 0);
	assert_int_equal(p->nmodules, 1);
	name[POL_NAME_MAX] = 'a';
	name[POL_NAME_MAX + 1] = '\0';
	sprintf(s, "version: 1\nmodules:\n  %s: {}\n", name);
	assert_int_equal(load(p, s, &e), -EINVAL);
	assert_non_null(strstr(e.message, "longer than 255 bytes"));
	assert_int_equal(e.line, 3);
	assert_int_equal(e.column, 3);
	free(s);
	pol_policy_free(p);

	/* POL_MODULES_MAX modules, then one more */
	p = pol_policy_new();
	assert_non_null(p);
	{
		size_t cap = (POL_MODULES_MAX + 1) * 16 + 64, o;

		s = malloc(cap);
		assert_non_null(s);
		o = (size_t)sprintf(s, "version: 1\nmodules:\n");
		for (int i = 0; i < POL_MODULES_MAX; i++)
			o += (size_t)sprintf(s + o, "  m%d: {}\n", i);
		assert_int_equal(load(p, s, &e), 0);
		assert_int_equal(p->nmodules, POL_MODULES_MAX);
		sprintf(s + o, "  extra: {}\n");
		assert_int_equal(load(p, s, &e), -EINVAL);
		assert_non_null(strstr(e.message, "more than 4096 modules"));
		assert_int_equal(e.line, 3 + POL_MODULES_MAX);
		/* merged: the same 4096 again is fine, one new one is not */
		assert_int_equal(load(p, "version: 1\nmodules: {m0: {}}\n", &e), 0);
		assert_int_equal(load(p, "version: 1\nmodules: {other: {}}\n", &e), -EINVAL);
		assert_non_null(strstr(e.message, "more than 4096 modules in the merged policy"));
		assert_int_equal(p->nmodules, POL_MODULES_MAX);
		free(s);
	}
	pol_policy_free(p);

	/* transparent: at most POL_MODULES_MAX items, repeats included */
	s = repeat("version: 1\ntransparent: [", "a, ", POL_MODULES_MAX, "b]\n");
	assert_int_equal(load(p, s, &e), -EINVAL);
	assert_non_null(strstr(e.message, "more than 4096 transparent modules"));
	assert_int_equal(e.column, 15 + 3 * POL_MODULES_MAX);
	free(s);

	/* a flat list of more than a million values */
	p = pol_policy_new();
	assert_non_null(p);
	s = repeat("version: 1\ntransparent: [", "a,", (1u << 20) + 8, "]\n");
	assert_int_equal(load(p, s, &e), -EINVAL);
	assert_non_null(strstr(e.message, "more than 1048576 values"));
	free(s);
	/* over POL_FILE_MAX in memory */
	s = repeat("version: 1\n", "#", POL_FILE_MAX, "\n");
	assert_int_equal(load(p, s, &e), -EFBIG);
	assert_non_null(strstr(e.message, "the limit is 4194304"));
	free(s);
	pol_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* What a valid policy says.                                          */

static const char full[] =
	"# every key\n"
	"version: 1\n"
	"default: {allow: [fs-read, \"@signal\"], on_violation: log, import: false}\n"
	"semantics: innermost\n"
	"transparent: [some.dispatcher, other, other]\n"
	"inherit: {processes: false, threads: true}\n"
	"modules:\n"
	"  requests:\n"
	"    allow: [dns, net-connect, \"@network-io\", connect]\n"
	"    on_violation: kill\n"
	"    import: true\n"
	"  urllib3.util:\n"
	"    allow: [openat, mount_setattr]\n"
	"    on_violation: {deny: ENOSYS}\n"
	"  __main__:\n"
	"    on_violation: {deny: 13}\n"
	"    import: False\n"
	"  quiet:\n"
	"    on_violation: log\n"
	"    allow:\n"
	"  empty:\n";

/* Code without a module name is named by its directory (what learn writes). */
static void path_entries(void **state)
{
	struct pol_policy *p = load_ok("version: 1\nmodules:\n  \"/opt/plugins/\": {allow: [exec]}\n"
				       "  requests: {allow: [dns]}\n");
	const struct pol_module *m;

	(void)state;
	m = module(p, "/opt/plugins/");
	assert_non_null(m);
	assert_int_equal(m->match, POL_MATCH_PATH);
	assert_int_equal(m->allow.caps, POL_CAP(POL_CAP_EXEC));
	m = module(p, "requests");
	assert_non_null(m);
	assert_int_equal(m->match, POL_MATCH_MODULE);
	pol_policy_free(p);
}

static void full_example(void **state)
{
	struct pol_policy *p = load_ok(full);
	const struct pol_module *m;
	char buf[128];

	(void)state;
	assert_int_equal(p->version, 1);
	assert_false(p->secimport);
	assert_false(p->default_allow);
	assert_int_equal(p->def.caps, POL_CAP(POL_CAP_FS_READ));
	assert_true(has(&p->def, "rt_sigaction") && has(&p->def, "kill"));
	assert_false(p->def.import);
	assert_int_equal(p->def_action, POL_LOG);
	assert_string_equal(p->def_file, NAME);
	assert_int_equal(p->def_line, 3);
	assert_int_equal(p->def_column, 1);
	assert_int_equal(p->semantics, POL_SEM_INNERMOST);
	assert_false(p->inherit_processes);
	assert_true(p->inherit_threads);
	assert_int_equal(p->ntransparent, 2);	/* duplicates folded */
	assert_string_equal(p->transparent[0], "some.dispatcher");
	assert_string_equal(p->transparent[1], "other");
	assert_int_equal(p->nfiles, 1);
	assert_string_equal(p->files[0], NAME);
	assert_int_equal(p->nmodules, 5);

	m = module(p, "requests");
	assert_non_null(m);
	assert_int_equal(m->match, POL_MATCH_MODULE);
	assert_string_equal(pol_capset_format(m->allow.caps, buf, sizeof(buf)), "dns, net-connect");
	assert_true(has(&m->allow, "connect") && has(&m->allow, "recvmmsg") &&
		    has(&m->allow, "socket"));
	assert_false(has(&m->allow, "openat"));
	assert_int_equal(m->on_violation, POL_KILL);
	assert_true(m->allow.import);
	assert_true(m->file == p->files[0]);
	assert_int_equal(m->line, 8);
	assert_int_equal(m->column, 3);

	m = module(p, "urllib3.util");
	assert_non_null(m);
	assert_int_equal(m->allow.caps, 0);
	assert_true(has(&m->allow, "openat") && has(&m->allow, "mount_setattr"));
	assert_int_equal(m->on_violation, POL_DENY);
	assert_int_equal(m->error, ENOSYS);
	assert_true(m->allow.import);

	m = module(p, "__main__");
	assert_non_null(m);
	assert_int_equal(m->on_violation, POL_DENY);
	assert_int_equal(m->error, EACCES);
	assert_false(m->allow.import);
	assert_true(no_syscalls(&m->allow));

	m = module(p, "quiet");	/* allow: with nothing is an empty list */
	assert_non_null(m);
	assert_int_equal(m->on_violation, POL_LOG);
	assert_true(no_syscalls(&m->allow) && m->allow.caps == 0);

	m = module(p, "empty");	/* a module with nothing: confined, deny EPERM */
	assert_non_null(m);
	assert_int_equal(m->on_violation, POL_DENY);
	assert_int_equal(m->error, EPERM);
	assert_true(m->allow.import);
	assert_int_equal(m->line, 21);
	pol_policy_free(p);
}

static void defaults(void **state)
{
	struct pol_policy *p = load_ok("version: 1\n");

	(void)state;
	assert_true(p->default_allow);
	assert_int_equal(p->semantics, POL_SEM_STACK);
	assert_true(p->inherit_processes && p->inherit_threads);
	assert_int_equal(p->nmodules, 0);
	assert_null(p->def_file);
	pol_policy_free(p);

	/* a list as default: confine every other package to it, deny EPERM */
	p = load_ok("version: 1\ndefault: [dns, read]\n");
	assert_false(p->default_allow);
	assert_int_equal(p->def.caps, POL_CAP(POL_CAP_DNS));
	assert_true(has(&p->def, "read"));
	assert_int_equal(p->def_action, POL_DENY);
	assert_int_equal(p->def_error, EPERM);
	assert_true(p->def.import);
	pol_policy_free(p);

	/* flow style, quoting, a BOM, CRLF and an explicit document */
	p = load_ok("\xef\xbb\xbf%YAML 1.1\r\n---\r\n{'version': 1, \"modules\": {x.y: {allow: ['dns']}}}\r\n...\r\n");
	assert_int_equal(p->nmodules, 1);
	assert_int_equal(p->modules[0].allow.caps, POL_CAP(POL_CAP_DNS));
	pol_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* secimport's format.                                                 */

static const char secimport_example[] =
	"modules:\n"
	"  /workspace/Python-3.11.8/Lib/codecs.py:\n"
	"    destructive: false\n"
	"    syscall_allowlist:\n"
	"    - ' close'\n"
	"    - ' dup'\n"
	"  <frozen importlib._bootstrap>:\n"
	"    destructive: false\n"
	"    syscall_allowlist: [' brk']\n"
	"  /workspace/lib/python3.10/site-packages/urllib3/c:\n"
	"    destructive: true\n"
	"    syscall_allowlist: [' connect']\n"
	"  requests:\n"
	"    destructive: true\n"
	"    syscall_allowlist: [fstat64, read_nocancel, kqueue, open]\n"
	"  general_requirements:\n"
	"    destructive: false\n"
	"    syscall_allowlist: [' brk', ' mmap']\n";

static void secimport(void **state)
{
	struct pol_policy *p = load_ok(secimport_example);
	const struct pol_module *m;

	(void)state;
	assert_true(p->secimport);
	assert_int_equal(p->version, 1);
	assert_int_equal(p->semantics, POL_SEM_INNERMOST);
	assert_true(p->default_allow);
	assert_int_equal(p->secimport_skipped, 3);	/* fstat64, read_nocancel, kqueue */
	assert_int_equal(p->nmodules, 4);		/* general_requirements is no entry */
	assert_null(module(p, "general_requirements"));
	for (size_t i = 0; i < p->nmodules; i++) {
		m = &p->modules[i];
		/* general_requirements went to everyone */
		assert_true(has(&m->allow, "brk") && has(&m->allow, "mmap"));
		assert_int_equal(m->allow.caps, 0);
		assert_true(m->allow.import);
	}

	m = module(p, "/workspace/Python-3.11.8/Lib/codecs.py");
	assert_non_null(m);
	assert_int_equal(m->match, POL_MATCH_PATH);
	assert_true(has(&m->allow, "close") && has(&m->allow, "dup"));
	assert_false(has(&m->allow, "connect"));
	assert_int_equal(m->on_violation, POL_DENY);
	assert_int_equal(m->error, EPERM);
	assert_int_equal(m->line, 2);

	m = module(p, "<frozen importlib._bootstrap>");
	assert_non_null(m);
	assert_int_equal(m->match, POL_MATCH_FILENAME);

	m = module(p, "/workspace/lib/python3.10/site-packages/urllib3/c");
	assert_non_null(m);
	assert_int_equal(m->match, POL_MATCH_PATH);
	assert_int_equal(m->on_violation, POL_KILL);
	assert_true(has(&m->allow, "connect"));

	m = module(p, "requests");
	assert_non_null(m);
	assert_int_equal(m->match, POL_MATCH_MODULE);
	assert_int_equal(m->on_violation, POL_KILL);
	assert_true(has(&m->allow, "open"));
	assert_false(has(&m->allow, "close"));
	pol_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Merging.                                                            */

static const char base[] =
	"version: 1\n"
	"transparent: [a.dispatch]\n"
	"modules:\n"
	"  requests:\n"
	"    allow: [dns, read]\n"
	"    on_violation: log\n"
	"  lxml:\n"
	"    allow: [fs-read]\n"
	"    on_violation: {deny: EIO}\n"
	"    import: false\n"
	"  boto:\n"
	"    on_violation: kill\n";

static const char overrides[] =
	"version: 1\n"
	"default: [fs-read]\n"
	"semantics: innermost\n"
	"inherit: {threads: false}\n"
	"transparent: [a.dispatch, b]\n"
	"modules:\n"
	"  requests:\n"
	"    allow: [net-connect, write]\n"
	"    on_violation: deny\n"
	"  lxml:\n"
	"    on_violation: {deny: ENOSYS}\n"
	"  boto:\n"
	"    allow: [dns]\n"
	"    on_violation: log\n"
	"  new.one: {}\n";

static void merging(void **state)
{
	struct pol_policy *p = pol_policy_new();
	struct pol_error e;
	const struct pol_module *m;
	char buf[128];

	(void)state;
	assert_non_null(p);
	assert_int_equal(pol_load_buffer(p, "base.yaml", base, strlen(base), &e), 0);
	assert_int_equal(pol_load_buffer(p, "over.yaml", overrides, strlen(overrides), &e), 0);
	assert_int_equal(p->nfiles, 2);
	assert_string_equal(p->files[0], "base.yaml");
	assert_string_equal(p->files[1], "over.yaml");
	assert_int_equal(p->nmodules, 4);

	/* union of grants; deny is stricter than log */
	m = module(p, "requests");
	assert_string_equal(pol_capset_format(m->allow.caps, buf, sizeof(buf)), "dns, net-connect");
	assert_true(has(&m->allow, "read") && has(&m->allow, "write"));
	assert_int_equal(m->on_violation, POL_DENY);
	assert_int_equal(m->error, EPERM);
	/* the later file's place */
	assert_true(m->file == p->files[1]);
	assert_int_equal(m->line, 7);

	/* both deny: the later errno; import: kept unless the later file says */
	m = module(p, "lxml");
	assert_int_equal(m->allow.caps, POL_CAP(POL_CAP_FS_READ));
	assert_int_equal(m->on_violation, POL_DENY);
	assert_int_equal(m->error, ENOSYS);
	assert_false(m->allow.import);

	/* kill stays kill */
	m = module(p, "boto");
	assert_int_equal(m->on_violation, POL_KILL);
	assert_int_equal(m->allow.caps, POL_CAP(POL_CAP_DNS));

	m = module(p, "new.one");
	assert_non_null(m);
	assert_true(m->file == p->files[1]);

	/* scalars from the later file; what it does not say is kept */
	assert_false(p->default_allow);
	assert_true(p->def_file == p->files[1]);
	assert_int_equal(p->semantics, POL_SEM_INNERMOST);
	assert_true(p->inherit_processes);
	assert_false(p->inherit_threads);
	assert_int_equal(p->ntransparent, 2);
	assert_string_equal(p->transparent[1], "b");

	/* a later explicit import: wins; an unset on_violation keeps the old */
	assert_int_equal(load(p, "version: 1\nmodules: {lxml: {import: true}, requests: {}}\n", &e),
			 0);
	assert_true(module(p, "lxml")->allow.import);
	assert_int_equal(module(p, "requests")->on_violation, POL_DENY);
	/* deny then log, explicitly: deny stays */
	assert_int_equal(load(p, "version: 1\nmodules: {lxml: {on_violation: log}}\n", &e), 0);
	assert_int_equal(module(p, "lxml")->on_violation, POL_DENY);
	assert_int_equal(module(p, "lxml")->error, ENOSYS);
	pol_policy_free(p);
}

/* The brief's example of argument rules loads, with the rules as written. */
static void argument_rules(void **state)
{
	struct pol_policy *p = load_ok(
		"version: 1\n"
		"modules:\n"
		"  logging:\n"
		"    allow: [{fs-write: [\"/var/log/app/**\"]}]\n"
		"  requests:\n"
		"    allow: [dns, {net-connect: [\"127.0.0.1:8080\", \"*:443\", \"localhost:443\",\n"
		"                                \"10.0.0.0/8:*\", \"[::1]:8080\"]}]\n"
		"  build:\n"
		"    allow: [spawn, {exec: [/usr/bin/git]}]\n"
		"  ipc:\n"
		"    allow: [{net-unix: [\"/run/app/*.sock\", \"@my-abstract\"]},\n"
		"            {net-listen: [\"127.0.0.1:0\", \"*:8080\"]}]\n"
		"  mixed:\n"
		"    allow:\n"
		"      - fs-read\n"
		"      - {fs-read: [/etc/**]}\n"
		"      - {fs-read: [/etc/**, /srv/]}\n");
	const struct pol_module *m;
	char buf[256];

	(void)state;
	m = module(p, "requests");
	assert_int_equal(m->allow.caps, POL_CAP(POL_CAP_DNS));
	assert_string_equal(pol_args_format(m->allow.args, POL_CAP_NET_CONNECT, buf, sizeof(buf)),
			    "127.0.0.1:8080, *:443, localhost:443, 10.0.0.0/8:*, [::1]:8080");
	m = module(p, "ipc");
	assert_int_equal(m->allow.caps, 0);
	assert_int_equal(pol_args_caps(m->allow.args),
			 POL_CAP(POL_CAP_NET_UNIX) | POL_CAP(POL_CAP_NET_LISTEN));
	assert_string_equal(pol_args_format(m->allow.args, POL_CAP_NET_UNIX, buf, sizeof(buf)),
			    "/run/app/*.sock, @my-abstract");
	m = module(p, "build");
	assert_int_equal(m->allow.caps, POL_CAP(POL_CAP_SPAWN));
	assert_int_equal(pol_args_count(m->allow.args, POL_CAP_EXEC), 1);
	/* a bare grant and rules of the same capability: both kept, repeats once */
	m = module(p, "mixed");
	assert_int_equal(m->allow.caps, POL_CAP(POL_CAP_FS_READ));
	assert_string_equal(pol_args_format(m->allow.args, POL_CAP_FS_READ, buf, sizeof(buf)),
			    "/etc/**, /srv/");
	assert_non_null(module(p, "logging")->allow.args);
	assert_int_equal(p->argcaps, POL_CAP(POL_CAP_FS_WRITE) | POL_CAP(POL_CAP_NET_CONNECT) |
					     POL_CAP(POL_CAP_EXEC) | POL_CAP(POL_CAP_NET_UNIX) |
					     POL_CAP(POL_CAP_NET_LISTEN) | POL_CAP(POL_CAP_FS_READ));
	pol_policy_free(p);
}

/* Several files: rules are joined (no repeats), a later default replaces
 * the earlier one's, and nothing is shared between files' entries. */
static void argument_rules_merge(void **state)
{
	struct pol_policy *p = load_ok("version: 1\n"
				       "default: [{fs-read: [/a]}]\n"
				       "modules:\n"
				       "  r: {allow: [{net-connect: [\"*:443\"]}]}\n"
				       "  s: {allow: [{exec: [/bin/a]}]}\n");
	struct pol_error e;
	const struct pol_module *m;
	char buf[256];
	static const char over[] = "version: 1\n"
				   "default: [{fs-read: [/b]}]\n"
				   "modules:\n"
				   "  r: {allow: [{net-connect: [\"*:443\", \"*:80\"]}]}\n"
				   "  s: {allow: [exec]}\n"
				   "  t: {allow: [{fs-write: [/tmp/**]}]}\n";

	(void)state;
	assert_int_equal(pol_load_buffer(p, "over.yaml", over, strlen(over), &e), 0);
	m = module(p, "r");
	assert_string_equal(pol_args_format(m->allow.args, POL_CAP_NET_CONNECT, buf, sizeof(buf)),
			    "*:443, *:80");
	m = module(p, "s");
	/* a bare grant in any file wins; the rule stays for check and learn */
	assert_true(m->allow.caps & POL_CAP(POL_CAP_EXEC));
	assert_int_equal(pol_args_count(m->allow.args, POL_CAP_EXEC), 1);
	assert_string_equal(pol_args_format(p->def.args, POL_CAP_FS_READ, buf, sizeof(buf)), "/b");
	assert_int_equal(p->argcaps, POL_CAP(POL_CAP_NET_CONNECT) | POL_CAP(POL_CAP_EXEC) |
					     POL_CAP(POL_CAP_FS_READ) | POL_CAP(POL_CAP_FS_WRITE));
	/* the same file again: nothing changes */
	assert_int_equal(pol_load_buffer(p, "over.yaml", over, strlen(over), &e), 0);
	assert_int_equal(pol_args_count(module(p, "r")->allow.args, POL_CAP_NET_CONNECT), 2);
	/* a failing file leaves every rule set as it was (the same pointers) */
	{
		const struct pol_args *before = module(p, "r")->allow.args, *def = p->def.args;
		static const char broken[] = "version: 1\n"
					     "default: [{fs-read: [/c]}]\n"
					     "modules:\n"
					     "  r: {allow: [{net-connect: [\"*:22\"]}]}\n"
					     "  z: {allow: [{fs-read: [relative]}]}\n";

		assert_int_equal(pol_load_buffer(p, "broken.yaml", broken, strlen(broken), &e),
				 -EINVAL);
		assert_int_equal(e.line, 5);
		assert_true(module(p, "r")->allow.args == before);
		assert_true(p->def.args == def);
		assert_int_equal(pol_args_count(before, POL_CAP_NET_CONNECT), 2);
	}
	pol_policy_free(p);
}

/* A failed load leaves the policy exactly as it was. */
static void failed_merge_changes_nothing(void **state)
{
	static const char *const later[] = {
		/* fails after modules of its own were read */
		"version: 1\ndefault: [dns]\nmodules: {requests: {allow: [write]}, zzz: {}, x: {allow: [nope]}}\n",
		"version: 1\nsemantics: innermost\ntransparent: [c]\nbogus: 1\n",
		"version: 2\n",
		"modules:\n  requests: {destructive: true, syscall_allowlist: [write]}\n  bad name: {}\n",
	};
	struct pol_policy *p = pol_policy_new(), before;
	struct pol_module mods[3];
	struct pol_error e;

	(void)state;
	assert_non_null(p);
	assert_int_equal(pol_load_buffer(p, "base.yaml", base, strlen(base), &e), 0);
	before = *p;
	assert_int_equal(p->nmodules, 3);
	memcpy(mods, p->modules, sizeof(mods));
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
		assert_int_equal(load(p, later[i], &e), -EINVAL);
		/* arrays may have been reallocated: compare what they hold */
		assert_int_equal(p->nmodules, before.nmodules);
		assert_memory_equal(p->modules, mods, sizeof(mods));
		assert_int_equal(p->nfiles, 1);
		assert_string_equal(p->files[0], "base.yaml");
		assert_int_equal(p->ntransparent, 1);
		assert_string_equal(p->transparent[0], "a.dispatch");
		assert_true(p->default_allow == before.default_allow);
		assert_memory_equal(&p->def, &before.def, sizeof(p->def));
		assert_int_equal(p->semantics, before.semantics);
		assert_int_equal(p->secimport, before.secimport);
		assert_int_equal(p->secimport_skipped, before.secimport_skipped);
	}
	pol_policy_free(p);
}

static void secimport_merged_with_sisup(void **state)
{
	struct pol_policy *p = pol_policy_new();
	struct pol_error e;
	const struct pol_module *m;

	(void)state;
	assert_non_null(p);
	assert_int_equal(load(p, "version: 1\ndefault: [dns]\nmodules: {requests: {allow: [dns]}}\n",
			      &e), 0);
	assert_int_equal(load(p, secimport_example, &e), 0);
	/* secimport's file does not reopen the default */
	assert_false(p->default_allow);
	assert_true(p->secimport);
	assert_int_equal(p->semantics, POL_SEM_INNERMOST);
	m = module(p, "requests");
	assert_int_equal(m->allow.caps, POL_CAP(POL_CAP_DNS));
	assert_true(has(&m->allow, "open") && has(&m->allow, "brk"));
	assert_int_equal(m->on_violation, POL_KILL);
	assert_int_equal(p->nmodules, 4);
	pol_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Files.                                                              */

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sisup-polXXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void files(void **state)
{
	struct pol_policy *p = pol_policy_new();
	struct pol_error e;
	char path[128];
	int fd;

	(void)state;
	assert_non_null(p);
	/* a good one: the recorded name is the path */
	snprintf(path, sizeof(path), "%s/good.yaml", dir);
	write_file(path, full);
	assert_int_equal(pol_load_file(p, path, &e), 0);
	assert_int_equal(p->nfiles, 1);
	assert_string_equal(p->files[0], path);
	assert_true(module(p, "requests")->file == p->files[0]);

	/* an error names the file */
	snprintf(path, sizeof(path), "%s/bad.yaml", dir);
	write_file(path, "version: 1\nmodules:\n  a: {allow: [dnss]}\n");
	assert_int_equal(pol_load_file(p, path, &e), -EINVAL);
	assert_string_equal(e.file, path);
	assert_int_equal(e.line, 3);
	assert_int_equal(e.column, 15);

	/* 100 MB (sparse): refused from fstat, before reading */
	snprintf(path, sizeof(path), "%s/huge.yaml", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 100 << 20), 0);
	close(fd);
	assert_int_equal(pol_load_file(p, path, &e), -EFBIG);
	assert_non_null(strstr(e.message, "104857600 bytes"));
	assert_string_equal(e.file, path);
	/* one byte over the limit */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, POL_FILE_MAX + 1), 0);
	close(fd);
	assert_int_equal(pol_load_file(p, path, &e), -EFBIG);

	/* binary garbage */
	snprintf(path, sizeof(path), "%s/garbage", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	{
		unsigned char junk[4096];
		uint32_t x = 2463534242u;

		for (size_t i = 0; i < sizeof(junk); i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			junk[i] = (unsigned char)x;
		}
		assert_int_equal(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	}
	close(fd);
	assert_int_equal(pol_load_file(p, path, &e), -EINVAL);
	assert_non_null(strstr(e.message, "invalid YAML"));
	assert_true(e.line >= 1 && e.column >= 1);

	/* a directory, a missing file, a FIFO */
	assert_int_equal(pol_load_file(p, dir, &e), -EISDIR);
	assert_non_null(strstr(e.message, "Is a directory"));
	snprintf(path, sizeof(path), "%s/missing.yaml", dir);
	assert_int_equal(pol_load_file(p, path, &e), -ENOENT);
	assert_non_null(strstr(e.message, "No such file"));
	assert_string_equal(e.file, path);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(pol_load_file(p, path, &e), -EINVAL);
	assert_non_null(strstr(e.message, "not a regular file"));

	/* none of that changed the policy */
	assert_int_equal(p->nfiles, 1);
	assert_int_equal(p->nmodules, 5);
	pol_policy_free(p);
}

static void unreadable_file(void **state)
{
	struct pol_policy *p;
	struct pol_error e;
	char path[128];

	(void)state;
	if (geteuid() == 0) {
		print_message("  note: running as root, which reads any file: the EACCES case "
			      "is skipped\n");
		skip();
	}
	snprintf(path, sizeof(path), "%s/secret.yaml", dir);
	write_file(path, "version: 1\n");
	assert_int_equal(chmod(path, 0), 0);
	p = pol_policy_new();
	assert_non_null(p);
	assert_int_equal(pol_load_file(p, path, &e), -EACCES);
	assert_non_null(strstr(e.message, "Permission denied"));
	assert_int_equal(p->nfiles, 0);
	pol_policy_free(p);
}

/* ------------------------------------------------------------------ */
/* Vocabulary.                                                         */

static void vocabulary(void **state)
{
	static const char *const caps[] = { "net-connect", "net-listen", "net-unix", "dns",
					    "fs-read", "fs-write", "exec", "spawn", "signal",
					    "native-code", "inspect" };
	char buf[256], small[8];

	(void)state;
	for (int c = 0; c < POL_CAP_COUNT; c++) {
		assert_string_equal(pol_cap_name((enum pol_cap)c), caps[c]);
		assert_int_equal(pol_cap_parse(caps[c]), c);
	}
	assert_string_equal(pol_cap_name(POL_CAP_COUNT), "?");
	assert_int_equal(pol_cap_parse("DNS"), -1);
	assert_int_equal(pol_cap_parse(NULL), -1);

	assert_string_equal(pol_capset_format(0, buf, sizeof(buf)), "(none)");
	assert_string_equal(pol_capset_format(POL_CAP(POL_CAP_NET_CONNECT) | POL_CAP(POL_CAP_DNS),
					      buf, sizeof(buf)),
			    "dns, net-connect");
	assert_string_equal(pol_capset_format(POL_CAPS_ALL, buf, sizeof(buf)),
			    "dns, exec, fs-read, fs-write, inspect, native-code, net-connect, "
			    "net-listen, net-unix, signal, spawn");
	assert_string_equal(pol_capset_format(POL_CAPS_ALL, small, sizeof(small)), "dns, ex");

	assert_int_equal(pol_syscall_parse("socket"), 41);
	assert_int_equal(pol_syscall_parse("openat"), 257);
	assert_int_equal(pol_syscall_parse("socketcall"), -1);	/* i386 only */
	assert_int_equal(pol_syscall_parse("dns"), -1);
	assert_int_equal(pol_syscall_parse(""), -1);
	assert_int_equal(pol_syscall_parse(NULL), -1);
	assert_string_equal(pol_syscall_name(41), "socket");
	assert_true(pol_syscall_name(41) == pol_syscall_name(41));	/* cached */
	assert_null(pol_syscall_name(-1));
	assert_null(pol_syscall_name(POL_NR_MAX));
	assert_null(pol_syscall_name(POL_NR_MAX - 1));

	assert_string_equal(pol_action_name(POL_ALLOW), "allow");
	assert_string_equal(pol_action_name(POL_LOG), "log");
	assert_string_equal(pol_action_name(POL_DENY), "deny");
	assert_string_equal(pol_action_name(POL_KILL), "kill");
}

/* Each group's members, as a table: every name must be known to the
 * installed libseccomp (a newer libseccomp may know more; none may be lost). */
static const struct {
	const char *group;
	const char *members;	/* space-separated */
} groups[] = {
	{ "@network-io", "socket socketpair connect bind listen accept accept4 sendto sendmsg "
			 "sendmmsg recvfrom recvmsg recvmmsg getsockname getpeername setsockopt "
			 "getsockopt shutdown" },
	{ "@process", "fork vfork clone clone3 execve execveat kill tkill tgkill pidfd_open "
		      "pidfd_send_signal wait4 waitid rt_sigqueueinfo rt_tgsigqueueinfo prctl" },
	{ "@file-system", "open openat openat2 creat close mkdir mkdirat rmdir unlink unlinkat "
			  "rename renameat renameat2 link linkat symlink symlinkat readlink "
			  "readlinkat chmod fchmod fchmodat chown fchown lchown fchownat truncate "
			  "ftruncate stat fstat lstat newfstatat statx access faccessat faccessat2 "
			  "getdents64 chdir fchdir getcwd utime utimes futimesat utimensat mknod "
			  "mknodat statfs fstatfs" },
	{ "@signal", "kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo pidfd_send_signal "
		     "rt_sigaction rt_sigprocmask rt_sigreturn sigaltstack signalfd signalfd4" },
	{ "@mount", "mount umount2 pivot_root chroot open_tree move_mount fsopen fsconfig fsmount "
		    "fspick mount_setattr" },
	{ "@module", "init_module finit_module delete_module" },
	{ "@reboot", "reboot kexec_load kexec_file_load" },
	{ "@raw-io", "iopl ioperm" },
	{ "@ipc", "memfd_create pipe pipe2 msgget msgsnd msgrcv msgctl semget semop semctl shmget "
		  "shmat shmdt shmctl mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify "
		  "mq_getsetattr" },
	{ "@privileged", "mount umount2 pivot_root chroot open_tree move_mount fsopen fsconfig "
			 "fsmount fspick mount_setattr init_module finit_module delete_module "
			 "reboot kexec_load kexec_file_load iopl ioperm setuid setgid setreuid "
			 "setregid setresuid setresgid setgroups setfsuid setfsgid capset unshare "
			 "setns bpf keyctl add_key request_key" },
};

static void syscall_groups(void **state)
{
	const char *const *names = pol_group_names();
	size_t n = 0;

	(void)state;
	for (; names[n]; n++)
		;
	assert_int_equal(n, sizeof(groups) / sizeof(groups[0]));
	for (size_t i = 0; i < n; i++) {
		struct pol_grants want, got;
		char members[1024], *save = NULL;

		assert_string_equal(names[i], groups[i].group);
		memset(&want, 0, sizeof(want));
		memset(&got, 0, sizeof(got));
		snprintf(members, sizeof(members), "%s", groups[i].members);
		for (char *s = strtok_r(members, " ", &save); s; s = strtok_r(NULL, " ", &save)) {
			int nr = pol_syscall_parse(s);

			if (nr < 0)
				fail_msg("%s: libseccomp does not know %s", groups[i].group, s);
			pol_grants_add_syscall(&want, nr);
		}
		assert_int_equal(pol_group_expand(groups[i].group, &got), 0);
		assert_memory_equal(&got, &want, sizeof(got));
	}
	{
		struct pol_grants g;

		memset(&g, 0, sizeof(g));
		assert_int_equal(pol_group_expand("@nope", &g), -ENOENT);
		assert_int_equal(pol_group_expand("network-io", &g), -ENOENT);
		assert_true(no_syscalls(&g));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errors_have_positions),
		cmocka_unit_test(bounds),
		cmocka_unit_test(full_example),
		cmocka_unit_test(path_entries),
		cmocka_unit_test(defaults),
		cmocka_unit_test(secimport),
		cmocka_unit_test(merging),
		cmocka_unit_test(argument_rules),
		cmocka_unit_test(argument_rules_merge),
		cmocka_unit_test(failed_merge_changes_nothing),
		cmocka_unit_test(secimport_merged_with_sisup),
		cmocka_unit_test(files),
		cmocka_unit_test(unreadable_file),
		cmocka_unit_test(vocabulary),
		cmocka_unit_test(syscall_groups),
	};
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
