"""An HTTP client package that fetches the forecast from the local service."""
import http.client


def forecast(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/forecast")
    return conn.getresponse().read().decode().strip()
