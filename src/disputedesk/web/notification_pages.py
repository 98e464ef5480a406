"""Messages in the web desk (issue 13), everyone's side: the notification list with its unread
count (`/desk/notifications`; the header's bell counts them), mark one or all read; the
person's own settings (`/desk/me`: the language and time zone of the pages and of what is sent
to them, the channels they want nothing on); and for the operator, the email the demo's mail
server caught (`/desk/operator/mail`) beside the email delivery log."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from disputedesk.messaging import languages
from disputedesk.messaging.settings import CHANNELS
from disputedesk.rules.instants import parse_instant
from disputedesk.services import messaging
from disputedesk.services.commands import ServiceError
from disputedesk.services.sessions import LOCALES, set_preferences
from disputedesk.store import tables as t
from disputedesk.web import messaging_words as mw
from disputedesk.web import words
from disputedesk.web.messaging_pages import delivery_rows
from disputedesk.web.render import (
    TIME_ZONES,
    PageError,
    View,
    check_csrf,
    database,
    page,
    require_role,
    view_of,
)

router = APIRouter(prefix="/desk", include_in_schema=False)
PAGE = 50
MAX_OFFSET = 1_000_000
# Notices about a dispute link to the dispute; the others to the order.
DISPUTE_KINDS = ("dispute_opened", "plan_proposed", "return_shipped")
# The channels a person opts out of (webhooks go to a store's systems, not to a person).
PERSONAL_CHANNELS = ("in_app", "email")


def _latest_disputes(request: Request, order_ids: set[str]) -> dict[str, int]:
    if not order_ids:
        return {}
    d = t.disputes
    with database(request).engine.connect() as conn:
        return dict(
            conn.execute(
                select(d.c.order_id, func.max(d.c.seq))
                .where(d.c.order_id.in_(order_ids))
                .group_by(d.c.order_id)
            ).all()
        )


def _link(item: dict[str, Any], disputes: dict[str, int]) -> str:
    kind = str(item["kind"])
    seq = disputes.get(item["order_id"])
    about_dispute = kind in DISPUTE_KINDS or kind.startswith("reminder.")
    if about_dispute and seq is not None:
        return f"/desk/disputes/{item['order_id']}-D{seq}"
    return f"/desk/orders/{item['order_id']}"


@router.get("/notifications")
def notifications(request: Request, offset: int = 0, unread: int = 0) -> HTMLResponse:
    """The reader's notifications, newest first, each linking to its order or dispute."""
    view = view_of(request)
    assert view.session is not None
    offset = min(max(offset, 0), MAX_OFFSET)
    found = messaging.notifications_of(
        database(request),
        view.session.principal.user_id,
        unread_only=bool(unread),
        limit=PAGE + 1,
        offset=offset,
    )
    items = found["items"][:PAGE]
    disputes = _latest_disputes(request, {i["order_id"] for i in items})
    rows = [
        {
            **item,
            "kind_text": mw.kind_words(view, item["kind"]),
            "at": parse_instant(item["created_at"]),
            "link": _link(item, disputes),
        }
        for item in items
    ]
    params = {"unread": "1"} if unread else {}
    return page(
        view,
        "notifications.html",
        rows=rows,
        unread=found["unread"],
        unread_only=bool(unread),
        offset=offset,
        has_more=len(found["items"]) > PAGE,
        query_next=urlencode({**params, "offset": offset + PAGE}),
        query_prev=urlencode({**params, "offset": max(0, offset - PAGE)}),
        done=view.done(),
    )


