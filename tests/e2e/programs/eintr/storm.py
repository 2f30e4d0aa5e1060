"""Calls that never fail with EINTR bare, made under a storm of SIGALRM whose
handler is installed without SA_RESTART (Python's way). Prints how many
InterruptedError each kind of call raised, as JSON."""
import json
import os
import signal
import socket
import sys
import tempfile

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
caught = 0


def handler(signum, frame):
    global caught
    caught += 1


signal.signal(signal.SIGALRM, handler)
d = tempfile.mkdtemp()
calls = {
    "kill": lambda: os.kill(os.getpid(), 0),
    "socket": lambda: socket.socket().close(),
    "mkdir+rmdir": lambda: (os.mkdir(os.path.join(d, "x")), os.rmdir(os.path.join(d, "x"))),
    "rename": lambda: (open(os.path.join(d, "a"), "w").close(), os.rename(os.path.join(d, "a"), os.path.join(d, "b"))),
}
eintr = {}
signal.setitimer(signal.ITIMER_REAL, 1e-4, 1e-4)
for name, call in calls.items():
    eintr[name] = 0
    for _ in range(N):
        try:
            call()
        except InterruptedError:
            eintr[name] += 1
signal.setitimer(signal.ITIMER_REAL, 0)
for f in os.listdir(d):
    os.unlink(os.path.join(d, f))
os.rmdir(d)
print(json.dumps({"eintr": eintr, "signals": caught}))
