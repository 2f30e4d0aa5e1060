#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Gather real co_filename shapes for tests/unit/test_uw_modname.c.

Runs a probe under every interpreter given on the command line (default: the
ones this machine has), imports a fixed set of modules, and prints, for each
module file found in sys.modules, the row the classifier must produce. The
oracle is independent of the C code: the expected name is the module's own
__name__ (a package's __init__ file carries the package name), the kind is
decided by which sys.path entry the file lies under (site.getsitepackages()
and the user site are third-party, the rest of sys.path below sys.prefix is
stdlib, sys.path[0] is the application directory).

The rows are pasted into the test table by hand (the unit test must not depend
on what happens to be installed), so this script is for regenerating them:

    tests/tools/modname_vectors.py [--all] [PYTHON...] > /tmp/rows.c

Without --all only a representative selection (SELECT) is printed. With --tsv
every row is printed as tab-separated text (a "ctx" line with the roots, main
and cwd of each interpreter, then "row" lines: file, kind, name) for checking
the whole of sys.modules against the classifier with a throw-away driver.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

PROBE = r'''
import sys, os, json, site, sysconfig
import email.mime.text, xml.dom.minidom, asyncio, json.decoder
for extra in ("yaml", "requests"):
    try:
        __import__(extra)
    except Exception:
        pass
sites = []
try:
    sites += site.getsitepackages()
except Exception:
    pass
try:
    sites.append(site.getusersitepackages())
except Exception:
    pass
sites += [p for p in sys.path[1:] if p.endswith(("site-packages", "dist-packages"))]
stdlib = [p for p in sys.path[1:] if p and p not in sites]
files = []
for name, m in list(sys.modules.items()):
    f = getattr(m, "__file__", None)
    if not f:
        continue
    # aliases (os.path, requests.packages.urllib3, _frozen_importlib) and
    # renamed modules (3.13's _collections_abc calls itself collections.abc):
    # take the name whose last part is what the file itself is called
    base = os.path.basename(f).split(".")[0]
    stem = os.path.basename(os.path.dirname(f)) if base == "__init__" else base
    spec = getattr(m, "__spec__", None)
    for own in (getattr(spec, "name", None), getattr(m, "__name__", None), name):
        if isinstance(own, str) and (own == "__main__" or own.split(".")[-1] == stem):
            files.append((own, f))
            break
print(json.dumps({"version": "%d.%d" % sys.version_info[:2], "path0": sys.path[0],
                  "stdlib": stdlib, "site": sorted(set(sites)), "files": sorted(set(files)),
                  "cwd": os.getcwd()}))
'''

SELECT = {
    "json", "json.decoder", "email.mime.text", "xml.dom.minidom", "asyncio.base_events",
    "encodings.utf_8", "collections", "_json", "_asyncio", "_ssl", "yaml", "yaml._yaml",
    "yaml.composer", "_distutils_hack", "__main__", "requests", "requests.adapters",
    "urllib3.connectionpool", "charset_normalizer.md", "81d243bd2c585b0f4821__mypyc",
    "importlib._bootstrap", "_collections_abc",
}


def default_pythons():
    found = ["/usr/bin/python3.11"]
    found += sorted(glob.glob("/root/.pyenv/versions/3.*/bin/python3.[0-9]"))
    found += sorted(glob.glob("/root/.pyenv/versions/3.*/bin/python3.[0-9][0-9]"))
    found += sorted(glob.glob("/var/cache/sisup-pythons/bin/python3.1[0-9]"))
    return [p for p in found if os.access(p, os.X_OK)]


def cstr(s):
    out = []
    for b in s.encode("utf-8", "surrogateescape"):
        if b in (0x22, 0x5C):
            out.append("\\" + chr(b))
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append("\\x%02x" % b)
    return '"' + "".join(out) + '"'


def row(info, name, f):
    if name == "__main__":
        return "UW_MOD_MAIN", "__main__"
    absf = f if f.startswith("/") else os.path.join(info["cwd"], f)
    best, kind = "", None
    for roots, k in ((info["stdlib"], "UW_MOD_STDLIB"), (info["site"], "UW_MOD_THIRD_PARTY"),
                     ([info["path0"]], "UW_MOD_APP")):
        for r in roots:
            r = r.rstrip("/")
            if absf.startswith(r + "/") and len(r) > len(best):
                best, kind = r, k
    return (kind or "UW_MOD_UNKNOWN"), (name if kind else "")


def odd(name, f):
    # the classifier flags names that are not dotted ASCII identifiers
    base = os.path.basename(f)
    plain = base.endswith((".py", ".pyw", ".pyc", ".so"))
    return not plain or not all(p.isidentifier() and p.isascii() for p in name.split("."))


def main():
    args = sys.argv[1:]
    tsv = "--tsv" in args
    everything = tsv or "--all" in args
    pythons = [a for a in args if not a.startswith("--")] or default_pythons()
    with tempfile.TemporaryDirectory(prefix="sisup-modname-") as d:
        probe = os.path.join(d, "probe.py")
        with open(probe, "w") as fh:
            fh.write(PROBE)
        for py in pythons:
            # 3.8 keeps a relative script path as co_filename: run it that way
            rel = py.endswith("3.8")
            cmd = [py, "probe.py" if rel else probe]
            res = subprocess.run(cmd, cwd=d, capture_output=True, text=True, check=True)
            info = json.loads(res.stdout)
            if tsv:
                print("\t".join(["ctx", ":".join(info["stdlib"]), ":".join(info["site"]),
                                 info["path0"], probe, info["cwd"]]))
            else:
                print("/* %s (%s): stdlib %s site %s app %s */" % (
                    py, info["version"], info["stdlib"], info["site"], info["path0"]))
            for name, f in info["files"]:
                if not everything and name not in SELECT:
                    continue
                kind, want = row(info, name, f)
                flag = "true" if kind != "UW_MOD_MAIN" and odd(want, f) else "false"
                if tsv:
                    print("\t".join(["row", f, kind, want, flag]))
                    continue
                f = f.replace(d, "@APP@")
                print("\t{ CTX, %s, 0, %s, %s, %s }," % (cstr(f), kind, cstr(want), flag))


if __name__ == "__main__":
    main()
