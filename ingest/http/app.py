"""The FastAPI application; heavy resources are made in its lifespan, never at import."""

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.routing import Match

from ingest import __version__
from ingest.http.deps import SignInThrottle
from ingest.http.guard import Guard, content_security_policy
from ingest.http.routes import (
    admin,
    booths,
    clips,
    export,
    health,
    me,
    neighborhoods,
    open_data,
    public,
    receipts,
    stats,
    themes,
    timeline,
)
from ingest.service import IngestService
from ingest.settings import IngestSettings
from ingest.store.queries import BadCursor, QueryError
from ingest.watchdog import Watchdog

WEB = Path(__file__).parent / "web"


def create_app(
    settings: IngestSettings,
    *,
    receive: bool = True,
    transcribe: bool = True,
    worker_process: bool = False,
    watchdog: Watchdog | None = None,
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = IngestService(
            settings,
            receive=receive,
            transcribe=transcribe,
            worker_process=worker_process,
            watchdog=watchdog,
        )
        # Start and stop block (threads, the worker child): off the event loop.
        await asyncio.to_thread(service.start)
        app.state.service = service
        try:
            yield
        finally:
            # uvicorn ends the process with the signal it caught once this returns.
            service.watchdog.stopping()
            await asyncio.to_thread(service.stop)

    app = FastAPI(
        title="Digital Neighborhood ingest",
        version=__version__,
        summary="What citizens said in the booths, transcribed, by neighborhood and theme.",
        lifespan=lifespan,
    )

    @app.exception_handler(405)
    async def method_not_allowed(request: Request, exc: Exception) -> Response:
        # Starlette names only the first route's methods; a path served by several routes
        # (GET and POST /api/themes) must list them all.
        allowed = sorted(
            method
            for route in app.router.routes
            if isinstance(route, APIRoute) and route.matches(request.scope)[0] is not Match.NONE
            for method in route.methods or ()
        )
        return JSONResponse(
            {"detail": "Method Not Allowed"}, status_code=405, headers={"Allow": ", ".join(allowed)}
        )

    @app.exception_handler(QueryError)
    async def bad_selection(_request: Request, exc: QueryError) -> Response:
        # The store says what is wrong; HTTP says how: a foreign cursor is a bad request,
        # a time out of range an invalid value, as FastAPI answers for other bad values.
        status = 400 if isinstance(exc, BadCursor) else 422
        return JSONResponse({"detail": str(exc)}, status_code=status)

    app.state.sign_in_throttle = SignInThrottle(settings.sign_in_failures_per_minute)
    app.add_middleware(
        Guard,
        max_body_bytes=settings.max_request_bytes,
        upload_path=re.compile(r"/api/themes/[^/]+/prompt"),
        max_upload_bytes=settings.max_prompt_bytes,
        csp=content_security_policy(
            sorted(WEB.glob("*.html")), neighborhoods.tile_origins(settings)
        ),
    )

    for module in (health, me, clips, stats, export, themes, booths, admin, public, open_data):
        app.include_router(module.router)
    app.include_router(timeline.router)
    app.include_router(themes.prompts)
    app.include_router(neighborhoods.router)
    app.include_router(receipts.router)
    app.include_router(neighborhoods.pages)  # the public page, "/"
    # Leaflet, put there at build time (deploy/tools/vendor-web.sh); absent, maps are lists.
    app.mount("/web/vendor", StaticFiles(directory=settings.web_vendor_dir, check_dir=False))

    @app.get("/web/pages.js", include_in_schema=False)
    def pages_script() -> Response:
        """What both pages share (ingest/http/web/pages.js)."""
        script = (WEB / "pages.js").read_text(encoding="utf-8")
        return Response(script, media_type="text/javascript")

    @app.get("/planner", response_class=HTMLResponse, include_in_schema=False)
    def planner() -> HTMLResponse:
        """The planners' console (its API calls need a token)."""
        return HTMLResponse((WEB / "planner.html").read_text(encoding="utf-8"))

    return app
