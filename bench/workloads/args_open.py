"""Emulated open vs a notified CONTINUE: the confined package logsink opens
and closes a file CALLS times (open for writing: notified under copies of
bench/typical.yaml, where another confined package lacks fs-write).

    args_open.py DIR CALLS
Holding fs-write and native-code, logsink's opens are answered CONTINUE.
Holding only {fs-write: [DIR/**]}, sisup resolves the path, checks the rule
and performs the open itself (descriptor injected).
Prints {"work_s": seconds for the CALLS open+close pairs}.
"""
import os
import sys
import time

from _common import pin_from_env, report

import logsink

DIR, CALLS = sys.argv[1], int(sys.argv[2])

pin_from_env()
t0 = time.perf_counter()
logsink.touch_many(os.path.join(DIR, "bench.log"), CALLS)
report(work_s=time.perf_counter() - t0)
