"""The first thing every request meets, before authentication and before any middleware reads
a body: the request's size and its address.

- **Size.** A body may be at most `max_body_bytes` (1 MB: JSON, desk forms), or, for a multipart
  upload, the evidence limit per file the form may carry plus room for the form's other fields.
  A `Content-Length` over the limit is refused at once, without reading a byte; a body without
  one (chunked) is counted while it streams and refused as soon as the count passes the limit.
  Either way the answer is `413 payload_too_large` (problem+json, or a page on the desk), and the
  server never holds more than one chunk of an oversized body.
- **Address.** A NUL character in the path or the query string is `invalid_input`: no id or
  filter can contain one, and PostgreSQL could not even compare it.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from disputedesk.api.errors import problem

# Room for a multipart form's boundaries, part headers and text fields around its files.
FORM_OVERHEAD = 256 * 1024
# Forms that carry several files (the desk's "Open a dispute" with its photos); one otherwise.
MULTI_FILE_FORMS = (re.compile(r"^/desk/orders/[^/]+/open-dispute$"),)


class RequestTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit. An HTTPException, so that
    FastAPI's body reading re-raises it (rather than calling it a parse error) and the app's
    handler answers 413 in the request's own form (problem+json or a desk page)."""

    def __init__(self, limit: int) -> None:
        # Closing after the answer: the server then stops reading the rest of the body.
        super().__init__(413, too_large_detail(limit), headers={"Connection": "close"})


def too_large_detail(limit: int) -> str:
    return f"the request body may be at most {human_bytes(limit)}"


def human_bytes(size: int) -> str:
    """20971520 -> "20 MB"; 1048576 -> "1 MB"; 300000 -> "293 KB"; 512 -> "512 bytes"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            shown = f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}"
            return f"{shown} {unit}"
    return f"{size} bytes"


class RequestEdge:
    """ASGI middleware; installed outermost (after every other `add_middleware`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def limit_for(self, scope: Scope, headers: Headers) -> int:
        settings = scope["app"].state.settings
        content_type = headers.get("content-type", "").lower()
        if not content_type.startswith("multipart/"):
            return int(settings.max_body_bytes)
        files = 1
        if any(p.match(scope["path"]) for p in MULTI_FILE_FORMS):
            files = max(1, int(settings.max_files_per_form))
        return int(settings.max_upload_bytes) * files + FORM_OVERHEAD * files

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if "\x00" in scope["path"] or b"%00" in query or b"\x00" in query:
            await self._refuse(scope, send, 422, "invalid_input", "the address contains a NUL")
            return
        headers = Headers(scope=scope)
        limit = self.limit_for(scope, headers)
        declared = headers.get("content-length", "").strip()
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, send, 413, "payload_too_large", too_large_detail(limit))
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except RequestTooLarge as exc:  # raised outside the app's handlers (a middleware read)
            if started:
                raise
            await self._refuse(scope, send, 413, "payload_too_large", str(exc.detail))

    async def _refuse(self, scope: Scope, send: Send, status: int, code: str, detail: str) -> None:
        """The refusal as the app's handlers would write it: a page on the desk, else a problem.
        The request's body is never read (a desk page is rendered from the cookies alone)."""
        request = Request(scope)
        page = getattr(scope["app"].state, "page_for_error", None)
        if page is not None and (scope["path"] == "/desk" or scope["path"].startswith("/desk/")):
            response = page(request, status, code, detail)
        else:
            response = problem(code, detail, status=status, instance=_printable(scope["path"]))
        response.headers["Connection"] = "close"  # the unread body must not be taken as a request
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def _printable(path: str) -> str:
    return path.replace("\x00", "\\x00")
