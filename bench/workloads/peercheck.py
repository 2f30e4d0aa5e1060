"""Not timed: checks that a sandbox enforces bench/typical.yaml the same way
before its figures are trusted. Each line: what was tried, and "ok",
"denied" (PermissionError, also wrapped by urllib) or the error.

    peercheck.py SCRATCH_DIR
"""
import os
import sys
import urllib.error

import logsink
import netclient
import procrunner
from _common import report

scratch = sys.argv[1]


def attempt(fn):
    try:
        fn()
        return "ok"
    except PermissionError:
        return "denied"
    except urllib.error.URLError as e:
        return "denied" if isinstance(e.reason, PermissionError) else repr(e)
    except Exception as e:  # noqa: BLE001 - reported, compared by the driver
        return repr(e)


report(**{
    "procrunner runs true (granted exec, spawn)":
        attempt(lambda: procrunner.run_many(["true"], 1) == 1 or 1 / 0),
    "logsink appends to a file (granted fs-write)":
        attempt(lambda: logsink.write(os.path.join(scratch, "sink.log"), "line")),
    "netclient reads file:///etc/hostname (lacks fs-read)":
        attempt(lambda: netclient.fetch_many("file:///etc/hostname", 1)),
    "the application opens a file for writing (trusted)":
        attempt(lambda: os.close(os.open(os.path.join(scratch, "app.out"),
                                         os.O_WRONLY | os.O_CREAT, 0o644))),
})
