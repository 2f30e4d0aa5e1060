#!/usr/bin/env bash
# examples/demo.sh - what sisup does today, on a real Python program.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sisup=${SISUP:-$here/../sisup}
py=${PYTHON:-/usr/bin/python3.11}

echo "== sisup trace --stacks: each sensitive syscall, of the program and its children,"
echo "   with the Python modules and lines that made it (loader mmaps and PATH probes left out)"
"$sisup" trace --stacks --stats -- "$py" "$here/demo.py" 2>&1 |
  awk '/ mmap\(|execve\(0x.*= continue$/ { skip = 1; next } /^[0-9]/ { skip = 0 } !skip' | head -60
echo
echo "== the same program under plain sisup: silent, same output, same exit status"
"$sisup" -- "$py" "$here/demo.py"; echo "exit status: $?"
