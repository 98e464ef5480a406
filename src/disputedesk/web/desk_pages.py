"""The lists and the order pages: the seller's dispute inbox and orders, the buyer's orders and
"Open a dispute", the arbitrator's queue; order actions (ship, extend, confirm receipt) and the
order's message thread."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from disputedesk.api.errors import CODES
from disputedesk.messaging.languages import normalize as normalize_language
from disputedesk.rules.lifecycle import dispute_window
from disputedesk.rules.policy import MAX_DAYS
from disputedesk.rules.vocabulary import REASONS, DisputeStatus, OrderStatus, reason_category
from disputedesk.services import (
    claims,
    commands,
    desk,
    evidence_files,
    malicious,
    messages,
    permissions,
    shipment_watch,
)
from disputedesk.services.commands import ServiceError
from disputedesk.web import uploads, words
from disputedesk.web.messaging_pages import reply_box
from disputedesk.web.metrics_pages import metric_banner
from disputedesk.web.render import (
    PageError,
    View,
    check_csrf,
    confirm_page,
    database,
    page,
    require_role,
    view_of,
)
from disputedesk.web.staff_pages import refusal_words
from disputedesk.web.store_pages import search_of
from disputedesk.web.tracking_words import TrackingWords
from disputedesk.web.uploads import upload_limit_text

router = APIRouter(prefix="/desk", include_in_schema=False)
PAGE_SIZE = 50
# far beyond any list, and well inside the 64-bit OFFSET both databases take (a larger number
# is refused as a page, where it used to overflow the database driver: a 500)
MAX_OFFSET = 1_000_000_000
Offset = Annotated[int, Query(le=MAX_OFFSET)]
OPEN_AMOUNT_LIMIT = 40  # characters: more than any amount, so a longer one is a mistake


def whole_number(text: str, low: int, high: int) -> int | None:
    """A whole number typed in a form, or None: ASCII digits only (`str.isdigit` also takes
    "²", which `int` then refuses, and other scripts' digits, which it reads), from `low` to
    `high`."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None


def _pager(request: Request, offset: int, count: int) -> dict[str, Any]:
    params = {k: v for k, v in request.query_params.items() if k != "offset" and v}
    return {
        "offset": offset,
        "has_more": count > PAGE_SIZE,
        "query_next": urlencode({**params, "offset": offset + PAGE_SIZE}),
        "query_prev": urlencode({**params, "offset": max(0, offset - PAGE_SIZE)}),
    }


@router.get("/inbox")
def inbox(
    request: Request,
    status: str | None = None,
    reason: str | None = None,
    country: str | None = None,
    carrier: str | None = None,
    open_only: str | None = None,
    q: str | None = None,
    offset: Offset = 0,
    cursor: Annotated[str | None, Query(max_length=desk.MAX_CURSOR_CHARS)] = None,
    before: Annotated[str | None, Query(max_length=desk.MAX_CURSOR_CHARS)] = None,
) -> HTMLResponse:
    """Disputes by next deadline: the seller's inbox, the buyer's "Dispute management". Paged
    by cursor (`cursor`: the rows after a position, `before`: the page before one; a deep page
    costs what the first does); `offset`, from older links, still works."""
    view = view_of(request)
    require_role(view, "seller", "buyer", "admin")
    assert view.session is not None
    search, search_error = search_of(view, q)
    filters = desk.DisputeFilters(
        status=status or None,
        reason=reason or None,
        country=country or None,
        carrier=carrier or None,
        open_only=bool(open_only),
        search=search,
    )
    db = database(request)
    offset = max(0, offset)
    try:
        lines = desk.list_disputes(
            db,
            view.session.principal,
            filters,
            limit=PAGE_SIZE + 1,
            offset=offset if cursor is None and before is None else 0,
            after=cursor or None,
            before=None if cursor else before or None,
        )
    except ServiceError as exc:
        raise PageError(400, "error.title", "invalid_input", exc.message) from None
    pager = _keyset_pager(request, lines, offset, after=bool(cursor), before=bool(before))
    lines = pager.pop("lines")
    first_page = offset == 0 and not cursor and not before
    alerts, more_alerts = _alerts(db, view) if first_page else ([], 0)
    unread = messages.unread_counts(  # each dispute's unread messages (its order's thread)
        db, view.session.principal, [line.order_id for line in lines[:PAGE_SIZE]]
    )
    return page(
        view,
        "inbox.html",
        unread=unread,
        title_key="nav.my_disputes" if view.role == "buyer" else "inbox.title",
        lines=lines,
        filters=filters,
        statuses=[s.value for s in DisputeStatus],
        reasons=list(REASONS),
        choices=desk.filter_choices(db, view.session.principal),
        alerts=alerts,
        more_alerts=more_alerts,
        **metric_banner(db, view),  # red-line warnings (issue 14)
        search_error=search_error,
        done=view.done(),
        **pager,
    )


def _keyset_pager(
    request: Request, lines: list[desk.DisputeLine], offset: int, *, after: bool, before: bool
) -> dict[str, Any]:
    """The page's lines (of the `PAGE_SIZE + 1` read: the extra one says there is more that
    way) and its links, each a cursor: the next page after its last line, the previous one
    before its first, and the first page."""
    params = {
        k: v
        for k, v in request.query_params.items()
        if k not in ("offset", "cursor", "before") and v
    }
    if before and not after:  # read backwards: the extra line, if any, is the earliest
        has_prev, has_more = len(lines) > PAGE_SIZE, True
        lines = lines[-PAGE_SIZE:]
    else:
        has_prev, has_more = after or offset > 0, len(lines) > PAGE_SIZE
        lines = lines[:PAGE_SIZE]
    return {
        "lines": lines,
        "not_first": after or before or offset > 0,
        "has_prev": has_prev and bool(lines),
        "has_more": has_more and bool(lines),
        "query_first": urlencode(params),
        "query_next": urlencode({**params, "cursor": lines[-1].cursor}) if lines else "",
        "query_prev": urlencode({**params, "before": lines[0].cursor}) if lines else "",
    }


ALERTS_SHOWN = 50


def _alerts(db: Any, view: View) -> tuple[list[Any], int]:
    """The open shipment alerts of the seller's stores, newest first, in words; and how many
    more are open than are shown. An alert about a deadline since extended (or an order no
    longer shipped) waits for the watch to resolve it and is not offered again."""
    assert view.session is not None
    stores = list(view.session.principal.stores) if view.role == "seller" else []
    if not stores:
        return [], 0
    stored = shipment_watch.list_alerts(db, stores, open_only=True, limit=ALERTS_SHOWN)
    current = [a for a in stored if a.is_current]
    words_ = TrackingWords(view)
    shown = [words_.alert(a) for a in current]
    more = max(0, shipment_watch.count_open(db, stores) - len(stored))
    return shown, more


@router.post("/alerts/{alert_id}/dismiss")
def dismiss_alert(
    request: Request,
    alert_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Staff dismiss one of their stores' shipment alerts; back to the inbox."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    require_role(view, "seller")
    assert view.session is not None
    number = whole_number(alert_id, 1, 2**63 - 1)
    stores = list(view.session.principal.stores)
    try:
        if number is None:
            raise ServiceError("not_found", f"alert {alert_id!r} not found")
        shipment_watch.dismiss(database(request), stores, number, request.app.state.clock())
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None
    return RedirectResponse("/desk/inbox?done=dismiss_alert#alerts", 303)


@router.get("/queue")
def queue(
    request: Request,
    reason: str | None = None,
    country: str | None = None,
    overdue: str | None = None,
    claimed: str | None = None,
) -> HTMLResponse:
    """Escalated cases, by intervention due time; overdue ones highlighted. Filters: reason,
    country, overdue only, and who holds them (mine, nobody's); each with who holds it."""
    view = view_of(request)
    require_role(view, "arbitrator", "admin")
    assert view.session is not None
    db = database(request)
    principal = view.session.principal
    filters = desk.DisputeFilters(
        reason=reason or None,
        country=country or None,
        open_only=True,
        escalated_only=True,
        overdue_at=view.now if overdue else None,
    )
    lines = desk.list_disputes(db, principal, filters, sort="intervention", limit=500)
    held = claims.holders(db, [(line.order_id, line.seq) for line in lines])
    if claimed == "mine":
        lines = [x for x in lines if (c := held.get((x.order_id, x.seq))) and c.held_by(principal)]
    elif claimed == "nobody":
        lines = [x for x in lines if (x.order_id, x.seq) not in held]
    working_days = lines[0].policy.platform_intervention_working_days if lines else 2
    return page(
        view,
        "queue.html",
        lines=lines,
        working_days=working_days,
        filters=filters,
        overdue=bool(overdue),
        claimed=claimed or "",
        held=held,
        flags=malicious.buyer_flags_of_orders(db, [x.order_id for x in lines]),  # issue 14
        reasons=list(REASONS),
        choices=desk.filter_choices(db, principal),
        done=view.done(),
    )


@router.get("/orders")
def orders(
    request: Request,
    status: str | None = None,
    country: str | None = None,
    carrier: str | None = None,
    q: str | None = None,
    offset: Offset = 0,
) -> HTMLResponse:
    view = view_of(request)
    require_role(view, "seller", "buyer", "admin")
    assert view.session is not None
    search, search_error = search_of(view, q)
    filters = desk.OrderFilters(
        status=status or None, country=country or None, carrier=carrier or None, search=search
    )
    db = database(request)
    offset = max(0, offset)
    cards = desk.list_orders(
        db, view.session.principal, filters, limit=PAGE_SIZE + 1, offset=offset
    )
    return page(
        view,
        "orders.html",
        title_key="my_orders.title" if view.role == "buyer" else "orders.title",
        cards=cards[:PAGE_SIZE],
        offers={card.order.id: view.offers(card) for card in cards[:PAGE_SIZE]},
        filters=filters,
        order_statuses=[s.value for s in OrderStatus],
        choices=desk.filter_choices(db, view.session.principal),
        search_error=search_error,
        done=view.done(),
        **_pager(request, offset, len(cards)),
    )


def _order_page(
    request: Request, view: View, order_id: str, *, error: str = "", status: int = 200
) -> HTMLResponse:
    assert view.session is not None
    db = database(request)
    try:
        card, events, thread = desk.order_page(db, view.session.principal, order_id, now=view.now)
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None
    if thread:  # the reader opened the thread: read up to its last message
        messages.mark_read(db, view.session.principal, order_id, thread[-1].id, now=view.now)
    return page(
        view,
        "order.html",
        upload_limit=upload_limit_text(request),
        status=status,
        card=card,
        error=error,
        messages=thread,
        can_write=desk.may_write(view.session.principal),
        replies=reply_box(request, view, order_id, card.store_id),  # issue 13: staff only
        disputes=desk.openable_disputes(view.session.principal, card),
        offers=view.offers(card),
        tracking=[e for e in events if e.action in desk.TRACKING_ACTIONS],
        tw=TrackingWords(view),
        done=view.done(),
    )


def _card(db: Any, view: View, order_id: str) -> desk.OrderCard:
    assert view.session is not None
    try:
        return desk.order_card(db, view.session.principal, order_id)
    except ServiceError as exc:
        raise PageError(404, "error.not_found", "not_found", exc.message) from None


@router.get("/orders/{order_id}")
def order(request: Request, order_id: str) -> HTMLResponse:
    return _order_page(request, view_of(request), order_id)


def refusal_status(code: str) -> int:
    return CODES.get(code, (409, ""))[0]


def _order_command(
    request: Request,
    order_id: str,
    csrf_token: str,
    action: str,
    fields: dict[str, Any],
    *,
    roles: tuple[str, ...],
    next_path: str | None = None,
    seen: int | None = None,
) -> Response:
    """`seen`: the order's log as the form's page showed it; a form sent again after it did
    its work (a double click) is told so, not refused as somebody else's change."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    require_role(view, *roles)
    assert view.session is not None
    db = database(request)
    card = _card(db, view, order_id)
    actor = str(view.role)
    twice = f"/desk/orders/{order_id}?already={action}"
    try:
        permissions.check_command(  # the store's staff: a suspended store refuses (the API's too)
            db, view.session.principal, order_id, None, action, fields, None
        )
        result = commands.execute(
            db,
            order_id,
            actor,
            action,
            fields,
            request.app.state.clock(),
            live=True,
            **permissions.performer(view.session.principal),
        )
    except ServiceError as exc:
        if seen is not None and desk.already_done(db, order_id, seen, actor, action):
            return RedirectResponse(twice, 303)
        message = refusal_words(view, exc) or words.service_error(
            exc.code, exc.message, locale=view.locale
        )
        return _order_page(request, view, order_id, error=message, status=refusal_status(exc.code))
    if result.refusal is not None:
        if seen is not None and desk.already_done(db, order_id, seen, actor, action):
            return RedirectResponse(twice, 303)
        message = view.refusal(result.refusal, card.order.currency)
        return _order_page(
            request,
            view,
            order_id,
            error=message,
            status=refusal_status(result.refusal.code.value),
        )
    target = next_path if next_path and next_path.startswith("/desk/") else None
    target = target or f"/desk/orders/{order_id}"
    separator = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{separator}done={action}", 303)


@router.post("/orders/{order_id}/ship")
def ship(
    request: Request,
    order_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    carrier: Annotated[str, Form(max_length=100)] = "",
    tracking_number: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    fields = {"carrier": carrier, "tracking_number": tracking_number}
    return _order_command(request, order_id, csrf_token, "ship", fields, roles=("seller",))


@router.post("/orders/{order_id}/extend-delivery")
def extend_delivery(
    request: Request,
    order_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    days: Annotated[str, Form(max_length=40)] = "",
    next: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    number = whole_number(days, 1, MAX_DAYS)
    if number is None:
        # the core takes any positive integer (its policy caps the sum, at most MAX_DAYS):
        # the form takes ASCII digits up to that, and says so in the page's usual words
        view = view_of(request)
        check_csrf(view, csrf_token)
        require_role(view, "seller")
        detail = f"days: a whole number from 1 to {MAX_DAYS}"
        message = words.service_error("invalid_input", detail, locale=view.locale)
        return _order_page(request, view, order_id, error=message, status=422)
    return _order_command(
        request,
        order_id,
        csrf_token,
        "extend_delivery",
        {"days": number},
        roles=("seller",),
        next_path=next,
    )


@router.get("/orders/{order_id}/confirm-receipt")
def confirm_receipt_step(request: Request, order_id: str) -> Response:
    """Confirming receipt cannot be undone: its button leads here first (no JavaScript)."""
    view = view_of(request)
    require_role(view, "buyer")
    card = _card(database(request), view, order_id)
    if not view.offers(card).allows("confirm_receipt"):
        return RedirectResponse(f"/desk/orders/{order_id}", 303)
    return _confirm_receipt_page(view, card)


def _confirm_receipt_page(view: View, card: desk.OrderCard) -> HTMLResponse:
    return confirm_page(
        view,
        sentences=[view.t("confirm.confirm_receipt")],
        action_url=f"/desk/orders/{card.order.id}/confirm-receipt",
        back_url=f"/desk/orders/{card.order.id}",
        label=view.t("order.confirm_receipt"),
        fields={"seen": str(card.event_seq)},
    )


@router.post("/orders/{order_id}/confirm-receipt")
def confirm_receipt(
    request: Request,
    order_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
    seen: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    if confirm != "yes":  # sent without its confirmation step: that step first
        view = view_of(request)
        check_csrf(view, csrf_token)
        require_role(view, "buyer")
        return _confirm_receipt_page(view, _card(database(request), view, order_id))
    return _order_command(
        request,
        order_id,
        csrf_token,
        "confirm_receipt",
        {},
        roles=("buyer",),
        seen=whole_number(seen, 0, 2**31 - 1),
    )


@router.post("/orders/{order_id}/messages")
def post_message(
    request: Request,
    order_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    body: Annotated[str, Form(max_length=10000)] = "",
    next: Annotated[str | None, Form(max_length=2000)] = None,
    file: Annotated[UploadFile | None, File()] = None,
    language: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """A message, with an image or a PDF if one is chosen (the evidence checks and limit);
    `language`: the language it is written in, when a suggested reply was used (issue 13)."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    assert view.session is not None
    db = database(request)
    _card(db, view, order_id)  # visible at all (an arbitrator's: while its dispute is escalated)
    if not desk.may_write(view.session.principal):
        raise PageError(403, "error.forbidden", "forbidden")
    settings = request.app.state.settings
    chosen = file if file is not None and (file.filename or file.size) else None
    try:
        messages.post_message(
            db,
            order_id,
            sender_role=str(view.role),
            body=body,
            sender_name=view.session.principal.name,
            locale=normalize_language(language) or view.locale,
            at=request.app.state.clock(),
            file=chosen.file if chosen is not None else None,
            filename=chosen.filename if chosen is not None else None,
            data_dir=settings.data_dir,
            limit=settings.max_upload_bytes,
        )
    except ServiceError as exc:
        message = message_refusal(view, exc, request)
        return _order_page(request, view, order_id, error=message, status=refusal_status(exc.code))
    target = next if next and next.startswith("/desk/") else f"/desk/orders/{order_id}"
    return RedirectResponse(f"{target.split('?')[0]}?done=send_message#messages", 303)


def message_refusal(view: View, exc: ServiceError, request: Request) -> str:
    """Why a message was not sent, in the reader's words (its file: the evidence limits)."""
    if exc.code == "unsupported_media_type":
        return view.t("thread.file_type")
    if exc.code == "payload_too_large":
        return view.t("thread.file_too_large", limit=upload_limit_text(request))
    if exc.code == "invalid_input" and "empty" in exc.message:
        return view.t("thread.empty")
    return words.service_error(exc.code, exc.message, locale=view.locale)


@router.get("/message-attachments/{attachment_id}")
def message_attachment(request: Request, attachment_id: str) -> Response:
    """A message's file, for whoever sees its thread: an attachment under a safe name, never
    sniffed, never cached (as evidence files)."""
    view = view_of(request)
    assert view.session is not None
    number = whole_number(attachment_id, 1, messages.MAX_ID)
    found = (
        messages.attachment_for(database(request), view.session.principal, number)
        if number is not None
        else None
    )
    if found is None:
        raise PageError(404, "error.not_found", "not_found", f"attachment {attachment_id}")
    path = evidence_files.path_of(request.app.state.settings.data_dir, found.sha256)
    if not path.exists():
        raise PageError(404, "error.not_found", "not_found", f"attachment {attachment_id}")
    return FileResponse(
        path,
        media_type=evidence_files.sendable_type(found.content_type),
        filename=found.display_name,
        headers=evidence_files.DOWNLOAD_HEADERS,
    )


# -- Open a dispute (buyer) ---------------------------------------------------------------------


def _reason_groups() -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for reason in REASONS:
        groups.setdefault(reason_category(reason), []).append(reason)
    return list(groups.items())


def _open_form(
    request: Request,
    view: View,
    card: desk.OrderCard,
    *,
    form: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    earliest, latest = dispute_window(card.order, card.policy)
    return page(
        view,
        "open_dispute.html",
        status=status,
        card=card,
        offers=view.offers(card),
        error=error,
        form=form
        or {
            "reason": "",
            "goods_received": "",
            "note": "",
            "link": "",
            "plan_type": "",
            "amount": "",
        },
        reason_groups=_reason_groups(),
        window_earliest=earliest,
        window_latest=latest,
        upload_limit=upload_limit_text(request),
        done=None,
    )


@router.get("/orders/{order_id}/open-dispute")
def open_dispute_form(request: Request, order_id: str) -> HTMLResponse:
    view = view_of(request)
    require_role(view, "buyer")
    return _open_form(request, view, _card(database(request), view, order_id))


@router.post("/orders/{order_id}/open-dispute")
def open_dispute(
    request: Request,
    order_id: str,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=100)] = "",
    goods_received: Annotated[str, Form(max_length=10)] = "",
    plan_type: Annotated[str, Form(max_length=40)] = "",
    amount: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    link: Annotated[str, Form()] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """The whole form or nothing: the typed fields against their limits, the rules core's
    answer (asked first, saving nothing), every file and the link; only then the dispute is
    opened and its attachments stored. Refused, the form comes back with what was typed."""
    view = view_of(request)
    check_csrf(view, csrf_token)
    require_role(view, "buyer")
    assert view.session is not None
    db = database(request)
    card = _card(db, view, order_id)
    form = {
        "reason": reason,
        "goods_received": goods_received,
        "note": note,
        "link": link,
        "plan_type": plan_type,
        "amount": amount,
    }

    def refuse(message: str, status: int = 422) -> HTMLResponse:
        return _open_form(request, view, card, form=form, error=message, status=status)

    limits = {"amount": OPEN_AMOUNT_LIMIT, "note": uploads.NOTE_LIMIT, "link": uploads.LINK_LIMIT}
    refused = uploads.too_long(view, form, limits)
    if refused is not None:
        return refuse(refused.message, refused.status)
    plan: dict[str, Any] = {"type": plan_type}
    if plan_type != "resend":
        if not amount.strip():
            most = view.money(card.order.refundable, card.order.currency)
            return refuse(view.t("check.amount_missing", max=most))
        plan["amount"] = amount.strip()
    fields: dict[str, Any] = {
        "reason": reason,
        "plan": plan,
        "goods_received": {"yes": True, "no": False}.get(goods_received, goods_received),
    }
    if note.strip():
        fields["note"] = note
    now = request.app.state.clock()
    asked = commands.preview(db, order_id, "buyer", "open_dispute", fields, now, live=True)
    if asked.refusal is not None:
        code = asked.refusal.code.value
        return refuse(view.refusal(asked.refusal, card.order.currency), refusal_status(code))
    try:
        attachments = uploads.check_attachments(request, view, files or [], link)
    except uploads.Refused as exc:
        return refuse(exc.refusal.message, exc.refusal.status)
    result = commands.execute(
        db,
        order_id,
        "buyer",
        "open_dispute",
        fields,
        now,
        live=True,
        **permissions.performer(view.session.principal),
    )
    if result.refusal is not None:  # the order changed since the rules were asked
        code = result.refusal.code.value
        return refuse(view.refusal(result.refusal, card.order.currency), refusal_status(code))
    seq = len(result.state.disputes)
    problem = uploads.attach_files(request, view, order_id, attachments, note, now)
    target = f"/desk/disputes/{desk.dispute_id(order_id, seq)}?done=open_dispute"
    if problem:  # only a race (the dispute closed meanwhile) refuses a checked attachment
        target += "&" + urlencode({"upload_error": problem})
    return RedirectResponse(target, 303)
