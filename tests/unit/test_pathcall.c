// SPDX-License-Identifier: MIT
/*
 * Unit tests: path canonicalisation (sv_path_resolve) against a real child
 * process and a real file tree, and sv_path_prepare/perform end to end on
 * real seccomp notifications from a child with its own listener.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "pathcall.h"
#include "remote.h"

static char T[PATH_MAX];	/* the tree, canonical */
static pid_t child;
static int go[2];

static void mk(const char *rel, int dir)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", T, rel);
	if (dir)
		assert_int_equal(mkdir(p, 0755), 0);
	else
		close(open(p, O_CREAT | O_WRONLY, 0644));
}

static void ln(const char *target, const char *rel)
{
	char p[PATH_MAX + 64];

	snprintf(p, sizeof(p), "%s/%s", T, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
	char tmpl[] = "/tmp/pathcall.XXXXXX", p[PATH_MAX + 64];
	int ready[2];

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, T));
	mk("a", 1);
	mk("a/b", 1);
	mk("a/b/file", 0);
	ln("..", "a/up");
	ln("/etc", "out");
	ln("nonexistent", "dang");
	ln("loop2", "loop1");
	ln("loop1", "loop2");
	/* c0 -> c1 -> ... -> c40 -> a: 41 links from c0, 40 from c1 */
	for (int i = 0; i <= 40; i++) {
		char t[16], n[16];

		snprintf(n, sizeof(n), "c%d", i);
		if (i == 40)
			snprintf(t, sizeof(t), "a");
		else
			snprintf(t, sizeof(t), "c%d", i + 1);
		ln(t, n);
	}
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		int pp[2];
		char c;

		close(go[1]);
		if (chdir(T) < 0 || pipe(pp) < 0)
			_exit(1);
		snprintf(p, sizeof(p), "%s/a/b", T);
		dup2(open(p, O_PATH | O_DIRECTORY), 10);
		dup2(pp[0], 11);
		snprintf(p, sizeof(p), "%s/a/b/file", T);
		dup2(open(p, O_RDONLY), 12);
		(void)!write(ready[1], "r", 1);
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	{
		char c;

		assert_int_equal(read(ready[0], &c, 1), 1);
	}
	close(ready[0]);
	close(ready[1]);
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	close(go[1]);
	waitpid(child, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", T);
	return system(cmd) == 0 ? 0 : -1;
}

struct rcase {
	int dirfd;
	const char *path;
	bool follow;
	int err;		/* expected -errno, or 0 */
	const char *want;	/* "%T" = the tree, "%P" = the child's pid */
};

static void expand(const char *w, char *out, size_t len)
{
	size_t o = 0;

	for (; *w && o + 1 < len; w++) {
		if (w[0] == '%' && (w[1] == 'T' || w[1] == 'P')) {
			if (w[1] == 'T')
				o += (size_t)snprintf(out + o, len - o, "%s", T);
			else
				o += (size_t)snprintf(out + o, len - o, "%d", (int)child);
			w++;
		} else {
			out[o++] = *w;
		}
	}
	out[o] = '\0';
}

