/* SPDX-License-Identifier: MIT */
/*
 * bpfsim.h - run a seccomp filter program in the supervisor.
 *
 * The supervisor sometimes has to know what its own filter did with a
 * syscall it never received (restart.c: a call interrupted while its
 * notification was still queued). The program is the one source of truth,
 * so it is evaluated as the kernel would, not re-derived from the policy.
 */
#ifndef SV_BPFSIM_H
#define SV_BPFSIM_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/**
 * sv_bpf_run - the action @insns returns for @d, as seccomp's classic BPF.
 * @insns, @n: the program (every jump goes forward, so at most @n steps).
 *
 * An instruction seccomp would refuse, a read outside seccomp_data, a
 * division by zero or running off the end yield SECCOMP_RET_KILL_PROCESS:
 * callers treat that as "not notified", the answer that changes nothing.
 */
uint32_t sv_bpf_run(const struct sock_filter *insns, size_t n, const struct seccomp_data *d);

#endif
