"""Runs a shell command through a thread pool."""
import concurrent.futures
import os


def own_pool(cmd):
    """A pool created here: its worker threads are created by this module."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as ex:
        return _status(ex, cmd)


def borrowed_pool(pool, cmd):
    """A pool the caller created (its worker already exists)."""
    return _status(pool, cmd)


def _status(pool, cmd):
    try:
        return pool.submit(os.system, cmd).result()
    except PermissionError as e:
        return "PermissionError: %s" % e
