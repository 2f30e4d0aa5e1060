"""Starts a child Python; the child inherits this module's confinement."""
import subprocess
import sys


def run_child(code):
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr
