// SPDX-License-Identifier: MIT
/*
 * filter.c - build the seccomp program: hardening prologue + notify body.
 *
 * Why two halves in one program. The hardening rules need "else" branches
 * (personality: these five values pass, every other value fails) and must
 * take precedence over the notify rules of the same syscall (kill aimed at
 * sisup fails in the kernel even when kill is notified). libseccomp merges
 * rules per syscall and an unconditional rule silently wins over
 * conditional ones (seen with 2.5.4: ERRNO on personality swallowed the
 * ALLOW rules for its arguments), so the prologue is written by hand here,
 * ~60 instructions that can be read in one sitting, and libseccomp builds the
 * body where its rule model fits: ALLOW by default, USER_NOTIF per syscall,
 * OR-ed argument masks. The prologue falls through into the body, whose
 * relative jumps are unaffected by what precedes it.
 *
 * Both halves load in one seccomp() call, so there is exactly one listener
 * and no moment where only half the rules apply. A second filter loaded after
 * the listener one would itself be notified under "--notify all" before the
 * supervisor holds the listener: a deadlock.
 */
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <linux/sched.h>
#include <linux/sockios.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch.h"
#include "kcompat.h"

/* ------------------------------------------------------------------ */
/* A tiny assembler with forward labels for the prologue.             */

#define PRO_MAX 128
#define LBL_NEXT (-1)

enum { L_KILL, L_EPERM, L_ENOSYS, L_BODY, L_NLABELS };

struct pro {
	struct sock_filter ins[PRO_MAX];
	int jt[PRO_MAX], jf[PRO_MAX], ja[PRO_MAX];
	int n;
	int err;
};

static void emit(struct pro *p, uint16_t code, uint32_t k, int jt, int jf, int ja)
{
	if (p->n >= PRO_MAX) {
		p->err = -E2BIG;
		return;
	}
	p->ins[p->n] = (struct sock_filter)BPF_STMT(code, k);
	p->jt[p->n] = jt;
	p->jf[p->n] = jf;
	p->ja[p->n] = ja;
	p->n++;
}

#define OFF_NR offsetof(struct seccomp_data, nr)
#define OFF_ARCH offsetof(struct seccomp_data, arch)
/* Low 32 bits of an argument: the kernel truncates int/pid_t arguments, so a
 * comparison on all 64 bits could be dodged by garbage in the upper half. */
#define OFF_ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))

static void ld(struct pro *p, uint32_t off)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, off, 0, 0, 0);
}

/* if (A == k) goto l (else fall through) */
static void jeq(struct pro *p, uint32_t k, int l)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, k, l, LBL_NEXT, 0);
}

/* if (A & k) goto l */
static void jset(struct pro *p, uint32_t k, int l)
{
	emit(p, BPF_JMP | BPF_JSET | BPF_K, k, l, LBL_NEXT, 0);
}

static void ret(struct pro *p, uint32_t action)
{
	emit(p, BPF_RET | BPF_K, action, 0, 0, 0);
}

/* Labels for "skip to the end of this syscall's block" are allocated on the
 * fly after the fixed ones; pos[label] is the instruction index. */
#define PRO_MAX_LABELS 64

static int resolve(struct pro *p, const int *pos)
{
	for (int i = 0; i < p->n; i++) {
		struct sock_filter *f = &p->ins[i];

		if (BPF_CLASS(f->code) != BPF_JMP)
			continue;
		if (BPF_OP(f->code) == BPF_JA) {
			int off = pos[p->ja[i]] - (i + 1);

			if (off < 0)
				return -EINVAL;
			f->k = (uint32_t)off;
			continue;
		}
		for (int b = 0; b < 2; b++) {
			int l = b ? p->jf[i] : p->jt[i];
			int off = l == LBL_NEXT ? 0 : pos[l] - (i + 1);

			if (off < 0 || off > 255)
				return -EINVAL;
			if (b)
				f->jf = (uint8_t)off;
			else
				f->jt = (uint8_t)off;
		}
	}
	return 0;
}

/*
 * The hardening rules. Each one is documented in docs/hardening.md; keep the
 * two in step.
 */
