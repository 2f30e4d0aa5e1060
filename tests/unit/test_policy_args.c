// SPDX-License-Identifier: MIT
/* Unit tests: argument rules (policy/args.c): path globs, addresses, unix
 * socket names, exec programs through symlinks, merging and formatting. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "args.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static struct pol_args *one(enum pol_cap cap, const char *pattern)
{
	struct pol_args *a = NULL;
	char err[256], hint[256];
	int rc = pol_args_add(&a, cap, pattern, err, sizeof(err), hint, sizeof(hint));

	if (rc)
		print_error("'%s': %d %s (%s)\n", pattern, rc, err, hint);
	assert_int_equal(rc, 0);
	return a;
}

static struct pol_object path_obj(const char *path)
{
	struct pol_object o = { .kind = POL_OBJ_PATH, .path = path };

	return o;
}

/* ------------------------------------------------------------------ */
/* Paths.                                                              */

static const struct prow {
	const char *pattern, *path;
	bool match;
} prows[] = {
	{ "/var/log/app/**", "/var/log/app/x.log", true },
	{ "/var/log/app/**", "/var/log/app", true },	/* the directory itself: mkdir */
	{ "/var/log/app/**", "/var/log/application", false },
	{ "/var/log/app/**", "/var/log/application/x", false },
	{ "/var/log/app/**", "/var/log/app/a/b/c", true },
	{ "/var/log/app/**", "/var/log", false },
	{ "/var/log/app/*", "/var/log/app/x", true },
	{ "/var/log/app/*", "/var/log/app/a/b", false },
	{ "/var/log/app/*", "/var/log/app", false },
	{ "/var/log/*.log", "/var/log/syslog.log", true },
	{ "/var/log/*.log", "/var/log/a/b.log", false },
	{ "/var/log/*.log", "/var/log/.log", true },
	{ "/var/log/*.log", "/var/log/x.log.1", false },
	{ "/a/**/b", "/a/b", true },
	{ "/a/**/b", "/a/x/y/b", true },
	{ "/a/**/b", "/a/x/y/bc", false },
	{ "/a/**/b", "/a/b/x", false },
	{ "/a/**/b/**", "/a/x/b/c/d", true },
	{ "/a/**/**/b", "/a/b", true },
	{ "/a/*/c", "/a/b/c", true },
	{ "/a/*/c", "/a/c", false },
	{ "/a/*/c", "/a/b/d/c", false },
	{ "/a/b*c*d", "/a/bxxcyyd", true },
	{ "/a/b*c*d", "/a/bxxcyy", false },
	{ "/a/b*c*d", "/a/bcd", true },
	{ "/a/*", "/a/.hidden", true },	/* unlike a shell, * takes dot files */
	{ "/a/*", "/", false },
	{ "/a*", "/a", true },
	{ "/a*", "/ab/c", false },
	{ "/a/**", "/b/a", false },
	{ "/**", "/", true },
	{ "/**", "/anything/at/all", true },
	{ "/**/x", "/a/b/x", true },
	{ "/**/x", "/x", true },
	{ "/**/x", "/x/y", false },
	{ "/", "/x", true },		/* a trailing / means "and below" */
	{ "/", "/", true },
	{ "/tmp/", "/tmp/x", true },
	{ "/tmp/", "/tmp", true },
	{ "/tmp/", "/tmpx", false },
	{ "/etc/passwd", "/etc/passwd", true },
	{ "/etc/passwd", "/etc/passwd2", false },
	{ "/etc/passwd", "/etc", false },
	{ "/etc/passwd", "/etc/passwd/x", false },
	{ "//etc///passwd", "/etc/passwd", true },
	{ "/etc/passwd", "etc/passwd", false },	/* objects are absolute */
	{ "/etc/passwd", "", false },
	{ "/x/*/y/**/z*", "/x/1/y/2/3/zz", true },
	{ "/x/*/y/**/z*", "/x/1/y/2/3/az", false },
};

static void path_globs(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < NELEM(prows); i++) {
		struct pol_args *a = one(POL_CAP_FS_READ, prows[i].pattern);
		struct pol_object o = path_obj(prows[i].path);

		if (pol_args_match(a, POL_CAP_FS_READ, &o) != prows[i].match) {
			print_error("'%s' vs '%s': expected %s\n", prows[i].pattern, prows[i].path,
				    prows[i].match ? "a match" : "no match");
			failures++;
		}
		/* another capability's rule never covers it */
		assert_false(pol_args_match(a, POL_CAP_FS_WRITE, &o));
		pol_args_free(a);
	}
	assert_int_equal(failures, 0);
}

