"""Per-module policies (issue 4), end to end: `sisup run -p`, audit, `learn`,
`check`, on real Python programs under every interpreter of the matrix.

The programs are in programs/policy/, the third-party packages they import
in programs/policy/pkgs/ (installed into the user site of a private HOME, so
that sisup classifies them as third-party), and the policies in
programs/policy/policies/. The application's own code is trusted. Where an
operation is denied, the test also checks that it does work for code that is
allowed it (the application, another package, the same package with the
capability), so that a test cannot pass because the operation failed for an
unrelated reason; and the denial message must name the module and the
capability it lacks.
"""
import json
import os
import re
import stat
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run
from policy_fixtures import (PROGS, TcpServer, install, line_of, minor, outputs, policy,
                             sisup_lines, sisup_policy_run)


@pytest.fixture
def server():
    s = TcpServer()
    yield s
    s.close()


def denial_lines(stderr, module):
    """First lines of the denial messages naming @module."""
    return [l for l in stderr.splitlines()
            if re.match(r"sisup: (denied|killed|would deny \(log only\)) ", l)
            and f"module '{module}' lacks" in l]


# ---------------------------------------------------------------------------
# 1. A package that runs a shell command at import time.

def test_import_time_system_denied(sisup, python, tmp_path):
    env = install(tmp_path, python)
    pol = policy("evil_deny.yaml")
    r = sisup_policy_run(sisup, python, pol, "app_system.py", env=env)
    out = outputs(r.stdout)
    # the package's command never ran; os.system reports a failure
    assert "EVIL-RAN" not in r.stdout, r.stdout + r.stderr
    assert "evil status" in out, r.stdout + r.stderr
    assert out["evil status"] != "0", r.stdout
    # the application's own os.system works: its output appears
    assert "APP-RAN" in r.stdout.splitlines(), r.stdout + r.stderr
    assert out.get("app status") == "0", r.stdout + r.stderr
    assert r.returncode == 0, r.stderr[-3000:]
    # the message names the package, the capability, the stack and the fix
    msgs = denial_lines(r.stderr, "evil")
    assert msgs and all(l.startswith("sisup: denied ") for l in msgs), r.stderr
    assert any(re.search(r"module 'evil' lacks (spawn|exec)$", l) for l in msgs), msgs
    evil_file = Path(env["HOME"]) / ".local/lib" / f"python3.{minor(python)}" / \
        "site-packages/evil/__init__.py"
    sys_line = line_of(PROGS / "pkgs/evil/__init__.py", "os.system(")
    assert re.search(r"^sisup:   > evil +" + re.escape(f"{evil_file}:{sys_line}") + r"  <module>$",
                     r.stderr, re.M), r.stderr
    assert re.search(r"^sisup:     __main__ +" + re.escape(str(PROGS / "app_system.py")) + ":",
                     r.stderr, re.M), r.stderr
    entry = line_of(pol, "evil:")
    assert re.search(rf"^sisup:   to allow it: {re.escape(pol)}:{entry}: add (spawn|exec) "
                     r"to the allow list of 'evil'$", r.stderr, re.M), r.stderr


def test_default_confined_hint_names_module(sisup, python, tmp_path):
    """A package confined by `default:` (no entry of its own): the hint names
    the package as the entry to add (it once named the last stack frame's
    file: the buffer holding the name was reused to print the stack)."""
    env = install(tmp_path, python)
    pol = tmp_path / "default.yaml"
    pol.write_text("version: 1\ndefault: []\n")
    r = sisup_policy_run(sisup, python, str(pol), "app_system.py", env=env)
    assert "EVIL-RAN" not in r.stdout, r.stdout + r.stderr
    assert denial_lines(r.stderr, "evil"), r.stderr
    hints = re.findall(r"^sisup:   to allow it, add under modules: in the policy:  (.*)$",
                       r.stderr, re.M)
    assert hints and all(re.fullmatch(r"evil: \{allow: \[(spawn|exec)\]\}", h) for h in hints), \
        r.stderr
    assert re.search(rf"^sisup:   \(or add (spawn|exec) to default: at {re.escape(str(pol))}:2\)$",
                     r.stderr, re.M), r.stderr


