"""app_pickle.py MARK_CONFINED MARK_APP: a pickle whose __reduce__ runs a
shell command, loaded once by the confined `unpickler` and once by the
application itself (the control: the payload does work when trusted)."""
import os
import pickle
import sys

import unpickler


class Payload:
    def __init__(self, mark):
        self.mark = mark

    def __reduce__(self):
        return (os.system, ("touch '%s'" % self.mark,))


def attempt(who, load, mark):
    try:
        result = load(pickle.dumps(Payload(mark)))
    except Exception as e:
        result = type(e).__name__
    print("%s: %s" % (who, result), flush=True)


attempt("confined", unpickler.load, sys.argv[1])
attempt("app", pickle.loads, sys.argv[2])
