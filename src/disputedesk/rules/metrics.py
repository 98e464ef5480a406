"""Seller metrics, RULES.md section 10: the three rates over an assessment period `[from, to)`,
decided by the instants in the orders' histories only, so the event log and `replay` outcomes
give the same figures on any day.

The input is each order's history: the accepted commands and the automatic steps, in order
(what `replay` produces and what the event log stores), with the order's category, destination
country and the carrier of its first `ship`. Disputes are numbered in opening order (1, 2, ...)
as everywhere else; `excluded` names disputes an operator upheld as malicious, left out of
every numerator and denominator.

- orders assessed: orders with, inside the period, an accepted `confirm_receipt`, an
  `order_auto_completed` step, or an accepted `open_dispute` (each order once);
- NAD orders: orders with a `not_as_described.*` dispute opened inside the period that the buyer
  had not cancelled before `to`;
- disputes opened inside the period, and of those the ones escalated (by the buyer, the seller
  or automatically) before `to`;
- seller-responsible rulings: disputes opened inside the period whose ruling before `to` (`rule`
  or `auto_ruled`; the last one, when a ruling was followed by another) put the responsibility
  on the seller.

Rates are exact fractions (`None` for a zero denominator, never 0). Breakdowns by category,
country and carrier split the orders (so their counts sum to the store's); by reason, each
reason's numerators over the store's denominators.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

from disputedesk.rules.vocabulary import NOT_AS_DESCRIBED, Action, reason_category

UNKNOWN = "unknown"  # the breakdown key of an order without a category, country or carrier
DIMENSIONS = ("category", "country", "carrier", "reason")
ESCALATIONS = frozenset({Action.ESCALATE, Action.AUTO_ESCALATED})
RULINGS = frozenset({Action.RULE, Action.AUTO_RULED})
ASSESSING = frozenset({Action.CONFIRM_RECEIPT, Action.ORDER_AUTO_COMPLETED, Action.OPEN_DISPUTE})


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """An accepted command or an automatic step: when, what, and its data (as logged)."""

    at: datetime
    action: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OrderHistory:
    order_id: str
    category: str | None
    country: str | None
    carrier: str | None  # of the order's first `ship`
    events: Sequence[HistoryEvent]  # in order


@dataclass(frozen=True, slots=True)
class Period:
    """`[start, end)`: an instant counts when start <= at < end."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("the period must end after it starts")

    def holds(self, at: datetime) -> bool:
        return self.start <= at < self.end


@dataclass(slots=True)
class _DisputeFacts:
    order_id: str
    seq: int
    reason: str
    opened_at: datetime
    cancelled_at: datetime | None = None
    escalated_at: datetime | None = None  # the first escalation
    rulings: list[tuple[datetime, str | None]] = field(default_factory=list)

    def seller_ruled_before(self, end: datetime) -> bool:
        before = [responsibility for at, responsibility in self.rulings if at < end]
        return bool(before) and before[-1] == "seller"


def disputes_of(history: OrderHistory) -> list[_DisputeFacts]:
    """The order's disputes with the instants the metrics look at, from its events."""
    disputes: list[_DisputeFacts] = []
    current: _DisputeFacts | None = None
    for event in history.events:
        if event.action == Action.OPEN_DISPUTE:
            current = _DisputeFacts(
                history.order_id, len(disputes) + 1, str(event.data.get("reason")), event.at
            )
            disputes.append(current)
        elif current is None:
            continue
        elif event.action == Action.CANCEL_DISPUTE:
            current.cancelled_at = event.at
        elif event.action in ESCALATIONS and current.escalated_at is None:
            current.escalated_at = event.at
        elif event.action == Action.RULE:
            current.rulings.append((event.at, event.data.get("responsibility")))
        elif event.action == Action.AUTO_RULED:
            current.rulings.append((event.at, "seller"))
    return disputes


@dataclass(slots=True)
class Counts:
    """The figures of one row: the counts and the three rates."""

    orders_assessed: int = 0
    nad_orders: int = 0
    disputes_opened: int = 0
    disputes_escalated: int = 0
    seller_responsible_rulings: int = 0

    @property
    def nad_rate(self) -> Fraction | None:
        return _rate(self.nad_orders, self.orders_assessed)

    @property
    def ruling_rate(self) -> Fraction | None:
        return _rate(self.disputes_escalated, self.disputes_opened)

    @property
    def seller_responsibility_rate(self) -> Fraction | None:
        return _rate(self.seller_responsible_rulings, self.orders_assessed)

    def add(self, other: Counts) -> None:
        self.orders_assessed += other.orders_assessed
        self.nad_orders += other.nad_orders
        self.disputes_opened += other.disputes_opened
        self.disputes_escalated += other.disputes_escalated
        self.seller_responsible_rulings += other.seller_responsible_rulings

    def to_json(self) -> dict[str, Any]:
        """The eight keys, rates as JSON numbers (`null` for a zero denominator)."""
        return {
            "orders_assessed": self.orders_assessed,
            "nad_orders": self.nad_orders,
            "nad_rate": _number(self.nad_rate),
            "disputes_opened": self.disputes_opened,
            "disputes_escalated": self.disputes_escalated,
            "ruling_rate": _number(self.ruling_rate),
            "seller_responsible_rulings": self.seller_responsible_rulings,
            "seller_responsibility_rate": _number(self.seller_responsibility_rate),
        }


