"""The application runs a local HTTP server (http.server, in a thread) and
uses two client packages: 'weatherclient' may connect to it, 'telemetry' may
not use the network at all. The server lists the requests it received."""
import http.server
import sys
import threading

import telemetry
import weatherclient

seen = []


class Service(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        seen.append("GET " + self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"sunny, 24 C\n")

    def do_POST(self):
        seen.append("POST " + self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"thanks\n")

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Service)
port = server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()

print("weatherclient:", weatherclient.forecast(port))
print("telemetry:", telemetry.report(port, b"user=ana&history=..."))
server.shutdown()
print("requests the server received:", seen)
with open("received.txt", "w") as f:
    f.write("\n".join(seen) + "\n")
sys.exit(0)
