"""app_exec.py MODE ARG...: exec scenarios of argops (exec rules, issue 6).

  run PROG...      print "rc: N" of subprocess.run([PROG...]) made by argops
  execv PROG...    argops calls os.execv(PROG, [PROG...]) in this process;
                   "after execv" is printed only if execv returned
"""
import os
import subprocess
import sys

import argops

mode, argv = sys.argv[1], sys.argv[2:]
print("start: ok", flush=True)
if mode == "run":
    try:
        r = argops.call(subprocess.run, argv)
        print("rc: %d" % r.returncode, flush=True)
    except OSError as e:
        print("rc: %s" % type(e).__name__, flush=True)
elif mode == "execv":
    try:
        argops.call(os.execv, argv[0], argv)
    except OSError as e:
        print("execv: %s" % type(e).__name__, flush=True)
    print("after execv", flush=True)
