#!/usr/bin/env bash
# examples/demo.sh - what sisup does today, on a real Python program.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sisup=${SISUP:-$here/../sisup}
py=${PYTHON:-/usr/bin/python3.11}

echo "== sisup trace: every sensitive syscall of the program and of its children"
"$sisup" trace --stats -- "$py" "$here/demo.py" 2>&1 | grep -vE 'mmap\(|execve\(0x.*= continue$' | head -40
echo
echo "== the same program under plain sisup: silent, same output, same exit status"
"$sisup" -- "$py" "$here/demo.py"; echo "exit status: $?"
