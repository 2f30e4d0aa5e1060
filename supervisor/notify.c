// SPDX-License-Identifier: MIT
/*
 * notify.c - receive, decide, answer.
 */
#include "notify.h"
#include "restart.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "decide.h"
#include "pystack.h"
#include "evlog.h"
#include "kcompat.h"

int sv_notify_init(struct sv *sv)
{
	struct seccomp_notif_sizes sizes;
	__u64 flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;

	/* The kernel's structs may be larger than our headers' (new fields). */
	if (syscall(__NR_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return -errno;
	sv->req_size = sizes.seccomp_notif > sizeof(*sv->req) ? sizes.seccomp_notif : sizeof(*sv->req);
	sv->resp_size = sizes.seccomp_notif_resp > sizeof(*sv->resp) ? sizes.seccomp_notif_resp
								       : sizeof(*sv->resp);
	sv->req = calloc(1, sv->req_size);
	sv->resp = calloc(1, sv->resp_size);
	if (!sv->req || !sv->resp)
		return -ENOMEM;
	/* 6.6+: wake the supervisor on the notifying thread's CPU and back, so a
	 * round trip does not pay two cross-CPU wake-ups (~10x). Older kernels
	 * answer EINVAL or ENOTTY; we go on without it. */
	sv->sync_wakeup = !sv->opts->legacy_kernel &&
			  ioctl(sv->launch.listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags) == 0;
	sv->stats.sync_wakeup = sv->sync_wakeup;
	sv->stats.killable_wait = !!(sv->launch.filter_flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
	return 0;
}

void sv_notify_fini(struct sv *sv)
{
	free(sv->req);
	free(sv->resp);
	sv->req = NULL;
	sv->resp = NULL;
}

static int send_answer(struct sv *sv, const struct sv_answer *ans)
{
	struct seccomp_notif_resp *resp = sv->resp;

	memset(resp, 0, sv->resp_size);
	resp->id = sv->req->id;
	if (ans->verdict == SV_CONTINUE) {
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	} else if (ans->verdict == SV_RETURN) {
		resp->val = ans->val;
	} else {
		resp->error = -(ans->error ? ans->error : EPERM);
	}
	for (;;) {
		if (ioctl(sv->launch.listener, SECCOMP_IOCTL_NOTIF_SEND, resp) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		return -errno; /* ENOENT: the caller is gone (killed, or interrupted) */
	}
}

void sv_notify_unwind(struct sv *sv)
{
	struct seccomp_notif *req = sv->req;

	sv_pystack(sv, (pid_t)req->pid, sv->stack);
	sv->stats.unwinds++;
	sv->stats.unwind_reads += sv->stack->reads;
	if (sv->stack->reads > sv->stats.unwind_reads_max)
		sv->stats.unwind_reads_max = sv->stack->reads;
	/* What was read is only worth something if the caller is still
	 * blocked in this very notification (not killed and re-used). */
	if (ioctl(sv->launch.listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0) {
		sv->stack->status = UW_READ_FAILED;
		snprintf(sv->stack->reason, sizeof(sv->stack->reason),
			 "the caller left while its stack was read");
	}
}

int sv_notify_recv(struct sv *sv)
{
	memset(sv->req, 0, sv->req_size); /* RECV refuses a dirty buffer */
	if (ioctl(sv->launch.listener, SECCOMP_IOCTL_NOTIF_RECV, sv->req) < 0) {
		if (errno == ENOENT) {
			sv->stats.recv_enoent++;
			return -ENOENT;
		}
		return -errno;
	}
	return 0;
}

int sv_notify_handle(struct sv *sv)
{
	int rc = sv_notify_recv(sv);

	if (rc == 0)
		sv_notify_serve(sv);
	return rc;
}

void sv_notify_serve(struct sv *sv)
{
	struct seccomp_notif *req = sv->req;
	struct sv_answer ans;
	uint64_t t0;
	int rc;

	t0 = sv_now_ns();
	sv->stats.notifications++;

	/* With a policy, enforce.c reads the stack itself, only when the
	 * decision depends on it (not for baseline calls or own signals). */
	if (sv->stack && !sv->policy)
		sv_notify_unwind(sv);
	sv_decide(sv, req, &ans);
	if (ans.verdict == SV_KILL) {
		/* Kill first: the thread must not run another instruction, and a
		 * fatal signal also cuts a killable wait short. */
		const struct sv_task *t = sv_tasks_get(sv->tasks, (pid_t)req->pid);

		kill(t ? t->tgid : (pid_t)req->pid, SIGKILL);
	}
	if ((ans.verdict == SV_ERRNO && !ans.result) || ans.verdict == SV_KILL)
		sv->stats.denied++;
	/* Timed up to the answer: with synchronous wake-ups SEND hands the CPU
	 * to the woken task, and that time is the program's, not ours. */
	sv_stats_record(&sv->stats, req->data.nr, sv_now_ns() - t0);
	sv_restart_note(sv, req, ans.verdict == SV_CONTINUE);
	rc = ans.verdict == SV_ANSWERED ? 0 : send_answer(sv, &ans);
	if (rc == -ENOENT)
		sv->stats.abandoned++;

	if (sv->log) {
		const struct sv_task *t = sv_tasks_get(sv->tasks, (pid_t)req->pid);
		struct sv_event ev = {
			.time = (double)(t0 - sv->t0_ns) / 1e9,
			.pid = t ? t->tgid : 0,
			.tid = (pid_t)req->pid,
			.nr = req->data.nr,
			.answer = ans.verdict == SV_CONTINUE ? "continue" :
				  ans.verdict == SV_KILL ? "kill" :
				  ans.verdict == SV_ANSWERED || ans.verdict == SV_RETURN ? "emulated" : "errno",
			.error = ans.verdict == SV_CONTINUE || ans.verdict == SV_ANSWERED ||
					 ans.verdict == SV_RETURN
					 ? 0 : (ans.error ? ans.error : EPERM),
			.abandoned = rc == -ENOENT,
			.stack = sv->stack,
		};
		memcpy(ev.args, req->data.args, sizeof(ev.args));
		sv_evlog_write(sv->log, sv->opts->json, &ev);
	}
}
