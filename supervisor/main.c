// SPDX-License-Identifier: MIT
/*
 * main.c - sisup: set up, start the program, serve, report.
 *
 * Exit codes: the program's status; 128+N when it died of signal N; 125 when
 * sisup itself fails; 126/127 when the program cannot be executed / found.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "filter.h"
#include "launch.h"
#include "loop.h"
#include "netdefer.h"
#include "notify.h"
#include "prefault.h"
#include "setup.h"
#include "sigfwd.h"
#include "supervisor.h"
#include "tracer.h"

#ifndef SISUP_VERSION
#define SISUP_VERSION "0.1.0"
#endif


static int fatal(const char *what, int err)
{
	fprintf(stderr, "sisup: %s: %s\n", what, strerror(err));
	return EXIT_SISUP;
}

static int exit_code(const struct sv *sv)
{
	int st = sv->main_status;

	if (!sv->main_execd) {
		int e = sv->launch.hs ? sv->launch.hs->exec_errno : 0;

		if (e) {
			fprintf(stderr, "sisup: cannot execute '%s': %s\n", sv->opts->argv[0], strerror(e));
			return e == ENOENT || e == ENOTDIR ? 127 : 126;
		}
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return EXIT_SISUP;
}

int main(int argc, char **argv)
{
	struct sv_filter_opts fopts;
	struct sock_fprog prog = { 0 };
	struct pol_plan plan;
	struct sv_opts opts;
	struct sv sv;
	sigset_t fwd, orig;
	char err[512];
	int rc, code;

	if (sv_cli_parse(argc, argv, &opts, err, sizeof(err)) < 0) {
		fprintf(stderr, "sisup: %s\n", err);
		sv_cli_usage(opts.cmd, false);
		return EXIT_SISUP;
	}
	if (opts.help) {
		sv_cli_usage(opts.cmd, true);
		return 0;
	}
	if (opts.version) {
		printf("sisup %s\n", SISUP_VERSION);
		return 0;
	}

	sv_prefault_init();
	memset(&sv, 0, sizeof(sv));
	sv.opts = &opts;
	sv.self = getpid();
	sv.epfd = sv.sigfd = -1;
	sv.launch.listener = -1;

	if (opts.cmd == SV_CMD_CHECK)
		return sv_policy_check(&opts);
	rc = sv_policy_setup(&sv, &opts, &plan);
	if (rc) {
		sv_policy_release(&sv);
		return rc;
	}

	fopts.supervisor = sv.self;
	fopts.set = &opts.notify;
	fopts.plan = sv.policy ? &plan : NULL;
	rc = sv_filter_build(&fopts, &prog);
	if (rc < 0) {
		code = fatal("cannot build the seccomp filter", -rc);
		goto out_setup;
	}

	if (opts.cmd == SV_CMD_TRACE) {
		if (opts.output) {
			int fd = open(opts.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

			if (fd < 0 || !(sv.log = fdopen(fd, "w"))) {
				code = fatal(opts.output, errno);
				if (fd >= 0)
					close(fd);
				goto out_setup;
			}
		} else {
			int fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);

			if (fd < 0 || !(sv.log = fdopen(fd, "w"))) {
				code = fatal("stderr", errno);
				if (fd >= 0)
					close(fd);
				goto out_setup;
			}
		}
		setvbuf(sv.log, NULL, _IOFBF, 1 << 16);
	}

	if (opts.stacks || sv.policy) {
		sv.stack = malloc(sizeof(*sv.stack));
		if (!sv.stack) {
			code = fatal("start-up", ENOMEM);
			goto out_setup;
		}
		uw_stack_reset(sv.stack);
	}
	sv.tasks = sv_tasks_new();
	if (!sv.tasks) {
		code = fatal("start-up", ENOMEM);
		goto out_setup;
	}

	/* Block before the child exists so no SIGCHLD or forwarded signal is
	 * lost; the child restores @orig before it execs. */
	sv_sigfwd_set(&fwd);
	if (sigprocmask(SIG_BLOCK, &fwd, &orig) < 0) {
		code = fatal("sigprocmask", errno);
		goto out_setup;
	}
	/* Orphans of the tree are re-parented to us, so every zombie is ours to
	 * reap and no traced process outlives the loop unseen. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		code = fatal("PR_SET_CHILD_SUBREAPER", errno);
		goto out_setup;
	}

	sv.t0_ns = sv_now_ns();
	opts.legacy_kernel = getenv("SISUP_TEST_LEGACY_KERNEL") &&
			     strcmp(getenv("SISUP_TEST_LEGACY_KERNEL"), "1") == 0;
	rc = sv_launch_start(opts.argv, &prog, &orig, opts.legacy_kernel, &sv.launch, err,
			     sizeof(err));
	/* Kept: restart.c runs it to tell a notified call from one the kernel ran. */
	sv.filter = prog;
	prog.filter = NULL;
	prog.len = 0;
	if (rc < 0) {
		fprintf(stderr, "sisup: %s\n", err);
		code = EXIT_SISUP;
		goto out_setup;
	}

	/*
	 * From here on the program runs: sisup must not exit before the tree
	 * does. Any set-up failure below kills the tree explicitly.
	 *
	 * Non-dumpable only now: set before the fork the child would inherit it
	 * and could not be traced until its exec. It stops the sandbox (same
	 * uid) from ptrace-attaching to us, reading or writing our memory, and
	 * taking our descriptors (the listener) with pidfd_getfd.
	 */
	if (prctl(PR_SET_DUMPABLE, 0) < 0) {
		code = fatal("PR_SET_DUMPABLE", errno);
		goto kill_tree;
	}
	/* A closed trace pipe must not kill the supervisor. */
	signal(SIGPIPE, SIG_IGN);

	sv.sigfd = signalfd(-1, &fwd, SFD_NONBLOCK | SFD_CLOEXEC);
	sv.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sv.sigfd < 0 || sv.epfd < 0) {
		code = fatal("signalfd/epoll", errno);
		goto kill_tree;
	}
	rc = sv_notify_init(&sv);
	if (rc == 0)
		rc = sv_tracer_init(&sv);
	if (rc < 0) {
		code = fatal("start-up", -rc);
		goto kill_tree;
	}
	rc = sv_loop_run(&sv);
	if (rc < 0) {
		code = fatal("event loop", -rc);
		goto kill_tree;
	}
	code = exit_code(&sv);
