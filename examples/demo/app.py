"""The application: uses two third-party packages and runs a command itself."""
import http.server
import os
import sys
import threading

import weather
import yamlish


class Forecast(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"sunny\n")

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Forecast)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("weather says:", weather.fetch("localhost", server.server_address[1]))
print("config:", yamlish.load("city: Lisbon"))
print("yamlish's import-time shell exited with", yamlish.rc)
print("the app's own command:", os.popen("echo app-ok").read().strip())
server.shutdown()
sys.exit(0)
