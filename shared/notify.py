"""systemd's service notification protocol (sd_notify(3)): one datagram per message to the
unix socket named in $NOTIFY_SOCKET (a leading `@` is the abstract namespace).

Written here rather than taken from PyPI: `sdnotify` reads only the process environment,
connects once at start and leaves a socket open when that fails; `systemd-python` is a C
extension with no wheels. The protocol is a few lines, used by the booth and ingest alike.
"""

import socket
from collections.abc import Mapping
from contextlib import suppress


def notify_address(environ: Mapping[str, str]) -> str | None:
    """The socket systemd listens on for this process, or None outside a notify unit."""
    address = environ.get("NOTIFY_SOCKET")
    if not address:
        return None
    return "\0" + address[1:] if address.startswith("@") else address


def send(address: str, message: str) -> None:
    """Send one message (READY=1, WATCHDOG=1, STOPPING=1, STATUS=...); systemd gone or
    not listening: nothing to tell, nothing to fail."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock, suppress(OSError):
        sock.sendto(message.encode(), address)
