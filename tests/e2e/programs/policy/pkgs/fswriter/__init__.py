"""File operations, each reported as OK or the exception's class name."""
import os

from . import helper  # a submodule imported at import time


def _try(fn, *args):
    try:
        r = fn(*args)
        return "OK" if r is None else "OK %s" % (r,)
    except Exception as e:  # the test reads the class name
        return type(e).__name__


def _create(path):
    with open(path, "x") as f:
        f.write("new")


def _truncate_open(path):
    open(path, "w").close()


def _append(path):
    with open(path, "a") as f:
        f.write("more")


def _read(path):
    with open(path) as f:
        return f.read()


def _lazy_submodule():
    from . import lazy  # imported while fswriter is on the stack
    return lazy.VALUE


def _lazy_stdlib():
    import colorsys  # not imported by the application
    return colorsys.__name__


OPS = {
    "create": _create,
    "truncate-open": _truncate_open,
    "truncate": lambda p: os.truncate(p, 0),
    "append": _append,
    "rename": lambda p: os.rename(p, p + ".renamed"),
    "unlink": os.unlink,
    "mkdir": lambda p: os.mkdir(p + ".d"),
    "chmod": lambda p: os.chmod(p, 0o600),
    "read": _read,
}


def do(op, path):
    return _try(OPS[op], path)


def imports():
    return "helper=%s lazy=%s stdlib=%s" % (helper.VALUE, _try(_lazy_submodule), _try(_lazy_stdlib))
