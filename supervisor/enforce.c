// SPDX-License-Identifier: MIT
/*
 * enforce.c - policy decisions on notifications.
 *
 * Inputs a verdict may rest on: the syscall number and registers (fixed once
 * the call is made), the caller's Python stack (forgeable only by code that
 * writes process memory: the documented limit), the task record (inherited
 * principals) and, for the import grant, sisup's own copy of the path, which
 * sisup then opens itself. Pointer arguments are read for messages only.
 */
#include "enforce.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "denial.h"
#include "dns.h"
#include "emulate.h"
#include "grants.h"
#include "netcall.h"
#include "notify.h"
#include "pathcall.h"
#include "principals.h"
#include "pystack.h"
#include "remotefd.h"
#include "remote.h"
#include "target.h"

/* A signal to the caller's own process is baseline. Decided on registers. */
static bool own_process_signal(struct sv *sv, const struct seccomp_notif *req)
{
	const struct sv_task *t = sv_tasks_get(sv->tasks, (pid_t)req->pid);
	const struct sv_task *target;
	pid_t a0 = (pid_t)(uint32_t)req->data.args[0];

	if (!t)
		return false;
	switch (req->data.nr) {
	case __NR_kill:
	case __NR_rt_sigqueueinfo:
	case __NR_tgkill:
	case __NR_rt_tgsigqueueinfo:
	case __NR_prlimit64:
		return a0 == t->tgid;
	case __NR_tkill:
		target = sv_tasks_get(sv->tasks, a0);
		return target && target->tgid == t->tgid;
	default:
		return false;
	}
}

/* The socket's family, from a duplicate of the caller's descriptor (for
 * charging net-unix vs net-connect in reports; never for an allow). */
static int sock_family(pid_t tid, int fd)
{
	int dup = sv_remote_fd(tid, fd), dom = -1;
	socklen_t l = sizeof(dom);

	if (dup < 0)
		return -1;
	if (getsockopt(dup, SOL_SOCKET, SO_DOMAIN, &dom, &l) < 0)
		dom = -1;
	close(dup);
	return dom;
}

/* The capability an audit charges for a call: the one a policy author
 * would grant. Negative: a raw syscall. */
static int charge_cap(const struct pol_request *rq, const struct seccomp_notif *req)
{
	int fam;

	if (rq->in_resolver)
		return POL_CAP_DNS;
	if (rq->library)
		return POL_CAP_NATIVE_CODE;
	switch (rq->cls) {
	case POL_C_CONNECT:
	case POL_C_LISTEN:
	case POL_C_SEND:
		fam = sock_family((pid_t)req->pid, (int)(uint32_t)req->data.args[0]);
		if (fam == AF_UNIX)
			return POL_CAP_NET_UNIX;
		return rq->cls == POL_C_LISTEN ? POL_CAP_NET_LISTEN : POL_CAP_NET_CONNECT;
	case POL_C_SOCKET_NET:
		return POL_CAP_NET_CONNECT;
	case POL_C_NEVER:
		return -1;
	default:
		for (int c = 0; c < POL_CAP_COUNT; c++)
			if (pol_class_get(rq->cls)->need & POL_CAP(c))
				return c;
		return -1;
	}
}

static enum pol_pkg_kind pkg_kind(const struct sv *sv, const struct pol_principal *pr)
{
	(void)sv;
	return pr->entry == POL_ENTRY_DEFAULT ? POL_PKG_THIRD_PARTY : POL_PKG_APP;
}

/* Where open/openat keep their path, flags and dirfd. */
static void open_args(const struct seccomp_notif *req, uint64_t *path, int *flags, int *dirfd)
{
	if (req->data.nr == __NR_open) {
		*path = req->data.args[0];
		*flags = (int)req->data.args[1];
		*dirfd = AT_FDCWD;
	} else {
		*path = req->data.args[1];
		*flags = (int)req->data.args[2];
		*dirfd = (int)req->data.args[0];
	}
}

