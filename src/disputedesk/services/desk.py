"""What the web desk's pages show, read through the store for one viewer.

Visibility is the API's (`services.visibility`): a buyer sees their own orders, a store's staff
their stores' orders, an admin everything; an arbitrator escalated disputes, and the order while
its latest dispute is escalated; anything else is `not_found`.
Values stay typed (Decimal money, UTC datetimes, the core's Order and Dispute) so the pages can
format them for the reader's language and time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, select

from disputedesk.rules.lifecycle import due, intervention_due_at
from disputedesk.rules.model import Dispute, Order
from disputedesk.rules.policy import Policy
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.messages import Message, thread_in
from disputedesk.services.tracking import FACT_COLUMNS
from disputedesk.services.visibility import (
    events_of,
    events_until_end_of,
    may_see_dispute,
    messages_until_end_of,
    scoped,
    scoped_dispute,
    scoped_disputes,
    sees_whole_order,
)
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.tracking.facts import DeliveryFacts, Shipment, TrackEvent, delivery_facts

TRACKING_ACTIONS = ("ship", "extend_delivery", "ship_replacement", "tracking", "ship_return")


@dataclass(frozen=True, slots=True)
class Countdown:
    """The next deadline, what happens then (an automatic step, or the platform's promise to
    intervene), and who must act before it. `at` is None for a case under review."""

    at: datetime | None
    action: str
    waiting_on: str | None


def countdown_of(loaded: repository.Loaded) -> Countdown | None:
    state, policy = loaded.state, loaded.policy
    step = due(state, policy)
    if step is not None:
        return Countdown(step.at, step.action, step.waiting_on)
    dispute = state.open_dispute
    if dispute is not None and dispute.status == DisputeStatus.ESCALATED:
        return Countdown(intervention_due_at(dispute, policy), "intervene", "arbitrator")
    if dispute is not None and dispute.status == DisputeStatus.UNDER_REVIEW:
        return Countdown(None, "rule", "arbitrator")
    return None


@dataclass(frozen=True, slots=True)
class Tracking:
    """An order's stored carrier events (every leg, in the carriers' time order) and its
    delivery facts (None before shipment). `as_of`: the instant the facts are computed at (an
    earlier dispute's: its end, and only the events received by then)."""

    events: tuple[TrackEvent, ...]
    facts: DeliveryFacts | None
    as_of: datetime


# `services.tracking.order_events` (the same rows, in the carriers' time order, unknown instants
# last) with the columns the facts read (not the feed's raw payload), built once: the API's
# dispute view reads it on every GET, where building the statement and decoding payloads cost
# more than the facts. `_UNTIL`: only the events received by an instant.
_CARRIER_EVENTS = (
    select(*(t.tracking_events.c[name] for name in FACT_COLUMNS))
    .where(t.tracking_events.c.order_id == bindparam("order_id"))
    .order_by(t.tracking_events.c.at.is_(None), t.tracking_events.c.at, t.tracking_events.c.id)
)
_CARRIER_EVENTS_UNTIL = _CARRIER_EVENTS.where(t.tracking_events.c.received_at <= bindparam("until"))


def tracking_in(
    conn: Connection,
    order: Order,
    shipping_address: dict[str, Any] | Callable[[], dict[str, Any] | None] | None,
    now: datetime,
    *,
    until: datetime | None = None,
) -> Tracking:
    """The order's carrier events and delivery facts at `now` (or as of `until`, from the
    events received by then). `shipping_address` may be a function: it is called only when a
    delivery scan needs matching."""
    if until is None:
        rows = conn.execute(_CARRIER_EVENTS, {"order_id": order.id})
    else:
        rows = conn.execute(_CARRIER_EVENTS_UNTIL, {"order_id": order.id, "until": until})
    events = tuple(TrackEvent.of(r) for r in rows)
    as_of = until if until is not None else now
    facts = None
    if order.shipped_at is not None:
        if callable(shipping_address):
            delivered = any(e.status == "delivered" for e in events)
            shipping_address = shipping_address() if delivered else None
        shipment = Shipment(
            shipped_at=order.shipped_at,
            delivery_deadline=order.delivery_deadline,
            shipping_address=shipping_address,
            destination_country=order.destination_country,
            tracking_number=order.tracking_number,
        )
        facts = delivery_facts(events, shipment, as_of)
    return Tracking(events, facts, as_of)


def case_end(disputes: tuple[Dispute, ...] | list[Dispute], seq: int) -> datetime | None:
    """When dispute number `seq` stopped being the order's case: None for the latest one;
    otherwise its close (or the next dispute's opening, if that came first)."""
    if seq >= len(disputes):
        return None
    ends = [disputes[seq].opened_at]
    if disputes[seq - 1].closed_at is not None:
        ends.append(disputes[seq - 1].closed_at)
    return min(ends)


@dataclass(frozen=True, slots=True)
class OrderCard:
    """An order as its pages show it."""

    order: Order
    store_id: str
    store_name: str
    buyer_id: str
    buyer_name: str
    items: list[Any]
    destination_address: str | None
    disputes: tuple[Dispute, ...]
    countdown: Countdown | None
    version: int
    policy: Policy
    shipping_address: dict[str, Any] | None = None
    tracking: Tracking | None = None  # read for the order's and its disputes' pages only

    @property
    def open_dispute_seq(self) -> int | None:
        if self.disputes and self.disputes[-1].is_open:
            return len(self.disputes)
        return None


@dataclass(frozen=True, slots=True)
class DisputeLine:
    """One row of an inbox or a queue."""

    order_id: str
    seq: int
    dispute: Dispute
    order: Order
    store_id: str
    countdown: Countdown | None
    intervention_due_at: datetime | None
    policy: Policy

    @property
    def id(self) -> str:
        return dispute_id(self.order_id, self.seq)


@dataclass(frozen=True, slots=True)
class PlanRecord:
    side: str
    type: str
    amount: Decimal | None
    proposed_at: datetime


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    id: int
    actor: str
    kind: str
    description: str
    submitted_at: datetime
    link: str | None
    file_name: str | None
    content_type: str | None
    size: int | None
    sha256: str | None

    @property
    def has_file(self) -> bool:
        return self.sha256 is not None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DisputeCase:
    """A dispute with everything its page shows. An arbitrator's case that is not the order's
    latest dispute shows the order as it was up to the dispute's end (`whole_order` False): the
    card without the later disputes or the order's countdown, the log and the thread cut there."""

    card: OrderCard
    seq: int
    dispute: Dispute
    is_current: bool
    intervention_due_at: datetime | None
    plans: list[PlanRecord]
    evidence: list[EvidenceRecord]
    history: list[HistoryEntry]  # the dispute's own span of the order's log
    events: list[HistoryEntry]  # the order's log, as far as the viewer sees it
    tracking: list[HistoryEntry]
    messages: list[Message]
    whole_order: bool  # the viewer sees the order's whole log and thread, and its page
    others: list[tuple[int, Dispute]]  # the order's other disputes the viewer may open

    @property
    def id(self) -> str:
        return dispute_id(self.card.order.id, self.seq)

    @property
    def countdown(self) -> Countdown | None:
        return self.card.countdown if self.is_current else None


def dispute_id(order_id: str, seq: int) -> str:
    return f"{order_id}-D{seq}"


MAX_DISPUTE_SEQ = 2**31 - 1  # what `disputes.seq` (an INTEGER) holds


def parse_dispute_id(value: str) -> tuple[str, int] | None:
    """`<order id>-D<n>` as (order id, n); None for anything else (ASCII digits only: `str.isdigit`
    also takes "²", which `int` refuses; n within what the column holds)."""
    order_id, sep, seq = value.rpartition("-D")
    if not sep or not order_id or not (seq.isascii() and seq.isdigit()) or seq.startswith("0"):
        return None
    number = int(seq)
    return (order_id, number) if number <= MAX_DISPUTE_SEQ else None


def _cards(conn: Connection, rows: list[Any]) -> list[OrderCard]:
    loaded = repository.loaded_from_rows(conn, rows)
    stores = {
        r.id: r.name
        for r in conn.execute(
            select(t.stores.c.id, t.stores.c.name).where(
                t.stores.c.id.in_({r.store_id for r in rows})
            )
        )
    }
    buyers = {
        r.id: r.name
        for r in conn.execute(
            select(t.buyers.c.id, t.buyers.c.name).where(
                t.buyers.c.id.in_({r.buyer_id for r in rows})
            )
        )
    }
    cards = []
    for row in rows:
        one = loaded[row.id]
        cards.append(
            OrderCard(
                order=one.state.order,
                store_id=row.store_id,
                store_name=stores.get(row.store_id, row.store_id),
                buyer_id=row.buyer_id,
                buyer_name=buyers.get(row.buyer_id, row.buyer_id),
                items=list(row.items or []),
                destination_address=row.destination_address,
                disputes=tuple(one.state.disputes),
                countdown=countdown_of(one),
                version=one.version,
                policy=one.policy,
                shipping_address=row.shipping_address,
            )
        )
    return cards


def _visible_card(
    conn: Connection, viewer: Principal, order_id: str, name: str, *, seq: int | None = None
) -> OrderCard:
    """The order as its pages show it, if the viewer may see it (with `seq`: if the viewer may
    see its dispute number `seq`); `not_found` (naming `name`) otherwise."""
    query = select(t.orders).where(t.orders.c.id == order_id)
    query = scoped(query, viewer) if seq is None else scoped_dispute(query, viewer, seq)
    row = conn.execute(query).first()
    if row is None:
        raise ServiceError("not_found", f"{name} not found")
    return _cards(conn, [row])[0]


def _events(conn: Connection, order_id: str) -> list[HistoryEntry]:
    return [
        HistoryEntry(e.seq, e.at, e.actor, e.action, e.data)
        for e in conn.execute(
            select(t.events).where(t.events.c.order_id == order_id).order_by(t.events.c.seq)
        )
    ]


def _evidence_record(row: Any) -> EvidenceRecord:
    return EvidenceRecord(
        row.id,
        row.actor,
        row.kind,
        row.description,
        row.submitted_at,
        row.link,
        row.file_name,
        row.content_type,
        row.size,
        row.file_sha256,
    )


def order_card(db: Database, viewer: Principal, order_id: str) -> OrderCard:
    with db.engine.connect() as conn:
        return _visible_card(conn, viewer, order_id, f"order {order_id!r}")


def openable_disputes(viewer: Principal, card: OrderCard) -> list[tuple[int, Dispute]]:
    """The disputes of a visible order (numbered from 1) whose pages the viewer may open: an
    arbitrator the escalated ones only."""
    return [(n, d) for n, d in enumerate(card.disputes, 1) if may_see_dispute(viewer, d)]


def may_write(viewer: Principal) -> bool:
    """Who writes in the thread of an order they see (whoever sees an order reads its thread):
    its buyer, its store's staff and arbitrators, operators excepted."""
    return viewer.role in ("buyer", "seller", "arbitrator")


def order_page(
    db: Database, viewer: Principal, order_id: str, *, now: datetime | None = None
) -> tuple[OrderCard, list[HistoryEntry], list[Message]]:
    """The order (with its carrier events and delivery facts at `now`), its whole event log and
    its message thread, on one connection."""
    with db.engine.connect() as conn:
        card = _visible_card(conn, viewer, order_id, f"order {order_id!r}")
        tracking = tracking_in(conn, card.order, card.shipping_address, now or utc_now())
        card = replace(card, tracking=tracking)
        return card, _events(conn, order_id), thread_in(conn, order_id)


@dataclass(frozen=True, slots=True)
class OrderFilters:
    status: str | None = None
    country: str | None = None
    carrier: str | None = None


def list_orders(
    db: Database,
    viewer: Principal,
    filters: OrderFilters = OrderFilters(),
    *,
    limit: int = 50,
    offset: int = 0,
) -> list[OrderCard]:
    """The viewer's orders, newest first."""
    query = scoped(select(t.orders), viewer)
    for column, value in (
        (t.orders.c.status, filters.status),
        (t.orders.c.destination_country, filters.country),
        (t.orders.c.carrier, filters.carrier),
    ):
        if value:
            query = query.where(column == value)
    query = query.order_by(t.orders.c.placed_at.desc(), t.orders.c.id).limit(limit).offset(offset)
    with db.engine.connect() as conn:
        return _cards(conn, conn.execute(query).all())


@dataclass(frozen=True, slots=True)
class DisputeFilters:
    status: str | None = None
    reason: str | None = None
    country: str | None = None
    carrier: str | None = None
    store_id: str | None = None
    open_only: bool = False
    escalated_only: bool = False
    due_before: datetime | None = None  # open disputes whose next deadline is before this


def dispute_keys(
    viewer: Principal, filters: DisputeFilters, *, sort: str = "deadline"
) -> Select[Any]:
    """(order_id, seq) of the disputes the viewer may see, the most urgent first: open ones by
    next deadline (the order's next automatic step or, once escalated, the platform's
    intervention due time) or, with `sort="intervention"`, by intervention due time; then
    closed ones, the latest closed first. An arbitrator sees escalated disputes only (each of
    them, also when the order has a later dispute: `services.visibility`)."""
    next_deadline = func.coalesce(t.orders.c.due_at, t.disputes.c.intervention_due_at)
    if sort == "intervention":
        next_deadline = t.disputes.c.intervention_due_at
    query = scoped_disputes(
        select(t.disputes.c.order_id, t.disputes.c.seq).join(
            t.orders, t.orders.c.id == t.disputes.c.order_id
        ),
        viewer,
    )
    if filters.escalated_only:
        query = query.where(t.disputes.c.escalated_at.is_not(None))
    for column, value in (
        (t.disputes.c.status, filters.status),
        (t.disputes.c.reason, filters.reason),
        (t.orders.c.destination_country, filters.country),
        (t.orders.c.carrier, filters.carrier),
        (t.orders.c.store_id, filters.store_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if filters.open_only or filters.due_before is not None:
        query = query.where(t.disputes.c.status != "closed")
    if filters.due_before is not None:
        query = query.where(next_deadline < filters.due_before)
    return query.order_by(
        (t.disputes.c.status == "closed").asc(),
        next_deadline.is_(None).asc(),
        next_deadline.asc(),
        t.disputes.c.closed_at.desc(),  # closed ones: the latest first
        t.disputes.c.opened_at.asc(),
        t.disputes.c.order_id,
        t.disputes.c.seq,
    )


def list_disputes(
    db: Database,
    viewer: Principal,
    filters: DisputeFilters = DisputeFilters(),
    *,
    sort: str = "deadline",
    limit: int = 100,
    offset: int = 0,
) -> list[DisputeLine]:
    """The disputes the viewer may see, the most urgent first (`dispute_keys`)."""
    query = dispute_keys(viewer, filters, sort=sort).limit(limit).offset(offset)
    with db.engine.connect() as conn:
        keys = conn.execute(query).all()
        loaded = repository.load_many(conn, {k.order_id for k in keys})
        stores = dict(
            conn.execute(
                select(t.orders.c.id, t.orders.c.store_id).where(
                    t.orders.c.id.in_({k.order_id for k in keys})
                )
            ).all()
        )
    lines = []
    for key in keys:
        one = loaded[key.order_id]
        dispute = one.state.disputes[key.seq - 1]
        current = key.seq == len(one.state.disputes) and dispute.is_open
        lines.append(
            DisputeLine(
                order_id=key.order_id,
                seq=key.seq,
                dispute=dispute,
                order=one.state.order,
                store_id=stores[key.order_id],
                countdown=countdown_of(one) if current else None,
                intervention_due_at=intervention_due_at(dispute, one.policy),
                policy=one.policy,
            )
        )
    return lines


def filter_choices(db: Database, viewer: Principal) -> dict[str, list[str]]:
    """The countries and carriers among the viewer's orders (for the filter menus)."""
    with db.engine.connect() as conn:
        countries = conn.scalars(
            scoped(select(t.orders.c.destination_country).distinct(), viewer).where(
                t.orders.c.destination_country.is_not(None)
            )
        ).all()
        carriers = conn.scalars(
            scoped(select(t.orders.c.carrier).distinct(), viewer).where(
                t.orders.c.carrier.is_not(None)
            )
        ).all()
    return {"countries": sorted(countries), "carriers": sorted(carriers)}


def dispute_case(
    db: Database, viewer: Principal, value: str, *, now: datetime | None = None
) -> DisputeCase:
    """The dispute named `value` ("ORDER-D1") with its plans, evidence, history, tracking (the
    carrier's events and the delivery facts at `now`; an earlier dispute's as of its end) and
    the order's messages; `not_found` when the viewer may not see it."""
    parsed = parse_dispute_id(value)
    if parsed is None:
        raise ServiceError("not_found", f"dispute {value!r} not found")
    order_id, seq = parsed
    with db.engine.connect() as conn:
        card = _visible_card(conn, viewer, order_id, f"dispute {value!r}", seq=seq)
        dispute = card.disputes[seq - 1]
        plans = [
            PlanRecord(r.side, r.type, r.amount, r.proposed_at)
            for r in conn.execute(
                select(t.plans)
                .where(t.plans.c.order_id == order_id)
                .where(t.plans.c.dispute_seq == seq)
                .order_by(t.plans.c.id)
            )
        ]
        evidence = [
            _evidence_record(r)
            for r in conn.execute(
                select(t.evidence)
                .where(t.evidence.c.order_id == order_id)
                .where(t.evidence.c.dispute_seq == seq)
                .order_by(t.evidence.c.id)
            )
        ]
        events = _events(conn, order_id)
        messages = thread_in(conn, order_id)
        until = case_end(card.disputes, seq)
        tracking = tracking_in(
            conn, card.order, card.shipping_address, now or utc_now(), until=until
        )
    card = replace(card, tracking=tracking)
    history = events_of(events, card.disputes, seq)
    whole_order = sees_whole_order(viewer, card.disputes, seq)
    if not whole_order:  # an arbitrator's earlier case: the order up to its end, no further
        events = events_until_end_of(events, card.disputes, seq)
        messages = messages_until_end_of(messages, card.disputes, seq)
        card = replace(card, disputes=card.disputes[:seq], countdown=None)
    return DisputeCase(
        card=card,
        seq=seq,
        dispute=dispute,
        is_current=seq == len(card.disputes) and dispute.is_open,
        intervention_due_at=intervention_due_at(dispute, card.policy),
        plans=plans,
        evidence=evidence,
        history=history,
        events=events,
        tracking=[e for e in events if e.action in TRACKING_ACTIONS],
        messages=messages,
        whole_order=whole_order,
        others=[(n, other) for n, other in openable_disputes(viewer, card) if n != seq],
    )


def evidence_file(db: Database, viewer: Principal, evidence_id: int) -> EvidenceRecord | None:
    """An evidence record with a file, if the viewer is a party to its dispute or an
    arbitrator who may see the case; None otherwise."""
    with db.engine.connect() as conn:
        row = conn.execute(select(t.evidence).where(t.evidence.c.id == evidence_id)).first()
        if row is None or viewer.role == "admin" or row.file_sha256 is None:
            return None
        value = dispute_id(row.order_id, row.dispute_seq)
        try:
            _visible_card(conn, viewer, row.order_id, f"dispute {value!r}", seq=row.dispute_seq)
        except ServiceError:
            return None
    return _evidence_record(row)
