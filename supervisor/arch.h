/* SPDX-License-Identifier: MIT */
/*
 * arch.h - the only place that knows we run on x86-64.
 *
 * Register layout of /proc/TID/syscall, the audit architecture the filter
 * accepts and the x32 marker bit live here so that a port touches one file.
 */
#ifndef SV_ARCH_H
#define SV_ARCH_H

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/user.h>

#if !defined(__x86_64__)
#error "sisup supports x86-64 only for now (see arch.h)"
#endif

/* The one ABI the filter lets through; any other AUDIT_ARCH kills (int 0x80). */
#define SV_AUDIT_ARCH AUDIT_ARCH_X86_64
/* x32 system calls share AUDIT_ARCH_X86_64 and are told apart by this bit. */
#define SV_X32_SYSCALL_BIT 0x40000000u
/* Syscall numbers we size tables for; x86-64 uses < 512 today. */
#define SV_NR_MAX 1024

/*
 * What seccomp sees of the syscall a stopped thread is in (its registers as
 * PTRACE_GETREGS gives them), for running the filter program on it.
 */
static inline void sv_regs_to_seccomp_data(const struct user_regs_struct *regs,
					   struct seccomp_data *d)
{
	d->nr = (int)regs->orig_rax;
	d->arch = SV_AUDIT_ARCH;
	d->instruction_pointer = regs->rip;
	d->args[0] = regs->rdi;
	d->args[1] = regs->rsi;
	d->args[2] = regs->rdx;
	d->args[3] = regs->r10;
	d->args[4] = regs->r8;
	d->args[5] = regs->r9;
}

/*
 * execve without errno: the launch child shares the supervisor's memory and
 * thread-local storage until its exec (launch.c), so it must not write errno.
 * Returns only on failure, with -errno.
 */
static inline long sv_raw_execve(const char *path, char *const argv[], char *const envp[])
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"(59L /* __NR_execve */), "D"(path), "S"(argv), "d"(envp)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif
