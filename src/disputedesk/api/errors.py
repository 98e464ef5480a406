"""Errors as RFC 9457 problem details (`application/problem+json`) with a `code` from the one
error vocabulary: the RULES error codes plus the API's own."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from disputedesk.services.commands import ServiceError

PROBLEM_JSON = "application/problem+json"

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

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        status = PRECONDITION_FAILED if exc.code == "precondition_failed" else None
        code = "conflict" if exc.code == "precondition_failed" else exc.code
        return problem(code, exc.message, status=status, instance=request.url.path)

    def _page(request: Request, status: int, code: str, detail: str) -> Response | None:
        """On a web desk path, the error as a page (the desk installs `page_for_error`)."""
        handler = getattr(request.app.state, "page_for_error", None)
        if handler is not None and request.url.path.startswith("/desk"):
            return handler(request, status, code, detail)
        return None

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
        as_page = _page(request, exc.status_code, code, str(exc.detail))
        if as_page is not None:
            return as_page
        return problem(
            code, str(exc.detail), instance=request.url.path, headers=getattr(exc, "headers", None)
        )
