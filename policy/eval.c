// SPDX-License-Identifier: MIT
/*
 * eval.c - principals and verdicts (the semantics of docs/policy.md).
 */
#include "eval.h"

#include <errno.h>
#include <string.h>

/* "requests" covers "requests" and "requests.adapters", not "requestsx". */
static bool within(const char *module, const char *prefix)
{
	size_t n = strlen(prefix);

	return n > 0 && strncmp(module, prefix, n) == 0 && (module[n] == '\0' || module[n] == '.');
}

/* Length of the longest transparent prefix covering @module, 0 if none. */
static size_t transparent_len(const struct pol_policy *p, const char *module)
{
	size_t best = 0;

	for (size_t i = 0; i < p->ntransparent; i++) {
		size_t n = strlen(p->transparent[i]);

		if (n > best && within(module, p->transparent[i]))
			best = n;
	}
	return best;
}

int pol_entry_of(const struct pol_policy *p, const struct pol_frame *f)
{
	const char *mod = f->module ? f->module : "";
	const char *file = f->file ? f->file : "";
	size_t best_len = 0;
	int best = POL_ENTRY_NONE;

	size_t tlen = mod[0] ? transparent_len(p, mod) : 0;

	/* The longest match wins: "requests.adapters" may be confined more
	 * tightly than "requests". Bounded by POL_MODULES_MAX entries. */
	for (size_t i = 0; i < p->nmodules; i++) {
		const struct pol_module *m = &p->modules[i];
		size_t n = strlen(m->name);
		bool hit = false;

		switch (m->match) {
		case POL_MATCH_MODULE:
			hit = mod[0] && within(mod, m->name);
			break;
		case POL_MATCH_PATH:
			hit = strncmp(file, m->name, n) == 0;
			break;
		case POL_MATCH_FILENAME:
			hit = strcmp(file, m->name) == 0;
			break;
		}
		if (hit && n > best_len) {
			best = (int)i;
			best_len = n;
		}
	}
	/* A transparent prefix hides the frame, unless a longer (more
	 * specific) entry names it: "plugins.dispatch" transparent with
	 * "plugins.dispatch.core" confined confines the core. */
	if (tlen && best_len <= tlen)
		return POL_ENTRY_NONE;
	if (best != POL_ENTRY_NONE)
		return best;
	/* Code from a place that is neither the interpreter's, the
	 * application's nor a known site directory (sys.path changed at run
	 * time, a hidden directory) is treated as third-party: when unsure,
	 * confine. Synthetic names ("<string>", python -c) are not principals:
	 * whoever ran them is on the stack. */
	if ((f->origin == POL_ORIGIN_THIRD_PARTY || (f->origin == POL_ORIGIN_OTHER && file[0] == '/')) &&
	    !p->default_allow)
		return POL_ENTRY_DEFAULT;
	return POL_ENTRY_NONE;
}

const char *pol_package_of(const char *module, char *buf, size_t len)
{
	size_t n = strcspn(module ? module : "", ".");

	if (len == 0)
		return buf;
	if (n >= len)
		n = len - 1;
	memcpy(buf, module ? module : "", n);
	buf[n] = '\0';
	return buf;
}

void pol_principals_add(struct pol_principals *s, int entry, const char *name, bool inherited,
			int32_t frame)
{
	struct pol_principal *pr;

	for (unsigned i = 0; i < s->n; i++)
		if (s->p[i].entry == entry && strncmp(s->p[i].name, name, sizeof(s->p[i].name) - 1) == 0)
			return;
	if (s->n >= POL_PRINCIPALS_MAX) {
		s->overflow = true;
		return;
	}
	pr = &s->p[s->n++];
	pr->entry = entry;
	strncpy(pr->name, name, sizeof(pr->name) - 1);
	pr->name[sizeof(pr->name) - 1] = '\0';
	pr->inherited = inherited;
	pr->frame = frame;
}