static void resolve_table(void **state)
{
	static const struct rcase cases[] = {
		{ AT_FDCWD, "a/b/file", true, 0, "%T/a/b/file" },
		{ AT_FDCWD, "a/../a/./b//file", true, 0, "%T/a/b/file" },
		{ AT_FDCWD, "a/up/a/b/file", true, 0, "%T/a/b/file" },
		{ AT_FDCWD, "out/passwd", true, 0, "/etc/passwd" },
		{ AT_FDCWD, "out", false, 0, "%T/out" },
		{ AT_FDCWD, "out", true, 0, "/etc" },
		{ AT_FDCWD, "../../../../../../../..", true, 0, "/" },
		{ AT_FDCWD, "dang", true, 0, "%T/nonexistent" },
		{ AT_FDCWD, "dang", false, 0, "%T/dang" },
		{ AT_FDCWD, "dang/x", true, -ENOENT, NULL },
		{ AT_FDCWD, "missing/x", true, -ENOENT, NULL },
		{ AT_FDCWD, "missing", true, 0, "%T/missing" },
		{ AT_FDCWD, "loop1", true, -ELOOP, NULL },
		{ AT_FDCWD, "loop1", false, 0, "%T/loop1" },
		{ AT_FDCWD, "loop1/x", false, -ELOOP, NULL },
		{ AT_FDCWD, "c0", true, -ELOOP, NULL },
		{ AT_FDCWD, "c1", true, 0, "%T/a" },
		{ AT_FDCWD, "a/b/file/x", true, -ENOTDIR, NULL },
		{ AT_FDCWD, "a/b/file/..", true, -ENOTDIR, NULL },
		{ 10, "file", true, 0, "%T/a/b/file" },
		{ 10, "../..", true, 0, "%T" },
		{ 10, "/etc/hostname", true, 0, "/etc/hostname" },
		{ 99, "x", true, -EBADF, NULL },
		{ 99, "/etc", true, 0, "/etc" },
		{ 12, "x", true, -ENOTDIR, NULL },
		{ AT_FDCWD, "", true, -ENOENT, NULL },
		{ AT_FDCWD, "/proc/self/root", true, 0, "/" },
		{ AT_FDCWD, "/proc/self/cwd/a", true, 0, "%T/a" },
		{ AT_FDCWD, "/proc/thread-self/cwd", true, 0, "%T" },
		{ AT_FDCWD, "/proc/self/fd/10/file", true, 0, "%T/a/b/file" },
		{ AT_FDCWD, "/proc/self/fd/12", true, 0, "%T/a/b/file" },
		{ AT_FDCWD, "/proc/self/fd/11", true, -ENOENT, NULL },
		{ AT_FDCWD, "/proc/self/fd/11", false, 0, "/proc/%P/fd/11" },
		{ AT_FDCWD, "/proc/self/status", true, 0, "/proc/%P/status" },
		{ AT_FDCWD, "/proc/mounts", true, 0, "/proc/%P/mounts" },
		{ AT_FDCWD, "/proc/1/status", true, -EACCES, NULL },
		{ AT_FDCWD, "/proc/self/../1/root", true, -EACCES, NULL },
	};
	char out[SV_PATH_MAX], want[SV_PATH_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rcase *c = &cases[i];
		int rc = sv_path_resolve(child, c->dirfd, c->path, c->follow, out, sizeof(out));

		if (c->want)
			expand(c->want, want, sizeof(want));
		if (rc != c->err || (c->want && strcmp(out, want)))
			fail_msg("case %zu \"%s\": rc %d (want %d) out \"%s\"", i, c->path, rc, c->err,
				 rc == 0 ? out : "");
	}
}

static void resolve_lengths(void **state)
{
	static char p[SV_PATH_MAX + 8];
	char out[SV_PATH_MAX];

	(void)state;
	memset(p, 'x', 256);
	p[256] = '\0';
	assert_int_equal(sv_path_resolve(child, AT_FDCWD, p, true, out, sizeof(out)), -ENAMETOOLONG);
	p[255] = '\0'; /* NAME_MAX itself is fine (missing, last) */
	assert_int_equal(sv_path_resolve(child, AT_FDCWD, p, true, out, sizeof(out)), 0);
	for (size_t i = 0; i < SV_PATH_MAX; i += 2)
		memcpy(p + i, "./", 2);
	p[SV_PATH_MAX] = '\0';
	assert_int_equal(sv_path_resolve(child, AT_FDCWD, p, true, out, sizeof(out)), -ENAMETOOLONG);
	p[SV_PATH_MAX - 2] = '\0';
	assert_int_equal(sv_path_resolve(child, AT_FDCWD, p, true, out, sizeof(out)), 0);
	assert_string_equal(out, T);
	assert_int_equal(sv_path_resolve(child, AT_FDCWD, "a", true, out, 4), -ENAMETOOLONG);
}

/* ---- end to end on real notifications ---------------------------------- */

struct res {
	long rc;
	int err;
};

