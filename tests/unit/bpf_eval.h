/* SPDX-License-Identifier: MIT */
/*
 * bpf_eval.h - a minimal classic-BPF evaluator for the instructions sisup's
 * seccomp programs use, for unit tests (cmocka: fails the test on anything
 * unexpected). It runs the exact program sisup loads on cases the kernel
 * cannot show here (IA-32 is off on this hypervisor) and on every argument
 * combination a plan promises to keep in the kernel.
 */
#ifndef TEST_BPF_EVAL_H
#define TEST_BPF_EVAL_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t bpf_eval(const struct sock_fprog *prog, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	const unsigned char *data = (const unsigned char *)d;

	for (unsigned pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *f = &prog->filter[pc];
		uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (BPF_MODE(f->code) == BPF_ABS) {
				assert_true(f->k + 4 <= sizeof(*d));
				memcpy(&a, data + f->k, 4);
			} else if (BPF_MODE(f->code) == BPF_MEM) {
				a = mem[f->k];
			} else if (BPF_MODE(f->code) == BPF_IMM) {
				a = f->k;
			} else {
				fail_msg("unexpected LD mode %#x", f->code);
			}
			break;
		case BPF_LDX:
			x = BPF_MODE(f->code) == BPF_MEM ? mem[f->k] : f->k;
			break;
		case BPF_ST:
			mem[f->k] = a;
			break;
		case BPF_STX:
			mem[f->k] = x;
			break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_AND: a &= src; break;
			case BPF_OR: a |= src; break;
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			default: fail_msg("unexpected ALU op %#x", f->code);
			}
			break;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		case BPF_JMP: {
			int take;

			switch (BPF_OP(f->code)) {
			case BPF_JA: pc += f->k; continue;
			case BPF_JEQ: take = a == src; break;
			case BPF_JGT: take = a > src; break;
			case BPF_JGE: take = a >= src; break;
			case BPF_JSET: take = (a & src) != 0; break;
			default: fail_msg("unexpected JMP op %#x", f->code); return 0;
			}
			pc += take ? f->jt : f->jf;
			break;
		}
		case BPF_RET:
			return f->k;
		default:
			fail_msg("unexpected class %#x", f->code);
		}
	}
	fail_msg("fell off the end");
	return 0;
}

#endif