static int build_prologue(struct pro *p, int *pos, pid_t sup)
{
	/* Per-syscall blocks jump to a label right after the block when their
	 * syscall does not match. */
	int next = L_NLABELS;

	memset(p, 0, sizeof(*p));

	/* 1. Only the native ABI: i386 (int 0x80, sysenter) kills. */
	ld(p, OFF_ARCH);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, SV_AUDIT_ARCH, LBL_NEXT, L_KILL, 0);
	/* 2. x32 numbers share the arch value; the marker bit tells them. The
	 * kernel treats [0x40000000, 0x80000000) as x32; larger values such as
	 * syscall(-1) are plain ENOSYS and must stay so. */
	ld(p, OFF_NR);
	{
		int native = next++;

		emit(p, BPF_JMP | BPF_JGE | BPF_K, SV_X32_SYSCALL_BIT, LBL_NEXT, native, 0);
		emit(p, BPF_JMP | BPF_JGE | BPF_K, 0x80000000u, native, L_KILL, 0);
		pos[native] = p->n;
	}

	/* 3. Unconditional denials. A holds nr here and below. */
	jeq(p, __NR_io_uring_setup, L_ENOSYS);	/* io_uring runs syscalls the filter never sees */
	jeq(p, __NR_io_uring_enter, L_ENOSYS);
	jeq(p, __NR_io_uring_register, L_ENOSYS);
	jeq(p, __NR_clone3, L_ENOSYS);		/* flags in memory: BPF cannot see them; glibc falls back to clone */
	jeq(p, __NR_ptrace, L_EPERM);		/* only one tracer per task: sisup */
	jeq(p, __NR_process_vm_writev, L_EPERM);	/* writing a sibling's memory forges its stack */
	jeq(p, __NR_pidfd_getfd, L_EPERM);	/* stealing descriptors from siblings */
	jeq(p, __NR_userfaultfd, L_EPERM);	/* can stall the supervisor's remote reads */

	/* 4. seccomp() with a listener: a nested supervisor would answer for us. */
	{
		int skip = next++;

		emit(p, BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, LBL_NEXT, skip, 0);
		ld(p, OFF_ARG_LO(1));
		jset(p, SECCOMP_FILTER_FLAG_NEW_LISTENER, L_EPERM);
		ld(p, OFF_NR);
		pos[skip] = p->n;
	}

	/* 5. Signals and resource changes aimed at the supervisor's pid. */
	{
		static const int at_pid[] = {
			__NR_kill, __NR_tkill, __NR_tgkill, __NR_rt_sigqueueinfo,
			__NR_rt_tgsigqueueinfo, __NR_pidfd_open, __NR_prlimit64,
		};
		for (size_t i = 0; i < sizeof(at_pid) / sizeof(at_pid[0]); i++) {
			int skip = next++;

			emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)at_pid[i], LBL_NEXT, skip, 0);
			ld(p, OFF_ARG_LO(0));
			jeq(p, (uint32_t)sup, L_EPERM);
			ld(p, OFF_NR);
			pos[skip] = p->n;
		}
	}

	/* 6. personality: the values Docker's default profile allows
	 * (PER_LINUX, UNAME26 variants, 0xffffffff = query); others (notably
	 * ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC) fail. */
	{
		int skip = next++;
		int ok = next++;

		emit(p, BPF_JMP | BPF_JEQ | BPF_K, __NR_personality, LBL_NEXT, skip, 0);
		ld(p, OFF_ARG_LO(0));
		jeq(p, 0x0, ok);
		jeq(p, 0x8, ok);
		jeq(p, 0x20000, ok);
		jeq(p, 0x20008, ok);
		jeq(p, 0xffffffff, ok);
		emit(p, BPF_JMP | BPF_JA, 0, 0, 0, L_EPERM);
		pos[ok] = p->n;
		ld(p, OFF_NR);
		pos[skip] = p->n;
	}

	/* 7. Signal ownership of a descriptor (SIGIO/SIGURG, or any signal with
	 * F_SETSIG) pointed at sisup. F_SETOWN with sisup's pid fails; the
	 * variants whose target lives in memory (F_SETOWN_EX, the FIOSETOWN and
	 * SIOCSPGRP ioctls) cannot be checked without a race and fail always. */
	{
		int skip = next++, not_setown = next++;

		emit(p, BPF_JMP | BPF_JEQ | BPF_K, __NR_fcntl, LBL_NEXT, skip, 0);
		ld(p, OFF_ARG_LO(1));
		jeq(p, F_SETOWN_EX, L_EPERM);
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, F_SETOWN, LBL_NEXT, not_setown, 0);
		ld(p, OFF_ARG_LO(2));
		jeq(p, (uint32_t)sup, L_EPERM);
		pos[not_setown] = p->n;
		ld(p, OFF_NR);
		pos[skip] = p->n;
	}
	{
		int skip = next++;

		emit(p, BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, LBL_NEXT, skip, 0);
		ld(p, OFF_ARG_LO(1));
		jeq(p, FIOSETOWN, L_EPERM);
		jeq(p, SIOCSPGRP, L_EPERM);
		ld(p, OFF_NR);
		pos[skip] = p->n;
	}

	/* 8. clone(CLONE_UNTRACED) would start a task we are not tracing: it
	 * would not die with sisup (no EXITKILL) and would run unseen. */
	{
		int skip = next++;

		emit(p, BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, LBL_NEXT, skip, 0);
		ld(p, OFF_ARG_LO(0));
		jset(p, CLONE_UNTRACED, L_EPERM);
		ld(p, OFF_NR);
		pos[skip] = p->n;
	}

	emit(p, BPF_JMP | BPF_JA, 0, 0, 0, L_BODY);
	pos[L_KILL] = p->n;
	ret(p, SECCOMP_RET_KILL_PROCESS);
	pos[L_EPERM] = p->n;
	ret(p, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
	pos[L_ENOSYS] = p->n;
	ret(p, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
	pos[L_BODY] = p->n;
	if (p->err)
		return p->err;
	return resolve(p, pos);
}

/* ------------------------------------------------------------------ */
/* The notify body (libseccomp).                                      */

struct rule {
	int nr;
	int arg;	/* -1: unconditional */
	enum { ANY_BIT, MASK_ZERO, NONZERO } how;
	uint64_t bits;
};

#define OPEN_WRITE_BITS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND)

/*
 * The default sensitive set: process creation and exec, network, file
 * creation/writing/removal, signals, PROT_EXEC mappings, ptrace-like calls
 * and the "never" class. Read-only opens and the stat family stay in the
 * kernel: Python start-up performs hundreds of them (see docs/hardening.md).
 */
static const struct rule default_rules[] = {
	/* process creation and exec; clone only without CLONE_THREAD */
	{ __NR_fork, -1, 0, 0 }, { __NR_vfork, -1, 0, 0 },
	{ __NR_clone, 0, MASK_ZERO, CLONE_THREAD },
	{ __NR_execve, -1, 0, 0 }, { __NR_execveat, -1, 0, 0 },
	/* network */
	{ __NR_socket, -1, 0, 0 }, { __NR_connect, -1, 0, 0 }, { __NR_bind, -1, 0, 0 },
	{ __NR_listen, -1, 0, 0 }, { __NR_accept, -1, 0, 0 }, { __NR_accept4, -1, 0, 0 },
	{ __NR_sendto, 4, NONZERO, 0 },	/* only with a destination address */
	{ __NR_sendmsg, -1, 0, 0 }, { __NR_sendmmsg, -1, 0, 0 },
	/* file creation, writing, removal */
	{ __NR_open, 1, ANY_BIT, OPEN_WRITE_BITS }, { __NR_openat, 2, ANY_BIT, OPEN_WRITE_BITS },
	{ __NR_openat2, -1, 0, 0 },	/* flags live in memory */
	{ __NR_creat, -1, 0, 0 }, { __NR_truncate, -1, 0, 0 },
	{ __NR_mkdir, -1, 0, 0 }, { __NR_mkdirat, -1, 0, 0 }, { __NR_rmdir, -1, 0, 0 },
	{ __NR_unlink, -1, 0, 0 }, { __NR_unlinkat, -1, 0, 0 },
	{ __NR_rename, -1, 0, 0 }, { __NR_renameat, -1, 0, 0 }, { __NR_renameat2, -1, 0, 0 },
	{ __NR_link, -1, 0, 0 }, { __NR_linkat, -1, 0, 0 },
	{ __NR_symlink, -1, 0, 0 }, { __NR_symlinkat, -1, 0, 0 },
	{ __NR_chmod, -1, 0, 0 }, { __NR_fchmodat, -1, 0, 0 }, { __NR_fchmodat2, -1, 0, 0 },
	{ __NR_chown, -1, 0, 0 }, { __NR_lchown, -1, 0, 0 }, { __NR_fchownat, -1, 0, 0 },
	{ __NR_mknod, -1, 0, 0 }, { __NR_mknodat, -1, 0, 0 },
	{ __NR_utime, -1, 0, 0 }, { __NR_utimes, -1, 0, 0 }, { __NR_futimesat, -1, 0, 0 },
	{ __NR_utimensat, -1, 0, 0 },
	{ __NR_setxattr, -1, 0, 0 }, { __NR_lsetxattr, -1, 0, 0 },
	{ __NR_removexattr, -1, 0, 0 }, { __NR_lremovexattr, -1, 0, 0 },
	/* signals to other processes (the own pid cannot be told apart in BPF) */
	{ __NR_kill, -1, 0, 0 }, { __NR_tkill, -1, 0, 0 }, { __NR_tgkill, -1, 0, 0 },
	{ __NR_rt_sigqueueinfo, -1, 0, 0 }, { __NR_rt_tgsigqueueinfo, -1, 0, 0 },
	{ __NR_pidfd_send_signal, -1, 0, 0 }, { __NR_pidfd_open, -1, 0, 0 },
	/* executable memory */
	{ __NR_mmap, 2, ANY_BIT, PROT_EXEC }, { __NR_mprotect, 2, ANY_BIT, PROT_EXEC },
	{ __NR_pkey_mprotect, 2, ANY_BIT, PROT_EXEC }, { __NR_memfd_create, -1, 0, 0 },
	/* inspecting other processes */
	{ __NR_process_vm_readv, -1, 0, 0 }, { __NR_kcmp, -1, 0, 0 },
	{ __NR_perf_event_open, -1, 0, 0 },
	/* the "never" class: namespaces, mounts, kernel state */
	{ __NR_unshare, -1, 0, 0 }, { __NR_setns, -1, 0, 0 }, { __NR_mount, -1, 0, 0 },
	{ __NR_umount2, -1, 0, 0 }, { __NR_pivot_root, -1, 0, 0 }, { __NR_chroot, -1, 0, 0 },
	{ __NR_bpf, -1, 0, 0 }, { __NR_init_module, -1, 0, 0 }, { __NR_finit_module, -1, 0, 0 },
	{ __NR_delete_module, -1, 0, 0 }, { __NR_kexec_load, -1, 0, 0 },
	{ __NR_kexec_file_load, -1, 0, 0 }, { __NR_reboot, -1, 0, 0 },
	{ __NR_iopl, -1, 0, 0 }, { __NR_ioperm, -1, 0, 0 },
	{ __NR_open_by_handle_at, -1, 0, 0 }, { __NR_keyctl, -1, 0, 0 },
	{ __NR_add_key, -1, 0, 0 }, { __NR_request_key, -1, 0, 0 },
	{ __NR_open_tree, -1, 0, 0 }, { __NR_move_mount, -1, 0, 0 }, { __NR_fsopen, -1, 0, 0 },
	{ __NR_fsconfig, -1, 0, 0 }, { __NR_fsmount, -1, 0, 0 }, { __NR_fspick, -1, 0, 0 },
};

static int add_rule(scmp_filter_ctx ctx, const struct rule *r)
{
	uint32_t act = SCMP_ACT_NOTIFY;

	if (r->arg < 0)
		return seccomp_rule_add_exact(ctx, act, r->nr, 0);
	switch (r->how) {
	case MASK_ZERO:
		return seccomp_rule_add_exact(ctx, act, r->nr, 1,
					      SCMP_CMP((unsigned)r->arg, SCMP_CMP_MASKED_EQ, r->bits, 0));
	case NONZERO:
		return seccomp_rule_add_exact(ctx, act, r->nr, 1,
					      SCMP_CMP((unsigned)r->arg, SCMP_CMP_NE, 0));
	case ANY_BIT:
		/* "any of these bits" = one rule per bit; rules of one action OR. */
		for (int b = 0; b < 64; b++) {
			uint64_t bit = 1ULL << b;
			int rc;

			if (!(r->bits & bit))
				continue;
			rc = seccomp_rule_add_exact(ctx, act, r->nr, 1,
						    SCMP_CMP((unsigned)r->arg, SCMP_CMP_MASKED_EQ, bit, bit));
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	return -EINVAL;
}

/* Syscalls the prologue always decides; the body must not mention them. */
static int prologue_owns(int nr)
{
	switch (nr) {
	case __NR_io_uring_setup: case __NR_io_uring_enter: case __NR_io_uring_register:
	case __NR_clone3: case __NR_ptrace: case __NR_process_vm_writev:
	case __NR_pidfd_getfd: case __NR_userfaultfd:
		return 1;
	}
	return 0;
}

/* One row of a policy plan as libseccomp rules. */
static int add_plan_row(scmp_filter_ctx ctx, const struct pol_rule *r, enum pol_kact act)
{
	uint32_t a = act == POL_KACT_ERRNO ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_NOTIFY;
	unsigned arg = (unsigned)r->arg;

	switch (r->cond) {
	case POL_COND_ALWAYS:
		return seccomp_rule_add_exact(ctx, a, r->nr, 0);
	case POL_COND_ANY_BIT:
		for (int b = 0; b < 64; b++) {
			uint64_t bit = 1ULL << b;
			int rc;

			if (!(r->value & bit))
				continue;
			rc = seccomp_rule_add_exact(ctx, a, r->nr, 1,
						    SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, bit, bit));
			if (rc < 0)
				return rc;
		}
		return 0;
	case POL_COND_NO_BIT:
		return seccomp_rule_add_exact(ctx, a, r->nr, 1,
					      SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, r->value, 0));
	case POL_COND_LOW32_EQ:
		/* Only the low half: the kernel truncates int arguments. */
		return seccomp_rule_add_exact(ctx, a, r->nr, 1,
					      SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, 0xffffffffULL, r->value));
	case POL_COND_LOW32_NE:
		/* 64-bit "!=" also notifies values whose low half is equal: more
		 * notifications, never fewer; the supervisor classifies again. */
		return seccomp_rule_add_exact(ctx, a, r->nr, 1, SCMP_CMP(arg, SCMP_CMP_NE, r->value));
	case POL_COND_NONZERO:
		return seccomp_rule_add_exact(ctx, a, r->nr, 1, SCMP_CMP(arg, SCMP_CMP_NE, 0));
	}
	return -EINVAL;
}

