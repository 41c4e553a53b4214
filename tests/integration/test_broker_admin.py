"""The production broker (deploy/mosquitto/mosquitto.conf, dynamic security) trusts no
booth, and `ingest booth add|rotate|revoke` manage booth logins while it runs."""

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from booth.check import check_broker
from booth.settings import BoothSettings
from ingest import cli
from tests.conftest import BOOTH
from tests.support.broker import ADMIN, Mosquitto
from tests.support.bundles import installed_config
from tests.support.waiting import wait_until

OTHER = "booth-other"
CLIPS = "dn/v1/booths/{}/clips"


class Client:
    """A plain MQTT 5 client that records what the broker answers."""

    def __init__(self, broker: Mosquitto, user: str | None, secret: str | None, cid: str) -> None:
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=cid, protocol=mqtt.MQTTv5)
        if user is not None:
            self.client.username_pw_set(user, secret)
        self.connack: list[str] = []
        self.subacks: list[str] = []
        self.received: list[str] = []
        self.lost = threading.Event()
        self.client.on_connect = lambda *a: self.connack.append(str(a[3]))
        self.client.on_subscribe = lambda *a: self.subacks.append(str(a[3][0]))
        self.client.on_message = lambda *a: self.received.append(a[2].topic)
        self.client.on_disconnect = lambda *_a: self.lost.set()
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        assert wait_until(lambda: bool(self.connack), 10)

    @property
    def accepted(self) -> bool:
        return self.connack[0] == "Success"

    def subscribe(self, topic: str) -> str:
        count = len(self.subacks)
        self.client.subscribe(topic, qos=1)
        assert wait_until(lambda: len(self.subacks) > count, 5)
        return self.subacks[-1]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def two_booths(broker: Mosquitto) -> Iterator[Mosquitto]:
    broker.add_user(OTHER)
    yield broker


def login(broker: Mosquitto, user: str, cid: str | None = None) -> Client:
    return Client(broker, user, broker.passwords[user], cid or user)


def test_a_booth_can_touch_nothing_but_its_own_topics(two_booths: Mosquitto) -> None:
    broker = two_booths
    ingest = login(broker, "ingest", "ingest-1")
    booth, other = login(broker, BOOTH), login(broker, OTHER)
    try:
        assert ingest.subscribe(f"$share/ingest/{CLIPS.format('+')}") == "Granted QoS 1"
        # Joining ingest's shared group would make the broker hand this booth clips that it
        # may not read, and they would be lost: refused when subscribing.
        for topic in (
            f"$share/ingest/{CLIPS.format('+')}",
            f"$share/other/{CLIPS.format(OTHER)}",
            CLIPS.format(OTHER),
            f"dn/v1/booths/{OTHER}/acks",
            f"dn/v1/booths/{OTHER}/config",
            f"dn/v1/booths/{OTHER}/status",
            "dn/v1/booths/+/acks",
            "#",
            "$CONTROL/dynamic-security/v1/response",
        ):
            assert booth.subscribe(topic) == "Not authorized", topic
        assert booth.subscribe(f"dn/v1/booths/{BOOTH}/acks") == "Granted QoS 1"
        assert booth.subscribe(f"dn/v1/booths/{BOOTH}/config") == "Granted QoS 1"
        assert booth.subscribe("dn/v1/prompts/+") == "Granted QoS 1"

        for _ in range(6):
            other.client.publish(CLIPS.format(OTHER), b"clip", qos=1).wait_for_publish(5)
        booth.client.publish(CLIPS.format(OTHER), b"forged", qos=1).wait_for_publish(5)
        booth.client.publish(f"dn/v1/booths/{OTHER}/acks", b"{}", qos=1).wait_for_publish(5)
        booth.client.publish(CLIPS.format(BOOTH), b"own", qos=1).wait_for_publish(5)
        assert wait_until(lambda: len(ingest.received) >= 7, 10)
        # Every one of the other booth's clips reached ingest; the forgery did not.
        assert sorted(ingest.received) == sorted([CLIPS.format(BOOTH)] + [CLIPS.format(OTHER)] * 6)
        assert booth.received == []
    finally:
        for client in (booth, other):
            client.close()

    # A booth cannot take ingest's client id (or another booth's) and knock it off.
    for cid in ("ingest-1", "ingest", OTHER):
        intruder = login(broker, BOOTH, cid)
        assert not intruder.accepted, cid
        intruder.close()
    assert not ingest.lost.is_set()
    ingest.close()

    for user, secret in ((None, None), (BOOTH, "wrong"), (ADMIN, "wrong"), (OTHER, "")):
        stranger = Client(broker, user, secret, "stranger")
        assert not stranger.accepted, user
        stranger.close()


