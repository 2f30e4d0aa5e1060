"""app_native.py LIB: the application imports ctypes (loading _ctypes is the
application's doing); the confined `nativeload` then only does the CDLL."""
import ctypes  # noqa: F401  (loaded here, by trusted code)
import sys

import nativeload

print("load:", nativeload.load(sys.argv[1]), flush=True)
