/* SPDX-License-Identifier: MIT */
/*
 * cli.h - command line of sisup.
 */
#ifndef SV_CLI_H
#define SV_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "syscalls.h"

enum sv_command { SV_CMD_RUN, SV_CMD_TRACE };

struct sv_opts {
	enum sv_command cmd;
	bool json;
	bool stats;
	bool stacks;			/* trace: unwind and log the Python stack */
	const char *output;		/* trace log file, NULL = stderr */
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

void sv_cli_usage(const char *cmd, bool full);

#endif
