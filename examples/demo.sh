#!/usr/bin/env bash
# examples/demo.sh - sisup confining a module, on a real Python program.
# Two third-party packages (installed in a throw-away user site): 'weather'
# connects to a local HTTP server, 'yamlish' runs a shell when imported.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sisup=${SISUP:-$here/../sisup}
py=${PYTHON:-/usr/bin/python3.11}
minor=$("$py" -c 'import sys; print(sys.version_info[1])')
home=$(mktemp -d)
trap 'rm -rf "$home" /tmp/sisup-demo-pwned' EXIT
site="$home/.local/lib/python3.$minor/site-packages"
mkdir -p "$site"
cp -r "$here/demo/pkgs/weather" "$here/demo/pkgs/yamlish" "$site/"
export HOME=$home
rm -f /tmp/sisup-demo-pwned

echo "== 1. audit: sisup -- python3 app.py  (allows everything, reports what each package used)"
"$sisup" -- "$py" "$here/demo/app.py" 2>&1
echo
echo "== 2. the policy (examples/demo/policy.yaml), as sisup check sees it"
grep -v '^#' "$here/demo/policy.yaml"
"$sisup" check "$here/demo/policy.yaml" | sed -n '/rows allowed/p'
echo
rm -f /tmp/sisup-demo-pwned
echo "== 3. enforce: sisup run -p policy.yaml -- python3 app.py"
set +e
"$sisup" run -p "$here/demo/policy.yaml" -- "$py" "$here/demo/app.py" 2>&1
rc=$?
set -e
echo "exit status: $rc"
if [[ -e /tmp/sisup-demo-pwned ]]; then
  echo "FAIL: yamlish's shell ran" >&2
  exit 1
fi
echo "yamlish's shell did not run; weather connected; the app's own command ran."
