"""spawn.py N: N child processes (subprocess.run(['/bin/true'])), started by
trusted code from the main thread and from four threads at once, and a
short-lived thread every 50 children. Run by run.sh under sisup, which must
end with no leak and no extra descriptor."""
import subprocess
import sys
import threading

N = int(sys.argv[1])
WORKERS = 4
per_thread = N // (2 * WORKERS)
done = []


def spawn(k):
    for _ in range(k):
        subprocess.run(["/bin/true"], check=True)
    done.append(k)


threads = [threading.Thread(target=spawn, args=(per_thread,)) for _ in range(WORKERS)]
for t in threads:
    t.start()
mine = N - WORKERS * per_thread
for i in range(mine):
    subprocess.run(["/bin/true"], check=True)
    if i % 50 == 0:
        t = threading.Thread(target=lambda: None)
        t.start()
        t.join()
for t in threads:
    t.join()
print("children: %d" % (sum(done) + mine), flush=True)
