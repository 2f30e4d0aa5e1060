#!/usr/bin/env bash
# tests/pythons/prepare.sh - make Debian's CPython 3.13, 3.14 and 3.15 runnable
# on this Debian 12 (bookworm) machine, for sisup's test matrix.
#
# Why this way:
#   * bookworm only ships Python 3.11; trixie has 3.13 and sid has 3.14/3.15.
#     We must not change the machine's apt sources nor install a second glibc
#     system-wide, so we use a PRIVATE apt configuration (own sources.list,
#     lists dir, cache dir, empty dpkg status) that only downloads .debs.
#   * Each version gets its own root, $CACHE/root-3.X, with every .deb of its
#     dependency closure unpacked by `dpkg-deb -x` (no maintainer scripts run).
#   * The interpreter $ROOT/usr/bin/python3.X is patched with patchelf so its
#     ELF interpreter is the root's own ld-linux (the newer glibc of that
#     suite, never bookworm's) and its DT_RPATH is the root's lib dir.
#     DT_RPATH (--force-rpath), not DT_RUNPATH, because the executable's
#     DT_RPATH is also searched for the dependencies of libraries and of
#     dlopen()ed extension modules (e.g. _ssl -> libssl -> libcrypto, NSS
#     modules), which would otherwise fall back to bookworm's /etc/ld.so.cache.
#   * The binary stays at $ROOT/usr/bin so CPython finds its stdlib in
#     $ROOT/usr/lib/python3.X relative to its (symlink-resolved) location, and
#     sys.executable is a plain runnable file: subprocess and multiprocessing
#     (spawn/forkserver re-exec sys.executable) work without any environment.
#
# Usage: prepare.sh [--list] [--verify] [--refresh] [--help]
#   (none)     build what is missing (downloads only then), verify new builds,
#              print "python3.X <path> <version>" for each available interpreter
#   --list     print the available interpreters; never downloads or builds
#   --verify   re-run the full verification of every available interpreter
#   --refresh  force `apt-get update` of the private lists (and rebuild roots
#              whose resolved package set changed)
# Environment:
#   SISUP_PY_CACHE     cache dir (default /var/cache/sisup-pythons for root, so
#                      the e2e run as 'nobody' can use it; else $HOME/.cache/sisup-pythons)
#   SISUP_PY_VERSIONS  versions to prepare (default "3.13 3.14 3.15")
#   SISUP_PY_SUITES    suites searched, in order of preference
#                      (default "trixie sid experimental": the first suite that
#                      has python3.X-minimal is used, so 3.13 comes from the
#                      stable release and 3.14/3.15 from sid)
#   SISUP_PY_MIRROR    Debian mirror (default http://deb.debian.org/debian)
set -euo pipefail

if [[ $(id -u) -eq 0 ]]; then default_cache=/var/cache/sisup-pythons
else default_cache=${HOME:?set HOME or SISUP_PY_CACHE}/.cache/sisup-pythons; fi
CACHE=${SISUP_PY_CACHE:-$default_cache}
VERSIONS=${SISUP_PY_VERSIONS:-3.13 3.14 3.15}
SUITES=${SISUP_PY_SUITES:-trixie sid experimental}
MIRROR=${SISUP_PY_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# A pre-release may legitimately be absent from Debian: only skip it, with a
# message. Versions listed here are not an error when no suite has them.
OPTIONAL_VERSIONS="3.15"
# Lists older than this are refreshed before resolving a new build (sid moves
# quickly and old package versions disappear from the mirror).
LISTS_MAX_AGE_MIN=$((24 * 60))

MODE=build
REFRESH=0
for arg in "$@"; do
    case $arg in
        --list) MODE=list ;;
        --verify) MODE=verify ;;
        --refresh) REFRESH=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "prepare.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

die() { echo "prepare.sh: error: $*" >&2; exit 1; }
note() { echo "prepare.sh: $*" >&2; }

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd -P)     # absolute and symlink-free: it ends up in ELF headers
APTDIR=$CACHE/apt
POOL=$CACHE/debs                    # downloaded .debs, shared by all roots
LOGS=$CACHE/logs
BIN=$CACHE/bin
STAMP=.sisup-ready                  # written in a root only after it verified OK

