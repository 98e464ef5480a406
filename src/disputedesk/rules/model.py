"""The state the rules act on: an order and its disputes. Plain data, JSON round-trippable.

The state holds facts (instants, amounts, plans); deadlines are derived from it and the policy
(`lifecycle.due`), so a policy change moves every pending deadline consistently.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.rules.money import ZERO, add_money, format_money, subtract_money
from disputedesk.rules.vocabulary import DisputeStatus, OrderStatus


@dataclass(frozen=True, slots=True)
class Plan:
    """A side's plan (RULES.md section 6); `amount` is None for `resend`."""

    type: str
    amount: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        if self.amount is not None:
            out["amount"] = format_money(self.amount)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        amount = data.get("amount")
        return cls(data["type"], Decimal(amount) if amount is not None else None)


@dataclass(frozen=True, slots=True)
class Evidence:
    actor: str
    kind: str
    description: str
    at: datetime


@dataclass(slots=True)
class Order:
    id: str
    amount: Decimal
    shipping: Decimal
    currency: str
    placed_at: datetime
    promised_delivery_days: int
    destination_country: str | None = None
    category: str | None = None
    status: str = OrderStatus.AWAITING_SHIPMENT
    shipped_at: datetime | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    delivery_deadline: datetime | None = None
    delivery_extension_days: int = 0
    completed_at: datetime | None = None
    refunded_total: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        """The order total: goods plus refundable shipping (seed 002)."""
        return add_money(self.amount, self.shipping)

    @property
    def refundable(self) -> Decimal:
        """What is still refundable."""
        return subtract_money(self.total, self.refunded_total)


@dataclass(slots=True)
class Dispute:
    reason: str
    opened_at: datetime
    buyer_plan: Plan
    goods_received: bool
    note: str | None = None
    status: str = DisputeStatus.AWAITING_SELLER_RESPONSE
    seller_plan: Plan | None = None
    seller_last_response: str | None = None  # propose / reject / accept
    seller_clock_from: datetime | None = None  # opening or the last modify_dispute
    agreed_amount: Decimal | None = None
    agreed_at: datetime | None = None  # agreement or ruling that started a return or resend
    return_shipped_at: datetime | None = None
    return_carrier: str | None = None
    return_tracking_number: str | None = None
    escalation: str | None = None
    escalated_at: datetime | None = None
    evidence_period: int = 0  # 1-based number of the running evidence period
    evidence_period_started_at: datetime | None = None
    evidence: tuple[Evidence, ...] = ()
    resolution: str | None = None
    refund_amount: Decimal = ZERO
    responsibility: str | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status != DisputeStatus.CLOSED

    def to_json(self) -> dict[str, Any]:
        return _dump(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Dispute:
        return _load(Dispute, data)


@dataclass(slots=True)
class State:
    order: Order
    disputes: tuple[Dispute, ...] = ()
    clock: datetime | None = None  # the last instant the rules were stepped to

    @property
    def open_dispute(self) -> Dispute | None:
        if self.disputes and self.disputes[-1].status != DisputeStatus.CLOSED:
            return self.disputes[-1]
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "order": _dump(self.order),
            "disputes": [_dump(d) for d in self.disputes],
            "clock": format_instant(self.clock),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> State:
        return cls(
            order=_load(Order, data["order"]),
            disputes=tuple(_load(Dispute, d) for d in data["disputes"]),
            clock=parse_instant(data["clock"]),
        )


_DECIMALS = {"amount", "shipping", "refunded_total", "agreed_amount", "refund_amount"}
_INSTANTS = {
    "placed_at",
    "shipped_at",
    "delivery_deadline",
    "completed_at",
    "opened_at",
    "seller_clock_from",
    "agreed_at",
    "return_shipped_at",
    "escalated_at",
    "evidence_period_started_at",
    "closed_at",
}
_PLANS = {"buyer_plan", "seller_plan"}
_T = TypeVar("_T", Order, Dispute)


def _dump(obj: Order | Dispute) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if value is None:
            out[f.name] = None
        elif f.name in _DECIMALS:
            out[f.name] = str(value)
        elif f.name in _INSTANTS:
            out[f.name] = format_instant(value)
        elif f.name in _PLANS:
            out[f.name] = value.to_json()
        elif f.name == "evidence":
            out[f.name] = [
                {
                    "actor": e.actor,
                    "kind": e.kind,
                    "description": e.description,
                    "at": format_instant(e.at),
                }
                for e in value
            ]
        else:
            out[f.name] = value
    return out


def _load(cls: type[_T], data: dict[str, Any]) -> _T:
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if value is None:
            kwargs[f.name] = None
        elif f.name in _DECIMALS:
            kwargs[f.name] = Decimal(value)
        elif f.name in _INSTANTS:
            kwargs[f.name] = parse_instant(value)
        elif f.name in _PLANS:
            kwargs[f.name] = Plan.from_json(value)
        elif f.name == "evidence":
            kwargs[f.name] = tuple(
                Evidence(e["actor"], e["kind"], e["description"], parse_instant(e["at"]))  # type: ignore[arg-type]
                for e in value
            )
        else:
            kwargs[f.name] = value
    return cls(**kwargs)
