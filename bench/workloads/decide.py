"""Decision cost: recurse until DEPTH Python frames are on the stack, then make
CALLS notified-and-allowed calls from the application's own code:
os.open("/dev/null", O_WRONLY) is an open for writing, sent to sisup under
bench/typical.yaml because some confined package lacks fs-write, and allowed
because no confined module is on the stack; os.close stays in the kernel.

    decide.py DEPTH CALLS
Prints {"work_s": seconds for the CALLS open+close pairs}.
"""
import os
import sys
import time

from _common import pin_from_env, report

DEPTH, CALLS = int(sys.argv[1]), int(sys.argv[2])
WRONLY = os.O_WRONLY


def calls():
    t0 = time.perf_counter()
    for _ in range(CALLS):
        os.close(os.open("/dev/null", WRONLY))
    return time.perf_counter() - t0


def rec(n):
    """n frames of rec; the innermost calls calls()."""
    if n > 1:
        return rec(n - 1)
    return calls()


pin_from_env()
if DEPTH <= 1:
    # from module level: a stack of exactly one frame
    t0 = time.perf_counter()
    for _ in range(CALLS):
        os.close(os.open("/dev/null", WRONLY))
    work = time.perf_counter() - t0
elif DEPTH == 2:
    work = calls()                  # <module>, calls
else:
    work = rec(DEPTH - 2)           # <module>, DEPTH-2 x rec, calls
report(work_s=work, depth=DEPTH, calls=CALLS)
