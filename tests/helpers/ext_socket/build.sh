#!/usr/bin/env bash
# tests/helpers/ext_socket/build.sh PYTHON OUTDIR - build ext_socket for the
# interpreter PYTHON into OUTDIR; prints the path of the built module.
# Exit 77 (skip, as strace's tests do) when PYTHON has no C headers: the
# Debian trixie/sid interpreters of the matrix come without them, and
# Debian's own python3.11 needs libpython3.11-dev.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 PYTHON OUTDIR" >&2; exit 2; }
py=$1 out=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The interpreter says where its headers are and how extensions are named
# (python3.X-config is not always there, and may be another build's).
read -r inc suffix < <("$py" -c 'import sysconfig as s; print(s.get_paths()["include"], s.get_config_var("EXT_SUFFIX"))')
if [[ ! -f $inc/Python.h ]]; then
  echo "no headers for $py (looked for $inc/Python.h)" >&2
  exit 77
fi
mkdir -p "$out"
# -fno-optimize-sibling-calls as well as the asm barriers in the source:
# every level of the extension keeps its frame.
${CC:-cc} -shared -fPIC -O2 -g -fno-optimize-sibling-calls -Wall -Wextra \
  -I"$inc" -I"$(dirname "$inc")" -o "$out/ext_socket$suffix" "$here/ext_socket.c"
echo "$out/ext_socket$suffix"
