"""Scale, processes: PROCS forked processes each make CALLS notified-and-
allowed calls (os.open("/dev/null", O_WRONLY) + os.close), all released at
once through a pipe.

    scale_procs.py PROCS CALLS
Prints {"work_s": seconds from the release to the last exit}.
"""
import os
import sys
import time

from _common import pin_from_env, report

PROCS, CALLS = int(sys.argv[1]), int(sys.argv[2])
WRONLY = os.O_WRONLY
pin_from_env()
r, w = os.pipe()
pids = []
for _ in range(PROCS):
    pid = os.fork()
    if pid == 0:
        os.close(w)
        os.read(r, 1)
        for _ in range(CALLS):
            os.close(os.open("/dev/null", WRONLY))
        os._exit(0)
    pids.append(pid)
os.close(r)
t0 = time.perf_counter()
os.write(w, b"g" * PROCS)
bad = 0
for pid in pids:
    bad += os.waitpid(pid, 0)[1] != 0
report(work_s=time.perf_counter() - t0, decisions=PROCS * CALLS, failed=bad)
sys.exit(1 if bad else 0)
