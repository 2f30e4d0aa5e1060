"""app_ops.py GROUP ROOT [KEY=VALUE...]: the scenarios of GROUP, one line
"NAME: OUTCOME" each, then the tree under ROOT as "tree: ..." lines.

The application is trusted: it sets up the tree and does the bookkeeping; the
one call under test of each scenario goes through argops.call, so the confined
package `argops` is on the stack when that call is made. OUTCOME is "OK" plus
details, or "ERR <errno name>". The same program runs bare and under sisup;
test_args.py compares the two.
"""
import ctypes
import errno
import fcntl
import os
import select
import signal
import socket
import stat
import sys
import time

import argops

C = argops.call
GROUP, ROOT = sys.argv[1], sys.argv[2]
KV = dict(a.split("=", 1) for a in sys.argv[3:])
libc = ctypes.CDLL(None, use_errno=True)
for name in ("open", "creat", "linkat"):
    getattr(libc, name).restype = ctypes.c_int
libc.open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint]
libc.creat.argtypes = [ctypes.c_char_p, ctypes.c_uint]


def P(*rel):
    return os.path.join(ROOT, *rel)


def c_call(fn, *args):
    """A libc call through ctypes, -1 turned into OSError (no O_CLOEXEC added
    by Python's os.open)."""
    r = C(fn, *args)
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r


def outcome(fn):
    try:
        r = fn()
    except OSError as e:
        return "ERR " + errno.errorcode.get(e.errno, str(e.errno))
    except Interrupted:
        return "Interrupted"
    return "OK" if r is None else "OK %s" % (r,)


class Interrupted(Exception):
    pass


def fdinfo_flags(fd):
    with open("/proc/self/fdinfo/%d" % fd) as f:
        for line in f:
            if line.startswith("flags:"):
                return line.split()[1]


def describe_fd(fd):
    """What the test compares of a descriptor: close-on-exec, status flags
    (fdinfo), type and mode of the file."""
    st = os.fstat(fd)
    d = "cloexec=%d flags=%s getfl=%o mode=%o nlink=%d" % (
        bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC), fdinfo_flags(fd),
        fcntl.fcntl(fd, fcntl.F_GETFL), st.st_mode, st.st_nlink)
    os.close(fd)
    return d


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def setup_fs():
    for d in ("allowed/sub", "allowed/emptydir", "allowed/rmme", "allowed/movable",
              "forbidden/rmme", "elsewhere"):
        os.makedirs(P(d), exist_ok=True)
    for rel in ("allowed/existing.txt", "allowed/sub/keep.txt", "allowed/unlinkme.txt",
                "allowed/renameme.txt", "allowed/renameme2.txt", "allowed/chmodme.txt",
                "allowed/utimeme.txt", "forbidden/target.txt", "forbidden/victim.txt",
                "forbidden/renamesrc.txt", "forbidden/unlinkme.txt", "forbidden/chmodme.txt",
                "forbidden/utimeme.txt"):
        write(P(rel), "orig")
    for rel in ("allowed/truncme.txt", "allowed/otrunc.txt", "forbidden/truncme.txt"):
        write(P(rel), "abcdef")
    write(P("allowed/ro.txt"), "ro", 0o444)
    os.symlink("existing.txt", P("allowed/link_in"))
    os.symlink(P("forbidden/target.txt"), P("allowed/link_out"))
    os.symlink("../forbidden/target.txt", P("allowed/link_rel_out"))
    os.symlink(P("forbidden/new_via_link.txt"), P("allowed/link_out_new"))
    os.symlink(P("forbidden"), P("allowed/link_dir_out"))
    os.makedirs(P("allowed/noaccess"))
    os.chmod(P("allowed/noaccess"), 0)


