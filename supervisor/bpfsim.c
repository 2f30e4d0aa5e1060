// SPDX-License-Identifier: MIT
/*
 * bpfsim.c - a classic BPF interpreter for seccomp programs (bpfsim.h).
 *
 * Covers what seccomp_check_filter() admits: loads from seccomp_data (32-bit,
 * aligned), immediates, the scratch memory, ALU, jumps and returns. Anything
 * else ends the run with SECCOMP_RET_KILL_PROCESS.
 */
#include "bpfsim.h"

#include <string.h>

#define KILL SECCOMP_RET_KILL_PROCESS

static int load_word(const struct seccomp_data *d, uint32_t off, uint32_t *out)
{
	if (off % 4 || off > sizeof(*d) - 4)
		return -1;
	memcpy(out, (const char *)d + off, 4); /* host order, as the kernel loads it */
	return 0;
}

static int alu(uint16_t op, uint32_t *a, uint32_t v)
{
	switch (op) {
	case BPF_ADD: *a += v; return 0;
	case BPF_SUB: *a -= v; return 0;
	case BPF_MUL: *a *= v; return 0;
	case BPF_DIV:
		if (!v)
			return -1;
		*a /= v;
		return 0;
	case BPF_OR: *a |= v; return 0;
	case BPF_AND: *a &= v; return 0;
	case BPF_XOR: *a ^= v; return 0;
	case BPF_LSH: *a = v < 32 ? *a << v : 0; return 0;
	case BPF_RSH: *a = v < 32 ? *a >> v : 0; return 0;
	case BPF_NEG: *a = -*a; return 0;
	}
	return -1; /* BPF_MOD among them: seccomp_check_filter() refuses it */
}

static int jump(uint16_t op, uint32_t a, uint32_t v, int *taken)
{
	switch (op) {
	case BPF_JEQ: *taken = a == v; return 0;
	case BPF_JGT: *taken = a > v; return 0;
	case BPF_JGE: *taken = a >= v; return 0;
	case BPF_JSET: *taken = (a & v) != 0; return 0;
	}
	return -1;
}

uint32_t sv_bpf_run(const struct sock_filter *insns, size_t n, const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	size_t pc = 0;

	/* Jumps only go forward: pc grows on every step, so this ends. */
	while (pc < n) {
		const struct sock_filter *f = &insns[pc++];
		uint16_t cls = BPF_CLASS(f->code);
		int taken;

		switch (cls) {
		case BPF_LD:
			if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
				if (load_word(d, f->k, &a) < 0)
					return KILL;
			} else if (f->code == (BPF_LD | BPF_W | BPF_LEN)) {
				a = sizeof(*d);
			} else if (f->code == (BPF_LD | BPF_IMM)) {
				a = f->k;
			} else if (f->code == (BPF_LD | BPF_MEM) && f->k < BPF_MEMWORDS) {
				a = mem[f->k];
			} else {
				return KILL;
			}
			break;
		case BPF_LDX:
			if (f->code == (BPF_LDX | BPF_W | BPF_LEN))
				x = sizeof(*d);
			else if (f->code == (BPF_LDX | BPF_IMM))
				x = f->k;
			else if (f->code == (BPF_LDX | BPF_MEM) && f->k < BPF_MEMWORDS)
				x = mem[f->k];
			else
				return KILL;
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return KILL;
			mem[f->k] = cls == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			if (alu(BPF_OP(f->code), &a, BPF_SRC(f->code) == BPF_X ? x : f->k) < 0)
				return KILL;
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) {
				if (f->k >= n - pc)
					return KILL;
				pc += f->k;
				break;
			}
			if (jump(BPF_OP(f->code), a, BPF_SRC(f->code) == BPF_X ? x : f->k, &taken) < 0)
				return KILL;
			pc += taken ? f->jt : f->jf;
			break;
		case BPF_RET:
			if (f->code == (BPF_RET | BPF_K))
				return f->k;
			if (f->code == (BPF_RET | BPF_A))
				return a;
			return KILL;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else if (BPF_MISCOP(f->code) == BPF_TXA)
				a = x;
			else
				return KILL;
			break;
		default:
			return KILL;
		}
	}
	return KILL;
}
