"""Random but plausible scenarios, for benchmarks, property tests and demo data.

`random_scenario(rng)` writes a scenario document (RULES.md section 11) whose events mostly make
sense (the right actor, well-formed fields, amounts within the order total) with a share of
refusals, at gaps that often land on or next to the rules' deadlines.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from disputedesk.rules.instants import format_instant
from disputedesk.rules.vocabulary import (
    PERMITTED_ACTIONS,
    REASONS,
    Action,
    EvidenceKind,
    PlanType,
    Responsibility,
)

_ACTORS_OF: dict[str, list[str]] = {}
for _actor, _actions in PERMITTED_ACTIONS.items():
    for _action in _actions:
        _ACTORS_OF.setdefault(_action, []).append(str(_actor))

# (action, weight): dispute traffic dominates, as in a real desk.
_WEIGHTS: list[tuple[str, int]] = [
    (Action.OPEN_DISPUTE, 8),
    (Action.ACCEPT, 5),
    (Action.PROPOSE, 5),
    (Action.REJECT, 4),
    (Action.MODIFY_DISPUTE, 3),
    (Action.ESCALATE, 4),
    (Action.CANCEL_DISPUTE, 1),
    (Action.SHIP_RETURN, 3),
    (Action.CONFIRM_RETURN_RECEIVED, 2),
    (Action.GIVE_UP_RETURN, 1),
    (Action.SHIP_REPLACEMENT, 2),
    (Action.INTERVENE, 3),
    (Action.SUBMIT_EVIDENCE, 4),
    (Action.RULE, 3),
    (Action.EXTEND_DELIVERY, 2),
    (Action.CONFIRM_RECEIPT, 2),
    (Action.TRACKING, 3),
]
_ACTIONS = [a for a, _ in _WEIGHTS]
_ACTION_WEIGHTS = [w for _, w in _WEIGHTS]
_REASONS = sorted(REASONS)
# Gaps between events, in seconds: the rules' windows, a second either side, and the ordinary.
_GAPS = [
    0,
    1,
    59,
    3600,
    6 * 3600,
    86400 - 1,
    86400,
    2 * 86400,
    3 * 86400,
    5 * 86400 - 1,
    5 * 86400,
    7 * 86400,
    10 * 86400,
    15 * 86400,
    30 * 86400,
]


def _amount(rng: random.Random, total_cents: int) -> str:
    roll = rng.random()
    if roll < 0.04:
        return rng.choice(["0", "12.345", "-5", "1e2", "40.", str(total_cents + 1)])
    cents = total_cents if roll < 0.3 else rng.randint(1, total_cents)
    text = f"{cents // 100}.{cents % 100:02d}"
    return text


def _plan(rng: random.Random, total_cents: int) -> dict[str, Any]:
    kind = rng.choice(
        [PlanType.REFUND_ONLY, PlanType.REFUND_ONLY, PlanType.RETURN_AND_REFUND, PlanType.RESEND]
    )
    plan: dict[str, Any] = {"type": str(kind)}
    if kind != PlanType.RESEND:
        plan["amount"] = _amount(rng, total_cents)
    return plan


def random_event(rng: random.Random, at: datetime, total_cents: int) -> dict[str, Any]:
    """One event at `at`: usually by the permitted actor with well-formed fields."""
    action = rng.choices(_ACTIONS, _ACTION_WEIGHTS)[0]
    actor = rng.choice(_ACTORS_OF[action])
    if rng.random() < 0.03:
        actor = rng.choice(["buyer", "seller", "arbitrator", "carrier", "system"])
    event: dict[str, Any] = {"at": format_instant(at), "actor": actor, "action": str(action)}
    if action == Action.OPEN_DISPUTE:
        event.update(
            reason=rng.choice(_REASONS),
            plan=_plan(rng, total_cents),
            goods_received=rng.random() < 0.5,
            note="opened by the simulator",
        )
    elif action in (Action.PROPOSE, Action.MODIFY_DISPUTE):
        event["plan"] = _plan(rng, total_cents)
    elif action == Action.REJECT:
        event["note"] = "not agreed"
    elif action in (Action.SHIP, Action.SHIP_RETURN, Action.SHIP_REPLACEMENT):
        event.update(carrier="China Post", tracking_number=f"RR{rng.randint(0, 10**9):09d}CN")
    elif action == Action.EXTEND_DELIVERY:
        event["days"] = rng.choice([1, 5, 10, 30, 91])
    elif action == Action.SUBMIT_EVIDENCE:
        event.update(kind=rng.choice(list(EvidenceKind)).value, description="evidence")
    elif action == Action.RULE:
        event.update(
            refund_amount=rng.choice(["0", _amount(rng, total_cents)]),
            responsibility=rng.choice(list(Responsibility)).value,
            return_required=rng.random() < 0.2,
        )
    elif action == Action.TRACKING:
        event.update(status="in_transit", description="departed sorting centre")
    if rng.random() < 0.02:  # a field gone wrong: refused as invalid_input or the like
        event[rng.choice(["plan", "days", "carrier", "kind", "refund_amount", "reason"])] = 40
    return event


def random_scenario(
    rng: random.Random, n_events: int = 10, start: datetime | None = None
) -> dict[str, Any]:
    """A scenario of `n_events` events (the first ships the order) and an `until` after them."""
    placed = start or datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(0, 365 * 86400)
    )
    amount_cents = rng.randint(100, 50_000)
    shipping_cents = rng.choice([0, 0, rng.randint(1, 5_000)])
    total_cents = amount_cents + shipping_cents
    at = placed + timedelta(hours=rng.randint(1, 72))
    events: list[dict[str, Any]] = [
        {
            "at": format_instant(at),
            "actor": "seller",
            "action": "ship",
            "carrier": "China Post",
            "tracking_number": f"RR{rng.randint(0, 10**9):09d}CN",
        }
    ]
    at += timedelta(days=5)
    for _ in range(n_events - 1):
        at += timedelta(seconds=rng.choice(_GAPS))
        events.append(random_event(rng, at, total_cents))
    return {
        "policy": "aliexpress",
        "order": {
            "id": f"SIM-{rng.randrange(10**8):08d}",
            "amount": f"{amount_cents // 100}.{amount_cents % 100:02d}",
            "shipping": f"{shipping_cents // 100}.{shipping_cents % 100:02d}",
            "currency": rng.choice(["USD", "EUR", "BRL", "RUB"]),
            "placed_at": format_instant(placed),
            "promised_delivery_days": rng.choice([3, 15, 20, 30, 45, 60]),
            "destination_country": rng.choice(["BR", "US", "ES", "FR", "RU", "PL"]),
            "category": rng.choice(["apparel/shoes", "electronics/phones", "home/kitchen"]),
        },
        "events": events,
        "until": format_instant(at + timedelta(days=rng.choice([0, 10, 60]))),
    }
