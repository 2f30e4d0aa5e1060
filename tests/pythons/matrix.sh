#!/usr/bin/env bash
# tests/pythons/matrix.sh - print, one per line, the absolute path of every
# CPython interpreter available for sisup's test matrix (3.8 and newer):
#   1. Debian's own /usr/bin/python3.N (bookworm: 3.11),
#   2. pyenv builds in ${PYENV_ROOT:-$HOME/.pyenv}/versions/3.N.*/bin/python3.N
#      (built with a shared libpython, unlike Debian's static one; 2.x, 3.6
#      and 3.7 are skipped),
#   3. the Debian trixie/sid interpreters made by prepare.sh (--list only: this
#      never downloads anything; run prepare.sh first to get them).
# The same minor version may appear more than once from different sources on
# purpose (e.g. pyenv 3.13 and trixie 3.13 are different builds); a given
# file is printed only once, even when reached through several paths.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MIN_MINOR=8

declare -A seen=()
emit() {
    local path=$1 real
    [[ -x $path ]] || return 0
    real=$(readlink -f "$path")
    [[ -n ${seen[$real]:-} ]] && return 0
    seen[$real]=1
    echo "$path"
}
# True if "3.N..." (N >= MIN_MINOR).
new_enough() {
    local minor=${1#3.}; minor=${minor%%.*}
    [[ $1 == 3.* && $minor =~ ^[0-9]+$ && $minor -ge $MIN_MINOR ]]
}

# 1. Debian's interpreters: exactly python3.N (not python3.N-config, -dbg...).
for p in /usr/bin/python3.*; do
    v=${p#/usr/bin/python}
    [[ $v =~ ^3\.[0-9]+$ ]] && new_enough "$v" && emit "$p"
done

# 2. pyenv: versions/3.N.P (plain CPython releases only, sorted by version).
pyenv_root=${PYENV_ROOT:-${HOME:-/root}/.pyenv}
if [[ -d $pyenv_root/versions ]]; then
    while IFS= read -r d; do
        v=${d##*/}
        if ! [[ $v =~ ^3\.[0-9]+\.[0-9]+$ ]] || ! new_enough "$v"; then continue; fi
        minor=${v%.*}
        emit "$d/bin/python$minor"
    done < <(find "$pyenv_root/versions" -mindepth 1 -maxdepth 1 -name '3.*' | sort -V)
fi

# 3. prepare.sh's cache: lines are "python3.X <path> <version>".
while read -r _ path _; do
    [[ -n ${path:-} ]] && emit "$path"
done < <("$here/prepare.sh" --list 2> /dev/null || true)
