/* SPDX-License-Identifier: MIT */
/*
 * dns.h - the dns capability: name resolution without general network
 * access. sisup performs the resolver's calls itself, on copies it checked:
 * reading the resolver's files, connecting a datagram socket to a name
 * server from /etc/resolv.conf on port 53, and sending on such a socket.
 */
#ifndef SV_DNS_H
#define SV_DNS_H

#include <stdbool.h>

#include "decide.h"
#include "remote.h"
#include "supervisor.h"

/** sv_dns_init - read the name servers of /etc/resolv.conf (at start-up,
 * before the program can change anything). Never fails: without servers
 * only the files are granted. */
void sv_dns_init(void);

/** sv_dns_file - is @path (sisup's copy) one of the resolver's files? */
bool sv_dns_file(const char *path);

/** sv_dns_socket - socket() arguments of a resolver socket (datagram
 * AF_INET/AF_INET6), decided on registers. */
bool sv_dns_socket(const uint64_t args[6]);

/**
 * sv_dns_perform - if the notified connect/sendto/sendmsg/sendmmsg is a
 * query to a name server (checked on sisup's copies), perform it on a
 * duplicate of the caller's socket and fill @ans with its result.
 * @sv: the run (listener, credentials, workers).
 * @ans: NULL to check only (audit): nothing is performed.
 * Return: true when it is a query (and, with @ans, was performed: @ans is
 * the result), false when it is not (then nothing was done).
 */
bool sv_dns_perform(struct sv *sv, const struct seccomp_notif *req, struct uw_mem *mem, struct sv_answer *ans);

#endif
