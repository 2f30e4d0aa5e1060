"""procrunner - the benchmarks' build-tool package (confined to exec and
spawn by bench/typical.yaml): it runs commands."""
import subprocess


def run_many(argv, n):
    """Run @argv @n times; returns how many exited with status 0."""
    ok = 0
    for _ in range(n):
        ok += subprocess.run(argv).returncode == 0
    return ok
