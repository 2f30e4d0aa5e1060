// SPDX-License-Identifier: MIT
/*
 * cli.c - "sisup [OPTIONS] -- PROGRAM" and "sisup trace [OPTIONS] -- PROGRAM".
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char usage_run[] =
	"usage: sisup [OPTIONS] [--] PROGRAM [ARGS...]\n"
	"       sisup trace [-o FILE] [--json] [--stacks] [--notify SET] [--stats] [--] PROGRAM [ARGS...]\n"
	"\n"
	"Run PROGRAM and its whole process tree under sisup's seccomp supervisor.\n"
	"\n"
	"Options:\n"
	"  --notify SET   syscalls sent to the supervisor: 'default' (the sensitive set),\n"
	"                 'all', or a comma list of syscall names, e.g. default,openat\n"
	"  --stats        at exit, print notifications per syscall and the supervisor's\n"
	"                 mean and p99 time per notification (to stderr)\n"
	"  -h, --help     this help;  --version  print the version\n"
	"\n"
	"Exit status: PROGRAM's own; 128+N if it died of signal N; 125 if sisup failed;\n"
	"126 if PROGRAM could not be executed; 127 if it was not found.\n";

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

void sv_cli_usage(const char *cmd, bool full)
{
	const char *u = cmd && strcmp(cmd, "trace") == 0 ? usage_trace : usage_run;

	if (full)
		fputs(u, stdout);
	else
		fprintf(stderr, "sisup: try 'sisup%s --help'\n",
			cmd && strcmp(cmd, "trace") == 0 ? " trace" : "");
}

int sv_cli_parse(int argc, char **argv, struct sv_opts *o, char *err, size_t errlen)
{
	const char *notify = "default";
	int i = 1;

	memset(o, 0, sizeof(*o));
	o->cmd = SV_CMD_RUN;
	if (i < argc && strcmp(argv[i], "trace") == 0) {
		o->cmd = SV_CMD_TRACE;
		i++;
	}
	for (; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			o->help = true;
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			o->version = true;
			return 0;
		} else if (strcmp(a, "--stats") == 0) {
			o->stats = true;
		} else if (strcmp(a, "--stacks") == 0 && o->cmd == SV_CMD_TRACE) {
			o->stacks = true;
		} else if (strcmp(a, "--json") == 0 && o->cmd == SV_CMD_TRACE) {
			o->json = true;
		} else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) &&
			   o->cmd == SV_CMD_TRACE) {
			if (++i >= argc) {
				snprintf(err, errlen, "%s needs a file name", a);
				return -EINVAL;
			}
			o->output = argv[i];
		} else if (strncmp(a, "--notify=", 9) == 0) {
			notify = a + 9;
		} else if (strcmp(a, "--notify") == 0) {
			if (++i >= argc) {
				snprintf(err, errlen, "--notify needs a set");
				return -EINVAL;
			}
			notify = argv[i];
		} else {
			snprintf(err, errlen, "unknown option '%s'%s", a,
				 o->cmd == SV_CMD_RUN && (strcmp(a, "--json") == 0 || strcmp(a, "-o") == 0)
					 ? " (it belongs to 'sisup trace')" : "");
			return -EINVAL;
		}
	}
	if (i >= argc) {
		snprintf(err, errlen, "no program given");
		return -EINVAL;
	}
	o->argv = &argv[i];
	return sv_notify_set_parse(notify, &o->notify, err, errlen);
}
