"""The documentation is in step with sisup.

1. Options: every option each command's --help lists is in docs/sisup.1 (under
   that command, or "Every command"), every option the man page lists is
   in that --help and accepted by sisup, and the options used by the
   synopsis lines of README.md and docs/*.md exist for their command.
2. Commands: every runnable example command in README.md, docs/*.md and
   examples/*/README.md runs. Convention: inside a fenced block whose info
   string is `console`, `sh`, `shell` or `bash`, a line starting with "$ " is a
   command (the lines after it, up to the next "$ ", its output); it runs in a
   temporary directory with `sisup`/`./sisup` replaced by the binary under
   test and words naming a file of the repository (examples/x/run.sh,
   docs/...) made absolute. It must exit 0, or N when the line ends with
   "# exit N". Command lines elsewhere (indented synopses, inline code) are
   not run; test_unrun_commands lists them (pytest -s shows the list) and
   checks their options.
"""
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SISUP

MAN = ROOT / "docs" / "sisup.1"
COMMANDS = ["", "run", "learn", "check", "trace"]   # "" is audit
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "examples").glob("*/README.md"))]
OPT = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")


def _help(cmd):
    args = [str(SISUP)] + ([cmd] if cmd else []) + ["--help"]
    r = subprocess.run(args, capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    return r.stdout


def help_options(cmd):
    """{option: takes_value} from the usage and Options lines of --help."""
    out = {}
    text = _help(cmd)
    lines = text.splitlines()
    usage = []
    for i, l in enumerate(lines):    # the usage lines of this command only
        if i == 0 or (usage and l.startswith(" ") and not l.strip().startswith("sisup")):
            usage.append(l)
        else:
            break
    opt_lines = [l for l in lines if re.match(r"^\s+-", l)]
    for l in usage + opt_lines:
        for m in re.finditer(r"(?<![\w-])(--?[a-z][a-z-]*)(?:,\s*(--[a-z-]+))?((?:[ =])[A-Z][A-Z]*|\s+text\|json)?", l):
            if m.group(1) == "--" or m.group(1) == "-":
                continue
            for o in (m.group(1), m.group(2)):
                if o:
                    out[o] = out.get(o, False) or bool(m.group(3))
    if cmd == "":
        out["--version"] = False        # "-h, --help ...;  --version"
    return out


def man_options():
    """{section: {option: takes_value}} from the OPTIONS section of sisup.1."""
    text = MAN.read_text()
    sect = text.split("\n.SH OPTIONS\n", 1)[1].split("\n.SH ", 1)[0]
    res, cur = {}, None
    lines = sect.splitlines()
    for i, l in enumerate(lines):
        if l.startswith(".SS "):
            name = l[4:].strip()
            cur = {"Audit (no command)": "", "Every command": "*"}.get(
                name, name.replace("sisup ", ""))
            res[cur] = {}
        elif l == ".TP" and cur is not None and i + 1 < len(lines):
            head = lines[i + 1].replace("\\-", "-").replace("\\fI", " ").replace("\\fR", "")
            opts = OPT.findall(head.split('"')[0] + " " + " ".join(head.split('"')[2::2]))
            takes = bool(re.search(r'\s"?\s*[A-Z]{2,}', head))
            for o in opts:
                res[cur][o] = takes
    return res


def _accepted(cmd, opt, takes):
    value = {"--log-format": "json", "--notify": "default"}.get(opt, "x")
    args = [str(SISUP)] + ([cmd] if cmd else []) + [opt] + ([value] if takes else []) + ["--help"]
    r = subprocess.run(args, capture_output=True, text=True, timeout=10)
    return r.returncode == 0, r.stderr


def test_man_page_renders_without_warnings():
    r = subprocess.run(["groff", "-man", "-ww", "-z", str(MAN)], capture_output=True, text=True)
    if r.returncode == 127:
        pytest.skip("groff not installed")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    for s in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "POLICY",
              "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"):
        assert f"\n.SH {s}\n" in MAN.read_text(), f"section {s} missing"


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c or "audit")
def test_help_options_in_man_page(cmd):
    man = man_options()
    mine = {**man.get(cmd, {}), **man.get("*", {})}
    helped = help_options(cmd)
    assert helped or cmd == "check"
    missing = sorted(set(helped) - set(mine))
    assert not missing, f"'sisup {cmd} --help' lists {missing}, docs/sisup.1 does not"
    for o, takes in helped.items():
        assert mine[o] == takes, f"{o}: value in --help {takes}, in man page {mine[o]}"
    # the synopsis of the man page names the command's options
    syn = MAN.read_text().split("\n.SH SYNOPSIS\n", 1)[1].split("\n.SH ", 1)[0]
    blocks = re.split(r"\n\.br\n", syn)
    block = next(b for b in blocks if b.startswith(".B sisup" + (" " + cmd if cmd else "") + "\n")
                 or (cmd == "" and b.startswith(".B sisup\n.RB [ \\-\\-report")))
    named = set(OPT.findall(block.replace("\\-", "-")))
    lacking = sorted(set(helped) - named - {"-h", "--help", "--version", "--policy", "--output"})
    assert not lacking, f"SYNOPSIS of sisup {cmd} lacks {lacking}"


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c or "audit")
def test_man_page_options_accepted(cmd):
    man = man_options()
    assert cmd in man, f"docs/sisup.1 has no OPTIONS subsection for '{cmd or 'audit'}'"
    helped = help_options(cmd)
    for o, takes in {**man[cmd], **man["*"]}.items():
        if o in ("-h", "--help"):
            continue
        if cmd and o == "--version":
            pass
        elif o not in helped:
            pytest.fail(f"docs/sisup.1 lists {o} for '{cmd or 'audit'}', its --help does not")
        ok, err = _accepted(cmd, o, takes)
        assert ok, f"sisup {cmd} refuses {o}: {err}"


