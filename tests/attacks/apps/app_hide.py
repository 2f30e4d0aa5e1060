"""app_hide.py TRICK MARKER: trusted application code that calls
hider.TRICK(MARKER, app) and then does what trusted code ordinarily does:
runs registered callbacks, resumes generators, drops objects, calls library
functions, raises a signal, exits. Prints "trick: ok" or the exception."""
import asyncio
import gc
import os
import signal
import sys
import platform

trick, marker = sys.argv[1], sys.argv[2]


class App:
    def __init__(self):
        self.callbacks = []
        self.keep = None
        self.loop = asyncio.new_event_loop()
        # the loop's default executor gets its worker thread here, from trusted code
        self.loop.run_until_complete(self.loop.run_in_executor(None, int))

    def register(self, cb):
        self.callbacks.append(cb)


app = App()

if trick == "control":  # the application itself: allowed
    open(marker, "w").close()
else:
    import hider
    try:
        getattr(hider, trick)(marker, app)
        print("trick: ok", flush=True)
    except Exception as e:
        print("trick: %s" % type(e).__name__, flush=True)

# --- what trusted code does afterwards ------------------------------------------
def attempt(what, fn):
    try:
        fn()
    except Exception as e:
        print("%s: %s" % (what, type(e).__name__), flush=True)


for cb in app.callbacks:
    attempt("callback", cb)
attempt("loop", lambda: app.loop.run_until_complete(asyncio.sleep(0)))
if hasattr(app.keep, "__next__"):
    attempt("generator", lambda: [next(app.keep), next(app.keep)])
attempt("drop", lambda: (setattr(app, "keep", None), gc.collect()))
attempt("platform", platform.machine)
attempt("import", lambda: __import__("colorsys").rgb_to_hsv(0, 0, 0))
if signal.getsignal(signal.SIGUSR1) not in (signal.SIG_DFL, signal.SIG_IGN, None):
    attempt("signal", lambda: os.kill(os.getpid(), signal.SIGUSR1))
app.loop.close()
print("end", flush=True)
