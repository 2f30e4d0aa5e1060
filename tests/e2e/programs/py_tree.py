"""Python process-tree workloads run under sisup by test_python.py.

usage: py_tree.py MODE
Each mode prints a line that the test checks and exits 0 on success.
"""
import os
import subprocess
import sys
import tempfile
import threading


def touch(i):
    # a notified call (open for writing) in whatever task runs this
    fd = os.open(os.devnull, os.O_WRONLY)
    os.close(fd)
    return i * i


def mode_threads():
    results = []
    ts = [threading.Thread(target=lambda i=i: results.append(touch(i))) for i in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("threads", sorted(results))


def mode_mp(method):
    import multiprocessing as mp
    ctx = mp.get_context(method)
    with ctx.Pool(2) as pool:
        print(method, pool.map(touch, range(6)))


def mode_subprocess():
    r = subprocess.run(["/bin/echo", "from-child"], capture_output=True, text=True)
    print("subprocess", r.returncode, r.stdout.strip())
    r = subprocess.run([sys.executable, "-c", "import sys; sys.exit(5)"])
    print("python-child", r.returncode)


def mode_posix_spawn():
    pid = os.posix_spawn("/bin/sh", ["sh", "-c", "exit 6"], dict(os.environ))
    _, st = os.waitpid(pid, 0)
    print("posix_spawn", os.waitstatus_to_exitcode(st) if hasattr(os, "waitstatus_to_exitcode")
          else st >> 8)


def mode_fork_exec():
    pid = os.fork()
    if pid == 0:
        os.execv("/bin/sh", ["sh", "-c", "exit 9"])
    _, st = os.waitpid(pid, 0)
    print("fork_exec", st >> 8)


def main():
    mode = sys.argv[1]
    if mode in ("fork", "spawn", "forkserver"):
        mode_mp(mode)
    else:
        globals()["mode_" + mode]()


if __name__ == "__main__":
    main()
