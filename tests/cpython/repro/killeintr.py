import os, signal
n = 0
def h(*a):
    global n; n += 1
signal.signal(signal.SIGUSR1, h)
signal.signal(signal.SIGALRM, h)
signal.setitimer(signal.ITIMER_REAL, 1e-4, 1e-4)
err = 0
for i in range(20000):
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
    except InterruptedError as e:
        err += 1
signal.setitimer(signal.ITIMER_REAL, 0)
print("EINTR from os.kill:", err, "of 20000")
