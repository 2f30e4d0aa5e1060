"""audithook_sandbox - the peer sisup is compared with: an in-process sandbox
built on CPython's audit hooks (PEP 578, sys.addaudithook).

It reads the same policy file as `sisup run -p` (the subset of the language
the benchmarks use: version, default, semantics, transparent, modules with
allow / on_violation / import) and enforces it with the same stack semantics:
on a sensitive audit event it walks the calling thread's Python frames, maps
each frame to a policy entry (named module by longest prefix; unnamed
third-party code, i.e. files under site-packages, dist-packages or ~/.local,
to `default` when that is a list; the standard library, the application's
directory and `__main__` trusted unless named), and raises PermissionError
when a principal lacks every capability that would allow the event (`stack`:
every principal must allow it; `innermost`: the innermost decides).

This is written to be the fair best case of its kind: one dict lookup for the
events it does not care about, a per-code-object cache of principals, no
allocation on the trusted path. What it cannot do is listed in
bench/README.md: it sees only what raises an audit event, from Python, in
this interpreter; native code, child processes and many os-level calls go
around it, and its own state is writable by the code it confines.

Usage (bench/audithook_run.py does this before running the program):

    import audithook_sandbox
    audithook_sandbox.install("policy.yaml", app_dirs=[script_dir])
"""
import os
import sys

# --------------------------------------------------------------------------
# The policy file: a small YAML subset (block mappings by indentation, flow
# lists, scalars, comments). Enough for bench/typical.yaml and the examples;
# anything else is refused, not guessed.


class PolicyError(Exception):
    pass


def _scalar(text, where):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text.startswith("["):
        if not text.endswith("]"):
            raise PolicyError(f"{where}: unterminated flow list")
        inner = text[1:-1].strip()
        return [_scalar(x, where) for x in inner.split(",")] if inner else []
    if text.startswith("{"):
        if not text.endswith("}"):
            raise PolicyError(f"{where}: unterminated flow mapping")
        out = {}
        depth, start, parts = 0, 0, []
        inner = text[1:-1]
        for i, c in enumerate(inner):
            if c in "[{":
                depth += 1
            elif c in "]}":
                depth -= 1
            elif c == "," and depth == 0:
                parts.append(inner[start:i])
                start = i + 1
        parts.append(inner[start:])
        for p in parts:
            if p.strip():
                k, sep, v = p.partition(":")
                if not sep:
                    raise PolicyError(f"{where}: expected key: value in {{...}}")
                out[k.strip()] = _scalar(v, where)
        return out
    if text in ("true", "false"):
        return text == "true"
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def _strip_comment(line):
    out, quote = [], None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(c)
    return "".join(out).rstrip()


def parse_yaml_subset(text, name="policy"):
    lines = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw)
        if line.strip():
            if "\t" in line[: len(line) - len(line.lstrip())]:
                raise PolicyError(f"{name}:{n}: tab in indentation")
            lines.append((n, len(line) - len(line.lstrip(" ")), line.strip()))

    def block(i, indent):
        out = {}
        while i < len(lines):
            n, ind, body = lines[i]
            if ind < indent:
                break
            if ind > indent:
                raise PolicyError(f"{name}:{n}: unexpected indentation")
            key, sep, rest = body.partition(":")
            if not sep or (rest and not rest.startswith(" ")):
                raise PolicyError(f"{name}:{n}: expected 'key: value'")
            key = _scalar(key, f"{name}:{n}")
            if key in out:
                raise PolicyError(f"{name}:{n}: duplicate key {key!r}")
            if rest.strip():
                out[key] = _scalar(rest, f"{name}:{n}")
                i += 1
            elif i + 1 < len(lines) and lines[i + 1][1] > indent:
                out[key], i = block(i + 1, lines[i + 1][1])
            else:
                out[key] = None
                i += 1
        return out, i

    doc, i = block(0, lines[0][1] if lines else 0)
    if i != len(lines):
        raise PolicyError(f"{name}:{lines[i][0]}: unexpected indentation")
    return doc


# --------------------------------------------------------------------------
# The policy

CAPABILITIES = {"fs-read", "fs-write", "exec", "spawn", "net-connect", "net-listen",
                "net-unix", "dns", "signal", "native-code", "inspect"}
STRICT = {"log": 0, "deny": 1, "kill": 2}     # kill > deny > log


