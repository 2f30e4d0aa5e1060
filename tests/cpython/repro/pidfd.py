import os, signal
try:
    signal.pidfd_send_signal(0, signal.SIGINT)
except OSError as e:
    print("pidfd_send_signal(0):", e)
try:
    signal.pidfd_send_signal(12345, 0)
except OSError as e:
    print("pidfd_send_signal(12345):", e)
fd = os.pidfd_open(os.getpid())
signal.pidfd_send_signal(fd, 0); print("own pidfd sig 0: ok")
try:
    signal.pidfd_send_signal(fd, signal.SIGINT)
except KeyboardInterrupt:
    print("own pidfd SIGINT: KeyboardInterrupt")
except OSError as e:
    print("own pidfd SIGINT:", e)
