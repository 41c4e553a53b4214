"""The audit trail: who did what to which clip."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from ingest.roles import Principal
from ingest.store.models import AuditEntry


def record(
    session: Session,
    who: Principal | str,
    action: str,
    clip_id: str | None,
    detail: dict[str, object] | None = None,
) -> None:
    actor = str(who)
    session.add(
        AuditEntry(at=datetime.now(UTC), actor=actor, action=action, clip_id=clip_id, detail=detail)
    )