def tree():
    lines = []
    for dirpath, dirs, files in os.walk(ROOT):
        dirs.sort()
        for name in sorted(dirs + files):
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, ROOT)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                desc = "l -> " + os.readlink(p)
            elif stat.S_ISDIR(st.st_mode):
                desc = "d %o" % stat.S_IMODE(st.st_mode)
            elif stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    desc = "f %o n%d %r" % (stat.S_IMODE(st.st_mode), st.st_nlink, f.read(40))
            else:
                desc = "%s %o" % (stat.filemode(st.st_mode)[0], stat.S_IMODE(st.st_mode))
            lines.append("tree: %s %s" % (rel, desc))
    return lines


W = os.O_WRONLY | os.O_CREAT


def op_open(path, flags=W, mode=0o644, **kw):
    return lambda: describe_fd(C(os.open, path, flags, mode, **kw))


def with_cwd(d, fn):
    def go():
        old = os.getcwd()
        os.chdir(d)
        try:
            return fn()
        finally:
            os.chdir(old)
    return go


def with_dirfd(d, fn):
    """fn(dfd), dfd opened by the package itself (fs-read)."""
    def go():
        dfd = C(os.open, d, os.O_RDONLY | os.O_DIRECTORY)
        try:
            return fn(dfd)
        finally:
            os.close(dfd)
    return go


def dirfd_moved():
    dfd = C(os.open, P("allowed/movable"), os.O_RDONLY | os.O_DIRECTORY)
    os.rename(P("allowed/movable"), P("elsewhere/movable"))  # trusted code moves it out
    try:
        return describe_fd(C(os.open, "moved.txt", W, 0o644, dir_fd=dfd))
    finally:
        os.close(dfd)


def symlink_then_write():
    C(os.symlink, P("forbidden/target.txt"), P("allowed/newlink_out"))
    return describe_fd(C(os.open, P("allowed/newlink_out"), os.O_WRONLY | os.O_APPEND))


def proc_fd(d, name):
    def go():
        dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)  # trusted: the test is the path
        try:
            return describe_fd(C(os.open, "/proc/self/fd/%d/%s" % (dfd, name), W, 0o644))
        finally:
            os.close(dfd)
    return go