/* "~" is the home directory when the rule is read. */
static void path_home(void **state)
{
	const char *old = getenv("HOME");
	char *saved = old ? strdup(old) : NULL;
	struct pol_args *a = NULL;
	struct pol_object o = path_obj("/home/u/.config/app/x");
	char err[256], hint[256];

	(void)state;
	setenv("HOME", "/home/u/", 1);
	a = one(POL_CAP_FS_WRITE, "~/.config/**");
	assert_true(pol_args_match(a, POL_CAP_FS_WRITE, &o));
	o.path = "/home/u/.config";
	assert_true(pol_args_match(a, POL_CAP_FS_WRITE, &o));
	o.path = "/home/v/.config/x";
	assert_false(pol_args_match(a, POL_CAP_FS_WRITE, &o));
	pol_args_free(a);
	/* "~" alone is the home directory itself */
	a = one(POL_CAP_FS_READ, "~");
	o.path = "/home/u";
	assert_true(pol_args_match(a, POL_CAP_FS_READ, &o));
	o.path = "/home/u/x";
	assert_false(pol_args_match(a, POL_CAP_FS_READ, &o));
	pol_args_free(a);
	a = one(POL_CAP_FS_WRITE, "~/.config/**");
	/* as written, for messages */
	assert_string_equal(pol_args_pattern(a, POL_CAP_FS_WRITE, 0), "~/.config/**");
	pol_args_free(a);
	a = NULL;
	/* "~user" is not expanded: a relative path */
	assert_int_equal(pol_args_add(&a, POL_CAP_FS_READ, "~root/x", err, sizeof(err), hint,
				      sizeof(hint)), -EINVAL);
	assert_non_null(strstr(err, "relative"));
	unsetenv("HOME");
	assert_int_equal(pol_args_add(&a, POL_CAP_FS_READ, "~/x", err, sizeof(err), hint,
				      sizeof(hint)), -EINVAL);
	assert_non_null(strstr(err, "HOME"));
	assert_null(a);
	if (saved)
		setenv("HOME", saved, 1);
	free(saved);
}

/* A pattern with many "**" against a deep path: bounded, and right. */
static void path_backtracking_bounded(void **state)
{
	char path[PATH_MAX];
	struct pol_args *a = one(POL_CAP_FS_READ, "/**/a/**/a/**/a/**/a/**/b");
	struct pol_object o = path_obj(path);
	size_t n = 0;

	(void)state;
	while (n + 2 < sizeof(path) - 2) {
		path[n++] = '/';
		path[n++] = 'a';
	}
	path[n] = '\0';
	assert_false(pol_args_match(a, POL_CAP_FS_READ, &o));
	memcpy(path + n, "/b", 3);
	assert_true(pol_args_match(a, POL_CAP_FS_READ, &o));
	pol_args_free(a);
}