# --- example commands in the docs ---------------------------------------

FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.M | re.S)
RUNNABLE_INFO = {"console", "sh", "shell", "bash"}


def runnable_commands():
    found = []
    for doc in DOCS:
        text = doc.read_text()
        for m in FENCE.finditer(text):
            if m.group(1) not in RUNNABLE_INFO:
                continue
            for l in m.group(2).splitlines():
                if l.startswith("$ "):
                    found.append((doc.relative_to(ROOT), l[2:]))
    return found


def unrun_commands():
    """Lines that look like sisup commands but are not marked runnable."""
    found = []
    for doc in DOCS:
        text = doc.read_text()
        fenced = "".join(m.group(0) for m in FENCE.finditer(text)
                         if m.group(1) in RUNNABLE_INFO)
        for l in text.splitlines():      # markdown's indented code blocks
            s = l.strip()
            if l.startswith("    ") and re.match(r"^(\./)?sisup( |$)", s) and s not in fenced:
                found.append((doc.relative_to(ROOT), "indented block", s))
        for m in re.finditer(r"`((?:\./)?sisup(?: [^`]*)?)`", text):
            found.append((doc.relative_to(ROOT), "inline code", m.group(1)))
    return found


RUNNABLE = runnable_commands()


def _substitute(cmd):
    words = shlex.split(cmd.split(" # exit ")[0])
    out = []
    for i, w in enumerate(words):
        if i == 0 and w in ("sisup", "./sisup"):
            w = str(SISUP)
        elif not w.startswith("/") and "/" in w and (ROOT / w).exists():
            w = str(ROOT / w)
        out.append(w)
    return out


@pytest.mark.parametrize("doc,cmd", RUNNABLE, ids=[f"{d}:{c}" for d, c in RUNNABLE])
def test_doc_command_runs(doc, cmd, tmp_path):
    m = re.search(r" # exit (\d+)\s*$", cmd)
    want = int(m.group(1)) if m else 0
    env = dict(os.environ, SISUP=str(SISUP), PYTHON="/usr/bin/python3.11")
    r = subprocess.run(_substitute(cmd), cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == want, f"{doc}: '$ {cmd}' exited {r.returncode}, documented {want}:\n{r.stdout}\n{r.stderr}"


def test_docs_have_runnable_commands():
    assert RUNNABLE, "no '$ ' command in a console/sh block of README.md, docs/*.md, examples/*/README.md"


def test_unrun_commands():
    """Commands the docs show but that are not marked runnable: listed (with
    -s), and their options must exist for their command."""
    helped = {c: help_options(c) for c in COMMANDS}
    bad = []
    for doc, where, line in unrun_commands():
        print(f"not run: {doc} ({where}): {line}")
        words = line.split()
        cmd = words[1] if len(words) > 1 and words[1] in COMMANDS else ""
        for w in words[1:]:
            if w == "--" or w.startswith("PROG") or w == "python3":
                break
            for o in OPT.findall(w.strip("[]().,;|")):
                base = o.split("=")[0]
                if base in ("-", "--"):
                    continue
                if base not in helped[cmd]:
                    bad.append(f"{doc} ({where}): '{line}': {base} is not an option of "
                               f"'sisup {cmd or '(audit)'}'")
    assert not bad, "\n".join(bad)
