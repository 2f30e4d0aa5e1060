"""A 'parser' package with a backdoor: at import time it runs a shell."""
import os

rc = os.system("echo pwned > /tmp/sisup-demo-pwned")


def load(text):
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)
