"""What routes depend on: the service, a session, and who is asking (bearer tokens, roles)."""

import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from ipaddress import IPv4Address, ip_address, ip_network
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ingest.roles import Principal, Role
from ingest.service import IngestService
from ingest.store.tokens import principal_of

log = logging.getLogger(__name__)


def get_service(request: Request) -> IngestService:
    service: IngestService = request.app.state.service
    return service


def get_session(service: Annotated[IngestService, Depends(get_service)]) -> Iterator[Session]:
    with service.sessions() as session:
        yield session


def get_cursor_key(service: Annotated[IngestService, Depends(get_service)]) -> bytes:
    return service.cursor_key


ServiceDep = Annotated[IngestService, Depends(get_service)]
SessionDep = Annotated[Session, Depends(get_session)]
CursorKey = Annotated[bytes, Depends(get_cursor_key)]


def client_of(request: Request) -> str:
    """Who a failure or a lookup is counted against: the caller's address, and for IPv6 its
    /64, since one host or household holds a whole /64 and could take a new address for
    every try."""
    host = request.client.host if request.client else "unknown"
    try:
        address = ip_address(host)
    except ValueError:
        return host
    if isinstance(address, IPv4Address):
        return host
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ip_network(f"{address}/64", strict=False))


class SignInThrottle:
    """Failed token checks per client address in the last minute. Only failures count and
    only failures are held back: a valid token always passes, so one person mistyping
    behind a city hall's NAT locks nobody out. Past the limit a failure is still 401 (the
    token is wrong whatever the pace), with Retry-After saying how long the address should
    wait, and the address is logged once per window for the operator's alerting."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def failed(self, client: str) -> dict[str, str]:
        """Count a failure; the headers of the 401 that answers it."""
        with self._lock:
            recent = self._recent(client)
            recent.append(time.monotonic())
            if len(recent) <= self.per_minute:
                return {"WWW-Authenticate": "Bearer"}
            if len(recent) == self.per_minute + 1:
                log.warning(
                    "more than %d failed sign-ins a minute from %s", self.per_minute, client
                )
            wait = int(60 - (time.monotonic() - recent[0])) + 1
        return {"WWW-Authenticate": 'Bearer error="invalid_token"', "Retry-After": str(wait)}

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
    principal = principal_of(session, credentials.credentials)
    if principal is not None:
        # A valid token is never made to wait: others failing from the same address (one
        # city hall behind one NAT) must not lock its people out.
        return principal
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    raise HTTPException(
        401, "unknown, expired or revoked token", throttle.failed(client_of(request))
    )


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
    401: {
        "description": "no token, or an unknown, expired or revoked one; past the failed "
        "sign-ins a client may make in a minute, with Retry-After"
    },
    413: {"description": "the request body is too large"},
    403: {"description": "the token's role may not do this"},
}

Reader = Annotated[Principal, Depends(require(Role.PLANNER, Role.MODERATOR))]
Planner = Annotated[Principal, Depends(require(Role.PLANNER))]
Moderator = Annotated[Principal, Depends(require(Role.MODERATOR))]
Admin = Annotated[Principal, Depends(require())]
FleetReader = Annotated[Principal, Depends(require(Role.PLANNER, Role.MODERATOR, Role.TECHNICIAN))]
SignedIn = Annotated[Principal, Depends(current_principal)]
