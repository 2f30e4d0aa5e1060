import os, signal, subprocess
def h(*a): pass
signal.signal(signal.SIGALRM, h)
signal.setitimer(signal.ITIMER_REAL, 1e-4, 1e-4)
res = {"os.fork": 0, "subprocess.run": 0, "os.unlink": 0, "os.rename": 0}
for i in range(300):
    try:
        pid = os.fork()
        if pid == 0: os._exit(0)
        os.waitpid(pid, 0)
    except InterruptedError: res["os.fork"] += 1
for i in range(200):
    try: subprocess.run(["/bin/true"])
    except InterruptedError as e: res["subprocess.run"] += 1; last = e
for i in range(2000):
    open("/tmp/repro/f", "w").close()
    try: os.rename("/tmp/repro/f", "/tmp/repro/g")
    except InterruptedError: res["os.rename"] += 1
    try: os.unlink("/tmp/repro/g")
    except (InterruptedError, FileNotFoundError): res["os.unlink"] += 1
signal.setitimer(signal.ITIMER_REAL, 0)
print("EINTR counts:", res)
if res["subprocess.run"]: print("e.g.", repr(last))
