"""The process tree: every fork, vfork, clone, thread and exec is followed and
recorded with the task that created it; notifications from all of them are
answered, none lost or duplicated."""
import collections
import os
import json

import pytest

from conftest import run


def trace(sisup, tmp_path, *cmd, opts=()):
    log = tmp_path / "log.json"
    r = run([sisup, "trace", "--json", "-o", str(log), *opts, "--", *cmd], timeout=300)
    evs = [json.loads(l) for l in log.read_text().splitlines()]
    return r, evs


def creates(evs, kind=None):
    return [e for e in evs if e["event"] == "create" and (kind is None or e["kind"] == kind)]


def notified_by(evs, tid, name="openat"):
    return [e for e in evs if e["event"] == "syscall" and e["tid"] == tid and e["syscall"] == name]


def test_fork(sisup, helper, tmp_path):
    r, evs = trace(sisup, tmp_path, helper("tree"), "fork", "5")
    assert r.returncode == 0, r.stderr
    forks = creates(evs, "fork")
    main = evs[0]["pid"]
    assert len(forks) == 5
    for f in forks:
        assert f["tid"] == main and f["child_pid"] == f["child"]
        assert len(notified_by(evs, f["child"])) == 1
    codes = sorted(e["code"] for e in evs if e["event"] == "exit" and e["tid"] != main)
    assert codes == [0, 1, 2, 3, 4]


def test_vfork(sisup, helper, tmp_path):
    r, evs = trace(sisup, tmp_path, helper("tree"), "vfork")
    assert r.returncode == 0, r.stderr
    (v,) = creates(evs, "vfork")
    execs = [e for e in evs if e["event"] == "exec" and e["tid"] == v["child"]]
    assert execs and execs[0]["exe"].endswith("/true")


def test_clone_process(sisup, helper, tmp_path):
    r, evs = trace(sisup, tmp_path, helper("tree"), "clone")
    assert r.returncode == 0, r.stderr
    (c,) = creates(evs)
    assert c["kind"] in ("fork", "clone") and c["child_pid"] == c["child"]
    assert len(notified_by(evs, c["child"])) == 1


def test_threads(sisup, helper, tmp_path):
    r, evs = trace(sisup, tmp_path, helper("tree"), "threads", "16")
    assert r.returncode == 0, r.stderr
    main = evs[0]["pid"]
    threads = creates(evs, "thread")
    assert len(threads) == 16
    for t in threads:
        assert t["tid"] == main and t["child_pid"] == main and t["child"] != main
        assert len(notified_by(evs, t["child"])) == 1
        assert notified_by(evs, t["child"])[0]["pid"] == main


def test_odd_threads(sisup, helper, tmp_path):
    """Threads made by clone(CLONE_THREAD) with exit signal SIGCHLD (ptrace
    reports a FORK) or with CLONE_VFORK (a VFORK) are threads of their
    process in the table: same pid, their calls charged to it."""
    r, evs = trace(sisup, tmp_path, helper("tree"), "odd-threads")
    assert r.returncode == 0, r.stderr
    main = evs[0]["pid"]
    threads = creates(evs)
    assert len(threads) == 2, threads
    for t in threads:
        assert t["kind"] == "thread" and t["child_pid"] == main and t["child"] != main, t
        (call,) = notified_by(evs, t["child"])
        assert call["pid"] == main


def test_exec_chain(sisup, helper, tmp_path):
    r, evs = trace(sisup, tmp_path, "/bin/sh", "-c", f"exec {helper('tree')} exec-chain 3")
    assert r.returncode == 4
    execs = [e for e in evs if e["event"] == "exec"]
    assert len(execs) == 5  # sh, tree, and three more steps
    assert len({e["pid"] for e in execs}) == 1


def test_shell_pipeline_and_background(sisup, tmp_path):
    r = run([sisup, "--", "/bin/sh", "-c",
             "(sleep 0.2; echo late) & echo a | tr a b; wait"])
    assert r.returncode == 0
    assert r.stdout == "b\nlate\n"


def test_waits_for_orphaned_descendants(sisup, tmp_path):
    # The main process exits first; its orphan keeps running and is still
    # supervised (its notified call is answered) until it exits too.
    out = tmp_path / "orphan"
    r = run([sisup, "--", "/bin/sh", "-c", f"(sleep 0.3; echo done > {out}) & exit 3"])
    assert r.returncode == 3
    assert out.read_text() == "done\n"


def test_storm_64_threads_x_1000(sisup, helper, tmp_path):
    """64 threads x 1,000 notified calls at once: every call answered exactly
    once (counted per thread in the log), none failed, none lost."""
    r, evs = trace(sisup, tmp_path, helper("storm"), "64", "1000")
    assert r.returncode == 0, r.stdout[-500:] + r.stderr[-500:]
    per_tid = collections.Counter(
        e["tid"] for e in evs if e["event"] == "syscall" and e["syscall"] == "openat")
    reported = {int(l.split()[1]): int(l.split()[2]) for l in r.stdout.splitlines()}
    assert len(reported) == 64
    for tid, n in reported.items():
        assert n == 1000
        assert per_tid[tid] == 1000, f"tid {tid}: {per_tid[tid]} answers for 1000 calls"
    assert all(e["answer"] == "continue" and not e.get("abandoned")
               for e in evs if e["event"] == "syscall")


def test_sa_restart_timer_no_eintr_no_livelock(sisup, helper):
    r = run([sisup, "--stats", "--", helper("timer"), "5000"], timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    calls, _, eintr, _, other, _, ticks = r.stdout.split()[1:]
    assert int(eintr) == 0 and int(other) == 0 and int(ticks) > 0


def test_timer_under_notify_all(sisup, helper):
    # Every syscall, rt_sigreturn of the handler included, goes through sisup.
    r = run([sisup, "trace", "--notify", "all", "-o", "/dev/null", "--", helper("timer"), "2000"],
            timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_fallback_without_new_kernel_features(sisup, helper, tmp_path):
    """The path for kernels without WAIT_KILLABLE_RECV (5.19) and synchronous
    wake-ups (6.6), forced on this kernel: still every call answered once,
    SA_RESTART still restarts, --stats says the features are off."""
    env = dict(os.environ, SISUP_TEST_LEGACY_KERNEL="1")
    r = run([sisup, "trace", "-o", "/dev/null", "--stats", "--", helper("storm"), "16", "500"], env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-1000:]
    assert "synchronous wake-ups off, killable wait off" in r.stderr
    counts = {l.split()[2]: int(l.split()[1]) for l in r.stderr.splitlines()
              if len(l.split()) == 3 and l.split()[1].isdigit()}
    assert counts.get("openat") == 16 * 500
    r = run([sisup, "--", helper("timer"), "3000"], env=env, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    r = run([sisup, "trace", "-o", "/dev/null", "--stats", "--", helper("storm"), "1", "1"], timeout=60)
    major, minor = (int(x) for x in os.uname().release.split(".")[:2])
    if (major, minor) >= (6, 6):  # both features exist: they must be used
        assert "synchronous wake-ups on, killable wait on" in r.stderr
