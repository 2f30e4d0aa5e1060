#!/usr/bin/python3
"""bench/run.py - the driver of `make bench` (method and workloads: bench/README.md).

Runs every workload of issue 5 with its baselines and peers interleaved
(A B C ... A B C ..., after one discarded warm-up round), takes medians,
divides by the baseline measured in the same run, prints a table, and writes
bench/results.json and bench/ratios.png (gnuplot).

    /usr/bin/python3 bench/run.py [--reps-scale X] [--only NAME,...] [--out FILE]
                                  [--chart FILE | --no-chart]

NAME: decision, pinned, startup, http, proc, cpu, scale, argsopen. SISUP and BENCH_FLOOR
in the environment name other binaries than ./sisup and
build/bench/notify_floor (which `make bench` builds).

Interpreters are named explicitly: the driver is /usr/bin/python3, the
interpreter under test /usr/bin/python3.11 (`python3` on PATH may be a pyenv
build).
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SISUP = Path(os.environ.get("SISUP", ROOT / "sisup"))
FLOOR = Path(os.environ.get("BENCH_FLOOR", ROOT / "build" / "bench" / "notify_floor"))
SKELETON = Path(os.environ.get("BENCH_SKELETON", ROOT / "build" / "bench" / "skeleton"))
PY = "/usr/bin/python3.11"
STRACE = "/usr/bin/strace"
TASKSET = "/usr/bin/taskset"
POLICY = BENCH / "typical.yaml"
CLK_TCK = os.sysconf("SC_CLK_TCK")

# What each workload does and how often (bench/README.md states these).
DEPTHS = (1, 10, 50, 200)
DECIDE_CALLS = 2000
HTTP_REQUESTS = 2000
PROC_RUNS = 300
CPU_ROUNDS = 100
SCALE_THREADS, SCALE_THREAD_CALLS = 64, 2000
SCALE_PROCS, SCALE_PROC_CALLS = 16, 2000
REPS = {"decision": 7, "pinned": 5, "startup": 15, "http": 5, "proc": 5, "cpu": 7, "scale": 3,
        "argsopen": 7}
ARGS_OPENS = 2000

# Targets of issue 5: the bound on sisup's ratio (RSS: megabytes)
TARGETS = {
    "decision": 2.0,    # decision cost / floor at depth 50
    "startup": 1.05,    # wall time / bare
    "http": 1.3,        # work time / bare
    "proc": 1.3,
    "cpu": 1.01,
    "rss_mb": 20.0,     # sisup's peak RSS in the scale workload
}

# The table's and the chart's columns: sisup enforcing, sisup auditing, the peers.
COLUMNS = ("sisup", "audit", "skeleton", "strace", "strace-bpf", "audithook")


def die(msg):
    print(f"bench: {msg}", file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------
# Running one command

STAT_RE = {
    "notifications": re.compile(r"^sisup: notifications: (\d+) \(abandoned by the caller: (\d+), "
                                r"denied: (\d+)\)", re.M),
    "sup_time": re.compile(r"^sisup: supervisor time per notification.*: mean ([\d.]+) us, "
                           r"p99 ([\d.]+) us", re.M),
    "stacks": re.compile(r"^sisup: stacks read: (\d+), remote reads per stack: mean ([\d.]+), "
                         r"max (\d+)", re.M),
    "per_syscall": re.compile(r"^sisup: +(\d+)  (\w+)$", re.M),
}


def parse_stats(stderr):
    """sisup's --stats report (stderr) as a dict; {} when there is none."""
    m = STAT_RE["notifications"].search(stderr)
    if not m:
        return {}
    st = {"notifications": int(m[1]), "abandoned": int(m[2]), "denied": int(m[3])}
    m = STAT_RE["sup_time"].search(stderr)
    if m:
        st["sup_mean_us"], st["sup_p99_us"] = float(m[1]), float(m[2])
    m = STAT_RE["stacks"].search(stderr)
    if m:
        st["stacks"], st["reads_mean"], st["reads_max"] = int(m[1]), float(m[2]), int(m[3])
    st["per_syscall"] = {name: int(n) for n, name in STAT_RE["per_syscall"].findall(stderr)}
    return st


