"""What the web desk's pages show, read through the store for one viewer.

Visibility is the API's (`services.visibility`): a buyer sees their own orders, a store's staff
their stores' orders, an admin everything; an arbitrator escalated disputes, and the order while
its latest dispute is escalated; anything else is `not_found`.
Values stay typed (Decimal money, UTC datetimes, the core's Order and Dispute) so the pages can
format them for the reader's language and time zone.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)

from disputedesk.rules.errors import ErrorCode, Refusal
from disputedesk.rules.lifecycle import UNTIMED_STATUSES, Option, due, intervention_due_at, options
from disputedesk.rules.lifecycle.options import PROBES
from disputedesk.rules.model import Dispute, Order, Plan, State
from disputedesk.rules.policy import Policy
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.services import permissions
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.messages import Message, thread_in
from disputedesk.services.search import matches_search
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
from disputedesk.store.types import UTCDateTime
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
    clock: datetime | None = None  # the last instant the rules were stepped to
    event_seq: int = 0  # the number of the order's last logged event

    @property
    def open_dispute_seq(self) -> int | None:
        if self.disputes and self.disputes[-1].is_open:
            return len(self.disputes)
        return None

    @property
    def state(self) -> State:
        """The order as the rules core knows it (as stored: due steps not yet fired)."""
        return State(self.order, self.disputes, self.clock)


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
    cursor: str = ""  # its position in the list it came from (`encode_cursor`)

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
    # who acted for the actor (the event's `performed_by_name`) and as what: a store's
    # staff member's role there (owner / agent), else the actor
    performed_by_name: str | None = None
    performed_by_role: str | None = None


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

    @property
    def outcome(self) -> Outcome | None:
        return outcome_of(self.dispute, self.history)


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
                clock=one.state.clock,
                event_seq=one.event_seq,
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
        HistoryEntry(
            e.seq,
            e.at,
            e.actor,
            e.action,
            e.data,
            e.performed_by_name,
            performer_role(e.actor, e.performed_by_name, e.staff_role),
        )
        for e in conn.execute(
            events_with_performers().where(t.events.c.order_id == order_id).order_by(t.events.c.seq)
        )
    ]


def events_with_performers() -> Select[Any]:
    """The events with `staff_role`: the role in the order's store of the staff member who
    acted (null when it was not its staff, or they have left it)."""
    e, o, s = t.events, t.orders, t.store_staff
    return (
        select(e, s.c.role.label("staff_role"))
        .join(o, o.c.id == e.c.order_id)
        .outerjoin(s, and_(s.c.store_id == o.c.store_id, s.c.email == e.c.performed_by))
    )


def performer_role(actor: str, name: str | None, staff_role: str | None) -> str | None:
    """The role shown beside who acted: "Li Wei (agent)", "Ana (buyer)"."""
    if name is None:
        return None
    if actor == "seller":
        return staff_role or "seller"
    return actor


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


# -- what the viewer may do now -----------------------------------------------------------------

# The RULES actor each role acts as; an operator acts as none (it reads, the core refuses it).
ACTOR_OF_ROLE = {"buyer": "buyer", "seller": "seller", "arbitrator": "arbitrator"}


def actor_of(viewer: Principal) -> str | None:
    return ACTOR_OF_ROLE.get(viewer.role)


def options_for(viewer: Principal, card: OrderCard, at: datetime) -> dict[str, Option]:
    """What the viewer may do on the order at `at`, action by action (`options_in`)."""
    return options_in(viewer, card.state, card.policy, card.store_id, at)


def options_in(
    viewer: Principal, state: State, policy: Policy, store_id: str, at: datetime
) -> dict[str, Option]:
    """What the viewer may do on an order at `at`, action by action, as the rules core answers
    it (`rules.lifecycle.options`: the due steps fired first, then each action checked): an
    allowed action, or the refusal it would get (`too_early` with its instant); for a store's
    staff member, also what the store's owner lets them do (`services.permissions`). Every page
    and the API ask this, so nothing offers a form that would be refused. Empty for an
    operator."""
    actor = actor_of(viewer)
    if actor is None:
        return {}
    found = {o.action: o for o in options(state, actor, at, policy)}
    if actor == "seller":  # and what this staff member of the store may do (its owner chose)
        dispute = state.open_dispute
        for action, option in found.items():
            if option.allowed:
                denied = permissions.command_denial(
                    viewer, store_id, action, PROBES.get(action, {}), dispute
                )
                if denied is not None:
                    message = denied.message(state.order.currency)
                    refusal = Refusal(ErrorCode.FORBIDDEN, message, "staff.permission", {})
                    found[action] = replace(option, refusal=refusal)
    return found


def already_done(db: Database, order_id: str, seen: int, actor: str, action: str) -> bool:
    """Whether `actor` itself did `action` on the order after the page the form came from was
    made (events numbered above `seen`): a form sent twice (a double click, a refresh), not a
    change by somebody else."""
    query = (
        select(t.events.c.seq)
        .where(t.events.c.order_id == order_id)
        .where(t.events.c.seq > seen)
        .where(t.events.c.actor == actor)
        .where(t.events.c.action == action)
        .limit(1)
    )
    with db.engine.connect() as conn:
        return conn.execute(query).first() is not None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a dispute was settled, for its outcome card: the plan both sides agreed on (who
    accepted it, or the seller's silence), or the platform's ruling (amount, responsibility,
    whether the goods go back first, the arbitrator's written reason), or how it ended without
    either (cancelled, return not shipped, replacement shipped)."""

    kind: str  # agreed / ruled / auto_ruled / closed
    at: datetime
    by: str | None = None  # agreed: who accepted (buyer, seller) or "timeout"
    plan: Plan | None = None  # agreed: the plan
    refund_amount: Decimal | None = None  # ruled: the amount ruled
    responsibility: str | None = None
    return_required: bool = False
    reason: str | None = None  # ruled: the arbitrator's written reason, when given


