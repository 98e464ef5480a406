"""Orders, their shipment and tracking, and their message thread."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

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
from disputedesk.api.views import order_view, order_view_in
from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.services import commands, messages
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
        return order_view_in(conn, row, loaded, now)


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
    result = commands.execute(db, order_id, actor or actor_of(user), action, fields, now, live=True)
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


@router.get("/orders/{order_id}", summary="Get an order")
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


@router.get("/orders/{order_id}/messages", summary="The order's message thread")
def list_messages(order_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    _thread_visible(db, user, order_id)
    return {
        "items": [
            {
                "id": m.id,
                "sender_role": m.sender_role,
                "sender_name": m.sender_name,
                "body": m.body,
                "locale": m.locale,
                "sent_at": format_instant(m.sent_at),
            }
            for m in messages.thread(db, order_id)
        ]
    }


@router.post("/orders/{order_id}/messages", status_code=201, summary="Write in the thread")
def post_message(
    order_id: str, body: MessageIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
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
    )
    return {
        "id": m.id,
        "sender_role": m.sender_role,
        "sender_name": m.sender_name,
        "body": m.body,
        "locale": m.locale,
        "sent_at": format_instant(m.sent_at),
    }
