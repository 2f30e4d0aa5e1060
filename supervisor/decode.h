/* SPDX-License-Identifier: MIT */
/*
 * decode.h - render register arguments of a syscall for the trace log.
 *
 * Only register values are decoded: pointers print as addresses. Reading the
 * memory behind them would cost remote reads and show bytes the program can
 * change the moment after.
 */
#ifndef SV_DECODE_H
#define SV_DECODE_H

#include <stddef.h>
#include <stdint.h>

#define SV_DECODE_ARG_MAX 96

/**
 * sv_decode_args - decode the arguments of syscall @nr.
 * @out: receives up to 6 NUL-terminated strings.
 *
 * Returns the number of arguments the syscall takes (0..6); syscalls without
 * a table entry get all 6 in hex.
 */
int sv_decode_args(int nr, const uint64_t args[6], char out[6][SV_DECODE_ARG_MAX]);

#endif
