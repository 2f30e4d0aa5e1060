/* SPDX-License-Identifier: MIT */
/*
 * evlog.h - the event log of `sisup trace`: one line per notified syscall,
 * as text or JSON lines.
 */
#ifndef SV_EVLOG_H
#define SV_EVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "stack.h"

struct sv_event {
	double time;		/* seconds since sisup started the program */
	pid_t pid, tid;
	int nr;
	uint64_t args[6];
	const char *answer;	/* "continue", "errno", "kill" */
	int error;		/* errno for "errno" answers */
	bool abandoned;		/* the caller was gone when the answer came */
	const struct uw_stack *stack;	/* with --stacks, else NULL */
};

/**
 * sv_json_escape - write @s as the body of a JSON string (no quotes).
 * Bytes that are not valid UTF-8 are written as \u00XX of the byte so the
 * output is always valid JSON; control characters are escaped.
 * Returns the number of bytes written to @out (not NUL-terminated) or the
 * number needed, like snprintf, when @outlen is too small.
 */
size_t sv_json_escape(const char *s, size_t len, char *out, size_t outlen);

void sv_evlog_write(FILE *f, bool json, const struct sv_event *ev);

/** sv_evlog_json_str - @s as a quoted, escaped JSON string. */
void sv_evlog_json_str(FILE *f, const char *s);

/**
 * sv_evlog_stack - @s as the trace log shows it: JSON ",\"stack\":{...}"
 * (to follow other members) or indented text lines.
 */
void sv_evlog_stack(FILE *f, bool json, const struct uw_stack *s);

enum sv_task_event { SV_TEV_CREATE, SV_TEV_EXEC, SV_TEV_EXIT };

struct sv_task_ev {
	double time;
	enum sv_task_event what;
	pid_t pid, tid;		/* the task the event is about (creator for CREATE) */
	pid_t child, child_pid;	/* CREATE: the new task and its process */
	const char *kind;	/* CREATE: "fork", "vfork", "thread", "clone" */
	const char *exe;	/* EXEC: the new executable */
	int status;		/* EXIT: wait status */
};

/** sv_evlog_task - log a process-tree event (creation, exec, exit). */
void sv_evlog_task(FILE *f, bool json, const struct sv_task_ev *ev);

#endif
