#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""fuzz/check_walker_seeds.py - the walker seeds as a test with an oracle.

gen_walker_corpus -v prints, for every stack it lays out, the frames a
correct walker reports (file, line, function); this runs fuzz_walker with
WALKER_FUZZ_PRINT=1 on each seed and compares. Exit status 1 on any
difference.

    make fuzz && fuzz/check_walker_seeds.py [build/fuzz]
"""
import os
import re
import subprocess
import sys
import tempfile

out = sys.argv[1] if len(sys.argv) > 1 else 'build/fuzz'
bad = 0
with tempfile.TemporaryDirectory() as tmp:
    gen = subprocess.run([f'{out}/gen_walker_corpus', 'tests/unit/data', tmp, '-v'],
                         capture_output=True, text=True, check=True).stdout
    expect, cur = {}, None
    for line in gen.splitlines():
        m = re.match(r'^(\S+) (app|deep|threads)', line)
        if m:
            cur = (m.group(1), m.group(2))
            expect[cur] = []
            continue
        m = re.match(r'^    expect (.*):(-?\d+)  (.*)$', line)
        if m:
            expect[cur].append((m.group(1), int(m.group(2)), m.group(3)))
    for (ver, variant), frames in sorted(expect.items()):
        seed = f'{tmp}/seed-{ver}-{variant}'
        run = subprocess.run([f'{out}/fuzz_walker', seed], capture_output=True, text=True,
                             env=dict(os.environ, WALKER_FUZZ_PRINT='1'))
        status, got = None, []
        for line in run.stderr.splitlines():
            if line.startswith('unwind:'):
                status = line
                continue
            if line.startswith('again:'):
                break
            m = re.match(r'^  (\S+)\s+(\S*)\s+(.*):(-?\d+)  (.*)$', line)
            if m and status:
                got.append((m.group(3), int(m.group(4)), m.group(5)))
        want = list(reversed(frames))   # printed outermost first
        if variant == 'deep':
            ok = status is not None and ' ok, ' in status and len(got) == 64 and \
                all(f[2] == 'fib' for f in got)
            diff = [] if ok else [('64 x fib', status)]
        else:
            ok = run.returncode == 0 and got == want
            diff = [(w, g) for w, g in zip(want + [None] * len(got), got + [None] * len(want))
                    if w != g]
        print(f'{"ok  " if ok else "FAIL"} {ver:7} {variant:8} {status}')
        for w, g in diff[:4]:
            print(f'       want {w}\n       got  {g}')
        bad += not ok
sys.exit(1 if bad else 0)
