"""ingest.watchdog: WATCHDOG=1 only once every registered work loop checked in, so one
wedged loop in a process with several (serve: HTTP, intake, worker watch) is noticed."""

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.watchdog import NO_WATCHDOG, Watchdog


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(0.05)
    yield sock
    sock.close()


def received(sock: socket.socket) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(256).decode())
        except TimeoutError:
            return messages


def watchdog(sock: socket.socket, **extra: str) -> Watchdog:
    # A long interval: the start-up pinger stays quiet; "0" between pings: every check-in
    # that completes the set may ping.
    env = {"NOTIFY_SOCKET": sock.getsockname(), "WATCHDOG_USEC": "1", **extra}
    return Watchdog(env)


def test_a_ping_needs_every_loop(listener: socket.socket) -> None:
    dog = watchdog(listener)
    http, intake = dog.loop("http"), dog.loop("intake")
    dog.ready()
    assert received(listener)[-1:] == ["READY=1"]
    for _ in range(3):
        http()  # the event loop turns, the intake loop is stuck
    assert received(listener) == []
    intake()
    assert received(listener) == ["WATCHDOG=1"]
    http()
    assert received(listener) == []  # intake owes a turn again
    intake()
    assert received(listener) == ["WATCHDOG=1"]
    dog.stopping()
    dog.stopping()
    assert received(listener) == ["STOPPING=1"]


def test_no_ping_before_ready_from_the_loops(listener: socket.socket) -> None:
    dog = Watchdog({"NOTIFY_SOCKET": listener.getsockname(), "WATCHDOG_USEC": "60000000"})
    alive = dog.loop("intake")
    alive()
    assert received(listener) == []


def test_silent_without_systemd_or_for_another_process(listener: socket.socket) -> None:
    assert Watchdog({}).loop("intake") is NO_WATCHDOG
    other = watchdog(listener, WATCHDOG_PID=str(os.getpid() + 1))
    assert not other.enabled and other.loop("intake") is NO_WATCHDOG