# ---------------------------------------------------------------------------
# 2. Network: a granted client, a package without net, stack vs innermost.

def test_net_stack_semantics(sisup, python, tmp_path, server):
    env = install(tmp_path, python)
    r = sisup_policy_run(sisup, python, policy("net_stack.yaml"), "app_net.py",
                         server.host, server.port, "client", "noisy", "caller", env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = outputs(r.stdout)
    # client has net-connect: it connects and exchanges data
    assert out.get("client") == "pong:ping", r.stdout + r.stderr[-3000:]
    # noisy has nothing: socket(AF_INET) fails with EPERM
    assert out.get("noisy") == "PermissionError", r.stdout + r.stderr[-3000:]
    # caller (confined, no net) is on the stack of client's connect: denied
    assert out.get("caller") == "PermissionError", r.stdout + r.stderr[-3000:]
    assert server.received == [b"ping"]
    assert denial_lines(r.stderr, "noisy") and denial_lines(r.stderr, "caller"), r.stderr
    assert all("lacks net-" in l for l in denial_lines(r.stderr, "noisy") +
               denial_lines(r.stderr, "caller")), r.stderr
    # client itself is never the one that lacks something
    assert not denial_lines(r.stderr, "client"), r.stderr


def test_net_innermost_semantics(sisup, python, tmp_path, server):
    env = install(tmp_path, python)
    r = sisup_policy_run(sisup, python, policy("net_innermost.yaml"), "app_net.py",
                         server.host, server.port, "caller", "noisy", env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = outputs(r.stdout)
    # innermost: client, the innermost confined module, decides and allows
    assert out.get("caller") == "pong:from-caller", r.stdout + r.stderr[-3000:]
    assert out.get("noisy") == "PermissionError", r.stdout + r.stderr[-3000:]
    assert server.received == [b"from-caller"]
    assert not denial_lines(r.stderr, "caller") and not denial_lines(r.stderr, "client")


def test_deny_with_errno(sisup, python, tmp_path, server):
    """on_violation: {deny: ENOSYS}: the call fails with that errno."""
    env = install(tmp_path, python)
    log = tmp_path / "decisions.jsonl"
    r = sisup_policy_run(sisup, python, policy("net_enosys.yaml"), "app_net.py",
                         server.host, server.port, "noisy", "client", env=env,
                         opts=["--log", str(log), "--log-format", "json"])
    assert r.returncode == 0, r.stderr[-3000:]
    out = outputs(r.stdout)
    # ENOSYS is not a PermissionError: Python raises a plain OSError
    assert out.get("noisy") == "OSError", r.stdout + r.stderr[-3000:]
    assert out.get("client") == "pong:ping", r.stdout + r.stderr[-3000:]  # not confined
    entries = [json.loads(l) for l in log.read_text().splitlines()]
    assert entries and all(e["module"] == "noisy" and e["verdict"] == "deny" and
                           e["errno"] == "ENOSYS" for e in entries), entries


# ---------------------------------------------------------------------------
# 3. A pickle payload loaded by a confined module cannot exec.

def test_pickle_payload(sisup, python, tmp_path):
    env = install(tmp_path, python)
    confined, app = tmp_path / "confined-mark", tmp_path / "app-mark"
    r = sisup_policy_run(sisup, python, policy("pickle.yaml"), "app_pickle.py", confined, app,
                         env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = outputs(r.stdout)
    assert not confined.exists(), r.stdout + r.stderr[-3000:]
    assert out.get("confined") not in (None, "0"), r.stdout
    # control: the same payload does run when trusted code loads it
    assert app.exists() and out.get("app") == "0", r.stdout + r.stderr[-3000:]
    assert any(re.search(r"module 'unpickler' lacks (spawn|exec)$", l)
               for l in denial_lines(r.stderr, "unpickler")), r.stderr


# ---------------------------------------------------------------------------
# 4. File system: no fs-write; fs-read; imports without fs-read.

WRITE_OPS = ["create", "truncate-open", "truncate", "append", "rename", "unlink", "mkdir", "chmod"]


def _prepare_files(d, ops):
    d.mkdir()
    for op in ops:
        if op != "create":
            f = d / f"{op}.txt"
            f.write_text("orig")
            f.chmod(0o644)


def _check_files_unchanged(d, ops):
    for op in ops:
        f = d / f"{op}.txt"
        if op == "create":
            assert not f.exists(), op
            continue
        assert f.read_text() == "orig", op
        assert stat.S_IMODE(f.stat().st_mode) == 0o644, op
    assert sorted(p.name for p in d.iterdir()) == sorted(f"{op}.txt" for op in ops if op != "create")


def test_fs_write_denied_read_granted(sisup, python, tmp_path):
    env = install(tmp_path, python)
    d = tmp_path / "files"
    ops = WRITE_OPS + ["read"]
    _prepare_files(d, ops)
    r = sisup_policy_run(sisup, python, policy("fs_read_only.yaml"), "app_files.py", d, *ops,
                         env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = outputs(r.stdout)
    for op in WRITE_OPS:
        assert out.get(op) == "PermissionError", (op, r.stdout, r.stderr[-3000:])
    assert out.get("read") == "OK orig", r.stdout + r.stderr[-3000:]
    assert out.get("imports") == "helper=helper-ok lazy=OK lazy-ok stdlib=OK colorsys", \
        r.stdout + r.stderr[-3000:]
    _check_files_unchanged(d, ops)
    msgs = denial_lines(r.stderr, "fswriter")
    assert msgs and all(l.endswith("lacks fs-write") for l in msgs), r.stderr


def test_fs_imports_without_fs_read(sisup, python, tmp_path):
    env = install(tmp_path, python)
    d = tmp_path / "files"
    _prepare_files(d, ["read", "append"])
    r = sisup_policy_run(sisup, python, policy("fs_nothing.yaml"), "app_files.py", d,
                         "read", "append", env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = outputs(r.stdout)
    # reading a data file needs fs-read...
    assert out.get("read") == "PermissionError", r.stdout + r.stderr[-3000:]
    assert out.get("append") == "PermissionError", r.stdout + r.stderr[-3000:]
    # ...importing does not (the import grant): the package's own submodules,
    # at import time and lazily from its own frames, and a stdlib module
    assert out.get("imports") == "helper=helper-ok lazy=OK lazy-ok stdlib=OK colorsys", \
        r.stdout + r.stderr[-3000:]
    _check_files_unchanged(d, ["read", "append"])
    assert any(l.endswith("lacks fs-read") for l in denial_lines(r.stderr, "fswriter")), r.stderr


# ---------------------------------------------------------------------------
# 5. A child process inherits the confinement of the module that started it.

def test_child_process_inherits(sisup, python, tmp_path):
    env = install(tmp_path, python)
    r = sisup_policy_run(sisup, python, policy("child.yaml"), "app_child.py", env=env)
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    out = outputs(r.stdout)
    # the child Python started (spawn+exec granted) but its socket() failed
    assert out.get("child stdout") == "CHILD-DENIED", r.stdout + r.stderr[-3000:]
    assert out.get("child exit") == "42", r.stdout + r.stderr[-3000:]
    msgs = denial_lines(r.stderr, "spawner")
    assert any(l.endswith("lacks net-connect") for l in msgs), r.stderr
    assert "sisup:   'spawner' was on the stack of the thread that created this task " \
        "(inherited)" in r.stderr, r.stderr


# ---------------------------------------------------------------------------
# 6. Thread pools.

def test_thread_pool(sisup, python, tmp_path):
    env = install(tmp_path, python)
    own, borrowed = tmp_path / "own-mark", tmp_path / "borrowed-mark"
    r = sisup_policy_run(sisup, python, policy("pool.yaml"), "app_pool.py", own, borrowed,
                         env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    out = outputs(r.stdout)
    # the pool's worker was created while pooler was on the stack: it
    # inherits pooler's confinement, and os.system in it is denied
    assert not own.exists(), r.stdout + r.stderr[-3000:]
    assert out.get("own pool") not in (None, "0"), r.stdout + r.stderr[-3000:]
    assert any(re.search(r"module 'pooler' lacks (spawn|exec)$", l)
               for l in denial_lines(r.stderr, "pooler")), r.stderr
    assert "sisup:   'pooler' was on the stack of the thread that created this task " \
        "(inherited)" in r.stderr, r.stderr
    # The documented gap (docs/policy.md): a worker created earlier by
    # trusted application code carries no confinement, and work that pooler
    # submits to it runs on the worker's stack, where pooler is not. sisup
    # allows it; this asserts the documented behaviour, not a wish.
    assert borrowed.exists(), r.stdout + r.stderr[-3000:]
    assert out.get("borrowed pool") == "0", r.stdout + r.stderr[-3000:]


# ---------------------------------------------------------------------------
# 7. Native code.

LIB_CANDIDATES = ["libbz2.so.1.0", "liblzma.so.5", "libuuid.so.1", "libexpat.so.1", "libz.so.1"]
_LIBS = {}


def native_lib(python, env):
    """A shared library the interpreter can dlopen and has not loaded yet
    (with ctypes imported). Not libm.so.6: every interpreter of the matrix
    already has libm mapped, so CDLL('libm.so.6') maps nothing and there
    would be nothing for sisup to deny."""
    if python not in _LIBS:
        probe = ("import ctypes, sys\n"
                 "for n in sys.argv[1:]:\n"
                 "    if n.split('.so')[0] + '.so' in open('/proc/self/maps').read(): continue\n"
                 "    try: ctypes.CDLL(n)\n"
                 "    except OSError: continue\n"
                 "    print(n); break\n")
        r = run([python, "-c", probe, *LIB_CANDIDATES], env=env)
        _LIBS[python] = r.stdout.strip()
    return _LIBS[python]


@pytest.mark.parametrize("granted", [False, True], ids=["no-native-code", "native-code"])
def test_ctypes_native_code(sisup, python, tmp_path, granted):
    env = install(tmp_path, python)
    lib = native_lib(python, env)
    assert lib, f"none of {LIB_CANDIDATES} can be loaded by {python}"
    pol = policy("native_ok.yaml" if granted else "native_none.yaml")
    r = sisup_policy_run(sisup, python, pol, "app_native.py", lib, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    load = outputs(r.stdout).get("load", "")
    msgs = denial_lines(r.stderr, "nativeload")
    if granted:
        assert load.startswith("loaded "), r.stdout + r.stderr[-3000:]
        assert not msgs, r.stderr
    else:
        assert load.startswith("OSError"), r.stdout + r.stderr[-3000:]
        assert msgs and all(l.endswith("lacks native-code") for l in msgs), r.stderr


# ---------------------------------------------------------------------------
# 8. Audit report.

SAMPLE_CAPS = {"client": {"net-connect"}, "filewriter": {"fs-write"}, "quiet": set()}


def test_audit_report_json(sisup, python, tmp_path, server):
    env = install(tmp_path, python)
    report, written = tmp_path / "report.json", tmp_path / "out.txt"
    r = run([sisup, "--report", str(report), "--json", "--", python,
             str(PROGS / "app_sample.py"), server.host, str(server.port), str(written)], env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    assert outputs(r.stdout) == {"reply": "pong:sample", "wrote": "18", "checksum": str(
        sum(b"pong:sample") % 65521)}, r.stdout
    assert written.read_text() == "reply=pong:sample\n"
    assert "sisup:" not in r.stderr, r.stderr  # the report went to the file
    doc = json.loads(report.read_text())
    assert doc["version"] == 1
    pkgs = {p["name"]: p for p in doc["packages"]}
    for name, caps in SAMPLE_CAPS.items():
        if name not in pkgs:
            assert not caps, f"{name} missing from {sorted(pkgs)}"
            continue
        p = pkgs[name]
        assert p["kind"] == "third-party", p
        assert {c["name"] for c in p["capabilities"]} == caps, p
        for c in p["capabilities"]:
            assert c["count"] >= 1 and isinstance(c["examples"], list), c
    conn = [c for c in pkgs["client"]["capabilities"] if c["name"] == "net-connect"][0]
    assert any(f"127.0.0.1:{server.port}" in e for e in conn["examples"]), conn
    fw = [c for c in pkgs["filewriter"]["capabilities"] if c["name"] == "fs-write"][0]
    assert any(str(written) in e for e in fw["examples"]), fw
    # the application is not a package
    assert "__main__" not in pkgs and "app_sample" not in pkgs


def test_audit_report_text(sisup, python, tmp_path, server):
    env = install(tmp_path, python)
    written = tmp_path / "out.txt"
    r = run([sisup, "--", python, str(PROGS / "app_sample.py"), server.host, str(server.port),
             str(written)], env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stderr.splitlines()
    heads = [i for i, l in enumerate(lines) if l.startswith("sisup: audit report: ")]
    assert len(heads) == 1, r.stderr
    m = re.fullmatch(r"sisup: audit report: (\d+) packages?", lines[heads[0]])
    assert m, lines[heads[0]]
    blocks, cur = {}, None
    for l in lines[heads[0] + 1:]:
        bm = re.fullmatch(r"  (\S+) \((third-party)\)", l)
        cm = re.fullmatch(r"    (\S+) +(\d+)(?:  e\.g\. (.*))?", l)
        if bm:
            cur = blocks.setdefault(bm.group(1), set())
        elif cm and cur is not None:
            cur.add(cm.group(1))
        elif l == "    (nothing beyond the baseline)" and cur is not None:
            pass
        else:
            raise AssertionError(f"unexpected report line {l!r} in\n{r.stderr}")
    assert len(blocks) == int(m.group(1)), r.stderr
    for name, caps in SAMPLE_CAPS.items():
        assert blocks.get(name, set()) == caps, r.stderr


# ---------------------------------------------------------------------------
# 9. learn, then run.

def _learned_modules(sisup, path):
    """{module: "allow [...] + import, on violation deny"} from `sisup check`."""
    r = run([sisup, "check", str(path)])
    assert r.returncode == 0, r.stdout + r.stderr
    mods = {}
    for l in r.stdout.splitlines():
        m = re.fullmatch(r"  (\S+): allow \[(.*?)\](.*)", l)
        if m:
            mods[m.group(1)] = (m.group(2), m.group(3))
    return mods


def test_learn_then_run(sisup, python, tmp_path, server):
    env = install(tmp_path, python)
    written = tmp_path / "out.txt"
    prog = [python, str(PROGS / "app_sample.py"), server.host, str(server.port), str(written)]
    bare = run(prog, env=env)
    assert bare.returncode == 0, bare.stderr
    learned = tmp_path / "learned.yaml"
    versions = []
    for _ in range(3):
        written.unlink(missing_ok=True)
        r = run([sisup, "learn", "-o", str(learned), "--", *prog], env=env)
        assert r.returncode == 0, r.stderr[-3000:]
        assert r.stdout == bare.stdout
        versions.append(learned.read_bytes())
    assert versions[0] == versions[1] == versions[2], [v.decode() for v in versions]
    assert not list(tmp_path.glob("*.sisup-tmp"))
    mods = _learned_modules(sisup, learned)
    # the smallest policy: each package gets exactly what it used
    assert mods["client"][0] == "net-connect", mods
    assert mods["filewriter"][0] == "fs-write", mods
    assert mods.get("quiet", ("(none)",))[0] in ("(none)", ""), mods
    written.unlink()
    r = run([sisup, "run", "-p", str(learned), "--", *prog], env=env)
    assert (r.returncode, r.stdout) == (bare.returncode, bare.stdout), r.stderr[-3000:]
    assert "sisup:" not in r.stderr, r.stderr
    assert written.read_text() == "reply=pong:sample\n"


# ---------------------------------------------------------------------------
# 10. kill and log actions; the JSON decision log; check on every policy.

def test_kill_action(sisup, python, tmp_path):
    env = install(tmp_path, python)
    r = sisup_policy_run(sisup, python, policy("evil_kill.yaml"), "app_system.py", env=env)
    assert r.returncode == 137, (r.returncode, r.stdout, r.stderr[-3000:])
    assert "EVIL-RAN" not in r.stdout and "APP-RAN" not in r.stdout, r.stdout
    msgs = denial_lines(r.stderr, "evil")
    assert msgs and all(l.startswith("sisup: killed ") for l in msgs), r.stderr
    assert not sisup_lines(r.stderr, "denied"), r.stderr


LOG_FIELDS = {"time", "pid", "tid", "syscall", "class", "verdict", "target", "module",
              "inherited", "missing", "stack"}


def _json_log(path):
    entries = [json.loads(l) for l in Path(path).read_text().splitlines() if l.strip()]
    for e in entries:
        assert LOG_FIELDS <= set(e), (sorted(LOG_FIELDS - set(e)), e)
        assert isinstance(e["time"], (int, float))
        assert isinstance(e["pid"], int) and isinstance(e["tid"], int) and e["pid"] > 0
        assert isinstance(e["inherited"], bool)
        assert isinstance(e["stack"], dict)
    return entries


def test_log_action_and_json_log(sisup, python, tmp_path):
    env = install(tmp_path, python)
    log = tmp_path / "decisions.jsonl"
    r = sisup_policy_run(sisup, python, policy("evil_log.yaml"), "app_system.py", env=env,
                         opts=["--log", str(log), "--log-format", "json"])
    assert r.returncode == 0, r.stderr[-3000:]
    # log only: the call is allowed
    assert "EVIL-RAN" in r.stdout.splitlines() and "APP-RAN" in r.stdout.splitlines(), r.stdout
    assert outputs(r.stdout).get("evil status") == "0", r.stdout
    msgs = denial_lines(r.stderr, "evil")
    assert msgs and all(l.startswith("sisup: would deny (log only) ") for l in msgs), r.stderr
    assert not sisup_lines(r.stderr, "denied") and not sisup_lines(r.stderr, "killed")
    entries = _json_log(log)
    assert entries and all(e["verdict"] == "log" for e in entries), entries
    evil = [e for e in entries if e["module"] == "evil"]
    assert {e["missing"] for e in evil} & {"spawn", "exec"}, evil
    assert all(e["inherited"] is False or e["missing"] == "exec" for e in evil), evil
    assert all("errno" not in e for e in entries), entries


def test_deny_json_log(sisup, python, tmp_path):
    env = install(tmp_path, python)
    log = tmp_path / "decisions.jsonl"
    r = sisup_policy_run(sisup, python, policy("evil_deny.yaml"), "app_system.py", env=env,
                         opts=["--log", str(log), "--log-format", "json"])
    assert r.returncode == 0, r.stderr[-3000:]
    entries = _json_log(log)
    assert entries, r.stderr
    assert all(e["verdict"] == "deny" and e["errno"] == "EPERM" for e in entries), entries
    spawn = [e for e in entries if e["module"] == "evil" and e["missing"] == "spawn"]
    assert spawn, entries
    e = spawn[0]
    assert e["syscall"] in ("clone", "fork", "vfork"), e
    assert e["inherited"] is False
    assert e["stack"]["status"] == "ok", e["stack"]
    mods = [f["module"] for f in e["stack"]["frames"]]
    assert mods[0] == "evil", mods  # os.system itself is C: evil is innermost
    assert mods[-1] == "__main__", mods


def _repo_policies():
    files = sorted(ROOT.glob("examples/**/*.yaml")) + sorted(PROGS.glob("**/*.yaml"))
    return files


@pytest.mark.parametrize("path", _repo_policies(), ids=lambda p: str(p.relative_to(ROOT)))
def test_check_repo_policies(sisup, path):
    r = run([sisup, "check", str(path)])
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith(f"{path}: valid\n"), r.stdout


def test_check_repo_policies_merged(sisup):
    """All of them at once: `check` merges them as `run -p ... -p ...` would."""
    files = [str(p) for p in _repo_policies() if "secimport" not in p.name]
    # at most 16 files per command (sisup's limit): in groups of 16
    for i in range(0, len(files), 16):
        r = run([sisup, "check", *files[i:i + 16]])
        assert r.returncode == 0, r.stdout + r.stderr


# ---------------------------------------------------------------------------
# 11. Bad policy files: exit 125, "sisup: FILE:LINE:COL: ...", program never ran.

BAD = {
    # name: (contents, line, column or None (any), regex the message must match)
    "malformed-yaml": ("version: 1\nmodules:\n  evil: {allow: [spawn]\n  other: 1\n",
                       4, 3, r"invalid YAML"),
    "tab-indent": ("version: 1\nmodules:\n\tevil:\n", 3, 1, r"invalid YAML"),
    "unknown-key": ("version: 1\nmodules:\n  evil:\n    alow: [spawn]\n", 4, 5, r"alow"),
    "unknown-top-key": ("version: 1\nmodule:\n  evil: {allow: []}\n", 2, 1, r"module"),
    "unknown-capability": ("version: 1\nmodules:\n  evil:\n    allow: [dns, net-conect]\n",
                           4, 18, r"net-conect"),
    "wrong-type-allow": ("version: 1\nmodules:\n  evil:\n    allow: spawn\n", 4, 12, r"list"),
    "wrong-type-semantics": ("version: 1\nsemantics: [stack]\n", 2, 12, r"stack or innermost"),
    "wrong-type-import": ("version: 1\nmodules:\n  evil:\n    allow: []\n    import: maybe\n",
                          5, 13, r"true or false"),
    "duplicate-module": ("version: 1\nmodules:\n  evil:\n    allow: []\n  evil:\n"
                         "    allow: [spawn]\n", 5, 3, r"evil.*twice"),
    "unknown-action": ("version: 1\nmodules:\n  evil:\n    on_violation: explode\n", 4, 19,
                       r"explode"),
    "version-2": ("version: 2\nmodules: {}\n", 1, 10, r"version"),
    "version-string": ("version: one\n", 1, 10, r"version"),
    "empty": ("", None, None, r"empty"),
    "only-comment": ("# nothing\n", None, None, r"empty"),
    "binary": (bytes(range(256)) * 4, 1, 1, r"invalid YAML"),
    "top-level-list": ("- version: 1\n", 1, 1, r"mapping"),
    # anchors/aliases are refused outright (no alias bombs)
    "alias": ("version: 1\nmodules:\n  a: &x {allow: []}\n  b: *x\n", 3, 6, r"alias"),
}


def _bad_file(tmp_path, name):
    content = BAD[name][0]
    p = tmp_path / f"{name}.yaml"
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content)
    return p


def _assert_refused(sisup, tmp_path, path, line=None, column=None, msg=r"."):
    mark = tmp_path / "program-ran"
    r = run([sisup, "run", "-p", str(path), "--", sys.executable, str(PROGS / "marker.py"),
             str(mark)])
    assert r.returncode == 125, (r.returncode, r.stderr)
    assert not mark.exists(), "the program ran under an invalid policy"
    assert r.stdout == ""
    first = r.stderr.splitlines()[0] if r.stderr else ""
    if line is None:
        m = re.match(re.escape(f"sisup: {path}:") + r"(?:(\d+):(\d+): )?(.+)", first)
    else:
        m = re.match(re.escape(f"sisup: {path}:") + r"(\d+):(\d+): (.+)", first)
    assert m, r.stderr
    if line is not None:
        assert int(m.group(1)) == line, r.stderr
    if column is not None:
        assert int(m.group(2)) == column, r.stderr
    assert re.search(msg, m.group(3)), r.stderr
    c = run([sisup, "check", str(path)])
    assert c.returncode == 125, (c.returncode, c.stdout, c.stderr)
    assert "valid" not in c.stdout
    assert c.stderr.splitlines()[0] == first, (c.stderr, r.stderr)
    return r


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_policy(sisup, tmp_path, name):
    _, line, column, msg = BAD[name]
    _assert_refused(sisup, tmp_path, _bad_file(tmp_path, name), line, column, msg)


def test_bad_policy_hint_unknown_capability(sisup, tmp_path):
    r = _assert_refused(sisup, tmp_path, _bad_file(tmp_path, "unknown-capability"))
    assert re.search(r"^sisup:   hint: did you mean 'net-connect'\?", r.stderr, re.M), r.stderr


def test_bad_policy_hint_unknown_key(sisup, tmp_path):
    r = _assert_refused(sisup, tmp_path, _bad_file(tmp_path, "unknown-key"))
    assert re.search(r"^sisup:   hint: did you mean 'allow'\?", r.stderr, re.M), r.stderr


def test_bad_policy_duplicate_names_first(sisup, tmp_path):
    p = _bad_file(tmp_path, "duplicate-module")
    r = _assert_refused(sisup, tmp_path, p)
    assert f"first at {p}:3" in r.stderr, r.stderr


def test_bad_policy_directory(sisup, tmp_path):
    d = tmp_path / "a-directory"
    d.mkdir()
    _assert_refused(sisup, tmp_path, d)


def test_bad_policy_missing_file(sisup, tmp_path):
    _assert_refused(sisup, tmp_path, tmp_path / "no-such-policy.yaml", msg=r"(?i)no such file")


def test_bad_policy_huge_sparse_file(sisup, tmp_path):
    p = tmp_path / "huge.yaml"
    with open(p, "wb") as f:
        f.write(b"version: 1\n")
        f.truncate(100 << 20)
    r = _assert_refused(sisup, tmp_path, p)
    assert not re.match(re.escape(f"sisup: {p}:") + r"\d+:\d+:", r.stderr), r.stderr


def test_bad_policy_unreadable(sisup, tmp_path):
    if os.geteuid() == 0:
        # root (CAP_DAC_OVERRIDE) reads a mode-000 file anyway: nothing to
        # test; the suite's second pass as `nobody` runs this test.
        pytest.skip("root can read a mode-000 file")
    p = tmp_path / "unreadable.yaml"
    p.write_text("version: 1\n")
    p.chmod(0)
    _assert_refused(sisup, tmp_path, p, msg=r"(?i)permission denied")


def test_bad_policy_among_good(sisup, tmp_path):
    """A bad file after a good one: still refused, and it is the bad one named."""
    bad = _bad_file(tmp_path, "unknown-capability")
    mark = tmp_path / "program-ran"
    r = run([sisup, "run", "-p", policy("evil_deny.yaml"), "-p", str(bad), "--", sys.executable,
             str(PROGS / "marker.py"), str(mark)])
    assert r.returncode == 125 and not mark.exists(), r.stderr
    assert r.stderr.startswith(f"sisup: {bad}:4:"), r.stderr


# ---------------------------------------------------------------------------
# 12. secimport's format.

def test_secimport_destructive_kills(sisup, python, tmp_path):
    env = install(tmp_path, python)
    r = sisup_policy_run(sisup, python, policy("evil_secimport.yaml"), "app_system.py", env=env)
    assert r.returncode == 137, (r.returncode, r.stdout, r.stderr[-3000:])
    assert "EVIL-RAN" not in r.stdout and "APP-RAN" not in r.stdout, r.stdout
    assert re.search(r"^sisup: killed .*module 'evil' lacks", r.stderr, re.M), r.stderr


def test_thread_inheritance_off(sisup, python, tmp_path):
    """inherit: {threads: false}: a worker thread created by the confined
    module does not carry its confinement (documented in docs/policy.md), so
    os.system in it runs; processes still inherit."""
    env = install(tmp_path, python)
    own, borrowed = tmp_path / "own-mark", tmp_path / "borrowed-mark"
    r = sisup_policy_run(sisup, python, policy("pool_nothreads.yaml"), "app_pool.py", own,
                         borrowed, env=env)
    assert r.returncode == 0, r.stderr[-3000:]
    assert own.exists(), r.stdout + r.stderr[-3000:]
    assert outputs(r.stdout).get("own pool") == "0", r.stdout + r.stderr[-3000:]
