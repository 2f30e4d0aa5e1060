"""The application imports 'prettyconf' (whose top-level code runs a shell),
uses it, and runs a command of its own."""
import os
import sys

import prettyconf

print("prettyconf's import-time os.system returned", prettyconf._rc)
print("config:", prettyconf.parse("city=Lisbon\nunits=metric"))
rc = os.system("echo app-ok > app-ok; echo the application command ran")
print("the application's own os.system returned", rc)
sys.exit(0)
