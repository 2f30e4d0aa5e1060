"""Escaping through processes: a confined package (`escaper`) gets another
process to create a file (fs-write, which it lacks) or to run a program its
exec rules do not cover (apps/app_escape.py, pkgs/escaper). Most policies
grant it spawn and exec, so that the escape itself is what is tested: the
child runs, and inherits the package's principals.
"""
import shutil

import pytest

from conftest import POLICIES, denials, need, run

PRELOAD_C = r"""
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
__attribute__((constructor)) static void attack(void)
{
	const char *m = getenv("MARKER");
	if (m) { int fd = open(m, O_WRONLY | O_CREAT, 0644); if (fd >= 0) close(fd); }
}
"""


def escape(attack, policy, what, extra="-"):
    r = attack(policy, "app_escape.py", what, attack.marker, extra)
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    assert "result" in r.out, r.stdout + r.stderr[-3000:]
    return r


def stopped(attack, policy, what, extra="-", lacks="fs-write"):
    r = escape(attack, policy, what, extra)
    assert not attack.marker.exists(), r.stdout + r.stderr[-3000:]
    assert any(l.endswith("lacks " + lacks) for l in denials(r.stderr, "escaper")), \
        r.stderr[-3000:]
    return r


def test_posix_spawn(attack):
    """attack: os.posix_spawn of touch | expected: stopped | the child inherits the module's principals, across exec"""
    stopped(attack, "escape_spawn.yaml", "posix_spawn")


def test_fork_execv(attack):
    """attack: os.execv after os.fork | expected: stopped | the forked child inherits the module's principals"""
    stopped(attack, "escape_spawn.yaml", "fork_execv")


@pytest.mark.expensive
def test_pty_spawn(attack):
    """attack: pty.spawn of touch (module granted the pty devices) | expected: stopped | the child inherits the module's principals"""
    stopped(attack, "escape_pty.yaml", "pty_spawn")


@pytest.mark.expensive
def test_multiprocessing_forkserver(attack):
    """attack: a multiprocessing forkserver process started earlier by trusted code, asked to run a builtin | expected: stopped | talking to the forkserver needs a unix socket: net-unix"""
    stopped(attack, "escape_spawn.yaml", "forkserver", lacks="net-unix")


@pytest.mark.expensive
def test_multiprocessing_forkserver_with_net_unix(attack):
    """attack: the same forkserver attack by a module granted net-unix | expected: gap | the trusted forkserver forks the child; a module that may talk to a trusted process can ask it to act (a confused deputy across processes: sisup sees no confined frame there)"""
    r = escape(attack, "escape_spawn_unix.yaml", "forkserver")
    assert attack.marker.exists(), r.stdout + r.stderr[-3000:]
    assert r.out["result"] == "0"


def test_child_python_clean_environment(attack):
    """attack: a child python -I -S started with an empty environment | expected: stopped | principals are recorded by sisup at fork, not carried in the environment"""
    stopped(attack, "escape_spawn.yaml", "clean_env_python")


@pytest.mark.expensive
def test_ld_preload_in_child(attack):
    """attack: LD_PRELOAD of a library whose constructor creates the file, in a child's environment | expected: stopped | the constructor runs in the child, which inherits the module's principals"""
    need(shutil.which("cc"), "a C compiler for the preload library")
    so = attack.tmp / "preload.so"
    src = attack.tmp / "preload.c"
    src.write_text(PRELOAD_C)
    cp = run(["cc", "-shared", "-fPIC", "-o", str(so), str(src)])
    assert cp.returncode == 0, cp.stderr
    stopped(attack, "escape_spawn.yaml", "ld_preload", so)


def test_pythonstartup_and_sitecustomize_in_child(attack):
    """attack: PYTHONSTARTUP and a sitecustomize on PYTHONPATH in a child's environment | expected: stopped | the child python inherits the module's principals"""
    d = attack.tmp / "child-site"
    d.mkdir()
    code = "import os\nopen(os.environ['MARKER'], 'w').close()\n"
    (d / "startup.py").write_text(code)
    (d / "sitecustomize.py").write_text(code)
    stopped(attack, "escape_spawn.yaml", "python_startup", d / "startup.py")


def test_memfd_execveat_without_native_code(attack):
    """attack: memfd_create + execveat of a copied program, exec limited to /usr/bin/true | expected: stopped | memfd_create needs native-code"""
    r = stopped(attack, "memfd_rule.yaml", "memfd_exec", lacks="native-code")
    assert "MEMFD-RAN" not in r.stdout


def test_memfd_execveat_with_native_code(attack):
    """attack: memfd_create + execveat with native-code granted, exec limited to /usr/bin/true | expected: stopped | a memfd program has no path: never covered by an exec rule, killed at the exec event"""
    r = escape(attack, "memfd_rule_native.yaml", "memfd_exec")
    assert "MEMFD-RAN" not in r.stdout, r.stdout
    assert r.out["result"] == "9", r.stdout  # the child was killed by SIGKILL
    assert any(l.startswith("sisup: killed exec /memfd:") for l in denials(r.stderr, "escaper"))
    # control: with a bare exec grant the same program runs
    r = escape(attack, "memfd_control.yaml", "memfd_exec")
    assert "MEMFD-RAN" in r.stdout, r.stdout + r.stderr[-3000:]


NEXT_START = "import os; open(%r, 'w').close()\n"


def _next_start(attack, policy):
    """A second run, under the same policy, of a program that does nothing."""
    return run([attack.sisup, "run", "-p", str(POLICIES / policy), "--", attack.python, "-c",
                "pass"], env=attack.env, cwd=attack.tmp)


@pytest.mark.expensive
def test_pth_file_for_the_next_start(attack):
    """attack: a module granted bare fs-write writes a .pth file into the user site that runs at the next start | expected: gap | the .pth line is executed by the standard library's site module before any confined code: unconfined. Bare fs-write over a site directory is code execution: grant fs-write with path rules"""
    attack.site.mkdir(parents=True, exist_ok=True)
    r = escape(attack, "planter.yaml", "write_file", attack.site / "zz_attack.pth")
    assert r.out["result"] == "written", r.stdout + r.stderr[-3000:]
    assert not attack.marker.exists()
    r = _next_start(attack, "planter.yaml")
    assert r.returncode == 0, r.stderr[-3000:]
    assert attack.marker.exists(), r.stderr[-3000:]


@pytest.mark.expensive
def test_usercustomize_for_the_next_start(attack):
    """attack: a usercustomize.py planted in the user site for the next start (policy default: []) | expected: stopped | the user site is third-party: usercustomize is confined by the default entry"""
    attack.site.mkdir(parents=True, exist_ok=True)
    (attack.site / "usercustomize.py").write_text(NEXT_START % str(attack.marker))
    r = _next_start(attack, "planter.yaml")
    assert not attack.marker.exists(), r.stderr[-3000:]
    assert "lacks fs-write" in r.stderr, r.stderr[-3000:]


def test_pth_file_with_scoped_fs_write(attack):
    """attack: writing a .pth file into the user site by a module whose fs-write is limited by path rules | expected: stopped | the path is not covered"""
    attack.site.mkdir(parents=True, exist_ok=True)
    pth = attack.site / "zz_attack.pth"
    r = escape(attack, "planter_scoped.yaml", "write_file", pth)
    assert not pth.exists(), r.stdout + r.stderr[-3000:]
    assert any(l.endswith("lacks fs-write") for l in denials(r.stderr, "escaper"))