ESCAPES = {
    "symlink_abs_write": op_open(P("allowed/link_out"), os.O_WRONLY | os.O_TRUNC),
    "symlink_rel_write": op_open(P("allowed/link_rel_out"), os.O_WRONLY | os.O_APPEND),
    "symlink_dangling_create": op_open(P("allowed/link_out_new")),
    "symlink_dir_create": op_open(P("allowed/link_dir_out/via_dirlink.txt")),
    "symlink_dir_mkdir": lambda: C(os.mkdir, P("allowed/link_dir_out/via_dirlink.d")),
    "symlink_read": op_open(P("allowed/link_out"), os.O_RDONLY),
    "symlink_nofollow_out": op_open(P("allowed/link_out"), os.O_WRONLY | os.O_NOFOLLOW),
    "symlink_create_then_write": symlink_then_write,
    "chmod_via_symlink": lambda: C(os.chmod, P("allowed/link_out"), 0o600),
    "truncate_via_symlink": lambda: C(os.truncate, P("allowed/link_out"), 0),
    "utime_via_symlink": lambda: C(os.utime, P("allowed/link_out"), (0, 0)),
    "dotdot_out": op_open(P("allowed/../forbidden/dotdot.txt")),
    "dotdot_in": op_open(P("allowed/sub/../dotdot_in.txt")),
    "proc_root_out": op_open("/proc/self/root" + P("forbidden/procroot.txt")),
    "proc_root_in": op_open("/proc/self/root" + P("allowed/procroot_in.txt")),
    "proc_thread_root_out": op_open("/proc/thread-self/root" + P("forbidden/procthread.txt")),
    "proc_fd_out": proc_fd(P("forbidden"), "procfd.txt"),
    "proc_fd_in": proc_fd(P("allowed"), "procfd_in.txt"),
    "proc_cwd_out": with_cwd(P("forbidden"), op_open("/proc/self/cwd/proccwd.txt")),
    "chdir_rel_out": with_cwd(P("forbidden"), op_open("chdir_rel.txt")),
    "chdir_rel_in": with_cwd(P("allowed"), op_open("chdir_rel_in.txt")),
    "chdir_dotdot_out": with_cwd(P("allowed"), op_open("../forbidden/chdir_dotdot.txt")),
    "chdir_rename_out": with_cwd(P("allowed"), lambda: C(os.rename, "renameme2.txt",
                                                        "../forbidden/renamed_rel.txt")),
    "dirfd_in": with_dirfd(P("allowed"), lambda d: describe_fd(
        C(os.open, "dirfd_in.txt", W, 0o644, dir_fd=d))),
    "dirfd_out": with_dirfd(P("forbidden"), lambda d: describe_fd(
        C(os.open, "dirfd_out.txt", W, 0o644, dir_fd=d))),
    "dirfd_dotdot_out": with_dirfd(P("allowed"), lambda d: describe_fd(
        C(os.open, "../forbidden/dirfd_dotdot.txt", W, 0o644, dir_fd=d))),
    "dirfd_abs_out": with_dirfd(P("allowed"), lambda d: describe_fd(
        C(os.open, P("forbidden/dirfd_abs.txt"), W, 0o644, dir_fd=d))),
    "dirfd_unlink_out": with_dirfd(P("forbidden"), lambda d: C(os.unlink, "unlinkme.txt",
                                                              dir_fd=d)),
    "dirfd_moved_out": dirfd_moved,
    "rename_into_place": lambda: C(os.rename, P("forbidden/renamesrc.txt"),
                                   P("allowed/renamed_in.txt")),
    "rename_out": lambda: C(os.rename, P("allowed/renameme.txt"), P("forbidden/renamed_out.txt")),
    "rename_over_out": lambda: C(os.replace, P("allowed/existing.txt"), P("forbidden/target.txt")),
    "tmpfile_out": op_open(P("forbidden"), os.O_TMPFILE | os.O_WRONLY, 0o600),
    "unlink_symlink_itself": lambda: C(os.unlink, P("allowed/link_rel_out")),
}


def umask_then(fn):
    def go():
        old = os.umask(0o027)
        try:
            return fn()
        finally:
            os.umask(old)
    return go


def lowest_fd():
    free = os.dup(0)
    os.close(free)
    fd = C(os.open, P("allowed/lowest.txt"), W, 0o644)
    os.close(fd)
    return "lowest=%s" % (fd == free)


def tmpfile_link():
    fd = C(os.open, P("allowed"), os.O_TMPFILE | os.O_WRONLY, 0o600)
    os.write(fd, b"tmp")
    try:
        # linkat(AT_FDCWD, "/proc/self/fd/N", AT_FDCWD, NEW, AT_SYMLINK_FOLLOW): how an
        # O_TMPFILE file is given a name (os.link would call link(2), which does not follow)
        c_call(libc.linkat, -100, b"/proc/self/fd/%d" % fd, -100,
               P("allowed/tmp_linked.txt").encode(), 0x400)
    finally:
        os.close(fd)


def stat_after(fn, path):
    def go():
        r = fn()
        st = os.stat(path)
        return "%s mode=%o size=%d" % (r, stat.S_IMODE(st.st_mode), st.st_size)
    return go


