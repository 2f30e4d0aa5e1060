/* SPDX-License-Identifier: MIT */
/*
 * sigfwd.h - signals sent to sisup, and passing them on to the program.
 */
#ifndef SV_SIGFWD_H
#define SV_SIGFWD_H

#include <signal.h>
#include <sys/signalfd.h>

#include "supervisor.h"

/** sv_sigfwd_set - the signals sisup receives through its signalfd. */
void sv_sigfwd_set(sigset_t *set);

/**
 * sv_sigfwd_handle - pass @si on to the program, unless the program already
 * got it (sent by the terminal to the foreground process group, or by one of
 * the sandboxed tasks to a group that includes sisup).
 */
void sv_sigfwd_handle(struct sv *sv, const struct signalfd_siginfo *si);

#endif
