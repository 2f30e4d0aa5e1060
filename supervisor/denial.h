/* SPDX-License-Identifier: MIT */
/*
 * denial.h - telling the user about a verdict: one message per distinct
 * denial on stderr, and every decision that is not a plain allow in the
 * --log file (text or JSON Lines, docs/policy.md "Decision log").
 */
#ifndef SV_DENIAL_H
#define SV_DENIAL_H

#include "eval.h"
#include "principals.h"
#include "supervisor.h"

struct sv_denials;

struct sv_denials *sv_denials_new(void);
void sv_denials_free(struct sv_denials *d);

struct sv_decision {
	const struct seccomp_notif *req;
	const struct uw_stack *stack;
	const struct sv_caller *caller;
	const struct pol_request *rq;
	const struct pol_verdict *v;
	const char *target;	/* "exec /bin/sh" (what the memory held when read) */
	const char *why;	/* set when the verdict did not come from a principal */
	const char *object;	/* the argument an argument rule was asked about (canonical
				 * path, address), or NULL */
};

/** sv_decision_report - message (once per distinct denial) and log line. */
void sv_decision_report(struct sv *sv, const struct sv_decision *d);

#endif