@router.post("/notifications/read-all")
def read_all(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    assert view.session is not None
    messaging.mark_all_read(
        database(request), view.session.principal.user_id, request.app.state.clock()
    )
    return RedirectResponse("/desk/notifications?done=read_all_notifications", 303)


@router.post("/notifications/{notification_id}/read")
def read_one(
    request: Request,
    notification_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    assert view.session is not None
    number = int(notification_id) if notification_id.isascii() and notification_id.isdigit() else 0
    if not 1 <= number < 2**63:
        raise PageError(404, "error.not_found", "not_found", f"notification {notification_id}")
    try:
        messaging.mark_read(
            database(request), view.session.principal.user_id, number, request.app.state.clock()
        )
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None
    if next.startswith("/desk/") and not next.startswith("//"):
        return RedirectResponse(next, 303)  # "Open": read, then the order or the dispute
    return RedirectResponse("/desk/notifications?done=read_notification", 303)


# -- the person's own settings ------------------------------------------------------------------


def _me_page(
    request: Request,
    view: View,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    assert view.session is not None
    current = messaging.preferences_of(database(request), view.session.principal)
    if form is None:
        form = {
            "language": current["language"] or "",
            "time_zone": current["time_zone"] or "",
            "opted_out": current["opted_out"],
        }
    zones = list(TIME_ZONES)
    if form["time_zone"] and form["time_zone"] not in zones:
        zones.append(form["time_zone"])
    return page(
        view,
        "me.html",
        status=status,
        form=form,
        errors=errors or {},
        message_languages=mw.language_choices(view.locale),
        zones=zones,
        channels=PERSONAL_CHANNELS,
        mw=mw,
        done=view.done(),
    )


@router.get("/me")
def me(request: Request) -> HTMLResponse:
    view = view_of(request)
    return _me_page(request, view)


@router.post("/me")
def save_me(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    language: Annotated[str, Form(max_length=16)] = "",
    time_zone: Annotated[str, Form(max_length=64)] = "",
    opted_out: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """The language and time zone the desk's pages and messages use for this person (their
    setting wins over the browser's), and the channels they want nothing on."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    assert view.session is not None
    db = database(request)
    chosen = [c for c in CHANNELS if c in (opted_out or [])]
    form = {"language": language, "time_zone": time_zone.strip(), "opted_out": chosen}
    errors: dict[str, str] = {}
    if language and languages.normalize(language) is None:
        errors["language"] = view.t("msg.check.language")
    if form["time_zone"] and languages.valid_zone(form["time_zone"]) is None:
        errors["time_zone"] = view.t("msg.check.time_zone", value=form["time_zone"])
    if errors:
        return _me_page(request, view, form=form, errors=errors, status=422)
    current = messaging.preferences_of(db, view.session.principal)
    kept = [c for c in current["opted_out"] if c not in PERSONAL_CHANNELS]  # set elsewhere
    try:
        messaging.save_preferences(
            db,
            view.session.principal,
            language=languages.normalize(language) if language else None,
            time_zone=form["time_zone"] or None,
            opted_out=sorted({*chosen, *kept}),
            now=request.app.state.clock(),
        )
    except ServiceError as exc:
        message = words.service_error(exc.code, exc.message, locale=view.locale)
        return _me_page(request, view, form=form, errors={"form": message}, status=422)
    # the pages follow at once (the session's language, when the desk speaks it, and zone)
    desk_language = languages.normalize(language) if language else None
    set_preferences(
        db,
        view.session.id,
        locale=desk_language if desk_language in LOCALES else None,
        time_zone=form["time_zone"] or None,
    )
    return RedirectResponse("/desk/me?done=save_me", 303)


# -- the operator: the email the demo caught ----------------------------------------------------


@router.get("/operator/mail")
def operator_mail(request: Request) -> HTMLResponse:
    """Every email the demo's mail server caught, newest first (from, to, subject, date, the
    headers with List-Unsubscribe, the body); and the email delivery log of every store."""
    view = view_of(request)
    require_role(view, "admin")
    mailbox = getattr(request.app.state, "demo_mailbox", None)
    captured = mailbox.messages(limit=200) if mailbox is not None else []
    log = messaging.sent_mail(database(request), limit=PAGE)
    return page(
        view,
        "messaging_mail.html",
        mailbox=mailbox,
        captured=captured,
        address=getattr(request.app.state, "demo_mail_address", ""),
        rows=delivery_rows(view, request, log),
        mw=mw,
        error="",
    )
