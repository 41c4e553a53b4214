"""Booth credentials at the broker: added without a restart, revoked within seconds."""

import subprocess
import threading
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from tests.conftest import BOOTH
from tests.support.broker import Mosquitto

DEPLOY = Path(__file__).parents[2] / "deploy" / "mosquitto"


def connected_client(
    broker: Mosquitto, user: str, secret: str
) -> tuple[mqtt.Client, threading.Event]:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=user, protocol=mqtt.MQTTv5)
    client.username_pw_set(user, secret)
    lost = threading.Event()
    client.on_disconnect = lambda *_args: lost.set()
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    return client, lost


def test_a_revoked_booth_is_disconnected_and_refused(broker: Mosquitto) -> None:
    client, lost = connected_client(broker, BOOTH, broker.passwords[BOOTH])
    try:
        assert not lost.wait(1)  # logged in and staying
        revoked = subprocess.run(
            ["sh", str(DEPLOY / "revoke-booth.sh"), BOOTH, str(broker.workdir / "passwords")],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert revoked.returncode == 0, revoked.stderr
        assert lost.wait(10), "the revoked booth is still connected"
    finally:
        client.loop_stop()
        client.disconnect()
    again = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=BOOTH, protocol=mqtt.MQTTv5)
    again.username_pw_set(BOOTH, broker.passwords[BOOTH])
    answer: list[str] = []
    done = threading.Event()
    again.on_connect = lambda *args: (answer.append(str(args[3])), done.set())
    again.connect("127.0.0.1", broker.port)
    again.loop_start()
    try:
        assert done.wait(10)
    finally:
        again.loop_stop()
        again.disconnect()
    assert answer == ["Not authorized"]