SEMANTICS = {
    "cloexec": lambda: describe_fd(c_call(libc.open, P("allowed/ce.txt").encode(),
                                          W | os.O_CLOEXEC, 0o644)),
    "no_cloexec": lambda: describe_fd(c_call(libc.open, P("allowed/nce.txt").encode(), W, 0o644)),
    "append_nonblock": lambda: describe_fd(c_call(
        libc.open, P("allowed/existing.txt").encode(),
        os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK, 0)),
    "rdwr_read": lambda: os.read(C(os.open, P("allowed/existing.txt"), os.O_RDWR), 10),
    "otrunc": op_open(P("allowed/otrunc.txt"), os.O_WRONLY | os.O_TRUNC),
    "creat": lambda: describe_fd(c_call(libc.creat, P("allowed/creat.txt").encode(), 0o600)),
    "nofollow_read": op_open(P("allowed/link_in"), os.O_RDONLY | os.O_NOFOLLOW),
    "nofollow_write": op_open(P("allowed/link_in"), os.O_WRONLY | os.O_NOFOLLOW),
    "nofollow_creat": op_open(P("allowed/link_in"), W | os.O_NOFOLLOW),
    "odirectory_file": op_open(P("allowed/existing.txt"), os.O_RDONLY | os.O_DIRECTORY),
    "odirectory_file_w": op_open(P("allowed/existing.txt"), os.O_WRONLY | os.O_DIRECTORY),
    "odirectory_creat": op_open(P("allowed/odircreat"), W | os.O_DIRECTORY),
    "eisdir": op_open(P("allowed/sub"), os.O_WRONLY),
    "tmpfile": op_open(P("allowed"), os.O_TMPFILE | os.O_WRONLY, 0o600),
    "tmpfile_link": tmpfile_link,
    "excl_existing": op_open(P("allowed/existing.txt"), W | os.O_EXCL),
    "excl_new": op_open(P("allowed/excl_new.txt"), W | os.O_EXCL),
    "umask_open": umask_then(op_open(P("allowed/umask.txt"), W, 0o666)),
    "umask_mkdir": umask_then(stat_after(lambda: C(os.mkdir, P("allowed/umask.d"), 0o777),
                                         P("allowed/umask.d"))),
    "reldirfd": with_dirfd(P("allowed"), lambda d: describe_fd(
        C(os.open, "sub/rel.txt", W, 0o644, dir_fd=d))),
    "enoent_dir": op_open(P("allowed/missing/x.txt")),
    "enoent_read": op_open(P("allowed/nothere.txt"), os.O_RDONLY),
    "eacces_dir": op_open(P("allowed/noaccess/x.txt")),
    "eacces_file": op_open(P("allowed/ro.txt"), os.O_WRONLY),
    "lowest_fd": lowest_fd,
    "mkdir_in": lambda: C(os.mkdir, P("allowed/newdir")),
    "mkdir_exists": lambda: C(os.mkdir, P("allowed/sub")),
    "mkdir_out": lambda: C(os.mkdir, P("forbidden/newdir")),
    "rmdir_in": lambda: C(os.rmdir, P("allowed/rmme")),
    "rmdir_notempty": lambda: C(os.rmdir, P("allowed/sub")),
    "rmdir_out": lambda: C(os.rmdir, P("forbidden/rmme")),
    "unlink_in": lambda: C(os.unlink, P("allowed/unlinkme.txt")),
    "unlink_missing": lambda: C(os.unlink, P("allowed/nothere.txt")),
    "unlink_dir": lambda: C(os.unlink, P("allowed/emptydir")),
    "unlink_out": lambda: C(os.unlink, P("forbidden/unlinkme.txt")),
    "rename_in": lambda: C(os.rename, P("allowed/renameme.txt"), P("allowed/sub/renamed.txt")),
    "rename_missing": lambda: C(os.rename, P("allowed/nothere.txt"), P("allowed/x.txt")),
    "link_in": lambda: C(os.link, P("allowed/existing.txt"), P("allowed/hardlink_in.txt")),
    "link_exists": lambda: C(os.link, P("allowed/existing.txt"), P("allowed/sub/keep.txt")),
    "symlink_in": lambda: C(os.symlink, "existing.txt", P("allowed/sym_in")),
    "symlink_out": lambda: C(os.symlink, "x", P("forbidden/sym_out")),
    "chmod_in": lambda: C(os.chmod, P("allowed/chmodme.txt"), 0o600),
    "chmod_out": lambda: C(os.chmod, P("forbidden/chmodme.txt"), 0o600),
    "truncate_in": lambda: C(os.truncate, P("allowed/truncme.txt"), 3),
    "truncate_missing": lambda: C(os.truncate, P("allowed/nothere.txt"), 3),
    "truncate_out": lambda: C(os.truncate, P("forbidden/truncme.txt"), 3),
    "utime_in": lambda: C(os.utime, P("allowed/utimeme.txt"), (1, 1)),
    "utime_out": lambda: C(os.utime, P("forbidden/utimeme.txt"), (1, 1)),
    "mkfifo_in": lambda: C(os.mkfifo, P("allowed/fifo")),
    "mkfifo_out": lambda: C(os.mkfifo, P("forbidden/fifo")),
}