def _zombie_cpu(pid):
    """CPU time (s) of @pid, a zombie not yet reaped: its own, not its
    children's. schedstat (ns) when the kernel has it, else stat (ticks)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None
    ns = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            ns += int(Path(f"/proc/{pid}/task/{task}/schedstat").read_text().split()[0])
    except (OSError, IndexError, ValueError):
        ns = 0
    return ns / 1e9 if ns else ticks


def _sample_hwm(pid, box, stop):
    """Poll VmHWM of @pid every 5 ms until @stop; keep the last value read
    (the high-water mark only grows) in box[0], in KiB."""
    path = f"/proc/{pid}/status"
    while not stop.is_set():
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        box[0] = max(box[0], int(line.split()[1]))
                        break
        except OSError:
            return
        stop.wait(0.005)


class Failed(Exception):
    pass


def run(argv, env, *, sample_rss=False, timeout=300, want_json=True):
    """Run @argv to completion with output in files. Returns a dict: wall (s),
    the program's JSON result line, sisup's --stats, the direct child's own
    CPU time (read from its zombie before reaping) and, if asked, its peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             cwd="/", start_new_session=True)
        hwm, stop = [0], threading.Event()
        sampler = None
        if sample_rss:
            sampler = threading.Thread(target=_sample_hwm, args=(p.pid, hwm, stop), daemon=True)
            sampler.start()
        timer = threading.Timer(timeout, lambda: os.killpg(p.pid, signal.SIGKILL))
        timer.start()
        try:
            os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)
            wall = time.perf_counter() - t0
            cpu = _zombie_cpu(p.pid)
        finally:
            timer.cancel()
            stop.set()
            rc = p.wait()
        if sampler:
            sampler.join()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    res = {"wall_s": wall, "rc": rc, "cpu_s": cpu, "stats": parse_stats(stderr)}
    if sample_rss:
        res["hwm_kb"] = hwm[0]
    if rc != 0:
        raise Failed(f"{' '.join(map(str, argv))}: exit {rc}\n{stdout[-2000:]}\n{stderr[-3000:]}")
    if want_json:
        lines = [l for l in stdout.splitlines() if l.startswith("{")]
        if not lines:
            raise Failed(f"{' '.join(map(str, argv))}: no result line\n{stdout[-2000:]}\n"
                         f"{stderr[-3000:]}")
        res["result"] = json.loads(lines[-1])
        res["work_s"] = res["result"].get("work_s")
    return res


# ---------------------------------------------------------------------------
# The environment: a throw-away HOME whose user site holds the packages