# ---------------------------------------------------------------- helpers --

root_of() { echo "$CACHE/root-$1"; }

# Is version $1 built, verified, and still runnable from this cache path?
# Cheap (one interpreter start), so the cached path stays well under 2 s.
ready_version() {
    local v=$1 root py
    root=$(root_of "$v")
    py=$BIN/python$v
    [[ -f $root/$STAMP && -x $py ]] || return 1
    # The stamp records the root path baked into the ELF header; a moved
    # cache dir needs a rebuild.
    [[ $(sed -n 's/^root=//p' "$root/$STAMP") == "$root" ]] || return 1
    "$py" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null
}

print_available() {
    local v ver n=0
    for v in $VERSIONS; do
        if ver=$(ready_version "$v"); then
            echo "python$v $BIN/python$v $ver"
            n=$((n + 1))
        fi
    done
    [[ $n -gt 0 ]] || note "no interpreter available in $CACHE (run prepare.sh without --list)"
}

# apt-get / apt-cache with the private configuration. The system's
# sources.list(.d), preferences (pinning) and dpkg status are all replaced, so
# the machine's own apt state is neither read nor written. The system's
# apt.conf.d is kept on purpose: it holds this machine's network settings.
APT_OPTS=()
setup_apt() {
    mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/state" "$LOGS"
    # Empty dpkg status: resolve as for an empty system, ignoring what
    # bookworm has installed.
    [[ -e $APTDIR/state/status ]] || : > "$APTDIR/state/status"
    [[ -r $KEYRING ]] || die "$KEYRING missing (apt-get install debian-archive-keyring)"
    # experimental is NotAutomatic in its Release file: it is never chosen
    # unless a version resolves with `-t experimental` (only when no other
    # suite has that python).
    local s new=$APTDIR/sources.list.new
    : > "$new"
    for s in $SUITES; do
        echo "deb [arch=amd64 signed-by=$KEYRING] $MIRROR $s main" >> "$new"
    done
    if cmp -s "$new" "$APTDIR/sources.list"; then rm -f "$new"; else mv "$new" "$APTDIR/sources.list"; fi
    APT_OPTS=(
        -o "Dir::Etc::sourcelist=$APTDIR/sources.list"
        -o Dir::Etc::sourceparts=/nonexistent
        -o Dir::Etc::preferences=/nonexistent
        -o Dir::Etc::preferencesparts=/nonexistent
        -o "Dir::State=$APTDIR/state"
        -o "Dir::State::Lists=$APTDIR/lists"
        -o "Dir::State::status=$APTDIR/state/status"
        -o "Dir::Cache=$APTDIR/cache"
        -o "Dir::Cache::pkgcache=$APTDIR/cache/pkgcache.bin"
        -o "Dir::Cache::srcpkgcache=$APTDIR/cache/srcpkgcache.bin"
        -o APT::Architectures::=amd64
        -o APT::Install-Recommends=false
        -o "APT::Sandbox::User=$(id -un)"   # download straight into our dirs
        -q
    )
}
papt_get() { apt-get "${APT_OPTS[@]}" "$@"; }
papt_cache() { apt-cache "${APT_OPTS[@]}" "$@"; }

