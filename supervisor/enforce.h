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

#endif