/* The calls the child makes, in its own directory, umask 027. */
#define E2E_CALLS(X)                                                                           \
	X(syscall(SYS_openat, AT_FDCWD, "new", O_CREAT | O_WRONLY | O_CLOEXEC, 0666))          \
	X(syscall(SYS_openat, AT_FDCWD, "new2", O_CREAT | O_WRONLY, 0666))                     \
	X(syscall(SYS_openat, AT_FDCWD, "new", O_CREAT | O_EXCL | O_WRONLY, 0666))             \
	X(syscall(SYS_mkdirat, AT_FDCWD, "d", 0777))                                           \
	X(syscall(SYS_symlinkat, "new", AT_FDCWD, "lnk"))                                      \
	X(syscall(SYS_openat, AT_FDCWD, "lnk", O_RDONLY | O_NOFOLLOW))                         \
	X(syscall(SYS_openat, AT_FDCWD, "lnk", O_CREAT | O_EXCL | O_WRONLY, 0600))            \
	X(syscall(SYS_openat, AT_FDCWD, "lnk/", O_RDONLY))                                     \
	X(syscall(SYS_unlinkat, AT_FDCWD, "d", AT_REMOVEDIR))                                  \
	X(syscall(SYS_unlinkat, AT_FDCWD, "d", AT_REMOVEDIR))                                  \
	X(syscall(SYS_renameat2, AT_FDCWD, "new2", AT_FDCWD, "new3", 1 /* NOREPLACE */))       \
	X(syscall(SYS_renameat2, AT_FDCWD, "new3", AT_FDCWD, "new", 1))                        \
	X(syscall(SYS_openat, AT_FDCWD, "nodir/x", O_RDONLY))                                  \
	X(syscall(SYS_fchmodat, AT_FDCWD, "lnk", 0604))                                        \
	X(syscall(SYS_unlinkat, AT_FDCWD, "new3", 0))                                          \
	X(syscall(SYS_mkdirat, AT_FDCWD, "new/", 0777))                                        \
	X(syscall(SYS_openat, AT_FDCWD, "/proc/self/cwd/new", O_RDONLY))                          \
	X(syscall(SYS_linkat, AT_FDCWD, "lnk", AT_FDCWD, "hard", AT_SYMLINK_FOLLOW))           \
	X(syscall(SYS_openat, AT_FDCWD, ".", O_TMPFILE | O_WRONLY, 0666))

static void run_calls(int out)
{
	struct res r;

#define DO(call)                                                                               \
	do {                                                                                   \
		errno = 0;                                                                     \
		r.rc = (call);                                                                 \
		r.err = r.rc < 0 ? errno : 0;                                                  \
		(void)!write(out, &r, sizeof(r));                                              \
	} while (0);
	E2E_CALLS(DO)
#undef DO
}

enum { NCALLS = 19 };

/* A child in @dir: installs a listener for the calls above (or none),
 * tells @sync its number, waits for a byte, runs them, reports each. */
static pid_t start(const char *dir, bool filtered, int sync[2], int results[2], int gopipe[2])
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid)
		return pid;
	{
		static const int nrs[] = { SYS_openat, SYS_mkdirat, SYS_unlinkat, SYS_renameat2,
					   SYS_symlinkat, SYS_fchmodat, SYS_linkat };
		struct sock_filter f[32];
		unsigned n = 0;
		int lfd = -1;
		char c;

		umask(027);
		if (chdir(dir) < 0)
			_exit(1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						      offsetof(struct seccomp_data, nr));
		for (unsigned i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
			f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
							      (unsigned)nrs[i], 0, 1),
			f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
							      SECCOMP_RET_USER_NOTIF);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		if (filtered) {
			struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };

			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
				_exit(2);
			lfd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
					   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
			if (lfd < 0)
				_exit(3);
		}
		(void)!write(sync[1], &lfd, sizeof(lfd));
		(void)!read(gopipe[0], &c, 1);
		run_calls(results[1]);
		_exit(0);
	}
}

