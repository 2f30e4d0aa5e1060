"""A package that should not touch the network but opens a socket."""
import socket


def beacon():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.close()
    return "socket opened"
