"""app_escape.py ATTACK MARKER EXTRA: calls escaper.ATTACK(MARKER, EXTRA);
prints "result: VALUE" or "result: EXCEPTION-NAME". For the forkserver
attack, the application starts the forkserver first (trusted)."""
import multiprocessing
import sys

attack, marker, extra = sys.argv[1:4]

if __name__ == "__main__":
    if attack == "forkserver":
        ctx = multiprocessing.get_context("forkserver")
        p = ctx.Process(target=int)
        p.start()
        p.join()
    import escaper
    try:
        print("result: %s" % getattr(escaper, attack)(marker, extra), flush=True)
    except Exception as e:
        print("result: %s %s" % (type(e).__name__, e), flush=True)
