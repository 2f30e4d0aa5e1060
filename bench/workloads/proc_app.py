"""Process-heavy: the procrunner package (granted exec and spawn by
bench/typical.yaml) runs `true` COUNT times with subprocess.run.

    proc_app.py COUNT
Prints {"work_s": seconds for the COUNT runs}.
"""
import sys
import time

import procrunner
from _common import pin_from_env, report

COUNT = int(sys.argv[1])
pin_from_env()
t0 = time.perf_counter()
ok = procrunner.run_many(["true"], COUNT)
work = time.perf_counter() - t0
report(work_s=work, runs=COUNT, ok=ok == COUNT)
sys.exit(0 if ok == COUNT else 1)
