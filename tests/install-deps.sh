#!/usr/bin/env bash
# tests/install-deps.sh - install what building and testing sisup needs on
# Debian (bookworm): apt packages, then the extra CPython interpreters of the
# test matrix (tests/pythons/prepare.sh, cached and idempotent).
# As root it installs; otherwise it prints the apt command and fails if
# anything is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

pkgs=(
  gcc make pkg-config libc6-dev
  libseccomp-dev libelf-dev zlib1g-dev libunwind-dev libyaml-dev libcmocka-dev
  python3 python3-pytest python3.11 libpython3.11-dev
  patchelf util-linux procps bash dpkg xz-utils ca-certificates clang libclang-rt-14-dev
  # real packages confined in tests/e2e/test_packages.py
  python3-requests python3-urllib3 python3-flask python3-werkzeug python3-jinja2 python3-yaml
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "install-deps: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "install-deps: missing packages; run as root:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# CPython 3.13-3.15 from Debian trixie/sid for the matrix (private apt root,
# never the system's sources). A failure here fails CI: the matrix is part of
# what the tests promise.
if [[ ${SISUP_NO_EXTRA_PYTHONS:-0} != 1 ]]; then
  "$here/pythons/prepare.sh" >/dev/null
  echo "install-deps: interpreters: $("$here/pythons/matrix.sh" | tr '\n' ' ')"
fi
