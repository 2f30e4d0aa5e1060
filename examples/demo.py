"""A small program for sisup's demo: it writes a file, starts a child process,
opens a socket, and then tries two things the sandbox always refuses."""
import ctypes
import os
import socket
import subprocess
import tempfile

libc = ctypes.CDLL(None, use_errno=True)

with tempfile.NamedTemporaryFile("w", delete=True) as f:
    f.write("hello\n")
print("child says:", subprocess.run(["echo", "hi"], capture_output=True, text=True).stdout.strip())
socket.socket().close()

# ptrace and io_uring are refused by the kernel part of sisup's filter
PTRACE_TRACEME = 0
r = libc.ptrace(PTRACE_TRACEME, 0, None, None)
print("ptrace(PTRACE_TRACEME) ->", r, os.strerror(ctypes.get_errno()) if r else "")
r = libc.syscall(425, 1, None)  # io_uring_setup
print("io_uring_setup ->", r, os.strerror(ctypes.get_errno()) if r < 0 else "")
