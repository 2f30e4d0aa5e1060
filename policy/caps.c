// SPDX-License-Identifier: MIT
/*
 * caps.c - the words a policy is written in: capability names, raw syscall
 * names (x86-64, through libseccomp) and systemd-style @groups of syscalls.
 *
 * What each capability covers at run time is the evaluator's business; this
 * file only maps names to numbers and back.
 */
#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

/* In enum pol_cap order. */
static const char *const cap_names[POL_CAP_COUNT] = {
	[POL_CAP_NET_CONNECT] = "net-connect",
	[POL_CAP_NET_LISTEN] = "net-listen",
	[POL_CAP_NET_UNIX] = "net-unix",
	[POL_CAP_DNS] = "dns",
	[POL_CAP_FS_READ] = "fs-read",
	[POL_CAP_FS_WRITE] = "fs-write",
	[POL_CAP_EXEC] = "exec",
	[POL_CAP_SPAWN] = "spawn",
	[POL_CAP_SIGNAL] = "signal",
	[POL_CAP_NATIVE_CODE] = "native-code",
	[POL_CAP_INSPECT] = "inspect",
};

/**
 * pol_cap_name - the policy name of capability @c.
 * @c: a capability.
 *
 * Return: "net-connect" ...; "?" when @c is out of range.
 */
const char *pol_cap_name(enum pol_cap c)
{
	if ((unsigned)c >= POL_CAP_COUNT)
		return "?";
	return cap_names[c];
}

/**
 * pol_cap_parse - the capability called @name (case-sensitive).
 * @name: a NUL-terminated name, or NULL.
 *
 * Return: the enum pol_cap value, or -1.
 */
int pol_cap_parse(const char *name)
{
	if (!name)
		return -1;
	for (int c = 0; c < POL_CAP_COUNT; c++)
		if (strcmp(name, cap_names[c]) == 0)
			return c;
	return -1;
}

/**
 * pol_capset_format - the names of the capabilities in @s, sorted by name and
 * separated by ", ", or "(none)".
 * @s: the set; bits above POL_CAP_COUNT are ignored.
 * @buf: where to write; always NUL-terminated when @len > 0 (cut if short).
 * @len: size of @buf.
 *
 * Return: @buf ("" if @buf is NULL or @len is 0).
 */
