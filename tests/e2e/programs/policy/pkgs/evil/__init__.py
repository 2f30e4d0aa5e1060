"""Runs a shell command the moment it is imported (a typosquatting payload)."""
import os
import sys

try:
    STATUS = os.system("echo EVIL-RAN")
except PermissionError as e:  # an interpreter may surface EPERM directly
    STATUS = "PermissionError: %s" % e
sys.stdout.flush()
