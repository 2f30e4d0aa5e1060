// SPDX-License-Identifier: MIT
/*
 * kickrecv.c - a SECCOMP_IOCTL_NOTIF_RECV that a signal cancels exactly
 * (see kickrecv.h). x86-64 only, as arch.h.
 */
#include "kickrecv.h"

#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/ucontext.h>

#include "arch.h"

/*
 * long sv_recv_cancellable(int fd, void *req, const atomic_int *pending)
 *
 * From kr_window to kr_syscall (inclusive) the thread has not entered the
 * ioctl, or is in it and the kernel rewound it to the syscall instruction to
 * restart it after the handler (SA_RESTART; RECV's wait returns
 * -ERESTARTSYS). Either way nothing was received, and the handler may send it
 * to kr_cancel. Once the syscall instruction has completed, the IP is past
 * it and the result stands.
 */
__asm__(".text\n"
	".globl sv_recv_cancellable\n"
	".hidden sv_recv_cancellable\n"
	".type sv_recv_cancellable, @function\n"
	"sv_recv_cancellable:\n"
	"	endbr64\n"
	"kr_window:\n"
	"	movl (%rdx), %eax\n"		/* *pending (a plain load suffices on x86-64) */
	"	testl %eax, %eax\n"
	"	jnz kr_cancel\n"
	"	movl %edi, %edi\n"		/* fd: unsigned int */
	"	movq %rsi, %rdx\n"		/* arg 3: the request buffer */
	"	movl $0xc0502100, %esi\n"	/* SECCOMP_IOCTL_NOTIF_RECV */
	"	movl $16, %eax\n"		/* __NR_ioctl */
	"kr_syscall:\n"
	"	syscall\n"
	"	ret\n"
	"kr_cancel:\n"
	"	movq $-4, %rax\n"		/* -EINTR */
	"	ret\n"
	".size sv_recv_cancellable, .-sv_recv_cancellable\n");

/* Labels inside the stub, for the handler to compare the IP with. */
extern const char kr_window[] __attribute__((visibility("hidden")));
extern const char kr_syscall[] __attribute__((visibility("hidden")));
extern const char kr_cancel[] __attribute__((visibility("hidden")));

/* SECCOMP_IOCTL_NOTIF_RECV, spelt out (the uapi macro is not a constant
 * expression for _Static_assert). */
_Static_assert(_IOC(_IOC_READ | _IOC_WRITE, '!', 0, sizeof(struct seccomp_notif)) == 0xc0502100u,
	       "the stub's RECV request number");

void sv_kick_cancel_recv(void *ucontext)
{
	ucontext_t *uc = ucontext;
	uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];

	if (ip >= (uintptr_t)kr_window && ip <= (uintptr_t)kr_syscall)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)kr_cancel;
}
