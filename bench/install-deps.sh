#!/usr/bin/env bash
# bench/install-deps.sh - what `make bench` needs beyond building sisup
# (tests/install-deps.sh installs that): gnuplot for the chart, strace for the
# ptrace peer, taskset (util-linux) for the pinned variant, the interpreter
# under test and the C compiler for bench/notify_floor.c.
# As root it installs what is missing; otherwise it prints the apt command and
# fails if anything is missing.
set -euo pipefail

pkgs=(gnuplot-nox strace util-linux python3 python3.11 gcc libc6-dev procps)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "bench/install-deps: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bench/install-deps: missing packages; run as root:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
