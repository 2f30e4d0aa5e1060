"""A session-cache package that stores sessions with pickle: restoring one
unpickles whatever bytes it is given (an attacker-controlled cookie here)."""
import base64
import pickle


def restore(cookie):
    return pickle.loads(base64.b64decode(cookie))


def save(session):
    return base64.b64encode(pickle.dumps(session)).decode()
