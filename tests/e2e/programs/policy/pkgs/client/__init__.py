"""A network client: connects to HOST:PORT, sends a line, returns the reply."""
import socket


def fetch(host, port, payload=b"ping"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.settimeout(10)
        s.connect((host, port))
        s.sendall(payload + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.strip()
    finally:
        s.close()
