/* SPDX-License-Identifier: MIT */
/*
 * plan.h - what the kernel decides and what reaches the supervisor, per row
 * of the capability table (classify.h), for a given policy.
 */
#ifndef POL_PLAN_H
#define POL_PLAN_H

#include <stdio.h>

#include "classify.h"
#include "policy.h"

enum pol_kact {
	POL_KACT_ALLOW,		/* every confined module may: stays in the kernel */
	POL_KACT_NOTIFY,	/* someone may not: the supervisor decides on the stack */
	POL_KACT_ERRNO,		/* nobody may (the never class): EPERM in the kernel */
};

#define POL_PLAN_ROWS_MAX 256

struct pol_plan {
	size_t nrows;
	enum pol_kact row[POL_PLAN_ROWS_MAX];	/* indexed like pol_rules() */
};

/**
 * pol_plan_build - the kernel's share of @p.
 * @p: the policy, or NULL for audit and learn (every row is notified, the
 *     never class too: audit allows everything and reports it).
 * Return: 0, or -E2BIG if the table outgrew POL_PLAN_ROWS_MAX.
 */
int pol_plan_build(const struct pol_policy *p, struct pol_plan *out);

/**
 * pol_plan_print - `sisup check`: the policy's entries, then per syscall
 * what the kernel does and, for notified rows, which entries lack it.
 * Return: 0 or -EIO.
 */
int pol_plan_print(const struct pol_policy *p, const struct pol_plan *plan, FILE *f);

#endif
