"""Syscall-heavy: a loopback HTTP server (http.server's handler on a
socketserver.TCPServer, in a thread of the application) and the netclient
package (confined to dns and net-connect by bench/typical.yaml) making
REQUESTS urllib requests to it, one connection each.

    http_app.py REQUESTS
Prints {"work_s": seconds for the requests}.
"""
import http.server
import socketserver
import sys
import threading
import time

import netclient
from _common import pin_from_env, report

REQUESTS = int(sys.argv[1])
BODY = b"x" * 512


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


class Server(socketserver.TCPServer):
    # socketserver, not http.server.HTTPServer: the latter resolves its own
    # name (getfqdn) at bind time, a DNS lookup this benchmark is not about.
    allow_reuse_address = True
    request_queue_size = 128


pin_from_env()
srv = Server(("127.0.0.1", 0), Handler)
th = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
th.start()
url = "http://127.0.0.1:%d/" % srv.server_address[1]
t0 = time.perf_counter()
got = netclient.fetch_many(url, REQUESTS)
work = time.perf_counter() - t0
srv.shutdown()
srv.server_close()
ok = got == REQUESTS * len(BODY)
report(work_s=work, requests=REQUESTS, ok=ok)
sys.exit(0 if ok else 1)
