/* SPDX-License-Identifier: MIT */
/*
 * cli.h - command line of sisup.
 */
#ifndef SV_CLI_H
#define SV_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "syscalls.h"

enum sv_command {
	SV_CMD_AUDIT,	/* sisup [OPTIONS] -- PROGRAM: allow everything, report */
	SV_CMD_RUN,	/* sisup run -p POLICY -- PROGRAM: enforce */
	SV_CMD_LEARN,	/* sisup learn -o POLICY -- PROGRAM */
	SV_CMD_CHECK,	/* sisup check POLICY... */
	SV_CMD_TRACE,	/* sisup trace -- PROGRAM: log every notified call */
};

#define SV_POLICIES_MAX 16

struct sv_opts {
	enum sv_command cmd;
	bool json;			/* trace: JSON log; audit: JSON report */
	bool stats;
	bool stacks;			/* trace: unwind and log the Python stack */
	const char *output;		/* trace log file / learn output, NULL = stderr */
	const char *report;		/* audit: report file, NULL = stderr */
	const char *policies[SV_POLICIES_MAX];	/* run -p, check */
	size_t npolicies;
	bool merge;			/* learn --merge */
	const char *log;		/* run --log FILE */
	bool log_json;			/* --log-format json */
	struct sv_notify_set notify;
	char **argv;			/* the program and its arguments */
	bool help, version;
	/* SISUP_TEST_LEGACY_KERNEL=1: behave as on a kernel without
	 * WAIT_KILLABLE_RECV (5.19) and synchronous wake-ups (6.6), so that
	 * the fallback path is tested on new kernels. Not a user option. */
	bool legacy_kernel;
};

/**
 * sv_cli_parse - parse argv into @o.
 * Returns 0, or -EINVAL with a message in @err (usage error, exit 125).
 */
int sv_cli_parse(int argc, char **argv, struct sv_opts *o, char *err, size_t errlen);

/** sv_cli_usage - full help of @cmd on stdout, or a hint on stderr. */
void sv_cli_usage(enum sv_command cmd, bool full);

#endif
