/* SPDX-License-Identifier: MIT */
/*
 * loop.h - the single event loop: listener, ptrace events, signals.
 */
#ifndef SV_LOOP_H
#define SV_LOOP_H

#include "supervisor.h"

/**
 * sv_loop_run - serve until the program and every descendant has exited.
 * Never returns early because of the program: errors on one notification are
 * counted, not fatal. Returns 0 or -errno if the loop itself cannot continue
 * (then the caller exits and EXITKILL takes the tree down: fail closed).
 */
int sv_loop_run(struct sv *sv);

#endif
