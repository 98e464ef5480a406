"""A template's placeholders filled for one reader: the order's facts written in the reader's
language (money in the order's currency, instants in the reader's zone). A fact the order does
not have is left out, so a text that needs it fails by name instead of saying nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from disputedesk.messaging import words
from disputedesk.messaging.render import day, instant, money, time_left
from disputedesk.rules.instants import parse_instant
from disputedesk.rules.model import Dispute, Plan


@dataclass(frozen=True, slots=True)
class OrderFacts:
    order_id: str
    store_name: str
    currency: str
    total: Decimal
    buyer_name: str | None = None
    items: Sequence[Any] = ()
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None  # the store's, with {number}
    country: str | None = None
    delivery_deadline: datetime | None = None
    dispute: Dispute | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


def items_text(items: Sequence[Any]) -> str | None:
    """ "2 × Running shoes, Socks": each item's title, with its quantity when more than one."""
    parts: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            title = item.get("title") or item.get("name") or item.get("sku")
            quantity = item.get("quantity")
        else:
            title, quantity = item, None
        if not title:
            continue
        count = quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else 1
        parts.append(f"{count} × {title}" if count > 1 else str(title))
    return ", ".join(parts) or None


def _plan_words(plan: Plan | None, currency: str, language: str) -> str | None:
    if plan is None:
        return None
    amount = money(plan.amount, currency, language) if plan.amount is not None else None
    return words.plan(plan.type, amount, language)


def values(
    facts: OrderFacts,
    data: Mapping[str, Any],
    *,
    language: str,
    time_zone: str,
    now: datetime,
) -> dict[str, str]:
    """Every placeholder the order (and the notification's `data`) has a value for."""
    out: dict[str, str | None] = {
        "order_number": facts.order_id,
        "buyer_name": facts.buyer_name,
        "store_name": facts.store_name,
        "items": items_text(facts.items),
        "order_total": money(facts.total, facts.currency, language),
        "carrier": facts.carrier,
        "tracking_number": facts.tracking_number,
        "country": words.country(facts.country, language) if facts.country else None,
    }
    if facts.tracking_number and facts.tracking_url:
        out["tracking_link"] = facts.tracking_url.replace("{number}", facts.tracking_number)
    if facts.delivery_deadline is not None:
        out["delivery_deadline"] = instant(facts.delivery_deadline, time_zone, language)
    dispute = facts.dispute
    if dispute is not None:
        out["reason"] = words.reason(dispute.reason, language)
        out["buyer_plan"] = _plan_words(dispute.buyer_plan, facts.currency, language)
        out["seller_plan"] = _plan_words(dispute.seller_plan, facts.currency, language)
        amount = dispute.agreed_amount
        if amount is None and dispute.buyer_plan.amount is not None:
            amount = dispute.buyer_plan.amount
        if amount is not None:
            out["refund_amount"] = money(amount, facts.currency, language)
        out["return_carrier"] = dispute.return_carrier
        out["return_tracking_number"] = dispute.return_tracking_number
    deadline = parse_instant(data["deadline"]) if data.get("deadline") else None
    if deadline is not None:
        out["deadline"] = instant(deadline, time_zone, language)
        out["time_left"] = time_left(deadline - now, language)
    if data.get("event_at"):
        out["event_at"] = day(parse_instant(data["event_at"]), time_zone, language)
    if data.get("place"):
        out["place"] = str(data["place"])
    if data.get("opens_at"):
        out["opens_at"] = instant(parse_instant(data["opens_at"]), time_zone, language)
    return {name: value for name, value in out.items() if value not in (None, "")}


SAMPLE_DISPUTE = Dispute.from_json(
    {
        "reason": "not_as_described.damaged",
        "opened_at": "2026-03-10T10:00:00Z",
        "buyer_plan": {"type": "return_and_refund", "amount": "40.00"},
        "seller_plan": {"type": "refund_only", "amount": "25.00"},
        "goods_received": True,
        "status": "negotiating",
        "agreed_amount": "40.00",
        "return_carrier": "Correios",
        "return_tracking_number": "LB123456789BR",
    }
)
SAMPLE = OrderFacts(
    order_id="8123456789",
    store_name="Li Wei Shoes",
    currency="BRL",
    total=Decimal("221.49"),
    buyer_name="Ana Souza",
    items=[{"title": "Running shoes", "quantity": 2}, {"title": "Socks", "quantity": 1}],
    carrier="China Post",
    tracking_number="RR123456789CN",
    tracking_url="https://t.17track.net/en#nums={number}",
    country="BR",
    delivery_deadline=parse_instant("2026-04-02T10:00:00Z"),
    dispute=SAMPLE_DISPUTE,
)
SAMPLE_NOW = parse_instant("2026-03-12T10:00:00Z")
SAMPLE_DATA = {
    "deadline": "2026-03-14T10:00:00Z",
    "event_at": "2026-03-11T15:30:00Z",
    "place": "Agência Central, Curitiba",
    "opens_at": "2026-03-13T01:00:00Z",
}


def sample_values(language: str, time_zone: str = "America/Sao_Paulo") -> dict[str, str]:
    """Every placeholder with a sample value, for the editor's preview and the tests."""
    return values(SAMPLE, SAMPLE_DATA, language=language, time_zone=time_zone, now=SAMPLE_NOW)
