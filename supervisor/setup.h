/* SPDX-License-Identifier: MIT */
/*
 * setup.h - policies before the program starts (load, check, compile) and
 * after it ends (audit report, learned policy).
 */
#ifndef SV_SETUP_H
#define SV_SETUP_H

#include "cli.h"
#include "plan.h"
#include "supervisor.h"

#define EXIT_SISUP 125

/** sv_policy_check - `sisup check`: load, print the plan. Returns the exit code. */
int sv_policy_check(const struct sv_opts *o);

/**
 * sv_policy_setup - load the policies of run/learn/audit into @sv and build
 * the kernel plan. Errors are printed (file:line:column and a hint).
 * Return: 0, or the exit code (EXIT_SISUP): the program must not start.
 */
int sv_policy_setup(struct sv *sv, const struct sv_opts *o, struct pol_plan *plan);

/**
 * sv_policy_finish - after the program: write the audit report or the
 * learned policy; free the policy state. Return: 0 or -errno.
 */
int sv_policy_finish(struct sv *sv);

/**
 * sv_policy_release - free the policy state of @sv without writing anything
 * (a start-up failure: no report, no learned policy). Safe on a partial
 * sv_policy_setup and after sv_policy_finish.
 */
void sv_policy_release(struct sv *sv);

#endif