LISTS_UPDATED=0
update_lists() {
    note "apt-get update (private lists: $APTDIR/lists) ..."
    if ! papt_get update > "$LOGS/apt-update.log" 2>&1; then
        tail -n 20 "$LOGS/apt-update.log" >&2
        die "apt-get update of the private lists failed (log: $LOGS/apt-update.log)"
    fi
    # apt-get update exits 0 on some fetch/signature failures; catch them.
    if grep -Eq '^(W|E): .*(Failed to fetch|NO_PUBKEY|not signed|EXPKEYSIG|invalid)' "$LOGS/apt-update.log"; then
        grep -E '^(W|E):' "$LOGS/apt-update.log" | head -n 10 >&2
        die "apt-get update reported errors (log: $LOGS/apt-update.log)"
    fi
    LISTS_UPDATED=1
    touch "$APTDIR/lists.updated"
}
lists_fresh() {
    # All suites' Packages indexes present, and the last successful update
    # younger than LISTS_MAX_AGE_MIN? (Our own stamp: apt gives the index
    # files the server's Last-Modified time, not the download time.)
    local s
    for s in $SUITES; do
        compgen -G "$APTDIR/lists/*_dists_${s}_main_binary-amd64_Packages*" > /dev/null || return 1
    done
    [[ -n $(find "$APTDIR/lists.updated" -mmin -"$LISTS_MAX_AGE_MIN" 2>/dev/null) ]]
}
ensure_lists() {
    [[ $LISTS_UPDATED == 1 ]] && return 0
    if [[ $REFRESH == 1 ]] || ! lists_fresh; then update_lists; fi
}

# First suite (in $SUITES order) that has python$1-minimal, or nothing.
suite_for() {
    local v=$1 s
    local mad
    mad=$(papt_cache madison "python$v-minimal" 2>/dev/null || true)
    for s in $SUITES; do
        if grep -Eq " $s/main " <<< "$mad"; then echo "$s"; return 0; fi
    done
    return 1
}

# Print "name=version" for the dependency closure of python3.X, as apt's own
# resolver computes it for an empty system with suite $2 preferred (pin 990):
# that is the real Depends/Pre-Depends closure, without Recommends.
# Architecture "all" packages are dropped: they are data only (tzdata,
# netbase, media-types, readline-common, debconf) whose files CPython reads
# at absolute paths (/usr/share/zoneinfo, /etc/services, /etc/mime.types), so
# bookworm's copies are the ones used anyway.
resolve_closure() {
    local v=$1 suite=$2 out
    # python3.X-minimal: the interpreter and core stdlib.
    # libpython3.X-stdlib: the rest of the stdlib and the extension modules
    #   (_ssl, _sqlite3, _ctypes, _lzma, _bz2, _uuid, readline, _curses, ...)
    #   whose Depends bring libssl3t64, libsqlite3-0, libffi8, liblzma5, ...
    # libpython3.X: the shared libpython3.X.so.1.0. The Debian executable is
    #   linked statically and does not need it, but it is small and lets tests
    #   embed or dlopen libpython against the same stdlib.
    if ! out=$(papt_get -s -t "$suite" install "python$v-minimal" "libpython$v-stdlib" "libpython$v" 2>&1); then
        echo "$out" | tail -n 15 >&2
        return 1
    fi
    # Lines look like: Inst libc6 (2.43-7 Debian:unstable [amd64])
    awk '$1 == "Inst" && $0 !~ /\[all\]\)$/ { sub(/^\(/, "", $3); print $2 "=" $3 }' <<< "$out"
}

