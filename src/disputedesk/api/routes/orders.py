"""Orders, their shipment and tracking, and their message thread."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from pydantic import Field, ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from disputedesk.api.access import actor_of, order_row_for, require_store_member
from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import (
    BuyerFilter,
    CountryFilter,
    ExtendIn,
    InstantFilter,
    Limit,
    MessageIn,
    Offset,
    OrderIn,
    OrderStatusFilter,
    ShipmentIn,
    StoreFilter,
    TrackingIn,
)
from disputedesk.api.views import ACTIONS_DOC, order_view, order_view_in
from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.services import commands, evidence_files, messages, permissions
from disputedesk.services.accounts import Principal
from disputedesk.services.orders import FieldError, check_order, create_order
from disputedesk.services.queries import event_log
from disputedesk.services.tracking import EventError, check_event, ingest, order_events
from disputedesk.services.tracking import view as tracking_view
from disputedesk.services.visibility import scoped
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database

router = APIRouter(tags=["orders"])


def order_view_for(
    db: Database, user: Principal, order_id: str, now: datetime | None = None
) -> dict[str, Any]:
    """The caller's view of an order (or `not_found`) with its delivery facts at `now`, read on
    one connection."""
    with db.engine.connect() as conn:
        row = conn.execute(scoped(select(t.orders).where(t.orders.c.id == order_id), user)).first()
        if row is None:
            raise ApiError("not_found", f"order {order_id!r} not found")
        loaded = repository.loaded_from_rows(conn, [row])[order_id]
        return order_view_in(conn, row, loaded, now, viewer=user)


def run_order_command(
    db: Database,
    user: Principal,
    now: datetime,
    order_id: str,
    action: str,
    fields: dict[str, Any],
    actor: str | None = None,
) -> dict[str, Any]:
    """Send a command for a visible order; a refusal becomes a problem with its RULES code."""
    order_row_for(db, user, order_id)
    permissions.check_command(db, user, order_id, None, action, fields, None)  # e.g. suspended
    result = commands.execute(
        db,
        order_id,
        actor or actor_of(user),
        action,
        fields,
        now,
        live=True,
        **permissions.performer(user),
    )
    refusal = result.refusal
    if refusal is not None:
        raise ApiError(refusal.code.value, refusal.message)
    return order_view_for(db, user, order_id, now)


@router.post("/orders", status_code=201, summary="Create an order")
def create(body: OrderIn, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    """A store's staff (or an admin) creates an order for a buyer; the buyer record is created
    when it is new."""
    require_store_member(user, body.store_id)
    try:
        order = check_order(body.model_dump())
    except FieldError as exc:
        raise ApiError("invalid_input", str(exc)) from None
    create_order(db, order, now=now)
    return order_view_for(db, user, order.id, now)


@router.get("/orders", summary="List orders")
def list_orders(
    user: CurrentUser,
    db: Db,
    status: OrderStatusFilter = None,
    store_id: StoreFilter = None,
    buyer_id: BuyerFilter = None,
    country: CountryFilter = None,
    placed_after: InstantFilter = None,
    placed_before: InstantFilter = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The orders the caller may see, newest first, with filters."""
    query = scoped(select(t.orders), user)
    for column, value in (
        (t.orders.c.status, status),
        (t.orders.c.store_id, store_id),
        (t.orders.c.buyer_id, buyer_id),
        (t.orders.c.destination_country, country),
    ):
        if value is not None:
            query = query.where(column == value)
    for name, value, op in (
        ("placed_after", placed_after, "ge"),
        ("placed_before", placed_before, "lt"),
    ):
        if value is not None:
            instant = _instant(name, value)
            column = t.orders.c.placed_at
            query = query.where(column >= instant if op == "ge" else column < instant)
    query = query.order_by(t.orders.c.placed_at.desc(), t.orders.c.id).limit(limit).offset(offset)
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
        loaded = repository.load_many(conn, [r.id for r in rows])
    return {"items": [order_view(r, loaded[r.id]) for r in rows], "limit": limit, "offset": offset}


def _instant(name: str, value: str) -> datetime:
    instant = parse_instant(value)
    if instant is None:
        raise ApiError(
            "invalid_input", f"{name}: {value!r} is not a UTC instant YYYY-MM-DDTHH:MM:SSZ"
        )
    return instant