class Entry:
    __slots__ = ("name", "allow", "action", "import_grant")

    def __init__(self, name, allow, action, import_grant):
        self.name = name
        self.allow = frozenset(allow)
        self.action = action
        self.import_grant = import_grant


def _entry(name, spec, where):
    if isinstance(spec, list):
        spec = {"allow": spec}
    if not isinstance(spec, dict):
        raise PolicyError(f"{where}: entry {name!r} must be a mapping or a list")
    allow = spec.get("allow") or []
    if not isinstance(allow, list):
        raise PolicyError(f"{where}: {name}.allow must be a list")
    for cap in allow:
        if cap not in CAPABILITIES:
            # raw syscall names and @groups mean nothing to an audit hook
            raise PolicyError(f"{where}: {name}: {cap!r} is not a capability this peer knows")
    action = spec.get("on_violation", "deny")
    if isinstance(action, dict):
        action = "deny"   # {deny: ERRNO}: the errno is not modelled
    if action not in STRICT:
        raise PolicyError(f"{where}: {name}: unknown on_violation {action!r}")
    return Entry(name, allow, action, spec.get("import", True) is not False)


class Policy:
    def __init__(self, doc, where):
        if doc.get("version") != 1:
            raise PolicyError(f"{where}: version: 1 is required")
        self.semantics = doc.get("semantics", "stack")
        if self.semantics not in ("stack", "innermost"):
            raise PolicyError(f"{where}: semantics must be stack or innermost")
        default = doc.get("default", "allow")
        self.default = None if default == "allow" else _entry("(default)", default, where)
        self.transparent = tuple(doc.get("transparent") or ())
        self.modules = {}
        self.paths = {}
        for name, spec in (doc.get("modules") or {}).items():
            e = _entry(name, spec, where)
            (self.paths if name.startswith("/") else self.modules)[name] = e


def load_policy(path):
    with open(path, encoding="utf-8") as f:
        return Policy(parse_yaml_subset(f.read(), path), path)


# --------------------------------------------------------------------------
# Where code comes from

_IMPORT_SYSTEM = ("importlib", "zipimport", "site", "pkgutil", "runpy", "getpath",
                  "sysconfig")
_IMPORT_SUFFIXES = (".py", ".pyc", ".pyw", ".so", ".pth", ".zip", ".egg", ".whl",
                    "pyvenv.cfg")
_SYSTEM_FILES = ("/etc/localtime", "/dev/null", "/dev/zero", "/dev/random", "/dev/urandom")
_SYSTEM_DIRS = ("/usr/share/zoneinfo/", "/usr/lib/locale/", "/usr/share/locale/")
_DNS_FILES = ("/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf",
              "/etc/gai.conf", "/etc/services", "/etc/protocols")

# Kinds of frame
TRUSTED, STDLIB, IMPORTER, UNKNOWN = 0, 1, 2, 3


def _matches(name, prefix):
    return name == prefix or (name.startswith(prefix) and name[len(prefix)] == ".")


class _Classifier:
    """Maps a code object to (entry or None, kind), cached per code object."""

    def __init__(self, policy, app_dirs):
        self.policy = policy
        self.cache = {}
        stdlib = os.path.dirname(os.__file__)
        self.stdlib = (stdlib + os.sep,)
        home = os.path.expanduser("~")
        self.user_site = os.path.join(home, ".local") + os.sep
        self.app_dirs = tuple(os.path.realpath(d) + os.sep for d in app_dirs)
        self.modules = sorted(policy.modules.items(), key=lambda kv: -len(kv[0]))
        self.paths = sorted(policy.paths.items(), key=lambda kv: -len(kv[0]))

    def classify(self, code, module):
        key = (code, module)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        hit = self._classify(code.co_filename, module or "")
        if len(self.cache) < 100000:
            self.cache[key] = hit
        return hit

    def _classify(self, filename, module):
        pol = self.policy
        third = ("/site-packages/" in filename or "/dist-packages/" in filename
                 or filename.startswith(self.user_site))
        frozen = filename.startswith("<frozen ")
        stdlib = frozen or (filename.startswith(self.stdlib) and not third)
        if frozen:
            # <frozen importlib._bootstrap> runs as _frozen_importlib: name
            # frozen code by its file, as sisup does
            module = filename[8:-1]
        entry = None
        for prefix, e in self.modules:
            if module and _matches(module, prefix):
                entry = e
                break
        if entry is None:
            for prefix, e in self.paths:
                if filename.startswith(prefix):
                    entry = e
                    break
        if entry is not None:
            for t in pol.transparent:
                if _matches(module, t) and len(t) > len(entry.name):
                    return (None, STDLIB if stdlib else TRUSTED)
            return (entry, UNKNOWN)
        if module and any(_matches(module, t) for t in pol.transparent):
            return (None, STDLIB if stdlib else TRUSTED)
        if stdlib:
            imp = any(_matches(module, m) for m in _IMPORT_SYSTEM)
            return (None, IMPORTER if imp else STDLIB)
        if third:
            return (pol.default, UNKNOWN)
        if filename.startswith("<") or module == "__main__":
            return (None, TRUSTED)      # <string>, <stdin>: whoever ran it is on the stack
        if filename.startswith(self.app_dirs) or not filename.startswith("/"):
            return (None, TRUSTED)
        return (pol.default, UNKNOWN)  # an absolute path nobody vouches for: confine


