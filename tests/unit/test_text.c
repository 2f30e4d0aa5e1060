// SPDX-License-Identifier: MIT
/* Unit tests: command line, notify sets, JSON escaping, argument decoding. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "cli.h"
#include "decode.h"
#include "evlog.h"
#include "syscalls.h"

static char err[256];

static int parse(struct sv_opts *o, const char *const *args)
{
	static char *argv[32];
	int argc = 0;

	while (args[argc]) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	return sv_cli_parse(argc, argv, o, err, sizeof(err));
}

static void cli_cases(void **state)
{
	struct sv_opts o;

	(void)state;
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "--", "/bin/true", NULL }), 0);
	assert_int_equal(o.cmd, SV_CMD_AUDIT);
	assert_string_equal(o.argv[0], "/bin/true");
	assert_true(o.notify.defaults && !o.notify.all);

	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "trace", "-o", "f", "--json",
							 "--notify", "all", "--stats", "--",
							 "ls", "-l", NULL }), 0);
	assert_int_equal(o.cmd, SV_CMD_TRACE);
	assert_true(o.json && o.stats && o.notify.all);
	assert_string_equal(o.output, "f");
	assert_string_equal(o.argv[1], "-l");

	/* the program's own options are not ours */
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "ls", "--stats", NULL }), 0);
	assert_false(o.stats);
	assert_string_equal(o.argv[1], "--stats");

	assert_int_equal(parse(&o, (const char *const[]){ "sisup", NULL }), -EINVAL);
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "--", NULL }), -EINVAL);
	/* --json belongs to trace and audit, not to run */
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "--json", "--", "x", NULL }), 0);
	assert_true(o.json);
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "run", "-p", "p.yaml", "--json",
							 "--", "x", NULL }), -EINVAL);
	assert_non_null(strstr(err, "sisup run"));

	/* run: several policies, a decision log */
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "run", "-p", "a.yaml",
							 "--policy=b.yaml", "--log", "l",
							 "--log-format", "json", "--", "x", NULL }), 0);
	assert_int_equal(o.cmd, SV_CMD_RUN);
	assert_int_equal(o.npolicies, 2);
	assert_string_equal(o.policies[1], "b.yaml");
	assert_true(o.log_json);
	assert_string_equal(o.log, "l");
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "run", "--", "x", NULL }), -EINVAL);
	assert_non_null(strstr(err, "-p POLICY"));
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "run", "-p", "a", "--log-format",
							 "xml", "--", "x", NULL }), -EINVAL);

	/* learn needs -o; check takes files, no program */
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "learn", "--", "x", NULL }), -EINVAL);
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "learn", "-o", "p", "--merge",
							 "--", "x", NULL }), 0);
	assert_true(o.merge && o.cmd == SV_CMD_LEARN);
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "check", "a", "b", NULL }), 0);
	assert_int_equal(o.cmd, SV_CMD_CHECK);
	assert_int_equal(o.npolicies, 2);
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "check", NULL }), -EINVAL);
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "--report", "r", "--", "x", NULL }),
			 0);
	assert_string_equal(o.report, "r");
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "trace", "-o", NULL }), -EINVAL);
	assert_int_equal(parse(&o, (const char *const[]){ "sisup", "--help", NULL }), 0);
	assert_true(o.help);
}

