"""The carrier advisor's inputs, read from the store: a store's shipments in a window, each with
its first delivered scan, its latest news, its disputes and whether the buyer had the goods. One
statement (the orders left-joined to three grouped subqueries), the same on SQLite and
PostgreSQL; the figures and the pick are `tracking.advisor`'s."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Integer, and_, case, func, or_, select, type_coerce

from disputedesk.services.commands import ServiceError
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.store.types import UTCDateTime
from disputedesk.tracking.advisor import MIN_SHIPMENTS, AdvisorReport, Shipment, advise

WINDOW_DAYS = 90  # shipments of the last 90 days, unless told otherwise
_NOT_RECEIVED = "not_received.%"
_NOT_AS_DESCRIBED = "not_as_described.%"


def window_start(now: datetime, since: date | datetime | None) -> datetime:
    """The first instant of the window: `since` (a date is its 00:00 UTC), else 90 days ago."""
    if since is None:
        return now - timedelta(days=WINDOW_DAYS)
    if isinstance(since, datetime):
        return since if since.tzinfo else since.replace(tzinfo=UTC)
    return datetime.combine(since, time(0), tzinfo=UTC)


def shipments(
    db: Database,
    store_id: str,
    *,
    since: datetime,
    until: datetime,
    country: str | None = None,
) -> list[Shipment]:
    """The store's orders shipped from `since` to `until` (optionally to one country)."""
    o, te, d, e = t.orders, t.tracking_events, t.disputes, t.events
    mine = select(o.c.id).where(
        o.c.store_id == store_id,
        o.c.shipped_at.is_not(None),
        o.c.shipped_at >= since,
        o.c.shipped_at <= until,
    )
    if country is not None:
        mine = mine.where(o.c.destination_country == country)
    ids = mine.scalar_subquery()
    # The current parcel's events (as the delivery facts read them): those with the order's
    # tracking number and those with none, when some carry it (a replacement's number makes
    # the first parcel's events history); else every outbound event.
    current = func.upper(func.trim(te.c.tracking_number)) == func.upper(
        func.trim(o.c.tracking_number)
    )
    outbound = and_(te.c.order_id.in_(ids), te.c.leg == "outbound", te.c.at <= until)
    numbered = (
        select(te.c.order_id, func.max(case((current, 1), else_=0)).label("has_current"))
        .join(o, o.c.id == te.c.order_id)
        .where(outbound)
        .group_by(te.c.order_id)
        .subquery()
    )
    delivered = case((te.c.status == "delivered", te.c.at))
    scans = (
        select(
            te.c.order_id,
            type_coerce(func.min(delivered), UTCDateTime()).label("delivered_at"),
            type_coerce(func.max(te.c.at), UTCDateTime()).label("last_news_at"),
            func.max(case((te.c.status == "returned", 1), else_=0)).label("returned"),
        )
        .join(o, o.c.id == te.c.order_id)
        .join(numbered, numbered.c.order_id == te.c.order_id)
        .where(
            outbound,
            or_(numbered.c.has_current == 0, te.c.tracking_number.is_(None), current),
        )
        .group_by(te.c.order_id)
        .subquery()
    )
    nr = d.c.reason.like(_NOT_RECEIVED)
    ruled = and_(nr, d.c.resolution == "ruled", d.c.responsibility == "seller")
    disputes = (
        select(
            d.c.order_id,
            func.sum(case((nr, 1), else_=0)).label("not_received"),
            func.max(case((ruled, 1), else_=0)).label("ruled_not_received"),
            func.max(case((d.c.reason.like(_NOT_AS_DESCRIBED), 1), else_=0)).label("goods"),
        )
        .where(d.c.order_id.in_(ids))
        .group_by(d.c.order_id)
        .subquery()
    )
    confirmed = (
        select(e.c.order_id, func.count().label("confirmations"))
        .where(e.c.order_id.in_(ids), e.c.action == "confirm_receipt")
        .group_by(e.c.order_id)
        .subquery()
    )
    statement = (
        select(
            o.c.id,
            o.c.destination_country,
            o.c.carrier,
            o.c.shipped_at,
            o.c.promised_delivery_days,
            o.c.delivery_deadline,
            scans.c.delivered_at,
            scans.c.last_news_at,
            type_coerce(scans.c.returned, Integer()).label("returned"),
            type_coerce(disputes.c.not_received, Integer()).label("not_received"),
            type_coerce(disputes.c.ruled_not_received, Integer()).label("ruled"),
            type_coerce(disputes.c.goods, Integer()).label("goods"),
            confirmed.c.confirmations,
        )
        .select_from(
            o.outerjoin(scans, scans.c.order_id == o.c.id)
            .outerjoin(disputes, disputes.c.order_id == o.c.id)
            .outerjoin(confirmed, confirmed.c.order_id == o.c.id)
        )
        .where(o.c.id.in_(ids))
        .order_by(o.c.id)
    )
    with db.engine.connect() as conn:
        rows = conn.execute(statement).all()
    return [
        Shipment(
            order_id=r.id,
            country=r.destination_country,
            carrier=r.carrier or "",
            shipped_at=r.shipped_at,
            promised_days=r.promised_delivery_days,
            deadline=r.delivery_deadline,
            delivered_at=r.delivered_at,
            returned=bool(r.returned),
            last_news_at=r.last_news_at,
            received=bool(r.goods) or bool(r.confirmations),
            not_received_disputes=int(r.not_received or 0),
            ruled_not_received=bool(r.ruled),
        )
        for r in rows
    ]


def report(
    db: Database,
    store_id: str,
    *,
    now: datetime,
    since: date | datetime | None = None,
    country: str | None = None,
    min_shipments: int = MIN_SHIPMENTS,
) -> AdvisorReport:
    """The carrier advice for a store as it stands at `now`; `not_found` for no such store."""
    with db.engine.connect() as conn:
        if conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)) is None:
            raise ServiceError("not_found", f"store {store_id!r} not found")
    start = window_start(now, since)
    found = shipments(db, store_id, since=start, until=now, country=country)
    return advise(found, store_id=store_id, as_of=now, since=start, min_shipments=min_shipments)
