// SPDX-License-Identifier: MIT
/*
 * denial.c - denial messages and the decision log.
 *
 * Everything printed here may come from the program (file and function
 * names, paths): it is escaped, so a hostile name cannot forge a second
 * message or drive the terminal.
 */
#include "denial.h"

#include "args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evlog.h"
#include "syscalls.h"

/* Distinct messages remembered; past this, messages go to the log only. */
#define DENIALS_MAX 4096

struct sv_denials {
	uint64_t seen[DENIALS_MAX];
	size_t n;
	bool full_said;
};

struct sv_denials *sv_denials_new(void)
{
	return calloc(1, sizeof(struct sv_denials));
}

void sv_denials_free(struct sv_denials *d)
{
	free(d);
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull;
}

/* True the first time this key is seen. */
static bool first_time(struct sv_denials *d, uint64_t key, bool *full)
{
	*full = false;
	for (size_t i = 0; i < d->n; i++)
		if (d->seen[i] == key)
			return false;
	if (d->n >= DENIALS_MAX) {
		*full = !d->full_said;
		d->full_said = true;
		return false;
	}
	d->seen[d->n++] = key;
	return true;
}

/* @s with control bytes and DEL escaped, cut to fit. */
static const char *clean(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s && o + 5 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '\\') {
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* The one capability to suggest for a class ("net-connect" for connect). */
static const char *suggest(const struct pol_request *rq)
{
	pol_capset need = pol_class_get(rq->cls)->need;

	if (rq->cls == POL_C_NEVER || !need)
		return pol_syscall_name(rq->nr) ? pol_syscall_name(rq->nr) : "?";
	/* The argument tells a unix socket from a network one. */
	if (rq->obj && rq->obj->kind == POL_OBJ_UNIX)
		return pol_cap_name(POL_CAP_NET_UNIX);
	if (rq->obj && rq->obj->kind == POL_OBJ_INET && rq->cls == POL_C_LISTEN)
		return pol_cap_name(POL_CAP_NET_LISTEN);
	for (int c = 0; c < POL_CAP_COUNT; c++)
		if (need & POL_CAP(c))
			return pol_cap_name((enum pol_cap)c);
	return "?";
}

static const char *errno_name(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOSYS: return "ENOSYS";
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	default: return NULL;
	}
}

static const char *verb(enum pol_action a)
{
	switch (a) {
	case POL_KILL: return "killed";
	case POL_LOG: return "would deny (log only)";
	case POL_DENY: return "denied";
	default: return "allowed";
	}
}

static void message(struct sv *sv, const struct sv_decision *d, const struct pol_principal *who)
{
	const struct pol_policy *p = sv->policy;
	const struct uw_stack *s = d->stack;
	char a[512], b[512], c[512], name[512];
	const char *cap = suggest(d->rq);
	FILE *f = stderr;

	fprintf(f, "sisup: %s %s (pid %d): ", verb(d->v->action), clean(d->target, a, sizeof(a)),
		(int)d->req->pid);
	if (!who) {
		fprintf(f, "%s\n", d->why ? clean(d->why, b, sizeof(b)) : "no module may make it");
	} else {
		/* own buffer: a, b and c are reused for the stack below, and
		 * the hint at the end names the module again */
		fprintf(f, "module '%s' lacks %s%s\n", clean(who->name, name, sizeof(name)),
			d->rq->cls == POL_C_NEVER ? "syscall " : "", cap);
		if (who->inherited)
			fprintf(f, "sisup:   '%s' was on the stack of the thread that created this %s\n",
				name, "task (inherited)");
	}
	if (s && s->nframes) {
		fprintf(f, "sisup:   Python stack%s, innermost first:\n",
			s->inherited ? " of the creating thread" : "");
		for (uint32_t i = 0; i < s->nframes && i < 64; i++) {
			const struct uw_frame *fr = &s->frames[i];
			const char *m = uw_str(s, fr->module);
			bool mark = who && !who->inherited && who->frame == (int32_t)i;

			fprintf(f, "sisup:   %s %-24s %s:%d  %s\n", mark ? ">" : " ",
				m[0] ? clean(m, a, sizeof(a)) : "?",
				clean(uw_str(s, fr->file), b, sizeof(b)), (int)fr->line,
				clean(uw_str(s, fr->func), c, sizeof(c)));
		}
		if (s->nframes > 64)
			fprintf(f, "sisup:     ... %u more frames\n", s->nframes - 64);
	}
	if (who && who->entry >= 0) {
		const struct pol_module *m = &p->modules[who->entry];
		int want = cap ? pol_cap_parse(cap) : -1;
		char rules[512], shown[512];

		if (d->object && want >= 0 && (pol_args_caps(m->allow.args) & POL_CAP(want)))
			fprintf(f, "sisup:   to allow it: %s:%u: add \"%s\" to the %s rules of '%s' "
				"(now: %s)\n", m->file ? m->file : "policy", m->line,
				clean(d->object, c, sizeof(c)), cap, m->name,
				clean(pol_args_format(m->allow.args, (enum pol_cap)want, rules,
						      sizeof(rules)), shown, sizeof(shown)));
		else
			fprintf(f, "sisup:   to allow it: %s:%u: add %s to the allow list of '%s'\n",
				m->file ? m->file : "policy", m->line, cap, m->name);
	} else if (who) {
		fprintf(f, "sisup:   to allow it, add under modules: in the policy:  %s: {allow: [%s]}\n",
			name, cap);
		if (p->def_file)
			fprintf(f, "sisup:   (or add %s to default: at %s:%u)\n", cap, p->def_file,
				p->def_line);
	}
}

