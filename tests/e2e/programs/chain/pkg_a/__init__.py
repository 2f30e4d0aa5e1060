"""The module that calls pkg_b, in every shape the unwinder must handle."""
import asyncio
import threading

import pkg_b


def f():
    return pkg_b.g()  # L:f


def in_thread():
    t = threading.Thread(target=f)
    t.start()
    t.join()


def gen():
    yield pkg_b.g()  # L:gen


def from_generator():
    return next(gen())  # L:from_generator


async def coro():
    return pkg_b.g()  # L:coro


def from_coroutine():
    return asyncio.run(coro())


class K:
    def meth(self):
        call = lambda: pkg_b.g()  # L:lambda
        return call()  # L:meth


def from_method():
    return K().meth()


def via_c_callback():
    return sorted([3, 1], key=lambda x: pkg_b.g())  # L:callback


def rec(n):
    if n == 0:
        return pkg_b.g()  # L:rec0
    return rec(n - 1)  # L:rec
