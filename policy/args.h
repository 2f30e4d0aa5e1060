/* SPDX-License-Identifier: MIT */
/*
 * args.h - capabilities granted for some arguments only: fs-read/fs-write
 * path patterns, net-connect/net-listen addresses, net-unix socket names,
 * exec programs (docs/policy.md, "Argument rules").
 *
 * The evaluator never reads the program's memory: the supervisor copies an
 * argument once, canonicalises it (paths: absolute, no symlink, "." or ".."
 * component), describes it as a pol_object, asks, and then performs the call
 * itself on that very copy. A rule therefore only ever sees what will be
 * used.
 */
#ifndef POL_ARGS_H
#define POL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#include "policy.h"

enum pol_obj_kind {
	POL_OBJ_NONE,		/* nothing known: argument grants do not count */
	POL_OBJ_DEFERRED,	/* checked later on its own (socket() before connect/bind, listen
				 * and accept after bind, exec at the exec event): any argument
				 * grant of a needed capability counts */
	POL_OBJ_PATH,		/* fs-read, fs-write, exec: canonical absolute path */
	POL_OBJ_INET,		/* net-connect, net-listen: AF_INET / AF_INET6 address */
	POL_OBJ_UNIX,		/* net-unix: canonical path, or an abstract name */
};

struct pol_object {
	enum pol_obj_kind kind;
	const char *path;		/* PATH; UNIX when !abstract */
	const struct sockaddr *sa;	/* INET: sockaddr_in or sockaddr_in6 */
	socklen_t salen;
	bool abstract;			/* UNIX: an abstract name */
	const unsigned char *name;	/* UNIX abstract: the name without its leading NUL */
	size_t namelen;
};

/* Rules of one grant set, per capability (opaque; args.c). */
struct pol_args;

/**
 * pol_args_add - add @pattern as an argument rule of capability @cap.
 * Accepted: fs-read/fs-write/exec "/abs/path" with "*" (one component) and
 * "**" (any depth), "~/..." (the home directory when loading); net-connect/
 * net-listen "IP:PORT", "[IPv6]:PORT", "CIDR:PORT", "*:PORT", "IP:*",
 * "HOST:PORT" (resolved now and refreshed, see pol_args_refresh);
 * net-unix "/path" patterns or "@abstract" names.
 * @err: receives a one-line message (and @hint a hint) on -EINVAL.
 * Return: 0, -EINVAL (bad pattern, or a capability without arguments),
 * -ENOMEM.
 */
int pol_args_add(struct pol_args **a, enum pol_cap cap, const char *pattern, char *err,
		 size_t errlen, char *hint, size_t hintlen);

/* Rules one grant set may hold (each file's entry, and merged ones). */
#define POL_ARGS_MAX 1024

/** pol_args_takes - does capability @cap take argument rules? */
bool pol_args_takes(enum pol_cap cap);

/**
 * pol_args_merge - add every rule of @src to *@dst (created when NULL);
 * rules already there (same capability, same text) are not repeated.
 * Return 0, -ENOMEM, or -E2BIG past POL_ARGS_MAX rules.
 */
int pol_args_merge(struct pol_args **dst, const struct pol_args *src);

void pol_args_free(struct pol_args *a);

/** pol_args_caps - the capabilities @a holds rules for. */
pol_capset pol_args_caps(const struct pol_args *a);

/**
 * pol_args_match - does a rule of capability @cap in @a cover @o?
 * Objects of the wrong kind for @cap never match; POL_OBJ_DEFERRED matches
 * when @a has any rule of @cap.
 */
bool pol_args_match(const struct pol_args *a, enum pol_cap cap, const struct pol_object *o);

/** pol_args_count - how many rules @a has for @cap. */
size_t pol_args_count(const struct pol_args *a, enum pol_cap cap);

/** pol_args_pattern - the @i-th rule of @cap as written (order of adding), or NULL. */
const char *pol_args_pattern(const struct pol_args *a, enum pol_cap cap, size_t i);

/** pol_args_format - the rules of @cap as written, joined by ", ", into
 * @buf ("...", when cut). */
const char *pol_args_format(const struct pol_args *a, enum pol_cap cap, char *buf, size_t len);

/**
 * pol_args_refresh - resolve host names again when their addresses are
 * older than POL_ARGS_TTL seconds at @now (wall-clock, time(NULL): load
 * time-stamps with it). A failed lookup keeps the known addresses. Blocking (getaddrinfo): the
 * supervisor calls it only before it would deny a connect or bind.
 * Return: true when some address changed.
 */
#define POL_ARGS_TTL 300
bool pol_args_refresh(struct pol_args *a, time_t now);

#endif
