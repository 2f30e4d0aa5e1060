"""app_forge.py ATTACK MARKER: calls forger.ATTACK(MARKER); prints
"result: VALUE" or "result: EXCEPTION-NAME"."""
import sys

import forger

attack, marker = sys.argv[1], sys.argv[2]
try:
    print("result: %s" % getattr(forger, attack)(marker), flush=True)
except Exception as e:
    print("result: %s %s" % (type(e).__name__, e), flush=True)
