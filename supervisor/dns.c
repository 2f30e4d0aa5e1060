// SPDX-License-Identifier: MIT
/*
 * dns.c - name resolution for modules granted dns.
 *
 * glibc's resolver (what socket.getaddrinfo runs) reads /etc/hosts,
 * /etc/resolv.conf and friends, creates a datagram socket, connect()s it to
 * a name server on port 53, and sends its queries with sendmmsg/send. The
 * addresses and buffers are in memory the program can change after we look,
 * so sisup does not answer CONTINUE on them: it copies them once, checks the
 * copies and makes the call itself on a pidfd_getfd() duplicate of the
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
#include "remotefd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define NS_MAX 8
/* The resolver sends at most two queries (A and AAAA) per sendmmsg. */
#define MSGS_MAX 4
#define IOVS_MAX 8
#define QUERY_MAX 65536

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

/* nscd's socket, where glibc's resolver looks first. */
static bool is_nscd(const struct sockaddr_storage *ss, socklen_t len)
{
	const struct sockaddr_un *un = (const void *)ss;
	static const char *const paths[] = { "/var/run/nscd/socket", "/run/nscd/socket" };
	size_t max;

	if (ss->ss_family != AF_UNIX || len <= offsetof(struct sockaddr_un, sun_path))
		return false;
	max = len - offsetof(struct sockaddr_un, sun_path);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		size_t n = strlen(paths[i]);

		if (max >= n && memcmp(un->sun_path, paths[i], n) == 0 &&
		    (max == n || un->sun_path[n] == '\0'))
			return true;
	}
	return false;
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

/* A duplicate of the caller's descriptor @fd, if it is a socket of @want type. */
static int sock_dup(pid_t tid, int fd, int want)
{
	int dup = sv_remote_fd(tid, fd), type = 0;
	socklen_t l = sizeof(type);

	if (dup < 0)
		return -1;
	if (getsockopt(dup, SOL_SOCKET, SO_TYPE, &type, &l) < 0 || type != want) {
		close(dup);
		return -1;
	}
	return dup;
}

static bool peer_is_server(int s)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);

	return getpeername(s, (struct sockaddr *)&ss, &l) == 0 && is_server(&ss, l);
}

static void result(struct sv_answer *ans, long r, int err)
{
	if (r < 0) {
		ans->verdict = SV_ERRNO;
		ans->error = err;
		ans->result = true;
	} else {
		ans->verdict = SV_RETURN;
		ans->val = r;
	}
}

/* Copy the caller's @n messages' data into one buffer and send them on
 * @s without any address (the socket is connected to a name server). */
/*
 * sendmmsg stores each message's sent length in the caller's mmsghdr, and
 * glibc's resolver checks it. We write those four-byte fields as the kernel
 * would (process_vm_writev: allowed to us as the program's tracer and
 * ancestor). This is the only write sisup makes into the program; it touches
 * nothing but the msg_len fields of the vector the call named. If it fails
 * (a non-dumpable program), the resolver sees a short send and gives up on
 * that query: a failure, not a grant.
 */
static void store_lengths(pid_t tid, uint64_t vec, const struct mmsghdr *out, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned int len = out[i].msg_len;
		struct iovec local = { &len, sizeof(len) };
		struct iovec remote = {
			(void *)(uintptr_t)(vec + (uint64_t)i * sizeof(struct mmsghdr) +
					    offsetof(struct mmsghdr, msg_len)),
			sizeof(len),
		};

		if (process_vm_writev(tid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(len))
			return;
	}
}

