"""Python programs under sisup, on every interpreter of the matrix: threads,
multiprocessing (fork, spawn, forkserver), subprocess, posix_spawn, fork+exec
and exec chains through a shell, each checked for the program's own result
and for the process tree sisup recorded."""
import json
from pathlib import Path

import pytest

from conftest import run

PROG = str(Path(__file__).parent / "programs" / "py_tree.py")


def trace(sisup, tmp_path, *cmd):
    log = tmp_path / "log.json"
    r = run([sisup, "trace", "--json", "-o", str(log), "--", *cmd], timeout=300)
    evs = [json.loads(l) for l in log.read_text().splitlines()]
    return r, evs


def test_threads(sisup, python, tmp_path):
    r, evs = trace(sisup, tmp_path, python, PROG, "threads")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "threads [0, 1, 4, 9, 16, 25, 36, 49]\n"
    main = evs[0]["pid"]
    threads = [e for e in evs if e["event"] == "create" and e["kind"] == "thread"
               and e["pid"] == main]
    assert len(threads) >= 8
    opens = {e["tid"] for e in evs if e["event"] == "syscall" and e["syscall"] == "openat"}
    assert len(opens & {t["child"] for t in threads}) == 8


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_multiprocessing(sisup, python, tmp_path, method):
    r, evs = trace(sisup, tmp_path, python, PROG, method)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout == f"{method} [0, 1, 4, 9, 16, 25]\n"
    procs = [e for e in evs if e["event"] == "create" and e["kind"] != "thread"]
    assert len(procs) >= 2
    if method != "fork":
        # spawn/forkserver re-execute the interpreter
        assert sum(1 for e in evs if e["event"] == "exec") >= 2


def test_subprocess(sisup, python, tmp_path):
    r, evs = trace(sisup, tmp_path, python, PROG, "subprocess")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "subprocess 0 from-child\npython-child 5\n"
    exes = [e["exe"] for e in evs if e["event"] == "exec"]
    assert any(x.endswith("/echo") for x in exes)


def test_posix_spawn(sisup, python, tmp_path):
    r, evs = trace(sisup, tmp_path, python, PROG, "posix_spawn")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "posix_spawn 6\n"
    # glibc's posix_spawn is clone(CLONE_VM|CLONE_VFORK): a vfork event
    assert any(e["event"] == "create" and e["kind"] in ("vfork", "clone") for e in evs)


def test_fork_exec(sisup, python, tmp_path):
    r, evs = trace(sisup, tmp_path, python, PROG, "fork_exec")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "fork_exec 9\n"


def test_exec_chain_through_shell(sisup, python, tmp_path):
    r, evs = trace(sisup, tmp_path, "/bin/sh", "-c",
                   f"{python} -c 'import os; os.execv(\"/bin/sh\", [\"sh\", \"-c\", \"exit 5\"])'")
    assert r.returncode == 5
    execs = [e["exe"] for e in evs if e["event"] == "exec"]
    assert len(execs) >= 3  # sh, python, sh


def test_uncaught_exception_status(sisup_run, python):
    r = sisup_run(python, "-c", "raise SystemExit(42)")
    assert r.returncode == 42
    r = sisup_run(python, "-c", "1/0")
    assert r.returncode == 1
    assert "ZeroDivisionError" in r.stderr
