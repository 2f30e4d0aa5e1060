"""examples/*/run.sh: secimport's scenarios, run as a user would run them.

Every directory of examples/ with a run.sh is a scenario (a new one is picked
up without editing this file). Each is run under sisup with
/usr/bin/python3.11 and must exit 0, print sisup's denial, leave none of the
files its attack would make (the `absent` lines of its run.sh, checked here on
disk, independently of run.sh's own checks) and all the files the allowed work
makes (`present` lines). The same script with EXAMPLE_BARE=1 runs the program
without sisup: the attack must then succeed (so the example proves something).
The output must also match the real run shown in the example's README.md, up
to pids and the throw-away HOME.
"""
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SISUP

EXAMPLES = ROOT / "examples"
PY = "/usr/bin/python3.11"
SCENARIOS = sorted(p.parent.name for p in EXAMPLES.glob("*/run.sh"))

# Key lines per scenario (regexes over the merged output): the denial and the
# allowed work. A scenario missing here still gets the generic checks.
KEY_LINES = {
    "pickle-payload": [
        r"^sisup: denied new process \(pid \d+\): module 'sessioncache' lacks spawn$",
        r"^a normal session: \{'user': 'ana', 'cart': \[3, 5\]\}$",
        r"^the application command ran$",
    ],
    "spawn-blocked": [
        r"^sisup: denied new process \(pid \d+\): module 'thumbs' lacks spawn$",
        r"^sisup: killed exec /usr/bin/touch \(pid \d+\): module 'buildinfo' lacks exec$",
        r"^buildinfo.version\(\): /usr/bin/true exited with 0$",
        r"^buildinfo.sneaky\(\): /usr/bin/touch exited with -9$",
        r"^the application's own subprocess exited with 0$",
    ],
    "import-time-shell": [
        r"^sisup: denied new process \(pid \d+\): module 'prettyconf' lacks spawn$",
        r"^config: \{'city': 'Lisbon', 'units': 'metric'\}$",
        r"^the application command ran$",
    ],
    "network-blocked": [
        r"^sisup: denied socket AF_INET SOCK_STREAM \(pid \d+\): module 'telemetry' lacks net-connect$",
        r"^weatherclient: sunny, 24 C$",
        r"^requests the server received: \['GET /forecast'\]$",
    ],
    "malicious-commands": [
        r"^sisup: denied new process \(pid \d+\): module 'strutils' lacks spawn$",
        r"^slug: hello-sandboxed-world$",
        r"^the application command ran$",
    ],
    "web-backdoor": [
        r"^sisup: denied new process \(pid \d+\): module 'webroutes' lacks spawn$",
        r"^sisup: denied open \S+/\.bashrc for writing \(pid \d+\): module 'accesslog' lacks fs-write$",
        r"^GET / -> 200 hello from webroutes$",
        r"^GET /backdoor\?cmd=id -> 500 backdoor failed: PermissionError",
        r"^access log: \['GET / 200', 'GET /backdoor\?cmd=id 500'\]$",
    ],
    "model-injection": [
        r"^sisup: denied new process \(pid \d+\): module 'tinymodel' lacks spawn$",
        r"^prediction for x=10: 21.0$",
        r"^the application command ran$",
    ],
}


def _checks(name):
    """The files run.sh says must be absent / present (relative to $HOME/work)."""
    absent, present = [], []
    text = (EXAMPLES / name / "run.sh").read_text()
    for m in re.finditer(r'^\s*absent "?([^"\s]+)"? ', text, re.M):
        absent.append(m.group(1))
    for m in re.finditer(r"^\s*present \"?([^\"\s]+)\"? ", text, re.M):
        present.append(m.group(1))
    # `for f in a b c; do absent "$f" ...` loops
    for m in re.finditer(r"^\s*for f in ([^;]+); do\s*\n\s*absent \"\$f\"", text, re.M):
        absent.extend(m.group(1).split())
    absent = [a for a in absent if a != "$f"]
    return absent, present


def _run(name, home, bare=False):
    env = dict(os.environ, SISUP=str(SISUP), PYTHON=PY, EXAMPLE_HOME=str(home))
    env.pop("EXAMPLE_BARE", None)
    if bare:
        env["EXAMPLE_BARE"] = "1"
    return subprocess.run([str(EXAMPLES / name / "run.sh")], env=env, cwd="/",
                          capture_output=True, text=True, timeout=120)


