"""logsink - the benchmarks' logging package (confined to fs-write by
bench/typical.yaml). Named by the policy; only args_open.py calls it."""
import os


def write(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")


def touch_many(path, n):
    """n opens for appending, each closed at once (bench/workloads/args_open.py)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    for _ in range(n):
        os.close(os.open(path, flags, 0o644))
