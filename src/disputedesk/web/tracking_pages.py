"""The seller's manual tracking entry on the order page (`_tracking_entry.html`): the carrier
(picked or typed), what the carrier said, where and when. Stored through the same path as every
feed (`services.tracking`, source `manual`), once; refused input comes back with the form and the
reason; a stored entry redirects back to the order (Post/Redirect/Get)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from disputedesk.services import desk
from disputedesk.services.commands import ServiceError
from disputedesk.services.tracking import EventError, check_event, ingest
from disputedesk.web import desk_pages, words
from disputedesk.web.render import PageError, View, check_csrf, database, require_role, view_of

router = APIRouter(prefix="/desk", include_in_schema=False)
FORM_STATE = "tracking_form"  # the refused form, in the request's state, for the template
# How far ahead of the desk's clock an entry may be (a carrier's clock, a seller's typing).
FUTURE_SLACK = timedelta(hours=1)


def _instant(text: str, view: View) -> datetime | None:
    """A `datetime-local` value ("2026-03-05T14:30") in the reader's time zone."""
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            local = datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return local.replace(tzinfo=ZoneInfo(view.time_zone))
    return None


def _refuse(request: Request, view: View, order_id: str, form: dict[str, str], reason: str) -> Any:
    setattr(request.state, FORM_STATE, {**form, "error": reason})
    return desk_pages._order_page(request, view, order_id, error=reason, status=422)


@router.post("/orders/{order_id}/tracking")
def add_tracking(
    request: Request,
    order_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    carrier: Annotated[str, Form(max_length=100)] = "",
    description: Annotated[str, Form(max_length=2000)] = "",
    place: Annotated[str, Form(max_length=200)] = "",
    at: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    require_role(view, "seller")
    assert view.session is not None
    db = database(request)
    try:
        card = desk.order_card(db, view.session.principal, order_id)
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None
    order = card.order
    form = {"carrier": carrier, "description": description, "place": place, "at": at}
    if not order.tracking_number:
        return _refuse(request, view, order_id, form, view.t("tracking_entry.not_shipped"))
    name = carrier.strip() or order.carrier or ""
    if not description.strip():
        return _refuse(request, view, order_id, form, view.t("tracking_entry.need_description"))
    if not name:
        return _refuse(request, view, order_id, form, view.t("tracking_entry.need_carrier"))
    when = _instant(at, view)
    if when is None:
        return _refuse(request, view, order_id, form, view.t("tracking_entry.bad_at"))
    now = request.app.state.clock()
    if when > now + FUTURE_SLACK:
        reason = view.t("tracking_entry.future_at", now=view.when(now))
        return _refuse(request, view, order_id, form, reason)
    fields = {
        "description": description.strip(),
        "carrier": name,
        "at": when.isoformat(timespec="seconds"),
        "location": place.strip() or None,
        "tracking_number": order.tracking_number,
    }
    try:
        event = check_event(fields, payload={**form, "time_zone": view.time_zone})
    except EventError as exc:
        reason = words.service_error("invalid_input", str(exc), locale=view.locale)
        return _refuse(request, view, order_id, form, reason)
    report = ingest(db, order_id, [event], source="manual", now=now)
    done = "add_tracking" if report.stored else "tracking_already"
    return RedirectResponse(f"/desk/orders/{order_id}?done={done}#tracking-entry", 303)
