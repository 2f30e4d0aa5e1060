"""netclient - the benchmarks' HTTP client package (confined to dns and
net-connect by bench/typical.yaml). Each request opens a new connection, as
urllib does."""
import urllib.request


def fetch_many(url, n):
    """GET @url @n times; returns the total number of body bytes."""
    total = 0
    for _ in range(n):
        with urllib.request.urlopen(url, timeout=30) as r:
            total += len(r.read())
    return total
