// SPDX-License-Identifier: MIT
/*
 * principals.c - who answers for a system call.
 *
 * Own frames come from the unwinder; inherited principals were recorded
 * when the thread or process was created (the creator was stopped in its
 * fork/clone call, tracer.c), so a thread pool worker started by a confined
 * module, or a shell it spawned, stays confined although no frame of the
 * module is on the worker's stack.
 */
#include "principals.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "modname.h"

static enum pol_origin origin_of(uint8_t kind)
{
	switch (kind) {
	case UW_MOD_STDLIB:
	case UW_MOD_FROZEN:
		return POL_ORIGIN_STDLIB;
	case UW_MOD_APP:
	case UW_MOD_MAIN:
		return POL_ORIGIN_APP;
	case UW_MOD_THIRD_PARTY:
		return POL_ORIGIN_THIRD_PARTY;
	default:
		return POL_ORIGIN_OTHER;
	}
}

void sv_frame_of(const struct uw_stack *s, uint32_t i, struct pol_frame *out)
{
	const struct uw_frame *f = &s->frames[i];

	out->module = uw_str(s, f->module);
	out->file = uw_str(s, f->file);
	out->origin = origin_of(f->kind);
}

/* The name a default-confined frame is reported and learned under: its
 * top-level package, or for code without a module name (a path outside
 * every known root) its directory, which a policy can name as a path. */
static const char *default_name(const struct pol_frame *f, char *buf, size_t len)
{
	const char *slash;
	size_t n;

	if (f->module[0])
		return pol_package_of(f->module, buf, len);
	slash = strrchr(f->file, '/');
	n = slash ? (size_t)(slash - f->file) + 1 : strlen(f->file);
	if (n >= len)
		n = len - 1;
	memcpy(buf, f->file, n);
	buf[n] = '\0';
	return buf;
}

/* The principals found on @s's own frames, appended to @out. */
static void own_principals(const struct pol_policy *p, const struct uw_stack *s,
			   struct pol_principals *out)
{
	/* The entry depends on the frame's module, file and kind alone. In one
	 * stack the walker interns those strings once per code object, so
	 * frames of the same code (recursion, loops over one helper) carry the
	 * same arena offsets: matched once against the policy's entries and
	 * transparent prefixes, not once per frame. */
	struct { uint32_t module, file; uint8_t kind; int e; } seen[16];
	unsigned nseen = 0, next = 0;

	for (uint32_t i = 0; i < s->nframes; i++) {
		const struct uw_frame *fr = &s->frames[i];
		struct pol_frame f;
		char pkg[POL_PRINCIPAL_NAME];
		int e = POL_ENTRY_NONE;
		unsigned k;

		for (k = 0; k < nseen; k++)
			if (seen[k].module == fr->module && seen[k].file == fr->file &&
			    seen[k].kind == fr->kind)
				break;
		sv_frame_of(s, i, &f);
		if (k < nseen) {
			e = seen[k].e;
		} else {
			e = pol_entry_of(p, &f);
			seen[next].module = fr->module;
			seen[next].file = fr->file;
			seen[next].kind = fr->kind;
			seen[next].e = e;
			next = (next + 1) % 16;
			if (nseen < 16)
				nseen++;
		}
		if (e == POL_ENTRY_NONE)
			continue;
		pol_principals_add(out, e, e >= 0 ? p->modules[e].name : default_name(&f, pkg, sizeof(pkg)),
				   false, (int32_t)i);
	}
}

static void add_inherited(struct pol_principals *out, const struct pol_principals *inh)
{
	if (!inh)
		return;
	for (unsigned i = 0; i < inh->n; i++)
		pol_principals_add(out, inh->p[i].entry, inh->p[i].name, true, -1);
	if (inh->overflow)
		out->overflow = true;
}

void sv_principals(struct sv *sv, pid_t tid, const struct uw_stack *s, struct sv_caller *out)
{
	const struct sv_task *t = sv_tasks_get(sv->tasks, tid);

	pol_principals_reset(&out->pr);
	out->own_python = false;
	out->unknown = false;
	out->why = NULL;
	if (!s->inherited) {
		switch (s->status) {
		case UW_OK:
			own_principals(sv->policy, s, &out->pr);
			out->own_python = s->nframes > 0;
			/* Frames beyond UW_FRAMES_MAX were not read: an outer
			 * confined module may be among them. */
			if (s->truncated) {
				out->unknown = true;
				out->why = "the stack is deeper than sisup reads";
			}
			break;
		case UW_NOT_PYTHON:
		case UW_NOT_INITIALIZED:
		case UW_NO_THREAD_STATE:
			break;	/* no Python frames of its own: only what it inherited */
		default:
			out->unknown = true;
			out->why = s->reason[0] ? s->reason : uw_status_name(s->status);
			break;
		}
	} else if (s->own_status != UW_OK && s->own_status != UW_NOT_PYTHON &&
		   s->own_status != UW_NOT_INITIALIZED && s->own_status != UW_NO_THREAD_STATE) {
		/* sv_pystack substituted the creator's stack because the own
		 * one could not be read, not because it was empty. */
		out->unknown = true;
		out->why = s->reason;
	}
	if (t)
		add_inherited(&out->pr, t->inh);
}

void sv_principals_created(struct sv *sv, pid_t creator, const struct uw_stack *s, pid_t child)
{
	const struct sv_task *c = sv_tasks_get(sv->tasks, creator);
	struct sv_task *n = sv_tasks_get(sv->tasks, child);
	struct pol_principals set;
	bool own;

	if (!sv->policy || !n)
		return;
	pol_principals_reset(&set);
	own = n->thread ? sv->policy->inherit_threads : sv->policy->inherit_processes;
	if (own && s && !s->inherited && s->status == UW_OK)
		own_principals(sv->policy, s, &set);
	/* What the creator itself inherited always passes on: a thread of a
	 * process spawned by a confined module is as confined as the process. */
	add_inherited(&set, c ? c->inh : NULL);
	for (unsigned i = 0; i < set.n; i++)
		set.p[i].inherited = true, set.p[i].frame = -1;
	free(n->inh);
	n->inh = NULL;
	if (set.n == 0 && !set.overflow)
		return;
	n->inh = malloc(sizeof(*n->inh));
	if (n->inh)
		*n->inh = set;
	else
		kill(child, SIGKILL); /* it would run unconfined: fail closed */
}
