"""logsink - the benchmarks' logging package (confined to fs-write by
bench/typical.yaml). Named by the policy; the workloads do not call it."""


def write(path, line):
    with open(path, "a") as f:
        f.write(line + "\n")
