"""Pure computation: nothing sensitive."""


def checksum(data):
    return sum(data) % 65521
