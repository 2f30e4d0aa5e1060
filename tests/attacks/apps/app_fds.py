"""app_fds.py ATTACK HOST PORT FILE: trusted code opens a descriptor (a TCP
connection to HOST:PORT sent over a unix socket by a trusted child process
for recv_socket; FILE opened for appending for dup and inherit) and hands it
to fdthief.ATTACK. Prints "result: VALUE" or the exception's name."""
import os
import socket
import sys

attack, host, port, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

if attack == "recv_socket":
    parent, child = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # a trusted process: connects and passes the socket on
        conn = socket.create_connection((host, port))
        child.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                conn.fileno().to_bytes(4, "little"))])
        os._exit(0)
    os.waitpid(pid, 0)
    arg = parent
else:
    arg = os.open(path, os.O_WRONLY | os.O_APPEND)

import fdthief  # noqa: E402

try:
    print("result: %s" % getattr(fdthief, attack)(arg), flush=True)
except Exception as e:
    print("result: %s %s" % (type(e).__name__, e), flush=True)
