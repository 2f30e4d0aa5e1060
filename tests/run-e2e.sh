#!/usr/bin/env bash
# tests/run-e2e.sh - the end-to-end suite (pytest, Debian's python3-pytest).
# Runs it as the current user; when that is root, runs it again as 'nobody'
# with no capabilities (setpriv), because sisup must work rootless and some
# protections (non-dumpable supervisor) only show without CAP_SYS_PTRACE.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SISUP=${SISUP:-$top/sisup}
pytest=(/usr/bin/python3 -m pytest -p no:cacheprovider -q -rfEs)

# tests/attacks (the attack suite) runs as a session of its own: its
# conftest and some module names mirror tests/e2e's.
rc=0
echo "== end-to-end tests as $(id -un)"
"${pytest[@]}" "$top/tests/e2e" "$@" || rc=1
echo "== the attack suite as $(id -un)"
"${pytest[@]}" "$top/tests/attacks" "$@" || rc=1

if [[ $(id -u) -eq 0 && ${SISUP_SKIP_NOBODY:-0} != 1 ]]; then
  # nobody cannot enter the checkout (it may sit under a 0700 temp dir or
  # /root): copy what the suite needs into a world-readable directory.
  d=$(mktemp -d /tmp/sisup-nobody.XXXXXX)
  trap 'rm -rf "$d"' EXIT
  chmod 755 "$d"
  mkdir -p "$d/tests/helpers"
  cp "$SISUP" "$d/sisup"
  cp -r "$top/tests/e2e" "$top/tests/attacks" "$top/tests/pythons" "$d/tests/"
  # what test_docs.py and test_examples.py read and run
  cp -r "$top/README.md" "$top/docs" "$top/examples" "$d/"
  cp -r "$top/tests/helpers/bin" "$top/tests/helpers/ext_socket" "$d/tests/helpers/"
  chmod -R a+rX "$d"
  echo "== end-to-end tests as nobody (no capabilities)"
  cache=${SISUP_PY_CACHE:-/var/cache/sisup-pythons}
  cd "$d"
  for suite in e2e attacks; do
    echo "== $suite as nobody"
    setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all \
      env HOME="$d" SISUP="$d/sisup" SISUP_PY_CACHE="$cache" PATH=/usr/bin:/bin \
      "${pytest[@]}" "$d/tests/$suite" "$@" || rc=1
  done
fi
exit $rc
