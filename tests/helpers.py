"""Small builders for black-box scenario tests: write a scenario as Python, replay it in-process.

The scenario format and the outcome are RULES.md section 11; `run` goes through the same
`replay_scenario` that `disputedesk replay` uses.
"""

from __future__ import annotations

import copy
from typing import Any

from disputedesk.replay import replay_scenario

# A default order: total 121.49 USD, 30 promised days (seed 002's numbers).
ORDER: dict[str, Any] = {
    "id": "T1",
    "amount": "100.00",
    "shipping": "21.49",
    "currency": "USD",
    "placed_at": "2026-03-02T08:00:00Z",
    "promised_delivery_days": 30,
    "destination_country": "BR",
    "category": "apparel/shoes",
}

SHIP_AT = "2026-03-03T10:00:00Z"  # a Tuesday; delivery deadline 2026-04-02T10:00:00Z


def ev(at: str, actor: str, action: str, **fields: Any) -> dict[str, Any]:
    """One input event."""
    return {"at": at, "actor": actor, "action": action, **fields}


def ship(at: str = SHIP_AT) -> dict[str, Any]:
    return ev(at, "seller", "ship", carrier="China Post", tracking_number="RR123456789CN")


def plan(kind: str = "refund_only", amount: str | None = "40.00") -> dict[str, Any]:
    p: dict[str, Any] = {"type": kind}
    if amount is not None:
        p["amount"] = amount
    return p


def open_dispute(
    at: str,
    reason: str = "not_as_described.damaged",
    the_plan: dict[str, Any] | None = None,
    goods_received: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    return ev(
        at,
        "buyer",
        "open_dispute",
        reason=reason,
        plan=the_plan if the_plan is not None else plan(),
        goods_received=goods_received,
        **extra,
    )


def scenario(
    events: list[dict[str, Any]],
    *,
    until: str | None = None,
    order: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "policy": "aliexpress",
        "order": copy.deepcopy(order or ORDER),
        "events": copy.deepcopy(events),
    }
    if overrides is not None:
        doc["policy_overrides"] = overrides
    if until is not None:
        doc["until"] = until
    return doc


def run(
    events: list[dict[str, Any]],
    *,
    until: str | None = None,
    order: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Replay and return the outcome (raises MalformedScenario for a malformed scenario)."""
    return replay_scenario(scenario(events, until=until, order=order, overrides=overrides))


def steps(outcome: dict[str, Any]) -> list[tuple[str, str, str, bool, str | None]]:
    """The timeline as (at, actor, action, ok, error) tuples."""
    return [(e["at"], e["actor"], e["action"], e["ok"], e["error"]) for e in outcome["timeline"]]


def errors(outcome: dict[str, Any]) -> list[str | None]:
    """The error of every input event (automatic steps left out), in order."""
    return [e["error"] for e in outcome["timeline"] if e["actor"] != "system"]


def system_steps(outcome: dict[str, Any]) -> list[tuple[str, str]]:
    """The automatic steps as (at, action)."""
    return [(e["at"], e["action"]) for e in outcome["timeline"] if e["actor"] == "system"]


def dispute(outcome: dict[str, Any], index: int = -1) -> dict[str, Any]:
    return outcome["disputes"][index]
