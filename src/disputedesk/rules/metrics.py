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
One definition, in two steps: `order_facts` reduces an order's history to what the figures read
(its receipts and auto-completions, its disputes with their openings, cancellations,
escalations and rulings, the carrier of its first `ship`; only the actions in METRIC_ACTIONS
and, of each one's data, its DETAIL_FIELD), and `Tally` adds orders up one at a time. `compute`
is both over histories; the readers of the event log (services/metrics.py) select those events
set-based and feed the same two.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
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


# The one field of an event's data each action's figures read.
DETAIL_FIELD: dict[str, str] = {
    Action.SHIP: "carrier",
    Action.OPEN_DISPUTE: "reason",
    Action.RULE: "responsibility",
}
COMPLETIONS = frozenset({Action.CONFIRM_RECEIPT, Action.ORDER_AUTO_COMPLETED})
DISPUTE_STEPS = frozenset({Action.CANCEL_DISPUTE}) | ESCALATIONS | RULINGS
# Every action the figures read; an order's other events change none of them.
METRIC_ACTIONS = frozenset({Action.SHIP, Action.OPEN_DISPUTE}) | COMPLETIONS | DISPUTE_STEPS

Step = tuple[datetime, str, Any]  # (at, action, the action's DETAIL_FIELD value or None)


@dataclass(slots=True)
class DisputeFacts:
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


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What the figures read of one order's history: its keys, the instants its receipt was
    confirmed or it completed automatically, and its disputes (numbered in opening order)."""

    order_id: str
    category: str | None
    country: str | None
    carrier: str | None
    completions: Sequence[datetime]
    disputes: Sequence[DisputeFacts]


def order_facts(
    order_id: str, category: str | None, country: str | None, steps: Iterable[Step]
) -> OrderFacts:
    """An order's facts from its steps (at, action, detail), in order: any of its events, or
    only those whose action is in METRIC_ACTIONS (the others are skipped either way). The
    carrier is that of its first `ship`."""
    carrier: str | None = None
    shipped = False
    completions: list[datetime] = []
    disputes: list[DisputeFacts] = []
    current: DisputeFacts | None = None
    for at, action, detail in steps:
        if action in COMPLETIONS:
            completions.append(at)
        elif action == Action.OPEN_DISPUTE:
            current = DisputeFacts(order_id, len(disputes) + 1, str(detail), at)
            disputes.append(current)
        elif action == Action.SHIP:
            if not shipped:
                shipped, carrier = True, str(detail)
        elif current is None:
            continue
        elif action == Action.CANCEL_DISPUTE:
            current.cancelled_at = at
        elif action in ESCALATIONS:
            if current.escalated_at is None:
                current.escalated_at = at
        elif action == Action.RULE:
            current.rulings.append((at, detail))
        elif action == Action.AUTO_RULED:
            current.rulings.append((at, "seller"))
    return OrderFacts(order_id, category, country, carrier, completions, disputes)


def _steps(events: Iterable[HistoryEvent]) -> Iterator[Step]:
    for event in events:
        key = DETAIL_FIELD.get(event.action)
        yield event.at, event.action, None if key is None else event.data.get(key)


def facts_of(history: OrderHistory) -> OrderFacts:
    """The facts of a history (its carrier as the history gives it)."""
    facts = order_facts(history.order_id, history.category, history.country, _steps(history.events))
    if facts.carrier == history.carrier:
        return facts
    return OrderFacts(
        facts.order_id,
        facts.category,
        facts.country,
        history.carrier,
        facts.completions,
        facts.disputes,
    )


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


def _bump(rows: dict[str, Counts], key: str, counts: Counts) -> None:
    row = rows.get(key)
    if row is None:
        rows[key] = row = Counts()
    row.add(counts)


class Tally:
    """The figures of one store's orders over `period`, an order at a time (`compute_facts`;
    the readers of the event log feed it as the rows come)."""

    def __init__(self, period: Period, excluded: frozenset[tuple[str, int]] = frozenset()) -> None:
        self.period = period
        self.excluded = excluded
        self.total = Counts()
        self.by: dict[str, dict[str, Counts]] = {d: {} for d in DIMENSIONS}
        self.reason_rows: dict[str, Counts] = {}
        self.behind: dict[str, list[str]] = {}
        self._keyed = (self.by["category"], self.by["country"], self.by["carrier"])

    def _note(self, key: str, value: str) -> None:
        ids = self.behind.get(key)
        if ids is None:
            self.behind[key] = ids = []
        ids.append(value)

    def add(self, facts: OrderFacts) -> None:
        """One order's contribution: to the store's row, its keys' rows and its reasons'."""
        period, end = self.period, self.period.end
        disputes = facts.disputes
        if disputes and self.excluded:  # malicious disputes: not even their opening assesses
            disputes = [d for d in disputes if (facts.order_id, d.seq) not in self.excluded]
        if not disputes:  # most orders: assessed by a receipt or an auto-completion, or not
            for at in facts.completions:
                if period.holds(at):  # Counts(orders_assessed=1), the common case made short
                    self.total.orders_assessed += 1
                    self._note("orders_assessed", facts.order_id)
                    category, country, carrier = self._keyed
                    for rows, key in (
                        (category, facts.category),
                        (country, facts.country),
                        (carrier, facts.carrier),
                    ):
                        row = rows.get(key or UNKNOWN)
                        if row is None:
                            rows[key or UNKNOWN] = row = Counts()
                        row.orders_assessed += 1
                    break
            return
        assessed = any(period.holds(at) for at in facts.completions) or any(
            period.holds(d.opened_at) for d in disputes
        )
        if not assessed:
            return  # nothing of this order falls in the period
        counts = Counts(orders_assessed=1)
        self._note("orders_assessed", facts.order_id)
        nad_reasons: set[str] = set()
        reasons = self.reason_rows
        for dispute in disputes:
            if not period.holds(dispute.opened_at):
                continue
            row = reasons.get(dispute.reason)
            if row is None:
                reasons[dispute.reason] = row = Counts()
            label = f"{facts.order_id}-D{dispute.seq}"
            counts.disputes_opened += 1
            self._note("disputes_opened", label)
            if reason_category(dispute.reason) == NOT_AS_DESCRIBED and not (
                dispute.cancelled_at is not None and dispute.cancelled_at < end
            ):
                nad_reasons.add(dispute.reason)
            if dispute.escalated_at is not None and dispute.escalated_at < end:
                counts.disputes_escalated += 1
                row.disputes_escalated += 1
                self._note("disputes_escalated", label)
            if dispute.seller_ruled_before(end):
                counts.seller_responsible_rulings += 1
                row.seller_responsible_rulings += 1
                self._note("seller_responsible_rulings", label)
        if nad_reasons:
            counts.nad_orders = 1
            self._note("nad_orders", facts.order_id)
            for reason in nad_reasons:
                reasons[reason].nad_orders += 1
        self.total.add(counts)
        by = self.by
        _bump(by["category"], facts.category or UNKNOWN, counts)
        _bump(by["country"], facts.country or UNKNOWN, counts)
        _bump(by["carrier"], facts.carrier or UNKNOWN, counts)

    def metrics(self) -> Metrics:
        by = {d: dict(rows) for d, rows in self.by.items()}
        reason_rows = {}
        for reason, row in self.reason_rows.items():
            # each reason's numerators over the store's denominators
            reason_rows[reason] = Counts(
                self.total.orders_assessed,
                row.nad_orders,
                self.total.disputes_opened,
                row.disputes_escalated,
                row.seller_responsible_rulings,
            )
        by["reason"] = reason_rows
        return Metrics(
            self.period, replace(self.total), by, {k: list(v) for k, v in self.behind.items()}
        )


def compute_facts(
    facts: Iterable[OrderFacts],
    period: Period,
    *,
    excluded: frozenset[tuple[str, int]] = frozenset(),
) -> Metrics:
    """The store's figures over `period` from its orders' facts (all one store's orders)."""
    tally = Tally(period, excluded)
    for order in facts:
        tally.add(order)
    return tally.metrics()


def compute(
    histories: Iterable[OrderHistory],
    period: Period,
    *,
    excluded: frozenset[tuple[str, int]] = frozenset(),
) -> Metrics:
    """The store's figures over `period` (all `histories` are one store's orders)."""
    return compute_facts(map(facts_of, histories), period, excluded=excluded)


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