# --------------------------------------------------------------------------
# Events: which capability each needs. A value is a tuple of alternatives
# (any one will do); an event that needs two things (os.system: spawn and
# exec) lists two requirements.

_O_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_NET = ("net-connect", "net-listen")
_FS_WRITE_EVENTS = ("os.remove", "os.rmdir", "os.rename", "os.mkdir", "os.chmod", "os.chown",
                    "os.link", "os.symlink", "os.truncate", "os.utime", "os.setxattr",
                    "os.removexattr", "os.chflags", "os.lchflags", "os.lchmod",
                    "shutil.rmtree")


class Denied(PermissionError):
    pass


def install(policy, app_dirs=(), stderr=None):
    """Load @policy (a path or a Policy) and install the hook. Returns the
    Policy. There is no uninstall: audit hooks cannot be removed."""
    if not isinstance(policy, Policy):
        policy = load_policy(policy)
    here = os.path.dirname(os.path.realpath(__file__))
    cls = _Classifier(policy, list(app_dirs) + [here])
    classify = cls.classify
    semantics_stack = policy.semantics == "stack"
    err = stderr or sys.stderr
    said = set()
    getframe = sys._getframe
    pid = os.getpid

    def judge(event, needs, target, skip_import=False):
        """Walk the stack, find the principals, decide. @needs is a tuple of
        requirements, each a tuple of alternatives."""
        f = getframe(3)      # 0: judge, 1: the handler, 2: the hook, 3: the audited call's caller
        principals = None
        only_import = True   # innermost frames so far: stdlib with the import system
        saw_import = False
        granted = False
        while f is not None:
            entry, kind = classify(f.f_code, f.f_globals.get("__name__"))
            if entry is not None:
                if principals is None:
                    # first confined frame: the import grant is decided here
                    granted = skip_import and only_import and saw_import and entry.import_grant
                    principals = [entry]
                elif entry is not principals[-1]:
                    principals.append(entry)
            elif principals is None:
                if kind == IMPORTER:
                    saw_import = True
                elif kind != STDLIB:
                    only_import = False
            f = f.f_back
        if principals is None or granted:
            return
        if not semantics_stack:
            principals = principals[:1]
        lacking = None
        for req in needs:
            for e in principals:
                if not any(c in e.allow for c in req):
                    if lacking is None or STRICT[e.action] > STRICT[lacking[0].action]:
                        lacking = (e, req)
        if lacking is None:
            return
        entry, req = lacking
        key = (entry.name, event, req)
        msg = f"audithook: denied {event} {target}: module '{entry.name}' lacks {req[0]}"
        if entry.action == "log":
            if key not in said:
                said.add(key)
                print(msg.replace("denied", "would deny (log only)"), file=err)
            return
        if key not in said and len(said) < 4096:
            said.add(key)
            print(msg, file=err)
        if entry.action == "kill":
            os.kill(pid(), 9)
        raise Denied(1, f"{event} denied by policy: module '{entry.name}' lacks {req[0]}")

    def on_open(event, args):
        path, mode, flags = (tuple(args) + (None, None, None))[:3]
        write = bool(mode and any(c in mode for c in "wax+")) or \
            (isinstance(flags, int) and flags & _O_WRITE)
        p = path if isinstance(path, str) else os.fsdecode(path) if isinstance(path, bytes) else ""
        if write:
            judge(event, (("fs-write",),), p)
            return
        if p in _SYSTEM_FILES or p.startswith(_SYSTEM_DIRS):
            return
        if p in _DNS_FILES:
            judge(event, (("fs-read", "dns"),), p)
            return
        importable = (p.endswith(_IMPORT_SUFFIXES) or "/__pycache__/" in p
                      or ".dist-info/" in p or ".egg-info/" in p) and "/../" not in p
        if ".so" in os.path.basename(p):
            judge(event, (("fs-read", "native-code"),), p, skip_import=importable)
        else:
            judge(event, (("fs-read",),), p, skip_import=importable)

    def on_listdir(event, args):
        judge(event, (("fs-read",),), str(args[0]) if args else "", skip_import=True)

    def on_socket_new(event, args):
        family, stype = args[1], args[2]
        if family == 1:          # AF_UNIX
            judge(event, (("net-unix",),), "AF_UNIX")
        elif stype & 0xf == 2:    # SOCK_DGRAM: what a resolver uses
            judge(event, (_NET + ("dns",),), f"family {family} datagram")
        else:
            judge(event, (_NET,), f"family {family}")

    def _addr_family(addr):
        # AF_UNIX addresses are paths (str, bytes); AF_INET/AF_INET6 tuples
        return "unix" if isinstance(addr, (str, bytes)) else "inet"

    def on_connect(event, args):
        if _addr_family(args[1]) == "unix":
            judge(event, (("net-unix",),), str(args[1]))
        elif isinstance(args[1], tuple) and len(args[1]) >= 2 and args[1][1] == 53:
            judge(event, (("net-connect", "dns"),), str(args[1]))
        else:
            judge(event, (_NET[:1],), str(args[1]))

    def on_bind(event, args):
        if _addr_family(args[1]) == "unix":
            judge(event, (("net-unix",),), str(args[1]))
        else:
            judge(event, (("net-listen",),), str(args[1]))

    def on_send(event, args):
        addr = args[1] if len(args) > 1 else None
        if addr is None:
            return
        if _addr_family(addr) == "unix":
            judge(event, (("net-unix",),), str(addr))
        else:
            judge(event, (_NET + ("dns",),) if isinstance(addr, tuple) and len(addr) > 1
                  and addr[1] == 53 else (_NET,), str(addr))

    def on_dns(event, args):
        judge(event, (("dns",),), str(args[0]) if args else "")

    def on_spawn_exec(event, args):
        judge(event, (("spawn",), ("exec",)), str(args[0]) if args else "")

    def on_exec(event, args):
        judge(event, (("exec",),), str(args[0]) if args else "")

    def on_fork(event, args):
        judge(event, (("spawn",),), "")

    def on_kill(event, args):
        if args and args[0] not in (0, pid()):
            judge(event, (("signal",),), f"pid {args[0]}")

    def on_native(event, args):
        judge(event, (("native-code",),), str(args[0]) if args else "")

    def on_fs_write(event, args):
        judge(event, (("fs-write",),), str(args[0]) if args else "")

    handlers = {
        "open": on_open,
        "os.listdir": on_listdir, "os.scandir": on_listdir,
        "socket.__new__": on_socket_new,
        "socket.connect": on_connect,
        "socket.bind": on_bind,
        "socket.sendto": on_send, "socket.sendmsg": on_send,
        "socket.getaddrinfo": on_dns, "socket.gethostbyname": on_dns,
        "socket.gethostbyname_ex": on_dns, "socket.gethostbyaddr": on_dns,
        "socket.getnameinfo": on_dns,
        "subprocess.Popen": on_spawn_exec, "os.system": on_spawn_exec,
        "os.posix_spawn": on_spawn_exec, "os.spawn": on_spawn_exec, "pty.spawn": on_spawn_exec,
        "os.exec": on_exec,
        "os.fork": on_fork, "os.forkpty": on_fork,
        "os.kill": on_kill, "os.killpg": on_kill,
        "ctypes.dlopen": on_native,
    }
    for ev in _FS_WRITE_EVENTS:
        handlers[ev] = on_fs_write
    get = handlers.get

    def hook(event, args):
        h = get(event)
        if h is not None:
            h(event, args)

    sys.addaudithook(hook)
    return policy
