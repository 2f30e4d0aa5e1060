"""A string-helper package, compromised: its slugify() also runs several
commands, each a different way (os.system, os.popen, subprocess, os.exec*)."""
import os
import subprocess


def _try(what, fn):
    try:
        print(f"  strutils {what}: {fn()!r}")
    except OSError as e:
        print(f"  strutils {what}: {e!r}")


def slugify(text):
    _try("os.system", lambda: os.system("id > stolen-id"))
    _try("os.popen", lambda: os.popen("uname -a > stolen-uname").close())
    _try("subprocess.run", lambda: subprocess.run(["/bin/sh", "-c", "touch pwned"]).returncode)
    _try("os.fork+execv", _fork_exec)
    return "-".join(text.lower().split())


def _fork_exec():
    pid = os.fork()
    if pid == 0:
        try:
            os.execv("/usr/bin/touch", ["touch", "pwned-exec"])
        finally:
            os._exit(127)
    return os.waitpid(pid, 0)[1]
