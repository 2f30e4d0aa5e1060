"""Writes a file."""


def save(path, text):
    with open(path, "w") as f:
        f.write(text)
    return len(text)
