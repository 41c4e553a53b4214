"""The public pages with a city's worth of messages: 100,000 clips over a year, 8
neighborhoods and 6 themes, served by the real app under uvicorn; each page load fetches
what the page's script fetches, one request after another (a slow phone's worst case)."""

import random
import statistics
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import insert, text

from ingest.http.app import create_app
from ingest.language.redaction import redact
from ingest.language.words import index_terms
from ingest.publish.aggregates import rebuild
from ingest.roles import Role
from ingest.sessions import migrate_database
from ingest.settings import IngestSettings
from ingest.store.database import make_engine, session_factory
from ingest.store.models import Clip, ClipStatus, Moderation, Theme
from ingest.store.tokens import create_token
from tests.support.broker import free_port

NEIGHBORHOODS = ["gellerup", "aarhus-c", "viby", "trige", "risskov", "hasle", "tilst", "lisbjerg"]
THEMES = ["parker", "trafik", "byliv", "boliger", "skoler", "havnen"]
SAID = [
    "Jeg vil gerne have flere bænke og træer ved havnen",
    "Cykelstien til skolen er for smal og bilerne kører for stærkt",
    "Vi mangler en legeplads i parken, og lyset på stien virker ikke om aftenen",
    "Bussen kommer for sjældent om søndagen, så man kan ikke komme hjem",
    "Det ville være dejligt med en overdækket cykelparkering ved stationen",
    "Der er for meget affald i parken efter weekenden",
    "We need safer bike lanes and more benches in the park",
    "Lejlighederne er blevet for dyre for unge familier i bydelen",
]
PAGES = {
    "front": [
        "/",
        "/public/themes",
        "/public/stats?",
        "/public/charts/weeks.svg?lang=da",
        "/public/words?limit=20",
        "/public/clips?limit=20",
        "/public/neighborhoods",
    ],
    "theme": [
        "/?tema=parker",
        "/public/themes",
        "/public/stats?theme=parker",
        "/public/charts/weeks.svg?lang=da&theme=parker",
        "/public/words?limit=20&theme=parker",
        "/public/clips?limit=20&theme=parker",
    ],
    "neighborhood": [
        "/?bydel=gellerup",
        "/public/themes",
        "/public/stats?neighborhood=gellerup",
        "/public/words?limit=20&neighborhood=gellerup",
        "/public/charts/weeks.svg?lang=da&neighborhood=gellerup&size=narrow",
        "/public/neighborhoods/gellerup",
        "/public/neighborhoods/gellerup/themes",  # each theme's messages, words and weeks
        "/public/clips?limit=20&neighborhood=gellerup",
    ],
}


def seed(settings: IngestSettings, clips: int) -> float:
    """`clips` messages: 80% speech, half of that approved. Returns seconds taken."""
    started = time.perf_counter()
    engine = make_engine(settings.sqlalchemy_url)
    migrate_database(engine)
    rng = random.Random(1)
    now = datetime.now(UTC)
    terms = {said: index_terms(said, "da") for said in SAID}
    # Planners' terms, over the text as redacted: stored with each clip as intake and
    # review keep them, so the service does not compute them at start (store.database).
    redacted = {said: index_terms(redact(said, "da"), "da") for said in SAID}
    with engine.begin() as connection:
        for slug in THEMES:
            connection.execute(
                insert(Theme).values(
                    slug=slug, title=slug.title(), question=f"Hvad synes du om {slug}?",
                    neighborhoods=[], booths=[], created_at=now, updated_at=now,
                )
            )  # fmt: skip
        for start in range(0, clips, 5000):
            rows = []
            for _ in range(start, min(start + 5000, clips)):
                said = rng.choice(SAID)
                spoken = rng.random() < 0.8
                approved = spoken and rng.random() < 0.5
                recorded = now - timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
                rows.append(
                    {
                        "id": str(uuid.uuid4()),
                        "booth_id": "bench",
                        "neighborhood": rng.choice(NEIGHBORHOODS),
                        "theme": rng.choice(THEMES),
                        "recorded_at": recorded,
                        "received_at": recorded,
                        "duration_ms": 12_000,
                        "content_type": "audio/ogg",
                        "sha256": "0" * 64,
                        "size_bytes": 20_000,
                        "config_version": 1,
                        "status": ClipStatus.TRANSCRIBED if spoken else ClipStatus.NO_SPEECH,
                        "attempts": 1,
                        "language": "da",
                        "text": said if spoken else None,
                        "search_terms": terms[said] if spoken else "",
                        "redacted_terms": redacted[said] if spoken else "",
                        "moderation": Moderation.APPROVED if approved else Moderation.PENDING,
                        "published_text": said if approved else None,
                        "published_terms": terms[said] if approved else "",
                        "published_at": recorded if approved else None,
                    }
                )
            connection.execute(insert(Clip), rows)
        rebuild(connection)
    with engine.begin() as connection:
        # Statistics, as autovacuum would have made them by the time anyone visits.
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


class Server:
    """The app under uvicorn in a thread, as `ingest api` serves it."""

    def __init__(self, settings: IngestSettings) -> None:
        self.port = free_port()
        app = create_app(settings, receive=False, transcribe=False)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)


def measure(base_url: str, loads: int = 60) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for name, paths in PAGES.items():
            for path in paths:  # warm: the first request of a process pays for imports
                client.get(path).raise_for_status()
            page_ms, by_path = [], {p: [] for p in paths}
            for _ in range(loads):
                started = time.perf_counter()
                for path in paths:
                    t0 = time.perf_counter()
                    client.get(path).raise_for_status()
                    by_path[path].append((time.perf_counter() - t0) * 1000)
                page_ms.append((time.perf_counter() - started) * 1000)
            out[name] = {
                "page_ms": {
                    "p50": round(statistics.median(page_ms), 1),
                    "p95": _percentile(page_ms, 0.95),
                },
                "request_p95_ms": {p: _percentile(v, 0.95) for p, v in by_path.items()},
            }
    return out


def planner_token(settings: IngestSettings) -> str:
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with session_factory(engine).begin() as session:
            return create_token(session, "bench", Role.PLANNER, days=1)
    finally:
        engine.dispose()


def planner_stats(base_url: str, token: str, runs: int = 10) -> dict[str, Any]:
    """The console's Statistik tab unfiltered: every clip, counted by neighborhood, theme
    and day."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, timeout=60, headers=headers) as client:
        groups = len(client.get("/api/stats").raise_for_status().json()["groups"])
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get("/api/stats").raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "groups": groups}


def run(clips: int = 100_000, database_url: str | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dn-pages-") as tmp:
        settings = IngestSettings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(tmp),
            database_url=database_url,
        )
        seconds = seed(settings, clips)
        token = planner_token(settings)
        with Server(settings) as server:
            figures = measure(f"http://127.0.0.1:{server.port}")
            figures["planner_stats"] = planner_stats(f"http://127.0.0.1:{server.port}", token)
    return {
        "clips": clips,
        "database": "postgresql" if database_url else "sqlite",
        "seed_s": round(seconds, 1),
        **figures,
    }
