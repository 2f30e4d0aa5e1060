"""Shared by the workload programs: optional pinning and the result line."""
import json
import os
import sys


def pin_from_env():
    """BENCH_PIN_CPU=N pins the program to CPU N (sched_setaffinity is not a
    notified call); the driver pins sisup or the peer itself."""
    cpu = os.environ.get("BENCH_PIN_CPU")
    if cpu:
        os.sched_setaffinity(0, {int(cpu)})


def report(**fields):
    """One JSON line on stdout: what the driver reads."""
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()
