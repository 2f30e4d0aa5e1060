"""The application calls the compromised 'strutils' package, then runs its
own commands with os.system, which work."""
import os
import sys

import strutils

print("slug:", strutils.slugify("Hello Sandboxed World"))
rc = os.system("id -un > app-id; echo the application command ran")
print("the application's own os.system returned", rc)
sys.exit(0)
