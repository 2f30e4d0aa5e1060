"""Run a Python program under the audit-hook sandbox (bench/audithook_sandbox.py).

    python3.11 audithook_run.py POLICY SCRIPT [ARGS...]
    python3.11 audithook_run.py POLICY -c CODE [ARGS...]

POLICY "-" installs no hook: the launcher alone, a baseline for the hook's
own cost (running a script through exec() shifts memory layout, which alone
moves CPU-bound timings by several percent on this machine kind).

The hook is installed before the program's first line, as a user would do it
from a sitecustomize or a launcher; the program then runs as `__main__` with
its own sys.argv and sys.path[0], as `python3.11 SCRIPT` would run it.
"""
import sys

if len(sys.argv) < 3:
    print(__doc__.strip(), file=sys.stderr)
    sys.exit(2)

import audithook_sandbox  # noqa: E402  (found next to this file: sys.path[0])

policy_path = sys.argv[1]
if sys.argv[2] == "-c":
    if len(sys.argv) < 4:
        sys.exit("audithook_run: -c needs CODE")
    source, filename = sys.argv[3], "<string>"
    sys.argv = ["-c"] + sys.argv[4:]
    app_dir = ""
else:
    filename = sys.argv[2]
    with open(filename, "rb") as f:
        source = f.read()
    sys.argv = sys.argv[2:]
    import os.path
    app_dir = os.path.dirname(os.path.abspath(filename))

sys.path[0] = app_dir
if policy_path != "-":
    audithook_sandbox.install(policy_path, app_dirs=[app_dir] if app_dir else [])

main = type(sys)("__main__")
if filename != "<string>":
    main.__file__ = filename
main.__builtins__ = __builtins__
sys.modules["__main__"] = main
code = compile(source, filename, "exec")
del source
exec(code, main.__dict__)
