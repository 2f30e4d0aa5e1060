/* SPDX-License-Identifier: MIT */
/*
 * decide.h - the one function that answers a notification.
 *
 * Later parts (Python attribution, policies) replace its body; the event loop
 * only ever sees an sv_answer.
 */
#ifndef SV_DECIDE_H
#define SV_DECIDE_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "supervisor.h"

enum sv_verdict {
	SV_CONTINUE,	/* the kernel runs the call */
	SV_ERRNO,	/* the call fails with @error */
	SV_KILL,	/* the process is killed, the call fails */
	SV_ANSWERED,	/* sisup performed the call and has answered already */
	SV_RETURN,	/* sisup performed the call: it returns @val */
};

struct sv_answer {
	enum sv_verdict verdict;
	int error;		/* positive errno for SV_ERRNO (and SV_KILL) */
	bool result;		/* SV_ERRNO: the call's own failure when sisup performed it, not a denial */
	int64_t val;		/* SV_RETURN: the call's return value */
};

/** sv_answer_result - @ans for a call sisup performed that returned @r
 * (>= 0, or -errno: the call's own failure). */
static inline void sv_answer_result(struct sv_answer *ans, long r)
{
	ans->verdict = r < 0 ? SV_ERRNO : SV_RETURN;
	ans->error = r < 0 ? (int)-r : 0;
	ans->result = r < 0;
	ans->val = r < 0 ? 0 : r;
}

/**
 * sv_decide - decide on @req.
 *
 * Must not CONTINUE on anything it read from memory the program can change;
 * when in doubt, SV_ERRNO. Never fails: every request gets an answer.
 */
void sv_decide(struct sv *sv, const struct seccomp_notif *req, struct sv_answer *ans);

#endif
