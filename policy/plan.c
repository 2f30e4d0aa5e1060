// SPDX-License-Identifier: MIT
/*
 * plan.c - compile a policy to the kernel's part of the decision.
 *
 * A row stays in the kernel (ALLOW) when every confined entry holds its
 * class unconditionally, by capability or by naming the syscall; the import
 * grant and dns depend on the stack, so they never make a row ALLOW; nor do
 * argument rules (args.h): only the supervisor sees the argument, on its own
 * copy, so a row an entry holds for some arguments only must reach it. The
 * never class fails in the kernel unless some entry names the syscall.
 */
#include "plan.h"

#include <errno.h>
#include <string.h>

#include "args.h"

/* Unconditionally: by syscall name or a capability granted outright
 * (g->args deliberately not consulted). */
static bool holds(const struct pol_grants *g, const struct pol_rule *r)
{
	if (pol_grants_syscall(g, r->nr))
		return true;
	if (r->cls == POL_C_NEVER)
		return false;
	/* An open for writing may name /proc/self/mem: the supervisor sees
	 * it unless the entry could write its memory anyway (native-code). */
	if (r->cls == POL_C_OPEN_WRITE && !(g->caps & POL_CAP(POL_CAP_NATIVE_CODE)))
		return false;
	return (g->caps & pol_class_get(r->cls)->need) != 0;
}

/* Does every confined entry hold @r? */
static bool all_hold(const struct pol_policy *p, const struct pol_rule *r)
{
	for (size_t i = 0; i < p->nmodules; i++)
		if (!holds(&p->modules[i].allow, r))
			return false;
	return p->default_allow || holds(&p->def, r);
}

static bool any_names(const struct pol_policy *p, int nr)
{
	for (size_t i = 0; i < p->nmodules; i++)
		if (pol_grants_syscall(&p->modules[i].allow, nr))
			return true;
	return !p->default_allow && pol_grants_syscall(&p->def, nr);
}

int pol_plan_build(const struct pol_policy *p, struct pol_plan *out)
{
	size_t n;
	const struct pol_rule *rules = pol_rules(&n);

	if (n > POL_PLAN_ROWS_MAX)
		return -E2BIG;
	out->nrows = n;
	for (size_t i = 0; i < n; i++) {
		const struct pol_rule *r = &rules[i];

		if (!p)
			out->row[i] = POL_KACT_NOTIFY;
		else if (r->cls == POL_C_NEVER)
			out->row[i] = any_names(p, r->nr) ? POL_KACT_NOTIFY : POL_KACT_ERRNO;
		else
			out->row[i] = all_hold(p, r) ? POL_KACT_ALLOW : POL_KACT_NOTIFY;
	}
	return 0;
}

static const char *cond_text(const struct pol_rule *r, char *buf, size_t len)
{
	switch (r->cond) {
	case POL_COND_ALWAYS:
		return "";
	case POL_COND_ANY_BIT:
		snprintf(buf, len, " if arg%d & %#llx", r->arg, (unsigned long long)r->value);
		break;
	case POL_COND_NO_BIT:
		snprintf(buf, len, " if !(arg%d & %#llx)", r->arg, (unsigned long long)r->value);
		break;
	case POL_COND_LOW32_EQ:
		snprintf(buf, len, " if arg%d == %llu", r->arg, (unsigned long long)r->value);
		break;
	case POL_COND_LOW32_NE:
		snprintf(buf, len, " if arg%d != %llu", r->arg, (unsigned long long)r->value);
		break;
	case POL_COND_NONZERO:
		snprintf(buf, len, " if arg%d != 0", r->arg);
		break;
	}
	return buf;
}

/* " (net-connect: 127.0.0.1:8080, *:443)": what @g holds for @r for some
 * arguments only; nothing when it has no such rule. */
