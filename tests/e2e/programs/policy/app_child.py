"""The confined `spawner` starts a child Python that tries to open a socket;
the child prints a marker and exits 42 when denied, 0 when allowed."""
import sys

import spawner

CHILD = r"""
import socket, sys
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
except PermissionError:
    print("CHILD-DENIED", flush=True)
    sys.exit(42)
print("CHILD-ALLOWED", flush=True)
sys.exit(0)
"""

try:
    code, out, err = spawner.run_child(CHILD)
except Exception as e:
    print("spawn failed:", type(e).__name__, e, flush=True)
    sys.exit(2)
print("child exit:", code, flush=True)
print("child stdout:", out.strip(), flush=True)
sys.stderr.write(err)
