"""A blocking accept() interrupted by SIGALRM whose handler raises: the call
really blocked in the kernel, so the handler's exception must come out of
accept() (PEP 475: EINTR, then the handler), not be held back by a restart."""
import signal
import socket


class Alarm(Exception):
    pass


def handler(signum, frame):
    raise Alarm()


signal.signal(signal.SIGALRM, handler)
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
signal.setitimer(signal.ITIMER_REAL, 0.3)
try:
    s.accept()
    print("accepted?")
except Alarm:
    print("alarm raised out of accept")