/* exec: the program the pattern names now, through symlinks, matches too. */
static void exec_realpath(void **state)
{
	char dir[] = "/tmp/sisup-args-XXXXXX", real[PATH_MAX], link[PATH_MAX + 8];
	char target[PATH_MAX + 8], *canon;
	struct pol_args *a;
	struct pol_object o;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	canon = realpath(dir, NULL);
	assert_non_null(canon);
	snprintf(real, sizeof(real), "%s/python3.11", canon);
	snprintf(link, sizeof(link), "%s/python3", canon);
	snprintf(target, sizeof(target), "%s/other", canon);
	f = fopen(real, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(symlink("python3.11", link), 0);

	a = one(POL_CAP_EXEC, link);
	o = path_obj(real);
	assert_true(pol_args_match(a, POL_CAP_EXEC, &o));
	o = path_obj(link);
	assert_true(pol_args_match(a, POL_CAP_EXEC, &o));
	o = path_obj(target);
	assert_false(pol_args_match(a, POL_CAP_EXEC, &o));
	pol_args_free(a);
	/* only exec resolves: an fs-read rule is textual */
	a = one(POL_CAP_FS_READ, link);
	o = path_obj(real);
	assert_false(pol_args_match(a, POL_CAP_FS_READ, &o));
	pol_args_free(a);
	/* a program that does not exist (yet) is a textual rule */
	a = one(POL_CAP_EXEC, target);
	o = path_obj(target);
	assert_true(pol_args_match(a, POL_CAP_EXEC, &o));
	pol_args_free(a);

	unlink(link);
	unlink(real);
	rmdir(canon);
	free(canon);
}

/* ------------------------------------------------------------------ */
/* Addresses.                                                          */

static const struct arow {
	enum pol_cap cap;
	const char *pattern;
	const char *addr;	/* IPv4 or IPv6 text */
	unsigned port;
	bool match;
} arows[] = {
	{ POL_CAP_NET_CONNECT, "127.0.0.1:8080", "127.0.0.1", 8080, true },
	{ POL_CAP_NET_CONNECT, "127.0.0.1:8080", "127.0.0.1", 8081, false },
	{ POL_CAP_NET_CONNECT, "127.0.0.1:8080", "127.0.0.2", 8080, false },
	{ POL_CAP_NET_CONNECT, "127.0.0.1:8080", "::ffff:127.0.0.1", 8080, true },
	{ POL_CAP_NET_CONNECT, "127.0.0.1:8080", "::1", 8080, false },
	{ POL_CAP_NET_CONNECT, "*:443", "93.184.216.34", 443, true },
	{ POL_CAP_NET_CONNECT, "*:443", "2001:db8::1", 443, true },
	{ POL_CAP_NET_CONNECT, "*:443", "93.184.216.34", 80, false },
	{ POL_CAP_NET_CONNECT, "10.0.0.0/8:*", "10.1.2.3", 1, true },
	{ POL_CAP_NET_CONNECT, "10.0.0.0/8:*", "11.0.0.1", 1, false },
	{ POL_CAP_NET_CONNECT, "10.0.0.0/8:*", "::ffff:10.1.2.3", 22, true },
	{ POL_CAP_NET_CONNECT, "10.0.0.0/9:*", "10.127.255.255", 22, true },
	{ POL_CAP_NET_CONNECT, "10.0.0.0/9:*", "10.128.0.1", 22, false },
	{ POL_CAP_NET_CONNECT, "192.168.1.0/24:80", "192.168.1.255", 80, true },
	{ POL_CAP_NET_CONNECT, "192.168.1.0/24:80", "192.168.2.1", 80, false },
	{ POL_CAP_NET_CONNECT, "0.0.0.0/0:22", "1.2.3.4", 22, true },
	{ POL_CAP_NET_CONNECT, "0.0.0.0/0:22", "::1", 22, false },
	{ POL_CAP_NET_CONNECT, "[::1]:8080", "::1", 8080, true },
	{ POL_CAP_NET_CONNECT, "[::1]:8080", "127.0.0.1", 8080, false },
	{ POL_CAP_NET_CONNECT, "[fd00::/8]:53", "fd12::1", 53, true },
	{ POL_CAP_NET_CONNECT, "[fd00::/8]:53", "fe80::1", 53, false },
	{ POL_CAP_NET_CONNECT, "[::ffff:1.2.3.4]:80", "1.2.3.4", 80, true },
	{ POL_CAP_NET_CONNECT, "[::ffff:0:0/96]:80", "9.9.9.9", 80, true },
	{ POL_CAP_NET_CONNECT, "*:*", "1.2.3.4", 1, true },
	{ POL_CAP_NET_CONNECT, "1.2.3.4:*", "1.2.3.4", 65535, true },
	{ POL_CAP_NET_CONNECT, "1.2.3.4:*", "1.2.3.5", 65535, false },
	{ POL_CAP_NET_CONNECT, "localhost:8080", "127.0.0.1", 8080, true },
	{ POL_CAP_NET_CONNECT, "localhost:8080", "127.0.0.1", 8000, false },
	{ POL_CAP_NET_CONNECT, "localhost:8080", "10.0.0.1", 8080, false },
	{ POL_CAP_NET_LISTEN, "127.0.0.1:0", "127.0.0.1", 0, true },
	{ POL_CAP_NET_LISTEN, "127.0.0.1:0", "127.0.0.1", 5000, false },
	{ POL_CAP_NET_LISTEN, "*:8080", "0.0.0.0", 8080, true },
	{ POL_CAP_NET_LISTEN, "127.0.0.1:8080", "0.0.0.0", 8080, false },
};

static struct pol_object inet_obj(const char *addr, unsigned port, struct sockaddr_storage *ss)
{
	struct pol_object o = { .kind = POL_OBJ_INET, .sa = (const struct sockaddr *)ss };
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		o.salen = sizeof(*in);
	} else {
		assert_int_equal(inet_pton(AF_INET6, addr, &in6->sin6_addr), 1);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		o.salen = sizeof(*in6);
	}
	return o;
}

