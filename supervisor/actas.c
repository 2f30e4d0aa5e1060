// SPDX-License-Identifier: MIT
/*
 * actas.c - a thread's ids, umask and tgid from /proc/TID/status.
 *
 * One read of the status file per question: the values can change the
 * moment after (another thread calls umask(), setuid()...). sisup is asked
 * while the calling thread is blocked in its notified call, so its own
 * umask and ids are stable; a sibling sharing them (CLONE_FS, setxid
 * broadcast) racing the call would see the kernel pick either order too.
 */
#include "actas.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* /proc/TID/status into @buf (NUL-terminated). Status files are a few KiB;
 * what does not fit is cut off, and fields we look for come early. */
static int read_status(pid_t tid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ESRCH;
	buf[n] = '\0';
	return 0;
}

/* The numbers after "\n@key" (e.g. "Uid:"): up to @n of them, in @base. */
static int status_field(const char *buf, const char *key, unsigned long *v, int n, int base)
{
	char pat[32];
	const char *p;
	int i;

	snprintf(pat, sizeof(pat), "\n%s", key);
	p = strstr(buf, pat);
	if (!p)
		return -ENOTSUP;
	p += strlen(pat);
	for (i = 0; i < n; i++) {
		char *end;

		errno = 0;
		v[i] = strtoul(p, &end, base);
		if (end == p || errno)
			return -EINVAL;
		p = end;
	}
	return 0;
}

static bool ids_match(const char *buf)
{
	unsigned long u[4], g[4];
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (status_field(buf, "Uid:", u, 4, 10) < 0 || status_field(buf, "Gid:", g, 4, 10) < 0)
		return false;
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return false;
	/* fsuid follows euid for us (we never change it). */
	return u[0] == ru && u[1] == eu && u[2] == su && u[3] == eu && g[0] == rg && g[1] == eg &&
	       g[2] == sg && g[3] == eg;
}

bool sv_same_ids(pid_t tid)
{
	char buf[4096];

	return read_status(tid, buf, sizeof(buf)) == 0 && ids_match(buf);
}

int sv_actas_read(pid_t tid, struct sv_actas *out)
{
	char buf[4096];
	unsigned long v;
	int rc = read_status(tid, buf, sizeof(buf));

	if (rc < 0)
		return rc;
	rc = status_field(buf, "Tgid:", &v, 1, 10);
	if (rc < 0)
		return rc;
	if (v == 0 || v >= (1ul << 22))
		return -EINVAL;
	out->tgid = (pid_t)v;
	out->umask = status_field(buf, "Umask:", &v, 1, 8) < 0 ? -ENOTSUP : (int)(v & 0777);
	out->same_ids = ids_match(buf);
	return 0;
}

pid_t sv_task_tgid(pid_t tid)
{
	struct sv_actas a;
	int rc = sv_actas_read(tid, &a);

	return rc < 0 ? rc : a.tgid;
}
