"""Serves shopviews' Flask application on werkzeug's threaded development
server (a thread per request) at 127.0.0.1:PORT until stdin is closed, then
prints how many requests the views handled. Usage: flask_app.py PORT. The
load comes from outside (the test)."""
import logging
import sys
import threading

from werkzeug.serving import make_server

import shopviews

# Under a load of requests the access log is noise: the application keeps
# werkzeug's logger quiet. (Without a handler werkzeug makes its own on the
# first request, and on the way imports colorama, which loads ctypes: sisup
# would deny that, native-code, and print it; the fallback works.)
logging.getLogger("werkzeug").addHandler(logging.NullHandler())

port = int(sys.argv[1])
server = make_server("127.0.0.1", port, shopviews.create_app(), threaded=True)
t = threading.Thread(target=server.serve_forever)
t.start()
print("ready", flush=True)
sys.stdin.read()
server.shutdown()
t.join()
print(f"views handled {shopviews.hits} requests", flush=True)
