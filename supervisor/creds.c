// SPDX-License-Identifier: MIT
/*
 * creds.c - compare a thread's ids with sisup's (/proc/TID/status).
 */
#include "creds.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool sv_same_ids(pid_t tid)
{
	char path[64], buf[4096];
	unsigned long u[4], g[4];
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	ssize_t n;
	char *p;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\nUid:");
	if (!p || sscanf(p + 5, "%lu %lu %lu %lu", &u[0], &u[1], &u[2], &u[3]) != 4)
		return false;
	p = strstr(buf, "\nGid:");
	if (!p || sscanf(p + 5, "%lu %lu %lu %lu", &g[0], &g[1], &g[2], &g[3]) != 4)
		return false;
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return false;
	/* fsuid follows euid for us (we never change it). */
	return u[0] == ru && u[1] == eu && u[2] == su && u[3] == eu && g[0] == rg && g[1] == eg &&
	       g[2] == sg && g[3] == eg;
}
