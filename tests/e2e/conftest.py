"""Shared fixtures for sisup's end-to-end tests.

Every test runs the real ./sisup binary on real programs. Skips are explicit
and counted; with CI=true a missing capability is a failure, not a skip
(see `need`).
"""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SISUP = Path(os.environ.get("SISUP", ROOT / "sisup"))
HELPERS = Path(os.environ.get("SISUP_HELPERS", ROOT / "tests" / "helpers" / "bin"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def need(condition, why):
    """Skip when a capability is missing; in CI, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail("missing in CI: " + why)
    pytest.skip(why)


def _matrix():
    """Interpreters for the matrix: SISUP_PYTHONS (colon-separated) or
    tests/pythons/matrix.sh."""
    env = os.environ.get("SISUP_PYTHONS")
    if env:
        paths = [p for p in env.split(":") if p]
    else:
        script = ROOT / "tests" / "pythons" / "matrix.sh"
        try:
            out = subprocess.run([str(script)], capture_output=True, text=True, timeout=60).stdout
        except (OSError, subprocess.TimeoutExpired):
            out = ""
        paths = [l.strip() for l in out.splitlines() if l.strip()]
    usable = [p for p in paths if os.access(p, os.X_OK)]
    return usable or ["/usr/bin/python3.11"]


PYTHONS = _matrix()


def _py_id(path):
    # "/root/.pyenv/versions/3.12.1/bin/python3.12" -> "pyenv-3.12"
    name = Path(path).name
    src = "pyenv" if ".pyenv" in path else "cache" if "sisup-pythons" in path else "deb"
    return f"{src}-{name.replace('python', '')}"


def pytest_generate_tests(metafunc):
    if "python" in metafunc.fixturenames:
        metafunc.parametrize("python", PYTHONS, ids=[_py_id(p) for p in PYTHONS])


@pytest.fixture(scope="session")
def sisup():
    assert SISUP.exists(), f"{SISUP} not built (run make)"
    return str(SISUP)


@pytest.fixture(scope="session")
def helper():
    """Path of a C helper from tests/helpers (built by `make helpers`)."""
    def get(name):
        p = HELPERS / name
        assert p.exists(), f"helper {p} not built (run make helpers)"
        return str(p)
    return get


def run(args, timeout=120, **kw):
    """Run a command to completion; returns CompletedProcess with text output."""
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run(args, timeout=timeout, **kw)


@pytest.fixture
def sisup_run(sisup):
    """sisup_run(ARGS..., opts=[...]) -> CompletedProcess of `sisup OPTS -- ARGS`."""
    def go(*args, opts=(), timeout=120, **kw):
        return run([sisup, *opts, "--", *args], timeout=timeout, **kw)
    return go


def pids_alive(pids):
    alive = []
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            if state != "Z":
                alive.append(p)
        except (FileNotFoundError, ProcessLookupError):
            pass  # gone between the open and the read: reaped
    return alive


def wait_for(pred, timeout=10.0, step=0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()
