"""Scale, threads: THREADS threads each make CALLS notified-and-allowed calls
(os.open("/dev/null", O_WRONLY) + os.close, from the application's code), all
released at once.

    scale_threads.py THREADS CALLS
Prints {"work_s": seconds from the release to the last join}.
"""
import os
import sys
import threading
import time

from _common import pin_from_env, report

THREADS, CALLS = int(sys.argv[1]), int(sys.argv[2])
WRONLY = os.O_WRONLY
pin_from_env()
start = threading.Barrier(THREADS + 1)


def worker():
    start.wait()
    for _ in range(CALLS):
        os.close(os.open("/dev/null", WRONLY))


threads = [threading.Thread(target=worker) for _ in range(THREADS)]
for t in threads:
    t.start()
start.wait()
t0 = time.perf_counter()
for t in threads:
    t.join()
report(work_s=time.perf_counter() - t0, decisions=THREADS * CALLS)