def outcome_of(dispute: Dispute, history: list[HistoryEntry]) -> Outcome | None:
    """The dispute's settlement so far (the latest ruling or agreement in its history), or, for
    a dispute closed without either, how it closed; None while nothing is settled."""
    for entry in reversed(history):
        data = entry.data or {}
        if entry.action == "rule":
            return Outcome(
                "ruled",
                entry.at,
                refund_amount=_decimal(data.get("refund_amount")),
                responsibility=data.get("responsibility"),
                return_required=bool(data.get("return_required")),
                reason=data.get("reason") or None,
            )
        if entry.action == "auto_ruled":
            return Outcome(
                "auto_ruled",
                entry.at,
                refund_amount=dispute.refund_amount,
                responsibility=dispute.responsibility or "seller",
            )
        if entry.action in ("accept", "seller_response_timeout"):
            if entry.action == "accept" and entry.actor == "buyer":
                plan, by = dispute.seller_plan, "buyer"
            else:
                plan, by = dispute.buyer_plan, entry.actor
                by = "timeout" if entry.action == "seller_response_timeout" else by
            return Outcome("agreed", entry.at, by=by, plan=plan)
    if dispute.closed_at is not None:
        return Outcome("closed", dispute.closed_at, refund_amount=dispute.refund_amount)
    return None


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None


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
    search: str | None = None  # an order or tracking number, or a buyer (`matches_search`)


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
    if filters.search:
        query = query.where(matches_search(filters.search))
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
    search: str | None = None  # an order or tracking number, or a buyer (`matches_search`)
    overdue_at: datetime | None = None  # escalated ones whose intervention was due by then


def _sort_keys(sort: str) -> list[tuple[ColumnElement[Any], bool]]:
    """The order of `dispute_keys` as (expression, descending) pairs, each one's NULLs placed
    by a flag before it (so the order, and a cursor's row-after condition, are the same on
    SQLite and PostgreSQL): the group (closed last; with `sort="intervention"` the cases
    awaiting the platform's intervention first; no deadline after a deadline), the next
    deadline, the close (the latest first; none last), the opening, the order id, the number."""
    status = t.disputes.c.status
    next_deadline = type_coerce(
        case(
            (status == DisputeStatus.CLOSED.value, None),  # the order's own steps are not its
            (status == DisputeStatus.ESCALATED.value, t.disputes.c.intervention_due_at),
            else_=t.orders.c.due_at,
        ),
        UTCDateTime(),
    )
    closed = case((status == DisputeStatus.CLOSED.value, 4), else_=0)
    awaiting = case((status != DisputeStatus.ESCALATED.value, 2), else_=0)
    no_deadline = case((next_deadline.is_(None), 1), else_=0)
    group = closed + (awaiting if sort == "intervention" else 0) + no_deadline
    not_closed_yet = case((t.disputes.c.closed_at.is_(None), 1), else_=0)
    return [
        (group, False),
        (next_deadline, False),
        (not_closed_yet, False),
        (t.disputes.c.closed_at, True),  # closed ones: the latest first
        (t.disputes.c.opened_at, False),
        (t.disputes.c.order_id, False),
        (t.disputes.c.seq, False),
    ]


