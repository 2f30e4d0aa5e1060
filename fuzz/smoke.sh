#!/usr/bin/env bash
# fuzz/smoke.sh NAME... - run each fuzz target (build/fuzz/fuzz_NAME) once on
# each of its reproducers fuzz/crashes/NAME-* (regressions), then for
# FUZZ_SECONDS on a copy of fuzz/corpus/NAME/ (created if missing; the copy
# keeps the committed corpus from growing), FUZZ_JOBS targets at a time; and
# fuzz/check_walker_seeds.py when the walker is one of them.
# Fails if any target crashes, leaks, times out or runs out of memory; the
# input that did it is kept in build/fuzz/artifacts/.
set -uo pipefail
out=${FUZZ_OUT:-build/fuzz}
secs=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-$(nproc)}
keep=$out/artifacts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run() {
	local name=$1 dir=$tmp/$1 rc=0
	local -a crashes=()
	mkdir -p "fuzz/corpus/$name" "$dir/corpus"
	cp -R "fuzz/corpus/$name/." "$dir/corpus/"
	# the reproducers of bugs fixed since: once each, they must pass
	for f in fuzz/crashes/"$name"-*; do
		[[ -f $f ]] && crashes+=("$f")
	done
	if ((${#crashes[@]})); then
		"$out/fuzz_$name" -runs=0 -timeout=10 -artifact_prefix="$dir/" "${crashes[@]}" \
			>"$dir/log" 2>&1 || rc=$?
	fi
	if ((rc == 0)); then
		"$out/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
			-max_len="$(max_len "$name")" -artifact_prefix="$dir/" -print_final_stats=1 \
			"$dir/corpus" >>"$dir/log" 2>&1 || rc=$?
	fi
	echo $rc >"$dir/rc"
}

start=$(date +%s)
fail=0
# the walker seeds against the frames their generator laid out
if [[ " $* " == *" walker "* ]]; then
	if fuzz/check_walker_seeds.py "$out" >"$tmp/seeds.log" 2>&1; then
		echo "fuzz-smoke: walker seeds give the frames laid out ($(grep -c '^ok' "$tmp/seeds.log") stacks)"
	else
		fail=1
		echo "fuzz-smoke: walker seeds: FAIL"
		grep -v '^ok' "$tmp/seeds.log" | head -20 | sed 's/^/    /'
	fi
fi
for name in "$@"; do
	while (($(jobs -rp | wc -l) >= jobs)); do
		wait -n
	done
	run "$name" &
done
wait

for name in "$@"; do
	dir=$tmp/$name
	rc=$(cat "$dir/rc" 2>/dev/null || echo 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
	cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1)
	if [[ $rc == 0 ]]; then
		printf 'fuzz-smoke: %-10s ok    %8s runs, %s\n' "$name" "${execs:-?}" "${cov:-cov: ?}"
	else
		fail=1
		printf 'fuzz-smoke: %-10s FAIL  (exit %s)\n' "$name" "$rc"
		grep -E 'ERROR|runtime error|SUMMARY|fuzz_[a-z]+: |Test unit written' "$dir/log" | head -20 |
			sed 's/^/    /'
		mkdir -p "$keep"
		for a in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*; do
			[[ -e $a ]] || continue
			cp "$a" "$keep/$name-$(basename "$a")"
			echo "    kept $keep/$name-$(basename "$a")"
		done
	fi
done
echo "fuzz-smoke: $(($(date +%s) - start)) s"
exit $fail
