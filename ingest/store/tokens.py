"""API tokens with roles. Only a hash of each token is stored; the token is shown once."""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.roles import Principal, Role
from ingest.store.models import ApiToken


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, role: Role, days: int = 90) -> str:
    token = "dn_" + secrets.token_urlsafe(32)
    now = _now()
    session.add(
        ApiToken(
            name=name,
            role=role.value,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    )
    return token


def revoke_token(session: Session, which: str) -> int:
    """Revoke the token with this id, or every live token of this holder; how many."""
    query = select(ApiToken).where(ApiToken.revoked_at.is_(None))
    query = query.where(ApiToken.id == int(which) if which.isdigit() else ApiToken.name == which)
    tokens = session.scalars(query).all()
    for token in tokens:
        token.revoked_at = _now()
    return len(tokens)


def token_state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= _now():
        return "expired"
    return "live"


def _now() -> datetime:
    return datetime.now(UTC)


def principal_of(session: Session, token: str) -> Principal | None:
    """Who holds this token, if it is live; None for an unknown, expired or revoked one."""
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or token_state(row) != "live":
        return None
    return Principal(row.name, Role(row.role))