/* The object an argument rule was asked about, for messages. */
static const char *object_text(const struct pol_object *o, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	size_t k;

	buf[0] = '\0';
	switch (o->kind) {
	case POL_OBJ_PATH:
		snprintf(buf, len, "%s", o->path);
		break;
	case POL_OBJ_INET:
		if (o->sa->sa_family == AF_INET) {
			const struct sockaddr_in *a = (const struct sockaddr_in *)o->sa;

			inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
			snprintf(buf, len, "%s:%u", ip, ntohs(a->sin_port));
		} else {
			const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)o->sa;

			inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
			snprintf(buf, len, "[%s]:%u", ip, ntohs(a->sin6_port));
		}
		break;
	case POL_OBJ_UNIX:
		if (!o->abstract) {
			snprintf(buf, len, "%s", o->path);
			break;
		}
		/* Abstract names are bytes: anything unprintable escaped. */
		k = (size_t)snprintf(buf, len, "@");
		for (size_t i = 0; i < o->namelen && k + 5 < len; i++) {
			unsigned char c = o->name[i];

			k += (size_t)snprintf(buf + k, len - k, c > 0x20 && c < 0x7f && c != '\\' ? "%c"
										      : "\\x%02x", c);
		}
		break;
	default:
		break;
	}
	return buf;
}

/*
 * Host names in address rules, resolved again (when older than
 * POL_ARGS_TTL) before a denial they might have prevented: only the
 * principals' own entries. Blocking: sisup waits for the resolver, which
 * only a call about to be denied pays for.
 * Return: true when some address changed.
 */
static bool refresh_hosts(struct pol_policy *p, const struct pol_principals *pr)
{
	time_t now = time(NULL);
	bool changed = false;

	for (unsigned i = 0; i < pr->n; i++) {
		int e = pr->p[i].entry;

		if (e >= 0 && (size_t)e < p->nmodules)
			changed |= pol_args_refresh(p->modules[e].allow.args, now);
		else if (e == POL_ENTRY_DEFAULT)
			changed |= pol_args_refresh(p->def.args, now);
	}
	return changed;
}

/*
 * Argument rules for socket calls: decide on sisup's copy of every address
 * the call names and, when each is covered, make the call on a duplicate
 * of the program's socket with that copy. socket(), listen() and accept()
 * name no address: an argument rule lets them through (the address is
 * checked at connect, bind or send).
 * Return: true when @ans is final; false with @v (and @obj_text) saying
 * what was not covered.
 */
static bool net_by_argument(struct sv *sv, const struct seccomp_notif *req, struct uw_mem *mem,
			    const struct sv_caller *caller, struct pol_request *rq,
			    struct pol_verdict *v, struct sv_answer *ans, char *obj_text, size_t len,
			    struct pol_object *seen)
{
	static const struct pol_object deferred = { .kind = POL_OBJ_DEFERRED };
	struct sv_netcall nc;
	struct pol_verdict pv;
	int r;

	switch (rq->nr) {
	case __NR_socket:
	case __NR_listen:
	case __NR_accept:
	case __NR_accept4:
		rq->obj = &deferred;
		pol_decide(sv->policy, &caller->pr, rq, &pv);
		rq->obj = NULL;
		if (pv.action != POL_ALLOW)
			return false;
		*v = pv;
		return true; /* decided on registers: CONTINUE */
	case __NR_connect:
	case __NR_bind:
	case __NR_sendto:
	case __NR_sendmsg:
	case __NR_sendmmsg:
		break;
	default:
		return false;
	}
	r = sv_net_prepare(sv, req, mem, &nc);
	if (r < 0) {
		sv_net_release(&nc);
		if (r == -EPERM)
			return false; /* sisup cannot act for it: the verdict stands */
		/* The call's own failure (a bad pointer, not a socket):
		 * nothing was reached, and the kernel would say the same. */
		ans->verdict = SV_ERRNO;
		ans->error = -r;
		ans->result = true;
		return true;
	}
	for (unsigned i = 0; i < nc.naddr; i++) {
		/* No address: a send on a connected socket, whose peer was
		 * checked when it was connected (or given by trusted code). */
		rq->obj = nc.addr[i].has_addr ? &nc.addr[i].obj : &deferred;
		pol_decide(sv->policy, &caller->pr, rq, &pv);
		if (pv.action != POL_ALLOW && rq->obj->kind == POL_OBJ_INET &&
		    refresh_hosts(sv->policy, &caller->pr))
			pol_decide(sv->policy, &caller->pr, rq, &pv);
		if (pv.action != POL_ALLOW) {
			if (rq->obj->kind != POL_OBJ_NONE && rq->obj->kind != POL_OBJ_DEFERRED)
				object_text(rq->obj, obj_text, len);
			/* The kind outlives the copy: messages name net-unix
			 * or net-listen from it. */
			seen->kind = rq->obj->kind;
			rq->obj = NULL;
			*v = pv;
			sv_net_release(&nc);
			return false;
		}
		rq->obj = NULL;
	}
	sv_net_perform(sv, req, &nc, ans);
	sv_net_release(&nc);
	return true;
}

