"""app_files.py DIR OP...: for each OP, fswriter.do(OP, DIR/OP.txt); the test
created the files. Then the imports fswriter makes from its own frames."""
import os
import sys

import fswriter

d = sys.argv[1]
for op in sys.argv[2:]:
    print("%s: %s" % (op, fswriter.do(op, os.path.join(d, op + ".txt"))), flush=True)
print("imports:", fswriter.imports(), flush=True)
