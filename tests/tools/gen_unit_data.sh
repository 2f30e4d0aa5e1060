#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerate tests/unit/data/ from every CPython on this machine:
#   offsets_<version>.txt        measure_offsets.py (offsets found live)
#   debug_offsets_<version>.bin  the first 1024 bytes of _PyRuntime (3.13+:
#                                _Py_DebugOffsets, then runtime state that
#                                the parser must not need)
#   lines_<version>.txt          gen_line_vectors.py
# An interpreter that is missing is skipped and named; a measurement that
# fails stops the script.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../unit/data
mkdir -p "$data"
for py in \
	/root/.pyenv/versions/3.8.18/bin/python3.8 \
	/root/.pyenv/versions/3.9.18/bin/python3.9 \
	/root/.pyenv/versions/3.10.13/bin/python3.10 \
	/root/.pyenv/versions/3.11.7/bin/python3.11 \
	/root/.pyenv/versions/3.12.1/bin/python3.12 \
	/root/.pyenv/versions/3.13.0/bin/python3.13 \
	/usr/bin/python3.11 \
	/var/cache/sisup-pythons/bin/python3.13 \
	/var/cache/sisup-pythons/bin/python3.14 \
	/var/cache/sisup-pythons/bin/python3.15; do
	if [ ! -x "$py" ]; then
		echo "skip: $py not installed" >&2
		continue
	fi
	v=$("$py" -c 'import sys; print(sys.version.split()[0])')
	blob=
	case $v in 3.8.*|3.9.*|3.10.*|3.11.*|3.12.*) ;; *) blob="--blob $data/debug_offsets_$v.bin" ;; esac
	# shellcheck disable=SC2086
	"$py" "$here/measure_offsets.py" $blob --out "$data/offsets_$v.txt" >/dev/null
	"$py" "$here/gen_line_vectors.py" > "$data/lines_$v.txt"
	echo "$v: $py"
done
