"""A confined module with no network rights that calls into `client`."""
import client


def go(host, port):
    return client.fetch(host, port, b"from-caller")