class Env:
    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="sisup-bench."))
        os.chmod(self.tmp, 0o755)
        home = self.tmp / "home"
        site = home / ".local" / "lib" / "python3.11" / "site-packages"
        site.mkdir(parents=True)
        for pkg in (BENCH / "pkgs").iterdir():
            if pkg.is_dir():
                shutil.copytree(pkg, site / pkg.name, ignore=shutil.ignore_patterns("__pycache__"))
        self.app = self.tmp / "app"            # the application: workloads
        shutil.copytree(BENCH / "workloads", self.app,
                        ignore=shutil.ignore_patterns("__pycache__"))
        self.ah = self.tmp / "audithook"       # the peer's launcher and library
        self.ah.mkdir()
        for f in ("audithook_run.py", "audithook_sandbox.py"):
            shutil.copy(BENCH / f, self.ah / f)
        # Installed packages come with bytecode; do the same so that no run
        # (bare or confined) compiles them, then never write bytecode again.
        subprocess.run([PY, "-m", "compileall", "-q", str(site), str(self.ah), str(self.app)],
                       check=True)
        self.env = {
            "HOME": str(home),
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def with_(self, **extra):
        e = dict(self.env)
        e.update({k: str(v) for k, v in extra.items()})
        return e

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def notified():
    """What sisup's filter notifies under the typical policy, from `sisup
    check`: the syscall names, and the skeleton's rules (name, or
    name:ARG:OP:VALUE for the plan's register conditions)."""
    out = subprocess.run([str(SISUP), "check", str(POLICY)], capture_output=True, text=True,
                         check=True).stdout
    names, rules = set(), []
    conds = ((r"if !\(arg(\d) & (0x[0-9a-f]+)\)", "nand"), (r"if arg(\d) & (0x[0-9a-f]+)", "and"),
             (r"if arg(\d) == (\S+)", "eq"), (r"if arg(\d) != (\S+)", "ne"))
    for line in out.splitlines():
        if "notify sisup" not in line:
            continue
        name = line.split()[0]
        names.add(name)
        for rx, op in conds:
            m = re.search(rx, line)
            if m:
                rules.append(f"{name}:{m.group(1)}:{op}:{m.group(2)}")
                break
        else:
            if re.search(r"\bif\b", line):
                die(f"sisup check: a condition the skeleton does not know: {line.strip()}")
            rules.append(name)
    if not names:
        die("sisup check listed no notified syscall")
    return sorted(names), rules


class Variants:
    """argv for each way of running a program (a list starting with PY, or
    any program for bare/sisup/audit/strace)."""

    def __init__(self, env, notified_):
        names, self.rules = notified_
        self.env = env
        # '?': an older strace skips names it does not know
        self.trace = ",".join("?" + n for n in names)

    def argv(self, variant, cmd):
        if variant == "bare":
            return list(cmd)
        if variant == "sisup":
            return [str(SISUP), "run", "-p", str(POLICY), "--stats", "--", *cmd]
        if variant == "audit":
            return [str(SISUP), "--stats", "--", *cmd]
        if variant == "skeleton":
            return [str(SKELETON), *self.rules, "--", *cmd]
        if variant == "ptrace":     # the skeleton without its filter
            return [str(SKELETON), "--", *cmd]
        if variant == "wrapper":    # a parent that forks, execs and waits
            return [str(SKELETON), "-w", "--", *cmd]
        if variant == "strace":
            return [STRACE, "-f", "-qq", "-o", "/dev/null", "-e", "trace=" + self.trace, "--", *cmd]
        if variant == "strace-bpf":
            return [STRACE, "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null",
                    "-e", "trace=" + self.trace, "--", *cmd]
        if variant == "audithook":
            if cmd[0] != PY:
                return None
            return [PY, str(self.env.ah / "audithook_run.py"), str(POLICY), *cmd[1:]]
        if variant == "launcher":   # the peer's launcher without its hook
            if cmd[0] != PY:
                return None
            return [PY, str(self.env.ah / "audithook_run.py"), "-", *cmd[1:]]
        raise ValueError(variant)


def interleave(variants, reps, log, label):
    """variants: list of (name, thunk) where thunk() runs once and returns a
    result dict. One warm-up round (discarded), then @reps rounds in the same
    order: A B C ... A B C ... Returns {name: [results]}."""
    samples = {name: [] for name, _ in variants}
    for r in range(reps + 1):
        for name, thunk in variants:
            res = thunk()
            if r:
                samples[name].append(res)
        log(f"  {label}: round {r}/{reps}" if r else f"  {label}: warm-up done")
    return samples


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def med_of(samples, key):
    return med([s.get(key) for s in samples])


def med_stat(samples, key):
    return med([s["stats"].get(key) for s in samples if s.get("stats")])


def ratio(a, b):
    return a / b if a is not None and b else None


def paired(samples, variant, key):
    """Per-round ratios variant/bare (the runs of one round are neighbours in
    time): (min, median, max), to show how far the median can be trusted."""
    rs = sorted(a[key] / b[key] for a, b in zip(samples[variant], samples["bare"])
                if a.get(key) and b.get(key))
    return (rs[0], statistics.median(rs), rs[-1]) if rs else None


# ---------------------------------------------------------------------------
# Workloads

class Bench:
    def __init__(self, args):
        self.args = args
        self.env = Env()
        self.var = Variants(self.env, notified())
        self.results = {}
        self.rows = []     # the table
        self.t_start = time.monotonic()

    def reps(self, name):
        return max(1, round(REPS[name] * self.args.reps_scale))

    def log(self, msg):
        print(f"[{time.monotonic() - self.t_start:6.1f}s] {msg}", file=sys.stderr, flush=True)

    def thunk(self, variant, cmd, extra_env=None, prefix=(), **kw):
        argv = self.var.argv(variant, cmd)
        if argv is None:
            return None
        argv = list(prefix) + argv
        env = self.env.with_(**(extra_env or {}))
        return lambda: run(argv, env, **kw)

    def program(self, script, *args):
        return [PY, str(self.env.app / script), *map(str, args)]

    def add_row(self, **row):
        self.rows.append(row)

    # 0. the sandboxes enforce the same policy -----------------------------
    EXPECTED = {
        "procrunner runs true (granted exec, spawn)": "ok",
        "logsink appends to a file (granted fs-write)": "ok",
        "netclient reads file:///etc/hostname (lacks fs-read)": "denied",
        "the application opens a file for writing (trusted)": "ok",
    }

    def check_peers(self):
        """Before any figure: sisup and the audit-hook peer must both allow
        and deny what bench/typical.yaml says (bench/workloads/peercheck.py)."""
        scratch = self.env.tmp / "scratch"
        scratch.mkdir(exist_ok=True)
        cmd = self.program("peercheck.py", scratch)
        got = {}
        for v in ("sisup", "audithook"):
            got[v] = run(self.var.argv(v, cmd), self.env.env)["result"]
            if got[v] != self.EXPECTED:
                raise Failed(f"{v} does not enforce {POLICY.name} as expected:\n"
                             f"  got      {got[v]}\n  expected {self.EXPECTED}")
        self.results["peer_check"] = got["sisup"]

    # 1. decision cost ------------------------------------------------------
    def floor(self, sup_cpu=-1, tgt_cpu=-1, opts=()):
        argv = [str(FLOOR), *opts, "-n", "5000", "-r", "3", "-s", str(sup_cpu),
                "-t", str(tgt_cpu)]

        def go():
            p = subprocess.run(argv, capture_output=True, text=True, timeout=120)
            if p.returncode != 0:
                raise Failed(f"notify_floor: {p.stderr}")
            d = json.loads(p.stdout)
            return {"work_s": None, "floor": d, "stats": {}}
        return go

    def decision(self):
        out = {"calls": DECIDE_CALLS, "depths": {}}
        peers = ("sisup", "strace", "strace-bpf", "audithook")
        for depth in DEPTHS:
            cmd = self.program("decide.py", depth, DECIDE_CALLS)
            vs = [("bare", self.thunk("bare", cmd))]
            vs += [(p, self.thunk(p, cmd)) for p in peers]
            vs.append(("floor", self.floor()))
            if depth == 50:
                # where sisup's time goes: the floor plus sisup's own system
                # calls per decision (bench/notify_floor.c -m)
                vs.append(("floor+reads", self.floor(opts=("-m",))))
            s = interleave(vs, self.reps("decision"), self.log, f"decision depth {depth}")
            # remote reads per decision: the difference to a run without the
            # loop, so that start-up's notifications do not dilute the mean
            zero = run(self.var.argv("sisup", self.program("decide.py", depth, 0)), self.env.env)
            d = self._decision_summary(s, zero, depth)
            out["depths"][depth] = d
            if depth == 50:
                model = {k: med([x["floor"]["roundtrip_us"] for x in s[k]])
                         for k in ("floor+reads",)}
                d["model_us"] = model
                self.add_row(workload="1 decision model", case="depth 50: floor + sisup's calls",
                             metric="us/decision", base="floor", base_value=d["floor_us"],
                             values={}, ratios={}, target=None,
                             extra=f"floor {d['floor_us']:.1f} us; + 1 process_vm_readv and "
                                   f"ID_VALID {model['floor+reads']:.1f} us; sisup "
                                   f"{d['per_call_us']['sisup']:.1f} us")
            self.add_row(workload="1 decision", case=f"depth {depth}", metric="us/decision",
                         base="floor", base_value=d["floor_us"],
                         values={p: d["per_call_us"].get(p) for p in peers},
                         ratios={p: ratio(d["per_call_us"].get(p), d["floor_us"]) for p in peers},
                         target=TARGETS["decision"] if depth == 50 else None,
                         extra=f"reads/decision {d['reads_per_decision']:.2f}, "
                               f"supervisor {d['sup_mean_us']:.1f} us")
        self.results["decision"] = out

    def _decision_summary(self, s, zero, depth):
        bare = med_of(s["bare"], "work_s")
        per_call = {}
        for p in s:
            if p == "bare" or p.startswith("floor"):
                continue
            w = med_of(s[p], "work_s")
            per_call[p] = (w - bare) / DECIDE_CALLS * 1e6 if w is not None else None
        floor_us = med([x["floor"]["roundtrip_us"] for x in s["floor"]])
        st = [x["stats"] for x in s["sisup"]]
        n_k = med([x["stacks"] for x in st])
        reads_k = med([x["stacks"] * x["reads_mean"] for x in st])
        z = zero["stats"]
        reads_per = ((reads_k - z["stacks"] * z["reads_mean"]) / (n_k - z["stacks"])
                     if n_k and n_k > z["stacks"] else None)
        sisup_cpu = med([x["cpu_s"] / x["wall_s"] for x in s["sisup"] if x["cpu_s"] is not None])
        return {
            "depth": depth,
            "bare_work_s": bare,
            "work_s": {p: med_of(s[p], "work_s") for p in s if not p.startswith("floor")},
            "per_call_us": per_call,
            "floor_us": floor_us,
            "floor_bare_syscall_us": med([x["floor"]["bare_us"] for x in s["floor"]]),
            "floor_sync_wakeup": s["floor"][0]["floor"]["sync_wakeup"],
            "ratio_to_floor": ratio(per_call.get("sisup"), floor_us),
            "reads_per_decision": reads_per,
            "reads_max": max(x["reads_max"] for x in st),
            "notifications": med([x["notifications"] for x in st]),
            "notifications_without_loop": z["notifications"],
            "sup_mean_us": med([x["sup_mean_us"] for x in st]),
            "sup_p99_us": med([x["sup_p99_us"] for x in st]),
            "sisup_cpu_share": sisup_cpu,
            "samples": {p: [x["floor"]["roundtrip_us"] if p.startswith("floor") else x["work_s"]
                            for x in s[p]] for p in s},
        }

    def pinned(self):
        """Decision cost at depth 50, pinned: the program on CPU 1 and sisup
        (or the floor's supervisor) on CPU 0; and both on CPU 0."""
        out = {}
        depth = 50
        cmd = self.program("decide.py", depth, DECIDE_CALLS)
        for label, sup_cpu, prog_cpu in (("split: sisup on CPU 0, program on CPU 1", 0, 1),
                                         ("same: both on CPU 0", 0, 0)):
            pin = {"BENCH_PIN_CPU": prog_cpu}
            vs = [("bare", self.thunk("bare", cmd, pin)),
                  ("sisup", self.thunk("sisup", cmd, pin, prefix=(TASKSET, "-c", str(sup_cpu)))),
                  ("floor", self.floor(sup_cpu, prog_cpu))]
            s = interleave(vs, self.reps("pinned"), self.log, f"pinned ({label})")
            zero = run([TASKSET, "-c", str(sup_cpu)] +
                       self.var.argv("sisup", self.program("decide.py", depth, 0)),
                       self.env.with_(**pin))
            d = self._decision_summary(s, zero, depth)
            d["pinning"] = label
            out[label.split(":")[0]] = d
            self.add_row(workload="1 decision pinned", case=f"depth 50, {label.split(':')[0]}",
                         metric="us/decision", base="floor", base_value=d["floor_us"],
                         values={"sisup": d["per_call_us"]["sisup"]},
                         ratios={"sisup": d["ratio_to_floor"]}, target=None,
                         extra=label.split(": ")[1])
        self.results["decision_pinned"] = out

    # 2. start-up --------------------------------------------------------------
    def startup(self):
        progs = {
            "true": ["/bin/true"],
            "pass": [PY, "-c", "pass"],
            "imports": [PY, "-c", "import json, http.client, email, asyncio, sqlite3, decimal"],
        }
        variants = ("bare", "audit", "sisup", "skeleton", "strace", "strace-bpf", "audithook",
                    "wrapper", "ptrace")
        out = {}
        pin0 = (TASKSET, "-c", "0")
        for name, cmd in progs.items():
            vs = [(v, self.thunk(v, cmd, want_json=False)) for v in variants]
            # Both on CPU 0 (the program inherits sisup's affinity): shows what
            # the wake-ups between two CPUs cost when notifications are sparse.
            vs += [("bare-cpu0", self.thunk("bare", cmd, prefix=pin0, want_json=False)),
                   ("sisup-cpu0", self.thunk("sisup", cmd, prefix=pin0, want_json=False))]
            vs = [(v, t) for v, t in vs if t is not None]
            s = interleave(vs, self.reps("startup"), self.log, f"start-up {name}")
            bare = med_of(s["bare"], "wall_s")
            d = {"cmd": cmd, "bare_s": bare,
                 "wall_s": {v: med_of(s[v], "wall_s") for v in s},
                 "ratio": {v: ratio(med_of(s[v], "wall_s"), bare) for v in s if v != "bare"},
                 "paired_ratio_min_med_max": {v: paired(s, v, "wall_s") for v in s if v != "bare"},
                 "samples": {v: [x["wall_s"] for x in s[v]] for v in s}}
            d["ratio"]["sisup-cpu0"] = ratio(med_of(s["sisup-cpu0"], "wall_s"),
                                             med_of(s["bare-cpu0"], "wall_s"))
            d["sisup_cpu0_overhead_ms"] = (med_of(s["sisup-cpu0"], "wall_s")
                                           - med_of(s["bare-cpu0"], "wall_s")) * 1e3
            for v in ("audit", "sisup"):
                st = [x["stats"] for x in s[v]]
                d[f"{v}_notifications"] = med([x["notifications"] for x in st])
                d[f"{v}_per_syscall"] = st[-1]["per_syscall"]
                d[f"{v}_sup_mean_us"] = med([x["sup_mean_us"] for x in st])
                d[f"{v}_reads_mean"] = med([x.get("reads_mean") for x in st])
                d[f"{v}_overhead_ms"] = (med_of(s[v], "wall_s") - bare) * 1e3
                d[f"{v}_own_cpu_ms"] = med_of(s[v], "cpu_s") * 1e3   # sisup's own CPU time
            out[name] = d
            tgt = TARGETS["startup"] if name != "true" else None
            self.add_row(workload="2 start-up", case=name, metric="wall ms", base="bare",
                         base_value=bare * 1e3,
                         values={v: d["wall_s"][v] * 1e3 for v in s if v != "bare"},
                         ratios=d["ratio"], target=tgt, target_of=("sisup", "audit"),
                         extra=f"notifications: enforce {d['sisup_notifications']:.0f}, "
                               f"audit {d['audit_notifications']:.0f}; enforce adds "
                               f"{d['sisup_overhead_ms']:.1f} ms, sisup's own CPU "
                               f"{d['sisup_own_cpu_ms']:.1f} ms; both on CPU 0: enforce "
                               f"{d['ratio']['sisup-cpu0']:.2f}x, adds "
                               f"{d['sisup_cpu0_overhead_ms']:.1f} ms; the design's floor: "
                               f"a fork+exec parent {d['ratio']['wrapper']:.2f}x, + ptrace "
                               f"{d['ratio']['ptrace']:.2f}x, + the notifications (skeleton) "
                               f"{d['ratio']['skeleton']:.2f}x")
        self.results["startup"] = out

    # 3-5. applications -------------------------------------------------------
    def app(self, key, label, cmd, extra=()):
        variants = ("bare", "sisup", "skeleton", "strace", "strace-bpf", "audithook",
                    "ptrace") + tuple(extra)
        vs = [(v, self.thunk(v, cmd)) for v in variants]
        s = interleave(vs, self.reps(key), self.log, label)
        bare_w, bare_wall = med_of(s["bare"], "work_s"), med_of(s["bare"], "wall_s")
        st = [x["stats"] for x in s["sisup"]]
        d = {"cmd": cmd[1:], "bare_work_s": bare_w, "bare_wall_s": bare_wall,
             "work_s": {v: med_of(s[v], "work_s") for v in s},
             "wall_s": {v: med_of(s[v], "wall_s") for v in s},
             "ratio": {v: ratio(med_of(s[v], "work_s"), bare_w) for v in s if v != "bare"},
             "wall_ratio": {v: ratio(med_of(s[v], "wall_s"), bare_wall) for v in s if v != "bare"},
             "paired_ratio_min_med_max": {v: paired(s, v, "work_s") for v in s if v != "bare"},
             "notifications": med([x["notifications"] for x in st]),
             "denied": med([x["denied"] for x in st]),
             "per_syscall": st[-1]["per_syscall"],
             "sup_mean_us": med([x["sup_mean_us"] for x in st]),
             "reads_mean": med([x.get("reads_mean") for x in st]),
             "sisup_cpu_share": med([x["cpu_s"] / x["wall_s"] for x in s["sisup"]]),
             "samples": {v: [x["work_s"] for x in s[v]] for v in s}}
        self.results[key] = d
        return d

    def http(self):
        d = self.app("http", "syscall-heavy (http)", self.program("http_app.py", HTTP_REQUESTS))
        self._app_row("3 syscall-heavy", f"{HTTP_REQUESTS} HTTP requests", d, TARGETS["http"])

    def proc(self):
        d = self.app("proc", "process-heavy", self.program("proc_app.py", PROC_RUNS))
        self._app_row("4 process-heavy", f"{PROC_RUNS} x subprocess.run(true)", d, TARGETS["proc"])

    def cpu(self):
        # "launcher": the audit-hook peer's launcher without the hook, to
        # separate the hook's cost from the launcher's (see bench/README.md)
        d = self.app("cpu", "cpu-bound", self.program("cpu_app.py", CPU_ROUNDS),
                     extra=("launcher",))
        self._app_row("5 CPU-bound", "json, regex, sort", d, TARGETS["cpu"])
        self.rows[-1]["extra"] += (f"; the audit-hook launcher without its hook "
                                   f"{d['ratio']['launcher']:.2f}x bare (no audit event fires "
                                   f"in this loop: layout, not hook)")

    def _app_row(self, workload, case, d, target):
        self.add_row(workload=workload, case=case, metric="work s", base="bare",
                     base_value=d["bare_work_s"],
                     values={v: d["work_s"][v] for v in d["work_s"] if v != "bare"},
                     ratios=d["ratio"], target=target,
                     extra=f"notifications {d['notifications']:.0f} (denied "
                           f"{d['denied']:.0f}), supervisor {d['sup_mean_us']:.1f} us each, "
                           f"sisup CPU {d['sisup_cpu_share'] * 100:.0f}% of wall; "
                           f"wall ratio {d['wall_ratio']['sisup']:.2f}; per-round ratios "
                           "{:.2f}..{:.2f}".format(*d["paired_ratio_min_med_max"]["sisup"][::2])
                           + f"; ptrace alone (skeleton without filter) {d['ratio']['ptrace']:.2f}x")

    # 6. scale -----------------------------------------------------------------
    def scale(self):
        out = {}
        cases = (("threads", f"{SCALE_THREADS} threads x {SCALE_THREAD_CALLS}",
                  self.program("scale_threads.py", SCALE_THREADS, SCALE_THREAD_CALLS)),
                 ("procs", f"{SCALE_PROCS} processes x {SCALE_PROC_CALLS}",
                  self.program("scale_procs.py", SCALE_PROCS, SCALE_PROC_CALLS)))
        for key, label, cmd in cases:
            # Plain strace (PTRACE_SYSCALL) on 64 threads took 220 s a run
            # (58x bare): it alone would break the 10-minute budget.
            variants = ("bare", "sisup", "strace-bpf", "audithook") if key == "threads" else \
                ("bare", "sisup", "strace", "strace-bpf", "audithook")
            vs = [(v, self.thunk(v, cmd, sample_rss=(v == "sisup"))) for v in variants]
            s = interleave(vs, self.reps("scale"), self.log, f"scale {key}")
            st = [x["stats"] for x in s["sisup"]]
            decisions = s["sisup"][0]["result"]["decisions"]
            work = med_of(s["sisup"], "work_s")
            d = {"label": label, "decisions": decisions,
                 "work_s": {v: med_of(s[v], "work_s") for v in s},
                 "ratio": {v: ratio(med_of(s[v], "work_s"), med_of(s["bare"], "work_s"))
                           for v in s if v != "bare"},
                 "paired_ratio_min_med_max": {v: paired(s, v, "work_s") for v in s if v != "bare"},
                 "decisions_per_s": decisions / work,
                 "sisup_cpu_share": med([x["cpu_s"] / x["wall_s"] for x in s["sisup"]]),
                 "sisup_cpu_s": med([x["cpu_s"] for x in s["sisup"]]),
                 "sisup_peak_rss_mb": max(x["hwm_kb"] for x in s["sisup"]) / 1024,
                 "notifications": med([x["notifications"] for x in st]),
                 "abandoned": max(x["abandoned"] for x in st),
                 "sup_mean_us": med([x["sup_mean_us"] for x in st]),
                 "sup_p99_us": med([x["sup_p99_us"] for x in st]),
                 "samples": {v: [x["work_s"] for x in s[v]] for v in s}}
            out[key] = d
            self.add_row(workload="6 scale", case=label, metric="work s", base="bare",
                         base_value=med_of(s["bare"], "work_s"),
                         values={v: d["work_s"][v] for v in s if v != "bare"},
                         ratios=d["ratio"], target=TARGETS["rss_mb"], target_kind="rss",
                         rss=d["sisup_peak_rss_mb"],
                         extra=f"{d['decisions_per_s']:,.0f} decisions/s, sisup CPU "
                               f"{d['sisup_cpu_share'] * 100:.0f}% of wall, peak RSS "
                               f"{d['sisup_peak_rss_mb']:.1f} MB")
        self.results["scale"] = out


# ---------------------------------------------------------------------------
# Report

    # issue 6: an open performed by sisup for an argument rule ---------------
    def argsopen(self):
        """logsink opens a file ARGS_OPENS times: holding fs-write and
        native-code, sisup answers CONTINUE; holding only {fs-write: [DIR/**]}
        sisup resolves the path, checks the rule and performs the open (the
        descriptor is injected)."""
        d = self.env.tmp / "argsopen"
        d.mkdir(exist_ok=True)
        # CONTINUE: logsink holds fs-write and native-code (without the
        # latter sisup performs its write-opens too, to rule out
        # /proc/PID/mem: docs/policy.md); emulated: only a rule.
        pols = {}
        for name, grant in (("cont", "[fs-write, native-code]"),
                            ("args", f'[{{fs-write: ["{d}/**"]}}]')):
            pols[name] = self.env.tmp / f"{name}.yaml"
            pols[name].write_text(POLICY.read_text().replace("allow: [fs-write]",
                                                             f"allow: {grant}"))
            if grant not in pols[name].read_text():
                raise Failed(f"{name}.yaml: logsink's grant not found in " + POLICY.name)
        cmd = self.program("args_open.py", d, ARGS_OPENS)
        cont = [str(SISUP), "run", "-p", str(pols["cont"]), "--stats", "--", *cmd]
        rule = [str(SISUP), "run", "-p", str(pols["args"]), "--stats", "--", *cmd]
        vs = [("bare", self.thunk("bare", cmd)), ("continue", lambda: run(cont, self.env.env)),
              ("emulated", lambda: run(rule, self.env.env))]
        s = interleave(vs, self.reps("argsopen"), self.log, "argument rule open")
        bare = med_of(s["bare"], "work_s")
        us = {v: (med_of(s[v], "work_s") - bare) / ARGS_OPENS * 1e6 for v in ("continue", "emulated")}
        out = {"opens": ARGS_OPENS, "bare_work_s": bare, "extra_us_per_open": us,
               "ratio_emulated_to_continue": ratio(us["emulated"], us["continue"]),
               "notifications": {v: med([x["stats"]["notifications"] for x in s[v]])
                                 for v in ("continue", "emulated")},
               "samples": {v: [x["work_s"] for x in s[v]] for v in s}}
        self.results["argsopen"] = out
        self.add_row(workload="6b argument rule", case=f"{ARGS_OPENS} opens by logsink",
                     metric="us/open", base="notified CONTINUE", base_value=us["continue"],
                     values={"sisup": us["emulated"]},
                     ratios={"sisup": out["ratio_emulated_to_continue"]}, target=None,
                     extra=f"sisup's cost per open beyond bare: CONTINUE {us['continue']:.1f} us, "
                           f"resolved + performed {us['emulated']:.1f} us")

def met(row):
    t = row.get("target")
    if t is None:
        return None
    if row.get("target_kind") == "rss":
        return row["rss"] <= t
    return all(row["ratios"].get(v) is not None and row["ratios"][v] <= t
               for v in row.get("target_of", ("sisup",)))


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def table(rows):
    head = (f"{'workload':<19} {'case':<30} {'metric':<11} {'baseline':>9} "
            + " ".join(f"{p:>10}" for p in COLUMNS) + f"  {'target':>7} {'met':>4}")
    lines = [head, "-" * len(head)]
    for r in rows:
        vals = " ".join(f"{fmt(r['ratios'].get(p), '.2f') + 'x':>10}"
                        if r["ratios"].get(p) is not None else f"{'':>10}" for p in COLUMNS)
        t = r.get("target")
        tgt = "" if t is None else (f"{t:.0f}MB" if r.get("target_kind") == "rss" else f"{t:.2f}x")
        m = met(r)
        lines.append(f"{r['workload']:<19} {r['case']:<30} {r['metric']:<11} "
                     f"{fmt(r['base_value'], '.3f'):>9} {vals}  {tgt:>7} "
                     f"{'' if m is None else ('yes' if m else 'NO'):>4}")
        if r.get("extra"):
            lines.append(f"{'':<19}   {r['extra']}")
    return "\n".join(lines)


def markdown(rows, meta):
    out = [f"Run of {meta['date']} on {meta['cpu']} ({meta['cpus']} CPUs), Linux {meta['kernel']}, "
           f"{meta['interpreter']}; sisup {meta['sisup_commit']}; other programs used "
           f"{meta.get('foreign_cpu_share', 0) * 100:.0f}% of the CPUs meanwhile.", "",
           "| workload | case | baseline | " + " | ".join(COLUMNS) + " | target | met | notes |",
           "|---|---|---|" + "---|" * len(COLUMNS) + "---|---|---|"]
    for r in rows:
        base = f"{fmt(r['base_value'], '.3f')} {r['metric'].split()[-1] if r['base'] != 'floor' else 'us'}" \
               f" ({r['base']})"
        vals = " | ".join(fmt(r["ratios"].get(p), ".2f") + ("×" if r["ratios"].get(p) is not None
                                                            else "") for p in COLUMNS)
        t = r.get("target")
        tgt = "" if t is None else (f"≤ {t:.0f} MB RSS" if r.get("target_kind") == "rss"
                                    else f"≤ {t:.2f}×")
        m = met(r)
        out.append(f"| {r['workload']} | {r['case']} | {base} | {vals} | {tgt} | "
                   f"{'' if m is None else ('yes' if m else '**no**')} | "
                   f"{r.get('extra', '').replace('|', '/')} |")
    return "\n".join(out)


def chart(rows, path):
    """One PNG: ratio to the baseline for each row and peer (log scale)."""
    gp = shutil.which("gnuplot")
    if not gp:
        return "gnuplot not found"
    with tempfile.TemporaryDirectory() as d:
        data = Path(d) / "ratios.dat"
        with open(data, "w") as f:
            f.write("case " + " ".join(COLUMNS) + "\n")
            for r in rows:
                if not any(r["ratios"].get(p) is not None for p in COLUMNS):
                    continue   # e.g. the decision model: no ratios of its own
                w = r["workload"]
                label = (w.split()[0] + (" pinned" if "pinned" in w else "") + ": "
                         + r["case"]).replace('"', "'")
                vals = " ".join("?" if r["ratios"].get(p) is None or r["ratios"][p] <= 0
                                else format(r["ratios"][p], ".4f") for p in COLUMNS)
                f.write(f'"{label}" {vals}\n')
        script = f"""
set terminal pngcairo size 1500,750 font "sans,9"
set output "{path}"
set title "sisup and its peers: time / baseline of the same run (decision rows: overhead / notification floor)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set yrange [0.1:*]
set ylabel "ratio (log scale)"
set grid ytics
set key top left
set xtics rotate by -35 left
set datafile missing "?"
set bmargin 12
plot "{data}" using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), \
     '' using 4 title columnheader(4), '' using 5 title columnheader(5), \
     '' using 6 title columnheader(6), 1 with lines lt -1 notitle
"""
        p = subprocess.run([gp], input=script, text=True, capture_output=True)
        if p.returncode != 0:
            return p.stderr.strip()
    return None


def cpu_accounting():
    """(busy seconds of the whole machine, CPU seconds of this driver and its
    reaped children): their difference over a run is what other programs
    used meanwhile. Shared machines run other jobs; the figures say so."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    vals = [int(x) for x in fields]
    busy = sum(vals) - vals[3] - vals[4]     # all but idle and iowait
    ours = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        ours += ru.ru_utime + ru.ru_stime
    return busy / CLK_TCK, ours


def meta():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    interp = subprocess.run([PY, "-c", "import sys; print(sys.version.split()[0])"],
                            capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    strace_v = subprocess.run([STRACE, "-V"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "kernel": platform.release(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "interpreter": f"{PY} (CPython {interp})",
        "driver": sys.executable,
        "sisup_commit": commit,
        "strace": strace_v,
        "clocksource": Path("/sys/devices/system/clocksource/clocksource0/current_clocksource")
        .read_text().strip(),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps-scale", type=float, default=1.0,
                    help="multiply every workload's repetitions (default 1)")
    ap.add_argument("--only", default="",
                    help="comma list of: decision,pinned,startup,http,proc,cpu,scale,argsopen")
    ap.add_argument("--out", default=str(BENCH / "results.json"))
    ap.add_argument("--chart", default=str(BENCH / "ratios.png"))
    ap.add_argument("--no-chart", action="store_true")
    args = ap.parse_args()
    for need in (SISUP, FLOOR, SKELETON, Path(PY), Path(STRACE), Path(TASKSET)):
        if not os.access(need, os.X_OK):
            die(f"{need} missing (run `make bench`)")
    order = ["decision", "pinned", "startup", "http", "proc", "cpu", "scale", "argsopen"]
    only = [w for w in args.only.split(",") if w] or order
    for w in only:
        if w not in order:
            die(f"unknown workload {w}")
    b = Bench(args)
    info = meta()
    info["loadavg_before"] = Path("/proc/loadavg").read_text().split()[:3]
    acct0 = cpu_accounting()
    t0 = time.monotonic()
    try:
        b.check_peers()
        for w in order:
            if w in only:
                b.log(f"workload {w}")
                getattr(b, w)()
    except Failed as e:
        die(f"a run failed:\n{e}")
    finally:
        b.env.close()
    info["duration_s"] = round(time.monotonic() - t0, 1)
    acct1 = cpu_accounting()
    foreign = max(0.0, (acct1[0] - acct0[0]) - (acct1[1] - acct0[1]))
    info["foreign_cpu_s"] = round(foreign, 1)
    info["foreign_cpu_share"] = round(foreign / info["duration_s"] / (os.cpu_count() or 1), 3)
    info["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    info["repetitions"] = {k: b.reps(k) for k in REPS}
    print()
    print(f"sisup benchmarks: {info['date']}, Linux {info['kernel']}, {info['cpu']} "
          f"({info['cpus']} CPUs), {info['interpreter']}, sisup {info['sisup_commit']}")
    print("ratios: time / bare in the same run (decision: overhead per call / notification floor);"
          " medians of interleaved runs")
    print(table(b.rows))
    verdicts = [(f"{r['workload']} {r['case']}", met(r)) for r in b.rows if met(r) is not None]
    print()
    for what, ok in verdicts:
        print(f"target {'met' if ok else 'MISSED'}: {what}")
    print(f"\n(duration {info['duration_s']:.0f} s; repetitions {info['repetitions']}; "
          f"other programs used {info['foreign_cpu_share'] * 100:.0f}% of the machine's CPU "
          f"meanwhile)")
    if info["foreign_cpu_share"] > 0.05:
        print("bench: WARNING: the machine was not idle; compare ratios only, or run again",
              file=sys.stderr)
    doc = {"meta": info, "targets": TARGETS,
           "verdicts": [{"what": w, "met": ok} for w, ok in verdicts],
           "table": b.rows, "workloads": b.results,
           "table_markdown": markdown(b.rows, info)}
    Path(args.out).write_text(json.dumps(doc, indent=1, default=str) + "\n")
    print(f"wrote {args.out}")
    if not args.no_chart:
        err = chart(b.rows, args.chart)
        print(f"chart: {err}" if err else f"wrote {args.chart}")


if __name__ == "__main__":
    main()
