"""Who a token belongs to: the console shows each role only what it may use."""

from fastapi import APIRouter
from pydantic import BaseModel

from ingest.http.deps import AUTH_ERRORS, SignedIn
from ingest.roles import Role

router = APIRouter(prefix="/api", tags=["me"], responses=AUTH_ERRORS)


class MeOut(BaseModel):
    name: str
    role: Role


@router.get("/me", response_model=MeOut)
def me(who: SignedIn) -> MeOut:
    return MeOut(name=who.name, role=who.role)
