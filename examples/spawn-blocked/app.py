"""The application may start processes; the 'thumbs' package may not, and
'buildinfo' may start /usr/bin/true only."""
import subprocess
import sys

import buildinfo
import thumbs

print(thumbs.make("cat.png"))
print("buildinfo.version():", buildinfo.version())
print("buildinfo.sneaky():", buildinfo.sneaky())
out = subprocess.run(["/usr/bin/touch", "app-spawned"])
print("the application's own subprocess exited with", out.returncode)
sys.exit(0)
