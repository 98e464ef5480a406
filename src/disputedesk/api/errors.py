"""Errors as RFC 9457 problem details (`application/problem+json`) with a `code` from the one
error vocabulary: the RULES error codes plus the API's own."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from disputedesk.services.commands import ServiceError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("disputedesk.api")

# code -> (HTTP status, title)
CODES: dict[str, tuple[int, str]] = {
    "invalid_input": (422, "A field is missing or malformed"),
    "forbidden": (403, "This role may not do that"),
    "no_dispute": (409, "There is no open dispute to act on"),
    "dispute_open": (409, "A dispute is already open"),
    "invalid_state": (409, "Not possible in the current state"),
    "too_early": (409, "Too early"),
    "too_late": (409, "Too late"),
    "invalid_amount": (422, "The amount is not allowed"),
    "not_found": (404, "Not found"),
    "unauthorized": (401, "A valid bearer token is required"),
    "conflict": (409, "Conflict"),
    "payload_too_large": (413, "The upload is too large"),
    "unsupported_media_type": (415, "This type of file is not accepted"),
    "rate_limited": (429, "Too many requests"),
    "method_not_allowed": (405, "Method not allowed"),
    "internal_error": (500, "Internal error"),
}


# An If-Match that no longer matches is a `conflict` answered with 412 Precondition Failed.
PRECONDITION_FAILED = 412


class ApiError(Exception):
    def __init__(
        self,
        code: str,
        detail: str,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status
        self.headers = headers or {}
        self.extra = extra or {}


def problem(
    code: str,
    detail: str,
    *,
    status: int | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    default_status, title = CODES.get(code, (400, code))
    status = status or default_status
    body: dict[str, Any] = {
        "type": f"urn:disputedesk:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problem(
            exc.code,
            exc.detail,
            status=exc.status,
            instance=request.url.path,
            headers=exc.headers,
            extra=exc.extra,
        )

    def _page(request: Request, status: int, code: str, detail: str) -> Response | None:
        """On a web desk path, the error as a page (the desk installs `page_for_error`)."""
        handler = getattr(request.app.state, "page_for_error", None)
        if handler is not None and request.url.path.startswith("/desk"):
            return handler(request, status, code, detail)
        return None

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> Response:
        status = PRECONDITION_FAILED if exc.code == "precondition_failed" else None
        code = "conflict" if exc.code == "precondition_failed" else exc.code
        as_page = _page(request, status or CODES.get(code, (400, ""))[0], code, exc.message)
        if as_page is not None:
            return as_page
        return problem(code, exc.message, status=status, instance=request.url.path)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        """A uniqueness or reference the services did not foresee, met because a concurrent
        request got there first: a race, told as one."""
        log.warning("integrity error on %s %s: %s", request.method, request.url.path, exc.orig)
        detail = "it changed while you acted; reload and try again"
        return _page(request, 409, "conflict", detail) or problem(
            "conflict", detail, instance=request.url.path
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        """Anything else: a 500 with an id, logged with its traceback under that id, so an
        operator can find it; never a bare text page. (Starlette's outermost middleware calls
        this, then re-raises for the server's own log.)"""
        error_id = secrets.token_hex(8)
        log.error(
            "internal error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc
        )
        detail = f"an unexpected error; it was logged as {error_id}"
        as_page = _page(request, 500, "internal_error", detail)
        if as_page is not None:
            return as_page
        return problem(
            "internal_error", detail, instance=request.url.path, extra={"error_id": error_id}
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                "message": err.get("msg", ""),
            }
            for err in exc.errors()
        ]
        first = errors[0] if errors else {"field": "", "message": "invalid request"}
        as_page = _page(request, 422, "invalid_input", f"{first['field']}: {first['message']}")
        if as_page is not None:
            return as_page
        return problem(
            "invalid_input",
            f"{first['field']}: {first['message']}",
            instance=request.url.path,
            extra={"errors": errors},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {
            401: "unauthorized",
            404: "not_found",
            405: "method_not_allowed",
            413: "payload_too_large",
            415: "unsupported_media_type",
            429: "rate_limited",
        }.get(exc.status_code, "invalid_input")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        as_page = _page(request, exc.status_code, code, str(exc.detail))
        if as_page is not None:
            as_page.headers.update(headers)
            return as_page
        return problem(code, str(exc.detail), instance=request.url.path, headers=headers)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. (Starlette's 405 names only the methods of
    the first route that matched the path, e.g. `POST` for `/orders`, though `GET` is there too.)
    Asked of the routes themselves, through `matches`, the one interface every route has."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
