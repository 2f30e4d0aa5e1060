// SPDX-License-Identifier: MIT
/*
 * decode.c - per-syscall argument kinds, and flag tables.
 */
#include "decode.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "arch.h"
#include "kcompat.h"

enum kind { K_NONE, K_HEX, K_INT, K_FD, K_DIRFD, K_PTR, K_OFLAGS, K_MODE, K_CLONE,
	    K_PROT, K_MAPF, K_AF, K_SOCKTYPE, K_SIG, K_PID };

struct sig { int nr; uint8_t k[6]; };

static const struct sig table[] = {
	{ __NR_open, { K_PTR, K_OFLAGS, K_MODE } },
	{ __NR_openat, { K_DIRFD, K_PTR, K_OFLAGS, K_MODE } },
	{ __NR_creat, { K_PTR, K_MODE } },
	{ __NR_execve, { K_PTR, K_PTR, K_PTR } },
	{ __NR_execveat, { K_DIRFD, K_PTR, K_PTR, K_PTR, K_HEX } },
	{ __NR_fork, { 0 } }, { __NR_vfork, { 0 } },
	{ __NR_clone, { K_CLONE, K_PTR, K_PTR, K_PTR, K_HEX } },
	{ __NR_socket, { K_AF, K_SOCKTYPE, K_INT } },
	{ __NR_connect, { K_FD, K_PTR, K_INT } },
	{ __NR_bind, { K_FD, K_PTR, K_INT } },
	{ __NR_listen, { K_FD, K_INT } },
	{ __NR_accept, { K_FD, K_PTR, K_PTR } },
	{ __NR_accept4, { K_FD, K_PTR, K_PTR, K_HEX } },
	{ __NR_sendto, { K_FD, K_PTR, K_INT, K_HEX, K_PTR, K_INT } },
	{ __NR_sendmsg, { K_FD, K_PTR, K_HEX } },
	{ __NR_sendmmsg, { K_FD, K_PTR, K_INT, K_HEX } },
	{ __NR_mkdir, { K_PTR, K_MODE } }, { __NR_mkdirat, { K_DIRFD, K_PTR, K_MODE } },
	{ __NR_rmdir, { K_PTR } }, { __NR_unlink, { K_PTR } },
	{ __NR_unlinkat, { K_DIRFD, K_PTR, K_HEX } },
	{ __NR_rename, { K_PTR, K_PTR } },
	{ __NR_renameat, { K_DIRFD, K_PTR, K_DIRFD, K_PTR } },
	{ __NR_renameat2, { K_DIRFD, K_PTR, K_DIRFD, K_PTR, K_HEX } },
	{ __NR_link, { K_PTR, K_PTR } }, { __NR_symlink, { K_PTR, K_PTR } },
	{ __NR_linkat, { K_DIRFD, K_PTR, K_DIRFD, K_PTR, K_HEX } },
	{ __NR_symlinkat, { K_PTR, K_DIRFD, K_PTR } },
	{ __NR_truncate, { K_PTR, K_INT } },
	{ __NR_chmod, { K_PTR, K_MODE } }, { __NR_fchmodat, { K_DIRFD, K_PTR, K_MODE } },
	{ __NR_kill, { K_PID, K_SIG } }, { __NR_tkill, { K_PID, K_SIG } },
	{ __NR_tgkill, { K_PID, K_PID, K_SIG } },
	{ __NR_mmap, { K_PTR, K_INT, K_PROT, K_MAPF, K_FD, K_HEX } },
	{ __NR_mprotect, { K_PTR, K_INT, K_PROT } },
	{ __NR_memfd_create, { K_PTR, K_HEX } },
	{ __NR_read, { K_FD, K_PTR, K_INT } }, { __NR_write, { K_FD, K_PTR, K_INT } },
	{ __NR_close, { K_FD } }, { __NR_getpid, { 0 } }, { __NR_gettid, { 0 } },
	{ __NR_exit_group, { K_INT } }, { __NR_exit, { K_INT } },
};

