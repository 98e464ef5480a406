"""Arbitrators claim a case so that two of them never work one (`services.claims`): claim and
release from the queue or the case page. Intervening and ruling on a case another arbitrator
holds are refused on the case page (`services.permissions.check_command`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from disputedesk.services import claims, desk
from disputedesk.services.commands import ServiceError
from disputedesk.web import dispute_pages, words
from disputedesk.web.render import PageError, check_csrf, database, now_of, require_role, view_of
from disputedesk.web.staff_pages import refusal_words

router = APIRouter(prefix="/desk", include_in_schema=False)


def _back(next_path: str | None, dispute_id: str) -> str:
    if next_path and next_path.startswith("/desk/") and not next_path.startswith("//"):
        return next_path.split("#")[0]
    return f"/desk/disputes/{dispute_id}"


def _claim_or_release(
    request: Request, dispute_id: str, csrf_token: str, next_path: str | None, *, take: bool
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    require_role(view, "arbitrator", "admin")
    assert view.session is not None
    principal = view.session.principal
    db = database(request)
    try:
        case = desk.dispute_case(db, principal, dispute_id, now=view.now)
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None
    order_id = case.card.order.id
    try:
        if take:
            claims.claim(db, principal, order_id, case.seq, case.dispute, now=now_of(request))
        else:
            claims.release(db, principal, order_id, case.seq)
    except ServiceError as exc:
        message = refusal_words(view, exc) or words.service_error(
            exc.code, exc.message, locale=view.locale
        )
        status = 403 if exc.code == "forbidden" else 409
        # the case page, with the refusal in words and who holds the case
        return dispute_pages._dispute_page(request, view, dispute_id, error=message, status=status)
    target = _back(next_path, dispute_id)
    separator = "&" if "?" in target else "?"
    done = "claim_case" if take else "release_case"
    return RedirectResponse(f"{target}{separator}done={done}", 303)


@router.post("/disputes/{dispute_id}/claim")
def claim(
    request: Request,
    dispute_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    """The arbitrator takes the case; held by another, the refusal names who and since when."""
    return _claim_or_release(request, dispute_id, csrf_token, next, take=True)


@router.post("/disputes/{dispute_id}/release")
def release(
    request: Request,
    dispute_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    return _claim_or_release(request, dispute_id, csrf_token, next, take=False)
