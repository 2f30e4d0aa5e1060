// SPDX-License-Identifier: MIT
/*
 * classify.c - the capability table of x86-64 system calls.
 *
 * Everything not listed is the baseline (memory without PROT_EXEC, futex,
 * clocks, I/O on open descriptors, the stat family, own signals...): the
 * filter lets it through in the kernel. docs/policy.md has the same table in
 * prose; keep the two in step.
 *
 * Deliberate choices:
 * - Metadata (stat family, access, readlink, getdents on an open directory)
 *   is baseline: Python start-up performs hundreds of them, notifying them
 *   would cost milliseconds, and they reveal names, not contents.
 * - A socket's family is fixed when it is created, so socket() is where the
 *   families are told apart (register argument); connect/bind/send on an
 *   existing descriptor need any network capability. A module given a socket
 *   by trusted code can use it: descriptors are process-wide.
 * - openat2 and clone3 keep their flags in memory. clone3 fails with ENOSYS
 *   in the hardening prologue (glibc falls back to clone); openat2 is charged
 *   as a write, the stronger of the two.
 */
#include "classify.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#define CAP(c) POL_CAP(POL_CAP_##c)
#define NET_ANY (CAP(NET_CONNECT) | CAP(NET_LISTEN) | CAP(NET_UNIX))

static const struct pol_class classes[POL_C_COUNT] = {
	[POL_C_BASELINE] = { POL_C_BASELINE, "baseline", 0 },
	[POL_C_OPEN_READ] = { POL_C_OPEN_READ, "open for reading", CAP(FS_READ) },
	[POL_C_OPEN_WRITE] = { POL_C_OPEN_WRITE, "open for writing", CAP(FS_WRITE) },
	[POL_C_FS_WRITE] = { POL_C_FS_WRITE, "file system change", CAP(FS_WRITE) },
	[POL_C_EXEC] = { POL_C_EXEC, "exec", CAP(EXEC) },
	[POL_C_SPAWN] = { POL_C_SPAWN, "new process", CAP(SPAWN) },
	[POL_C_SOCKET_UNIX] = { POL_C_SOCKET_UNIX, "unix socket", CAP(NET_UNIX) },
	[POL_C_SOCKET_NET] = { POL_C_SOCKET_NET, "network socket",
			       CAP(NET_CONNECT) | CAP(NET_LISTEN) },
	[POL_C_CONNECT] = { POL_C_CONNECT, "connect", CAP(NET_CONNECT) | CAP(NET_UNIX) },
	[POL_C_LISTEN] = { POL_C_LISTEN, "bind/listen/accept", CAP(NET_LISTEN) | CAP(NET_UNIX) },
	[POL_C_SEND] = { POL_C_SEND, "send to an address", NET_ANY },
	[POL_C_SIGNAL] = { POL_C_SIGNAL, "signal another process", CAP(SIGNAL) },
	[POL_C_EXEC_MAP] = { POL_C_EXEC_MAP, "executable mapping", CAP(NATIVE_CODE) },
	[POL_C_MEMFD] = { POL_C_MEMFD, "memfd_create", CAP(NATIVE_CODE) },
	[POL_C_INSPECT] = { POL_C_INSPECT, "inspect another process", CAP(INSPECT) },
	[POL_C_NEVER] = { POL_C_NEVER, "never (whole process)", 0 },
};

#define OPEN_WRITE_BITS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)
#define CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | \
			CLONE_NEWNET | CLONE_NEWCGROUP)
#define ALWAYS(nr, cls) { nr, POL_COND_ALWAYS, 0, 0, cls }

#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif

static const struct pol_rule rules[] = {
	/* files: reading vs writing told apart by the flags register */
	{ __NR_open, POL_COND_NO_BIT, 1, OPEN_WRITE_BITS, POL_C_OPEN_READ },
	{ __NR_open, POL_COND_ANY_BIT, 1, OPEN_WRITE_BITS, POL_C_OPEN_WRITE },
	{ __NR_openat, POL_COND_NO_BIT, 2, OPEN_WRITE_BITS, POL_C_OPEN_READ },
	{ __NR_openat, POL_COND_ANY_BIT, 2, OPEN_WRITE_BITS, POL_C_OPEN_WRITE },
	ALWAYS(__NR_openat2, POL_C_OPEN_WRITE),
	ALWAYS(__NR_creat, POL_C_OPEN_WRITE),
	ALWAYS(__NR_truncate, POL_C_FS_WRITE),
	ALWAYS(__NR_mkdir, POL_C_FS_WRITE), ALWAYS(__NR_mkdirat, POL_C_FS_WRITE),
	ALWAYS(__NR_rmdir, POL_C_FS_WRITE),
	ALWAYS(__NR_unlink, POL_C_FS_WRITE), ALWAYS(__NR_unlinkat, POL_C_FS_WRITE),
	ALWAYS(__NR_rename, POL_C_FS_WRITE), ALWAYS(__NR_renameat, POL_C_FS_WRITE),
	ALWAYS(__NR_renameat2, POL_C_FS_WRITE),
	ALWAYS(__NR_link, POL_C_FS_WRITE), ALWAYS(__NR_linkat, POL_C_FS_WRITE),
	ALWAYS(__NR_symlink, POL_C_FS_WRITE), ALWAYS(__NR_symlinkat, POL_C_FS_WRITE),
	ALWAYS(__NR_chmod, POL_C_FS_WRITE), ALWAYS(__NR_fchmodat, POL_C_FS_WRITE),
	ALWAYS(__NR_fchmodat2, POL_C_FS_WRITE),
	ALWAYS(__NR_chown, POL_C_FS_WRITE), ALWAYS(__NR_lchown, POL_C_FS_WRITE),
	ALWAYS(__NR_fchownat, POL_C_FS_WRITE),
	ALWAYS(__NR_mknod, POL_C_FS_WRITE), ALWAYS(__NR_mknodat, POL_C_FS_WRITE),
	ALWAYS(__NR_utime, POL_C_FS_WRITE), ALWAYS(__NR_utimes, POL_C_FS_WRITE),
	ALWAYS(__NR_futimesat, POL_C_FS_WRITE),
	/* utimensat(fd, NULL, ...) is futimens on an open descriptor */
	{ __NR_utimensat, POL_COND_NONZERO, 1, 0, POL_C_FS_WRITE },
	ALWAYS(__NR_setxattr, POL_C_FS_WRITE), ALWAYS(__NR_lsetxattr, POL_C_FS_WRITE),
	ALWAYS(__NR_removexattr, POL_C_FS_WRITE), ALWAYS(__NR_lremovexattr, POL_C_FS_WRITE),
	/* changing a file's metadata through a descriptor is a change too: a
	 * file opened for reading must not become writable or someone else's */
	ALWAYS(__NR_fchmod, POL_C_FS_WRITE), ALWAYS(__NR_fchown, POL_C_FS_WRITE),
	ALWAYS(__NR_fsetxattr, POL_C_FS_WRITE), ALWAYS(__NR_fremovexattr, POL_C_FS_WRITE),

	/* processes */
	ALWAYS(__NR_execve, POL_C_EXEC), ALWAYS(__NR_execveat, POL_C_EXEC),
	ALWAYS(__NR_fork, POL_C_SPAWN), ALWAYS(__NR_vfork, POL_C_SPAWN),
	/* new namespaces are the never class (as unshare is), threads or not */
	{ __NR_clone, POL_COND_ANY_BIT, 0, CLONE_NS_FLAGS, POL_C_NEVER },
	{ __NR_clone, POL_COND_NO_BIT, 0, CLONE_THREAD, POL_C_SPAWN },

	/* network */
	{ __NR_socket, POL_COND_LOW32_EQ, 0, AF_UNIX, POL_C_SOCKET_UNIX },
	{ __NR_socket, POL_COND_LOW32_NE, 0, AF_UNIX, POL_C_SOCKET_NET },
	ALWAYS(__NR_connect, POL_C_CONNECT),
	ALWAYS(__NR_bind, POL_C_LISTEN), ALWAYS(__NR_listen, POL_C_LISTEN),
	ALWAYS(__NR_accept, POL_C_LISTEN), ALWAYS(__NR_accept4, POL_C_LISTEN),
	{ __NR_sendto, POL_COND_NONZERO, 4, 0, POL_C_SEND },	/* with a destination */
	ALWAYS(__NR_sendmsg, POL_C_SEND), ALWAYS(__NR_sendmmsg, POL_C_SEND),

	/* signals to others (the supervisor lets own-process targets pass) */
	ALWAYS(__NR_kill, POL_C_SIGNAL), ALWAYS(__NR_tkill, POL_C_SIGNAL),
	ALWAYS(__NR_tgkill, POL_C_SIGNAL), ALWAYS(__NR_rt_sigqueueinfo, POL_C_SIGNAL),
	ALWAYS(__NR_rt_tgsigqueueinfo, POL_C_SIGNAL), ALWAYS(__NR_pidfd_send_signal, POL_C_SIGNAL),
	/* lowering another process's hard CPU limit kills it: like a signal */
	{ __NR_prlimit64, POL_COND_NONZERO, 0, 0, POL_C_SIGNAL },

	/* native code */
	{ __NR_mmap, POL_COND_ANY_BIT, 2, PROT_EXEC, POL_C_EXEC_MAP },
	{ __NR_mprotect, POL_COND_ANY_BIT, 2, PROT_EXEC, POL_C_EXEC_MAP },
	{ __NR_pkey_mprotect, POL_COND_ANY_BIT, 2, PROT_EXEC, POL_C_EXEC_MAP },
	ALWAYS(__NR_memfd_create, POL_C_MEMFD),
	{ __NR_shmat, POL_COND_ANY_BIT, 2, SHM_EXEC, POL_C_EXEC_MAP },

	/* other processes' memory and state (ptrace, process_vm_writev and
	 * pidfd_getfd fail in the hardening prologue whatever the policy) */
	ALWAYS(__NR_process_vm_readv, POL_C_INSPECT), ALWAYS(__NR_kcmp, POL_C_INSPECT),
	ALWAYS(__NR_perf_event_open, POL_C_INSPECT),

	/* never: the whole process, whoever asks */
	ALWAYS(__NR_unshare, POL_C_NEVER), ALWAYS(__NR_setns, POL_C_NEVER),
	ALWAYS(__NR_mount, POL_C_NEVER), ALWAYS(__NR_umount2, POL_C_NEVER),
	ALWAYS(__NR_pivot_root, POL_C_NEVER), ALWAYS(__NR_chroot, POL_C_NEVER),
	ALWAYS(__NR_open_tree, POL_C_NEVER), ALWAYS(__NR_move_mount, POL_C_NEVER),
	ALWAYS(__NR_fsopen, POL_C_NEVER), ALWAYS(__NR_fsconfig, POL_C_NEVER),
	ALWAYS(__NR_fsmount, POL_C_NEVER), ALWAYS(__NR_fspick, POL_C_NEVER),
	ALWAYS(__NR_mount_setattr, POL_C_NEVER),
	ALWAYS(__NR_bpf, POL_C_NEVER), ALWAYS(__NR_init_module, POL_C_NEVER),
	ALWAYS(__NR_finit_module, POL_C_NEVER), ALWAYS(__NR_delete_module, POL_C_NEVER),
	ALWAYS(__NR_kexec_load, POL_C_NEVER), ALWAYS(__NR_kexec_file_load, POL_C_NEVER),
	ALWAYS(__NR_reboot, POL_C_NEVER), ALWAYS(__NR_iopl, POL_C_NEVER),
	ALWAYS(__NR_ioperm, POL_C_NEVER), ALWAYS(__NR_open_by_handle_at, POL_C_NEVER),
	ALWAYS(__NR_keyctl, POL_C_NEVER), ALWAYS(__NR_add_key, POL_C_NEVER),
	ALWAYS(__NR_request_key, POL_C_NEVER), ALWAYS(__NR_swapon, POL_C_NEVER),
	ALWAYS(__NR_swapoff, POL_C_NEVER), ALWAYS(__NR_acct, POL_C_NEVER),
	ALWAYS(__NR_quotactl, POL_C_NEVER),
};

