/* SPDX-License-Identifier: MIT */
/*
 * restart.h - a notified syscall interrupted before sisup received it is
 * restarted, not failed with EINTR (restart.c says why and how).
 */
#ifndef SV_RESTART_H
#define SV_RESTART_H

#include <linux/seccomp.h>
#include <sys/types.h>

#include "supervisor.h"
#include "tasks.h"

/**
 * sv_restart_note - remember what sisup answered to @req: a CONTINUE'd call
 * really runs in the kernel and may itself be interrupted (EINTR is then the
 * bare result and stays). @continued: the answer was CONTINUE.
 */
void sv_restart_note(struct sv *sv, const struct seccomp_notif *req, bool continued);

/**
 * sv_restart_at_signal - at @tid's signal-delivery stop, before the signal
 * is injected: if the thread sits in a syscall our filter notifies that
 * sisup never received (the kernel set -ERESTARTSYS), make it restart after
 * the handler, as a call that had not started yet would.
 */
void sv_restart_at_signal(struct sv *sv, struct sv_task *t, pid_t tid);

#endif
