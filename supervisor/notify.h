/* SPDX-License-Identifier: MIT */
/*
 * notify.h - the user-notification half of the event loop.
 */
#ifndef SV_NOTIFY_H
#define SV_NOTIFY_H

#include "supervisor.h"

/** sv_notify_init - size the buffers and ask for synchronous wake-ups.
 * Returns 0 or -errno. */
int sv_notify_init(struct sv *sv);
void sv_notify_fini(struct sv *sv);

/**
 * sv_notify_handle - receive one notification (the listener is readable) and
 * answer it. Every received notification gets exactly one answer.
 * Returns 0, or -ENOENT when there was nothing to receive (abandoned).
 */
int sv_notify_handle(struct sv *sv);

/**
 * sv_notify_recv - the receiving half of sv_notify_handle(): block until a
 * notification arrives (or a signal interrupts: -EINTR). Returns 0 with the
 * request in sv->req, which must then be answered by sv_notify_serve().
 */
int sv_notify_recv(struct sv *sv);

/** sv_notify_serve - decide and answer the request sv_notify_recv() got. */
void sv_notify_serve(struct sv *sv);

/**
 * sv_notify_unwind - read the Python stack of the current notification's
 * caller into sv->stack, and mark it unreadable if the caller left while it
 * was read (SECCOMP_IOCTL_NOTIF_ID_VALID). Counts the reads in the stats.
 */
void sv_notify_unwind(struct sv *sv);

#endif
