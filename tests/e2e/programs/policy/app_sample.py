"""app_sample.py HOST PORT OUTFILE: a small application with three packages:
`client` talks to a server, `filewriter` writes a file, `quiet` computes."""
import sys

import client
import filewriter
import quiet

reply = client.fetch(sys.argv[1], int(sys.argv[2]), b"sample")
n = filewriter.save(sys.argv[3], "reply=%s\n" % reply.decode())
print("reply:", reply.decode())
print("wrote:", n)
print("checksum:", quiet.checksum(reply))