struct flag { uint64_t bit; const char *name; };

static const struct flag oflags[] = {
	{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" },
	{ O_TRUNC, "O_TRUNC" }, { O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
	{ O_DSYNC, "O_DSYNC" }, { O_DIRECT, "O_DIRECT" }, { O_LARGEFILE, "O_LARGEFILE" },
	{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" }, { O_CLOEXEC, "O_CLOEXEC" },
	{ O_PATH, "O_PATH" }, { O_TMPFILE, "O_TMPFILE" }, { O_DIRECTORY, "O_DIRECTORY" },
	{ 0, NULL }
};

static const struct flag cflags[] = {
	{ CLONE_VM, "CLONE_VM" }, { CLONE_FS, "CLONE_FS" }, { CLONE_FILES, "CLONE_FILES" },
	{ CLONE_SIGHAND, "CLONE_SIGHAND" }, { CLONE_PIDFD, "CLONE_PIDFD" },
	{ CLONE_PTRACE, "CLONE_PTRACE" }, { CLONE_VFORK, "CLONE_VFORK" },
	{ CLONE_PARENT, "CLONE_PARENT" }, { CLONE_THREAD, "CLONE_THREAD" },
	{ CLONE_NEWNS, "CLONE_NEWNS" }, { CLONE_SYSVSEM, "CLONE_SYSVSEM" },
	{ CLONE_SETTLS, "CLONE_SETTLS" }, { CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID" },
	{ CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID" }, { CLONE_UNTRACED, "CLONE_UNTRACED" },
	{ CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID" }, { CLONE_NEWCGROUP, "CLONE_NEWCGROUP" },
	{ CLONE_NEWUTS, "CLONE_NEWUTS" }, { CLONE_NEWIPC, "CLONE_NEWIPC" },
	{ CLONE_NEWUSER, "CLONE_NEWUSER" }, { CLONE_NEWPID, "CLONE_NEWPID" },
	{ CLONE_NEWNET, "CLONE_NEWNET" }, { CLONE_IO, "CLONE_IO" },
	{ 0, NULL }
};

static const struct flag prot[] = {
	{ PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" }, { PROT_EXEC, "PROT_EXEC" },
	{ 0, NULL }
};

static const struct flag mapf[] = {
	{ MAP_SHARED, "MAP_SHARED" }, { MAP_PRIVATE, "MAP_PRIVATE" }, { MAP_FIXED, "MAP_FIXED" },
	{ MAP_ANONYMOUS, "MAP_ANONYMOUS" }, { MAP_DENYWRITE, "MAP_DENYWRITE" },
	{ MAP_NORESERVE, "MAP_NORESERVE" }, { MAP_STACK, "MAP_STACK" },
	{ MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE" }, { 0, NULL }
};

static const struct flag socktype[] = {
	{ SOCK_NONBLOCK, "SOCK_NONBLOCK" }, { SOCK_CLOEXEC, "SOCK_CLOEXEC" }, { 0, NULL }
};

static void flags(char *out, uint64_t v, const struct flag *f, const char *zero)
{
	size_t len = 0;

	out[0] = '\0';
	if (zero) {
		len = (size_t)snprintf(out, SV_DECODE_ARG_MAX, "%s", zero);
	}
	for (; f->name; f++) {
		/* O_TMPFILE and friends span several bits: all must be set. */
		if ((v & f->bit) != f->bit || f->bit == 0)
			continue;
		v &= ~f->bit;
		len += (size_t)snprintf(out + len, len < SV_DECODE_ARG_MAX ? SV_DECODE_ARG_MAX - len : 0,
					"%s%s", len ? "|" : "", f->name);
		if (len >= SV_DECODE_ARG_MAX)
			return;
	}
	if (v || len == 0)
		snprintf(out + len, SV_DECODE_ARG_MAX - len, "%s%#llx", len ? "|" : "",
			 (unsigned long long)v);
}

static const char *signame(int s)
{
	static const char *const n[] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
		[SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP",
		[SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU",
		[SIGWINCH] = "SIGWINCH",
	};
	if (s > 0 && s < (int)(sizeof(n) / sizeof(n[0])))
		return n[s];
	return NULL;
}

static void one(enum kind k, uint64_t v, char *out)
{
	int iv = (int)(uint32_t)v;	/* int arguments: the kernel uses the low half */
	const char *s;

	switch (k) {
	case K_INT:
	case K_PID:
	case K_FD:
		snprintf(out, SV_DECODE_ARG_MAX, "%d", iv);
		return;
	case K_DIRFD:
		if (iv == AT_FDCWD)
			snprintf(out, SV_DECODE_ARG_MAX, "AT_FDCWD");
		else
			snprintf(out, SV_DECODE_ARG_MAX, "%d", iv);
		return;
	case K_MODE:
		snprintf(out, SV_DECODE_ARG_MAX, "0%o", (unsigned)v & 07777);
		return;
	case K_OFLAGS: {
		const char *acc = (v & O_ACCMODE) == O_WRONLY ? "O_WRONLY" :
				  (v & O_ACCMODE) == O_RDWR ? "O_RDWR" : "O_RDONLY";
		flags(out, v & ~(uint64_t)O_ACCMODE, oflags, acc);
		return;
	}
	case K_CLONE:
		s = signame((int)(v & 0xff));
		flags(out, v & ~0xffULL, cflags, s);
		return;
	case K_PROT:
		if (v == 0)
			snprintf(out, SV_DECODE_ARG_MAX, "PROT_NONE");
		else
			flags(out, v, prot, NULL);
		return;
	case K_MAPF:
		flags(out, v, mapf, NULL);
		return;
	case K_AF:
		s = iv == AF_UNIX ? "AF_UNIX" : iv == AF_INET ? "AF_INET" : iv == AF_INET6 ? "AF_INET6" :
		    iv == AF_NETLINK ? "AF_NETLINK" : iv == AF_PACKET ? "AF_PACKET" : NULL;
		if (s)
			snprintf(out, SV_DECODE_ARG_MAX, "%s", s);
		else
			snprintf(out, SV_DECODE_ARG_MAX, "%d", iv);
		return;
	case K_SOCKTYPE:
		s = (iv & 0xf) == SOCK_STREAM ? "SOCK_STREAM" : (iv & 0xf) == SOCK_DGRAM ? "SOCK_DGRAM" :
		    (iv & 0xf) == SOCK_RAW ? "SOCK_RAW" : (iv & 0xf) == SOCK_SEQPACKET ? "SOCK_SEQPACKET" :
		    NULL;
		if (s)
			flags(out, (uint64_t)(iv & ~0xf), socktype, s);
		else
			snprintf(out, SV_DECODE_ARG_MAX, "%#x", (unsigned)iv);
		return;
	case K_SIG:
		s = signame(iv);
		if (s)
			snprintf(out, SV_DECODE_ARG_MAX, "%s", s);
		else
			snprintf(out, SV_DECODE_ARG_MAX, "%d", iv);
		return;
	case K_PTR:
		if (v == 0)
			snprintf(out, SV_DECODE_ARG_MAX, "NULL");
		else
			snprintf(out, SV_DECODE_ARG_MAX, "%#llx", (unsigned long long)v);
		return;
	case K_NONE:
	case K_HEX:
	default:
		snprintf(out, SV_DECODE_ARG_MAX, "%#llx", (unsigned long long)v);
		return;
	}
}

int sv_decode_args(int nr, const uint64_t args[6], char out[6][SV_DECODE_ARG_MAX])
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		int n = 0;

		if (table[i].nr != nr)
			continue;
		while (n < 6 && table[i].k[n] != K_NONE) {
			one((enum kind)table[i].k[n], args[n], out[n]);
			n++;
		}
		return n;
	}
	for (int n = 0; n < 6; n++)
		one(K_HEX, args[n], out[n]);
	return 6;
}
