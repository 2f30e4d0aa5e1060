#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Measure CPython struct offsets live, in the running interpreter itself.

Run by the interpreter under test (3.8 and later, GIL builds):

    python3.X tests/tools/measure_offsets.py [--blob FILE] [--out FILE]

Every offset is FOUND, not assumed: the script reads its own memory through
/proc/self/mem (a bad pointer gives EIO instead of a crash) and looks for
values it knows by other means -- threading.get_native_id(), id() of a frame,
a code object, a string; the result of public C API calls made through
ctypes.  Where one state of the process leaves several candidates it changes
the state (a second thread, a sub-interpreter, a generator, a finished frame)
and keeps only the offsets that follow the change.  A field that cannot be
pinned to exactly one offset is reported as an error, never guessed.

The output ("key value" lines) is what tests/unit/test_uw_offsets.c compares
the static tables and the parsed _Py_DebugOffsets against.  For 3.13+ the
script also dumps the _Py_DebugOffsets blob at the start of _PyRuntime.

None of this is used at run time by sisup: it is test-data generation.
"""

import ctypes
import dis
import os
import struct
import sys
import threading
import types

V = sys.version_info[:2]
PAGE_LIMIT = 1 << 47            # x86-64 user space

_mem = os.open("/proc/self/mem", os.O_RDONLY)
errors = []
out = []
R = {}                          # raw observations of the frames section


def peek(addr, n):
    """n bytes at addr, or None if (part of) the range is unmapped."""
    if addr <= 0 or addr + n > PAGE_LIMIT:
        return None
    try:
        b = os.pread(_mem, n, addr)
    except OSError:
        return None
    return b if len(b) == n else None


def u64(addr):
    b = peek(addr, 8)
    return None if b is None else struct.unpack("<Q", b)[0]


def words(addr, n):
    b = peek(addr, n)
    if b is None:
        raise RuntimeError("cannot read %#x+%d" % (addr, n))
    return struct.unpack("<%dQ" % (n // 8), b)


def scan(addr, n, value, mask=~0):
    """8-aligned offsets in [addr, addr+n) whose word & mask == value."""
    return [i * 8 for i, w in enumerate(words(addr, n)) if w & mask == value]


def scan32(addr, n, value):
    b = peek(addr, n)
    return [i * 4 for i, w in enumerate(struct.unpack("<%di" % (n // 4), b)) if w == value]


got = {}


def emit(key, value):
    got[key] = value
    out.append("%s %s" % (key, value))


def one(key, cands, why=""):
    """Record the single candidate, or an error if there is not exactly one."""
    cands = sorted(set(cands))
    if len(cands) != 1:
        errors.append("%s: %d candidates %s %s" % (key, len(cands), cands, why))
        emit(key, "?")
        return None
    emit(key, cands[0])
    return cands[0]


api = ctypes.pythonapi
for name in ("PyThreadState_Get", "PyInterpreterState_Head",
             "PyInterpreterState_Next", "PyInterpreterState_ThreadHead",
             "PyThreadState_Next"):
    getattr(api, name).restype = ctypes.c_void_p
    getattr(api, name).argtypes = [ctypes.c_void_p] if name.endswith(("Next", "ThreadHead")) else []
api.PyCode_Addr2Line.restype = ctypes.c_int
api.PyCode_Addr2Line.argtypes = [ctypes.py_object, ctypes.c_int]

RUNTIME = ctypes.addressof(ctypes.c_char.in_dll(api, "_PyRuntime"))
TS = api.PyThreadState_Get()
INTERP = api.PyInterpreterState_Head()
TS_SPAN = 1024                 # enough for every field we look for (3.15: 888 B)
INTERP_SPAN = 16384
RUNTIME_SPAN = 4096


def frame_addr(fo, code):
    """Address of the frame record behind frame object fo: for 3.8-3.10 the
    frame object itself; for 3.11+ the _PyInterpreterFrame it points to,
    found as the one pointer in the frame object's header whose target holds
    id(code) (tag bits ignored) and is not itself an object (a function
    object holds its code too: its second word is its type)."""
    if V < (3, 11):
        return id(fo)
    found = []
    for off in range(16, 64, 8):
        p = u64(id(fo) + off)
        if p is None or p < 4096:
            continue
        blob = peek(p, 64)
        if blob is None:
            continue
        ws = struct.unpack("<8Q", blob)
        if ws[1] == id(types.FunctionType):
            continue
        if any(w & ~7 == id(code) for w in ws):
            found.append(p)
    found = sorted(set(found))
    if len(found) != 1:
        raise RuntimeError("frame of %s: candidates %s" % (code.co_name, found))
    return found[0]


# ---------------------------------------------------------------- runtime/interp
def measure_interpreters():
    head0 = INTERP
    c0 = scan(RUNTIME, RUNTIME_SPAN, head0)
    mod = None
    for name in ("_interpreters", "_xxsubinterpreters"):
        try:
            mod = __import__(name)
            break
        except ImportError:
            pass
    if mod is not None:
        sub = mod.create()
        head1 = api.PyInterpreterState_Head()
        c1 = scan(RUNTIME, RUNTIME_SPAN, head1)
        c0 = [c for c in c0 if c in c1]
        # a new interpreter is pushed at the head: its next is the old head
        one("interp.next", scan(head1, INTERP_SPAN, head0))
        mod.destroy(sub)
    else:
        errors.append("interp.next: no sub-interpreter module, not measured")
    one("runtime.interpreters_head", c0, "(runtime)")


# ---------------------------------------------------------------- thread states
def start_worker():
    ready = threading.Event()
    done = threading.Event()
    info = {}

    def worker():
        info["ts"] = api.PyThreadState_Get()
        info["ident"] = threading.get_ident()
        info["native"] = threading.get_native_id()
        ready.set()
        done.wait()

    t = threading.Thread(target=worker)
    t.start()
    ready.wait()
    info["stop"] = lambda: (done.set(), t.join())
    return info


def measure_threads():
    w1 = start_worker()
    try:
        ts2 = w1["ts"]
        # the newest thread state is the head of the list
        if api.PyInterpreterState_ThreadHead(INTERP) != ts2:
            errors.append("worker thread state is not the list head")
        heads = scan(INTERP, INTERP_SPAN, ts2)
        w2 = start_worker()
        try:
            heads2 = scan(INTERP, INTERP_SPAN, w2["ts"])
        finally:
            w2["stop"]()
        one("interp.threads_head", [o for o in heads if o in heads2])
        one("tstate.next", scan(ts2, TS_SPAN, TS))
        if api.PyThreadState_Next(ts2) != TS:
            errors.append("PyThreadState_Next(worker) != main")
        one("tstate.interp", [o for o in scan(TS, TS_SPAN, INTERP) if o in scan(ts2, TS_SPAN, INTERP)])
        one("tstate.thread_id", [o for o in scan(TS, TS_SPAN, threading.get_ident())
                                 if o in scan(ts2, TS_SPAN, w1["ident"])])
        nat = [o for o in scan(TS, TS_SPAN, threading.get_native_id())
               if o in scan(ts2, TS_SPAN, w1["native"])]
        if V < (3, 11) and not nat:
            emit("tstate.native_thread_id", -1)
        else:
            one("tstate.native_thread_id", nat)
    finally:
        w1["stop"]()


# ---------------------------------------------------------------- frames
def gen_probe():
    yield sys._getframe()
    x = 1
    yield x


def finished_frame():
    return sys._getframe()


def capture_chain(F, prev_off, limit=200):
    """[(address, first 96 bytes)] of F and the frames below it."""
    chain = []
    f = F
    while f and len(chain) < limit:
        b = peek(f, 96)
        if b is None:
            chain.append((f, None))
            break
        chain.append((f, b))
        f = struct.unpack("<Q", b[prev_off:prev_off + 8])[0]
    return chain


def entry_probe(_):
    """Called by sorted(), i.e. from C: its frame is an entry frame (3.11)
    or sits on an entry/shim frame (3.12+). Record while it is live."""
    me = sys._getframe()
    R["Fe"] = F = frame_addr(me, me.f_code)
    R["Fe_bytes"] = peek(F, 96)
    if "prev_off" in R:
        R["entry_chain"] = capture_chain(F, R["prev_off"])
    return 0


def inner():
    me = sys._getframe()
    # Read the thread state and this frame with os.pread called right here:
    # while the kernel copies, this function's frame is the thread's current
    # frame and it is in the middle of a call to a C function.
    R["ts_words"] = struct.unpack("<%dQ" % (TS_SPAN // 8), os.pread(_mem, TS_SPAN, TS))
    F = R["F"] = frame_addr(me, me.f_code)
    R["F_bytes_ccall"], R["F_line"] = os.pread(_mem, 128, F), me.f_lineno
    R["code"] = me.f_code
    # 3.11/3.12: the thread state points at a _PyCFrame on the C stack whose
    # current_frame is this frame only while we run: read its candidates now
    # (builtins and os.pread only, no Python-level call in between).
    cf = []
    for i, w in enumerate(R["ts_words"]):
        if 4096 <= w < PAGE_LIMIT:
            try:
                cf.append((i * 8, os.pread(_mem, 24, w)))
            except OSError:
                pass
    R["cframe_probe"] = cf
    R["Fb"] = frame_addr(me.f_back, me.f_back.f_code)
    R["code_back"] = me.f_back.f_code
    R["back_line"] = me.f_back.f_lineno
    R["Fb_bytes"] = peek(R["Fb"], 128)
    if "prev_off" in R:
        R["chain"] = capture_chain(F, R["prev_off"])
    sorted([1], key=entry_probe)


def outer():
    inner()


def measure_frames():
    outer()
    F, Fb = R["F"], R["Fb"]
    tsw = R["ts_words"]
    if V < (3, 11):
        emit("frame.model", "object")
        one("tstate.frame", [i * 8 for i, w in enumerate(tsw) if w == F])
        emit("tstate.cframe", -1)
        emit("cframe.current_frame", -1)
        emit("tstate.current_frame", -1)
    elif V < (3, 13):
        emit("frame.model", "interp")
        emit("tstate.frame", -1)
        # the _PyCFrame is a C variable of the eval loop, never in the data
        # stack (whose stale slots above the current frame can hold F too)
        measure_datastack(F)
        lo = R["ts_words"][got["tstate.datastack_chunk"] // 8]
        hi = lo + u64(lo + 8)
        cands = []
        for off, b in R["cframe_probe"]:
            if lo <= R["ts_words"][off // 8] < hi:
                continue
            for k in range(0, len(b), 8):
                if struct.unpack("<Q", b[k:k + 8])[0] == F:
                    cands.append((off, k))
        if len(cands) == 1:
            emit("tstate.cframe", cands[0][0])
            emit("cframe.current_frame", cands[0][1])
        else:
            errors.append("cframe: candidates %s" % cands)
        emit("tstate.current_frame", -1)
    else:
        emit("frame.model", "interp")
        emit("tstate.frame", -1)
        emit("tstate.cframe", -1)
        emit("cframe.current_frame", -1)
        one("tstate.current_frame", [i * 8 for i, w in enumerate(tsw) if w == F])
    Fw = struct.unpack("<16Q", R["F_bytes_ccall"])
    prev = one("frame.previous", [i * 8 for i, w in enumerate(Fw) if w == Fb])
    code_off = one("frame.code", [i * 8 for i, w in enumerate(Fw) if w & ~7 == id(R["code"])])
    if code_off is not None:
        emit("frame.code_tag_bits", Fw[code_off // 8] & 7)
    measure_lasti()
    if V >= (3, 13):
        measure_datastack(F)
    if V >= (3, 11):
        if prev is not None and code_off is not None:
            # again, now that we know how to follow the chain
            R["prev_off"] = prev
            outer()
            measure_owner(prev, code_off)
    else:
        emit("tstate.datastack_chunk", -1)
        emit("frame.owner", -1)
        emit("frame.is_entry", -1)


def adaptive_offset():
    """Offset of the inline bytecode (co_code_adaptive) in a code object:
    where the bytes of a never-run function's code sit inside the object."""
    def probe_a(x):
        return x + 1

    def probe_b(y, z):
        return [y, z, y * z, "b"]
    offs = []
    for f in (probe_a, probe_b):
        co = f.__code__
        raw = getattr(co, "_co_code_adaptive", co.co_code)
        blob = peek(id(co), 512)
        offs.append(blob.find(raw))
    if len(set(offs)) != 1 or offs[0] < 0:
        errors.append("co_code_adaptive: %s" % offs)
        return None
    return offs[0]


