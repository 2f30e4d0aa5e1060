#!/usr/bin/env bash
# fuzz/campaign.sh NAME... - the long run of issue 7: each target for
# FUZZ_CAMPAIGN_SECONDS (default 600) on a copy of fuzz/corpus/NAME, one after
# the other (FUZZ_JOBS at a time, default 1, so the machine stays usable);
# inputs that add coverage are merged back into fuzz/corpus/NAME (libFuzzer
# -merge=1: only what is new), and one line of figures per target goes to
# build/fuzz/campaign.txt. Fails if a target crashes, leaks, times out or runs
# out of memory; the input is kept in build/fuzz/artifacts/ (copy it to
# fuzz/crashes/NAME-N once fixed, see fuzz/README.md).
set -uo pipefail
out=${FUZZ_OUT:-build/fuzz}
secs=${FUZZ_CAMPAIGN_SECONDS:-600}
jobs=${FUZZ_JOBS:-1}
keep=$out/artifacts
report=$out/campaign.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$keep"
: >"$report"

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

run() {
	local name=$1 dir=$tmp/$1 rc=0 before after
	mkdir -p "fuzz/corpus/$name" "$dir/corpus"
	cp -R "fuzz/corpus/$name/." "$dir/corpus/"
	before=$(find "fuzz/corpus/$name" -type f | wc -l)
	"$out/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$(max_len "$name")" -artifact_prefix="$dir/" -print_final_stats=1 \
		"$dir/corpus" >"$dir/log" 2>&1 || rc=$?
	if ((rc == 0)); then
		"$out/fuzz_$name" -merge=1 -max_len="$(max_len "$name")" "fuzz/corpus/$name" \
			"$dir/corpus" >"$dir/merge.log" 2>&1 || rc=$?
	fi
	after=$(find "fuzz/corpus/$name" -type f | wc -l)
	printf '%-10s %s s  runs %s  cov %s  ft %s  corpus %s -> %s  %s\n' "$name" "$secs" \
		"$(grep -o 'stat::number_of_executed_units: [0-9]*' "$dir/log" | grep -o '[0-9]*$')" \
		"$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*')" \
		"$(grep -o 'ft: [0-9]*' "$dir/log" | tail -1 | grep -o '[0-9]*')" \
		"$before" "$after" "$( ((rc == 0)) && echo ok || echo "FAILED ($rc)")" >>"$report"
	if ((rc != 0)); then
		cp "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* "$keep/" 2>/dev/null
		tail -40 "$dir/log" >&2
	fi
	return "$rc"
}

fail=0
pids=()
for name in "$@"; do
	run "$name" &
	pids+=($!)
	if ((${#pids[@]} >= jobs)); then
		wait "${pids[0]}" || fail=1
		pids=("${pids[@]:1}")
	fi
done
for p in "${pids[@]}"; do
	wait "$p" || fail=1
done
cat "$report"
exit "$fail"
