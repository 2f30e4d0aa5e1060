// SPDX-License-Identifier: MIT
/*
 * dns.c - name resolution for modules granted dns.
 *
 * glibc's resolver (what socket.getaddrinfo runs) reads /etc/hosts,
 * /etc/resolv.conf and friends, creates a datagram socket, connect()s it to
 * a name server on port 53, and sends its queries with sendmmsg/send. The
 * addresses and buffers are in memory the program can change after we look,
 * so sisup does not answer CONTINUE on them: netcall.c copies them once,
 * dns checks the copies, and netcall.c makes the call on a duplicate of the
 * program's socket (the same socket: the program sees the connection and
 * the replies). send() without an address on a connected socket is baseline
 * and stays in the kernel: the connect was the gate.
 *
 * Not covered: DNS over TCP (large answers; a dns-only module gets EPERM and
 * glibc gives up on that answer), nscd's unix socket (net-unix), resolvers
 * that do not use these calls, and name servers added to /etc/resolv.conf
 * after sisup started.
 */
#include "dns.h"
#include "netcall.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/socket.h>

#define NS_MAX 8

static struct sockaddr_storage servers[NS_MAX];
static int nservers;

static void add_server(const char *s)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)&servers[nservers];
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&servers[nservers];

	if (nservers >= NS_MAX)
		return;
	memset(&servers[nservers], 0, sizeof(servers[0]));
	if (inet_pton(AF_INET, s, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(53);
		nservers++;
	} else if (inet_pton(AF_INET6, s, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(53);
		nservers++;
	}
}

void sv_dns_init(void)
{
	char line[512];
	FILE *f = fopen("/etc/resolv.conf", "re");

	nservers = 0;
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char addr[256];

			if (sscanf(line, " nameserver %255s", addr) == 1)
				add_server(addr);
		}
		fclose(f);
	}
	/* glibc's default when resolv.conf names none. */
	if (nservers == 0)
		add_server("127.0.0.1");
}

bool sv_dns_file(const char *path)
{
	static const char *const files[] = {
		"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf",
		"/etc/gai.conf", "/etc/services", "/etc/protocols",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(path, files[i]) == 0)
			return true;
	return false;
}

bool sv_dns_socket(const uint64_t args[6])
{
	int dom = (int)(uint32_t)args[0], type = (int)(uint32_t)args[1] & 0xf;

	/* A unix stream socket is how glibc asks nscd first; unconnected it
	 * reaches nothing, and only nscd's path is connected for dns. */
	return ((dom == AF_INET || dom == AF_INET6) && type == SOCK_DGRAM) ||
	       (dom == AF_UNIX && type == SOCK_STREAM);
}

/* nscd's socket, where glibc's resolver looks first (canonical: /var/run
 * is a link to /run on current systems). */
static bool is_nscd(const char *path)
{
	return strcmp(path, "/run/nscd/socket") == 0 || strcmp(path, "/var/run/nscd/socket") == 0;
}

static bool is_server(const struct sockaddr_storage *ss, socklen_t len)
{
	for (int i = 0; i < nservers; i++) {
		const struct sockaddr_storage *s = &servers[i];

		if (ss->ss_family != s->ss_family)
			continue;
		if (ss->ss_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
			const struct sockaddr_in *a = (const void *)ss, *b = (const void *)s;

			if (a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr)
				return true;
		} else if (ss->ss_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
			const struct sockaddr_in6 *a = (const void *)ss, *b = (const void *)s;

			if (a->sin6_port == b->sin6_port &&
			    memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0)
				return true;
		}
	}
	return false;
}

/* Is every address of @nc a name server, or absent on a socket connected
 * to one? Ancillary data is never part of a query. */
static bool is_query(const struct sv_netcall *nc)
{
	struct sockaddr_storage peer;
	socklen_t pl = sizeof(peer);
	bool connected;

	if (nc->type != SOCK_DGRAM)
		return false;
	connected = getpeername(nc->sock, (struct sockaddr *)&peer, &pl) == 0 && is_server(&peer, pl);
	if (nc->nr == __NR_sendmmsg && nc->nmsgs == 0)
		return false;
	for (unsigned k = 0; k < nc->naddr; k++) {
		const struct sv_net_addr *a = &nc->addr[k];

		if (nc->msgs && nc->msgs[k].msg_hdr.msg_controllen)
			return false;
		if (a->has_addr ? !is_server(&a->sa, a->salen) : !connected)
			return false;
	}
	return nc->naddr > 0;
}

static bool is_lookup(const struct sv_netcall *nc)
{
	if (nc->nr == __NR_connect)
		return (nc->type == SOCK_STREAM && nc->addr[0].obj.kind == POL_OBJ_UNIX &&
			!nc->addr[0].obj.abstract && is_nscd(nc->addr[0].obj.path)) ||
		       is_query(nc);
	return (nc->nr == __NR_sendto || nc->nr == __NR_sendmsg || nc->nr == __NR_sendmmsg) &&
	       is_query(nc);
}

bool sv_dns_perform(struct sv *sv, const struct seccomp_notif *req, struct uw_mem *mem,
		    struct sv_answer *ans)
{
	struct sv_netcall nc;
	bool hit;

	if (!mem || nservers == 0)
		return false;
	if (req->data.nr != __NR_connect && req->data.nr != __NR_sendto &&
	    req->data.nr != __NR_sendmsg && req->data.nr != __NR_sendmmsg)
		return false;
	/* Not a query we could copy (bad pointer, unknown descriptor...): not
	 * dns's business; the policy answers. */
	if (sv_net_prepare(sv, req, mem, &nc) < 0)
		return false;
	hit = is_lookup(&nc);
	if (hit && ans)
		sv_net_perform(sv, req, &nc, ans);
	sv_net_release(&nc);
	return hit;
}
