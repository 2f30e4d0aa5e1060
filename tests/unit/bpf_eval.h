/* SPDX-License-Identifier: MIT */
/*
 * bpf_eval.h - the unit tests run sisup's seccomp programs with the
 * supervisor's own interpreter (supervisor/bpfsim.c, checked against the
 * kernel in test_bpfsim.c) on cases the kernel cannot show here (IA-32 is off
 * on this hypervisor) and on every argument combination a plan promises to
 * keep in the kernel.
 */
#ifndef TEST_BPF_EVAL_H
#define TEST_BPF_EVAL_H

#include "bpfsim.h"

static inline uint32_t bpf_eval(const struct sock_fprog *prog, const struct seccomp_data *d)
{
	return sv_bpf_run(prog->filter, prog->len, d);
}

#endif
