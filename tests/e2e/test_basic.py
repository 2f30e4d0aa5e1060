"""Exit statuses, messages, the trace log and --stats."""
import json
import os
import signal

import pytest

from conftest import run


@pytest.mark.parametrize("cmd,code", [
    (["/bin/true"], 0),
    (["/bin/false"], 1),
    (["/bin/sh", "-c", "exit 7"], 7),
    (["/bin/sh", "-c", "exit 255"], 255),
])
def test_exit_status_is_the_programs(sisup_run, cmd, code):
    r = sisup_run(*cmd)
    assert r.returncode == code
    assert r.stderr == ""  # sisup adds nothing to the program's output


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGSEGV, signal.SIGABRT])
def test_death_by_signal_is_128_plus_n(sisup_run, sig):
    r = sisup_run("/bin/sh", "-c", f"kill -{int(sig)} $$")
    assert r.returncode == 128 + int(sig)


def test_not_found_is_127(sisup_run):
    r = sisup_run("/nonexistent/program")
    assert r.returncode == 127
    assert r.stderr.startswith("sisup: cannot execute '/nonexistent/program'")


def test_path_search_not_found_is_127(sisup_run):
    r = sisup_run("no-such-program-sisup")
    assert r.returncode == 127
    assert "No such file or directory" in r.stderr


def test_not_executable_is_126(sisup_run, tmp_path):
    f = tmp_path / "script"
    f.write_text("#!/bin/sh\nexit 0\n")
    f.chmod(0o644)
    r = sisup_run(str(f))
    assert r.returncode == 126
    assert "Permission denied" in r.stderr


@pytest.mark.parametrize("args", [[], ["--bogus", "--", "/bin/true"], ["--"],
                                  ["--notify", "nosuchsyscall", "--", "/bin/true"],
                                  ["run", "--json", "-p", "x.yaml", "--", "/bin/true"],
                                  ["run", "--", "/bin/true"], ["learn", "--", "/bin/true"],
                                  ["check"]])
def test_usage_errors_are_125(sisup, args):
    r = run([sisup, *args])
    assert r.returncode == 125
    assert r.stderr.startswith("sisup: ")


def test_help_and_version(sisup):
    r = run([sisup, "--help"])
    assert r.returncode == 0 and "usage: sisup" in r.stdout
    r = run([sisup, "trace", "--help"])
    assert r.returncode == 0 and "usage: sisup trace" in r.stdout
    r = run([sisup, "--version"])
    assert r.returncode == 0 and r.stdout.startswith("sisup ")


def test_stdio_passes_through(sisup_run):
    r = sisup_run("/bin/sh", "-c", "read x; echo \"out:$x\"; echo err >&2", input="hello\n")
    assert r.returncode == 0
    assert r.stdout == "out:hello\n"
    assert r.stderr == "err\n"


def test_trace_text_log(sisup, tmp_path):
    log = tmp_path / "log"
    r = run([sisup, "trace", "-o", str(log), "--", "/bin/sh", "-c", f"echo x > {tmp_path}/f"])
    assert r.returncode == 0
    text = log.read_text()
    assert "openat(AT_FDCWD, 0x" in text
    assert "O_WRONLY|O_CREAT|O_TRUNC" in text
    assert "= continue" in text
    assert " exec /usr/bin/dash" in text or " exec /bin/dash" in text


def load_json(path):
    return [json.loads(l) for l in path.read_text().splitlines()]


def test_trace_json_log(sisup, tmp_path):
    log = tmp_path / "log"
    r = run([sisup, "trace", "--json", "-o", str(log), "--",
             "/bin/sh", "-c", f"echo x > {tmp_path}/f; /bin/true"])
    assert r.returncode == 0
    evs = load_json(log)
    sc = [e for e in evs if e["event"] == "syscall"]
    opens = [e for e in sc if e["syscall"] == "openat"]
    assert opens and opens[0]["args"][0] == "AT_FDCWD"
    assert "O_WRONLY" in opens[0]["args"][2]
    assert all(e["answer"] == "continue" for e in sc)
    assert all(len(e["raw"]) == 6 for e in sc)
    assert {e["event"] for e in evs} >= {"syscall", "exec", "exit", "create"}
    main = evs[0]["pid"]
    exits = [e for e in evs if e["event"] == "exit" and e["tid"] == main]
    assert exits and exits[0]["code"] == 0


def test_trace_to_stderr_by_default(sisup):
    r = run([sisup, "trace", "--", "/bin/sh", "-c", "echo hi"])
    assert r.returncode == 0
    assert r.stdout == "hi\n"
    assert "execve(" in r.stderr


def test_notify_all_notifies_every_syscall(sisup, tmp_path):
    log = tmp_path / "log"
    r = run([sisup, "trace", "--json", "--notify", "all", "-o", str(log), "--", "/bin/true"])
    assert r.returncode == 0
    names = {e["syscall"] for e in load_json(log) if e["event"] == "syscall"}
    # the dynamic loader's and libc's start-up calls, normally kept in the kernel
    assert {"brk", "mmap", "close", "exit_group", "execve"} <= names


def test_notify_custom_set(sisup, tmp_path):
    log = tmp_path / "log"
    r = run([sisup, "trace", "--json", "--notify", "getppid", "-o", str(log), "--",
             "/bin/sh", "-c", "echo $PPID"])
    assert r.returncode == 0
    names = [e["syscall"] for e in load_json(log) if e["event"] == "syscall"]
    assert names == ["getppid"]


def test_stats(sisup, helper):
    r = run([sisup, "trace", "-o", "/dev/null", "--stats", "--", helper("storm"), "2", "50"])
    assert r.returncode == 0
    lines = r.stderr.splitlines()
    assert all(l.startswith("sisup: ") for l in lines)
    assert any("mean" in l and "p99" in l for l in lines)
    counts = {l.split()[2]: int(l.split()[1]) for l in lines if len(l.split()) == 3
              and l.split()[1].isdigit()}
    assert counts.get("openat") == 100
