"""Known call chains for the unwinder tests: main.py MODE."""
import sys

import pkg_a

mode = sys.argv[1]
if mode == "direct":
    pkg_a.f()  # L:main-direct
elif mode == "thread":
    pkg_a.in_thread()  # L:main-thread
elif mode == "generator":
    pkg_a.from_generator()  # L:main-generator
elif mode == "coroutine":
    pkg_a.from_coroutine()  # L:main-coroutine
elif mode == "method":
    pkg_a.from_method()  # L:main-method
elif mode == "import":
    import pkg_c  # L:main-import
elif mode == "callback":
    pkg_a.via_c_callback()  # L:main-callback
elif mode == "recursion":
    sys.setrecursionlimit(5000)
    pkg_a.rec(1000)  # L:main-recursion
