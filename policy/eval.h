/* SPDX-License-Identifier: MIT */
/*
 * eval.h - who is responsible for a system call, and may they make it?
 *
 * The supervisor turns the calling thread's Python frames into principals
 * (the policy entries confining them, innermost first, then the ones the
 * thread or process inherited from its creator) and asks pol_decide(). The
 * evaluator sees names and flags only: no memory of the program.
 */
#ifndef POL_EVAL_H
#define POL_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "args.h"
#include "classify.h"
#include "policy.h"

/* Where a frame's code comes from (the unwinder's classification). */
enum pol_origin {
	POL_ORIGIN_STDLIB,	/* the interpreter's standard library, frozen modules */
	POL_ORIGIN_APP,		/* the application's directory, __main__ */
	POL_ORIGIN_THIRD_PARTY,	/* site-packages / dist-packages */
	POL_ORIGIN_OTHER,	/* "<string>" (not a principal), or a path outside every known root
				 * (confined as third-party) */
};

struct pol_frame {
	const char *module;	/* dotted name, "" when none */
	const char *file;	/* co_filename as read */
	enum pol_origin origin;
};

#define POL_ENTRY_NONE (-1)	/* trusted, transparent or not attributable */
#define POL_ENTRY_DEFAULT (-2)	/* a third-party module no entry names, under default: [...] */

/**
 * pol_entry_of - the entry confining @f: the longest matching module
 * prefix (or path/file name entry), else POL_ENTRY_DEFAULT for
 * third-party code (and code at an absolute path outside every known root)
 * when the default is not "allow", else POL_ENTRY_NONE.
 * Transparent modules give POL_ENTRY_NONE.
 */
int pol_entry_of(const struct pol_policy *p, const struct pol_frame *f);

/** pol_package_of - the top-level package of @module into @buf ("requests"
 * for "requests.adapters"); "" when @module is empty. */
const char *pol_package_of(const char *module, char *buf, size_t len);

#define POL_PRINCIPALS_MAX 32
#define POL_PRINCIPAL_NAME 256

struct pol_principal {
	int entry;			/* index into modules, or POL_ENTRY_DEFAULT */
	char name[POL_PRINCIPAL_NAME];	/* the entry's name, or the package for DEFAULT */
	bool inherited;			/* from the creator of this thread or process */
	int32_t frame;			/* innermost frame of it on the own stack, -1 if inherited */
};

struct pol_principals {
	unsigned n;
	bool overflow;		/* more than POL_PRINCIPALS_MAX: outer ones were dropped */
	struct pol_principal p[POL_PRINCIPALS_MAX];
};

static inline void pol_principals_reset(struct pol_principals *s)
{
	s->n = 0;
	s->overflow = false;
}

/**
 * pol_principals_add - append a principal unless one with the same entry
 * and name is already there (the innermost occurrence is kept).
 */
void pol_principals_add(struct pol_principals *s, int entry, const char *name, bool inherited,
			int32_t frame);

struct pol_request {
	enum pol_class_id cls;
	int nr;
	bool import_ok;		/* the import grant covers this call (supervisor checked it) */
	bool in_resolver;	/* made by name resolution (socket.getaddrinfo ...): dns covers it */
	bool own_python;	/* the thread has Python frames of its own (initialised interpreter) */
	bool library;		/* reading a shared library or the loader's cache: native-code covers it */
	bool system_file;	/* reading the time zone, locale data, /dev/null...: everyone may */
	/* the call's argument as the supervisor copied and canonicalised it,
	 * for argument rules (args.h); NULL: none, argument grants do not count */
	const struct pol_object *obj;
};

struct pol_verdict {
	enum pol_action action;	/* POL_ALLOW, POL_LOG, POL_DENY, POL_KILL */
	int error;		/* positive errno for POL_DENY */
	int culprit;		/* index of the principal that decided, -1 if none */
	pol_capset missing;	/* what the culprit lacked (the class's need) */
};

/** pol_grants_of - the grants of @entry (a module index or POL_ENTRY_DEFAULT). */
const struct pol_grants *pol_grants_of(const struct pol_policy *p, int entry);

/**
 * pol_principal_allows - may principal @pr make the call @rq?
 * A capability of the class's need allows it, granted outright or by an
 * argument rule covering @rq->obj. Reading files and mapping code are not
 * inherited by a thread without Python frames of its own (a program being
 * exec'd loads its libraries).
 */
bool pol_principal_allows(const struct pol_policy *p, const struct pol_principal *pr,
			  const struct pol_request *rq);

/**
 * pol_decide - the verdict for @rq made with principals @pr under @p.
 * stack semantics: every principal must allow; of those lacking, the most
 * severe on_violation wins (kill > deny > log), innermost first on ties.
 * innermost: the first principal decides. No principal: allowed, except
 * the "never" class (denied to trusted code too). An overflowed principal
 * list under stack semantics is denied: an outer principal may be missing.
 */
void pol_decide(const struct pol_policy *p, const struct pol_principals *pr,
		const struct pol_request *rq, struct pol_verdict *v);

#endif