const char *pol_capset_format(pol_capset s, char *buf, size_t len)
{
	int order[POL_CAP_COUNT];
	size_t used = 0;
	bool any = false;

	if (!buf || len == 0)
		return "";
	buf[0] = '\0';
	/* insertion sort of eleven names: the output order must not depend on
	 * the enum's order, which follows the documentation's grouping */
	for (int i = 0; i < POL_CAP_COUNT; i++) {
		int j = i;

		while (j > 0 && strcmp(cap_names[order[j - 1]], cap_names[i]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (int i = 0; i < POL_CAP_COUNT; i++) {
		int n;

		if (!(s & POL_CAP(order[i])))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", any ? ", " : "", cap_names[order[i]]);
		any = true;
		if (n < 0 || (size_t)n >= len - used)
			return buf;	/* cut; snprintf left it terminated */
		used += (size_t)n;
	}
	if (!any)
		snprintf(buf, len, "(none)");
	return buf;
}

/**
 * pol_syscall_parse - the x86-64 number of the syscall called @name.
 * @name: a NUL-terminated name ("connect"), or NULL.
 *
 * libseccomp answers for any name it knows on any architecture, with a
 * negative pseudo-number for calls x86-64 does not have ("socketcall");
 * those are not syscalls here.
 *
 * Return: 0 <= nr < POL_NR_MAX, or -1.
 */
int pol_syscall_parse(const char *name)
{
	int nr;

	if (!name || !name[0])
		return -1;
	nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name);
	if (nr < 0 || nr >= POL_NR_MAX)
		return -1;
	return nr;
}

/* Names of syscall numbers, filled once. libseccomp returns a fresh malloc'ed
 * string on every reverse lookup; the table keeps one per number for the life
 * of the process, so callers get static storage and nothing leaks per call. */
static const char *nr_names[POL_NR_MAX];
static pthread_once_t nr_names_once = PTHREAD_ONCE_INIT;

static void nr_names_fill(void)
{
	for (int nr = 0; nr < POL_NR_MAX; nr++)
		nr_names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
}

/**
 * pol_syscall_name - the x86-64 name of syscall @nr.
 * @nr: a syscall number.
 *
 * The first call resolves all POL_NR_MAX numbers (a table walk in
 * libseccomp each, well under a millisecond); thread-safe.
 *
 * Return: the name (static storage), or NULL for a number with no name.
 */
const char *pol_syscall_name(int nr)
{
	if (nr < 0 || nr >= POL_NR_MAX)
		return NULL;
	pthread_once(&nr_names_once, nr_names_fill);
	return nr_names[nr];
}

/*
 * Groups of syscalls, after systemd's SystemCallFilter= sets (names and most
 * members are the same; these lists are for x86-64 only). docs/policy.md
 * copies this table:
 *
 *   @network-io   socket socketpair connect bind listen accept accept4 sendto
 *                 sendmsg sendmmsg recvfrom recvmsg recvmmsg getsockname
 *                 getpeername setsockopt getsockopt shutdown
 *   @process      fork vfork clone clone3 execve execveat kill tkill tgkill
 *                 pidfd_open pidfd_send_signal wait4 waitid rt_sigqueueinfo
 *                 rt_tgsigqueueinfo prctl
 *   @file-system  open openat openat2 creat close mkdir mkdirat rmdir unlink
 *                 unlinkat rename renameat renameat2 link linkat symlink
 *                 symlinkat readlink readlinkat chmod fchmod fchmodat chown
 *                 fchown lchown fchownat truncate ftruncate stat fstat lstat
 *                 newfstatat statx access faccessat faccessat2 getdents64
 *                 chdir fchdir getcwd utime utimes futimesat utimensat mknod
 *                 mknodat statfs fstatfs
 *   @signal       kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo
 *                 pidfd_send_signal rt_sigaction rt_sigprocmask rt_sigreturn
 *                 sigaltstack signalfd signalfd4
 *   @mount        mount umount2 pivot_root chroot open_tree move_mount fsopen
 *                 fsconfig fsmount fspick mount_setattr
 *   @module       init_module finit_module delete_module
 *   @reboot       reboot kexec_load kexec_file_load
 *   @raw-io       iopl ioperm
 *   @ipc          memfd_create pipe pipe2 msgget msgsnd msgrcv msgctl semget
 *                 semop semctl shmget shmat shmdt shmctl mq_open mq_unlink
 *                 mq_timedsend mq_timedreceive mq_notify mq_getsetattr
 *   @privileged   @mount @module @reboot @raw-io setuid setgid setreuid
 *                 setregid setresuid setresgid setgroups setfsuid setfsgid
 *                 capset unshare setns bpf keyctl add_key request_key
 *
 * A member starting with '@' is another group, expanded one level only: a
 * group named inside a group must itself list plain syscalls (keep it so),
 * so expansion needs no recursion. Names the installed
 * libseccomp does not know (a newer call on an old libseccomp) are skipped:
 * a call the library cannot name cannot be granted, and the rest still is.
 */
static const char *const grp_network_io[] = {
	"socket", "socketpair", "connect", "bind", "listen", "accept", "accept4", "sendto",
	"sendmsg", "sendmmsg", "recvfrom", "recvmsg", "recvmmsg", "getsockname", "getpeername",
	"setsockopt", "getsockopt", "shutdown", NULL,
};
static const char *const grp_process[] = {
	"fork", "vfork", "clone", "clone3", "execve", "execveat", "kill", "tkill", "tgkill",
	"pidfd_open", "pidfd_send_signal", "wait4", "waitid", "rt_sigqueueinfo",
	"rt_tgsigqueueinfo", "prctl", NULL,
};
static const char *const grp_file_system[] = {
	"open", "openat", "openat2", "creat", "close", "mkdir", "mkdirat", "rmdir", "unlink",
	"unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat",
	"readlink", "readlinkat", "chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown",
	"fchownat", "truncate", "ftruncate", "stat", "fstat", "lstat", "newfstatat", "statx",
	"access", "faccessat", "faccessat2", "getdents64", "chdir", "fchdir", "getcwd", "utime",
	"utimes", "futimesat", "utimensat", "mknod", "mknodat", "statfs", "fstatfs", NULL,
};
static const char *const grp_signal[] = {
	"kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "signalfd", "signalfd4",
	NULL,
};
static const char *const grp_mount[] = {
	"mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen",
	"fsconfig", "fsmount", "fspick", "mount_setattr", NULL,
};
static const char *const grp_module[] = {
	"init_module", "finit_module", "delete_module", NULL,
};
static const char *const grp_reboot[] = {
	"reboot", "kexec_load", "kexec_file_load", NULL,
};
static const char *const grp_raw_io[] = {
	"iopl", "ioperm", NULL,
};
static const char *const grp_ipc[] = {
	"memfd_create", "pipe", "pipe2", "msgget", "msgsnd", "msgrcv", "msgctl", "semget",
	"semop", "semctl", "shmget", "shmat", "shmdt", "shmctl", "mq_open", "mq_unlink",
	"mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr", NULL,
};
static const char *const grp_privileged[] = {
	"@mount", "@module", "@reboot", "@raw-io", "setuid", "setgid", "setreuid", "setregid",
	"setresuid", "setresgid", "setgroups", "setfsuid", "setfsgid", "capset", "unshare",
	"setns", "bpf", "keyctl", "add_key", "request_key", NULL,
};

static const struct {
	const char *name;
	const char *const *members;
} groups[] = {
	{ "@network-io", grp_network_io },
	{ "@process", grp_process },
	{ "@file-system", grp_file_system },
	{ "@signal", grp_signal },
	{ "@mount", grp_mount },
	{ "@module", grp_module },
	{ "@reboot", grp_reboot },
	{ "@raw-io", grp_raw_io },
	{ "@ipc", grp_ipc },
	{ "@privileged", grp_privileged },
};
#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

static const char *const group_names[NGROUPS + 1] = {
	"@network-io", "@process", "@file-system", "@signal", "@mount", "@module", "@reboot",
	"@raw-io", "@ipc", "@privileged", NULL,
};

static const char *const *group_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < NGROUPS; i++)
		if (strcmp(name, groups[i].name) == 0)
			return groups[i].members;
	return NULL;
}

