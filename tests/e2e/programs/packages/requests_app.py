"""An application using requests (and through it urllib3) against its own
local HTTP server: the server (http.server, in a thread) is the application's,
trusted; requests, urllib3 and the rest of dist-packages are confined by the
policy. Usage: requests_app.py PORT. Prints a summary the test compares with
and without injected misbehaviour: it must not change."""
import http.server
import json
import sys
import threading
import urllib.parse

import requests

PORT = int(sys.argv[1])
TOKEN = "Bearer s3cr3t-t0ken"
seen = []  # (method, path, authorization) as the server saw them


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the session reuses its connection

    def _reply(self, status, obj, extra=()):
        body = json.dumps(obj, sort_keys=True).encode()
        self.send_response(status)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        seen.append(("GET", self.path, self.headers.get("Authorization")))
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/old":
            self._reply(302, {}, [("Location", "/echo?moved=1")])
            return
        q = dict(urllib.parse.parse_qsl(url.query))
        self._reply(200, {"path": url.path, "q": q,
                          "auth_ok": self.headers.get("Authorization") == TOKEN})

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        data = json.loads(self.rfile.read(n))
        seen.append(("POST", self.path, self.headers.get("Authorization")))
        self._reply(201, {"got": data, "sum": sum(data["items"])})

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()

base = f"http://127.0.0.1:{PORT}"
ok = 0
with requests.Session() as s:
    s.headers["Authorization"] = TOKEN
    for i in range(30):
        r = s.get(f"{base}/echo", params={"i": i, "q": "a b&c"}, timeout=30)
        r.raise_for_status()
        j = r.json()
        ok += j == {"path": "/echo", "q": {"i": str(i), "q": "a b&c"}, "auth_ok": True}
    print(f"GET with params and token: {ok}/30 ok")
    r = s.post(f"{base}/items", json={"items": [1, 2, 3, 4]}, timeout=30)
    print(f"POST json: {r.status_code} {r.json()}")
    r = s.get(f"{base}/old", timeout=30)
    print(f"redirect: {r.status_code} {r.url.replace(base, '')} "
          f"history={[h.status_code for h in r.history]} {r.json()['q']}")
server.shutdown()
print(f"server saw {len(seen)} requests, "
      f"all with the token: {all(a == TOKEN for _, _, a in seen)}")
