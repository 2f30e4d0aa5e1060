// SPDX-License-Identifier: MIT
/*
 * cli.c - sisup's commands: audit (no command), run, learn, check, trace.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char usage_audit[] =
	"usage: sisup [--report FILE] [--json] [--notify SET] [--stats] [--] PROGRAM [ARGS...]\n"
	"       sisup run -p POLICY [-p MORE]... [--log FILE] [--log-format text|json] [--stats]\n"
	"                 [--] PROGRAM...\n"
	"       sisup learn -o POLICY [--merge] [--stats] [--] PROGRAM [ARGS...]\n"
	"       sisup check POLICY [MORE...]\n"
	"       sisup trace [-o FILE] [--json] [--stacks] [--notify SET] [--stats] [--] PROGRAM...\n"
	"\n"
	"Without a command: audit. Run PROGRAM and its whole process tree under sisup,\n"
	"allow everything, and at exit report what each third-party package used\n"
	"(capabilities, counts, example targets). Nothing is printed when no package\n"
	"used anything beyond the baseline.\n"
	"\n"
	"Options:\n"
	"  --report FILE  write the report to FILE instead of stderr (always written)\n"
	"  --json         the report as one JSON document\n"
	"  --notify SET   extra syscalls to notify (comma list of names)\n"
	"  --stats        at exit, print notifications per syscall and the supervisor's\n"
	"                 mean and p99 time per notification (to stderr)\n"
	"  -h, --help     this help (also: sisup COMMAND --help);  --version\n"
	"\n"
	"Exit status: PROGRAM's own; 128+N if it died of signal N; 125 if sisup failed\n"
	"(or a policy is invalid); 126 if PROGRAM could not be executed; 127 if not found.\n"
	"See docs/policy.md for the policy language.\n";

static const char usage_run[] =
	"usage: sisup run -p POLICY [-p MORE]... [--log FILE] [--log-format text|json] [--stats]\n"
	"                 [--] PROGRAM [ARGS...]\n"
	"\n"
	"Run PROGRAM under POLICY: each Python module is held to what the policy grants.\n"
	"Several -p files merge (a generated base plus hand-written overrides). A denied\n"
	"call fails (Python raises PermissionError for EPERM); sisup prints one message\n"
	"per distinct denial on stderr with the module, its stack and the policy line\n"
	"that would allow it.\n"
	"\n"
	"Options:\n"
	"  -p, --policy FILE      policy file (sisup's YAML, or secimport's); repeatable\n"
	"  --log FILE             write every decision that is not a plain allow to FILE\n"
	"  --log-format FORMAT    text (default) or json (JSON Lines, docs/policy.md)\n"
	"  --stats                notification counts and timings at exit\n"
	"  -h, --help             this help\n";

static const char usage_learn[] =
	"usage: sisup learn -o POLICY [--merge] [--stats] [--] PROGRAM [ARGS...]\n"
	"\n"
	"Run PROGRAM allowing everything and write the smallest policy under which\n"
	"the same run passes when enforced with 'sisup run -p POLICY': every third-party\n"
	"package confined to the capabilities it used. The file is deterministic and\n"
	"sorted, so repeated runs give the same bytes.\n"
	"\n"
	"Options:\n"
	"  -o, --output POLICY    the policy file to write\n"
	"  --merge                add what was learned to the existing POLICY (keeping\n"
	"                         its entries and settings) instead of replacing it\n"
	"  --stats                notification counts and timings at exit\n"
	"  -h, --help             this help\n";

static const char usage_check[] =
	"usage: sisup check POLICY [MORE...]\n"
	"\n"
	"Validate POLICY files (merged as 'sisup run' would) and print what the kernel\n"
	"decides and which system calls reach sisup. Exit status 0 when valid, 125 not.\n";

static const char usage_trace[] =
	"usage: sisup trace [-o FILE] [--json] [--stacks] [--notify SET] [--stats] [--] PROGRAM [ARGS...]\n"
	"\n"
	"Run PROGRAM under sisup and log every notified syscall: time, pid, tid,\n"
	"syscall, decoded register arguments and the answer given.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE  write the log to FILE (default: stderr)\n"
	"  --json             one JSON object per line instead of text\n"
	"  --stacks           under each syscall, the calling thread's Python stack,\n"
	"                     innermost first: module  file:line  function\n"
	"  --notify SET       'default', 'all' or a comma list of syscall names\n"
	"  --stats            print notification counts and timings at exit\n"
	"  -h, --help         this help\n";

static const char *const cmd_names[] = {
	[SV_CMD_AUDIT] = "", [SV_CMD_RUN] = "run", [SV_CMD_LEARN] = "learn",
	[SV_CMD_CHECK] = "check", [SV_CMD_TRACE] = "trace",
};

void sv_cli_usage(enum sv_command cmd, bool full)
{
	static const char *const u[] = {
		[SV_CMD_AUDIT] = usage_audit, [SV_CMD_RUN] = usage_run, [SV_CMD_LEARN] = usage_learn,
		[SV_CMD_CHECK] = usage_check, [SV_CMD_TRACE] = usage_trace,
	};

	if (full)
		fputs(u[cmd], stdout);
	else
		fprintf(stderr, "sisup: try 'sisup%s%s --help'\n", cmd_names[cmd][0] ? " " : "",
			cmd_names[cmd]);
}

/* The value of option @a: "--opt=V" or the next argument. */
static const char *value(int argc, char **argv, int *i, const char *a, const char *name,
			 char *err, size_t errlen)
{
	size_t n = strlen(name);

	if (strncmp(a, name, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (++*i >= argc) {
		snprintf(err, errlen, "%s needs a value", name);
		return NULL;
	}
	return argv[*i];
}

/* "--long=V" spells an option with its value. */
static bool is_one(const char *a, const char *opt)
{
	size_t n = strlen(opt);

	if (strcmp(a, opt) == 0)
		return true;
	return opt[0] == '-' && opt[1] == '-' && strncmp(a, opt, n) == 0 && a[n] == '=';
}

static bool is(const char *a, const char *s1, const char *s2)
{
	return is_one(a, s1) || (s2 && is_one(a, s2));
}

int sv_cli_parse(int argc, char **argv, struct sv_opts *o, char *err, size_t errlen)
{
	const char *notify = "default";
	int i = 1;

	memset(o, 0, sizeof(*o));
	o->cmd = SV_CMD_AUDIT;
	if (i < argc) {
		for (int c = SV_CMD_RUN; c <= SV_CMD_TRACE; c++) {
			if (strcmp(argv[i], cmd_names[c]) == 0) {
				o->cmd = (enum sv_command)c;
				i++;
				break;
			}
		}
	}
	for (; i < argc; i++) {
		const char *a = argv[i];
		enum sv_command c = o->cmd;
		const char *v;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (is(a, "-h", "--help")) {
			o->help = true;
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			o->version = true;
			return 0;
		} else if (strcmp(a, "--stats") == 0 && c != SV_CMD_CHECK) {
			o->stats = true;
		} else if (strcmp(a, "--stacks") == 0 && c == SV_CMD_TRACE) {
			o->stacks = true;
		} else if (strcmp(a, "--json") == 0 && (c == SV_CMD_TRACE || c == SV_CMD_AUDIT)) {
			o->json = true;
		} else if (strcmp(a, "--merge") == 0 && c == SV_CMD_LEARN) {
			o->merge = true;
		} else if (is(a, "-o", "--output") && (c == SV_CMD_TRACE || c == SV_CMD_LEARN)) {
			if (!(v = value(argc, argv, &i, a, a[1] == '-' ? "--output" : "-o", err, errlen)))
				return -EINVAL;
			o->output = v;
		} else if (is(a, "--report", NULL) && c == SV_CMD_AUDIT) {
			if (!(v = value(argc, argv, &i, a, "--report", err, errlen)))
				return -EINVAL;
			o->report = v;
		} else if (is(a, "-p", "--policy") && c == SV_CMD_RUN) {
			if (!(v = value(argc, argv, &i, a, a[1] == '-' ? "--policy" : "-p", err, errlen)))
				return -EINVAL;
			if (o->npolicies >= SV_POLICIES_MAX) {
				snprintf(err, errlen, "at most %d policy files", SV_POLICIES_MAX);
				return -EINVAL;
			}
			o->policies[o->npolicies++] = v;
		} else if (is(a, "--log", NULL) && c == SV_CMD_RUN) {
			if (!(v = value(argc, argv, &i, a, "--log", err, errlen)))
				return -EINVAL;
			o->log = v;
		} else if (is(a, "--log-format", NULL) && c == SV_CMD_RUN) {
			if (!(v = value(argc, argv, &i, a, "--log-format", err, errlen)))
				return -EINVAL;
			if (strcmp(v, "json") == 0) {
				o->log_json = true;
			} else if (strcmp(v, "text") != 0) {
				snprintf(err, errlen, "--log-format is 'text' or 'json', not '%s'", v);
				return -EINVAL;
			}
		} else if (is(a, "--notify", NULL) && (c == SV_CMD_TRACE || c == SV_CMD_AUDIT)) {
			if (!(v = value(argc, argv, &i, a, "--notify", err, errlen)))
				return -EINVAL;
			notify = v;
		} else {
			snprintf(err, errlen, "unknown option '%s'%s%s", a,
				 c == SV_CMD_AUDIT ? "" : " for 'sisup ",
				 c == SV_CMD_AUDIT ? "" : cmd_names[c]);
			if (c != SV_CMD_AUDIT && strlen(err) + 2 < errlen)
				strcat(err, "'");
			return -EINVAL;
		}
	}
	if (o->cmd == SV_CMD_CHECK) {
		for (; i < argc; i++) {
			if (o->npolicies >= SV_POLICIES_MAX) {
				snprintf(err, errlen, "at most %d policy files", SV_POLICIES_MAX);
				return -EINVAL;
			}
			o->policies[o->npolicies++] = argv[i];
		}
		if (o->npolicies == 0) {
			snprintf(err, errlen, "check needs a policy file");
			return -EINVAL;
		}
		return 0;
	}
	if (o->cmd == SV_CMD_RUN && o->npolicies == 0) {
		snprintf(err, errlen, "run needs a policy: -p POLICY (or use 'sisup -- PROGRAM' to audit)");
		return -EINVAL;
	}
	if (o->cmd == SV_CMD_LEARN && !o->output) {
		snprintf(err, errlen, "learn needs -o POLICY, the file to write");
		return -EINVAL;
	}
	if (i >= argc) {
		snprintf(err, errlen, "no program given");
		return -EINVAL;
	}
	o->argv = &argv[i];
	return sv_notify_set_parse(notify, &o->notify, err, errlen);
}
