"""Loads a shared library with ctypes (the application imported ctypes)."""
import ctypes


def load(name):
    try:
        lib = ctypes.CDLL(name)
    except OSError as e:
        return "OSError: %s" % e
    return "loaded %s" % (lib._name,)
