"""Imports `evil` (which runs a shell command at import time), then runs a
shell command of its own: the application is trusted, the package is not."""
import os
import sys

import evil

print("evil status:", evil.STATUS, flush=True)
status = os.system("echo APP-RAN")
print("app status:", status, flush=True)
sys.exit(0 if status == 0 else 3)
