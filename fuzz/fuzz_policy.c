// SPDX-License-Identifier: MIT
/*
 * fuzz_policy.c - libFuzzer target for the policy loader: a policy file is
 * outside input (generated, copied, or garbage), so every byte string must
 * either load or give an error with a printable message, and never leave a
 * half-merged policy behind.
 *
 * Each input is loaded twice: into a fresh policy, and merged into one that
 * already holds a base file. Checked: the return codes the contract allows;
 * messages and hints are printable ASCII (they reach the user's terminal);
 * a failed merge changes nothing; a successful load gives bounded, well-formed
 * entries, and loading the same text again merges into the same modules.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
	"version: 1\n"
	"transparent: [a.dispatch]\n"
	"modules:\n"
	"  requests: {allow: [dns, read], on_violation: log}\n"
	"  lxml: {allow: [fs-read], on_violation: {deny: EIO}, import: false}\n";

static void printable(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			abort();
}

static void check_error(int rc, const struct pol_error *e)
{
	if (rc != -EINVAL && rc != -ENOMEM && rc != -EFBIG)
		abort();
	printable(e->message, sizeof(e->message));
	printable(e->hint, sizeof(e->hint));
	if (!e->message[0] || strcmp(e->file, "fuzz.yaml") != 0)
		abort();
}

static void check_policy(const struct pol_policy *p)
{
	pol_capset argcaps = p->default_allow ? 0 : pol_args_caps(p->def.args);

	if (p->version != 1 || p->nmodules > POL_MODULES_MAX ||
	    p->ntransparent > POL_MODULES_MAX || p->nfiles == 0)
		abort();
	for (size_t i = 0; i < p->nmodules; i++) {
		const struct pol_module *m = &p->modules[i];
		size_t n = strlen(m->name);
		bool from_file = false;

		if (n == 0 || n > POL_NAME_MAX || m->line == 0 || m->column == 0)
			abort();
		if (m->on_violation != POL_DENY && m->on_violation != POL_KILL &&
		    m->on_violation != POL_LOG)
			abort();
		if (m->on_violation == POL_DENY && (m->error < 1 || m->error > 4095))
			abort();
		if (m->allow.caps & ~POL_CAPS_ALL)
			abort();
		/* argument rules: only for the capabilities that take them, and
		 * never an empty set (a set exists because a rule was added) */
		for (int c = 0; c < POL_CAP_COUNT; c++)
			if ((pol_args_caps(m->allow.args) & POL_CAP(c)) &&
			    !pol_args_takes((enum pol_cap)c))
				abort();
		if (m->allow.args && !pol_args_caps(m->allow.args))
			abort();
		argcaps |= pol_args_caps(m->allow.args);
		/* no two entries share a rule set: merges copy, never alias */
		for (size_t j = 0; j < i && m->allow.args; j++)
			if (p->modules[j].allow.args == m->allow.args)
				abort();
		/* sisup's format names modules or absolute directories; exact
		 * code file names ("<frozen x>") come only from secimport's */
		if (m->match == POL_MATCH_PATH && m->name[0] != '/')
			abort();
		if (m->match == POL_MATCH_FILENAME && !p->secimport)
			abort();
		for (size_t f = 0; f < p->nfiles; f++)
			from_file |= m->file == p->files[f];
		if (!from_file)
			abort();
		/* no two entries for one name */
		for (size_t j = 0; j < i; j++)
			if (p->modules[j].match == m->match && strcmp(p->modules[j].name, m->name) == 0)
				abort();
	}
	/* what the supervisor relies on to skip building objects */
	if (p->argcaps != argcaps)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pol_policy *p, *q;
	struct pol_module *mods;
	struct pol_error e;
	size_t nmods;
	char *copy;
	int rc;

	/* an exact-size heap copy: ASan catches any read past @size */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);

	p = pol_policy_new();
	if (!p)
		abort();
	rc = pol_load_buffer(p, "fuzz.yaml", copy, size, &e);
	if (rc) {
		check_error(rc, &e);
		if (p->nfiles || p->nmodules || p->ntransparent || !p->default_allow)
			abort();
	} else {
		check_policy(p);
		/* the same text again: same entries, now from two files */
		nmods = p->nmodules;
		if (pol_load_buffer(p, "fuzz.yaml", copy, size, &e) != 0 || p->nmodules != nmods ||
		    p->nfiles != 2)
			abort();
		check_policy(p);
	}
	pol_policy_free(p);

	/* merged into a policy that holds something: all or nothing */
	q = pol_policy_new();
	if (!q || pol_load_buffer(q, "base.yaml", base, sizeof(base) - 1, &e) != 0)
		abort();
	nmods = q->nmodules;
	mods = malloc(nmods * sizeof(*mods));
	if (!mods)
		abort();
	memcpy(mods, q->modules, nmods * sizeof(*mods));
	rc = pol_load_buffer(q, "fuzz.yaml", copy, size, &e);
	if (rc) {
		check_error(rc, &e);
		if (q->nmodules != nmods || memcmp(q->modules, mods, nmods * sizeof(*mods)) != 0 ||
		    q->nfiles != 1 || q->ntransparent != 1 || !q->default_allow ||
		    q->semantics != POL_SEM_STACK || q->secimport)
			abort();
	} else {
		check_policy(q);
	}
	free(mods);
	pol_policy_free(q);
	free(copy);
	return 0;
}
