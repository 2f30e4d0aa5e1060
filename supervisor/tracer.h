/* SPDX-License-Identifier: MIT */
/*
 * tracer.h - ptrace side of the supervisor: follows forks, threads and execs,
 * passes signals on and keeps the task table.
 */
#ifndef SV_TRACER_H
#define SV_TRACER_H

#include "supervisor.h"

/** sv_tracer_reap - handle every pending wait status without blocking. */
void sv_tracer_reap(struct sv *sv);

/** sv_tracer_init - enter the program's main process into the task table.
 * Returns 0 or -ENOMEM. */
int sv_tracer_init(struct sv *sv);

#endif
