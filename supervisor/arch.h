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