static int build_plan(const struct pol_plan *plan, const struct sv_notify_set *set,
		      scmp_filter_ctx ctx)
{
	size_t n;
	const struct pol_rule *rules = pol_rules(&n);
	uint8_t owned[SV_NR_MAX] = { 0 };
	int rc;

	for (size_t i = 0; i < n && i < plan->nrows; i++) {
		if (prologue_owns(rules[i].nr) || plan->row[i] == POL_KACT_ALLOW)
			continue;
		rc = add_plan_row(ctx, &rules[i], plan->row[i]);
		if (rc < 0)
			return rc;
		if (rules[i].nr >= 0 && rules[i].nr < SV_NR_MAX)
			owned[rules[i].nr] = 1;
	}
	/* Hardening that BPF cannot decide (decide.c): always seen. */
	if (!owned[__NR_pidfd_send_signal]) {
		rc = seccomp_rule_add_exact(ctx, SCMP_ACT_NOTIFY, __NR_pidfd_send_signal, 0);
		if (rc < 0)
			return rc;
		owned[__NR_pidfd_send_signal] = 1;
	}
	for (int nr = 0; nr < SV_NR_MAX; nr++) {
		if (!set->extra[nr] || owned[nr] || prologue_owns(nr))
			continue;
		rc = seccomp_rule_add_exact(ctx, SCMP_ACT_NOTIFY, nr, 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int build_body(const struct sv_notify_set *set, scmp_filter_ctx ctx)
{
	int rc;

	if (set->all) {
		/* Every number the kernel may know, including ones newer than
		 * libseccomp's table: the body is a range check, not a list. */
		for (int nr = 0; nr < 512; nr++) {
			if (prologue_owns(nr))
				continue;
			rc = seccomp_rule_add_exact(ctx, SCMP_ACT_NOTIFY, nr, 0);
			if (rc < 0 && rc != -EDOM && rc != -EINVAL)
				return rc;
		}
		return 0;
	}
	if (set->defaults) {
		for (size_t i = 0; i < sizeof(default_rules) / sizeof(default_rules[0]); i++) {
			if (set->extra[default_rules[i].nr])
				continue; /* named explicitly: notified whatever the arguments */
			rc = add_rule(ctx, &default_rules[i]);
			if (rc < 0)
				return rc;
		}
	}
	for (int nr = 0; nr < SV_NR_MAX; nr++) {
		if (!set->extra[nr] || prologue_owns(nr))
			continue;
		rc = seccomp_rule_add_exact(ctx, SCMP_ACT_NOTIFY, nr, 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* libseccomp 2.5 can only export to a descriptor: use a memfd. */
static int export_body(scmp_filter_ctx ctx, struct sock_filter **out, size_t *count)
{
	int fd = memfd_create("sisup-bpf", MFD_CLOEXEC);
	off_t size;
	int rc;

	if (fd < 0)
		return -errno;
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		goto out;
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0) {
		rc = -EINVAL;
		goto out;
	}
	*out = malloc((size_t)size);
	if (!*out) {
		rc = -ENOMEM;
		goto out;
	}
	if (pread(fd, *out, (size_t)size, 0) != size) {
		free(*out);
		*out = NULL;
		rc = -EIO;
		goto out;
	}
	*count = (size_t)size / sizeof(struct sock_filter);
	rc = 0;
out:
	close(fd);
	return rc;
}

int sv_filter_build(const struct sv_filter_opts *opts, struct sock_fprog *prog)
{
	struct pro pro;
	int pos[PRO_MAX_LABELS];
	struct sock_filter *body = NULL, *all;
	size_t nbody = 0, total;
	scmp_filter_ctx ctx;
	int rc;

	for (int i = 0; i < PRO_MAX_LABELS; i++)
		pos[i] = -1;
	rc = build_prologue(&pro, pos, opts->supervisor);
	if (rc < 0)
		return rc;

	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -ENOMEM;
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0); /* we set it ourselves */
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2); /* binary tree */
	if (rc == 0)
		rc = opts->plan && !opts->set->all ? build_plan(opts->plan, opts->set, ctx)
						   : build_body(opts->set, ctx);
	if (rc == 0)
		rc = export_body(ctx, &body, &nbody);
	seccomp_release(ctx);
	if (rc < 0)
		return rc;

	total = (size_t)pro.n + nbody;
	if (total > BPF_MAXINSNS) {
		free(body);
		return -E2BIG;
	}
	all = malloc(total * sizeof(*all));
	if (!all) {
		free(body);
		return -ENOMEM;
	}
	memcpy(all, pro.ins, (size_t)pro.n * sizeof(*all));
	memcpy(all + pro.n, body, nbody * sizeof(*all));
	free(body);
	prog->filter = all;
	prog->len = (unsigned short)total;
	return 0;
}

void sv_filter_free(struct sock_fprog *prog)
{
	free(prog->filter);
	prog->filter = NULL;
	prog->len = 0;
}

int sv_filter_load(const struct sock_fprog *prog, bool plain, unsigned long *flags)
{
	unsigned long f = SECCOMP_FILTER_FLAG_NEW_LISTENER |
			  (plain ? 0 : SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	long fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, f, prog);

	if (fd < 0 && errno == EINVAL && !plain) {
		/* Before 5.19: no killable wait. Signals can then interrupt a
		 * received notification; documented in docs/hardening.md. */
		f &= ~(unsigned long)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		fd = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, f, prog);
	}
	if (fd < 0)
		return -errno;
	*flags = f;
	return (int)fd;
}
