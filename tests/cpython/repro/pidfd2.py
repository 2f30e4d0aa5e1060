import os, signal
for name, fd in [("/dev/null fd", os.open("/dev/null", os.O_RDONLY)), ("pipe fd", os.pipe()[0]), ("closed fd 999", 999)]:
    try:
        signal.pidfd_send_signal(fd, 0); print(name, "ok")
    except OSError as e:
        print(name, e)