static void log_line(struct sv *sv, const struct sv_decision *d, const struct pol_principal *who)
{
	const struct sv_task *t = sv_tasks_get(sv->tasks, (pid_t)d->req->pid);
	FILE *f = sv->dlog;
	char nb[24], caps[256];
	const char *name = sv_syscall_name(d->req->data.nr, nb, sizeof(nb));
	double time = (double)(sv_now_ns() - sv->t0_ns) / 1e9;
	const char *en = errno_name(d->v->error);

	if (!sv->dlog_json) {
		fprintf(f, "%.6f %d/%d %s %s: %s", time, t ? (int)t->tgid : 0, (int)d->req->pid,
			pol_action_name(d->v->action), name, d->target);
		char c1[512];

		if (who)
			fprintf(f, " module=%s%s lacks=%s", clean(who->name, c1, sizeof(c1)),
				who->inherited ? " (inherited)" : "", suggest(d->rq));
		else if (d->why)
			fprintf(f, " why=%s", clean(d->why, c1, sizeof(c1)));
		fputc('\n', f);
		if (d->stack)
			sv_evlog_stack(f, false, d->stack);
		return;
	}
	fprintf(f, "{\"time\":%.6f,\"pid\":%d,\"tid\":%d,\"syscall\":\"%s\",\"class\":\"%s\","
		   "\"verdict\":\"%s\"",
		time, t ? (int)t->tgid : 0, (int)d->req->pid, name, pol_class_get(d->rq->cls)->name,
		pol_action_name(d->v->action));
	if (d->v->action == POL_DENY) {
		if (en)
			fprintf(f, ",\"errno\":\"%s\"", en);
		else
			fprintf(f, ",\"errno\":%d", d->v->error);
	}
	fprintf(f, ",\"target\":");
	sv_evlog_json_str(f, d->target);
	if (who) {
		fprintf(f, ",\"module\":");
		sv_evlog_json_str(f, who->name);
		fprintf(f, ",\"inherited\":%s,\"missing\":\"%s\"", who->inherited ? "true" : "false",
			suggest(d->rq));
		fprintf(f, ",\"needs_any_of\":\"%s\"",
			pol_capset_format(pol_class_get(d->rq->cls)->need, caps, sizeof(caps)));
		if (who->entry >= 0 && sv->policy->modules[who->entry].file) {
			const struct pol_module *m = &sv->policy->modules[who->entry];
			char where[600];

			snprintf(where, sizeof(where), "%s:%u", m->file, m->line);
			fprintf(f, ",\"policy\":");
			sv_evlog_json_str(f, where);
		}
	}
	if (d->why) {
		fprintf(f, ",\"why\":");
		sv_evlog_json_str(f, d->why);
	}
	if (d->stack)
		sv_evlog_stack(f, true, d->stack);
	fprintf(f, "}\n");
}

void sv_decision_report(struct sv *sv, const struct sv_decision *d)
{
	const struct pol_principal *who =
		d->v->culprit >= 0 && (unsigned)d->v->culprit < d->caller->pr.n
			? &d->caller->pr.p[d->v->culprit] : NULL;
	uint64_t key = 1469598103934665603ull;
	bool full;

	key = fnv(key, who ? who->name : "-");
	key = fnv(key, pol_class_get(d->rq->cls)->name);
	key = fnv(key, d->target ? d->target : "");
	key = fnv(key, pol_action_name(d->v->action));
	if (sv->denials && first_time(sv->denials, key, &full))
		message(sv, d, who);
	else if (sv->denials && full)
		fprintf(stderr, "sisup: more than %d distinct denials: further ones only in --log\n",
			DENIALS_MAX);
	if (sv->dlog) {
		log_line(sv, d, who);
		fflush(sv->dlog);
	}
}
