"""Who may see what: a buyer their own orders, a store's staff their stores', an admin all. An
arbitrator sees escalated disputes and what belongs to them, never a later dispute of the same
order that nobody escalated: the order itself (its view, tracking and thread) only while its
latest dispute is an escalated one; an earlier escalated dispute, with the order's log and thread
up to that dispute's end. One WHERE clause per kind of viewer, for orders and for disputes,
shared by the API and the web desk; what a viewer may not see does not exist for them
(`not_found`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, and_, bindparam, false, func, select, true

from disputedesk.rules.model import Dispute
from disputedesk.rules.vocabulary import Action
from disputedesk.services.accounts import Principal
from disputedesk.store import tables as t


def latest_dispute_escalated() -> ColumnElement[bool]:
    """The order's latest dispute was escalated (correlated to the outer `orders` only)."""
    later = t.disputes.alias("later")
    latest_seq = (
        select(func.max(later.c.seq))
        .where(later.c.order_id == t.orders.c.id)
        .correlate(t.orders)
        .scalar_subquery()
    )
    return (
        select(t.disputes.c.order_id)
        .where(t.disputes.c.order_id == t.orders.c.id)
        .where(t.disputes.c.seq == latest_seq)
        .where(t.disputes.c.escalated_at.is_not(None))
        .correlate(t.orders)
        .exists()
    )


# The rule for each kind of viewer, as a WHERE clause on `orders` built once, the viewer's buyer
# id or stores as bound parameters (so a statement built on one can be built once too).
VISIBLE_TEMPLATES: dict[str, ColumnElement[bool]] = {
    "admin": true(),
    "buyer": t.orders.c.buyer_id == bindparam("visible_buyer_id"),
    "seller": t.orders.c.store_id.in_(bindparam("visible_store_ids", expanding=True)),
    "arbitrator": latest_dispute_escalated(),
    "nobody": false(),
}

# The same for disputes, as a WHERE clause on `orders` joined to `disputes`: the disputes of the
# orders a party or an operator sees; for an arbitrator, each escalated dispute.
VISIBLE_DISPUTE_TEMPLATES: dict[str, ColumnElement[bool]] = {
    **VISIBLE_TEMPLATES,
    "arbitrator": t.disputes.c.escalated_at.is_not(None),
}


def visibility(principal: Principal) -> tuple[str, dict[str, Any]]:
    """Which of `VISIBLE_TEMPLATES` (and `VISIBLE_DISPUTE_TEMPLATES`) applies to the viewer,
    and its parameters."""
    role = principal.role
    if role in ("admin", "arbitrator"):
        return role, {}
    if role == "buyer" and principal.buyer_id:
        return role, {"visible_buyer_id": principal.buyer_id}
    if role == "seller" and principal.stores:
        return role, {"visible_store_ids": list(principal.stores)}
    return "nobody", {}


def scoped(query: Select[Any], principal: Principal) -> Select[Any]:
    """`query` on `orders`, narrowed to what the viewer may see (its parameters bound)."""
    kind, params = visibility(principal)
    narrowed = query.where(VISIBLE_TEMPLATES[kind])
    return narrowed.params(**params) if params else narrowed


def scoped_disputes(query: Select[Any], principal: Principal) -> Select[Any]:
    """`query` on `disputes` joined to `orders`, narrowed to the disputes the viewer may see."""
    kind, params = visibility(principal)
    narrowed = query.where(VISIBLE_DISPUTE_TEMPLATES[kind])
    return narrowed.params(**params) if params else narrowed


def of_dispute(query: Select[Any], seq: Any) -> Select[Any]:
    """`query` on `orders` joined to the order's dispute number `seq` (a value or a bound
    parameter): add `VISIBLE_DISPUTE_TEMPLATES`' clause (or use `scoped_dispute`) to find the
    order of a dispute only if the viewer may see that dispute."""
    return query.join(
        t.disputes, and_(t.disputes.c.order_id == t.orders.c.id, t.disputes.c.seq == seq)
    )


def scoped_dispute(query: Select[Any], principal: Principal, seq: int) -> Select[Any]:
    """`query` on `orders`, narrowed to the order of dispute number `seq` if the viewer may see
    that dispute."""
    return scoped_disputes(of_dispute(query, seq), principal)


def may_see_dispute(principal: Principal, dispute: Dispute) -> bool:
    """`VISIBLE_DISPUTE_TEMPLATES` for a dispute of an order whose disputes the viewer sees
    (e.g. to link to the order's other disputes): an arbitrator sees escalated ones only."""
    return principal.role != "arbitrator" or dispute.escalated_at is not None


# -- what belongs to a dispute ---------------------------------------------------------------


def sees_whole_order(principal: Principal, disputes: Sequence[Dispute], seq: int) -> bool:
    """Whether the viewer of dispute number `seq` of an order (one they may see) sees the
    order's whole log and thread, up to now: a party or an operator always; an arbitrator when
    `seq` is the order's latest dispute (so that the order is visible to them, as
    `latest_dispute_escalated` says). Otherwise only what came up to that dispute's end
    (`events_until_end_of`, `messages_until_end_of`)."""
    return principal.role != "arbitrator" or seq == len(disputes)


class _Logged(Protocol):
    @property
    def at(self) -> datetime: ...

    @property
    def action(self) -> str: ...


class _Sent(Protocol):
    @property
    def sent_at(self) -> datetime: ...


E = TypeVar("E", bound=_Logged)
M = TypeVar("M", bound=_Sent)


def _span(events: Sequence[_Logged], seq: int) -> tuple[int, int]:
    """Where dispute number `seq` lies in the order's log: from the index of the event that
    opened it (0 if the log has none) to that of the event that opened the next one (the log's
    length if none did)."""
    openings = [i for i, e in enumerate(events) if e.action == Action.OPEN_DISPUTE]
    start = openings[seq - 1] if len(openings) >= seq else 0
    end = openings[seq] if len(openings) > seq else len(events)
    return start, end


def events_until_end_of(events: Sequence[E], disputes: Sequence[Dispute], seq: int) -> list[E]:
    """The order's log (`events`, all of it, in log order) up to the end of its dispute number
    `seq`: nothing after it closed, nothing of a later dispute (even one opened at the instant
    it closed)."""
    closed = disputes[seq - 1].closed_at
    _, end = _span(events, seq)
    return [e for e in events[:end] if closed is None or e.at <= closed]


def events_of(events: Sequence[E], disputes: Sequence[Dispute], seq: int) -> list[E]:
    """Dispute number `seq`'s own history in the order's log (`events`, all of it): from its
    opening to its end, nothing of the disputes before or after it."""
    dispute = disputes[seq - 1]
    start, end = _span(events, seq)
    return [
        e
        for e in events[start:end]
        if e.at >= dispute.opened_at and (dispute.closed_at is None or e.at <= dispute.closed_at)
    ]


def messages_until_end_of(messages: Sequence[M], disputes: Sequence[Dispute], seq: int) -> list[M]:
    """The order's messages sent up to the end of its dispute number `seq` (none once a later
    dispute was opened)."""
    closed = disputes[seq - 1].closed_at
    following = disputes[seq].opened_at if seq < len(disputes) else None
    return [
        m
        for m in messages
        if (closed is None or m.sent_at <= closed) and (following is None or m.sent_at < following)
    ]