/* Add the plain syscalls of @members; '@' members are skipped (the caller
 * expands them, one level). */
static void group_add_plain(const char *const *members, struct pol_grants *g)
{
	for (size_t i = 0; members[i]; i++)
		if (members[i][0] != '@')
			pol_grants_add_syscall(g, pol_syscall_parse(members[i]));
}

/**
 * pol_group_expand - add the syscalls of group @name to @g.
 * @name: "@network-io" ... (with the '@').
 * @g: grants to extend; only its syscall bits change.
 *
 * Return: 0, or -ENOENT for an unknown group (@g unchanged).
 */
int pol_group_expand(const char *name, struct pol_grants *g)
{
	const char *const *members = group_find(name);

	if (!members || !g)
		return -ENOENT;
	group_add_plain(members, g);
	for (size_t i = 0; members[i]; i++) {
		const char *const *sub;

		if (members[i][0] != '@')
			continue;
		sub = group_find(members[i]);
		if (sub)
			group_add_plain(sub, g);
	}
	return 0;
}

/**
 * pol_group_names - the group names ("@network-io" ...), for hints and docs.
 *
 * Return: a NULL-terminated static list.
 */
const char *const *pol_group_names(void)
{
	return group_names;
}

/**
 * pol_action_name - the policy word for @a.
 * @a: an action.
 *
 * Return: "allow", "log", "deny", "kill", or "?" when out of range.
 */
const char *pol_action_name(enum pol_action a)
{
	switch (a) {
	case POL_ALLOW:
		return "allow";
	case POL_LOG:
		return "log";
	case POL_DENY:
		return "deny";
	case POL_KILL:
		return "kill";
	}
	return "?";
}
