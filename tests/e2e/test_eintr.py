"""Signals and interrupted calls (supervisor/restart.c).

A notified call that a handled signal interrupts while its notification is
still queued never started; bare it would have run after the handler. sisup
makes it restart instead of failing with EINTR, so calls that never fail with
EINTR bare (kill, socket, mkdir, rename) never do under sisup either, even
with handlers installed without SA_RESTART (CPython's way). A call sisup let
through that really blocked in the kernel keeps its EINTR: the handler's
exception comes out of accept() as bare.
"""
import json
import re
from pathlib import Path

from conftest import ROOT, run

PROGS = Path(__file__).parent / "programs" / "eintr"
# Allows the program everything, but confines a package it never loads, so
# that every sensitive call still reaches sisup.
POLICY_PERMISSIVE = "version: 1\ndefault: allow\nmodules:\n  notloaded:\n    allow: []\n"
RESTARTED = re.compile(r"^sisup: calls interrupted by a signal before sisup received them, "
                       r"restarted: (\d+)$", re.M)


def _storm(cmd, n):
    r = run([*cmd, str(PROGS / "storm.py"), str(n)], timeout=300)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1]), r.stderr


def test_storm_bare_never_eintr(python):
    """The control: bare, none of these calls fails with EINTR."""
    out, _ = _storm([python], 1000)
    assert out["signals"] > 0
    assert out["eintr"] == {"kill": 0, "socket": 0, "mkdir+rmdir": 0, "rename": 0}


def test_storm_under_sisup_never_eintr(python, sisup, tmp_path):
    """Audit (every call notified) and enforcing a permissive policy: no
    EINTR, and the restart path really ran (--stats counts it)."""
    pol = tmp_path / "p.yaml"
    pol.write_text(POLICY_PERMISSIVE)
    for opts in (["--stats"], ["run", "-p", str(pol), "--stats"]):
        out, err = _storm([sisup, *opts, "--", python], 1000)
        assert out["signals"] > 0, err
        assert out["eintr"] == {"kill": 0, "socket": 0, "mkdir+rmdir": 0, "rename": 0}, err
        m = RESTARTED.search(err)
        assert m, err
        # ~5,000 notified calls under a 0.1 ms timer: hundreds or more land in the
        # queued window on this machine; zero would mean the path is dead.
        assert int(m.group(1)) > 0, err


def test_blocking_accept_keeps_eintr(python, sisup):
    """accept() really blocked (sisup continued it): the handler's exception
    must come out of it, under sisup as bare (a restart would hang here)."""
    for cmd in ([python], [sisup, "--", python]):
        r = run([*cmd, str(PROGS / "accept_alarm.py")], timeout=60)
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == "alarm raised out of accept", (cmd, r.stdout, r.stderr)
