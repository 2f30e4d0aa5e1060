import os, signal, sys, socket
def h(*a): pass
signal.signal(signal.SIGALRM, h)
if len(sys.argv) > 1: signal.siginterrupt(signal.SIGALRM, False)
signal.setitimer(signal.ITIMER_REAL, 1e-4, 1e-4)
res = {}
def t(name, f):
    e = 0
    for i in range(3000):
        try: f()
        except InterruptedError: e += 1
    res[name] = e
t("kill(self,0)", lambda: os.kill(os.getpid(), 0))
t("socket()", lambda: socket.socket().close())
t("open(/dev/null)", lambda: os.close(os.open("/dev/null", os.O_RDONLY)))
signal.setitimer(signal.ITIMER_REAL, 0)
print("SA_RESTART" if len(sys.argv) > 1 else "no SA_RESTART", "EINTR counts:", res)
