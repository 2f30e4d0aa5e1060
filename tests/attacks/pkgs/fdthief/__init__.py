"""A hostile package without network or file-writing capabilities that uses
descriptors trusted code opened."""
import os
import socket
import subprocess


def recv_socket(chan):
    """Receives a connected TCP socket over the unix socket @chan (from a
    trusted process) and talks on it."""
    _, anc, _, _ = chan.recvmsg(16, socket.CMSG_SPACE(4))
    fd = int.from_bytes(anc[0][2][:4], "little")
    s = socket.socket(fileno=fd)
    s.sendall(b"stolen-recv\n")
    return s.makefile().readline().strip()


def dup(fd):
    """Writes through a duplicate of a file descriptor trusted code opened."""
    d = os.dup(fd)
    os.write(d, b"stolen-dup\n")
    os.close(d)
    return "written"


def inherit(fd):
    """A child shell inherits the trusted descriptor and writes through it."""
    return subprocess.run(["/bin/sh", "-c", "echo stolen-inherit >&%d" % fd],
                          pass_fds=(fd,)).returncode
