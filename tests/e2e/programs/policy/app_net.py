"""app_net.py HOST PORT ACTION...: each action prints "ACTION: RESULT" where
RESULT is the reply or the exception's class name."""
import sys

import caller
import client
import noisy

host, port = sys.argv[1], int(sys.argv[2])
ACTIONS = {
    "client": lambda: client.fetch(host, port).decode(),
    "noisy": noisy.beacon,
    "caller": lambda: caller.go(host, port).decode(),
}
for action in sys.argv[3:]:
    try:
        result = ACTIONS[action]()
    except Exception as e:
        result = type(e).__name__
    print("%s: %s" % (action, result), flush=True)
