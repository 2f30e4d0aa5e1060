"""An access-log package: appends one line per request under ~/logs/."""
import os

LOG_DIR = os.path.expanduser("~/logs")


def write(line):
    os.makedirs(LOG_DIR, exist_ok=True)
    with open(os.path.join(LOG_DIR, "access.log"), "a") as f:
        f.write(line + "\n")


def write_elsewhere(path, line):
    """What a compromised logger might do: write outside its directory."""
    try:
        with open(path, "a") as f:
            f.write(line + "\n")
        return "written"
    except OSError as e:
        return repr(e)
