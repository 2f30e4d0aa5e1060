// SPDX-License-Identifier: MIT
/*
 * setup.c - policy files in, reports and learned policies out.
 */
#include "setup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "denial.h"
#include "dns.h"
#include "pathcall.h"

static void print_error(const struct pol_error *e, int rc, const char *path)
{
	if (e->line)
		fprintf(stderr, "sisup: %s:%u:%u: %s\n", e->file[0] ? e->file : path, e->line,
			e->column, e->message[0] ? e->message : strerror(-rc));
	else
		fprintf(stderr, "sisup: %s: %s\n", e->file[0] ? e->file : path,
			e->message[0] ? e->message : strerror(-rc));
	if (e->hint[0])
		fprintf(stderr, "sisup:   hint: %s\n", e->hint);
}

static struct pol_policy *load_all(const char *const *files, size_t n)
{
	struct pol_policy *p = pol_policy_new();

	if (!p) {
		fprintf(stderr, "sisup: out of memory\n");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct pol_error e;
		int rc;

		memset(&e, 0, sizeof(e));
		rc = pol_load_file(p, files[i], &e);
		if (rc < 0) {
			print_error(&e, rc, files[i]);
			pol_policy_free(p);
			return NULL;
		}
	}
	if (p->secimport && p->secimport_skipped)
		fprintf(stderr, "sisup: note: %zu syscall names of the secimport policy do not exist on "
				"Linux x86-64 and were skipped\n", p->secimport_skipped);
	return p;
}

int sv_policy_check(const struct sv_opts *o)
{
	struct pol_policy *p = load_all(o->policies, o->npolicies);
	struct pol_plan plan;
	int rc;

	if (!p)
		return EXIT_SISUP;
	rc = pol_plan_build(p, &plan);
	if (rc == 0) {
		for (size_t i = 0; i < o->npolicies; i++)
			printf("%s: valid\n", o->policies[i]);
		rc = pol_plan_print(p, &plan, stdout);
	}
	pol_policy_free(p);
	if (fflush(stdout) != 0 || rc < 0) {
		fprintf(stderr, "sisup: check: %s\n", strerror(rc < 0 ? -rc : EIO));
		return EXIT_SISUP;
	}
	return 0;
}

/* What audit and learn run under: every third-party package confined to
 * the baseline and the import grant, so that what it would be denied is
 * exactly what it used (and what learn then grants). */
static struct pol_policy *learning_policy(void)
{
	struct pol_policy *p = pol_policy_new();

	if (!p)
		return NULL;
	p->default_allow = false;
	memset(&p->def, 0, sizeof(p->def));
	p->def.import = true;
	p->def_action = POL_LOG;
	return p;
}

int sv_policy_setup(struct sv *sv, const struct sv_opts *o, struct pol_plan *plan)
{
	int rc;

	sv->euid_root = geteuid() == 0;
	sv_dns_init();
	switch (o->cmd) {
	case SV_CMD_RUN:
		sv->policy = load_all(o->policies, o->npolicies);
		if (!sv->policy)
			return EXIT_SISUP;
		sv->enforcing = true;
		sv->denials = sv_denials_new();
		if (!sv->denials)
			return EXIT_SISUP;
		/* ~12 KiB of path copies: file rules, and opens for writing
		 * checked for process memory files (enforce.c). */
		sv->pathcall = calloc(1, sizeof(*sv->pathcall));
		if (!sv->pathcall) {
			fprintf(stderr, "sisup: out of memory\n");
			return EXIT_SISUP;
		}
		if (o->log) {
			int fd = open(o->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

			if (fd < 0 || !(sv->dlog = fdopen(fd, "w"))) {
				fprintf(stderr, "sisup: %s: %s\n", o->log, strerror(errno));
				return EXIT_SISUP;
			}
			sv->dlog_json = o->log_json;
		}
		rc = pol_plan_build(sv->policy, plan);
		break;
	case SV_CMD_LEARN:
		if (o->merge && access(o->output, F_OK) == 0) {
			/* Validate the base now: a broken file must not be
			 * overwritten after a long run. */
			struct pol_policy *base = load_all(&o->output, 1);

			if (!base)
				return EXIT_SISUP;
			pol_policy_free(base);
		}
		/* fall through */
	case SV_CMD_AUDIT:
		sv->policy = learning_policy();
		sv->usage = pol_usage_new();
		if (!sv->policy || !sv->usage) {
			fprintf(stderr, "sisup: out of memory\n");
			return EXIT_SISUP;
		}
		rc = pol_plan_build(NULL, plan);
		break;
	default:
		return 0;
	}
	if (rc < 0) {
		fprintf(stderr, "sisup: cannot compile the policy: %s\n", strerror(-rc));
		return EXIT_SISUP;
	}
	return 0;
}

static int write_learned(struct sv *sv)
{
	const struct sv_opts *o = sv->opts;
	struct pol_policy *base = NULL;
	char tmp[4096], comment[1024];
	size_t off = 0;
	FILE *f;
	int fd, rc;

	if (o->merge && access(o->output, F_OK) == 0) {
		base = load_all(&o->output, 1);
		if (!base)
			return -EINVAL;
	}
	/* The command, without times or pids: reruns give the same bytes. */
	off += (size_t)snprintf(comment, sizeof(comment), "Learned by sisup from:");
	for (char **a = o->argv; *a && off < sizeof(comment); a++)
		off += (size_t)snprintf(comment + off, sizeof(comment) - off, " %s", *a);
	if (snprintf(tmp, sizeof(tmp), "%s.sisup-tmp", o->output) >= (int)sizeof(tmp)) {
		pol_policy_free(base);
		return -ENAMETOOLONG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		pol_policy_free(base);
		fprintf(stderr, "sisup: %s: %s\n", tmp, strerror(-rc));
		return rc;
	}
	rc = pol_learn_write(sv->usage, base, comment, f);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	pol_policy_free(base);
	/* Replace the file only when the whole policy was written. */
	if (rc == 0 && rename(tmp, o->output) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(tmp);
		fprintf(stderr, "sisup: %s: %s\n", o->output, strerror(-rc));
	}
	return rc;
}

static int write_report(struct sv *sv)
{
	const struct sv_opts *o = sv->opts;
	FILE *f = stderr;
	int rc;

	if (!o->report && pol_usage_packages(sv->usage) == 0)
		return 0; /* nothing beyond the baseline: stay silent */
	if (o->report) {
		int fd = open(o->report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		f = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!f) {
			rc = -errno;
			fprintf(stderr, "sisup: %s: %s\n", o->report, strerror(errno));
			if (fd >= 0)
				close(fd);
			return rc;
		}
	}
	rc = o->json ? pol_usage_write_json(sv->usage, f) : pol_usage_write_text(sv->usage, f);
	if (f != stderr && fclose(f) != 0 && rc == 0)
		rc = -EIO;
	return rc;
}

int sv_policy_finish(struct sv *sv)
{
	int rc = 0;

	if (sv->usage && sv->opts->cmd == SV_CMD_LEARN)
		rc = write_learned(sv);
	else if (sv->usage)
		rc = write_report(sv);
	sv_policy_release(sv);
	return rc;
}

void sv_policy_release(struct sv *sv)
{
	if (sv->dlog)
		fclose(sv->dlog);
	sv->dlog = NULL;
	pol_usage_free(sv->usage);
	sv->usage = NULL;
	sv_denials_free(sv->denials);
	sv->denials = NULL;
	free(sv->pathcall);
	sv->pathcall = NULL;
	pol_policy_free(sv->policy);
	sv->policy = NULL;
}
