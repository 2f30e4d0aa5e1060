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
	const char *output;		/* trace log file, NULL = stderr */
	struct sv_notify_set notify;
	char **argv;			/* the program and its arguments */
	bool help, version;
};

/**
 * sv_cli_parse - parse argv into @o.
 * Returns 0, or -EINVAL with a message in @err (usage error, exit 125).
 */
int sv_cli_parse(int argc, char **argv, struct sv_opts *o, char *err, size_t errlen);

void sv_cli_usage(const char *cmd, bool full);

#endif
