"""A well-behaved HTTP client package: resolves a name and connects."""
import socket


def fetch(host, port):
    with socket.create_connection((host, port), timeout=5) as s:
        s.sendall(b"GET /forecast HTTP/1.0\r\n\r\n")
        return s.recv(100).decode(errors="replace").splitlines()[0]