const struct pol_grants *pol_grants_of(const struct pol_policy *p, int entry)
{
	if (entry >= 0 && (size_t)entry < p->nmodules)
		return &p->modules[entry].allow;
	return &p->def;
}

static void action_of(const struct pol_policy *p, int entry, enum pol_class_id cls,
		      enum pol_action *a, int *err)
{
	if (entry >= 0 && (size_t)entry < p->nmodules) {
		*a = p->modules[entry].on_violation;
		*err = p->modules[entry].error;
	} else {
		*a = p->def_action;
		*err = p->def_error;
	}
	if (*a == POL_ALLOW)
		*a = POL_DENY; /* a confined entry never "allows" a violation */
	/* log-only entries do not open the never class: it is refused to
	 * everyone who does not name the syscall, trusted code included. */
	if (*a == POL_LOG && cls == POL_C_NEVER)
		*a = POL_DENY;
	if (*a == POL_DENY && *err <= 0)
		*err = EPERM;
}

/* Does an argument rule of some capability in @need cover @o? */
static bool args_allow(const struct pol_grants *g, pol_capset need, const struct pol_object *o)
{
	for (int cap = 0; cap < POL_CAP_COUNT; cap++)
		if ((need & POL_CAP(cap)) && pol_args_match(g->args, (enum pol_cap)cap, o))
			return true;
	return false;
}

bool pol_principal_allows(const struct pol_policy *p, const struct pol_principal *pr,
			  const struct pol_request *rq)
{
	const struct pol_grants *g = pol_grants_of(p, pr->entry);
	const struct pol_class *c = pol_class_get(rq->cls);

	if (pol_grants_syscall(g, rq->nr))
		return true;
	if (rq->system_file && rq->cls == POL_C_OPEN_READ)
		return true;
	if (rq->cls == POL_C_NEVER)
		return false;
	if (g->caps & c->need)
		return true;
	if (rq->obj && g->args && args_allow(g, c->need, rq->obj))
		return true;
	if (rq->import_ok && g->import)
		return true;
	if (rq->in_resolver && (g->caps & POL_CAP(POL_CAP_DNS)))
		return true;
	if (rq->library && (g->caps & POL_CAP(POL_CAP_NATIVE_CODE)))
		return true;
	/* A program being started (no Python frames of its own: a non-Python
	 * image, or an interpreter before it runs Python code) maps and reads
	 * its libraries; the exec that started it was already checked. */
	if (pr->inherited && !rq->own_python &&
	    (rq->cls == POL_C_OPEN_READ || rq->cls == POL_C_EXEC_MAP))
		return true;
	return false;
}

void pol_decide(const struct pol_policy *p, const struct pol_principals *pr,
		const struct pol_request *rq, struct pol_verdict *v)
{
	v->action = POL_ALLOW;
	v->error = 0;
	v->culprit = -1;
	v->missing = pol_class_get(rq->cls)->need;

	if (pr->n == 0) {
		if (rq->cls == POL_C_NEVER) {
			v->action = POL_DENY;
			v->error = EPERM;
		}
		return;
	}
	if (p->semantics == POL_SEM_INNERMOST) {
		if (!pol_principal_allows(p, &pr->p[0], rq)) {
			v->culprit = 0;
			action_of(p, pr->p[0].entry, rq->cls, &v->action, &v->error);
		}
		return;
	}
	if (pr->overflow) {
		/* An outer principal may be missing: we cannot tell that all allow. */
		v->action = POL_DENY;
		v->error = EPERM;
		return;
	}
	for (unsigned i = 0; i < pr->n; i++) {
		enum pol_action a;
		int err;

		if (pol_principal_allows(p, &pr->p[i], rq))
			continue;
		action_of(p, pr->p[i].entry, rq->cls, &a, &err);
		if (v->culprit < 0 || a > v->action) {
			v->action = a;
			v->error = a == POL_DENY ? err : 0;
			v->culprit = (int)i;
		}
	}
}