def hardlink():
    """Link a forbidden file into the allowed tree, then write through the
    new name."""
    print("link: " + outcome(lambda: C(os.link, P("forbidden/victim.txt"), P("allowed/hl.txt"))),
          flush=True)
    def wr():
        fd = C(os.open, P("allowed/hl.txt"), os.O_WRONLY | os.O_TRUNC)
        os.write(fd, b"pwned")
        os.close(fd)
    print("write: " + outcome(wr), flush=True)


# -------------------------------------------------------------------------- net

def port(k):
    return int(KV[k])


def tcp_connect(p, host="127.0.0.1", family=socket.AF_INET):
    def go():
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            C(s.connect, (host, p))
            return "peer=%s" % (s.getpeername()[1],)
        finally:
            s.close()
    return go


def nonblock_connect():
    s = socket.socket()
    s.setblocking(False)
    try:
        try:
            C(s.connect, ("127.0.0.1", port("ok")))
            first = "done"
        except BlockingIOError as e:
            first = errno.errorcode[e.errno]
        select.select([], [s], [], 5)
        return "%s so_error=%d peer=%d" % (
            first, s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR), s.getpeername()[1])
    finally:
        s.close()


def interrupted_connect():
    """A blocking connect to a listener whose queue is full (SYNs dropped),
    abandoned after 0.3 s by a signal whose handler raises; then no descriptor
    may be left behind and the next connect must work at once."""
    def handler(sig, frame):
        raise Interrupted()
    old = signal.signal(signal.SIGALRM, handler)
    before = len(os.listdir("/proc/self/fd"))
    s = socket.socket()
    t0 = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        C(s.connect, ("127.0.0.1", port("full")))
        first = "connected"
    except Interrupted:
        first = "Interrupted"
    except OSError as e:
        first = "ERR " + errno.errorcode.get(e.errno, str(e.errno))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    waited = time.monotonic() - t0
    s.close()
    leaked = len(os.listdir("/proc/self/fd")) - before
    t1 = time.monotonic()
    after = outcome(tcp_connect(port("ok")))
    return "%s quick=%s leaked=%d after=%s after_quick=%s" % (
        first, waited < 3, leaked, after, time.monotonic() - t1 < 3)


def bind_listen_accept():
    s = socket.socket()
    try:
        C(s.bind, ("127.0.0.1", 0))
        host, p = s.getsockname()
        C(s.listen, 5)
        c = socket.create_connection((host, p))  # trusted
        a, peer = C(s.accept)
        ok = a.getpeername() == c.getsockname()
        a.close()
        c.close()
        return "host=%s port_nonzero=%s accepted=%s" % (host, p != 0, ok)
    finally:
        s.close()


def bind_to(addr, fam=socket.AF_INET):
    def go():
        s = socket.socket(fam)
        try:
            C(s.bind, addr)
            return "host=%s" % s.getsockname()[0]
        finally:
            s.close()
    return go


