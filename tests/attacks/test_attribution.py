"""Escaping attribution: a confined package (`hider`, policy entry `allow: []`)
tries to create a file, which needs fs-write, by getting its code run where
sisup does not see it on the stack (apps/app_hide.py, pkgs/hider).

The effect checked is the file itself. `stopped`: the file does not exist and
sisup's denial names hider. `gap`: the file exists; the test asserts that, so
that it fails, and the table with it, the day the behaviour changes.
A "builtin" callback is functools.partial(open, path, "w"): a C object with no
Python frame of its own.
"""

from conftest import denials

POLICY = "hider.yaml"


def hide(attack, trick):
    r = attack(POLICY, "app_hide.py", trick, attack.marker)
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    assert r.stdout.rstrip().endswith("end"), r.stdout + r.stderr[-3000:]
    return r


def stopped(attack, trick):
    r = hide(attack, trick)
    assert not attack.marker.exists(), r.stdout + r.stderr[-3000:]
    assert any("lacks fs-write" in l for l in denials(r.stderr, "hider")), r.stderr[-3000:]
    return r


def gap(attack, trick):
    r = hide(attack, trick)
    assert attack.marker.exists(), r.stdout + r.stderr[-3000:]
    assert not denials(r.stderr, "hider"), r.stderr[-3000:]
    return r


def test_control_trusted_code_creates_the_file(attack):
    """Control: the application's own code creates the marker under the same policy."""
    r = hide(attack, "control")
    assert attack.marker.exists(), r.stdout + r.stderr[-3000:]


def test_direct(attack):
    """attack: the confined module creates the file itself | expected: stopped | the module's frame is on the stack"""
    assert stopped(attack, "direct").out.get("trick") == "PermissionError"


def test_threading_timer(attack):
    """attack: threading.Timer running a builtin | expected: stopped | the timer thread is created by the module and inherits its principals"""
    stopped(attack, "timer_builtin")


def test_run_in_executor_fresh(attack):
    """attack: asyncio run_in_executor of a builtin, on a new loop | expected: stopped | the executor's thread is created inside the module's call and inherits it"""
    stopped(attack, "executor_fresh")


def test_run_in_executor_trusted_loop(attack):
    """attack: asyncio run_in_executor of a builtin on a loop whose executor thread trusted code created | expected: gap | a worker created by trusted code has no confined frame; a builtin adds none (as for thread pools, docs/policy.md "The cases")"""
    gap(attack, "executor_trusted")


def test_call_soon_builtin(attack):
    """attack: loop.call_soon of a builtin, run later by the trusted event loop | expected: gap | the callback runs from the loop's frames only; a builtin has no frame (docs/policy.md, asyncio)"""
    gap(attack, "call_soon_builtin")


def test_signal_handler(attack):
    """attack: a signal handler of the module, raised by trusted code | expected: stopped | the handler's own frames are on the interrupted stack"""
    assert stopped(attack, "signal_handler").out.get("signal") == "PermissionError"


def test_atexit_own(attack):
    """attack: atexit.register of a function of the module | expected: stopped | the function's frame is on the stack at exit"""
    stopped(attack, "atexit_own")


def test_atexit_builtin(attack):
    """attack: atexit.register of a builtin | expected: gap | run by the interpreter at exit with no Python frame at all (docs/policy.md: a builtin registered as a finalizer has no frame)"""
    gap(attack, "atexit_builtin")


def test_weakref_finalize_builtin(attack):
    """attack: weakref.finalize(obj, open, path) with the object dropped by trusted code | expected: gap | the finalizer is a builtin: only the trusted code that dropped the object is on the stack"""
    gap(attack, "weakref_finalize_builtin")


def test_del_method(attack):
    """attack: __del__ of the module's object, dropped by trusted code | expected: stopped | a Python __del__ has the module's frame"""
    stopped(attack, "del_method")


def test_generator_resumed_by_trusted_code(attack):
    """attack: a generator of the module resumed by trusted code | expected: stopped | the generator's frame is the module's"""
    assert stopped(attack, "generator").out.get("generator") == "PermissionError"


def test_framework_callback_own(attack):
    """attack: a function of the module registered with a trusted framework, called later | expected: stopped | the callback's frame is the module's"""
    assert stopped(attack, "framework_own").out.get("callback") == "PermissionError"


def test_framework_callback_builtin(attack):
    """attack: a builtin registered with a trusted framework, called after the module returned | expected: gap | no confined frame is on the stack when trusted code runs it"""
    gap(attack, "framework_builtin")


def test_forged_compile_run_by_the_module(attack):
    """attack: compile(..., os.__file__, 'exec') run by the module itself | expected: stopped | under stack semantics the module's own frame is still on the stack under the forged one"""
    assert stopped(attack, "forged_compile_direct").out.get("trick") == "PermissionError"


def test_forged_compile_as_callback(attack):
    """attack: a function compiled with os.py's file name, called later by trusted code | expected: gap | the forged frame looks like the standard library and no confined frame is under it (README threat model: co_filename is chosen by Python code)"""
    gap(attack, "forged_compile_callback")


def test_forged_code_replace_as_callback(attack):
    """attack: CodeType.replace(co_filename=os.__file__) on the module's function, called later by trusted code | expected: gap | same as compile: the file name is the module's identity"""
    gap(attack, "forged_replace_callback")


def test_monkeypatch_own(attack):
    """attack: monkey-patching platform.machine with a function of the module | expected: stopped | the replacement's frame is the module's"""
    assert stopped(attack, "monkeypatch_own").out.get("platform") == "PermissionError"


def test_monkeypatch_builtin(attack):
    """attack: monkey-patching platform.machine with a builtin | expected: gap | trusted code calls a C object: no confined frame"""
    gap(attack, "monkeypatch_builtin")


def test_sys_modules_swap(attack):
    """attack: a module object of the package put in sys.modules as colorsys, imported and called by trusted code | expected: stopped | its functions' frames are the package's"""
    assert stopped(attack, "sys_modules_swap").out.get("import") == "PermissionError"
