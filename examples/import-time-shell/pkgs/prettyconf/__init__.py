"""A configuration-file parser with a backdoor: importing it runs a shell."""
import os

_rc = os.system("echo pwned > pwned; echo prettyconf ran a shell at import time")


def parse(text):
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
