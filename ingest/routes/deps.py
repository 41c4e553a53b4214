"""Dependencies shared by the routes."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from ingest.service import IngestService


def get_service(request: Request) -> IngestService:
    service: IngestService = request.app.state.service
    return service


def get_session(service: Annotated[IngestService, Depends(get_service)]) -> Iterator[Session]:
    with service.sessions() as session:
        yield session


ServiceDep = Annotated[IngestService, Depends(get_service)]
SessionDep = Annotated[Session, Depends(get_session)]
