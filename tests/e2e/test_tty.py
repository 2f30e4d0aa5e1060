"""Transparency: terminals, job control and signals behave as without sisup.

The interactive tests drive a real pseudo-terminal, as a person at a terminal
would: type, read the screen, press Ctrl-Z, Ctrl-C.
"""
import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest

from conftest import SISUP, pids_alive, wait_for

PY = "/usr/bin/python3.11"


class Term:
    def __init__(self, argv, env=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execvpe(argv[0], argv, env or os.environ)
            finally:
                os._exit(127)
        self.buf = b""
        self.seen = b""

    def send(self, s):
        os.write(self.fd, s.encode() if isinstance(s, str) else s)

    def expect(self, pattern, timeout=15):
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        end = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf)
            if m:
                self.seen += self.buf[:m.end()]  # all output consumed so far
                self.buf = self.buf[m.end():]
                return m
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timeout waiting for {pattern!r}; screen: {self.buf[-800:]!r}")
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    raise AssertionError(f"EOF waiting for {pattern!r}; screen: {self.buf[-800:]!r}")
                self.buf += data

    def wait(self, timeout=15):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                try:
                    os.close(self.fd)
                except OSError:
                    pass
                return os.waitstatus_to_exitcode(st)
            try:
                r, _, _ = select.select([self.fd], [], [], 0.05)
                if r:
                    self.buf += os.read(self.fd, 4096)  # drain, never block
            except OSError:
                time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("terminal program did not exit")

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


@pytest.fixture
def term():
    made = []

    def start(argv):
        t = Term(argv, env=dict(os.environ, TERM="dumb", PS1="$ ", HISTFILE="/dev/null"))
        made.append(t)
        return t
    yield start
    for t in made:
        t.close()


def test_python_repl(term):
    t = term([str(SISUP), "--", PY, "-q", "-i"])
    t.expect(">>> ")
    t.send("print(6*7)\n")
    t.expect(r"42\r\n>>> ")
    t.send("import os; os.isatty(0)\n")
    t.expect("True")
    t.send("raise SystemExit(3)\n")
    assert t.wait() == 3


def test_bash_interactive_with_job_control(term):
    t = term([str(SISUP), "--", "/bin/bash", "--norc", "--noprofile", "-i"])
    t.expect(r"\$ ")  # readline discards what was typed before its first prompt
    t.send("echo $((6*7))\n")
    t.expect(r"\n42\r\n")
    t.expect(r"\$ ")
    t.send("sleep 30\n")
    time.sleep(0.5)
    t.send(b"\x1a")  # Ctrl-Z: bash's job stops, bash gets the terminal back
    t.expect("Stopped")
    t.expect(r"\$ ")
    t.send("echo pid=$(jobs -p)\n")
    pid = int(t.expect(r"pid=(\d+)").group(1))
    # stopped: "t" (a traced task in its group stop) where bare shows "T"
    assert open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] in "Tt"
    t.send("kill -9 %1\n")
    # The job really dies (when bash reports it is bash's business: it says
    # "Stopped" once more, as it does without sisup).
    assert wait_for(lambda: not pids_alive([pid]), timeout=10)
    t.send("exit 4\n")
    time.sleep(0.3)
    t.send("exit 4\n")  # a second exit in case bash still lists the job
    assert t.wait() == 4


def test_ctrl_z_and_fg_on_sisup(term):
    """sisup under an interactive shell: Ctrl-Z stops sisup and the program
    together, fg resumes both, the program finishes normally."""
    t = term(["/bin/bash", "--norc", "--noprofile", "-i"])
    t.expect(r"\$ ")
    prog = "import time; print('st' + 'art', flush=True); time.sleep(1.5); print('e' + 'nd', flush=True)"
    t.send(f"{SISUP} -- {PY} -c \"{prog}\"\n")
    t.expect(r"start\r\n")
    t.send(b"\x1a")
    t.expect("Stopped")
    time.sleep(2.0)  # stopped: the program's sleep is over but it cannot print
    assert b"end" not in t.buf
    t.send("fg\n")
    t.expect(r"end\r\n")
    t.send("echo rc=$?\n")
    t.expect(r"rc=0")
    t.send("exit\n")
    t.wait()


def test_ctrl_c_reaches_program_once(term, tmp_path):
    prog = tmp_path / "prog.py"
    prog.write_text(
        "import signal, time\n"
        "n = 0\n"
        "def h(*a):\n"
        "    global n\n"
        "    n += 1\n"
        "signal.signal(signal.SIGINT, h)\n"
        "print('rea' + 'dy', flush=True)\n"
        "while n == 0:\n"
        "    time.sleep(0.01)\n"
        "time.sleep(0.5)\n"
        "print('count', n, flush=True)\n")
    t = term(["/bin/bash", "--norc", "--noprofile", "-i"])
    t.expect(r"\$ ")
    t.send(f"{SISUP} -- {PY} {prog}\n")
    t.expect(r"ready\r\n")
    t.send(b"\x03")
    t.expect(r"count 1\r\n")  # the terminal's SIGINT, not a second forwarded one
    t.send("echo rc=$?\n")
    t.expect("rc=0")
    t.send("exit\n")
    t.wait()


WAITER = """
import signal, sys, time
def h(sig, frame):
    print("got", signal.Signals(sig).name, flush=True)
    sys.exit(3)
for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
    signal.signal(s, h)
print("ready", flush=True)
time.sleep(30)
sys.exit(9)
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT,
                                 signal.SIGUSR1])
def test_signals_sent_to_sisup_reach_program(sig):
    p = subprocess.Popen([str(SISUP), "--", PY, "-c", WAITER], stdout=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        assert p.stdout.readline() == "ready\n"
        os.kill(p.pid, sig)
        try:
            # (the program would exit by itself after 30 s)
            rc = p.wait(timeout=25)
        except subprocess.TimeoutExpired:
            # 10 s were exceeded twice in CI under heavy load, for SIGQUIT
            # only, never reproduced alone: keep what the tree looked like.
            tree = subprocess.run(["ps", "-o", "pid,ppid,stat,wchan:32,cmd", "--ppid",
                                   str(p.pid), "-p", str(p.pid)],
                                  capture_output=True, text=True).stdout
            status = ""
            for pid in re.findall(r"^\s*(\d+)", tree, re.M):
                try:
                    with open(f"/proc/{pid}/status") as f:
                        status += pid + ": " + " ".join(
                            l.strip() for l in f if l.startswith(("State", "SigPnd", "ShdPnd",
                                                                  "SigBlk", "SigCgt")))
                        status += "\n"
                except OSError:
                    pass
            pytest.fail(f"{sig.name} not handled within 25 s:\n{tree}{status}")
        assert rc == 3
        assert p.stdout.read() == f"got {sig.name}\n"
    finally:
        if p.poll() is None:
            p.kill()