def booth_settings(bundle: Path) -> BoothSettings:
    """The booth's settings as the installed booth would read them: booth.toml, with the
    bundle's files where deploy/booth/install.sh puts them (here: the bundle itself)."""
    os.environ["BOOTH_CONFIG_FILE"] = str(installed_config(bundle))
    try:
        return BoothSettings()
    finally:
        del os.environ["BOOTH_CONFIG_FILE"]


def test_add_rotate_revoke_while_the_broker_runs(
    broker: Mosquitto,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    admin_secret = tmp_path / "admin-password"
    admin_secret.write_text(broker.admin_password)
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INGEST_BROKER_ADMIN_URL", f"mqtt://{ADMIN}@127.0.0.1:{broker.port}")
    monkeypatch.setenv("INGEST_BROKER_ADMIN_PASSWORD_FILE", str(admin_secret))
    monkeypatch.setenv("INGEST_BOOTH_MQTT_URL", f"mqtt://127.0.0.1:{broker.port}")
    bundle = tmp_path / "bundle"

    assert cli.main(["booth", "add", "ingest", "--neighborhood", "gellerup"]) == 2
    assert "reserved" in capsys.readouterr().err
    add = ["booth", "add", "booth-7", "--neighborhood", "gellerup", "--bundle", str(bundle)]
    assert cli.main([*add, "--hardware", "rotary"]) == 2  # nothing made, nothing registered
    assert "shipped are keypad-usb-handset" in capsys.readouterr().err
    assert not bundle.exists()
    assert cli.main([*add, "--hardware", "rotary-usb-handset"]) == 0
    secret = (bundle / "broker-password").read_text().strip()
    printed = capsys.readouterr()
    assert "booth-7" in printed.out and "hardware.toml" in printed.out
    assert secret not in printed.out + printed.err
    assert (bundle / "broker-password").stat().st_mode & 0o777 == 0o600
    assert bundle.stat().st_mode & 0o777 == 0o700
    settings = booth_settings(bundle)
    assert (settings.id, settings.neighborhood) == ("booth-7", "gellerup")
    assert (settings.dial_pulse_pin, settings.consent_key) == (27, "1")  # the profile's
    assert settings.mqtt_url == f"mqtt://booth-7@127.0.0.1:{broker.port}"
    assert check_broker(settings).ok  # the booth logs in with its bundle, as `booth check` does
    again = ["booth", "add", "booth-7", "--neighborhood", "gellerup"]
    assert cli.main([*again, "--bundle", str(tmp_path / "again")]) == 1
    assert "use rotate" in capsys.readouterr().err
    assert "booth-7\tgellerup" in (cli.main(["booth", "list"]), capsys.readouterr().out)[1]

    connected = Client(broker, "booth-7", secret, "booth-7")
    assert connected.accepted
    assert cli.main(["booth", "rotate", "booth-7", "--bundle", str(bundle)]) == 0
    assert connected.lost.wait(10), "a booth on the old password stays connected"
    connected.close()
    renewed = (bundle / "broker-password").read_text().strip()
    assert renewed != secret and renewed not in capsys.readouterr().out
    old = Client(broker, "booth-7", secret, "booth-7")
    assert not old.accepted
    old.close()
    assert check_broker(booth_settings(bundle)).ok
    assert booth_settings(bundle).dial_pulse_pin == 27  # the rotation kept the profile

    connected = Client(broker, "booth-7", renewed, "booth-7")
    assert cli.main(["booth", "revoke", "booth-7"]) == 0
    assert connected.lost.wait(10), "the revoked booth is still connected"
    connected.close()
    finding = check_broker(booth_settings(bundle))
    assert not finding.ok and "revoked" in finding.hint
    assert cli.main(["booth", "revoke", "booth-7"]) == 0
    assert "already gone" in capsys.readouterr().out


def test_booth_commands_say_when_the_broker_is_unreachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.broker import free_port

    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INGEST_BROKER_ADMIN_URL", f"mqtt://{ADMIN}:x@127.0.0.1:{free_port()}")
    assert (
        cli.main(
            ["booth", "add", "booth-9", "--neighborhood", "viby", "--bundle", str(tmp_path / "b")]
        )
        == 1
    )
    assert "cannot reach the broker" in capsys.readouterr().err


def test_a_booth_fetches_prompts_from_the_broker_alone(broker: Mosquitto, tmp_path: Path) -> None:
    from booth.remote_config import PromptUnavailable
    from booth.spool import Spool
    from booth.uplink import Uplink
    from shared.clip import sha256_hex

    wav = b"RIFF" + bytes(range(256)) * 40
    digest = sha256_hex(wav)
    ingest = login(broker, "ingest", "ingest-1")
    ingest.client.publish(f"dn/v1/prompts/{digest}", wav, qos=1, retain=True).wait_for_publish(5)
    ingest.close()
    settings = BoothSettings(
        id=BOOTH, mqtt_url=broker.url(BOOTH), spool_dir=tmp_path / "spool", _env_file=None
    )
    uplink = Uplink(settings, Spool(settings.spool_dir))
    uplink.start()
    try:
        assert uplink.fetch_prompt(digest, timeout=10) == wav
        with pytest.raises(PromptUnavailable, match="not at the broker"):
            uplink.fetch_prompt("0" * 64, timeout=1)
    finally:
        uplink.stop()


def test_a_bridge_login_and_its_config_for_an_edge_broker(
    broker: Mosquitto,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "admin").write_text(broker.admin_password)
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INGEST_BROKER_ADMIN_URL", f"mqtt://{ADMIN}@127.0.0.1:{broker.port}")
    monkeypatch.setenv("INGEST_BROKER_ADMIN_PASSWORD_FILE", str(tmp_path / "admin"))
    monkeypatch.setenv("INGEST_BOOTH_MQTT_URL", f"mqtts://broker.aarhus.example:{broker.port}")
    conf = tmp_path / "bridge.conf"
    assert cli.main(["broker", "bridge", "edge-north", "--out", str(conf)]) == 0
    lines = dict(line.split(" ", 1) for line in conf.read_text().splitlines() if " " in line)
    secret = lines["remote_password"]
    assert conf.stat().st_mode & 0o777 == 0o600 and secret not in capsys.readouterr().out
    assert lines["address"] == f"broker.aarhus.example:{broker.port}"
    assert lines["bridge_cafile"] == "/etc/mosquitto/dn/tls/ca.crt"  # mqtts: verify the broker
    bridge = Client(broker, "edge-north", secret, "edge-north")
    assert bridge.accepted
    assert bridge.subscribe("dn/v1/booths/+/acks") == "Granted QoS 1"
    assert bridge.subscribe("$share/ingest/dn/v1/booths/+/clips") == "Not authorized"
    bridge.close()
    impostor = Client(broker, "edge-north", secret, "ingest-1")
    assert not impostor.accepted
    impostor.close()


@pytest.fixture
def admin_env(broker: Mosquitto, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    admin_secret = tmp_path / "admin-password"
    admin_secret.write_text(broker.admin_password)
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INGEST_BROKER_ADMIN_URL", f"mqtt://{ADMIN}@127.0.0.1:{broker.port}")
    monkeypatch.setenv("INGEST_BROKER_ADMIN_PASSWORD_FILE", str(admin_secret))
    monkeypatch.setenv("INGEST_BOOTH_MQTT_URL", f"mqtt://127.0.0.1:{broker.port}")
    return tmp_path / "bundle"


def registered(capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert cli.main(["booth", "list"]) == 0
    return [line.split("\t")[0] for line in capsys.readouterr().out.splitlines() if line]


def test_registry_and_broker_change_together_or_not_at_all(
    broker: Mosquitto,
    admin_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A failure injected between the registry step and the broker step leaves both as
    they were; the same command run again finishes the job."""
    from ingest.fleet.broker_admin import BrokerAdmin, BrokerAdminError

    bundle = admin_env
    add = ["booth", "add", "booth-8", "--neighborhood", "viby", "--bundle", str(bundle)]

    # add: the login is made, then the step after it fails: the login is taken back.
    made = BrokerAdmin.add_booth

    def made_then_fail(self: BrokerAdmin, booth_id: str, password: str) -> None:
        made(self, booth_id, password)
        raise BrokerAdminError("injected failure after the login was made")

    monkeypatch.setattr(BrokerAdmin, "add_booth", made_then_fail)
    assert cli.main(add) == 1
    assert "injected" in capsys.readouterr().err
    assert "booth-8" not in registered(capsys)
    assert not check_broker(booth_settings(bundle)).ok  # no login left behind
    monkeypatch.setattr(BrokerAdmin, "add_booth", made)
    assert cli.main(add) == 0
    assert registered(capsys) == ["booth-8"] and check_broker(booth_settings(bundle)).ok

    # add again: nothing changes, not even the bundle's password or the neighborhood.
    secret = (bundle / "broker-password").read_text()
    again = ["booth", "add", "booth-8", "--neighborhood", "aarhus-c", "--bundle", str(bundle)]
    assert cli.main(again) == 1 and "use rotate" in capsys.readouterr().err
    assert (bundle / "broker-password").read_text() == secret
    capsys.readouterr()
    cli.main(["booth", "list"])
    assert "booth-8\tviby" in capsys.readouterr().out
    assert check_broker(booth_settings(bundle)).ok

    # remove: the broker refuses: the booth stays registered and keeps its login.
    def refuse(self: BrokerAdmin, booth_id: str) -> bool:
        raise BrokerAdminError("injected: the broker refused")

    revoke = BrokerAdmin.revoke
    monkeypatch.setattr(BrokerAdmin, "revoke", refuse)
    assert cli.main(["booth", "remove", "booth-8"]) == 1
    assert registered(capsys) == ["booth-8"] and check_broker(booth_settings(bundle)).ok
    monkeypatch.setattr(BrokerAdmin, "revoke", revoke)
    assert cli.main(["booth", "remove", "booth-8"]) == 0
    assert registered(capsys) == [] and not check_broker(booth_settings(bundle)).ok
    assert cli.main(["booth", "remove", "booth-8"]) == 0  # idempotent
    assert "already gone" in capsys.readouterr().out

    # revoke needs no registry entry: a login left without one is still locked out.
    from ingest.fleet.enrolment import broker_admin
    from ingest.settings import IngestSettings

    admin = broker_admin(IngestSettings())
    assert admin is not None
    with admin:
        admin.add_booth("booth-ghost", "a-password-nobody-registered")
    assert Client(broker, "booth-ghost", "a-password-nobody-registered", "booth-ghost").accepted
    assert cli.main(["booth", "revoke", "booth-ghost"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert not Client(broker, "booth-ghost", "a-password-nobody-registered", "booth-ghost").accepted


def test_removing_a_booth_through_the_api_revokes_its_login(
    broker: Mosquitto, admin_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fastapi.testclient import TestClient

    from ingest.http.app import create_app
    from ingest.roles import Role
    from ingest.settings import IngestSettings
    from ingest.store.tokens import create_token

    bundle = admin_env
    add = ["booth", "add", "booth-8", "--neighborhood", "viby", "--bundle", str(bundle)]
    assert cli.main(add) == 0
    app = create_app(IngestSettings(), receive=False, transcribe=False)
    with TestClient(app) as client:
        with app.state.service.sessions.begin() as session:
            headers = {"Authorization": f"Bearer {create_token(session, 'root', Role.ADMIN)}"}
        connected = Client(
            broker, "booth-8", (bundle / "broker-password").read_text().strip(), "booth-8"
        )
        assert connected.accepted
        assert client.delete("/api/booths/booth-8", headers=headers).status_code == 204
        assert connected.lost.wait(10), "the removed booth is still connected"
        connected.close()
        assert not check_broker(booth_settings(bundle)).ok
        assert client.delete("/api/booths/booth-8", headers=headers).status_code == 404
    assert registered(capsys) == []


def test_the_dynsec_file_is_private_and_its_admin_password_generated_and_slow_to_guess(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from ingest.fleet.broker_admin import ADMIN_ITERATIONS

    secret = tmp_path / "etc" / "admin-password"
    monkeypatch.setenv("INGEST_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INGEST_BROKER_ADMIN_PASSWORD_FILE", str(secret))
    dynsec = tmp_path / "dn-dynsec.json"
    assert cli.main(["broker", "dynsec-init", str(dynsec)]) == 0
    password = secret.read_text().strip()
    assert len(password) >= 24 and password not in capsys.readouterr().out
    for path in (dynsec, secret):
        assert path.stat().st_mode & 0o777 == 0o600, path
    (admin,) = json.loads(dynsec.read_text())["clients"]
    assert admin["username"] == ADMIN and admin["iterations"] == ADMIN_ITERATIONS >= 210_000
    assert cli.main(["broker", "dynsec-init", str(dynsec)]) == 1  # never overwritten