#ifdef __SANITIZE_ADDRESS__
	/* Every traced task is gone. LeakSanitizer's exit-time scan attaches to
	 * us with ptrace from a helper process, which non-dumpable forbids to an
	 * unprivileged user; nothing of the sandbox is left to exploit that. */
	prctl(PR_SET_DUMPABLE, 1);
#endif
	goto out;

kill_tree:
	/* Failing closed: EXITKILL would do it on our exit; be explicit. */
	kill(sv.launch.pid, SIGKILL);
out:
	/* Workers of deferred socket calls are joined before anything they
	 * could report to goes away. */
	sv_net_shutdown(&sv);
	if (sv.log)
		fclose(sv.log);
	if (opts.stats)
		sv_stats_print(&sv.stats, stderr);
	if (sv_policy_finish(&sv) < 0 && code == 0)
		code = EXIT_SISUP;
	sv_notify_fini(&sv);
	sv_filter_free(&sv.filter);
	sv_launch_release(&sv.launch);
	sv_tasks_free(sv.tasks);
	free(sv.stack);
	if (sv.sigfd >= 0)
		close(sv.sigfd);
	if (sv.epfd >= 0)
		close(sv.epfd);
	return code;

out_setup:
	/* Failed before the program existed: free what set-up made, in
	 * reverse order, and write no report or learned policy. */
	sv_filter_free(&prog);
	sv_filter_free(&sv.filter);
	sv_tasks_free(sv.tasks);
	free(sv.stack);
	if (sv.log)
		fclose(sv.log);
	sv_policy_release(&sv);
	return code;
}
