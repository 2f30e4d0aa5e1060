"""Helpers for test_policy.py: fixture packages installed as third-party code,
a local TCP server, and parsing of sisup's policy messages.

A package counts as third-party only when it lives in a site directory sisup
knows; the tests use the user site of a private HOME:
$HOME/.local/lib/python3.X/site-packages, which Python puts on sys.path by
itself when the directory exists.
"""
import os
import shutil
import socketserver
import subprocess
import threading
from pathlib import Path

from conftest import run

PROGS = Path(__file__).resolve().parent / "programs" / "policy"
PKGS = PROGS / "pkgs"
POLICIES = PROGS / "policies"

_MINOR = {}


def minor(python):
    """X of python3.X for the interpreter (cached)."""
    if python not in _MINOR:
        out = subprocess.run([python, "-c", "import sys; print(sys.version_info[1])"],
                             capture_output=True, text=True, timeout=60, check=True).stdout
        _MINOR[python] = int(out)
    return _MINOR[python]


def install(tmp_path, python, pkgs=None):
    """A private HOME with every fixture package (of @pkgs, default PKGS) in its
    user site; returns the environment to run the program with."""
    home = tmp_path / "home"
    site = home / ".local" / "lib" / f"python3.{minor(python)}" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    for pkg in (pkgs or PKGS).iterdir():
        if pkg.is_dir() and not (site / pkg.name).exists():
            shutil.copytree(pkg, site / pkg.name, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONNOUSERSITE", "PYTHONSAFEPATH",
                        "PYTHONUSERBASE", "VIRTUAL_ENV")}
    env["HOME"] = str(home)
    # No .pyc files: nothing but the test's own operations writes anything.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def policy(name):
    p = POLICIES / name
    assert p.exists(), p
    return str(p)


def line_of(path, text):
    """1-based number of the first line of @path that contains @text."""
    for i, line in enumerate(Path(path).read_text().splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(f"{text!r} not in {path}")


def sisup_policy_run(sisup, python, policies, prog, *args, env, opts=(), timeout=60, cwd=None):
    """`sisup run -p P... OPTS -- python PROGS/prog ARGS`."""
    ps = []
    for p in ([policies] if isinstance(policies, str) else policies):
        ps += ["-p", p]
    return run([sisup, "run", *ps, *opts, "--", python, str(PROGS / prog), *map(str, args)],
               env=env, timeout=timeout, cwd=cwd)


def outputs(stdout):
    """Lines "key: value" of a program's output, as a dict."""
    out = {}
    for line in stdout.splitlines():
        k, sep, v = line.partition(": ")
        if sep:
            out[k] = v
    return out


def sisup_lines(stderr, prefix):
    """Lines of sisup's stderr starting with "sisup: PREFIX"."""
    return [l for l in stderr.splitlines() if l.startswith("sisup: " + prefix)]


class _Echo(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline().strip()
        self.server.received.append(line)
        self.wfile.write(b"pong:" + line + b"\n")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class TcpServer:
    """A line server on 127.0.0.1 in a thread of the pytest process: answers
    "pong:LINE" and records each line received."""

    def __init__(self):
        self.srv = _Server(("127.0.0.1", 0), _Echo)
        self.srv.received = []
        self.host, self.port = self.srv.server_address
        self.thread = threading.Thread(target=self.srv.serve_forever, daemon=True)
        self.thread.start()

    @property
    def received(self):
        return self.srv.received

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()
