"""The FastAPI application; heavy resources are made in its lifespan, never at import."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from ingest import __version__
from ingest.routes import clips, health
from ingest.service import IngestService
from ingest.settings import IngestSettings

WEB = Path(__file__).parent / "web"


def create_app(
    settings: IngestSettings, *, receive: bool = True, transcribe: bool = True
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = IngestService(settings, receive=receive, transcribe=transcribe)
        service.start()
        app.state.service = service
        try:
            yield
        finally:
            service.stop()

    app = FastAPI(
        title="Digital Neighborhood ingest",
        version=__version__,
        summary="What citizens said in the booths, transcribed, by neighborhood and theme.",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(clips.router)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse((WEB / "index.html").read_text(encoding="utf-8"))

    return app
