/* SPDX-License-Identifier: MIT */
/*
 * kcompat.h - kernel interfaces newer than Debian bookworm's linux-libc-dev.
 *
 * The build headers are 6.1; the machines run newer kernels. Everything here is
 * probed at run time and has a fallback, so defining it is safe on old kernels.
 */
#ifndef SV_KCOMPAT_H
#define SV_KCOMPAT_H

#include <linux/seccomp.h>
#include <sys/ioctl.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5) /* 5.19 */
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64) /* 6.6 */
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef SECCOMP_USER_NOTIF_FLAG_CONTINUE
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0)
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif

#endif
