"""shared.mqtt.Connection against a real mosquitto (tests/support/broker.py, the production
config and logins): it comes back by itself after the broker restarts, request/response
pairs answers by MQTT 5 correlation data, and stop leaves no socket open."""

import contextlib
import os
import queue
from collections.abc import Iterator

import pytest

from shared.broker import BrokerAddress
from shared.mqtt import Connection, Message, NoResponse, NotConnected
from shared.topics import Channel, Topics
from tests.conftest import BOOTH
from tests.support.broker import Mosquitto, free_port
from tests.support.waiting import wait_until

TOPICS = Topics()
ACKS = TOPICS.booth(BOOTH, Channel.ACKS)
STATUS = TOPICS.booth(BOOTH, Channel.STATUS)


def open_sockets() -> int:
    """Sockets this process holds (paho's connection and its wake-up pair among them)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor, gone already
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    return count


def booth(broker: Mosquitto, **options: object) -> Connection:
    # The booth's login is bound to its own client id.
    return Connection(BrokerAddress.from_url(broker.url(BOOTH)), BOOTH, **options)  # type: ignore[arg-type]


def ingest(broker: Mosquitto) -> Connection:
    return Connection(BrokerAddress.from_url(broker.url("ingest")), "ingest-test")


@pytest.fixture
def baseline(broker: Mosquitto) -> Iterator[int]:
    """The socket count with the broker up and no connection made yet."""
    yield open_sockets()


def test_it_reconnects_and_resubscribes_after_the_broker_restarts(
    broker: Mosquitto, baseline: int
) -> None:
    connection = booth(broker, session_expiry_s=60, reconnect_s=(1, 2))
    acks = connection.inbox(ACKS)
    connection.start()
    sender = ingest(broker)
    try:
        assert connection.connected.wait(10)
        broker.stop()
        assert wait_until(lambda: not connection.connected.is_set(), 10)
        broker.start()  # same port, same logins
        assert connection.connected.wait(15), "no reconnect after the broker came back"
        sender.connect(10)
        # The route's subscription is live again: a message sent now arrives.
        assert sender.publish(ACKS, b"after").wait(5)
        assert acks.get(timeout=10).payload == b"after"
    finally:
        sender.stop()
        connection.stop()
    assert open_sockets() == baseline


def test_a_stop_while_the_broker_is_away_closes_every_socket(
    broker: Mosquitto, baseline: int
) -> None:
    connection = booth(broker, reconnect_s=(1, 1))
    connection.start()
    assert connection.connected.wait(10)
    assert open_sockets() > baseline  # the count sees paho's sockets
    broker.stop()
    assert wait_until(lambda: not connection.connected.is_set(), 10)
    connection.stop()
    assert open_sockets() == baseline


def test_request_response_pairs_answers_by_correlation_data(
    broker: Mosquitto, baseline: int
) -> None:
    """The booth asks on its status topic, naming its acks topic for the answer; a responder
    on ingest's login answers each request with its own correlation data, after first
    sending a stray answer that correlates with nothing."""
    responder = ingest(broker)

    def answer(request: Message) -> None:
        if request.response_topic:
            responder.publish(request.response_topic, b"stray")  # no correlation data
        responder.respond(request, b"re:" + request.payload)

    responder.route(TOPICS.all_booths(Channel.STATUS), answer)
    requester = booth(broker)
    requester.responses(ACKS)
    try:
        responder.connect(10)
        requester.connect(10)
        for question in (b"one", b"two"):
            correlation = requester.new_correlation()
            response = requester.request(STATUS, question, correlation, response_topic=ACKS)
            assert (response.payload, response.correlation_data) == (b"re:" + question, correlation)
        with pytest.raises(NoResponse):  # nobody answers a request without a response topic
            requester.request(STATUS, b"three", requester.new_correlation(), timeout=1)
    finally:
        requester.stop()
        responder.stop()
    assert open_sockets() == baseline


def test_a_temporary_subscription_takes_a_retained_message(
    broker: Mosquitto, baseline: int
) -> None:
    prompt = TOPICS.prompt("a" * 64)
    publisher = ingest(broker)
    listener = booth(broker)
    try:
        publisher.connect(10)
        publisher.publish(prompt, b"wav", retain=True).wait(5)
        listener.connect(10)
        with listener.subscription(prompt) as messages:
            message = messages.get(timeout=10)
        assert (message.payload, message.retain) == (b"wav", True)
        # Unsubscribed with the block: a newer message does not reach the old queue.
        publisher.publish(prompt, b"newer", retain=True).wait(5)
        with pytest.raises(queue.Empty):
            messages.get(timeout=1)
    finally:
        listener.stop()
        publisher.stop()
    assert open_sockets() == baseline


def test_a_refused_or_unreachable_connect_says_so_and_leaves_no_socket(
    broker: Mosquitto, baseline: int
) -> None:
    wrong = Connection(BrokerAddress.from_url(broker.url(BOOTH, "not-the-password")), BOOTH)
    with pytest.raises(NotConnected) as refused:
        wrong.connect(10)
    wrong.stop()
    assert refused.value.reason == wrong.refused and "authori" in refused.value.reason.lower()
    nobody = Connection(BrokerAddress("127.0.0.1", free_port()), "nobody-home")
    with pytest.raises(OSError):  # nothing listens there
        nobody.connect(10)
    nobody.stop()
    assert open_sockets() == baseline
