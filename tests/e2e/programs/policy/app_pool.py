"""app_pool.py MARK_OWN MARK_BORROWED: `pooler` runs `touch MARK` through a
pool of its own, then through a pool the application created earlier."""
import concurrent.futures
import sys

import pooler

print("own pool:", pooler.own_pool("touch '%s'" % sys.argv[1]), flush=True)

pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
pool.submit(lambda: None).result()  # the worker thread is created here, by the app
print("borrowed pool:", pooler.borrowed_pool(pool, "touch '%s'" % sys.argv[2]), flush=True)
pool.shutdown()
