"""Native code and memory writes: a confined package (`forger`) runs a shell
command (spawn and exec, which it lacks) directly, through ctypes, or after
rewriting its own frame's file name in memory (apps/app_forge.py,
pkgs/forger). The effect checked is the marker file the command creates.
"""
import pytest

from conftest import denials


def forge(attack, policy, what):
    r = attack(policy, "app_forge.py", what, attack.marker)
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    return r


def test_control_plain_system_is_denied(attack):
    """Control: without tricks the module's os.system is denied."""
    r = forge(attack, "forge_none.yaml", "system_plain")
    assert not attack.marker.exists()
    assert denials(r.stderr, "forger"), r.stderr[-3000:]


def test_ctypes_libc_system(attack):
    """attack: ctypes calling libc system() | expected: stopped | the fork happens under the module's Python frame (ctypes is called from it): spawn is checked as for os.system"""
    r = forge(attack, "forge_none.yaml", "ctypes_system")
    assert not attack.marker.exists(), r.stdout + r.stderr[-3000:]
    # spawn on most builds; native-code where importing ctypes needs it (3.14+)
    assert any(l.endswith(("lacks spawn", "lacks exec", "lacks native-code"))
               for l in denials(r.stderr, "forger")), r.stderr[-3000:]


def test_ctypes_libc_system_with_native_code(attack):
    """attack: ctypes calling libc system() with native-code granted | expected: stopped | native-code is not spawn: the fork is still charged to the calling frame"""
    r = forge(attack, "forge_native.yaml", "ctypes_system")
    assert not attack.marker.exists(), r.stdout + r.stderr[-3000:]
    assert denials(r.stderr, "forger"), r.stderr[-3000:]



def test_ctypes_forged_frame_without_native_code(attack):
    """attack: forging the module's own frame with ctypes.memmove (co_filename -> os.py), then os.system, native-code denied | expected: stopped | loading _ctypes is native code whoever imports it (ctypes.memmove writes memory without loading anything else); found by this suite, fixed"""
    r = forge(attack, "forge_none.yaml", "ctypes_forge")
    assert not attack.marker.exists(), r.stdout + r.stderr[-3000:]
    assert any(l.endswith("lacks native-code") for l in denials(r.stderr, "forger")), \
        r.stderr[-3000:]


def test_ctypes_forged_frame_with_native_code(attack):
    """attack: forging the module's own frame with ctypes.memmove, native-code granted | expected: gap | code that writes its process's memory can forge any frame: a module granted native-code is attributed advisorily (README threat model)"""
    r = forge(attack, "forge_native.yaml", "ctypes_forge")
    assert attack.marker.exists(), r.stdout + r.stderr[-3000:]
    assert r.out.get("result") == "0"
    assert not denials(r.stderr, "forger"), r.stderr[-3000:]


def test_proc_self_mem_without_fs_write(attack):
    """attack: forging the module's own frame through /proc/self/mem, fs-write not granted | expected: stopped | opening /proc/self/mem for writing is an open for writing"""
    r = forge(attack, "forge_none.yaml", "procmem_forge")
    assert not attack.marker.exists(), r.stdout + r.stderr[-3000:]
    assert r.out.get("result", "").startswith("PermissionError")
    assert any(l.endswith("lacks fs-write") for l in denials(r.stderr, "forger"))


def test_proc_self_mem_with_fs_write(attack):
    """attack: forging the module's own frame through /proc/self/mem with fs-write granted (no native-code, no spawn), then os.system | expected: stopped | an open for writing of /proc/PID/mem needs native-code; sisup performs such opens on the canonical path (found by this suite, fixed)"""
    r = forge(attack, "forge_fswrite.yaml", "procmem_forge")
    assert not attack.marker.exists(), r.stdout + r.stderr[-3000:]
    assert r.out.get("result", "").startswith("PermissionError"), r.stdout
    assert any(l.endswith("lacks native-code") for l in denials(r.stderr, "forger")), \
        r.stderr[-3000:]


SIBLING = r"""
import os, sys, ctypes
buf = bytearray(b"ORIGINAL")
addr = ctypes.addressof((ctypes.c_char * 8).from_buffer(buf))
r, w = os.pipe()
pid = os.fork()
if pid == 0:                       # the sibling: trusted, waits, then reports its buffer
    os.close(w); os.read(r, 1)
    print("sibling:", bytes(buf).decode(), flush=True)
    os._exit(0)
sys.path.insert(0, sys.argv[1])
import forger
try:
    print("write:", forger.procmem_sibling(pid, addr, b"FORGED!!"), flush=True)
except OSError as e:
    print("write:", type(e).__name__, flush=True)
os.write(w, b"x"); os.waitpid(pid, 0)
"""


@pytest.mark.expensive
def test_proc_pid_mem_write_into_a_sibling(attack):
    """attack: writing a sibling's memory through /proc/PID/mem (module granted fs-write) | expected: stopped | an open for writing of /proc/PID/mem needs native-code (hardening rule 7's reason: it can forge the sibling's stack); found by this suite, fixed"""
    prog = attack.tmp / "sibling.py"
    prog.write_text(SIBLING)
    r = attack("forge_fswrite.yaml", str(prog), attack.site)
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    assert r.out.get("sibling") == "ORIGINAL", r.stdout + r.stderr[-3000:]