def opname_at(co, byte_off):
    ins = dis.get_instructions(co, show_caches=True) if V >= (3, 11) else dis.get_instructions(co)
    for i in ins:
        if i.offset == byte_off:
            return i.opname
    return "?"


def measure_lasti():
    if V >= (3, 11):
        adapt = adaptive_offset()
        emit("code.co_code_adaptive", adapt if adapt is not None else "?")
        if adapt is None:
            return
        sets = []
        for b, co in ((R["F_bytes_ccall"], R["code"]), (R["Fb_bytes"], R["code_back"])):
            start = id(co) + adapt
            end = start + len(co.co_code)
            ws = struct.unpack("<16Q", b)
            sets.append([i * 8 for i, w in enumerate(ws) if start - 2 <= w < end])
        off = one("frame.instr_ptr", [o for o in sets[0] if o in sets[1]])
        emit("frame.lasti", -1)
        emit("frame.instr_kind", "prev_instr" if V < (3, 13) else "instr_ptr")
        if off is None:
            return
        # What does the pointer of a frame that is calling out point at, and
        # does CPython's own PyCode_Addr2Line give the frame's line there?
        for key, b, co, line in (("callee_c", R["F_bytes_ccall"], R["code"], R["F_line"]),
                                 ("callee_python", R["Fb_bytes"], R["code_back"], R["back_line"])):
            ip = struct.unpack("<Q", b[off:off + 8])[0]
            idx = (ip - (id(co) + adapt)) // 2
            emit("call.%s.opname" % key, opname_at(co, idx * 2))
            emit("call.%s.line_ok" % key, int(api.PyCode_Addr2Line(co, idx * 2) == line))
        return
    # 3.8-3.10: an int in the frame object; find it with a generator frame
    # suspended at two different places, and learn its unit on the way.
    g = gen_probe()
    fo = next(g)
    l1 = fo.f_lasti
    c1 = {s: scan32(id(fo), 256, l1 // s) for s in (1, 2)}
    next(g)
    l2 = fo.f_lasti
    c2 = {s: scan32(id(fo), 256, l2 // s) for s in (1, 2)}
    hits = [(o, s) for s in (1, 2) for o in c1[s] if o in c2[s]]
    if len(hits) != 1:
        errors.append("f_lasti: %s" % hits)
        emit("frame.lasti", "?")
        return
    off, scale = hits[0]
    emit("frame.lasti", off)
    emit("frame.instr_ptr", -1)
    emit("frame.instr_kind", "lasti_bytes" if scale == 1 else "lasti_units")
    emit("code.co_code_adaptive", -1)
    for key, b, co, line in (("callee_c", R["F_bytes_ccall"], R["code"], R["F_line"]),
                             ("callee_python", R["Fb_bytes"], R["code_back"], R["back_line"])):
        lasti = struct.unpack("<i", b[off:off + 4])[0]
        emit("call.%s.opname" % key, opname_at(co, lasti * scale))
        emit("call.%s.line_ok" % key, int(api.PyCode_Addr2Line(co, lasti * scale) == line))


def measure_datastack(F):
    """tstate.datastack_chunk: the pointer P in the thread state such that
    the current frame lies in the chunk [P, P + P->size) (_PyStackChunk:
    previous, size, top, data[])."""
    tsw = R["ts_words"]
    cands = []
    for i, w in enumerate(tsw):
        if 4096 <= w <= F:
            size = u64(w + 8)
            # ... and the thread state also holds the chunk's limit,
            # datastack_limit = (char *)chunk + chunk->size
            if size is not None and 0 < size < (1 << 30) and F < w + size \
                    and w + size in tsw:
                cands.append(i * 8)
    one("tstate.datastack_chunk", cands)


def measure_owner(prev_off, code_off):
    """The owner byte: 0 in a running function's frame, 1 in a generator's
    frame, 2 in a frame object that outlived its function."""
    g = gen_probe()
    gfo = next(g)
    Fg = frame_addr(gfo, gfo.f_code)
    emit("frame.generator_frame_inside_generator",
         int(id(g) <= Fg < id(g) + sys.getsizeof(g)))
    fo = finished_frame()
    Ff = frame_addr(fo, fo.f_code)
    emit("frame.finished_frame_inside_frame_object",
         int(id(fo) <= Ff < id(fo) + sys.getsizeof(fo)))
    bt = R["F_bytes_ccall"]
    bg = peek(Fg, 96)
    bf = peek(Ff, 96)
    owner = one("frame.owner", [i for i in range(96) if bt[i] == 0 and bg[i] == 1 and bf[i] == 2])
    if owner is None:
        return
    be = R["Fe_bytes"]
    if V == (3, 11):
        # is_entry: 1 in a frame called from C (by sorted()), 0 otherwise
        one("frame.is_entry", [i for i in range(96) if be[i] == 1 and bt[i] == 0 and i != owner])
    else:
        emit("frame.is_entry", -1)
    # what sits below a frame called from C, and below the whole chain
    chain = R["chain"]
    owners = [b[owner] if b else "unreadable" for _, b in chain]
    emit("chain.owners", ",".join(str(o) for o in owners))
    kinds = []
    for a, b in chain:
        if b is None:
            kinds.append("?")
            continue
        exe = struct.unpack("<Q", b[code_off:code_off + 8])[0]
        if exe & ~7 == id(None):
            kinds.append("None|%d" % (exe & 7))
        elif exe & ~7 == 0:
            kinds.append("NULL")
        else:
            kinds.append(code_name(exe & ~7))
    emit("chain.code", ",".join(kinds))
    last = chain[-1][0]
    d = last - TS
    emit("chain.bottom_in_tstate_at", d if 0 <= d < 4096 else -1)
    ce = R["entry_chain"]
    emit("entry.below_owners", ",".join(str(b[owner]) for _, b in ce[1:3] if b))


_code_name_off = [None]


def code_name(addr):
    off = _code_name_off[0]
    s = u64(addr + off)
    n = u64(s + 16)
    if n is None or n > 200:
        return "?"
    b = peek(s + ascii_size(), n)
    return b.decode("ascii", "replace") if b else "?"


def ascii_size():
    return sys.getsizeof("") - 1


# ---------------------------------------------------------------- code objects
SRC = "\n" * 4320 + "class Outer:\n    def meth(self):\n        return 1\n"


def measure_code():
    ns = {}
    exec(compile(SRC, "/nonexistent/sisup_measure_offsets_probe.py", "exec"), ns)
    co = ns["Outer"].meth.__code__
    assert co.co_firstlineno == 4322
    n = 256
    one("object.ob_type", scan(id(co), 16, id(type(co))))
    emit("object.head_size", sys.getsizeof(object()))
    one("code.filename", scan(id(co), n, id(co.co_filename)))
    _code_name_off[0] = one("code.name", scan(id(co), n, id(co.co_name)))
    if V >= (3, 11):
        one("code.qualname", scan(id(co), n, id(co.co_qualname)))
    else:
        emit("code.qualname", -1)
    one("code.firstlineno", scan32(id(co), n, 4322))
    if V < (3, 10):
        one("code.linetable", scan(id(co), n, id(co.co_lnotab)))
        emit("lines.model", "lnotab")
    else:
        one("code.linetable", scan(id(co), n, id(co.co_linetable)))
        emit("lines.model", "linetable310" if V == (3, 10) else "locations")


# ---------------------------------------------------------------- strings
def fresh(s):
    # a new, non-interned, compact string object with the text s
    return "".join([s[:1], s[1:]])


def measure_unicode():
    asz = sys.getsizeof("") - 1                   # PyASCIIObject + NUL
    csz = sys.getsizeof(fresh("\xe9\xe9")) - 3     # PyCompactUnicodeObject + 2 + NUL
    emit("unicode.ascii_size", asz)
    emit("unicode.compact_size", csz)
    a = fresh("plain ascii text 12345")
    b = fresh("caf\xe9 latin-1 text")
    c = fresh("euro \u20ac ucs2 text!")
    d = fresh("emoji \U0001f600 ucs4")
    one("unicode.length", [o for o in scan(id(a), asz, len(a)) if o in scan(id(d), asz, len(d))])
    # find the state word and its bit layout: kind in 3 bits, compact and
    # ascii one bit each; ascii set only for a, compact for all four
    hits = []
    for off in range(16, asz, 4):
        st = [struct.unpack("<I", peek(id(x) + off, 4))[0] for x in (a, b, c, d)]
        for ks in range(0, 29):
            if [(v >> ks) & 7 for v in st] != [1, 1, 2, 4]:
                continue
            for cb in range(32):
                if not all(v >> cb & 1 for v in st):
                    continue
                for ab in range(32):
                    if [v >> ab & 1 for v in st] == [1, 0, 0, 0]:
                        hits.append((off, ks, cb, ab, st[0]))
    # the compact and ascii bits follow kind in every layout we know of;
    # prefer those, and refuse anything else that is ambiguous
    hits2 = [h for h in hits if h[2] == h[1] + 3 and h[3] == h[1] + 4]
    if len(hits2) != 1:
        errors.append("unicode state: %s" % hits)
        return
    off, ks, cb, ab, st = hits2[0]
    emit("unicode.state", off)
    emit("unicode.kind_shift", ks)
    emit("unicode.compact_bit", cb)
    emit("unicode.ascii_bit", ab)
    emit("unicode.state_ascii_low_byte", "%#x" % (st & 0xff))
    # and the text really follows the headers
    ok = (peek(id(a) + asz, len(a)) == a.encode()
          and peek(id(b) + csz, len(b)) == b.encode("latin-1")
          and peek(id(c) + csz, 2 * len(c)) == c.encode("utf-16-le")
          and peek(id(d) + csz, 4 * len(d)) == d.encode("utf-32-le"))
    emit("unicode.data_follows_header", int(ok))


# ---------------------------------------------------------------- debug offsets
def dump_debug_offsets(path):
    head = peek(RUNTIME, 24)
    if head[:8] != b"xdebugpy":
        errors.append("no xdebugpy cookie at _PyRuntime")
        return
    with open(path, "wb") as f:
        f.write(peek(RUNTIME, 1024))
    emit("debug.version", "%#010x" % struct.unpack("<Q", head[8:16])[0])
    emit("debug.free_threaded", struct.unpack("<Q", head[16:24])[0])


def main():
    args = sys.argv[1:]
    blob = out_path = None
    while args:
        a = args.pop(0)
        if a == "--blob":
            blob = args.pop(0)
        elif a == "--out":
            out_path = args.pop(0)
        else:
            sys.exit("usage: measure_offsets.py [--blob FILE] [--out FILE]")
    emit("# measured live by tests/tools/measure_offsets.py with", "%s (%s)" % (
        sys.version.split()[0], sys.executable))
    emit("version", "%#010x" % sys.hexversion)
    import sysconfig
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        sys.exit("free-threaded builds are not measured")
    measure_interpreters()
    measure_threads()
    measure_code()
    measure_frames()
    measure_unicode()
    if V >= (3, 13):
        if blob:
            dump_debug_offsets(blob)
    for e in errors:
        emit("# ERROR", e)
    text = "\n".join(out) + "\n"
    if out_path:
        with open(out_path, "w") as f:
            f.write(text)
    sys.stdout.write(text)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