static void notify_sets(void **state)
{
	struct sv_notify_set s;

	(void)state;
	assert_int_equal(sv_notify_set_parse("default,openat,getpid", &s, err, sizeof(err)), 0);
	assert_true(s.defaults);
	assert_true(s.extra[SYS_openat] && s.extra[SYS_getpid]);
	assert_false(s.extra[SYS_read]);
	assert_int_equal(sv_notify_set_parse("getpid", &s, err, sizeof(err)), 0);
	assert_false(s.defaults);
	assert_int_equal(sv_notify_set_parse("bogus", &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bogus"));
	assert_int_equal(sv_notify_set_parse("", &s, err, sizeof(err)), -EINVAL);
	assert_int_equal(sv_notify_set_parse("openat,", &s, err, sizeof(err)), -EINVAL);
	assert_int_equal(sv_notify_set_parse("a_name_that_is_much_longer_than_sixty_four_characters_"
					     "and_then_some_more", &s, err, sizeof(err)), -EINVAL);
}

static void json_escape(void **state)
{
	static const struct { const char *in; size_t len; const char *out; } cases[] = {
		{ "plain", 5, "plain" },
		{ "q\"b\\", 4, "q\\\"b\\\\" },
		{ "\n\t\r\x01", 4, "\\n\\t\\r\\u0001" },
		{ "caf\xc3\xa9", 5, "caf\xc3\xa9" },			/* valid UTF-8 kept */
		{ "\xff\xfe", 2, "\\u00ff\\u00fe" },			/* invalid bytes escaped */
		{ "\xc0\xaf", 2, "\\u00c0\\u00af" },			/* overlong form */
		{ "\xed\xa0\x80", 3, "\\u00ed\\u00a0\\u0080" },		/* surrogate */
		{ "\xe2\x82", 2, "\\u00e2\\u0082" },			/* truncated sequence */
		{ "a\0b", 3, "a\\u0000b" },
		{ "\x7f", 1, "\\u007f" },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = sv_json_escape(cases[i].in, cases[i].len, out, sizeof(out));

		assert_int_equal(n, strlen(cases[i].out));
		assert_memory_equal(out, cases[i].out, n);
	}
	/* a short buffer is never overrun and the needed size is returned */
	memset(out, 'X', sizeof(out));
	assert_int_equal(sv_json_escape("\"\"\"", 3, out, 4), 6);
	assert_int_equal(out[4], 'X');
}

static void decode_args(void **state)
{
	char d[6][SV_DECODE_ARG_MAX];
	uint64_t a[6] = { (uint64_t)-100, 0x7ffd0000, 01 | 0100 | 01000 | 02000000, 0644, 0, 0 };

	(void)state;
	assert_int_equal(sv_decode_args(SYS_openat, a, d), 4);
	assert_string_equal(d[0], "AT_FDCWD");
	assert_string_equal(d[1], "0x7ffd0000");
	assert_string_equal(d[2], "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC");
	assert_string_equal(d[3], "0644");

	a[0] = 2; a[1] = 0x80801; a[2] = 0;
	assert_int_equal(sv_decode_args(SYS_socket, a, d), 3);
	assert_string_equal(d[0], "AF_INET");
	assert_string_equal(d[1], "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC");

	a[0] = 0x1200011; /* fork(): SIGCHLD|CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID */
	assert_int_equal(sv_decode_args(SYS_clone, a, d), 5);
	assert_string_equal(d[0], "SIGCHLD|CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID");

	a[0] = 0x100000000ULL | 1234; a[1] = 9;	/* kernel truncates pid_t */
	assert_int_equal(sv_decode_args(SYS_kill, a, d), 2);
	assert_string_equal(d[0], "1234");
	assert_string_equal(d[1], "SIGKILL");

	a[0] = 0; a[1] = 4096; a[2] = 7; a[3] = 0x22;
	assert_int_equal(sv_decode_args(SYS_mmap, a, d), 6);
	assert_string_equal(d[2], "PROT_READ|PROT_WRITE|PROT_EXEC");
	assert_string_equal(d[3], "MAP_PRIVATE|MAP_ANONYMOUS");

	/* unknown to the table: six hex values */
	assert_int_equal(sv_decode_args(SYS_getcwd, a, d), 6);
	assert_string_equal(d[1], "0x1000");
	/* flags beyond the table are kept as a hex remainder */
	a[0] = 0; a[1] = 0; a[2] = 0x80000000ULL | 0100; a[3] = 0;
	sv_decode_args(SYS_openat, a, d);
	assert_string_equal(d[2], "O_RDONLY|O_CREAT|0x80000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cli_cases),
		cmocka_unit_test(notify_sets),
		cmocka_unit_test(json_escape),
		cmocka_unit_test(decode_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
