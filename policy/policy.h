/* SPDX-License-Identifier: MIT */
/*
 * policy.h - a loaded sisup policy: which Python modules are confined and what
 * each may do. Plain data shared by the loader (load.c), the capability
 * vocabulary (caps.c), the evaluator (eval.c), the kernel plan (plan.c) and
 * the audit/learn writer (report.c). Nothing here knows about the unwinder or
 * the supervisor: frames reach the evaluator as module names and file names.
 *
 * The language is documented in docs/policy.md; keep the two in step.
 */
#ifndef POL_POLICY_H
#define POL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Syscall numbers a policy can name (x86-64 uses < 512). */
#define POL_NR_MAX 1024

/* Capabilities (docs/policy.md has what each covers). */
enum pol_cap {
	POL_CAP_NET_CONNECT,
	POL_CAP_NET_LISTEN,
	POL_CAP_NET_UNIX,
	POL_CAP_DNS,
	POL_CAP_FS_READ,
	POL_CAP_FS_WRITE,
	POL_CAP_EXEC,
	POL_CAP_SPAWN,
	POL_CAP_SIGNAL,
	POL_CAP_NATIVE_CODE,
	POL_CAP_INSPECT,
	POL_CAP_COUNT
};
typedef uint32_t pol_capset;	/* bit (1u << enum pol_cap) */
#define POL_CAP(c) ((pol_capset)1u << (c))
#define POL_CAPS_ALL ((pol_capset)((1u << POL_CAP_COUNT) - 1))

/* What happens when a confined module lacks what a syscall needs. */
enum pol_action {
	POL_ALLOW = 0,	/* (a verdict only) */
	POL_LOG,	/* allow, but log and report the violation */
	POL_DENY,	/* the syscall fails with an errno (EPERM unless given) */
	POL_KILL,	/* the whole process is killed with SIGKILL */
};

enum pol_semantics {
	POL_SEM_STACK,		/* every confined module on the stack must allow */
	POL_SEM_INNERMOST,	/* the innermost confined module decides */
};

/* Argument rules (args.h); opaque here. */
struct pol_args;

/* What one module (or the default) is granted. */
struct pol_grants {
	pol_capset caps;
	/* capabilities granted for some arguments only (args.h), owned by
	 * the module or default holding these grants; NULL when none. A
	 * capability in @caps as well is granted whatever the argument. */
	struct pol_args *args;
	uint8_t syscalls[POL_NR_MAX / 8];	/* raw syscalls granted by name or @group */
	bool import;				/* the implicit import grant (default on) */
};

static inline bool pol_grants_syscall(const struct pol_grants *g, int nr)
{
	return nr >= 0 && nr < POL_NR_MAX && (g->syscalls[nr / 8] & (1u << (nr % 8)));
}

static inline void pol_grants_add_syscall(struct pol_grants *g, int nr)
{
	if (nr >= 0 && nr < POL_NR_MAX)
		g->syscalls[nr / 8] |= (uint8_t)(1u << (nr % 8));
}

/* How a module entry names what it confines. */
enum pol_match {
	POL_MATCH_MODULE,	/* dotted module prefix: "requests" covers "requests.adapters" */
	POL_MATCH_PATH,		/* secimport: a prefix of co_filename ("/x/site-packages/urllib3/") */
	POL_MATCH_FILENAME,	/* secimport: co_filename exactly ("<frozen zipimport>", "<string>") */
};

struct pol_module {
	char *name;			/* as written in the policy */
	enum pol_match match;
	struct pol_grants allow;
	enum pol_action on_violation;	/* POL_DENY, POL_KILL or POL_LOG */
	int error;			/* positive errno for POL_DENY */
	/* where the entry was written, for "add X at policy.yaml:7" */
	const char *file;		/* points into pol_policy.files */
	unsigned line, column;
};