# Download the .debs for "name=version" args into $POOL, skipping the ones
# already there. apt verifies them against the signed indexes; each download
# goes to a private temp dir first and is only moved into the pool once
# complete, so an interrupted run never leaves a truncated .deb in the pool.
download_debs() {
    local want=() spec name ver file tmp rc=0
    for spec in "$@"; do
        name=${spec%%=*}; ver=${spec#*=}
        file=$(deb_file "$name" "$ver")
        [[ -s $POOL/$file ]] || want+=("$spec")
    done
    [[ ${#want[@]} -eq 0 ]] && return 0
    mkdir -p "$POOL"
    tmp=$(mktemp -d "$POOL/.partial.XXXXXX")
    note "downloading ${#want[@]} package(s) into $POOL ..."
    (cd "$tmp" && papt_get download "${want[@]}") >> "$LOGS/apt-download.log" 2>&1 || rc=$?
    if [[ $rc -eq 0 ]]; then
        find "$tmp" -maxdepth 1 -name '*.deb' -exec mv -f {} "$POOL/" \;
    else
        tail -n 10 "$LOGS/apt-download.log" >&2
    fi
    rm -rf "$tmp"
    return $rc
}
# apt's file name for a package version: name_version_arch.deb, with the
# epoch colon URL-encoded (zlib1g_1%3a1.3...). Arch is amd64 (all dropped).
deb_file() { echo "${1}_${2//:/%3a}_amd64.deb"; }

# Turn absolute symlinks inside the unpacked tree (e.g.
# usr/lib/python3.14/sitecustomize.py -> /etc/python3.14/sitecustomize.py)
# into relative ones that stay inside the root, so nothing points into
# bookworm's / by accident.
relativize_symlinks() {
    local root=$1 link target
    while IFS= read -r -d '' link; do
        target=$(readlink "$link")
        ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$root$target")" "$link"
    done < <(find "$root" -type l -lname '/*' -print0)
}

# Full check of one interpreter. Args: version, root. Writes the report to
# $LOGS/verify-3.X.log; returns non-zero on any failure.
verify_version() {
    local v=$1 root=$2 py=$BIN/python$1 ld log=$LOGS/verify-$1.log
    ld=$root/usr/lib64/ld-linux-x86-64.so.2
    : > "$log"
    # 1. Static view: every NEEDED of the executable resolves inside the root.
    #    (`ldd` would use bookworm's loader; ask the root's own loader.)
    "$ld" --list "$root/usr/bin/python$v" >> "$log" 2>&1 || { note "python$v: ld.so --list failed"; return 1; }
    if grep -vF "$root/" "$log" | grep -Eq '=>|not found'; then
        note "python$v: libraries resolved outside $root:"; grep -vF "$root/" "$log" | grep -E '=>|not found' >&2
        return 1
    fi
    # 2. Dynamic view: run the checks of the brief inside the interpreter.
    local script=$LOGS/verify_interp.py
    write_verify_script "$script"
    if ! (cd / && "$py" "$script" "$root") >> "$log" 2>&1; then
        note "python$v: verification failed:"; tail -n 20 "$log" >&2
        return 1
    fi
}

write_verify_script() {
    cat > "$1.tmp" <<'PYEOF'
# Run by prepare.sh under each prepared interpreter: argv[1] is its root.
import sys, json, socket, ssl, subprocess, multiprocessing, asyncio, sqlite3, ctypes, threading
import os

def square(x):
    return x * x

def mapped_libs_outside(root):
    """Shared objects mapped in this process that do not come from root."""
    bad = set()
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split(None, 5)
            if len(parts) == 6 and ".so" in parts[5]:
                path = parts[5].strip()
                if not os.path.realpath(path).startswith(root + os.sep):
                    bad.add(path)
    return sorted(bad)

if __name__ == "__main__":
    root = os.path.realpath(sys.argv[1])
    print(sys.version)
    problems = []
    def check(what, cond):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            problems.append(what)

    check("sys.prefix in root: " + sys.prefix, os.path.realpath(sys.prefix).startswith(root))
    check("stdlib in root: " + os.__file__, os.path.realpath(os.__file__).startswith(root))
    # Extension modules and the libraries they pull in.
    import lzma, bz2, zlib, hashlib, decimal, uuid, pyexpat, xml.etree.ElementTree as ET, readline
    check("zlib/lzma/bz2 round trip",
          all(m.decompress(m.compress(b"sisup")) == b"sisup" for m in (zlib, lzma, bz2)))
    check("expat: " + ET.fromstring("<a><b/></a>")[0].tag, True)
    check("ssl: " + ssl.OPENSSL_VERSION, ssl.create_default_context() is not None)
    check("hashlib sha256", hashlib.sha256(b"").hexdigest().startswith("e3b0c442"))
    check("sqlite3: " + sqlite3.sqlite_version,
          sqlite3.connect(":memory:").execute("select 6*7").fetchone() == (42,))
    libc = ctypes.CDLL(None)
    check("ctypes getpid", libc.getpid() == os.getpid())
    check("socket/NSS getaddrinfo(localhost)", bool(socket.getaddrinfo("localhost", 80)))
    check("asyncio.run", asyncio.run(asyncio.sleep(0, result=7)) == 7)
    t = threading.Thread(target=lambda: None); t.start(); t.join()
    check("threading", not t.is_alive())
    r = subprocess.run([sys.executable, "-c", "print(1)"], capture_output=True, text=True)
    check("subprocess sys.executable: " + sys.executable, r.returncode == 0 and r.stdout == "1\n")
    for method in ("spawn", "forkserver", "fork"):
        with multiprocessing.get_context(method).Pool(2) as pool:
            check("multiprocessing " + method + " Pool.map", pool.map(square, range(6)) == [0, 1, 4, 9, 16, 25])
    outside = mapped_libs_outside(root)
    check("all mapped .so files from root" + ("" if not outside else ": " + " ".join(outside)), not outside)
    print(json.dumps({"version": sys.version.split()[0], "problems": problems}))
    sys.exit(1 if problems else 0)
PYEOF
    mv -f "$1.tmp" "$1"
}

# Build (or rebuild) $CACHE/root-3.X. The new tree is assembled in
# root-3.X.new, then swapped in; the ready stamp is written only after the
# verification passed, so a partial previous run is simply redone.
build_version() {
    local v=$1 suite=$2 root new specs spec name ver
    root=$(root_of "$v"); new=$root.new
    mapfile -t specs < <(resolve_closure "$v" "$suite") || true
    [[ ${#specs[@]} -gt 0 ]] || die "python$v: cannot resolve its packages in $suite (see above)"
    if ! download_debs "${specs[@]}"; then
        # sid replaces versions often: an old index points at removed files.
        [[ $LISTS_UPDATED == 1 ]] && die "python$v: download failed (log: $LOGS/apt-download.log)"
        note "download failed; refreshing the lists and retrying once"
        update_lists
        mapfile -t specs < <(resolve_closure "$v" "$suite") || true
        download_debs "${specs[@]}" || die "python$v: download failed (log: $LOGS/apt-download.log)"
    fi

    note "python$v: unpacking ${#specs[@]} packages from $suite into $root"
    rm -rf "$new"; mkdir -p "$new"
    for spec in "${specs[@]}"; do
        name=${spec%%=*}; ver=${spec#*=}
        dpkg-deb -x "$POOL/$(deb_file "$name" "$ver")" "$new"
    done
    relativize_symlinks "$new"
    printf '%s\n' "${specs[@]}" > "$new/.sisup-packages"

    # Patch the executable. The root path is the FINAL one (root-3.X, not
    # .new) since the tree is renamed before it is ever run.
    local exe=$new/usr/bin/python$v
    [[ -x $exe ]] || die "python$v: $exe missing after unpacking"
    [[ -e $new/usr/lib64/ld-linux-x86-64.so.2 ]] || die "python$v: no usr/lib64/ld-linux-x86-64.so.2 in the root (libc6 layout changed?)"
    patchelf --set-interpreter "$root/usr/lib64/ld-linux-x86-64.so.2" \
             --force-rpath --set-rpath "$root/usr/lib/x86_64-linux-gnu" "$exe"
    # The shared libpython gets the same search path, for programs that
    # embed it (they still need to be started with the root's loader).
    local lib=$new/usr/lib/x86_64-linux-gnu/libpython$v.so.1.0
    if [[ -f $lib ]]; then
        patchelf --force-rpath --set-rpath "$root/usr/lib/x86_64-linux-gnu" "$lib"
    fi

    rm -rf "$root"; mv "$new" "$root"
    mkdir -p "$BIN"
    ln -sfn "../root-$v/usr/bin/python$v" "$BIN/python$v"
    verify_version "$v" "$root" || die "python$v: built in $root but failed verification (log: $LOGS/verify-$v.log)"
    printf 'root=%s\nsuite=%s\nversion=%s\n' "$root" "$suite" \
        "$(sed -n "s/^python$v-minimal=//p" "$root/.sisup-packages")" > "$root/$STAMP"
    note "python$v: ready ($(sed -n 's/^{"version": "\([^"]*\)".*/\1/p' "$LOGS/verify-$v.log"))"
}

# ------------------------------------------------------------------- main --

if [[ $MODE == list ]]; then
    print_available
    exit 0
fi

# One run at a time per cache (parallel CI jobs would otherwise race on the
# pool and the roots).
exec 9> "$CACHE/.lock"
flock 9
# Leftovers of an interrupted run: half-downloaded .debs and half-built roots.
rm -rf "$POOL"/.partial.* "$CACHE"/root-*.new

missing=()
for v in $VERSIONS; do
    if [[ $REFRESH == 1 ]] || ! ready_version "$v" > /dev/null; then missing+=("$v"); fi
done

if [[ ${#missing[@]} -gt 0 ]]; then
    for tool in apt-get apt-cache dpkg-deb patchelf flock realpath; do
        command -v "$tool" > /dev/null || die "$tool not found (apt-get install patchelf / dpkg / apt)"
    done
    setup_apt
    ensure_lists
    t0=$SECONDS
    for v in "${missing[@]}"; do
        if ! suite=$(suite_for "$v"); then
            if [[ " $OPTIONAL_VERSIONS " == *" $v "* ]]; then
                note "SKIP python$v: Debian has no python$v-minimal in any of: $SUITES"
                continue
            fi
            die "python$v: no python$v-minimal in any of: $SUITES"
        fi
        if [[ $REFRESH == 1 && -f $(root_of "$v")/$STAMP ]]; then
            # Rebuild only when the resolved package set actually changed.
            if cmp -s <(resolve_closure "$v" "$suite") "$(root_of "$v")/.sisup-packages" && ready_version "$v" > /dev/null; then
                continue
            fi
        fi
        build_version "$v" "$suite"
    done
    # apt's binary caches (~140 MB) are rebuilt on demand; don't keep them.
    rm -f "$APTDIR"/cache/*.bin
    note "build step took $((SECONDS - t0)) s; .deb pool: $(du -sh "$POOL" 2>/dev/null | cut -f1)"
fi

# C headers (libpython3.X-dev of the very same version), so that the tests can
# build a C extension for each interpreter. Only usr/include is unpacked: the
# headers need none of the package's dependencies to compile an extension.
for v in $VERSIONS; do
    root=$(root_of "$v")
    ready_version "$v" > /dev/null || continue
    [[ -f $root/usr/include/python$v/Python.h ]] && continue
    ver=$(sed -n "s/^libpython$v=//p" "$root/.sisup-packages")
    [[ -n $ver ]] || die "python$v: no libpython$v version recorded in $root/.sisup-packages"
    [[ ${#APT_OPTS[@]} -gt 0 ]] || { setup_apt; ensure_lists; }
    download_debs "libpython$v-dev=$ver" || die "python$v: cannot download libpython$v-dev=$ver"
    tmp=$(mktemp -d "$CACHE/.headers.XXXXXX")
    dpkg-deb -x "$POOL/$(deb_file "libpython$v-dev" "$ver")" "$tmp"
    mkdir -p "$root/usr/include"
    cp -a "$tmp/usr/include/." "$root/usr/include/"
    rm -rf "$tmp"
    [[ -f $root/usr/include/python$v/Python.h ]] || die "python$v: libpython$v-dev has no Python.h"
    note "python$v: headers from libpython$v-dev $ver"
done

if [[ $MODE == verify ]]; then
    for v in $VERSIONS; do
        ready_version "$v" > /dev/null || continue
        verify_version "$v" "$(root_of "$v")" || die "python$v: verification failed (log: $LOGS/verify-$v.log)"
        note "python$v: verified ($LOGS/verify-$v.log)"
    done
fi

# Every required (non-optional) version must be ready now.
for v in $VERSIONS; do
    if ! ready_version "$v" > /dev/null && [[ " $OPTIONAL_VERSIONS " != *" $v "* ]]; then
        die "python$v is not available in $CACHE"
    fi
done
print_available