def udp(kind, p):
    def go():
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            if kind == "sendto":
                return C(u.sendto, b"%s-%d" % (kind.encode(), p), ("127.0.0.1", p))
            return C(u.sendmsg, [b"%s-%d" % (kind.encode(), p)], [], 0, ("127.0.0.1", p))
        finally:
            u.close()
    return go


def unix_connect(addr, kind=socket.SOCK_STREAM):
    def go():
        s = socket.socket(socket.AF_UNIX, kind)
        try:
            if kind == socket.SOCK_DGRAM:
                return C(s.sendto, b"hi", addr)
            C(s.connect, addr)
        finally:
            s.close()
    return go


_UNIX = []


def setup_net():
    """Unix listeners and receivers, made by the application (trusted)."""
    os.makedirs(P("sock"), exist_ok=True)
    ab = KV["abstract"]
    for addr, kind in ((P("sock/ok.sock"), socket.SOCK_STREAM),
                       (P("sock/no.sock"), socket.SOCK_STREAM),
                       (P("sock/okd.sock"), socket.SOCK_DGRAM),
                       (P("sock/nod.sock"), socket.SOCK_DGRAM),
                       ("\0" + ab + "-ok", socket.SOCK_STREAM),
                       ("\0" + ab + "-no", socket.SOCK_STREAM)):
        s = socket.socket(socket.AF_UNIX, kind)
        s.bind(addr)
        if kind == socket.SOCK_STREAM:
            s.listen(16)
        _UNIX.append(s)


def net_scenarios():
    ab = KV["abstract"]
    sc = {
        "connect_ok": tcp_connect(port("ok")),
        "connect_no": tcp_connect(port("no")),
        "connect_closed": tcp_connect(port("closed")),
        "connect_star": tcp_connect(port("star")),
        "connect_named": tcp_connect(port("named")),
        "connect_cidr": tcp_connect(port("cidr")),
        "connect_nonblock": nonblock_connect,
        "connect_interrupted": interrupted_connect,
        "bind_listen_accept": bind_listen_accept,
        "bind_any_out": bind_to(("0.0.0.0", 0)),
        "bind_in_use": bind_to(("127.0.0.1", port("ok"))),
        "udp_sendto_ok": udp("sendto", port("udp_ok")),
        "udp_sendto_no": udp("sendto", port("udp_no")),
        "udp_sendmsg_ok": udp("sendmsg", port("udp_ok")),
        "udp_sendmsg_no": udp("sendmsg", port("udp_no")),
        "unix_connect_ok": unix_connect(P("sock/ok.sock")),
        "unix_connect_no": unix_connect(P("sock/no.sock")),
        "unix_connect_missing": unix_connect(P("sock/okmissing.sock")),
        "unix_abstract_ok": unix_connect("\0" + ab + "-ok"),
        "unix_abstract_no": unix_connect("\0" + ab + "-no"),
        "unix_dgram_ok": unix_connect(P("sock/okd.sock"), socket.SOCK_DGRAM),
        "unix_dgram_no": unix_connect(P("sock/nod.sock"), socket.SOCK_DGRAM),
    }
    if KV.get("v6"):
        sc["connect_v6"] = tcp_connect(port("v6"), "::1", socket.AF_INET6)
    return sc


if GROUP == "setup":
    setup_fs()
    scenarios = {}
elif GROUP == "escapes":
    setup_fs()
    scenarios = ESCAPES
elif GROUP == "semantics":
    setup_fs()
    scenarios = SEMANTICS
elif GROUP == "hardlink":
    setup_fs()
    scenarios = {}
    hardlink()
elif GROUP == "net":
    setup_net()
    scenarios = net_scenarios()
else:
    sys.exit("unknown group " + GROUP)

for name, fn in scenarios.items():
    print("%s: %s" % (name, outcome(fn)), flush=True)
if GROUP != "net":
    os.chmod(P("allowed/noaccess"), 0o700)  # so that the tree can be listed and removed
    print("\n".join(tree()), flush=True)
