"""argrules.py DIR OUT OK_PORT FULL_PORT ROUNDS: the argument-rule paths of
the supervisor (pathcall, netcall, netdefer) ROUNDS times, for run.sh. The
policy grants the confined package argops {fs-write: [DIR/**]} and
{net-connect: [127.0.0.1:OK_PORT, 127.0.0.1:FULL_PORT]}; every call under
test goes through argops.call. The application (trusted) makes the
listeners. Prints one "name: count" line per outcome."""
import errno
import os
import signal
import socket
import sys
import threading

import argops

C = argops.call
DIR, OUT = sys.argv[1], sys.argv[2]
OK, FULL, ROUNDS = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
count = {}


def note(name):
    count[name] = count.get(name, 0) + 1


class Interrupted(Exception):
    pass


def on_alarm(sig, frame):
    raise Interrupted()


def acceptor(lst):
    while True:
        try:
            c, _ = lst.accept()
        except OSError:
            return
        c.close()


ok = socket.socket()
ok.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ok.bind(("127.0.0.1", OK))
ok.listen(128)
threading.Thread(target=acceptor, args=(ok,), daemon=True).start()
no = socket.socket()
no.bind(("127.0.0.1", 0))
no.listen(128)
full = socket.socket()
full.bind(("127.0.0.1", FULL))
full.listen(0)
fillers = []
for _ in range(3):  # fill its accept queue: later SYNs are dropped
    f = socket.socket()
    f.setblocking(False)
    f.connect_ex(full.getsockname())
    fillers.append(f)
signal.signal(signal.SIGALRM, on_alarm)

for i in range(ROUNDS):
    fd = C(os.open, os.path.join(DIR, "f%d" % (i % 8)), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.close(fd)
    note("open_allowed")
    try:
        C(os.open, os.path.join(OUT, "f"), os.O_WRONLY | os.O_CREAT, 0o644)
        note("open_escaped")
    except PermissionError:
        note("open_denied")
    s = socket.socket()
    C(s.connect, ("127.0.0.1", OK))
    s.close()
    note("connect_allowed")
    s = socket.socket()
    try:
        C(s.connect, ("127.0.0.1", no.getsockname()[1]))
        note("connect_escaped")
    except PermissionError:
        note("connect_denied")
    s.close()
    if i % 25 == 0:
        # a blocking connect that waits (SYNs dropped) in a worker of the
        # supervisor, abandoned after 0.2 s by a signal whose handler raises
        s = socket.socket()
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        try:
            C(s.connect, ("127.0.0.1", FULL))
            note("connect_full_connected")
        except Interrupted:
            note("connect_interrupted")
        except OSError as e:
            note("connect_full_" + errno.errorcode.get(e.errno, str(e.errno)))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        s.close()

for k in sorted(count):
    print("%s: %d" % (k, count[k]), flush=True)
