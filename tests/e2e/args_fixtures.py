"""Helpers for test_args.py (issue 6, argument rules): the fixture package
`argops` installed as third-party code in a private HOME's user site, policies
written per test (they name the test's temporary paths and ports), and the
comparison of a scenario run bare and under sisup."""
import shutil
import subprocess
from pathlib import Path

from conftest import run
import policy_fixtures
from policy_fixtures import outputs  # noqa: F401 - re-exported for test_args


ARGS = Path(__file__).resolve().parent / "programs" / "args"
PKGS = ARGS / "pkgs"


def install(tmp_path, python):
    """A private HOME with the args fixture packages in its user site; the
    environment to run programs with."""
    return policy_fixtures.install(tmp_path, python, PKGS)


def _q(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_policy(path, module="argops", **grants):
    """A policy for @module whose allow list is @grants: name=None for a bare
    grant (spawn), name=[ARGS] for an argument rule; names use _ for -."""
    items = []
    for name, args in grants.items():
        name = name.replace("_", "-")
        if args is None:
            items.append(name)
        else:
            items.append("{%s: [%s]}" % (name, ", ".join(_q(a) for a in args)))
    Path(path).write_text("version: 1\nmodules:\n  %s:\n    allow: [%s]\n" %
                          (module, ", ".join(items)))
    return str(path)


def run_app(python, prog, *args, env, sisup=None, policy=None, timeout=120, cwd=None):
    """python ARGS/prog ARGS, bare or under `sisup run -p policy`."""
    cmd = [python, str(ARGS / prog), *map(str, args)]
    if sisup:
        cmd = [sisup, "run", "-p", policy, "--", *cmd]
    return run(cmd, env=env, timeout=timeout, cwd=cwd)


def build_flip(tmp_path):
    """flip.c as a shared library in @tmp_path (cc at test time: the lead
    owns the Makefile)."""
    so = tmp_path / "flip.so"
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None
    subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", str(so), str(ARGS / "flip.c")],
                   check=True, capture_output=True, timeout=60)
    return str(so)
