// SPDX-License-Identifier: MIT
/*
 * syscalls.c - notify-set parsing and syscall names (via libseccomp's tables).
 */
#include "syscalls.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

const char *sv_syscall_name(int nr, char *buf, size_t len)
{
	/* libseccomp hands back a malloc'ed copy on every call: resolve each
	 * number once and keep it (the table lives as long as sisup). */
	static char *names[SV_NR_MAX];

	if (nr >= 0 && nr < SV_NR_MAX) {
		if (!names[nr])
			names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		if (names[nr])
			return names[nr];
	}
	snprintf(buf, len, "syscall_%d", nr);
	return buf;
}

static int add_word(const char *word, size_t n, struct sv_notify_set *out, char *err, size_t errlen)
{
	char name[64];
	int nr;

	if (n == 0 || n >= sizeof(name)) {
		snprintf(err, errlen, "empty or overlong syscall name in --notify");
		return -EINVAL;
	}
	memcpy(name, word, n);
	name[n] = '\0';
	if (strcmp(name, "default") == 0) {
		out->defaults = true;
		return 0;
	}
	if (strcmp(name, "all") == 0) {
		out->all = true;
		return 0;
	}
	nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name);
	if (nr < 0 || nr >= SV_NR_MAX) {
		snprintf(err, errlen, "unknown system call '%s' in --notify", name);
		return -EINVAL;
	}
	out->extra[nr] = 1;
	return 0;
}

int sv_notify_set_parse(const char *spec, struct sv_notify_set *out, char *err, size_t errlen)
{
	const char *p = spec;

	memset(out, 0, sizeof(*out));
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		int rc = add_word(p, n, out, err, errlen);

		if (rc < 0)
			return rc;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}