static void addresses(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < NELEM(arows); i++) {
		struct pol_args *a = one(arows[i].cap, arows[i].pattern);
		struct sockaddr_storage ss;
		struct pol_object o = inet_obj(arows[i].addr, arows[i].port, &ss);
		enum pol_cap other = arows[i].cap == POL_CAP_NET_CONNECT ? POL_CAP_NET_LISTEN
									  : POL_CAP_NET_CONNECT;

		if (pol_args_match(a, arows[i].cap, &o) != arows[i].match) {
			print_error("%s '%s' vs %s port %u: expected %s\n",
				    pol_cap_name(arows[i].cap), arows[i].pattern, arows[i].addr,
				    arows[i].port, arows[i].match ? "a match" : "no match");
			failures++;
		}
		assert_false(pol_args_match(a, other, &o));
		pol_args_free(a);
	}
	assert_int_equal(failures, 0);
}

/* Malformed objects from the supervisor never match. */
static void address_objects_checked(void **state)
{
	struct pol_args *a = one(POL_CAP_NET_CONNECT, "*:*");
	struct sockaddr_storage ss;
	struct pol_object o = inet_obj("1.2.3.4", 80, &ss);

	(void)state;
	assert_true(pol_args_match(a, POL_CAP_NET_CONNECT, &o));
	o.salen = sizeof(struct sockaddr_in) - 1;
	assert_false(pol_args_match(a, POL_CAP_NET_CONNECT, &o));
	o = inet_obj("::1", 80, &ss);
	o.salen = sizeof(struct sockaddr_in6) - 1;
	assert_false(pol_args_match(a, POL_CAP_NET_CONNECT, &o));
	o = inet_obj("1.2.3.4", 80, &ss);
	ss.ss_family = AF_UNIX;
	assert_false(pol_args_match(a, POL_CAP_NET_CONNECT, &o));
	o.sa = NULL;
	assert_false(pol_args_match(a, POL_CAP_NET_CONNECT, &o));
	/* a path object is not an address */
	o = path_obj("/x");
	assert_false(pol_args_match(a, POL_CAP_NET_CONNECT, &o));
	pol_args_free(a);
}

static void hostnames_refresh(void **state)
{
	struct pol_args *a = one(POL_CAP_NET_CONNECT, "localhost:8080");
	struct sockaddr_storage ss;
	struct pol_object o = inet_obj("127.0.0.1", 8080, &ss);
	time_t now = time(NULL);

	(void)state;
	/* fresh: nothing to do; old: looked up again, same addresses */
	assert_false(pol_args_refresh(a, now));
	assert_false(pol_args_refresh(a, now + POL_ARGS_TTL + 1));
	assert_true(pol_args_match(a, POL_CAP_NET_CONNECT, &o));
	/* a clock that went back also refreshes, harmlessly */
	assert_false(pol_args_refresh(a, 0));
	assert_true(pol_args_match(a, POL_CAP_NET_CONNECT, &o));
	assert_false(pol_args_refresh(NULL, now));
	pol_args_free(a);
}

/* ------------------------------------------------------------------ */
/* Unix sockets.                                                       */