/* Is @path (canonical) a process's memory file, /proc/PID/mem or
 * /proc/PID/task/TID/mem? Writing one rewrites that process's frames. */
static bool mem_file(const char *path)
{
	const char *p = path + 6;

	if (strncmp(path, "/proc/", 6) != 0 || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (strncmp(p, "/task/", 6) == 0) {
		p += 6;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return strcmp(p, "/mem") == 0;
}

/*
 * Writing process memory is native code's power (it can forge the frames
 * attribution reads), also through /proc/PID/mem, which is "only" an open
 * for writing. When one of @pc's canonical paths is such a file, the call
 * needs native-code like an executable mapping.
 * Return: true (with @v, @rq->cls and @obj_text set for the denial) when a
 * principal lacks it.
 */
static bool mem_write_denied(struct sv *sv, const struct sv_caller *caller, struct pol_request *rq,
			     const struct sv_pathcall *pc, struct pol_verdict *v, char *obj_text,
			     size_t len)
{
	struct pol_request nrq = *rq;
	struct pol_verdict nv;

	for (unsigned i = 0; i < pc->npaths && i < 2; i++) {
		if (!mem_file(pc->path[i]))
			continue;
		nrq.cls = POL_C_EXEC_MAP;
		nrq.obj = NULL;
		pol_decide(sv->policy, &caller->pr, &nrq, &nv);
		if (nv.action == POL_ALLOW)
			return false;
		*v = nv;
		rq->cls = POL_C_EXEC_MAP;
		snprintf(obj_text, len, "%s", pc->path[i]);
		return true;
	}
	return false;
}

/*
 * An open for writing allowed to confined principals by a bare fs-write:
 * unless they all hold native-code too, sisup performs it on the canonical
 * path, so that /proc/self/mem cannot hide behind a path rewritten after a
 * look (see mem_write_denied).
 * Return: 1 when @ans is final, 0 when the call may go ahead untouched,
 * -1 when it is denied (@v says why).
 */
static int mem_guard(struct sv *sv, const struct seccomp_notif *req, struct uw_mem *mem,
		     const struct sv_caller *caller, struct pol_request *rq, struct pol_verdict *v,
		     struct sv_answer *ans, char *obj_text, size_t len)
{
	struct sv_pathcall *pc = sv->pathcall;
	struct pol_request nrq = *rq;
	struct pol_verdict nv;
	int r;

	nrq.cls = POL_C_EXEC_MAP;
	pol_decide(sv->policy, &caller->pr, &nrq, &nv);
	if (nv.action == POL_ALLOW)
		return 0;
	if (!pc) {
		*v = nv;
		rq->cls = POL_C_EXEC_MAP;
		return -1;
	}
	r = sv_path_prepare(sv, req, mem, pc);
	if (r < 0) {
		sv_path_release(pc);
		if (r == -EOPNOTSUPP) {
			/* cannot be performed exactly: not checked, not allowed */
			*v = nv;
			rq->cls = POL_C_EXEC_MAP;
			return -1;
		}
		sv_answer_result(ans, r);
		return 1;
	}
	if (mem_write_denied(sv, caller, rq, pc, v, obj_text, len)) {
		sv_path_release(pc);
		return -1;
	}
	sv_path_perform(sv, req, pc, ans);
	sv_path_release(pc);
	return 1;
}

/*
 * Argument rules for file calls: decide on sisup's canonical copy of every
 * path the call names (both of a rename or link) and, when each is
 * covered, perform the call on exactly those paths.
 * Return: true when @ans is final; false with @v (and @obj_text) saying
 * what was not covered.
 */
static bool path_by_argument(struct sv *sv, const struct seccomp_notif *req, struct uw_mem *mem,
			     const struct sv_caller *caller, struct pol_request *rq,
			     struct pol_verdict *v, struct sv_answer *ans, char *obj_text, size_t len)
{
	struct sv_pathcall *pc = sv->pathcall;
	struct pol_verdict pv;
	int r;

	if (!pc)
		return false;
	r = sv_path_prepare(sv, req, mem, pc);
	if (r < 0) {
		sv_path_release(pc);
		if (r == -EOPNOTSUPP)
			return false; /* cannot be performed exactly: the verdict stands */
		/* The call's own failure on the way to the object (a missing
		 * directory, a loop, a bad pointer): the kernel would say the
		 * same, and nothing was reached. The stat family tells as much. */
		ans->verdict = SV_ERRNO;
		ans->error = -r;
		ans->result = true;
		return true;
	}
	for (unsigned i = 0; i < pc->npaths && i < 2; i++) {
		struct pol_object o = { .kind = POL_OBJ_PATH, .path = pc->path[i] };

		rq->obj = &o;
		pol_decide(sv->policy, &caller->pr, rq, &pv);
		rq->obj = NULL;
		if (pv.action != POL_ALLOW) {
			snprintf(obj_text, len, "%s", pc->path[i]);
			*v = pv;
			sv_path_release(pc);
			return false;
		}
	}
	if (mem_write_denied(sv, caller, rq, pc, v, obj_text, len)) {
		sv_path_release(pc);
		return false;
	}
	sv_path_perform(sv, req, pc, ans);
	sv_path_release(pc);
	return true;
}

static void exec_check_clear(struct sv *sv, pid_t tid)
{
	struct sv_task *t = sv_tasks_get(sv->tasks, tid);

	if (t) {
		free(t->exec_check);
		t->exec_check = NULL;
	}
}

/* Remember who must accept the program at @tid's exec event. */
static int exec_check_set(struct sv *sv, pid_t tid, const struct pol_principals *pr)
{
	struct sv_task *t = sv_tasks_get(sv->tasks, tid);

	if (!t)
		return -ESRCH;
	free(t->exec_check);
	t->exec_check = malloc(sizeof(*t->exec_check));
	if (!t->exec_check)
		return -ENOMEM;
	*t->exec_check = *pr;
	return 0;
}

bool sv_policy_exec_event(struct sv *sv, pid_t tid, const struct pol_principals *chk,
			  const char *exe)
{
	struct pol_object obj = { .kind = POL_OBJ_PATH, .path = exe };
	struct pol_request rq = { .cls = POL_C_EXEC, .nr = __NR_execve, .own_python = true };
	struct seccomp_notif req = { .pid = (__u32)tid, .data.nr = __NR_execve };
	struct sv_caller caller = { .pr = *chk, .own_python = true };
	struct pol_verdict v;
	char target[PATH_MAX + 16];

	rq.obj = exe && exe[0] == '/' ? &obj : NULL;
	pol_decide(sv->policy, chk, &rq, &v);
	if (v.action == POL_ALLOW)
		return true;
	/* The execve has succeeded: there is no errno to return any more.
	 * log-only entries let it run; deny and kill both end the process. */
	if (v.action == POL_DENY)
		v.action = POL_KILL;
	snprintf(target, sizeof(target), "exec %s", exe ? exe : "(unknown program)");
	{
		struct sv_decision d = {
			.req = &req, .stack = NULL, .caller = &caller, .rq = &rq, .v = &v,
			.target = target, .object = exe,
			.why = exe ? NULL : "the program the kernel loaded could not be read",
		};

		sv_decision_report(sv, &d);
	}
	return v.action == POL_LOG;
}

void sv_policy_decide(struct sv *sv, const struct seccomp_notif *req, struct sv_answer *ans)
{
	const struct pol_policy *p = sv->policy;
	struct uw_stack *s = sv->stack;
	struct pol_request rq = { 0 };
	struct pol_verdict v;
	struct sv_caller caller;
	char path[4096], target[512], object[256], objtext[PATH_MAX + 16] = "";
	struct pol_object seen = { .kind = POL_OBJ_NONE };	/* kind of the argument denied */
	bool emulate = false, have_path = false;
	uint64_t paddr = 0;
	int flags = 0, dirfd = AT_FDCWD;
	pid_t tid = (pid_t)req->pid;
	uint64_t args[6];

	for (int i = 0; i < 6; i++)
		args[i] = req->data.args[i];
	ans->verdict = SV_CONTINUE;
	ans->error = 0;
	ans->result = false;
	rq.nr = req->data.nr;
	rq.cls = pol_classify(rq.nr, args, NULL);
	if (rq.cls == POL_C_BASELINE)
		return;
	if (rq.cls == POL_C_SIGNAL && own_process_signal(sv, req))
		return;

	if (rq.cls == POL_C_EXEC)
		exec_check_clear(sv, tid);

	sv_notify_unwind(sv);
	sv_principals(sv, tid, s, &caller);
	rq.own_python = caller.own_python;
	if (!sv->enforcing)
		for (unsigned i = 0; i < caller.pr.n; i++)
			pol_usage_seen(sv->usage, caller.pr.p[i].name, pkg_kind(sv, &caller.pr.p[i]));
	pol_decide(p, &caller.pr, &rq, &v);

	/* Grants that depend on more than registers, only when they change
	 * the answer: the import grant and dns. Both rest on sisup's own copy
	 * of the argument and sisup then performs the call itself. */
	if (v.action != POL_ALLOW) {
		struct uw_mem *mem = sv_pystack_mem(sv, tid);

		switch (rq.cls) {
		case POL_C_OPEN_READ:
			open_args(req, &paddr, &flags, &dirfd);
			have_path = sv_path_copy_str(mem, paddr, path, sizeof(path)) == 0;
			if (!have_path)
				break;
			/* Importing a standard C extension also reads the
			 * libraries it needs (libssl.so.3...) and ld.so.cache. */
			rq.import_ok = sv_import_stack(p, s) &&
				       (sv_import_path(path, flags) || sv_library_path(path));
			rq.in_resolver = sv_dns_file(path);
			rq.library = sv_library_path(path);
			rq.system_file = sv_system_file(path);
			if (rq.import_ok || rq.in_resolver || rq.library || rq.system_file) {
				pol_decide(p, &caller.pr, &rq, &v);
				emulate = v.action == POL_ALLOW;
			}
			break;
		case POL_C_EXEC_MAP:
			if (rq.nr == __NR_mmap && sv_import_stack(p, s) &&
			    sv_extension_map(sv, tid, (int)(uint32_t)args[4])) {
				rq.import_ok = true;
				pol_decide(p, &caller.pr, &rq, &v);
			}
			break;
		case POL_C_EXEC:
			/* exec: [PROGRAM...]: the path argument can be
			 * rewritten after any look at it, so the call goes
			 * ahead and the program the kernel really loads is
			 * checked at the exec event, before it runs. */
			if (sv->enforcing && (p->argcaps & POL_CAP(POL_CAP_EXEC)) && !caller.unknown) {
				static const struct pol_object deferred = { .kind = POL_OBJ_DEFERRED };
				struct pol_verdict ev;

				rq.obj = &deferred;
				pol_decide(p, &caller.pr, &rq, &ev);
				rq.obj = NULL;
				if (ev.action == POL_ALLOW && exec_check_set(sv, tid, &caller.pr) == 0)
					return;
			}
			break;
		case POL_C_SOCKET_NET:
		case POL_C_SOCKET_UNIX:
			if (sv_dns_socket(args)) {
				rq.in_resolver = true;
				pol_decide(p, &caller.pr, &rq, &v);
			}
			break;
		case POL_C_CONNECT:
		case POL_C_SEND: {
			struct pol_verdict dv;

			rq.in_resolver = true;
			pol_decide(p, &caller.pr, &rq, &dv);
			if (sv->enforcing && dv.action == POL_ALLOW && !caller.unknown &&
			    sv_dns_perform(sv, req, mem, ans))
				return; /* performed: @ans holds its result */
			if (!sv->enforcing && sv_dns_perform(sv, req, mem, NULL))
				v = dv; /* audit: a query, charged to dns */
			else
				rq.in_resolver = false;
			break;
		}
		default:
			break;
		}
	}
	/* Argument rules: decided on sisup's own copy of the argument; the
	 * call is then made by sisup on that very copy. */
	if (v.action != POL_ALLOW && sv->enforcing && !caller.unknown &&
	    (p->argcaps & pol_class_get(rq.cls)->need)) {
		struct uw_mem *mem = sv_pystack_mem(sv, tid);

		switch (rq.cls) {
		case POL_C_OPEN_READ:
		case POL_C_OPEN_WRITE:
		case POL_C_FS_WRITE:
			if (path_by_argument(sv, req, mem, &caller, &rq, &v, ans, objtext,
					     sizeof(objtext)))
				return;
			break;
		case POL_C_SOCKET_NET:
		case POL_C_SOCKET_UNIX:
		case POL_C_CONNECT:
		case POL_C_LISTEN:
		case POL_C_SEND:
			if (net_by_argument(sv, req, mem, &caller, &rq, &v, ans, objtext,
					    sizeof(objtext), &seen))
				return;
			break;
		default:
			break;
		}
	}
	/* A stack we could not read may hide a confined module. */
	if (caller.unknown && v.action < POL_DENY) {
		v.action = POL_DENY;
		v.error = EPERM;
		v.culprit = -1;
	}
	if (v.action == POL_ALLOW && !caller.unknown && sv->enforcing && caller.pr.n > 0 &&
	    rq.cls == POL_C_OPEN_WRITE &&
	    mem_guard(sv, req, sv_pystack_mem(sv, tid), &caller, &rq, &v, ans, objtext,
		      sizeof(objtext)) > 0)
		return;
	if (v.action == POL_ALLOW && !caller.unknown) {
		if (emulate && sv->enforcing) {
			int r = sv_emulate_open(sv, req, dirfd, path, flags);

			if (r == 1) {
				ans->verdict = SV_ANSWERED;
			} else {
				ans->verdict = SV_ERRNO;
				ans->error = -r;
				ans->result = r != -EPERM;
			}
		}
		return;
	}

	if (sv_target_describe(sv_pystack_mem(sv, tid), tid, rq.nr, args, target,
			       sizeof(target), object, sizeof(object)) < 0 && !target[0])
		snprintf(target, sizeof(target), "%s", pol_class_get(rq.cls)->name);

	if (!sv->enforcing) {
		/* audit / learn: charge every principal that lacks it. */
		int cap = charge_cap(&rq, req);

		for (unsigned i = 0; i < caller.pr.n; i++) {
			const struct pol_principal *pr = &caller.pr.p[i];

			if (pol_principal_allows(p, pr, &rq))
				continue;
			pol_usage_add(sv->usage, pr->name, pkg_kind(sv, pr), cap, rq.nr, object);
		}
		return;
	}

	if (seen.kind != POL_OBJ_NONE)
		rq.obj = &seen;
	{
		struct sv_decision d = {
			.req = req, .stack = s, .caller = &caller, .rq = &rq, .v = &v,
			.target = target, .object = objtext[0] ? objtext : NULL,
			.why = caller.unknown ? (caller.why ? caller.why : "the stack could not be read")
					      : NULL,
		};

		sv_decision_report(sv, &d);
	}
	switch (v.action) {
	case POL_LOG:
		return; /* CONTINUE: log-only entries are not a boundary */
	case POL_KILL:
		ans->verdict = SV_KILL;
		ans->error = EPERM;
		return;
	default:
		ans->verdict = SV_ERRNO;
		ans->error = v.error > 0 ? v.error : EPERM;
		return;
	}
}
