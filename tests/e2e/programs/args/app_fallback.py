"""Argument rules when sisup cannot perform the call (pidfd_getfd denied to
it, as under Docker's default seccomp profile): the confined package argops
connects to a port its rules allow, and writes a file its rules allow.

    app_fallback.py PORT DIR
Prints "connect: ok|EPERM|<errno name>" and "open: ..." lines.
"""
import errno
import os
import socket
import struct  # noqa: F401 - loaded by trusted code: see below
import sys

# argops imports struct; without pidfd_getfd sisup cannot check the mapping of
# a C extension a confined module loads (pyenv builds have _struct as one), so
# the application loads it first.
import argops

port, root = int(sys.argv[1]), sys.argv[2]


def outcome(fn, *args):
    try:
        r = argops.call(fn, *args)
        if isinstance(r, int) and r >= 0 and fn is os.open:
            os.close(r)
        return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


s = socket.socket()
print("connect:", outcome(s.connect, ("127.0.0.1", port)))
s.close()
# An absolute path needs no descriptor of the program: still performed.
print("open:", outcome(os.open, os.path.join(root, "abs.txt"), os.O_WRONLY | os.O_CREAT, 0o644))
# Relative to a directory descriptor: sisup would need a copy of it.
d = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
print("open-dirfd:", outcome(lambda: os.open("rel.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=d)))
