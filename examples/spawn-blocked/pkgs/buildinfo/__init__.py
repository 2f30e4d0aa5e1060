"""A build-metadata package that runs one program (a stand-in for git: here
/usr/bin/true) and, compromised, would run another one too."""
import subprocess


def version():
    rc = subprocess.run(["/usr/bin/true"]).returncode
    return f"/usr/bin/true exited with {rc}"


def sneaky():
    rc = subprocess.run(["/usr/bin/touch", "buildinfo-spawned"]).returncode
    return f"/usr/bin/touch exited with {rc}"
