import os, signal, sys, socket
def h(*a): pass
signal.signal(signal.SIGALRM, h)
signal.setitimer(signal.ITIMER_REAL, 1e-4, 1e-4)
d = "/tmp/repro/d3"
mk_eintr = mk_eintr_done = rm_eintr = rm_eintr_done = 0
for i in range(3000):
    try:
        os.mkdir(d)
    except InterruptedError:
        mk_eintr += 1
        if os.path.isdir(d): mk_eintr_done += 1
        else: continue
    try:
        os.rmdir(d)
    except InterruptedError:
        rm_eintr += 1
        if not os.path.exists(d): rm_eintr_done += 1
        else:
            while True:
                try: os.rmdir(d); break
                except InterruptedError: pass
signal.setitimer(signal.ITIMER_REAL, 0)
print(f"mkdir EINTR {mk_eintr} (dir created anyway: {mk_eintr_done}); rmdir EINTR {rm_eintr} (dir removed anyway: {rm_eintr_done})")
