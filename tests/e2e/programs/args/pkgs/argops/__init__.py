"""The confined package of the argument-rule tests (issue 6).

Every sensitive call of the tests is made through `call`, so that this
package's frame is the innermost Python frame on the stack when the system
call is made: the scenarios themselves live in the (trusted) application, the
package only lends its frame. The race loops are here too, so that the loop
body, not only one call, runs with the package on the stack.
"""
import os
import socket
import struct


def call(fn, *args, **kw):
    return fn(*args, **kw)


def race_open(c_open, c_errno, addr, flags, tries, forbidden_ino):
    """@tries times: fd = c_open(addr, flags, 0o644) on the path buffer at
    @addr (being flipped by another thread). Returns (opened, denied, other,
    wins): wins counts descriptors that are the forbidden file (by inode)."""
    opened = denied = other = wins = 0
    for _ in range(tries):
        fd = c_open(addr, flags, 0o644)
        if fd < 0:
            if c_errno() == 1:  # EPERM
                denied += 1
            else:
                other += 1
            continue
        opened += 1
        st = os.fstat(fd)
        if st.st_ino == forbidden_ino[0] and st.st_dev == forbidden_ino[1]:
            wins += 1
        os.close(fd)
    return opened, denied, other, wins


_LINGER0 = struct.pack("ii", 1, 0)


def race_connect(c_connect, c_errno, addr, addrlen, tries, forbidden_port):
    """@tries times: a TCP socket, c_connect(fd, addr, addrlen) on the
    sockaddr at @addr (being flipped by another thread). Returns (connected,
    denied, other, wins): wins counts sockets whose peer is the forbidden
    port. Sockets are closed with SO_LINGER 0 (RST, no TIME_WAIT)."""
    connected = denied = other = wins = 0
    for _ in range(tries):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER0)
        r = c_connect(s.fileno(), addr, addrlen)
        if r < 0:
            if c_errno() == 1:
                denied += 1
            else:
                other += 1
        else:
            connected += 1
            if s.getpeername()[1] == forbidden_port:
                wins += 1
        s.close()
    return connected, denied, other, wins
