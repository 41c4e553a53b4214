""" "Hvad skete der med min besked?": a caller types the receipt code the booth read out and
learns what became of the message, nothing else: its state, and once published the text as
published. The same code asks for erasure, kept for an admin to carry out.

A code is short (4-12 digits), so lookups are few per client and minute; the code itself is
never stored, only the hash the booth's message already carries (shared.clip.receipt_hash).
"""

import threading
import time
from collections import defaultdict, deque
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.city_time import city_day
from ingest.http.deps import AUTH_ERRORS, Admin, ServiceDep, SessionDep, client_of
from ingest.publish.places import names
from ingest.review.audit import record
from ingest.review.retention import erase
from ingest.store.models import Clip, ClipStatus, ErasureRequest, Moderation
from shared.clip import receipt_hash

router = APIRouter(tags=["receipts"])
LOOKUPS_PER_MINUTE = 10
UNKNOWN = "Ingen besked har den kode. / No message has that code."

State = Literal["modtaget", "offentliggjort", "ikke_offentliggjort", "slettet"]


class ReceiptIn(BaseModel):
    receipt: str = Field(pattern=r"^[0-9]{4,12}$", description="the code the booth read out")


class MessageState(BaseModel):
    status: State = Field(
        description="modtaget (received, not yet read by a moderator), offentliggjort "
        "(published), ikke_offentliggjort (not published), slettet (erased on request)"
    )
    neighborhood_name: str | None
    theme_name: str | None
    recorded_on: date | None
    text: str | None = Field(description="as published; only once published")
    erasure_requested: bool


class ReceiptOut(BaseModel):
    messages: list[MessageState]


class ErasureRequestOut(BaseModel):
    id: int
    clip_ids: list[str]
    requested_at: datetime
    done_at: datetime | None


class Lookups:
    """Receipt lookups per client address in the last minute; past the limit, 429."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def count(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            seen = self._seen[client]
            while seen and now - seen[0] > 60:
                seen.popleft()
            if len(seen) >= self.per_minute:
                wait = int(60 - (now - seen[0])) + 1
                raise HTTPException(
                    429,
                    "For mange forsøg; vent et minut. / Too many tries; wait a minute.",
                    {"Retry-After": str(wait)},
                )
            seen.append(now)


_MAKING = threading.Lock()


def _counted(request: Request) -> None:
    state = request.app.state  # one count per app: each test's app starts afresh
    with _MAKING:
        if not hasattr(state, "receipt_lookups"):
            state.receipt_lookups = Lookups(LOOKUPS_PER_MINUTE)
    state.receipt_lookups.count(client_of(request))


def _state(clip: Clip) -> State:
    if clip.moderation == Moderation.APPROVED and clip.published_text is not None:
        return "offentliggjort"
    if clip.moderation == Moderation.HIDDEN or clip.status == ClipStatus.NO_SPEECH:
        return "ikke_offentliggjort"
    return "modtaget"


def _requests(session: Session, code_hash: str) -> list[ErasureRequest]:
    query = select(ErasureRequest).where(ErasureRequest.receipt_hash == code_hash)
    return list(session.scalars(query))


LOOKUP_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"description": "the request body is not valid JSON"},
    413: {"description": "the request body is too large"},
    404: {"description": UNKNOWN},
    429: {"description": "too many lookups from this client in a minute"},
}


@router.post("/public/receipts", response_model=ReceiptOut, responses=LOOKUP_ERRORS)
def what_became_of_it(body: ReceiptIn, request: Request, session: SessionDep) -> ReceiptOut:
    """What became of the message(s) left with this receipt code (POST: the code stays out
    of addresses and logs)."""
    _counted(request)
    return _lookup(session, receipt_hash(body.receipt))


def _lookup(session: Session, code_hash: str) -> ReceiptOut:
    clips = list(session.scalars(select(Clip).where(Clip.receipt_hash == code_hash)))
    requests = _requests(session, code_hash)
    asked = {clip_id for r in requests for clip_id in r.clip_ids}
    named = names(session)
    found = [
        MessageState(
            status=_state(clip),
            neighborhood_name=named.neighborhood(clip.neighborhood),
            theme_name=named.theme(clip.theme),
            recorded_on=city_day(clip.recorded_at),
            text=clip.published_text if _state(clip) == "offentliggjort" else None,
            erasure_requested=clip.id in asked,
        )
        for clip in clips
    ]
    present = {clip.id for clip in clips}
    erased = [c for r in requests if r.done_at for c in r.clip_ids if c not in present]
    found += [
        MessageState(
            status="slettet",
            neighborhood_name=None,
            theme_name=None,
            recorded_on=None,
            text=None,
            erasure_requested=True,
        )
        for _ in erased
    ]
    if not found:
        raise HTTPException(404, UNKNOWN)
    return ReceiptOut(messages=found)


@router.post(
    "/public/receipts/erasure",
    response_model=ReceiptOut,
    status_code=202,
    responses=LOOKUP_ERRORS,
)
def ask_for_erasure(body: ReceiptIn, request: Request, session: SessionDep) -> ReceiptOut:
    """Ask for the message(s) with this code to be erased: recorded for an admin, who
    carries it out (POST /api/erasure-requests/{id})."""
    _counted(request)
    code_hash = receipt_hash(body.receipt)
    ids = list(session.scalars(select(Clip.id).where(Clip.receipt_hash == code_hash)))
    if not ids:
        raise HTTPException(404, UNKNOWN)
    asked = {clip_id for r in _requests(session, code_hash) for clip_id in r.clip_ids}
    if set(ids) - asked:
        now = datetime.now(UTC)
        session.add(ErasureRequest(receipt_hash=code_hash, clip_ids=ids, requested_at=now))
        for clip_id in ids:
            record(session, "caller", "erasure_request", clip_id)
        session.commit()
    return _lookup(session, code_hash)


@router.get("/api/erasure-requests", response_model=list[ErasureRequestOut], responses=AUTH_ERRORS)
def erasure_requests(session: SessionDep, _who: Admin) -> list[ErasureRequestOut]:
    """Callers' requests for erasure, open ones first."""
    query = select(ErasureRequest).order_by(ErasureRequest.done_at.is_not(None), ErasureRequest.id)
    return [
        ErasureRequestOut(
            id=r.id, clip_ids=r.clip_ids, requested_at=r.requested_at, done_at=r.done_at
        )
        for r in session.scalars(query)
    ]


@router.post(
    "/api/erasure-requests/{request_id}",
    response_model=ErasureRequestOut,
    responses={**AUTH_ERRORS, 404: {"description": "no such request"}},
)
def carry_out(
    request_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
    session: SessionDep,
    service: ServiceDep,
    who: Admin,
) -> ErasureRequestOut:
    """Erase what a caller asked to have erased: audio, text and history go; the audit
    keeps that it happened, and the caller's lookup then says "slettet"."""
    asked = session.get(ErasureRequest, request_id)
    if asked is None:
        raise HTTPException(404, "no such request")
    for clip_id in asked.clip_ids:
        clip = session.get(Clip, clip_id)
        if clip is not None:
            erase(session, service.store, clip, str(who))
    asked.done_at = asked.done_at or datetime.now(UTC)
    session.commit()
    return ErasureRequestOut(
        id=asked.id, clip_ids=asked.clip_ids, requested_at=asked.requested_at, done_at=asked.done_at
    )
