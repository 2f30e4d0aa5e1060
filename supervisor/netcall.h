/* SPDX-License-Identifier: MIT */
/*
 * netcall.h - socket calls sisup performs for the program: connect, bind,
 * sendto, sendmsg and sendmmsg on a pidfd_getfd() duplicate of the
 * program's socket, with addresses and data copied once from the program.
 *
 * Why: an address read from the program's memory can be rewritten by a
 * racing thread between our read and the kernel's, so a decision on it must
 * never be answered with CONTINUE. The copy is what is checked and what is
 * used. The duplicate is the program's own open file description: the
 * program sees the connection, the bound name and the data as if it had
 * made the call (docs/hardening.md, "Socket calls").
 *
 * Use: sv_net_prepare() copies and describes the addresses (one per
 * message), the caller decides on sv_netcall.addr[i].obj, then
 * sv_net_perform() makes the call and sv_net_release() frees everything.
 */
#ifndef SV_NETCALL_H
#define SV_NETCALL_H

#include <limits.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "args.h"
#include "decide.h"
#include "remote.h"
#include "supervisor.h"

/* Messages of one sendmmsg performed (the kernel caps at UIO_MAXIOV; fewer
 * sent is a legal result the caller must handle). */
#define SV_NET_MSGS_MAX 64
/* Data bytes copied per call, all messages together. A stream send beyond
 * it sends this much and returns the short count (as a full socket buffer
 * could); a datagram beyond it fails with EMSGSIZE (UDP's own limit is
 * 65507, AF_UNIX's the send buffer). */
#define SV_NET_DATA_MAX (256 * 1024)
/* Ancillary bytes per message (above it: ENOBUFS, as past optmem_max). */
#define SV_NET_CTL_MAX 4096

/* One address the call names, as copied and as it will be used. */
struct sv_net_addr {
	bool has_addr;			/* the call or message names an address */
	struct pol_object obj;		/* what to decide on (POL_OBJ_NONE: no address,
					 * or a family other than inet/unix) */
	struct sockaddr_storage sa;	/* the program's address (copy) */
	socklen_t salen;
	struct sockaddr_storage use;	/* what sisup passes: the copy, or for a unix
					 * path "/proc/self/fd/N[/name]" of @pathfd */
	socklen_t uselen;
	int pathfd;			/* O_PATH: the socket file (connect, send) or
					 * its directory (bind); -1 */
	char path[PATH_MAX];		/* unix path: canonical absolute path */
};

struct sv_netcall {
	int nr;				/* __NR_connect, __NR_bind, __NR_sendto, ... */
	pid_t tid;			/* the caller */
	uint64_t id;			/* its notification */
	int sock;			/* duplicate of the caller's socket, -1 */
	int type;			/* SO_TYPE of @sock */
	bool nonblock;			/* O_NONBLOCK on the shared description */
	int flags;			/* MSG_* of a send */
	int err;			/* -errno the call fails with (an unreachable
					 * unix path), 0 */
	unsigned naddr;			/* entries of @addr (messages of a send) */
	struct sv_net_addr *addr;
	/* sends: the copied messages (private; see netcall.c) */
	struct mmsghdr *msgs;
	unsigned nmsgs;
	uint64_t vec;			/* sendmmsg: the program's vector (msg_len) */
	char *data;
	struct iovec *iov;
	char *ctl;
	int *fds;			/* SCM_RIGHTS duplicates, closed on release */
	unsigned nfds;
};

/**
 * sv_net_prepare - copy the socket and addresses of notification @req
 * (connect, bind, sendto, sendmsg, sendmmsg) into @nc and describe each
 * address in @nc->addr[i].obj: POL_OBJ_INET for AF_INET/AF_INET6,
 * POL_OBJ_UNIX for AF_UNIX (abstract names as bytes; paths canonical,
 * resolved against the caller's working directory and pinned by an O_PATH
 * descriptor, so what is checked is what the call reaches), POL_OBJ_NONE
 * otherwise (has_addr tells "no address" from "another family").
 * @mem: reader of the caller's memory (not taken).
 *
 * On failure @nc holds nothing (sv_net_release is still safe).
 * Return: 0, or -errno to answer the caller with as the call's own failure
 * (-EFAULT, -EINVAL, -EMSGSIZE, -ENOBUFS, -EBADF, -ENOTSOCK, -ENOENT...);
 * -EPERM when sisup cannot act for the caller (other credentials, ancillary
 * data it cannot reproduce: SCM_CREDENTIALS), which is a refusal.
 */
int sv_net_prepare(struct sv *sv, const struct seccomp_notif *req, struct uw_mem *mem,
		   struct sv_netcall *nc);

/**
 * sv_net_perform - make the prepared call on the duplicate and fill @ans
 * with its result (SV_RETURN, or SV_ERRNO with result=true). A call that
 * would block (a blocking connect, a send on a full blocking socket) is
 * handed to a worker thread and @ans is SV_ANSWERED: netdefer.c answers when
 * it completes, and @nc is emptied (ownership moved; release it anyway).
 */
void sv_net_perform(struct sv *sv, const struct seccomp_notif *req, struct sv_netcall *nc,
		    struct sv_answer *ans);

/** sv_net_release - close and free what @nc holds; @nc may be re-prepared. */
void sv_net_release(struct sv_netcall *nc);

/**
 * sv_net_call - the call itself on @nc's duplicate, with @extra_flags added
 * to a send's flags (MSG_DONTWAIT). Used by the worker thread: touches
 * nothing but @nc and the kernel.
 * Return: the call's result (sendmmsg: messages sent), or -errno.
 */
long sv_net_call(struct sv_netcall *nc, int extra_flags);

/**
 * sv_net_finish - after sv_net_call returned @r: sendmmsg's msg_len fields
 * written back into the caller's vector (as the kernel does).
 */
void sv_net_finish(struct sv_netcall *nc, long r);

/**
 * sv_net_sigpipe - after a send returned @r: SIGPIPE to the caller as the
 * kernel would send it (a broken stream without MSG_NOSIGNAL). sisup itself
 * ignores SIGPIPE and sends with MSG_NOSIGNAL.
 */
void sv_net_sigpipe(struct sv *sv, const struct sv_netcall *nc, long r);

/** sv_net_result - @ans from a call's result @r (>= 0 or -errno). */
void sv_net_result(struct sv_answer *ans, long r);

#endif
