"""Admin endpoints: erasure on a caller's request, and the audit trail."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from ingest.http.deps import AUTH_ERRORS, Admin, ServiceDep, SessionDep
from ingest.http.params import CLIP_ID_PATTERN
from ingest.review.retention import erase, find_by_receipt
from ingest.store.models import AuditEntry
from shared.topics import SLUG_PATTERN

router = APIRouter(prefix="/api", tags=["admin"], responses=AUTH_ERRORS)


class ErasureIn(BaseModel):
    receipt: str = Field(pattern=r"^[0-9]{4,12}$", description="the code the caller heard")
    booth_id: str | None = Field(
        default=None, pattern=SLUG_PATTERN, description="needed when two clips share a receipt"
    )


class ErasureOut(BaseModel):
    erased: list[str]


class AuditOut(BaseModel):
    at: datetime
    actor: str
    action: str
    clip_id: str | None
    detail: dict[str, Any] | None


@router.post(
    "/erasures",
    response_model=ErasureOut,
    responses={
        404: {"description": "no clip carries this receipt"},
        409: {"description": "several booths' clips carry it: name the booth"},
    },
)
def erase_by_receipt(
    body: ErasureIn, session: SessionDep, service: ServiceDep, who: Admin
) -> ErasureOut:
    """A caller asked for their message to be deleted: audio, text and history go; the audit
    keeps that it happened."""
    clips = find_by_receipt(session, body.receipt, body.booth_id)
    if not clips:
        raise HTTPException(404, "no clip carries this receipt")
    if len({c.booth_id for c in clips}) > 1:
        raise HTTPException(409, "several booths' clips carry this receipt: give booth_id")
    erased = [c.id for c in clips]
    for clip in clips:
        erase(session, service.store, clip, str(who))
    session.commit()
    return ErasureOut(erased=erased)


@router.get("/audit", response_model=list[AuditOut])
def audit(
    session: SessionDep,
    _who: Admin,
    clip_id: Annotated[str | None, Query(pattern=CLIP_ID_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditOut]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if clip_id:
        query = query.where(AuditEntry.clip_id == clip_id)
    return [
        AuditOut(at=e.at, actor=e.actor, action=e.action, clip_id=e.clip_id, detail=e.detail)
        for e in session.scalars(query)
    ]