static void unix_names(void **state)
{
	struct pol_args *a = NULL;
	struct pol_object o = { .kind = POL_OBJ_UNIX };
	char err[256], hint[256];

	(void)state;
	assert_int_equal(pol_args_add(&a, POL_CAP_NET_UNIX, "/run/app/*.sock", err, sizeof(err), hint,
				      sizeof(hint)), 0);
	assert_int_equal(pol_args_add(&a, POL_CAP_NET_UNIX, "@my-abstract", err, sizeof(err), hint,
				      sizeof(hint)), 0);
	assert_int_equal(pol_args_add(&a, POL_CAP_NET_UNIX, "@app-*", err, sizeof(err), hint,
				      sizeof(hint)), 0);

	o.path = "/run/app/x.sock";
	assert_true(pol_args_match(a, POL_CAP_NET_UNIX, &o));
	o.path = "/run/app/x.sock/y";
	assert_false(pol_args_match(a, POL_CAP_NET_UNIX, &o));
	o.path = "/my-abstract";
	assert_false(pol_args_match(a, POL_CAP_NET_UNIX, &o));
	o.path = NULL;
	assert_false(pol_args_match(a, POL_CAP_NET_UNIX, &o));

	o.abstract = true;
	o.name = (const unsigned char *)"my-abstract";
	o.namelen = 11;
	assert_true(pol_args_match(a, POL_CAP_NET_UNIX, &o));
	o.namelen = 10;	/* "my-abstrac" */
	assert_false(pol_args_match(a, POL_CAP_NET_UNIX, &o));
	o.name = (const unsigned char *)"my-abstract\0x";
	o.namelen = 13;	/* the exact bytes count, NULs too */
	assert_false(pol_args_match(a, POL_CAP_NET_UNIX, &o));
	o.name = (const unsigned char *)"app-1";
	o.namelen = 5;
	assert_true(pol_args_match(a, POL_CAP_NET_UNIX, &o));
	o.name = (const unsigned char *)"x.sock";
	o.namelen = 6;	/* an abstract name never matches a path rule */
	assert_false(pol_args_match(a, POL_CAP_NET_UNIX, &o));
	/* the same path as a file object is fs-*, not net-unix */
	o = path_obj("/run/app/x.sock");
	assert_false(pol_args_match(a, POL_CAP_NET_UNIX, &o));
	pol_args_free(a);
}

/* ------------------------------------------------------------------ */
/* Kinds, merging, formatting, bounds.                                 */

static void object_kinds(void **state)
{
	struct pol_args *a = one(POL_CAP_EXEC, "/usr/bin/git");
	struct pol_object o = { .kind = POL_OBJ_DEFERRED };

	(void)state;
	assert_true(pol_args_match(a, POL_CAP_EXEC, &o));
	assert_false(pol_args_match(a, POL_CAP_SPAWN, &o));
	assert_false(pol_args_match(a, POL_CAP_FS_READ, &o));
	o.kind = POL_OBJ_NONE;
	assert_false(pol_args_match(a, POL_CAP_EXEC, &o));
	assert_false(pol_args_match(a, POL_CAP_EXEC, NULL));
	assert_false(pol_args_match(NULL, POL_CAP_EXEC, &o));
	o.kind = POL_OBJ_DEFERRED;
	assert_false(pol_args_match(NULL, POL_CAP_EXEC, &o));
	assert_int_equal(pol_args_caps(a), POL_CAP(POL_CAP_EXEC));
	assert_int_equal(pol_args_caps(NULL), 0);
	pol_args_free(a);
	pol_args_free(NULL);
}

static void takes_arguments(void **state)
{
	struct pol_args *a = NULL;
	char err[256], hint[256];

	(void)state;
	for (int c = 0; c < POL_CAP_COUNT; c++) {
		bool takes = c == POL_CAP_FS_READ || c == POL_CAP_FS_WRITE || c == POL_CAP_EXEC ||
			     c == POL_CAP_NET_CONNECT || c == POL_CAP_NET_LISTEN ||
			     c == POL_CAP_NET_UNIX;

		assert_int_equal(pol_args_takes((enum pol_cap)c), takes);
		if (takes)
			continue;
		assert_int_equal(pol_args_add(&a, (enum pol_cap)c, "/x", err, sizeof(err), hint,
					      sizeof(hint)), -EINVAL);
		assert_non_null(strstr(err, "takes no arguments"));
	}
	assert_int_equal(pol_args_add(&a, POL_CAP_FS_READ, "", err, sizeof(err), hint, sizeof(hint)),
			 -EINVAL);
	assert_int_equal(pol_args_add(&a, POL_CAP_FS_READ, "/a\nb", err, sizeof(err), hint,
				      sizeof(hint)), -EINVAL);
	assert_null(a);
}

