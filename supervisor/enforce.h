/* SPDX-License-Identifier: MIT */
/*
 * enforce.h - the policy's answer to one notification (run), or the record
 * of what it would have been (audit, learn).
 */
#ifndef SV_ENFORCE_H
#define SV_ENFORCE_H

#include "decide.h"

/**
 * sv_policy_decide - classify, attribute, decide, tell. @sv->stack holds
 * the caller's stack (read by the caller of this function). Never fails:
 * when in doubt the answer is a denial.
 */
void sv_policy_decide(struct sv *sv, const struct seccomp_notif *req, struct sv_answer *ans);

/**
 * sv_policy_exec_event - may the program now loaded by @tid (at its
 * PTRACE_EVENT_EXEC stop, before the new image runs) be run by the
 * principals @chk recorded when its execve was allowed on exec: rules?
 * @exe: the kernel's record of the program (/proc/TID/exe), NULL if it
 * could not be read. Tells the user when not.
 * Return: true to let it run, false when the caller must kill it.
 */
bool sv_policy_exec_event(struct sv *sv, pid_t tid, const struct pol_principals *chk,
			  const char *exe);

#endif
