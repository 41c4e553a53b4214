"""API tokens with roles. Only a hash of each token is stored; the token is shown once."""

# Role and Principal live in ingest.roles; re-exported here for the routes.
__all__ = [
    "AUTH_ERRORS",
    "Admin",
    "Moderator",
    "Planner",
    "Principal",
    "Reader",
    "Role",
    "create_token",
]

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.models import ApiToken
from ingest.roles import Principal, Role
from ingest.routes.deps import SessionDep


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, role: Role) -> str:
    token = "dn_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(name=name, role=role.value, token_hash=hash_token(token), created_at=_now())
    )
    return token


def revoke_token(session: Session, name: str) -> int:
    """Revoke every live token with this name; returns how many."""
    tokens = session.scalars(
        select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = _now()
    return len(tokens)


def _now() -> datetime:
    return datetime.now(UTC)


_bearer = HTTPBearer(auto_error=False, description="an API token from `ingest token create`")


def current_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(401, "a bearer token is required", {"WWW-Authenticate": "Bearer"})
    token = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(credentials.credentials),
            ApiToken.revoked_at.is_(None),
        )
    )
    if token is None:
        raise HTTPException(401, "unknown or revoked token", {"WWW-Authenticate": "Bearer"})
    return Principal(token.name, Role(token.role))


def require(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting these roles (admins always)."""
    allowed = {Role.ADMIN, *roles}

    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(403, f"role {principal.role} may not do this")
        return principal

    return check


# What any endpoint behind a token may answer besides its own responses.
AUTH_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"description": "the request body is not valid JSON"},
    401: {"description": "no token, or an unknown or revoked one"},
    403: {"description": "the token's role may not do this"},
}

Reader = Annotated[Principal, Depends(require(Role.PLANNER, Role.MODERATOR))]
Planner = Annotated[Principal, Depends(require(Role.PLANNER))]
Moderator = Annotated[Principal, Depends(require(Role.MODERATOR))]
Admin = Annotated[Principal, Depends(require())]