static void merge_and_format(void **state)
{
	struct pol_args *a = NULL, *b = NULL;
	char err[256], hint[256], buf[64];

	(void)state;
	assert_int_equal(pol_args_add(&a, POL_CAP_NET_CONNECT, "127.0.0.1:8080", err, sizeof(err),
				      hint, sizeof(hint)), 0);
	assert_int_equal(pol_args_add(&a, POL_CAP_NET_CONNECT, "*:443", err, sizeof(err), hint,
				      sizeof(hint)), 0);
	/* a repeat is not kept twice */
	assert_int_equal(pol_args_add(&a, POL_CAP_NET_CONNECT, "*:443", err, sizeof(err), hint,
				      sizeof(hint)), 0);
	assert_int_equal(pol_args_add(&b, POL_CAP_NET_CONNECT, "*:443", err, sizeof(err), hint,
				      sizeof(hint)), 0);
	assert_int_equal(pol_args_add(&b, POL_CAP_FS_WRITE, "/var/log/app/**", err, sizeof(err),
				      hint, sizeof(hint)), 0);
	assert_int_equal(pol_args_merge(&a, b), 0);
	assert_int_equal(pol_args_merge(&a, NULL), 0);
	assert_int_equal(pol_args_count(a, POL_CAP_NET_CONNECT), 2);
	assert_int_equal(pol_args_count(a, POL_CAP_FS_WRITE), 1);
	assert_int_equal(pol_args_caps(a), POL_CAP(POL_CAP_NET_CONNECT) | POL_CAP(POL_CAP_FS_WRITE));
	assert_string_equal(pol_args_format(a, POL_CAP_NET_CONNECT, buf, sizeof(buf)),
			    "127.0.0.1:8080, *:443");
	assert_string_equal(pol_args_format(a, POL_CAP_FS_WRITE, buf, sizeof(buf)),
			    "/var/log/app/**");
	assert_string_equal(pol_args_format(a, POL_CAP_EXEC, buf, sizeof(buf)), "");
	assert_string_equal(pol_args_format(a, POL_CAP_NET_CONNECT, buf, 20), "127.0.0.1:8080...");
	assert_null(pol_args_pattern(a, POL_CAP_NET_CONNECT, 2));
	/* the copy is a copy: freeing the source leaves it working */
	pol_args_free(b);
	{
		struct pol_object o = path_obj("/var/log/app/x");

		assert_true(pol_args_match(a, POL_CAP_FS_WRITE, &o));
	}
	/* merged into nothing: a new set */
	b = NULL;
	assert_int_equal(pol_args_merge(&b, a), 0);
	assert_int_equal(pol_args_caps(b), pol_args_caps(a));
	pol_args_free(b);
	pol_args_free(a);
}

static void bounds(void **state)
{
	struct pol_args *a = NULL;
	char err[256], hint[256], pat[32], *longp;
	size_t k;

	(void)state;
	for (k = 0; k < POL_ARGS_MAX; k++) {
		snprintf(pat, sizeof(pat), "/x/%zu", k);
		assert_int_equal(pol_args_add(&a, POL_CAP_FS_READ, pat, err, sizeof(err), hint,
					      sizeof(hint)), 0);
	}
	assert_int_equal(pol_args_add(&a, POL_CAP_FS_READ, "/y", err, sizeof(err), hint,
				      sizeof(hint)), -EINVAL);
	assert_non_null(strstr(err, "more than 1024"));
	pol_args_free(a);
	a = NULL;
	longp = malloc(PATH_MAX + 2);
	assert_non_null(longp);
	longp[0] = '/';
	memset(longp + 1, 'a', PATH_MAX);
	longp[PATH_MAX + 1] = '\0';
	assert_int_equal(pol_args_add(&a, POL_CAP_FS_READ, longp, err, sizeof(err), hint,
				      sizeof(hint)), -EINVAL);
	longp[PATH_MAX - 1] = '\0';	/* PATH_MAX - 1 bytes: fits */
	assert_int_equal(pol_args_add(&a, POL_CAP_FS_READ, longp, err, sizeof(err), hint,
				      sizeof(hint)), 0);
	free(longp);
	pol_args_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_globs),
		cmocka_unit_test(path_home),
		cmocka_unit_test(path_backtracking_bounded),
		cmocka_unit_test(exec_realpath),
		cmocka_unit_test(addresses),
		cmocka_unit_test(address_objects_checked),
		cmocka_unit_test(hostnames_refresh),
		cmocka_unit_test(unix_names),
		cmocka_unit_test(object_kinds),
		cmocka_unit_test(takes_arguments),
		cmocka_unit_test(merge_and_format),
		cmocka_unit_test(bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