struct pol_policy {
	int version;				/* 1 */
	bool secimport;				/* loaded from secimport's format */
	/* secimport syscall names skipped as unknown on x86-64 (macOS names
	 * such as fstat64): they cannot be called here; for a warning */
	size_t secimport_skipped;
	/* Third-party modules no entry names: allowed everything, or confined
	 * to @def with @def_action. */
	bool default_allow;
	struct pol_grants def;
	enum pol_action def_action;
	int def_error;
	const char *def_file;
	unsigned def_line, def_column;
	enum pol_semantics semantics;
	/* capabilities some confined entry holds argument rules for: the
	 * supervisor describes a call's argument (a pol_object) only when its
	 * class needs one of these */
	pol_capset argcaps;
	bool inherit_processes;			/* default true */
	bool inherit_threads;			/* default true */
	char **transparent;			/* module prefixes whose frames do not count */
	size_t ntransparent;
	struct pol_module *modules;
	size_t nmodules;
	char **files;				/* names of the files merged into this policy */
	size_t nfiles;
};

/* ------------------------------------------------------------------ */
/* Loading (load.c).                                                   */

/* Larger policy files are refused before parsing. */
#define POL_FILE_MAX (4u << 20)
/* Bounds on what one policy may hold. */
#define POL_MODULES_MAX 4096
#define POL_NAME_MAX 255

/* A load error: where and why, plus a hint for fixing it. */
struct pol_error {
	char file[512];
	unsigned line, column;		/* 1-based; 0 when not about a position */
	char message[512];
	char hint[512];			/* may be empty */
};

/**
 * pol_policy_new - an empty policy: version 1, default allow, stack
 * semantics, inheritance on, no modules. Returns NULL on ENOMEM.
 */
struct pol_policy *pol_policy_new(void);
void pol_policy_free(struct pol_policy *p);

/**
 * pol_load_file - read the policy file @path and merge it into @p.
 * Accepts sisup's format (version: 1) and secimport's (modules: with
 * destructive/syscall_allowlist). Merging: a module named in several files
 * gets the union of its grants (argument rules included, copied: no two
 * entries share a rule set) and the strictest on_violation; scalar keys
 * (default, semantics, inherit) from a later file override earlier ones.
 * On error @p is unchanged and @err says where and why.
 * Return: 0 or -errno (-EINVAL for a bad policy, -EFBIG over POL_FILE_MAX,
 * -EISDIR, -ENOENT, -EACCES, -ENOMEM).
 */
int pol_load_file(struct pol_policy *p, const char *path, struct pol_error *err);

/**
 * pol_module_key_ok - would the loader accept @name as a key under modules:
 * in sisup's format: a dotted module name, or an absolute directory without
 * control characters or a ".." component (at most POL_NAME_MAX bytes)?
 */
bool pol_module_key_ok(const char *name);

/** pol_load_buffer - as pol_load_file, from memory; @name is used in errors. */
int pol_load_buffer(struct pol_policy *p, const char *name, const char *buf, size_t len,
		    struct pol_error *err);

/* ------------------------------------------------------------------ */
/* Vocabulary (caps.c).                                                */

/** pol_cap_name - "net-connect" ... for @c; "?" when out of range. */
const char *pol_cap_name(enum pol_cap c);

/** pol_cap_parse - the capability called @name, or -1. */
int pol_cap_parse(const char *name);

/** pol_capset_format - "dns, net-connect" (sorted by name) into @buf. */
const char *pol_capset_format(pol_capset s, char *buf, size_t len);

/** pol_syscall_parse - the x86-64 number of syscall @name, or -1. */
int pol_syscall_parse(const char *name);

/** pol_syscall_name - the name of @nr (static storage), or NULL. */
const char *pol_syscall_name(int nr);

/**
 * pol_group_expand - add the syscalls of group @name ("@network-io") to @g.
 * Return: 0, or -ENOENT for an unknown group.
 */
int pol_group_expand(const char *name, struct pol_grants *g);

/** pol_group_names - NULL-terminated list of the group names, for hints. */
const char *const *pol_group_names(void);

/** pol_action_name - "deny", "kill", "log", "allow". */
const char *pol_action_name(enum pol_action a);

#endif
