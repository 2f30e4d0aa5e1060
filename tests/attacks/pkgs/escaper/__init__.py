"""A hostile package that tries to get a forbidden effect done by another
process. Each attack takes the marker path (and an extra argument); the
effect to prevent is the marker's creation (fs-write, which the package
lacks), or for the memfd attacks a program running at all."""
import functools
import multiprocessing
import os
import pty
import subprocess
import sys

TOUCH = "/usr/bin/touch"


def _wait(pid):
    return os.waitpid(pid, 0)[1]


def posix_spawn(path, extra):
    return _wait(os.posix_spawn(TOUCH, ["touch", path], dict(os.environ)))


def fork_execv(path, extra):
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(TOUCH, ["touch", path])
        finally:
            os._exit(127)
    return _wait(pid)


def pty_spawn(path, extra):
    return pty.spawn([TOUCH, path])


def forkserver(path, extra):
    """A process from the forkserver the application started earlier: the
    forkserver is trusted, the target a builtin with no frame."""
    ctx = multiprocessing.get_context("forkserver")
    p = ctx.Process(target=functools.partial(open, path, "w"))
    p.start()
    p.join()
    return p.exitcode


def clean_env_python(path, extra):
    """A child interpreter in isolated mode, with an empty environment."""
    return subprocess.run([sys.executable, "-I", "-S", "-c", "open(%r, 'w')" % path],
                          env={}, stderr=subprocess.PIPE).returncode


def ld_preload(path, extra):
    """A child whose environment preloads a library (@extra) that creates the
    marker from its constructor (MARKER in its environment)."""
    env = {"LD_PRELOAD": extra, "MARKER": path}
    return subprocess.run(["/usr/bin/true"], env=env).returncode


def python_startup(path, extra):
    """A child interactive interpreter with PYTHONSTARTUP (@extra) and a
    sitecustomize on its PYTHONPATH, each creating the marker."""
    d = os.path.dirname(extra)
    env = {"PYTHONSTARTUP": extra, "PYTHONPATH": d, "MARKER": path}
    return subprocess.run([sys.executable, "-i"], env=env, stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE).returncode


def memfd_exec(path, extra):
    """/usr/bin/echo copied into a memfd and run with execveat(fd, "",
    AT_EMPTY_PATH) (os.execve on a descriptor): prints MEMFD-RAN."""
    fd = os.memfd_create("x", 0)
    with open("/usr/bin/echo", "rb") as f:
        os.write(fd, f.read())
    pid = os.fork()
    if pid == 0:
        try:
            os.execve(fd, ["echo", "MEMFD-RAN"], {})
        finally:
            os._exit(127)
    return _wait(pid)


def write_file(path, extra):
    """Writes into @extra (a .pth file in the user site) a line that creates
    @path when the next interpreter starts."""
    with open(extra, "w") as f:
        f.write("import os; open(%r, 'w').close()\n" % path)
    return "written"