def _normalise(text, home):
    # the checkout's place (README: where it was recorded; a run: here)
    text = re.sub(r"[^\s'\"]*/examples/", "REPO/examples/", text)
    text = text.replace(str(home), "HOME")
    text = re.sub(r"/tmp/tmp\.\w+", "HOME", text)
    # line numbers of stack frames: the standard library's change with
    # Debian's point releases (http/client.py moved by 29 lines once)
    text = re.sub(r"\.py:\d+(?=  )", ".py:N", text)
    return re.sub(r"\(pid \d+\)", "(pid N)", text)


@pytest.fixture(scope="module", autouse=True)
def _need():
    assert SISUP.exists(), f"{SISUP} not built (run make)"
    assert os.access(PY, os.X_OK), f"{PY} missing"


def test_scenarios_found():
    # secimport's seven scenarios (issue 8); more may be added.
    assert len(SCENARIOS) >= 7, SCENARIOS
    for name in SCENARIOS:
        d = EXAMPLES / name
        for f in ("README.md", "policy.yaml", "app.py", "run.sh"):
            assert (d / f).is_file(), f"{d / f} missing"
        assert any((d / "pkgs").iterdir()), f"{d}/pkgs is empty"
        assert os.access(d / "run.sh", os.X_OK), f"{d}/run.sh not executable"
        assert "lib.sh" in (d / "run.sh").read_text(), f"{d}/run.sh does not use examples/lib.sh"
        assert (d / "policy.yaml").read_text().count("version: 1") == 1


@pytest.mark.parametrize("name", SCENARIOS)
def test_example(name, tmp_path):
    home = tmp_path / "home"
    r = _run(name, home)
    out = r.stdout
    assert r.returncode == 0, out + r.stderr
    assert r.stderr == "", r.stderr
    assert out.rstrip().endswith("RESULT: ok"), out
    assert "FAIL:" not in out, out
    assert "exit status: 0" in out.splitlines(), out
    assert re.search(r"^sisup: (denied|killed) ", out, re.M), "no denial printed:\n" + out
    for pat in KEY_LINES.get(name, []):
        assert re.search(pat, out, re.M), f"no line matching {pat!r} in:\n{out}"

    # behaviour, on disk: what the attack would make is not there, the
    # allowed work's files are.
    absent, present = _checks(name)
    assert absent or re.search(r"^\s*lacks ", (EXAMPLES / name / "run.sh").read_text(), re.M), \
        f"{name}/run.sh checks nothing the attack would leave behind"
    work = home / "work"
    for f in absent:
        assert not (work / f).exists(), f"{f} was created: the attack ran"
    for f in present:
        assert (work / f).exists(), f"{f} missing: the allowed work did not happen"
    if name == "web-backdoor":
        assert "uid=" not in (work / "responses.txt").read_text()
        assert (home / "logs" / "access.log").read_text().splitlines() == [
            "GET / 200", "GET /backdoor?cmd=id 500"]
        assert not (home / ".bashrc").exists()
    if name == "network-blocked":
        assert (work / "received.txt").read_text().split("\n")[:-1] == ["GET /forecast"]

    # the README shows this output (from a real run)
    readme = (EXAMPLES / name / "README.md").read_text()
    m = re.search(r"```console\n\$ examples/" + re.escape(name) + r"/run\.sh\n(.*?)```",
                  readme, re.S)
    assert m, f"{name}/README.md has no console block running examples/{name}/run.sh"
    assert _normalise(m.group(1), home).rstrip() == _normalise(out, home).rstrip(), \
        f"{name}/README.md's output differs from a run; run it and copy the output"


@pytest.mark.parametrize("name", SCENARIOS)
def test_example_bare_is_attacked(name, tmp_path):
    """Control: without sisup the attack works, so the example tests something."""
    home = tmp_path / "home"
    r = _run(name, home, bare=True)
    out = r.stdout
    assert r.returncode == 1, out + r.stderr
    assert "sisup:" not in out
    absent, _ = _checks(name)
    made = [f for f in absent if (home / "work" / f).exists()]
    if name in ("network-blocked", "web-backdoor"):
        assert "FAIL:" in out
    else:
        assert made == absent, f"bare run made only {made} of {absent}:\n{out}"