EARLIEST = datetime(1, 1, 1, tzinfo=UTC)  # before every stored instant

# what each sort key's value is in a cursor (`_sort_keys`, in order)
_CURSOR_TYPES: tuple[type, ...] = (int, datetime, int, datetime, datetime, str, int)
MAX_CURSOR_CHARS = 2000


def encode_cursor(row: Any, sort: str = "deadline") -> str:
    """An opaque position in a dispute list: base64url of JSON naming the sort and the sort
    values of `row` (a row of `dispute_keys`: the page's last, or first going back)."""
    values = [
        v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v
        for v in (getattr(row, f"k{i}") for i in range(len(_CURSOR_TYPES)))
    ]
    text = json.dumps({"sort": sort, "after": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str = "deadline") -> list[Any]:
    """The sort values in `cursor`; a `ServiceError("invalid_input")` for anything that is not
    a cursor this list's sort made (malformed, tampered, another sort's)."""

    def bad(why: str) -> ServiceError:
        return ServiceError("invalid_input", f"cursor: not a position in this list ({why})")

    if len(cursor) > MAX_CURSOR_CHARS or not cursor.isascii():
        raise bad("too long" if len(cursor) > MAX_CURSOR_CHARS else "not base64url")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise bad("not base64url JSON") from None
    if not isinstance(data, dict) or set(data) != {"sort", "after"}:
        raise bad("not a cursor")
    if data["sort"] != sort:
        raise bad("made for another order")
    values = data["after"]
    if not isinstance(values, list) or len(values) != len(_CURSOR_TYPES):
        raise bad("wrong number of values")
    out: list[Any] = []
    for index, (value, kind) in enumerate(zip(values, _CURSOR_TYPES, strict=True)):
        if value is None and index in (1, 3):  # the deadline and the close may be absent
            out.append(None)
        elif kind is int and type(value) is int and 0 <= value <= MAX_DISPUTE_SEQ:
            out.append(value)
        elif kind is str and isinstance(value, str) and 0 < len(value) <= 200:
            if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
                raise bad("bad order id")
            out.append(value)
        elif kind is datetime and isinstance(value, str) and len(value) <= 40:
            try:
                instant = datetime.fromisoformat(value)
            except ValueError:
                raise bad("bad instant") from None
            if instant.tzinfo is None or not 1 < instant.year < 9999:
                raise bad("bad instant")
            out.append(instant.astimezone(UTC))
        else:
            raise bad(f"bad value {index}")
    return out


def _beyond(keys: list[tuple[ColumnElement[Any], bool]], values: list[Any], back: bool) -> Any:
    """The rows after (`back`: before) the position `values` in the order `keys`: for each
    key, the rows equal on every key before it and past it on this one. NULLs need no
    ordering here: each nullable key has a flag before it, so rows equal up to it are all
    NULL there or none is (and nothing is past a NULL)."""
    clauses = []
    equal: list[Any] = []
    for (expr, descending), value in zip(keys, values, strict=True):
        if value is None:
            equal.append(expr.is_(None))
            continue
        bound = literal(value, type_=expr.type)
        forward = descending == back  # ascending and going forward: greater
        clauses.append(and_(*equal, expr > bound if forward else expr < bound))
        equal.append(expr == bound)
    return or_(*clauses) if clauses else false()


def _filtered(viewer: Principal, filters: DisputeFilters, columns: list[Any]) -> Select[Any]:
    """`columns` of the disputes the viewer may see (joined to their orders), filtered."""
    query = scoped_disputes(
        select(*columns).join(t.orders, t.orders.c.id == t.disputes.c.order_id), viewer
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
    if filters.search:
        query = query.where(matches_search(filters.search))
    if filters.overdue_at is not None:
        query = query.where(t.disputes.c.status == DisputeStatus.ESCALATED.value).where(
            t.disputes.c.intervention_due_at <= filters.overdue_at
        )
    if filters.open_only or filters.due_before is not None:
        query = query.where(t.disputes.c.status != "closed")
    if filters.due_before is not None:
        query = query.where(_sort_keys("deadline")[1][0] < filters.due_before)
    return query


def _ordered(keys: list[tuple[ColumnElement[Any], bool]], back: bool) -> list[Any]:
    return [e.asc() if d == back else e.desc() for e, d in keys]


def dispute_keys(
    viewer: Principal,
    filters: DisputeFilters,
    *,
    sort: str = "deadline",
    after: list[Any] | None = None,
    before: list[Any] | None = None,
) -> Select[Any]:
    """(order_id, seq) of the disputes the viewer may see, the most urgent first: open ones by
    next deadline (the order's next automatic step or, while escalated, the platform's
    intervention due time; overdue ones come first as the earliest), then open ones with no
    deadline (under platform review), then closed ones, the latest closed first; with
    `sort="intervention"` (the arbitrators' queue), the cases awaiting the platform's
    intervention first, by its due time, then the rest in the same order. An arbitrator sees
    escalated disputes only (each of them, also when the order has a later dispute:
    `services.visibility`). The API's list shares this order.

    Each row also has its sort values `k0`... (`encode_cursor`). `after` (a decoded cursor):
    only the rows after that position; `before`: the rows before it, the nearest first
    (reverse them to read them in order). One statement over the whole list (exports, OFFSET);
    a page from a cursor or from the top is cheaper with `dispute_page`."""
    keys = _sort_keys(sort)
    columns = [t.disputes.c.order_id, t.disputes.c.seq]
    query = _filtered(
        viewer, filters, [*columns, *(e.label(f"k{i}") for i, (e, _) in enumerate(keys))]
    )
    if after is not None:
        query = query.where(_beyond(keys, after, back=False))
    if before is not None:
        query = query.where(_beyond(keys, before, back=True))
    return query.order_by(*_ordered(keys, back=before is not None))


# The list's order by parts, each read in an order an index can give (keyset pagination that
# does not sort every visible dispute for each page): (condition, the group it has in each sort
# (`_sort_keys`' first key), its deadline column, whether it has a close). The parts' first n
# rows, merged, are the list's first n.
def _parts() -> list[tuple[ColumnElement[bool], dict[str, int], Any, bool]]:
    status, due_at = t.disputes.c.status, t.orders.c.due_at
    intervention, closed_at = t.disputes.c.intervention_due_at, t.disputes.c.closed_at
    escalated = status == DisputeStatus.ESCALATED.value
    other = status.not_in([DisputeStatus.CLOSED.value, DisputeStatus.ESCALATED.value])
    # the other open ones with no deadline: only those whose status has nothing due (the rules
    # core's `UNTIMED_STATUSES`), found through the status's index, not among every order with
    # no next step (each completed one)
    untimed = status.in_(sorted(s.value for s in UNTIMED_STATUSES - {DisputeStatus.ESCALATED}))
    closed = status == DisputeStatus.CLOSED.value
    return [
        (
            and_(escalated, intervention.is_not(None)),
            {"deadline": 0, "intervention": 0},
            intervention,
            False,
        ),
        (and_(other, due_at.is_not(None)), {"deadline": 0, "intervention": 2}, due_at, False),
        (and_(escalated, intervention.is_(None)), {"deadline": 1, "intervention": 1}, None, False),
        (and_(untimed, due_at.is_(None)), {"deadline": 1, "intervention": 3}, None, False),
        (and_(closed, closed_at.is_not(None)), {"deadline": 5, "intervention": 7}, None, True),
        (and_(closed, closed_at.is_(None)), {"deadline": 5, "intervention": 7}, None, False),
    ]


def dispute_page(
    viewer: Principal,
    filters: DisputeFilters,
    *,
    limit: int,
    sort: str = "deadline",
    after: list[Any] | None = None,
    before: list[Any] | None = None,
) -> list[Select[Any]]:
    """The first `limit` rows of `dispute_keys` (after the position `after`, or the nearest
    `limit` before `before`, nearest first) as one statement per group of the order (`_sort_keys`'
    first key), in the order they are read (`read_page`): each of the group's parts (`_parts`)
    gives its first `limit` rows past the position through an index on its first key (a range
    from the position's value there), and the database merges them in the list's order. A deep
    page costs about what the first does (the page that crosses from one group to the next
    also reads the next group's parts)."""
    keys = _sort_keys(sort)
    back = before is not None
    position = before if back else after
    groups: dict[int, list[Select[Any]]] = {}
    for condition, numbers, deadline, has_close in _parts():
        group = numbers[sort]
        first = (type_coerce(deadline, UTCDateTime()), False) if deadline is not None else None
        part_keys = [first or (cast(null(), UTCDateTime()), False), *keys[2:]]
        columns = [
            t.disputes.c.order_id,
            t.disputes.c.seq,
            literal(group).label("k0"),
            *(e.label(f"k{i}") for i, (e, _) in enumerate(part_keys, 1)),
        ]
        query = _filtered(viewer, filters, columns).where(condition)
        if position is not None and group != position[0]:
            if (group < position[0]) != back:
                continue  # the whole part lies on the other side of the position
        elif position is not None:
            query = query.where(_beyond(part_keys, position[1:], back=back))
            # the same rows as a range on the part's first key, which an index can give
            if deadline is not None and position[1] is not None:
                query = query.where(deadline <= position[1] if back else deadline >= position[1])
            elif has_close and position[2] == 0 and position[3] is not None:
                closed_at = t.disputes.c.closed_at
                query = query.where(closed_at >= position[3] if back else closed_at <= position[3])
        elif deadline is not None and filters.due_before is None:
            # no position: the same rows with a range from the earliest instant, so that the
            # database walks the deadline's index in order rather than sorting every row of the
            # part (SQLite's operator list: 82 ms to 3 ms at 1,000,000 orders; PostgreSQL's
            # filtered inbox: 166 to 77 ms). Not with `due_before`, whose bound PostgreSQL then
            # misjudges (4 ms without the range, 120 ms with it).
            query = query.where(deadline >= EARLIEST)
        # ordered by the keys that can vary in the part: without the flag and the close of a
        # closed part with a close (0 and its column), or the absent deadline of the others
        varying = part_keys if first is not None else part_keys[2:] if has_close else part_keys[1:]
        ordered = _ordered(varying, back)
        groups.setdefault(group, []).append(query.order_by(*ordered).limit(limit))
    statements = []
    for group in sorted(groups, reverse=back):
        parts = [part.subquery().select() for part in groups[group]]
        merged = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
        order = [(merged.c[f"k{i}"], d) for i, (_, d) in enumerate(keys)]
        statements.append(select(merged).order_by(*_ordered(order, back)).limit(limit))
    return statements


def read_page(conn: Connection, statements: list[Select[Any]], limit: int) -> list[Any]:
    """`dispute_page`'s rows: its groups in turn, until `limit` rows are read (a later group's
    rows all come after an earlier one's, so the rest is not read)."""
    rows: list[Any] = []
    for statement in statements:
        rows += conn.execute(statement).all()
        if len(rows) >= limit:
            return rows[:limit]
    return rows


def list_disputes(
    db: Database,
    viewer: Principal,
    filters: DisputeFilters = DisputeFilters(),
    *,
    sort: str = "deadline",
    limit: int = 100,
    offset: int = 0,
    after: str | None = None,
    before: str | None = None,
) -> list[DisputeLine]:
    """The disputes the viewer may see, the most urgent first (`dispute_keys`): from `offset`,
    or after the cursor `after`, or the `limit` before the cursor `before` (in order). Each
    line has its `cursor`. A malformed cursor is `ServiceError("invalid_input")`."""
    after_values = decode_cursor(after, sort) if after is not None else None
    before_values = decode_cursor(before, sort) if before is not None else None
    with db.engine.connect() as conn:
        if offset:  # one statement over the whole list: the database walks what it skips
            query = dispute_keys(
                viewer, filters, sort=sort, after=after_values, before=before_values
            )
            keys = conn.execute(query.limit(limit).offset(offset)).all()
        else:
            page = dispute_page(
                viewer, filters, limit=limit, sort=sort, after=after_values, before=before_values
            )
            keys = read_page(conn, page, limit)
        if before_values is not None:
            keys.reverse()
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
                cursor=encode_cursor(key, sort),
            )
        )
    return lines


MENU_VALUES = 300  # more choices than a menu is any use with: read them the plain way


def _distinct(conn: Connection, viewer: Principal, column: Any) -> list[Any]:
    """The distinct values of an `orders` column among the viewer's orders, in order: one
    index seek each (the least one past the last found: a store's 100,000 orders cost as few
    as their handful of countries), or, past `MENU_VALUES` of them, one DISTINCT over them."""
    values: list[Any] = []
    while len(values) < MENU_VALUES:
        query = scoped(select(func.min(column)), viewer).where(column.is_not(None))
        if values:
            query = query.where(column > values[-1])
        value = conn.scalar(query)
        if value is None:
            return values
        values.append(value)
    distinct = scoped(select(column).distinct(), viewer).where(column.is_not(None))
    return sorted(conn.scalars(distinct).all())


def filter_choices(db: Database, viewer: Principal) -> dict[str, list[str]]:
    """The countries and carriers among the viewer's orders (for the filter menus)."""
    with db.engine.connect() as conn:
        countries = _distinct(conn, viewer, t.orders.c.destination_country)
        carriers = _distinct(conn, viewer, t.orders.c.carrier)
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
