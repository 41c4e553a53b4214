"""The booth registry and the broker's booth logins, changed together.

Each operation changes the registry inside a database transaction and makes the broker
change before that transaction commits: if the broker refuses or cannot be reached, the
registry is rolled back and neither has changed. If the commit fails after the broker
changed, a login just made is deleted again; a revoked login cannot come back (its password
is gone), so a `remove` whose commit failed leaves a registered booth that cannot log in,
the safe side. Each operation can be run again after any failure and ends in the same place.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ingest.fleet.broker_admin import BrokerAdmin, BrokerAdminError, check_booth_id, reserved
from ingest.fleet.provisioning import Bundle, issue_credentials
from ingest.settings import IngestSettings
from ingest.store.models import Booth
from shared.broker import BrokerAddress
from shared.topics import Topics

log = logging.getLogger(__name__)


class EnrolmentError(Exception):
    """An operation refused before anything changed; the message says what to do."""


@dataclass(frozen=True)
class Removed:
    registered: bool  # it was in the registry
    login: bool | None  # it had a broker login (None: no broker admin, logins untouched)


@dataclass
class Enrolment:
    """`admin` is an entered BrokerAdmin, or None where the broker's logins are not managed
    by ingest (a password file in development): then only the registry changes."""

    sessions: sessionmaker[Session]
    admin: BrokerAdmin | None
    broker: BrokerAddress  # as booths reach it, written into bundles
    ca_file: Path | None = None

    def add(
        self,
        booth_id: str,
        neighborhood: str,
        folder: Path,
        location: str | None = None,
        notes: str | None = None,
        hardware: str | None = None,
        position: tuple[float, float] | None = None,
    ) -> Bundle | None:
        """Register a new booth (`position`: latitude, longitude) and make its login and
        bundle. A booth already registered is left exactly as it is: new credentials are
        `rotate`'s job."""
        check_booth_id(booth_id)
        may_make_login = False
        try:
            with self.sessions.begin() as session:
                if session.get(Booth, booth_id) is not None:
                    raise EnrolmentError(
                        f"booth {booth_id} is registered already; nothing changed: use rotate "
                        f"for new credentials (`ingest booth rotate {booth_id}`)"
                    )
                session.add(
                    Booth(
                        id=booth_id,
                        neighborhood=neighborhood,
                        location=location,
                        notes=notes,
                        lat=position[0] if position else None,
                        lon=position[1] if position else None,
                        created_at=datetime.now(UTC),
                        config_version=0,
                    )
                )
                session.flush()  # a clash with another `add` fails here, before the broker
                if self.admin is None:
                    return None
                # A login without a registry entry is left from an `add` that failed after
                # the broker step: it gets a new password, as in a rotation.
                leftover = self.admin.has_login(booth_id)
                may_make_login = not leftover
                return self._credentials(
                    booth_id, neighborhood, folder, renew=leftover, hardware=hardware
                )
        except BaseException:
            if may_make_login and self.admin is not None:
                self._take_back(booth_id)
            raise

    def rotate(self, booth_id: str, folder: Path, hardware: str | None = None) -> Bundle:
        """New credentials for a registered booth (a revoked one gets its login back);
        `hardware` replaces the bundle's hardware.toml, else the bundle keeps its own."""
        check_booth_id(booth_id)
        admin = self._admin()
        with self.sessions() as session:
            booth = session.get(Booth, booth_id)
            if booth is None:
                raise EnrolmentError(f"no booth {booth_id} in the registry (add it first)")
            neighborhood = booth.neighborhood
        renew = admin.has_login(booth_id)
        return self._credentials(booth_id, neighborhood, folder, renew=renew, hardware=hardware)

    def revoke(self, booth_id: str) -> bool:
        """Lock the booth out of the broker now, registered or not; False if it had no
        login."""
        check_booth_id(booth_id)
        return self._admin().revoke(booth_id)

    def remove(self, booth_id: str) -> Removed:
        """Revoke its login and drop it from the registry, both or neither (its clips
        stay). Done again, it finds nothing left to do."""
        # A registry row under a name of the service's own logins (made before such names
        # were refused) goes; the login of that name is the service's and stays.
        ours = reserved(booth_id)
        if not ours:
            check_booth_id(booth_id)
        with self.sessions.begin() as session:
            booth = session.get(Booth, booth_id)
            if booth is not None:
                session.delete(booth)
                session.flush()
            login = None if self.admin is None or ours else self.admin.revoke(booth_id)
        return Removed(registered=booth is not None, login=login)

    @classmethod
    def connect(cls, sessions: sessionmaker[Session], settings: IngestSettings) -> "_Connected":
        """`with Enrolment.connect(sessions, settings) as enrolment:` an admin connection
        to the broker for the block, if INGEST_BROKER_ADMIN_URL is set."""
        return _Connected(sessions, settings)

    def _take_back(self, booth_id: str) -> None:
        """Delete a login an `add` made (or may have made) before it failed."""
        assert self.admin is not None
        try:
            self.admin.revoke(booth_id)
        except BrokerAdminError:
            log.exception("booth %s: a login may be left without a registry entry", booth_id)

    def _admin(self) -> BrokerAdmin:
        if self.admin is None:
            raise EnrolmentError("no INGEST_BROKER_ADMIN_URL: booth logins are not managed here")
        return self.admin

    def _credentials(
        self,
        booth_id: str,
        neighborhood: str,
        folder: Path,
        *,
        renew: bool,
        hardware: str | None = None,
    ) -> Bundle:
        return issue_credentials(
            self._admin(),
            folder,
            booth_id,
            neighborhood,
            self.broker,
            self.ca_file,
            renew=renew,
            hardware=hardware,
        )


def broker_admin(settings: IngestSettings) -> BrokerAdmin | None:
    """The broker's admin as the settings name it, not yet connected; None if unset."""
    address = settings.admin_address()
    if address is None:
        return None
    return BrokerAdmin(address, ca_file=settings.mqtt_ca_file, topics=Topics(settings.topic_prefix))


class _Connected:
    def __init__(self, sessions: sessionmaker[Session], settings: IngestSettings) -> None:
        self._admin = broker_admin(settings)
        self._enrolment = Enrolment(sessions, None, settings.booth_broker(), settings.mqtt_ca_file)

    def __enter__(self) -> Enrolment:
        if self._admin is not None:
            self._enrolment.admin = self._admin.__enter__()
        return self._enrolment

    def __exit__(self, *exc: object) -> None:
        if self._admin is not None:
            self._admin.__exit__(None, None, None)


__all__ = ["BrokerAdminError", "Enrolment", "EnrolmentError", "Removed"]