def _rate(numerator: int, denominator: int) -> Fraction | None:
    return None if denominator == 0 else Fraction(numerator, denominator)


def _number(rate: Fraction | None) -> float | None:
    return None if rate is None else float(rate)


@dataclass(slots=True)
class Metrics:
    """A store's figures over a period, and the breakdowns. `behind` names, per figure, the
    orders and disputes that make it up (for the pages' "the disputes behind this number")."""

    period: Period
    total: Counts
    by: dict[str, dict[str, Counts]]
    behind: dict[str, list[str]]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.total.to_json(),
            "by": {
                dimension: {key: counts.to_json() for key, counts in sorted(rows.items())}
                for dimension, rows in self.by.items()
            },
        }


def _order_counts(
    history: OrderHistory, disputes: list[_DisputeFacts], period: Period
) -> tuple[Counts, dict[str, Counts], dict[str, list[str]]]:
    """One order's contribution to the store's row, its per-reason numerators, and the ids."""
    counts = Counts()
    by_reason: dict[str, Counts] = {}
    behind: dict[str, list[str]] = {}
    kept = {d.seq for d in disputes}
    assessed = False
    seq = 0
    for event in history.events:
        if event.action == Action.OPEN_DISPUTE:
            seq += 1
            if seq not in kept:
                continue  # a malicious dispute: not even its opening assesses the order
        if event.action in ASSESSING and period.holds(event.at):
            assessed = True
    if assessed:
        counts.orders_assessed = 1
        behind.setdefault("orders_assessed", []).append(history.order_id)
    nad_reasons: set[str] = set()
    for dispute in disputes:
        if not period.holds(dispute.opened_at):
            continue
        row = by_reason.setdefault(dispute.reason, Counts())
        label = f"{history.order_id}-D{dispute.seq}"
        counts.disputes_opened += 1
        behind.setdefault("disputes_opened", []).append(label)
        if reason_category(dispute.reason) == NOT_AS_DESCRIBED and not (
            dispute.cancelled_at is not None and dispute.cancelled_at < period.end
        ):
            nad_reasons.add(dispute.reason)
        if dispute.escalated_at is not None and dispute.escalated_at < period.end:
            counts.disputes_escalated += 1
            row.disputes_escalated += 1
            behind.setdefault("disputes_escalated", []).append(label)
        if dispute.seller_ruled_before(period.end):
            counts.seller_responsible_rulings += 1
            row.seller_responsible_rulings += 1
            behind.setdefault("seller_responsible_rulings", []).append(label)
    if nad_reasons:
        counts.nad_orders = 1
        behind.setdefault("nad_orders", []).append(history.order_id)
        for reason in nad_reasons:
            by_reason[reason].nad_orders = 1
    return counts, by_reason, behind


def compute(
    histories: Iterable[OrderHistory],
    period: Period,
    *,
    excluded: frozenset[tuple[str, int]] = frozenset(),
) -> Metrics:
    """The store's figures over `period` (all `histories` are one store's orders)."""
    total = Counts()
    by: dict[str, dict[str, Counts]] = {d: {} for d in DIMENSIONS}
    reason_rows: dict[str, Counts] = {}
    behind: dict[str, list[str]] = {}
    for history in histories:
        disputes = [d for d in disputes_of(history) if (history.order_id, d.seq) not in excluded]
        counts, by_reason, ids = _order_counts(history, disputes, period)
        if counts == Counts():
            continue  # nothing of this order falls in the period
        total.add(counts)
        for key, values in ids.items():
            behind.setdefault(key, []).extend(values)
        for dimension, key in (
            ("category", history.category),
            ("country", history.country),
            ("carrier", history.carrier),
        ):
            by[dimension].setdefault(key or UNKNOWN, Counts()).add(counts)
        for reason, row in by_reason.items():
            reason_rows.setdefault(reason, Counts()).add(row)
    for row in reason_rows.values():  # each reason's numerators over the store's denominators
        row.orders_assessed = total.orders_assessed
        row.disputes_opened = total.disputes_opened
    by["reason"] = reason_rows
    return Metrics(period, total, by, behind)


def history_from_events(
    order_id: str,
    category: str | None,
    country: str | None,
    events: Iterable[tuple[datetime, str, Mapping[str, Any]]],
) -> OrderHistory:
    """An order's history from its accepted events (at, action, data), in order; the carrier is
    that of its first `ship`."""
    kept = [HistoryEvent(at, action, data) for at, action, data in events]
    carrier = next((str(e.data.get("carrier")) for e in kept if e.action == Action.SHIP), None)
    return OrderHistory(order_id, category, country, carrier, kept)
