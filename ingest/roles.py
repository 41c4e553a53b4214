"""Who may do what: the roles API tokens carry."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # everything, raw transcripts, erasure, booths
    PLANNER = "planner"  # read redacted text, search, export, manage themes
    MODERATOR = "moderator"  # read raw text, correct it, review and moderate
    TECHNICIAN = "technician"  # the fleet: booths' state, never what callers said


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def searches_raw(self) -> bool:
        """Moderators and admins read the raw transcript and search it; planners search
        the text as redacted for them."""
        return self.role in (Role.ADMIN, Role.MODERATOR)

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"
