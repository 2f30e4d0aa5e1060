"""An image-thumbnail package that shells out to a converter, and on the way
drops a file of its own: neither may happen under the policy."""
import subprocess


def make(name):
    try:
        subprocess.run(["/usr/bin/touch", "thumbs-spawned"], check=True)
    except OSError as e:
        return f"thumbnail of {name} not made: {e!r}"
    return f"thumbnail of {name} made"
