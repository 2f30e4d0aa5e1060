"""urllib3 used directly: a PoolManager fetches from the application's own
HTTP server at 127.0.0.1:PORT (the allowed port), then tries a second server
at 127.0.0.1:OTHER that the policy does not allow. Usage: urllib3_app.py
PORT OTHER. Both servers are the application's (trusted)."""
import http.server
import sys
import threading

import urllib3


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = f"{self.server.server_address[1] == PORT and 'allowed' or 'other'} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


PORT, OTHER = int(sys.argv[1]), int(sys.argv[2])
servers = [http.server.ThreadingHTTPServer(("127.0.0.1", p), Handler) for p in (PORT, OTHER)]
for s in servers:
    threading.Thread(target=s.serve_forever, daemon=True).start()

http = urllib3.PoolManager(retries=False, timeout=30)
bodies = [http.request("GET", f"http://127.0.0.1:{PORT}/n/{i}").data.decode() for i in range(10)]
print(f"allowed port: {sum(b == f'allowed /n/{i}' for i, b in enumerate(bodies))}/10 ok")
try:
    r = http.request("GET", f"http://127.0.0.1:{OTHER}/x")
    print(f"other port: {r.status} {r.data.decode()}")
except urllib3.exceptions.HTTPError as e:
    cause = e.reason if isinstance(e, urllib3.exceptions.MaxRetryError) else e
    print(f"other port: {type(cause).__name__}: {str(cause).split(': ', 1)[-1]}")
for s in servers:
    s.shutdown()