static void print_arg_rules(const struct pol_grants *g, const struct pol_rule *r, FILE *f)
{
	pol_capset need = r->cls == POL_C_NEVER ? 0 : pol_class_get(r->cls)->need;
	const char *sep = " (";
	char buf[512];

	if (!(pol_args_caps(g->args) & need))
		return;
	for (int c = 0; c < POL_CAP_COUNT; c++) {
		if (!(need & POL_CAP(c)) || !pol_args_count(g->args, (enum pol_cap)c))
			continue;
		fprintf(f, "%s%s: %s", sep, pol_cap_name((enum pol_cap)c),
			pol_args_format(g->args, (enum pol_cap)c, buf, sizeof(buf)));
		sep = "; ";
	}
	fputc(')', f);
}

static void print_entry_list(const struct pol_policy *p, const struct pol_rule *r, FILE *f)
{
	const char *sep = "";

	for (size_t i = 0; i < p->nmodules; i++) {
		if (holds(&p->modules[i].allow, r))
			continue;
		fprintf(f, "%s%s", sep, p->modules[i].name);
		print_arg_rules(&p->modules[i].allow, r, f);
		sep = ", ";
	}
	if (!p->default_allow && !holds(&p->def, r)) {
		fprintf(f, "%s(default)", sep);
		print_arg_rules(&p->def, r, f);
	}
}

int pol_plan_print(const struct pol_policy *p, const struct pol_plan *plan, FILE *f)
{
	size_t n;
	const struct pol_rule *rules = pol_rules(&n);
	char caps[256], cond[96];
	int nkernel = 0, nnotify = 0, nerrno = 0;

	fprintf(f, "policy: version %d, semantics %s, default %s%s%s, %zu module%s%s\n",
		p->version, p->semantics == POL_SEM_STACK ? "stack" : "innermost",
		p->default_allow ? "allow" : "[",
		p->default_allow ? "" : pol_capset_format(p->def.caps, caps, sizeof(caps)),
		p->default_allow ? "" : "]", p->nmodules, p->nmodules == 1 ? "" : "s",
		p->secimport ? " (secimport format)" : "");
	for (size_t i = 0; i < p->nmodules; i++) {
		const struct pol_module *m = &p->modules[i];

		fprintf(f, "  %s: allow [%s]%s, on violation %s", m->name,
			pol_capset_format(m->allow.caps, caps, sizeof(caps)),
			m->allow.import ? " + import" : "", pol_action_name(m->on_violation));
		if (m->on_violation == POL_DENY && m->error && m->error != EPERM)
			fprintf(f, " (errno %d)", m->error);
		for (int c = 0; c < POL_CAP_COUNT; c++) {
			char argtext[512];

			if (!(pol_args_caps(m->allow.args) & POL_CAP(c)) || (m->allow.caps & POL_CAP(c)))
				continue;
			fprintf(f, "; %s only for %s", pol_cap_name((enum pol_cap)c),
				pol_args_format(m->allow.args, (enum pol_cap)c, argtext, sizeof(argtext)));
		}
		fprintf(f, "\n");
	}
	fprintf(f, "\nper system call (everything not listed stays in the kernel: baseline):\n");
	for (size_t i = 0; i < n && i < plan->nrows; i++) {
		const struct pol_rule *r = &rules[i];
		const char *name = pol_syscall_name(r->nr);

		fprintf(f, "  %-18s%-28s %-22s ", name ? name : "?", cond_text(r, cond, sizeof(cond)),
			pol_class_get(r->cls)->name);
		switch (plan->row[i]) {
		case POL_KACT_ALLOW:
			fprintf(f, "kernel: allow\n");
			nkernel++;
			break;
		case POL_KACT_ERRNO:
			fprintf(f, "kernel: EPERM\n");
			nerrno++;
			break;
		case POL_KACT_NOTIFY:
			fprintf(f, "notify sisup: lacked by ");
			print_entry_list(p, r, f);
			fprintf(f, "\n");
			nnotify++;
			break;
		}
	}
	fprintf(f, "\n%d rows allowed in the kernel, %d denied in the kernel, %d sent to sisup\n",
		nkernel, nerrno, nnotify);
	return ferror(f) ? -EIO : 0;
}
