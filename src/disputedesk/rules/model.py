"""The state the rules act on: an order and its disputes. Plain data, JSON round-trippable.

The state holds facts (instants, amounts, plans); deadlines are derived from it and the policy
(`lifecycle.due`), so a policy change moves every pending deadline consistently.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from operator import attrgetter
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


# How each field is written and read: plain JSON values, money strings, instants, plans, the
# evidence list. Worked out once per class (a command and the worker's sweep convert every
# dispute they touch, twice).
_PLAIN, _DECIMAL, _INSTANT, _PLAN, _EVIDENCE = range(5)
_KINDS: dict[type, tuple[tuple[str, int], ...]] = {}


def _kinds(cls: type) -> tuple[tuple[str, int], ...]:
    kinds = _KINDS.get(cls)
    if kinds is None:
        kinds = _KINDS[cls] = tuple(
            (
                f.name,
                _DECIMAL
                if f.name in _DECIMALS
                else _INSTANT
                if f.name in _INSTANTS
                else _PLAN
                if f.name in _PLANS
                else _EVIDENCE
                if f.name == "evidence"
                else _PLAIN,
            )
            for f in fields(cls)
        )
    return kinds


def _dump(obj: Order | Dispute) -> dict[str, Any]:
    dump = _DUMPS.get(type(obj))
    if dump is None:
        dump = _DUMPS[type(obj)] = _compile_dump(type(obj))
    return dump(obj)


def _load(cls: type[_T], data: dict[str, Any]) -> _T:
    load = _LOADS.get(cls)
    if load is None:
        load = _LOADS[cls] = _compile_load(cls)
    return load(data)  # type: ignore[no-any-return]


# `_dump` and `_load` for one class are a function written for its fields (what `dataclasses`
# does for `__init__`): one dict display, one positional call, no loop over the fields. A JSON
# object without some field (state stored before the field existed) takes `_load_fields`.
_DUMPS: dict[type, Callable[[Any], dict[str, Any]]] = {}
_LOADS: dict[type, Callable[[dict[str, Any]], Any]] = {}
_DUMP_AS = {
    _PLAIN: "o.{name}",
    _DECIMAL: "None if (v := o.{name}) is None else str(v)",
    _INSTANT: "format_instant(o.{name})",
    _PLAN: "None if (v := o.{name}) is None else v.to_json()",
    _EVIDENCE: "None if (v := o.{name}) is None else evidence_json(v)",
}
_LOAD_AS = {
    _PLAIN: "d[{name!r}]",
    _DECIMAL: "None if (v := d[{name!r}]) is None else Decimal(v)",
    _INSTANT: "parse_instant(d[{name!r}])",
    _PLAN: "None if (v := d[{name!r}]) is None else plan(v)",
    _EVIDENCE: "None if (v := d[{name!r}]) is None else evidence(v)",
}


def _compile_dump(cls: type) -> Callable[[Any], dict[str, Any]]:
    items = ", ".join(f"{name!r}: {_DUMP_AS[kind].format(name=name)}" for name, kind in _kinds(cls))
    namespace = {"format_instant": format_instant, "evidence_json": _evidence_json}
    exec(f"def dump(o):\n    return {{{items}}}\n", namespace)  # field names only
    return namespace["dump"]  # type: ignore[no-any-return]


def _compile_load(cls: type) -> Callable[[dict[str, Any]], Any]:
    args = ", ".join(_LOAD_AS[kind].format(name=name) for name, kind in _kinds(cls))
    namespace = {
        "cls": cls,
        "Decimal": Decimal,
        "parse_instant": parse_instant,
        "plan": Plan.from_json,
        "evidence": _evidence,
        "fields": _load_fields,
    }
    source = (
        "def load(d):\n"
        "    try:\n"
        f"        return cls({args})\n"
        "    except KeyError:\n"
        "        return fields(cls, d)\n"
    )
    exec(source, namespace)  # field names only
    return namespace["load"]  # type: ignore[no-any-return]


def _evidence_json(value: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [
        {"actor": e.actor, "kind": e.kind, "description": e.description, "at": format_instant(e.at)}
        for e in value
    ]


def _evidence(value: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(e["actor"], e["kind"], e["description"], parse_instant(e["at"]))  # type: ignore[arg-type]
        for e in value
    )


def _load_fields(cls: type[_T], data: dict[str, Any]) -> _T:
    """A JSON object that may lack fields: the class's defaults stand in for them."""
    kwargs: dict[str, Any] = {}
    for name, kind in _kinds(cls):
        if name not in data:
            continue
        value = data[name]
        if value is None or kind == _PLAIN:
            kwargs[name] = value
        elif kind == _DECIMAL:
            kwargs[name] = Decimal(value)
        elif kind == _INSTANT:
            kwargs[name] = parse_instant(value)
        elif kind == _PLAN:
            kwargs[name] = Plan.from_json(value)
        else:
            kwargs[name] = _evidence(value)
    return cls(**kwargs)


# -- replace ----------------------------------------------------------------------------------

_D = TypeVar("_D")
_REPLACE: dict[type, tuple[Callable[[Any], Any], dict[str, int]] | None] = {}


def replace(obj: _D, /, **changes: Any) -> _D:
    """`dataclasses.replace`, for the core's dataclasses, without its per-call work: the fields
    are read in one call and the new object is built positionally. (The rules step states by
    replacing them; the worker does it for every dispute it fires.)"""
    cls = type(obj)
    plan = _REPLACE.get(cls, False)
    if plan is False:
        plan = _REPLACE[cls] = _replace_plan(cls)
    if plan is None:
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    read, index = plan
    values = list(read(obj))
    for name, value in changes.items():
        at = index.get(name)
        if at is None:
            raise TypeError(f"{cls.__name__} has no field {name!r}")
        values[at] = value
    return cls(*values)


def _replace_plan(cls: type) -> tuple[Callable[[Any], Any], dict[str, int]] | None:
    """How to read every field at once, and each field's position; None for a class whose
    fields cannot all be passed positionally (those take `dataclasses.replace`)."""
    found = fields(cls)
    if len(found) < 2 or any(not f.init or f.kw_only for f in found):
        return None
    names = [f.name for f in found]
    return attrgetter(*names), {name: at for at, name in enumerate(names)}
