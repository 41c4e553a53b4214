"""The service's outer wall, as plain ASGI middleware in front of every route.

- A request that changes something under /api must carry a bearer token before a byte of
  its body is read; the token itself is checked by the route, but a 300 MB upload without
  one costs the server nothing.
- Bodies have a size limit, enforced from Content-Length and again while reading (a client
  may lie or send chunks): 413, never a full read first.
- Every response carries security headers; the pages' inline script and style are allowed
  by their hashes, nothing else inline runs.
- The access log names method, path and status, never the query string: search terms
  and filters are what people said.
"""

import base64
import hashlib
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
access_log = logging.getLogger("ingest.access")


def inline_hashes(pages: list[Path], tag: str) -> list[str]:
    """CSP sources for each inline <script> or <style> block of the pages."""
    sources = []
    for page in pages:
        for block in re.findall(rf"<{tag}>(.*?)</{tag}>", page.read_text("utf-8"), re.DOTALL):
            digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
            sources.append(f"'sha256-{digest}'")
    return sources


def content_security_policy(pages: list[Path], images: tuple[str, ...] = ()) -> str:
    """`images`: other origins pictures may come from (the map's tile server)."""
    scripts = " ".join(["'self'", *inline_hashes(pages, "script")])
    styles = " ".join(["'self'", *inline_hashes(pages, "style")])
    pictures = " ".join(["'self'", "data:", *images])
    return (
        f"default-src 'self'; script-src {scripts}; style-src {styles}; img-src {pictures}; "
        "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


class Guard:
    def __init__(
        self,
        app: App,
        *,
        max_body_bytes: int,
        upload_path: re.Pattern[str] | None = None,
        max_upload_bytes: int = 0,
        csp: str = "default-src 'self'",
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.upload_path = upload_path
        self.max_upload = max_upload_bytes
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
                access_log.info("%s %s %s", scope["method"], path, message["status"])
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        bearer = headers.get("authorization", "").lower().startswith("bearer ")
        if scope["method"] in _WRITES and path.startswith("/api/") and not bearer:
            await _answer(send_with_headers, 401, "a bearer token is required")
            return
        upload = self.upload_path is not None and self.upload_path.fullmatch(path)
        limit = self.max_upload if upload else self.max_body
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _answer(send_with_headers, 413, f"the body may be at most {limit} bytes")
            return
        received = 0
        started = cut_off = False

        async def counted_receive() -> Message:
            nonlocal received, cut_off
            if cut_off:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit and not started:
                    # Answer now and tell the app the client left, so it stops reading.
                    cut_off = True
                    await _answer(send_with_headers, 413, f"the body may be at most {limit} bytes")
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if cut_off:
                return  # the 413 was the answer
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        await self.app(scope, counted_receive, tracked_send)


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