const struct pol_class *pol_class_get(enum pol_class_id id)
{
	if ((unsigned)id >= POL_C_COUNT)
		id = POL_C_BASELINE;
	return &classes[id];
}

const struct pol_rule *pol_rules(size_t *count)
{
	*count = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

bool pol_rule_matches(const struct pol_rule *r, const uint64_t args[6])
{
	uint64_t a = r->arg >= 0 && r->arg < 6 ? args[r->arg] : 0;

	switch (r->cond) {
	case POL_COND_ALWAYS:
		return true;
	case POL_COND_ANY_BIT:
		return (a & r->value) != 0;
	case POL_COND_NO_BIT:
		return (a & r->value) == 0;
	case POL_COND_LOW32_EQ:
		return (uint32_t)a == (uint32_t)r->value;
	case POL_COND_LOW32_NE:
		return (uint32_t)a != (uint32_t)r->value;
	case POL_COND_NONZERO:
		return a != 0;
	}
	return false;
}

enum pol_class_id pol_classify(int nr, const uint64_t args[6], int *rule)
{
	/* ~100 rows; a linear scan costs less than one remote read. */
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rules[i].nr == nr && pol_rule_matches(&rules[i], args)) {
			if (rule)
				*rule = (int)i;
			return rules[i].cls;
		}
	}
	if (rule)
		*rule = -1;
	return POL_C_BASELINE;
}