static bool send_msgs(struct uw_mem *mem, pid_t tid, int s, uint64_t vec, unsigned n, bool mmsg,
		      int flags, struct sv_answer *ans)
{
	struct mmsghdr out[MSGS_MAX];
	struct iovec iov[MSGS_MAX];
	char *data = NULL;
	size_t used = 0;
	long r;
	int e;

	if (n == 0 || n > MSGS_MAX)
		return false;
	data = malloc(QUERY_MAX);
	if (!data)
		return false;
	memset(out, 0, sizeof(out));
	for (unsigned i = 0; i < n; i++) {
		struct msghdr m;
		struct iovec src[IOVS_MAX];
		size_t start = used;
		uint64_t at = vec + (uint64_t)i * (mmsg ? sizeof(struct mmsghdr) : sizeof(struct msghdr));

		if (uw_mem_read(mem, at, &m, sizeof(m)) < 0)
			goto no;
		/* The copy is what we send: an address or ancillary data in it
		 * would be the program's choice, not a name server. */
		if (m.msg_name || m.msg_namelen || m.msg_controllen || m.msg_iovlen == 0 ||
		    m.msg_iovlen > IOVS_MAX)
			goto no;
		if (uw_mem_read(mem, (uint64_t)(uintptr_t)m.msg_iov, src,
				m.msg_iovlen * sizeof(src[0])) < 0)
			goto no;
		for (size_t k = 0; k < m.msg_iovlen; k++) {
			if (src[k].iov_len > QUERY_MAX - used)
				goto no;
			if (src[k].iov_len &&
			    uw_mem_read(mem, (uint64_t)(uintptr_t)src[k].iov_base, data + used,
					src[k].iov_len) < 0)
				goto no;
			used += src[k].iov_len;
		}
		iov[i].iov_base = data + start;
		iov[i].iov_len = used - start;
		out[i].msg_hdr.msg_iov = &iov[i];
		out[i].msg_hdr.msg_iovlen = 1;
	}
	/* Never block the supervisor: a full socket buffer gives EAGAIN, which
	 * the resolver handles like a lost packet. */
	if (mmsg)
		r = sendmmsg(s, out, n, (flags & ~MSG_WAITFORONE) | MSG_DONTWAIT | MSG_NOSIGNAL);
	else
		r = sendmsg(s, &out[0].msg_hdr, flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	e = errno;
	if (mmsg && r > 0)
		store_lengths(tid, vec, out, (unsigned)r);
	free(data);
	result(ans, r, e);
	return true;
no:
	free(data);
	return false;
}

bool sv_dns_perform(const struct seccomp_notif *req, struct uw_mem *mem, struct sv_answer *ans)
{
	pid_t tid = (pid_t)req->pid;
	int fd = (int)(uint32_t)req->data.args[0], s;
	struct sockaddr_storage ss;
	socklen_t len;
	bool done = false;

	if (!mem || nservers == 0)
		return false;
	switch (req->data.nr) {
	case __NR_connect:
	case __NR_sendto: {
		uint64_t addr = req->data.nr == __NR_connect ? req->data.args[1] : req->data.args[4];
		uint64_t alen = req->data.nr == __NR_connect ? req->data.args[2] : req->data.args[5];

		if (alen < sizeof(struct sockaddr_in) || alen > sizeof(ss))
			return false;
		len = (socklen_t)alen;
		memset(&ss, 0, sizeof(ss));
		if (uw_mem_read(mem, addr, &ss, len) < 0)
			return false;
		if (req->data.nr == __NR_connect && is_nscd(&ss, len)) {
			/* glibc opens it non-blocking: connect returns at once. */
			s = sock_dup(tid, fd, SOCK_STREAM);
			if (s < 0)
				return false;
			if (ans) {
				int fl = fcntl(s, F_GETFL);
				int r = fl >= 0 && (fl & O_NONBLOCK) ? connect(s, (struct sockaddr *)&ss, len)
								     : (errno = EAGAIN, -1);

				result(ans, r, errno);
			}
			close(s);
			return true;
		}
		if (!is_server(&ss, len))
			return false;
		s = sock_dup(tid, fd, SOCK_DGRAM);
		if (s < 0)
			return false;
		if (!ans) {
			done = true;
		} else if (req->data.nr == __NR_connect) {
			/* A datagram connect only sets the peer: it never blocks. */
			int r = connect(s, (struct sockaddr *)&ss, len);

			result(ans, r, errno);
			done = true;
		} else if (req->data.args[2] <= QUERY_MAX) {
			char *buf = malloc(req->data.args[2] ? req->data.args[2] : 1);

			if (buf && uw_mem_read(mem, req->data.args[1], buf, req->data.args[2]) == 0) {
				long r = sendto(s, buf, req->data.args[2],
						(int)req->data.args[3] | MSG_DONTWAIT | MSG_NOSIGNAL,
						(struct sockaddr *)&ss, len);

				result(ans, r, errno);
				done = true;
			}
			free(buf);
		}
		close(s);
		return done;
	}
	case __NR_sendmsg:
	case __NR_sendmmsg:
		s = sock_dup(tid, fd, SOCK_DGRAM);
		if (s < 0)
			return false;
		if (peer_is_server(s) && !ans)
			done = true;
		else if (peer_is_server(s))
			done = send_msgs(mem, tid, s, req->data.args[1],
					 req->data.nr == __NR_sendmmsg ? (unsigned)req->data.args[2] : 1,
					 req->data.nr == __NR_sendmmsg, (int)req->data.args[req->data.nr == __NR_sendmmsg ? 3 : 2],
					 ans);
		close(s);
		return done;
	}
	return false;
}