static void mode_is(const char *dir, const char *name, mode_t want)
{
	char p[2 * PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(lstat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, want);
}

/* Run the calls bare and under sisup's emulation; same results, modes,
 * and O_CLOEXEC where asked. */
static void end_to_end(void **state)
{
	struct res bare[NCALLS], emu[NCALLS];
	char d1[PATH_MAX + 8], d2[PATH_MAX + 8];
	int sync[2], results[2], gp[2], lfd, pidfd, listener;
	pid_t pid;
	struct sv sv;
	struct uw_mem *mem;

	(void)state;
	snprintf(d1, sizeof(d1), "%s/bare", T);
	snprintf(d2, sizeof(d2), "%s/emu", T);
	assert_int_equal(mkdir(d1, 0755), 0);
	assert_int_equal(mkdir(d2, 0755), 0);

	/* bare */
	assert_int_equal(pipe(sync), 0);
	assert_int_equal(pipe(results), 0);
	assert_int_equal(pipe(gp), 0);
	pid = start(d1, false, sync, results, gp);
	assert_int_equal(read(sync[0], &lfd, sizeof(lfd)), sizeof(lfd));
	assert_int_equal(write(gp[1], "g", 1), 1);
	for (int i = 0; i < NCALLS; i++)
		assert_int_equal(read(results[0], &bare[i], sizeof(bare[i])), sizeof(bare[i]));
	waitpid(pid, NULL, 0);

	/* emulated */
	pid = start(d2, true, sync, results, gp);
	assert_int_equal(read(sync[0], &lfd, sizeof(lfd)), sizeof(lfd));
	assert_true(lfd >= 0);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	assert_true(pidfd >= 0);
	listener = (int)syscall(SYS_pidfd_getfd, pidfd, lfd, 0);
	assert_true(listener >= 0);
	memset(&sv, 0, sizeof(sv));
	sv.launch.listener = listener;
	sv.euid_root = geteuid() == 0;
	mem = uw_mem_new(pid);
	assert_non_null(mem);
	assert_int_equal(write(gp[1], "g", 1), 1);
	for (int i = 0; i < NCALLS; i++) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;
		struct sv_pathcall *pc = malloc(sizeof(*pc));
		struct sv_answer ans;
		int rc;

		assert_non_null(pc);
		memset(&req, 0, sizeof(req));
		assert_int_equal(ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req), 0);
		rc = sv_path_prepare(&sv, &req, mem, pc);
		if (rc == 0) {
			sv_path_perform(&sv, &req, pc, &ans);
		} else {
			assert_int_not_equal(rc, -EOPNOTSUPP);
			ans = (struct sv_answer){ .verdict = SV_ERRNO, .error = -rc };
		}
		sv_path_release(pc);
		free(pc);
		if (ans.verdict != SV_ANSWERED) {
			memset(&resp, 0, sizeof(resp));
			resp.id = req.id;
			resp.error = ans.verdict == SV_ERRNO ? -ans.error : 0;
			resp.val = ans.verdict == SV_RETURN ? ans.val : 0;
			assert_int_equal(ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
		}
		assert_int_equal(read(results[0], &emu[i], sizeof(emu[i])), sizeof(emu[i]));
		/* descriptors: the listener shifts the emulated child's numbers */
		if ((emu[i].rc < 0) != (bare[i].rc < 0) || emu[i].err != bare[i].err ||
		    (bare[i].rc <= 0 && emu[i].rc != bare[i].rc))
			fail_msg("call %d: emulated %ld/%s, bare %ld/%s", i, emu[i].rc,
				 strerror(emu[i].err), bare[i].rc, strerror(bare[i].err));
		if (i == 0 || i == 1) { /* O_CLOEXEC became the injected fd's flag */
			char p[64], buf[256];
			FILE *f;
			unsigned long fl = 0;

			snprintf(p, sizeof(p), "/proc/%d/fdinfo/%ld", (int)pid, emu[i].rc);
			f = fopen(p, "r");
			assert_non_null(f);
			while (fgets(buf, sizeof(buf), f))
				sscanf(buf, "flags: %lo", &fl);
			fclose(f);
			assert_int_equal(!!(fl & O_CLOEXEC), i == 0);
		}
	}
	waitpid(pid, NULL, 0);
	uw_mem_free(mem);
	close(listener);
	close(pidfd);
	/* umask 027 was the caller's, not ours */
	mode_is(d1, "new", 0604);
	mode_is(d2, "new", 0604);
	mode_is(d2, "hard", 0604);
	mode_is(d2, "lnk", 0777);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(resolve_table),
		cmocka_unit_test(resolve_lengths),
		cmocka_unit_test(end_to_end),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
