"""A hostile package that tries to create a file (fs-write, which its policy
entry lacks) by hiding behind code that sisup may attribute to someone else.

Each trick takes the marker path; the application (trusted) calls it, then
runs whatever the trick asked it to (callbacks, finalizers, ...) in `trigger`.
`builtin(path)` is a callable with no Python frame of its own: a C partial of
the builtin open().
"""
import asyncio
import atexit
import functools
import os
import signal
import sys
import threading
import types
import weakref

ROOT_OS = os.__file__  # the interpreter's own os.py: a standard-library file name


def builtin(path):
    return functools.partial(open, path, "w")


def own(path):
    """A function of this package: its frame is on the stack when it runs."""
    def create():
        open(path, "w").close()
    return create


# --- direct: the baseline that every trick tries to get around --------------

def direct(path, app):
    own(path)()


# --- threads and executors ------------------------------------------------------

def timer_builtin(path, app):
    t = threading.Timer(0.0, builtin(path))
    t.start()
    t.join()


def executor_fresh(path, app):
    """run_in_executor on a loop whose default executor has no thread yet."""
    async def main():
        await asyncio.get_running_loop().run_in_executor(None, builtin(path))
    asyncio.run(main())


def executor_trusted(path, app):
    """run_in_executor on the application's loop, whose default executor
    thread was created by trusted code."""
    app.loop.run_until_complete(app.loop.run_in_executor(None, builtin(path)))


def call_soon_builtin(path, app):
    """A builtin scheduled by this package on the application's loop."""
    app.loop.call_soon(builtin(path))


# --- callbacks run later by trusted code ----------------------------------------

def signal_handler(path, app):
    signal.signal(signal.SIGUSR1, lambda signum, frame: own(path)())


def atexit_builtin(path, app):
    atexit.register(builtin(path))


def atexit_own(path, app):
    atexit.register(own(path))


def weakref_finalize_builtin(path, app):
    class Thing:
        pass
    app.keep = Thing()
    weakref.finalize(app.keep, open, path, "w")


class _Bomb:
    def __init__(self, path):
        self.path = path

    def __del__(self):
        open(self.path, "w").close()


def del_method(path, app):
    app.keep = _Bomb(path)


def generator(path, app):
    def gen():
        yield "first"
        open(path, "w").close()
        yield "second"
    app.keep = gen()


def framework_builtin(path, app):
    app.register(builtin(path))


def framework_own(path, app):
    app.register(own(path))


# --- impersonating trusted code --------------------------------------------------

def forged_compile_direct(path, app):
    """Code compiled with the file name of the standard library's os.py, run
    from this package's own frame."""
    exec(compile("open(P, 'w').close()", ROOT_OS, "exec"), {"P": path})


def forged_compile_callback(path, app):
    """The same forged code, as a function the application calls later."""
    ns = {}
    exec(compile("def create(P):\n    open(P, 'w').close()\n", ROOT_OS, "exec"), ns)
    app.register(functools.partial(ns["create"], path))


def forged_replace_callback(path, app):
    """CodeType.replace(co_filename=...) on a function of this package."""
    fn = own(path)
    fn.__code__ = fn.__code__.replace(co_filename=ROOT_OS)
    app.register(fn)


def monkeypatch_own(path, app):
    """Replaces a standard-library function the application calls later."""
    import platform
    platform.machine = own(path)


def monkeypatch_builtin(path, app):
    import platform
    platform.machine = builtin(path)


def sys_modules_swap(path, app):
    """Puts its own module object in sys.modules under a name the application
    imports later (a standard-library module it has not imported yet)."""
    fake = types.ModuleType("colorsys")
    fake.rgb_to_hsv = lambda *a: own(path)()
    sys.modules["colorsys"] = fake
