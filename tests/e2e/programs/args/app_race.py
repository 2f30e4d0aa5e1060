"""app_race.py open ROOT TRIES FLIP_SO
   app_race.py connect ALLOWED_PORT FORBIDDEN_PORT TRIES FLIP_SO

The race of issue 6: one thread flips a path (or a sockaddr's port) between
an allowed and a forbidden value at C speed (flip.c, loaded here by trusted
code), while the confined package `argops` calls libc's open (or connect) on
the same buffer TRIES times. The ctypes objects are made here, by the
application (trusted: loading libc and flip.so is not the package's doing);
the package only calls them, so it is the innermost principal of every call
(argops.race_open / race_connect hold the loop).

Prints "result: OK DENIED OTHER WINS", "flips: N", "seconds: S".
"""
import ctypes
import os
import struct
import sys
import threading
import time

import argops

libc = ctypes.CDLL(None, use_errno=True)
mode = sys.argv[1]
flip_so = ctypes.CDLL(sys.argv[-1])
flip_so.flip.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_uint, ctypes.c_int,
                         ctypes.c_void_p]
flip_so.flip.restype = ctypes.c_ulong
stop = ctypes.c_int(0)
flips = []


def flipper(addr, a, b, n):
    flips.append(flip_so.flip(addr, a, b, n, ctypes.addressof(stop)))


if mode == "open":
    root, tries = sys.argv[2], int(sys.argv[3])
    allowed, forbidden = os.path.join(root, "areaA", "x"), os.path.join(root, "areaF", "x")
    for p, text in ((allowed, "allowed"), (forbidden, "secret")):
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
    st = os.stat(forbidden)
    buf = ctypes.create_string_buffer(allowed.encode(), 4096)
    off = len(root) + len("/area")
    assert buf.raw[off:off + 1] == b"A"
    c_open = libc.open
    c_open.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint]
    c_open.restype = ctypes.c_int
    t = threading.Thread(target=flipper, args=(ctypes.addressof(buf) + off, ord("A"), ord("F"), 1))
    t.start()
    t0 = time.monotonic()
    res = argops.race_open(c_open, ctypes.get_errno, ctypes.addressof(buf),
                           os.O_WRONLY | os.O_CREAT | os.O_TRUNC, tries, (st.st_ino, st.st_dev))
    dt = time.monotonic() - t0
    stop.value = 1
    t.join()
    with open(forbidden) as f:
        print("forbidden content:", f.read())
elif mode == "connect":
    aport, fport, tries = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    sa = ctypes.create_string_buffer(struct.pack("=H", 2) + struct.pack("!H", aport) +
                                     bytes([127, 0, 0, 1]) + bytes(8), 16)
    c_connect = libc.connect
    c_connect.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_uint]
    c_connect.restype = ctypes.c_int
    a = int.from_bytes(struct.pack("!H", aport), "little")
    b = int.from_bytes(struct.pack("!H", fport), "little")
    t = threading.Thread(target=flipper, args=(ctypes.addressof(sa) + 2, a, b, 2))
    t.start()
    t0 = time.monotonic()
    res = argops.race_connect(c_connect, ctypes.get_errno, ctypes.addressof(sa), 16, tries, fport)
    dt = time.monotonic() - t0
    stop.value = 1
    t.join()
else:
    sys.exit("unknown mode " + mode)
print("result: %d %d %d %d" % res, flush=True)
print("flips: %d" % flips[0], flush=True)
print("seconds: %.2f" % dt, flush=True)
