"""Fixtures for the attack suite: the end-to-end suite's (tests/e2e/conftest.py,
loaded under the name e2e_conftest and re-exported) plus

- `python`: every interpreter of the matrix, or only Debian's python3.11 and
  the newest one for tests marked `expensive`;
- `attack`: runs an application of apps/ under `sisup run -p` with the hostile
  packages of pkgs/ installed as third-party code (policy_fixtures.install);
- a results file: with SISUP_ATTACKS_JSON=FILE, each test's node id, outcome
  and docstring fields (see table.py) are written to FILE at the end.
"""
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
E2E = HERE.parent / "e2e"

_spec = importlib.util.spec_from_file_location("e2e_conftest", E2E / "conftest.py")
_e2e = importlib.util.module_from_spec(_spec)
sys.modules["e2e_conftest"] = _e2e
_spec.loader.exec_module(_e2e)

# policy_fixtures does `from conftest import run`: it finds these names in
# this module, which pytest registered as `conftest`.
from e2e_conftest import (HELPERS, IN_CI, PYTHONS, ROOT, SISUP, _py_id, helper, need,  # noqa: E402,F401
                          run, sisup, sisup_run, wait_for)

sys.path.insert(0, str(E2E))
from policy_fixtures import install, minor, outputs, sisup_lines, sisup_policy_run  # noqa: E402,F401

PKGS = HERE / "pkgs"
APPS = HERE / "apps"
POLICIES = HERE / "policies"


def _minor(path):
    m = re.search(r"python3\.(\d+)$", path)
    return int(m.group(1)) if m else 0


def _expensive_pythons():
    """Debian's python3.11 (when in the matrix) and the newest interpreter."""
    newest = max(PYTHONS, key=_minor)
    deb = [p for p in PYTHONS if p == "/usr/bin/python3.11"]
    return list(dict.fromkeys(deb + [newest]))


def pytest_configure(config):
    config.addinivalue_line("markers", "expensive: run on python3.11 and the newest "
                            "interpreter only")


def pytest_generate_tests(metafunc):
    if "python" in metafunc.fixturenames:
        pys = _expensive_pythons() if metafunc.definition.get_closest_marker("expensive") \
            else PYTHONS
        metafunc.parametrize("python", pys, ids=[_py_id(p) for p in pys])


class Attack:
    """One run of apps/APP under `sisup run -p policies/POLICY`."""

    def __init__(self, sisup, python, tmp_path):
        self.sisup, self.python, self.tmp = sisup, python, tmp_path
        self.env = install(tmp_path, python, PKGS)
        self.marker = tmp_path / "marker"

    @property
    def site(self):
        return Path(self.env["HOME"]) / ".local/lib" / \
            f"python3.{minor(self.python)}/site-packages"

    def __call__(self, policy, app, *args, timeout=60):
        r = sisup_policy_run(self.sisup, self.python, str(POLICIES / policy), APPS / app,
                             *args, env=self.env, timeout=timeout, cwd=self.tmp)
        r.out = outputs(r.stdout)
        return r


@pytest.fixture
def attack(sisup, python, tmp_path):
    return Attack(sisup, python, tmp_path)


def denials(stderr, module):
    """First lines of sisup's denial (and kill) messages naming @module."""
    return [l for l in stderr.splitlines()
            if re.match(r"sisup: (denied|killed) ", l) and f"module '{module}' lacks" in l]


# --- results for table.py -------------------------------------------------------

_DOCS = {}
_RESULTS = {}


def doc_fields(fn):
    """The "attack: ... | expected: ... | why" line of a test's docstring."""
    for line in (fn.__doc__ or "").splitlines():
        line = line.strip()
        if line.startswith("attack:"):
            parts = [p.strip() for p in line.split("|", 2)]
            exp = parts[1].split(":", 1)[1].strip() if len(parts) > 1 else ""
            return {"attack": parts[0][len("attack:"):].strip(), "expected": exp,
                    "why": parts[2] if len(parts) > 2 else ""}
    return None


def pytest_collection_modifyitems(items):
    for item in items:
        fields = doc_fields(getattr(item, "function", None))
        if fields:
            _DOCS[item.nodeid] = fields


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        outcome = report.outcome
        if hasattr(report, "wasxfail"):
            outcome = "xfailed" if report.skipped else "xpassed"
        _RESULTS[report.nodeid] = outcome


def pytest_sessionfinish(session):
    out = os.environ.get("SISUP_ATTACKS_JSON")
    if not out:
        return
    rows = [dict(nodeid=n, outcome=o, **_DOCS.get(n, {})) for n, o in _RESULTS.items()]
    Path(out).write_text(json.dumps(rows, indent=1) + "\n")
