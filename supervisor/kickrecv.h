/* SPDX-License-Identifier: MIT */
/*
 * kickrecv.h - a SECCOMP_IOCTL_NOTIF_RECV that a signal cancels exactly.
 *
 * The event loop's main thread blocks in RECV (loop.c) and is woken for
 * other events by a signal from its waker thread. Blocking that signal
 * everywhere but around the RECV cost two rt_sigprocmask per notification
 * (about 1 us each on these VMs, where every system call exits to the
 * hypervisor), and still lost a kick that landed between the check of the
 * pending flag and the ioctl.
 *
 * Instead the signal stays unblocked with SA_RESTART, so that a kick landing
 * anywhere else in the supervisor restarts whatever call it interrupted (the
 * supervisor never sees EINTR from it), and its handler calls
 * sv_kick_cancel_recv(): if the thread was interrupted inside the RECV stub,
 * before or in the blocking ioctl, the handler moves it to the stub's exit
 * with -EINTR. A RECV that has returned a notification is past the window
 * and is never cancelled (it must be answered). The stub is x86-64 assembly
 * (kickrecv.c), like arch.h the architecture-specific part of the loop.
 */
#ifndef SV_KICKRECV_H
#define SV_KICKRECV_H

#include <stdatomic.h>

/**
 * sv_recv_cancellable - SECCOMP_IOCTL_NOTIF_RECV on @fd into @req, unless
 * *@pending is non-zero when the ioctl would start or a signal whose handler
 * calls sv_kick_cancel_recv() arrives before the ioctl has received.
 *
 * Return: 0; -EINTR when cancelled (nothing received); another -errno.
 * Does not set errno.
 */
long sv_recv_cancellable(int fd, void *req, const atomic_int *pending);

/**
 * sv_kick_cancel_recv - from a SA_SIGINFO handler (its third argument): if
 * the interrupted thread is inside sv_recv_cancellable() and has not
 * received, make it return -EINTR. Async-signal-safe.
 */
void sv_kick_cancel_recv(void *ucontext);

#endif
