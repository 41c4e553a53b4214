"""The booth registry, joined with each booth's live status and its newest message."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select

from ingest.fleet.broker_admin import RESERVED, check_booth_id
from ingest.fleet.enrolment import BrokerAdminError, Enrolment
from ingest.http.deps import AUTH_ERRORS, Admin, FleetReader, ServiceDep, SessionDep
from ingest.http.params import BoothId
from ingest.store.models import Booth, Clip, Rejection
from shared.errors import ProtocolError
from shared.topics import SHARED_GROUP, SLUG_PATTERN, Topics

router = APIRouter(prefix="/api/booths", tags=["booths"], responses=AUTH_ERRORS)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such booth"}}


# Both or neither, said in the schema too (clients and the API's own tests read it): both
# numbers, or each null or left out.
_POSITION_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "required": ["lat", "lon"],
            "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
        },
        {"properties": {"lat": {"type": "null"}, "lon": {"type": "null"}}},
    ]
}


class BoothIn(BaseModel):
    model_config = ConfigDict(json_schema_extra=_POSITION_SCHEMA)

    neighborhood: str = Field(pattern=SLUG_PATTERN)
    location: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=5000)
    lat: float | None = Field(
        default=None, ge=-90, le=90, strict=True, description="where it stands (WGS 84)"
    )
    lon: float | None = Field(default=None, ge=-180, le=180, strict=True)

    @model_validator(mode="after")
    def _both_or_neither(self) -> "BoothIn":
        # Half a position puts no marker anywhere: refuse it rather than store it.
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon go together: give both or neither")
        return self


def _not_reserved(booth_id: str) -> str:
    try:
        return check_booth_id(booth_id)
    except BrokerAdminError as exc:
        raise ValueError(str(exc)) from exc


class BoothNew(BoothIn):
    # The CLI's rule: a booth named like one of the service's own broker logins could never
    # be removed again (its removal would touch that login, so it is refused).
    id: Annotated[str, AfterValidator(_not_reserved)] = Field(
        pattern=SLUG_PATTERN,
        json_schema_extra={
            "not": {"anyOf": [{"enum": list(RESERVED)}, {"pattern": f"^{SHARED_GROUP}-"}]}
        },
    )


class BoothOut(BoothNew):
    id: str = Field(pattern=SLUG_PATTERN)
    last_seen_at: datetime | None
    state: str | None
    spool_clips: int | None
    version: str | None
    config_version: int
    status: dict[str, Any] | None
    last_clip_at: datetime | None = Field(
        default=None, description="when ingest stored this booth's newest message"
    )
    rejections: int = Field(default=0, description="clips from this booth ingest refused")
    last_rejection_reason: str | None = Field(default=None, description="the newest's reason")
    last_rejection_at: datetime | None = None

    @classmethod
    def of(
        cls,
        booth: Booth,
        last_clip_at: datetime | None = None,
        refused: "Refused | None" = None,
    ) -> "BoothOut":
        status = booth.status or {}
        return cls(
            id=booth.id,
            neighborhood=booth.neighborhood,
            location=booth.location,
            notes=booth.notes,
            lat=booth.lat,
            lon=booth.lon,
            last_seen_at=booth.last_seen_at,
            state=status.get("state"),  # type: ignore[arg-type]
            spool_clips=status.get("spool_clips"),  # type: ignore[arg-type]
            version=status.get("version"),  # type: ignore[arg-type]
            config_version=booth.config_version,
            status=booth.status,
            last_clip_at=last_clip_at,
            rejections=refused.count if refused else 0,
            last_rejection_reason=refused.reason if refused else None,
            last_rejection_at=refused.at if refused else None,
        )


class Refused(BaseModel):
    count: int
    reason: str
    at: datetime


def _refused(session: SessionDep, topics: Topics) -> dict[str, Refused]:
    """Per booth: how many of its clips were refused, and the newest refusal (the highest
    id is the newest row)."""
    per_topic = session.execute(
        select(Rejection.topic, func.count(), func.max(Rejection.id)).group_by(Rejection.topic)
    ).all()
    newest = {
        r.id: r
        for r in session.scalars(
            select(Rejection).where(Rejection.id.in_([last for _, _, last in per_topic]))
        )
    }
    out: dict[str, Refused] = {}
    for topic, count, last in per_topic:
        try:
            booth_id, _channel = topics.parse(topic)
        except ProtocolError:
            continue
        row = newest[last]
        seen = out.get(booth_id)
        if seen is None or row.at > seen.at:
            out[booth_id] = Refused(
                count=count + (seen.count if seen else 0), reason=row.reason, at=row.at
            )
        else:
            seen.count += count
    return out


@router.get("", response_model=list[BoothOut])
def list_booths(session: SessionDep, service: ServiceDep, _who: FleetReader) -> list[BoothOut]:
    """Technicians may read this too: a booth's state, when its last message arrived and
    why ingest last refused one of its clips, never what was said."""
    newest = (
        select(func.max(Clip.received_at))
        .where(Clip.booth_id == Booth.id)
        .correlate(Booth)
        .scalar_subquery()
    )
    rows = session.execute(select(Booth, newest).order_by(Booth.id))
    refused = _refused(session, Topics(service.settings.topic_prefix))
    return [BoothOut.of(booth, last_clip_at, refused.get(booth.id)) for booth, last_clip_at in rows]


@router.post(
    "", response_model=BoothOut, status_code=201, responses={409: {"description": "exists"}}
)
def add_booth(body: BoothNew, session: SessionDep, service: ServiceDep, _who: Admin) -> BoothOut:
    if session.get(Booth, body.id) is not None:
        raise HTTPException(409, "booth already registered")
    booth = Booth(**body.model_dump(), created_at=datetime.now(UTC), config_version=0)
    session.add(booth)
    session.commit()
    service.fleet.publish_configs()
    return BoothOut.of(booth)


@router.put("/{booth_id}", response_model=BoothOut, responses=NOT_FOUND)
def update_booth(
    booth_id: BoothId, body: BoothIn, session: SessionDep, service: ServiceDep, _who: Admin
) -> BoothOut:
    booth = session.get(Booth, booth_id)
    if booth is None:
        raise HTTPException(404, "no such booth")
    for key, value in body.model_dump().items():
        setattr(booth, key, value)
    session.commit()
    service.fleet.publish_configs()
    session.refresh(booth)
    return BoothOut.of(booth)


@router.delete(
    "/{booth_id}",
    status_code=204,
    responses={
        404: {"description": "no such booth, and no broker login of that name"},
        502: {"description": "the broker refused or was unreachable; nothing changed"},
    },
)
def remove_booth(booth_id: BoothId, service: ServiceDep, _who: Admin) -> Response:
    """Drop it from the registry and revoke its broker login (with INGEST_BROKER_ADMIN_URL
    set), both or neither. Its clips stay; new clips from it are rejected as
    `unknown_booth`."""
    try:
        with Enrolment.connect(service.sessions, service.settings) as enrolment:
            removed = enrolment.remove(booth_id)
    except (BrokerAdminError, ProtocolError) as exc:
        raise HTTPException(502, f"nothing changed: {exc}") from exc
    if not removed.registered and not removed.login:
        raise HTTPException(404, "no such booth")
    return Response(status_code=204)
