"""Descriptors: a confined package (`fdthief`, no network, no fs-write) uses
descriptors trusted code opened (apps/app_fds.py, pkgs/fdthief). Descriptors
belong to the process, not to a module (docs/policy.md, Limits): these are
documented gaps, asserted as they behave today.
"""
import pytest

from conftest import denials
from policy_fixtures import TcpServer


@pytest.fixture
def server():
    s = TcpServer()
    yield s
    s.close()


def steal(attack, server, policy, what, log):
    r = attack(policy, "app_fds.py", what, server.host, server.port, log)
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    assert not denials(r.stderr, "fdthief"), r.stderr[-3000:]
    return r


def test_socket_received_over_unix_socket(attack, server):
    """attack: a connected TCP socket received over a unix socket from a trusted process, used by a module without net-connect | expected: gap | descriptors are process-wide; recvmsg and send on an existing socket are baseline"""
    r = steal(attack, server, "fdthief.yaml", "recv_socket", "-")
    assert r.out.get("result") == "pong:stolen-recv", r.stdout + r.stderr[-3000:]
    assert server.received == [b"stolen-recv"]


def test_dup_of_a_trusted_file_descriptor(attack, server):
    """attack: dup of a file descriptor trusted code opened for writing, written by a module without fs-write | expected: gap | descriptors are process-wide; dup and write are baseline"""
    log = attack.tmp / "log"
    log.write_text("")
    r = steal(attack, server, "fdthief.yaml", "dup", log)
    assert r.out.get("result") == "written", r.stdout + r.stderr[-3000:]
    assert log.read_text() == "stolen-dup\n"


@pytest.mark.expensive
def test_descriptor_inherited_by_a_child(attack, server):
    """attack: a child shell of the module (spawn and exec granted) inherits a trusted descriptor and writes through it | expected: gap | the child inherits the module's principals, but writes on an open descriptor are baseline"""
    log = attack.tmp / "log"
    log.write_text("")
    r = steal(attack, server, "fdthief_spawn.yaml", "inherit", log)
    assert r.out.get("result") == "0", r.stdout + r.stderr[-3000:]
    assert log.read_text() == "stolen-inherit\n"