@router.get(
    "/orders/{order_id}",
    summary="Get an order",
    description="The order with its countdown and delivery facts. " + ACTIONS_DOC,
)
def get_order(order_id: str, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    return order_view_for(db, user, order_id, now)


@router.post("/orders/{order_id}/ship", summary="Ship the order (seller)")
def ship(order_id: str, body: ShipmentIn, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    return run_order_command(db, user, now, order_id, "ship", body.model_dump())


@router.post("/orders/{order_id}/extend-delivery", summary="Extend the delivery time (seller)")
def extend_delivery(
    order_id: str, body: ExtendIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    return run_order_command(db, user, now, order_id, "extend_delivery", body.model_dump())


@router.post("/orders/{order_id}/confirm-receipt", summary="Confirm receipt (buyer)")
def confirm_receipt(order_id: str, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    return run_order_command(db, user, now, order_id, "confirm_receipt", {})


@router.post(
    "/orders/{order_id}/tracking", status_code=201, summary="Record a carrier tracking event"
)
def add_tracking(
    order_id: str, body: TrackingIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """A tracking feed (run by the store's staff or an operator) records what the carrier said:
    stored raw and normalised (`status`, `notice_left`) through the same path as every feed,
    once (the same event again is a duplicate, stored 0). Carrier and tracking number default
    to the order's. Informational: it changes nothing in the rules."""
    row = order_row_for(db, user, order_id)
    if user.role not in ("seller", "admin"):
        raise ApiError("forbidden", "only the store's staff or an operator record tracking")
    require_store_member(user, row.store_id)
    sent = body.model_dump(exclude_none=True)
    fields = dict(sent)
    status = fields.pop("status", None)
    if status is not None:
        fields.setdefault("raw_code", status)  # the old shape: `status` was the carrier's word
    fields.setdefault("carrier", row.carrier)
    fields.setdefault("tracking_number", row.tracking_number)
    try:
        event = check_event(fields, payload=sent)
    except EventError as exc:
        raise ApiError("invalid_input", str(exc)) from None
    report = ingest(db, order_id, [event], source="api", now=now, keep_rows=True)
    return {
        "order_id": order_id,
        "stored": report.stored,
        "duplicates": report.duplicates,
        "events": [{**tracking_view(r), "new": r["new"]} for r in report.rows],
    }


SHIPMENT_ACTIONS = ("ship", "ship_replacement", "ship_return")


@router.get("/orders/{order_id}/tracking", summary="The order's shipment and tracking events")
def tracking(order_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    """Whoever sees the order (an arbitrator while its latest dispute is escalated) sees all of
    its shipments and its carriers' events, normalised (`status` of the 15 of the taxonomy,
    `notice_left`, `unclassified`) beside what the carrier said, in the carriers' time order."""
    row = order_row_for(db, user, order_id)
    shipments = [e for e in event_log(db, order_id) if e.action in SHIPMENT_ACTIONS]
    with db.engine.connect() as conn:
        stored = order_events(conn, order_id)
    return {
        "order_id": order_id,
        "carrier": row.carrier,
        "tracking_number": row.tracking_number,
        "shipped_at": format_instant(row.shipped_at),
        "delivery_deadline": format_instant(row.delivery_deadline),
        "shipments": [
            {
                "at": format_instant(e.at),
                "action": e.action,
                "carrier": e.data.get("carrier"),
                "tracking_number": e.data.get("tracking_number"),
            }
            for e in shipments
        ],
        "events": [tracking_view(e) for e in stored],
    }


def _thread_visible(db: Database, user: Principal, order_id: str) -> None:
    """Messages: whoever sees the order (its buyer, its store's staff, operators, and
    arbitrators while its latest dispute is escalated: `services.visibility`)."""
    order_row_for(db, user, order_id)


def _message_view(m: messages.Message) -> dict[str, Any]:
    return {
        "id": m.id,
        "sender_role": m.sender_role,
        "sender_name": m.sender_name,
        "body": m.body,
        "locale": m.locale,
        "sent_at": format_instant(m.sent_at),
        "attachments": [
            {
                "id": a.id,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "download": f"/message-attachments/{a.id}/file",
            }
            for a in m.attachments
        ],
    }


@router.get("/orders/{order_id}/messages", summary="The order's message thread")
def list_messages(order_id: str, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    """Oldest first, each with its attachments. Reading the thread marks it read for the
    caller (the disputes list's `unread_messages`)."""
    _thread_visible(db, user, order_id)
    thread = messages.thread(db, order_id)
    if thread:
        messages.mark_read(db, user, order_id, max(m.id for m in thread), now=now)
    return {"items": [_message_view(m) for m in thread]}


# Form fields of a message sent as multipart/form-data (with a file): as MessageIn, and a body
# that may be empty when a file goes with it.
class _MessageForm(MessageIn):
    body: str = Field(default="", max_length=messages.MAX_BODY)


_FILE_SCHEMA = {
    "type": "string",
    "contentMediaType": "application/octet-stream",
    "description": "An image or a PDF (the evidence size limit)",
}
MESSAGE_REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": MessageIn.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                **_MessageForm.model_json_schema(),
                "properties": {
                    **_MessageForm.model_json_schema()["properties"],
                    "file": _FILE_SCHEMA,
                },
            }
        },
    },
}


async def _message_input(request: Request) -> tuple[MessageIn, UploadFile | None]:
    """The message as JSON, or as a form with a file; each checked as its schema says."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if content_type == "multipart/form-data":
            form = await request.form(max_files=1, max_fields=20)
            upload = form.get("file")
            fields = {k: v for k, v in form.items() if k != "file" and isinstance(v, str)}
            checked: MessageIn = _MessageForm.model_validate(fields)
            if isinstance(upload, str):  # sent as a plain field: its text is the file
                raise RequestValidationError(
                    [{"loc": ("body", "file"), "msg": "send the file as a file part"}]
                )
            return checked, upload if upload is not None and (
                upload.filename or upload.size
            ) else None
        if content_type in ("application/json", "") or content_type.endswith("+json"):
            return MessageIn.model_validate_json(await request.body()), None
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    raise ApiError(
        "unsupported_media_type", "send application/json, or multipart/form-data with a file"
    )


@router.post(
    "/orders/{order_id}/messages",
    status_code=201,
    summary="Write in the thread, with a file if wanted",
    openapi_extra={"requestBody": MESSAGE_REQUEST_BODY},
)
async def post_message(
    order_id: str, request: Request, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """JSON (`body`, `locale`), or multipart/form-data with the same fields and a `file`: an
    image or a PDF, checked as evidence files are (type from the bytes, the evidence size
    limit: 413 over it, 415 for another type) and downloadable by whoever sees the thread."""
    body, upload = await _message_input(request)
    settings = request.app.state.settings

    def work() -> dict[str, Any]:
        _thread_visible(db, user, order_id)
        if user.role == "admin":
            raise ApiError("forbidden", "operators do not write in order threads")
        m = messages.post_message(
            db,
            order_id,
            sender_role=actor_of(user),
            body=body.body,
            sender_name=user.name,
            locale=body.locale,
            at=now,
            file=upload.file if upload is not None else None,
            filename=upload.filename if upload is not None else None,
            data_dir=settings.data_dir,
            limit=settings.max_upload_bytes,
        )
        return _message_view(m)

    return await run_in_threadpool(work)


AttachmentId = Annotated[
    int, Path(ge=1, le=messages.MAX_ID, description="A message attachment's id")
]


@router.get(
    "/message-attachments/{attachment_id}/file",
    summary="Download a message's file",
    response_class=FileResponse,
    responses={
        200: {
            "description": "The file, as an attachment, with the type sniffed from its bytes",
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in ("image/*", "application/pdf", "application/octet-stream")
            },
        }
    },
)
def download_attachment(
    attachment_id: AttachmentId, request: Request, user: CurrentUser, db: Db
) -> FileResponse:
    """For whoever sees the order's thread; sent as an attachment under a safe name, never
    sniffed (`nosniff`) nor stored by a cache (`no-store`), as evidence files are."""
    found = messages.attachment_for(db, user, attachment_id)
    if found is None:
        raise ApiError("not_found", f"attachment {attachment_id} not found")
    path = evidence_files.path_of(request.app.state.settings.data_dir, found.sha256)
    if not path.exists():
        raise ApiError("not_found", f"the file of attachment {attachment_id} is missing")
    return FileResponse(
        path,
        media_type=evidence_files.sendable_type(found.content_type),
        filename=found.display_name,
        headers=evidence_files.DOWNLOAD_HEADERS,
    )
