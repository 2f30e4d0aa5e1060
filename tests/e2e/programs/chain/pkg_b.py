"""The module that makes the syscall (socket())."""
import socket


def g():
    s = socket.socket()  # L:g
    s.close()
    return 1
