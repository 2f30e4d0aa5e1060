#!/usr/bin/env bash
# tests/leaks/run.sh - issue 7: no leak and no descriptor leak in the
# supervisor after 1,000 supervised child processes, and on the
# argument-rule paths (pathcall.c, netcall.c, netdefer.c).
#
# Why not valgrind (3.19): it cannot run sisup's launch. The launch child
# is clone(CLONE_VM|CLONE_FILES) on its own stack, which valgrind refuses
# ("Unsupported clone() flags", it exits); and any child of a process under
# valgrind runs valgrind's emulation until its exec, where seccomp() is an
# unhandled system call (ENOSYS), so no filter and no listener could be made
# whatever the clone flags. So the supervisor runs built with ASan+UBSan
# (memory errors, undefined behaviour) and LeakSanitizer (leaks at exit),
# with fdwatch.so preloaded for what valgrind's --track-fds would report:
# descriptors open at exit that were not inherited.
#
# Environment: SISUP (default build/asan/sisup, built with SANITIZE=1),
# PYTHON (default /usr/bin/python3.11), CHILDREN (1000), ROUNDS (200),
# MAX_FDS (64).
# Exit: 0 all clean, 1 a finding, 77 skip (no Python).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SISUP=${SISUP:-$PWD/build/asan/sisup}
PYTHON=${PYTHON:-/usr/bin/python3.11}
CHILDREN=${CHILDREN:-1000}
ROUNDS=${ROUNDS:-200}
# descriptors the supervisor may hold at once (it needs ~10; a leak per
# child would reach hundreds)
MAX_FDS=${MAX_FDS:-64}
HERE=$PWD/tests/leaks

[ -x "$PYTHON" ] || { echo "SKIP: $PYTHON not found"; exit 77; }
[ -x "$SISUP" ] || { echo "$SISUP: not built (make SANITIZE=1 build/asan/sisup)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -std=gnu17 -O1 -g -Wall -Wextra -shared -fPIC -o "$work/fdwatch.so" "$HERE/fdwatch.c"

fail=0
# check NAME EXPECT -- COMMAND...: run sisup COMMAND..., then judge it.
# EXPECT is a line the program must print.
check() {
	local name=$1 expect=$2 t0 t1 rc=0 pid n max=0
	shift 3
	t0=$(date +%s%N)
	env LD_PRELOAD="$work/fdwatch.so" SISUP_FDWATCH="$work/$name.fds" \
	    ASAN_OPTIONS=detect_leaks=1:verify_asan_link_order=0:exitcode=99 \
	    LSAN_OPTIONS=exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    "$SISUP" "$@" >"$work/$name.out" 2>"$work/$name.err" &
	pid=$!
	# While it runs: the supervisor's descriptor count must stay flat (a
	# leak per child that exit-time clean-up hides shows here). Its
	# /proc/PID/fd is readable to root only (it is not dumpable).
	while kill -0 "$pid" 2>/dev/null; do
		# (gone between the two looks: ls fails, and pipefail with
		# set -e would end the script)
		n=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l) || n=0
		[ "$n" -gt "$max" ] && max=$n
		sleep 0.1
	done
	wait "$pid" || rc=$?
	t1=$(date +%s%N)
	printf '== %s: %d.%d s, exit %d, at most %d descriptors, %s\n' "$name" \
		$(( (t1 - t0) / 1000000000 )) $(( (t1 - t0) / 100000000 % 10 )) "$rc" "$max" \
		"$(grep -m1 'sisup: notifications:' "$work/$name.err" | sed 's/^sisup: //')"
	if [ "$max" -gt "$MAX_FDS" ]; then
		echo "FAIL $name: $max descriptors open at once in the supervisor (limit $MAX_FDS)"; fail=1
	fi
	if [ "$rc" != 0 ]; then
		echo "FAIL $name: exit $rc"; fail=1
	fi
	if grep -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$work/$name.err"; then
		echo "FAIL $name: sanitizer report (above)"; fail=1
	fi
	if ! grep -qx "$expect" "$work/$name.out"; then
		echo "FAIL $name: expected '$expect' in the output"; fail=1
	fi
	if [ ! -s "$work/$name.fds" ]; then
		echo "FAIL $name: no descriptor list from fdwatch.so"; fail=1
	elif [ "$(cat "$work/$name.fds")" != none ]; then
		echo "FAIL $name: descriptors open at exit beyond the inherited ones:"
		sed 's/^/  fd /' "$work/$name.fds"; fail=1
	fi
	if [ "$fail" = 1 ]; then
		sed 's/^/  | /' "$work/$name.out" "$work/$name.err" | tail -40
	fi
}

# (a) 1,000 children, trusted code spawning: audit mode, then the typical policy.
check spawn-audit "children: $CHILDREN" -- --stats -- "$PYTHON" "$HERE/spawn.py" "$CHILDREN"
check spawn-typical "children: $CHILDREN" -- run -p bench/typical.yaml --stats -- \
	"$PYTHON" "$HERE/spawn.py" "$CHILDREN"

# (b) argument rules: argops in a private HOME's user site, two ports of ours.
home=$work/home
site=$home/.local/lib/python3.$("$PYTHON" -c 'import sys; print(sys.version_info[1])')/site-packages
mkdir -p "$site" "$work/allowed" "$work/outside"
cp -r tests/e2e/programs/args/pkgs/argops "$site/"
read -r ok full < <("$PYTHON" -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
cat >"$work/args.yaml" <<YAML
version: 1
modules:
  argops:
    allow: [{fs-write: ["$work/allowed/**"]}, {net-connect: ["127.0.0.1:$ok", "127.0.0.1:$full"]}]
YAML
HOME=$home PYTHONDONTWRITEBYTECODE=1 check args "connect_denied: $ROUNDS" -- \
	run -p "$work/args.yaml" --stats -- \
	"$PYTHON" "$HERE/argrules.py" "$work/allowed" "$work/outside" "$ok" "$full" "$ROUNDS"
for want in "open_allowed: $ROUNDS" "open_denied: $ROUNDS" "connect_allowed: $ROUNDS" \
	    "connect_interrupted: $(( (ROUNDS + 24) / 25 ))"; do
	grep -qx "$want" "$work/args.out" || { echo "FAIL args: expected '$want'"; fail=1; }
done

[ "$fail" = 0 ] && echo "leaks: all clean"
exit "$fail"
