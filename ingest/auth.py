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
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.models import ApiToken
from ingest.roles import Principal, Role
from ingest.routes.deps import SessionDep


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
    if token.expires_at is not None and _aware(token.expires_at) <= _now():
        return "expired"
    return "live"


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SignInThrottle:
    """Failed token checks per client address in the last minute; past the limit, 429."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        with self._lock:
            recent = self._recent(client)
            if len(recent) >= self.per_minute:
                wait = int(60 - (time.monotonic() - recent[0])) + 1
                raise HTTPException(
                    429, "too many failed sign-ins; wait", {"Retry-After": str(wait)}
                )

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(time.monotonic())

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures[client]
        while failures and time.monotonic() - failures[0] > 60:
            failures.popleft()
        return failures


_bearer = HTTPBearer(auto_error=False, description="an API token from `ingest token create`")


def current_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(401, "a bearer token is required", {"WWW-Authenticate": "Bearer"})
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    client = request.client.host if request.client else "unknown"
    throttle.check(client)
    token = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(credentials.credentials),
            ApiToken.revoked_at.is_(None),
        )
    )
    if token is None or token_state(token) != "live":
        throttle.failed(client)
        raise HTTPException(
            401, "unknown, expired or revoked token", {"WWW-Authenticate": "Bearer"}
        )
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
    401: {"description": "no token, or an unknown, expired or revoked one"},
    413: {"description": "the request body is too large"},
    429: {"description": "too many failed sign-ins from this client"},
    403: {"description": "the token's role may not do this"},
}

Reader = Annotated[Principal, Depends(require(Role.PLANNER, Role.MODERATOR))]
Planner = Annotated[Principal, Depends(require(Role.PLANNER))]
Moderator = Annotated[Principal, Depends(require(Role.MODERATOR))]
Admin = Annotated[Principal, Depends(require())]
FleetReader = Annotated[Principal, Depends(require(Role.PLANNER, Role.MODERATOR, Role.TECHNICIAN))]
SignedIn = Annotated[Principal, Depends(current_principal)]
