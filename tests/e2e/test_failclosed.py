"""Fail closed: when sisup dies, however it dies, the whole tree is dead within
a second; and the program never holds the listener."""
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import SISUP, pids_alive, wait_for

TREE = r"""
import os, subprocess, sys, threading, time
kids = [subprocess.Popen(["sleep", "100"]),
        subprocess.Popen(["sleep", "100"], start_new_session=True)]   # escapes the process group
pid = os.fork()
if pid == 0:
    if os.fork() == 0:       # a grandchild, orphaned when its parent exits
        time.sleep(100)
    os._exit(0)
threading.Thread(target=time.sleep, args=(100,), daemon=True).start()
print(" ".join(str(p) for p in [os.getpid()] + [k.pid for k in kids]), flush=True)
time.sleep(100)
"""


def descendants(root):
    """All live descendants of @root (by /proc/*/stat ppid)."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        for c in kids.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def start_tree(python, extra=""):
    p = subprocess.Popen([str(SISUP), "--", python, "-c", TREE + extra],
                         stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    assert line, "program did not start"
    # orphan grandchild and session leader are sisup's (subreaper) descendants
    wait_for(lambda: len(descendants(p.pid)) >= 5, timeout=10)
    return p, descendants(p.pid)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGSEGV])
def test_supervisor_death_kills_tree(python, sig):
    p, pids = start_tree(python)
    assert len(pids) >= 5
    t0 = time.monotonic()
    os.kill(p.pid, sig)
    p.wait(timeout=5)
    left = wait_for(lambda: not pids_alive(pids), timeout=1.0)
    assert left, f"still alive {time.monotonic() - t0:.2f}s after sisup died: {pids_alive(pids)}"


def test_program_killing_its_group_takes_sisup_and_tree(python):
    # kill(0, SIGKILL) from inside hits sisup too (same process group); the
    # kernel's EXITKILL then kills the child that left the group as well.
    prog = subprocess.Popen([str(SISUP), "--", python, "-c",
                             "import os, signal, subprocess, time\n"
                             "k = subprocess.Popen(['sleep', '100'], start_new_session=True)\n"
                             "print(k.pid, flush=True)\n"
                             "time.sleep(0.2)\n"
                             "os.kill(0, signal.SIGKILL)\n"],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    escaped = int(prog.stdout.readline())
    prog.wait(timeout=10)
    assert prog.returncode == -signal.SIGKILL  # sisup itself was killed
    assert wait_for(lambda: not pids_alive([escaped]), timeout=1.0)


def listener_fds(pid):
    found = []
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if "seccomp" in os.readlink(f"/proc/{pid}/fd/{fd}"):
                    found.append(fd)
            except OSError:
                pass
    except OSError:
        pass
    return found


def test_program_never_holds_listener(python):
    p, pids = start_tree(python)
    try:
        assert pids
        for pid in pids:
            assert listener_fds(pid) == [], f"pid {pid} holds a listener"
        # and the supervisor holds exactly one (readable as root only, since
        # sisup is non-dumpable; as another user /proc/SISUP/fd is closed)
        if os.geteuid() == 0:
            assert len(listener_fds(p.pid)) == 1
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=5)


def test_program_sees_no_listener_from_inside(sisup_run, python):
    code = ("import os\n"
            "bad = [fd for fd in os.listdir('/proc/self/fd') if 'seccomp' in "
            "(lambda p: os.readlink(p) if os.path.exists(p) else '')(f'/proc/self/fd/{fd}')]\n"
            "print(bad)\n")
    r = sisup_run(python, "-c", code)
    assert r.returncode == 0 and r.stdout == "[]\n"
