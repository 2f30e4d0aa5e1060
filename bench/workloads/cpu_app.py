"""CPU-bound: pure-Python work that makes no sensitive system call: JSON
round trips, regular expressions, sorting.

    cpu_app.py ROUNDS
Prints {"work_s": seconds for the work} and a checksum.
"""
import json
import random
import re
import sys
import time

from _common import pin_from_env, report

ROUNDS = int(sys.argv[1])


def work(rounds):
    # In a function: fast locals, so that the way the script is started (as
    # __main__ by the interpreter, or exec'd by the audit-hook launcher) does
    # not change the bytecode that runs.
    rng = random.Random(5)
    records = [{"id": i, "name": "item%d" % i, "price": rng.random() * 100,
                "tags": ["t%d" % (i % 7), "u%d" % (i % 11)], "ok": i % 3 == 0}
               for i in range(1500)]
    text = " ".join("user%d@host%d.example.com said %d" % (i, i % 13, i * 7)
                    for i in range(3000))
    email = re.compile(r"([a-z]+\d+)@([a-z]+\d+)\.example\.com")
    said = re.compile(r"said (\d+)")
    words = text.split()
    t0 = time.perf_counter()
    check = 0
    for _ in range(rounds):
        doc = json.loads(json.dumps(records))
        check += len(doc)
        check += len(email.findall(text))
        check += sum(1 for m in said.finditer(text) if int(m.group(1)) % 2)
        check += len(sorted(words, key=lambda w: (len(w), w)))
        check += int(sorted(d["price"] for d in doc)[len(doc) // 2])
    return time.perf_counter() - t0, check


pin_from_env()
elapsed, total = work(ROUNDS)
report(work_s=elapsed, check=total)
