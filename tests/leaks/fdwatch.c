// SPDX-License-Identifier: MIT
/*
 * fdwatch.c - preloaded into the supervisor by tests/leaks/run.sh: which
 * descriptors are open at exit that were not open at start. It stands in
 * for valgrind's --track-fds, which cannot run sisup (run.sh says why).
 *
 * The constructor records the inherited descriptors and removes LD_PRELOAD
 * and SISUP_FDWATCH from the environment before main, so the sandboxed
 * program never loads this. The destructor runs after main has returned
 * (sisup frees and closes everything there) and writes "N TARGET" for each
 * extra descriptor to the file SISUP_FDWATCH named, or "none".
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FD 4096

static char out_path[4096];
static unsigned char inherited[MAX_FD];

__attribute__((constructor)) static void fdwatch_start(void)
{
	const char *p = getenv("SISUP_FDWATCH");

	if (!p || strlen(p) >= sizeof(out_path))
		return;
	strcpy(out_path, p);
	for (int fd = 0; fd < MAX_FD; fd++)
		inherited[fd] = fcntl(fd, F_GETFD) >= 0;
	unsetenv("SISUP_FDWATCH");
	unsetenv("LD_PRELOAD");
}

__attribute__((destructor)) static void fdwatch_end(void)
{
	int extra[MAX_FD];
	size_t n = 0;
	DIR *d;
	FILE *f;

	if (!out_path[0] || !(d = opendir("/proc/self/fd")))
		return;
	for (struct dirent *e; (e = readdir(d));) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd == dirfd(d))
			continue;
		if (fd >= MAX_FD || !inherited[fd])
			extra[n++] = fd;
		if (n == MAX_FD)
			break;
	}
	closedir(d);
	f = fopen(out_path, "w");
	if (!f)
		return;
	for (size_t i = 0; i < n; i++) {
		char link[64], target[4096];
		ssize_t len;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", extra[i]);
		len = readlink(link, target, sizeof(target) - 1);
		target[len < 0 ? 0 : len] = '\0';
		fprintf(f, "%d %s\n", extra[i], target);
	}
	if (!n)
		fputs("none\n", f);
	fclose(f);
}
