# examples/lib.sh - sourced by every examples/*/run.sh (not run by itself).
#
# Sets up what examples/demo.sh does, once for all scenarios: the example's
# packages (examples/NAME/pkgs/*) are copied into the user site of a
# throw-away HOME, so that sisup sees them as third-party packages, the way a
# `pip install --user` would place them. The application (examples/NAME/app.py)
# stays in the example's directory: sys.path[0], the application's own code.
#
# Variables for run.sh: $sisup, $py, $here (the example's directory), $HOME
# (throw-away), $work (the program's working directory, under $HOME).
# Environment: SISUP (the binary, default the repo's ./sisup), PYTHON
# (default /usr/bin/python3.11), EXAMPLE_HOME (use this directory as HOME and
# keep it afterwards, for tests that look at the files the program left),
# EXAMPLE_BARE=1 (run the program without sisup: the control, whose checks
# of what the attack must not do fail).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
examples=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sisup=${SISUP:-$examples/../sisup}
py=${PYTHON:-/usr/bin/python3.11}
minor=$("$py" -c 'import sys; print(sys.version_info[1])')
if [[ -n ${EXAMPLE_HOME:-} ]]; then
  home=$EXAMPLE_HOME
  mkdir -p "$home"
else
  home=$(mktemp -d)
  trap 'rm -rf "$home"' EXIT
fi
site="$home/.local/lib/python3.$minor/site-packages"
mkdir -p "$site"
cp -r "$here"/pkgs/* "$site/"
export HOME=$home
unset PYTHONPATH PYTHONHOME PYTHONSTARTUP
export PYTHONUNBUFFERED=1   # the program's lines and sisup's messages in order
work=$home/work
mkdir -p "$work"
cd "$work"
failed=0

# show ARGS...: print a command as '+ ...' with the repo's paths shortened
# (the example's directory, sisup, the interpreter), the way README.md shows it.
show() {
  local out=() a
  for a in "$@"; do
    if [[ $a == "$sisup" ]]; then a=sisup
    elif [[ $a == "$py" ]]; then a=python3
    else a=${a/#"$here"\//}
    fi
    out+=("$a")
  done
  echo "+ ${out[*]}"
}

# enforce POLICY PROGRAM-ARGS...: sisup run -p POLICY -- python3 ARGS...
# (python3 ARGS... alone with EXAMPLE_BARE=1),
# stdout and stderr merged in order; the exit status in $rc.
enforce() {
  local policy=$1
  shift
  set +e
  if [[ -n ${EXAMPLE_BARE:-} ]]; then   # the control: without sisup, the attack works
    show "$py" "$@"
    "$py" "$@" 2>&1
  else
    show "$sisup" run -p "$here/$policy" -- "$py" "$@"
    "$sisup" run -p "$here/$policy" -- "$py" "$@" 2>&1
  fi
  rc=$?
  set -e
  echo "exit status: $rc"
}

# expect_status N: the program's exit status was N.
expect_status() {
  if [[ $rc -ne $1 ]]; then
    echo "FAIL: exit status $rc, expected $1"
    failed=1
  fi
}

# absent FILE WHAT: FILE (relative to $work) must not exist.
absent() {
  if [[ -e $1 ]]; then
    echo "FAIL: $1 exists: $2"
    failed=1
  else
    echo "check: no $1: $2"
  fi
}

# present FILE WHAT: FILE must exist.
present() {
  if [[ -e $1 ]]; then
    echo "check: $1 exists: $2"
  else
    echo "FAIL: no $1: $2"
    failed=1
  fi
}

# finish: the script's exit status: 0 when every check held.
finish() {
  if [[ $failed -ne 0 ]]; then
    echo "RESULT: FAIL"
    exit 1
  fi
  echo "RESULT: ok"
  exit 0
}

# has FILE TEXT WHAT / lacks FILE TEXT WHAT: FILE does (not) contain TEXT.
has() {
  if grep -qF -- "$2" "$1" 2>/dev/null; then
    echo "check: $1 has '$2': $3"
  else
    echo "FAIL: $1 lacks '$2': $3"
    failed=1
  fi
}
lacks() {
  if grep -qF -- "$2" "$1" 2>/dev/null; then
    echo "FAIL: $1 has '$2': $3"
    failed=1
  else
    echo "check: $1 lacks '$2': $3"
  fi
}
