/* SPDX-License-Identifier: MIT */
/*
 * report.h - what each package used while sisup watched (the audit report)
 * and the smallest policy under which that run passes (learn).
 *
 * The supervisor charges every notified call to the packages on the calling
 * thread's stack (and the ones it inherited) with pol_usage_add(); at exit it
 * writes the report, or the learned policy. Output is deterministic: packages,
 * capabilities and syscalls sorted by name, examples the smallest ones in
 * byte order, so that repeated runs of one program give identical files.
 */
#ifndef POL_REPORT_H
#define POL_REPORT_H

#include <stdio.h>

#include "policy.h"

/* Distinct example targets kept per package and capability. */
#define POL_EXAMPLES_MAX 3
/* Longest target kept (longer ones are cut and end in "..."). */
#define POL_TARGET_MAX 200
/* Packages tracked at most; later ones are counted in "dropped". */
#define POL_PACKAGES_MAX 4096

enum pol_pkg_kind {
	POL_PKG_THIRD_PARTY,	/* under site-packages/dist-packages */
	POL_PKG_APP,		/* the application's own code (its directory, __main__) */
	POL_PKG_STDLIB,		/* named by the policy although in the standard library */
};

struct pol_usage;

struct pol_usage *pol_usage_new(void);
void pol_usage_free(struct pol_usage *u);

/**
 * pol_usage_seen - @package (a top-level package or module name) was on a
 * stack sisup looked at, whether or not it used anything.
 * Return: 0 or -ENOMEM (-E2BIG past POL_PACKAGES_MAX).
 */
int pol_usage_seen(struct pol_usage *u, const char *package, enum pol_pkg_kind kind);

/**
 * pol_usage_add - @package used capability @cap (an enum pol_cap), or, when
 * @cap is negative, raw syscall @nr that no capability covers, on @target
 * ("/etc/passwd", "127.0.0.1:8080", "/bin/sh"; NULL or "" when unknown).
 * Counts every call; keeps up to POL_EXAMPLES_MAX distinct targets (the
 * smallest in byte order, so the choice does not depend on timing).
 * Return: 0, -EINVAL, -ENOMEM or -E2BIG.
 */
int pol_usage_add(struct pol_usage *u, const char *package, enum pol_pkg_kind kind, int cap,
		  int nr, const char *target);

/** pol_usage_packages - number of packages recorded. */
size_t pol_usage_packages(const struct pol_usage *u);

/**
 * pol_usage_write_text - the human report: one block per package (kind,
 * then one line per capability or syscall: name, count, examples).
 * Return: 0 or -EIO.
 */
int pol_usage_write_text(const struct pol_usage *u, FILE *f);

/**
 * pol_usage_write_json - the same as one JSON document (docs/policy.md):
 * {"version":1,"packages":[{"name":..,"kind":..,"capabilities":
 *  [{"name":..,"count":..,"examples":[..]}],"syscalls":[...same...]}]}
 * plus "dropped": N (calls by packages past POL_PACKAGES_MAX) only when
 * N > 0, so that a complete report keeps exactly this shape.
 * Return: 0 or -EIO.
 */
int pol_usage_write_json(const struct pol_usage *u, FILE *f);

/**
 * pol_learn_write - write the smallest sisup policy (YAML, version 1) under
 * which the recorded run passes: "default: []", every third-party package
 * seen as a module entry allowing exactly what it used (capability names,
 * raw syscall names only where no capability covers the call), sorted.
 * @base: NULL, or a loaded policy to merge into (learn --merge): its
 *        settings and entries are kept and the learned grants added to them.
 * @comment: lines written first as YAML comments (may be NULL); keep them
 *           free of times and pids so that repeated runs give equal files.
 * Return: 0, -EIO, or -ENOMEM (sorting @base's entries).
 */
int pol_learn_write(const struct pol_usage *u, const struct pol_policy *base, const char *comment,
		    FILE *f);

#endif
