"""`disputedesk replay`: a scenario file in, its outcome out (RULES.md section 11).

`load_scenario` turns a JSON document into a `Scenario` or raises `MalformedScenario` with one
line naming the field (and the event's index); `run` replays it through the rules core;
`outcome` writes the result in the contract's exact shape. Everything about an event beyond
`at`, `actor` and `action` is judged by the core when the event is applied.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.rules.lifecycle import Command, Entry, advance, handle, intervention_due_at
from disputedesk.rules.model import Dispute, Order, State
from disputedesk.rules.money import format_money, parse_money
from disputedesk.rules.policy import MAX_DAYS, Policy, PolicyError, policy_from
from disputedesk.rules.vocabulary import Action, Actor

KNOWN_ACTORS = frozenset(Actor.__members__.values())
KNOWN_ACTIONS = frozenset(Action.__members__.values())
_EVENT_KEYS = ("at", "actor", "action")


class MalformedScenario(ValueError):
    """A scenario that cannot be replayed at all; the message is one line naming the field."""


@dataclass(slots=True)
class Scenario:
    policy: Policy
    order: Order
    commands: list[Command]
    until: datetime | None = None
    comment: str | None = None  # what the scenario shows, for people (ignored by the rules)


@dataclass(slots=True)
class Replay:
    """A replay in progress: the state, the policy and the timeline so far. It can be saved to
    JSON and resumed (`to_json` / `from_json`), giving the same outcome as one replay."""

    policy: Policy
    state: State
    timeline: list[Entry] = field(default_factory=list)

    def apply(self, command: Command) -> None:
        self.state, entries = handle(self.state, command, self.policy)
        self.timeline.extend(entries)

    def run_until(self, until: datetime) -> None:
        self.state, fired = advance(self.state, until, self.policy)
        self.timeline.extend(Entry.of(e) for e in fired)

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state.to_json(), "timeline": [_entry_json(e) for e in self.timeline]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], policy: Policy) -> Replay:
        from disputedesk.rules.errors import ErrorCode

        timeline = [
            Entry(
                parse_instant(e["at"]),
                e["actor"],
                e["action"],  # type: ignore[arg-type]
                ErrorCode(e["error"]) if e["error"] else None,
            )
            for e in data["timeline"]
        ]
        return cls(policy, State.from_json(data["state"]), timeline)


# --------------------------------------------------------------------------------------------
# Loading and checking a scenario document


def _money(value: Any, where: str) -> Any:
    amount = parse_money(value)
    if amount is None:
        raise MalformedScenario(
            f'{where}: {value!r} is not a money string (digits, at most 2 decimals, e.g. "21.49")'
        )
    return amount


def _instant(value: Any, where: str) -> datetime:
    t = parse_instant(value)
    if t is None:
        raise MalformedScenario(
            f"{where}: {value!r} is not a UTC instant YYYY-MM-DDTHH:MM:SS[.ffffff]Z "
            "(years 1900-9000)"
        )
    return t


def _load_order(raw: Any) -> Order:
    if not isinstance(raw, dict):
        raise MalformedScenario("order: missing, or not an object")
    order_id = raw.get("id")
    if not isinstance(order_id, str) or not order_id:
        raise MalformedScenario(f"order.id: {order_id!r} is not a non-empty string")
    amount = _money(raw.get("amount"), "order.amount")
    shipping = _money(raw.get("shipping"), "order.shipping")
    currency = raw.get("currency")
    if not (
        isinstance(currency, str)
        and len(currency) == 3
        and currency.isascii()
        and currency.isalpha()
        and currency.isupper()
    ):
        raise MalformedScenario(f"order.currency: {currency!r} is not a 3-letter currency code")
    placed_at = _instant(raw.get("placed_at"), "order.placed_at")
    promised = raw.get("promised_delivery_days")
    if not isinstance(promised, int) or isinstance(promised, bool) or not 0 <= promised <= MAX_DAYS:
        raise MalformedScenario(
            f"order.promised_delivery_days: {promised!r} is not an integer from 0 to {MAX_DAYS}"
        )
    country, category = raw.get("destination_country"), raw.get("category")
    return Order(
        id=order_id,
        amount=amount,
        shipping=shipping,
        currency=currency,
        placed_at=placed_at,
        promised_delivery_days=promised,
        destination_country=country if isinstance(country, str) else None,
        category=category if isinstance(category, str) else None,
    )


def load_commands(raw: Any) -> list[Command]:
    """Check the `events` list: each event's `at`, `actor` and `action`, and their time order."""
    if not isinstance(raw, list):
        raise MalformedScenario("events: missing, or not a list")
    commands: list[Command] = []
    previous: datetime | None = None
    for i, event in enumerate(raw):
        where = f"events[{i}]"
        if not isinstance(event, dict):
            raise MalformedScenario(f"{where}: not an object")
        for key in _EVENT_KEYS:
            if key not in event:
                raise MalformedScenario(f"{where}.{key}: missing")
        at = _instant(event["at"], f"{where}.at")
        actor, action = event["actor"], event["action"]
        if not isinstance(actor, str) or actor not in KNOWN_ACTORS:
            raise MalformedScenario(f"{where}.actor: unknown actor {actor!r}")
        if not isinstance(action, str) or action not in KNOWN_ACTIONS:
            raise MalformedScenario(f"{where}.action: unknown action {action!r}")
        if previous is not None and at < previous:
            raise MalformedScenario(
                f"{where}.at: events out of time order: {format_instant(at)} is before "
                f"events[{i - 1}] at {format_instant(previous)}"
            )
        previous = at
        fields = {k: v for k, v in event.items() if k not in _EVENT_KEYS}
        commands.append(Command(at, actor, action, fields))
    return commands


def load_scenario(doc: Any) -> Scenario:
    """Check a parsed scenario document; raise `MalformedScenario` when it cannot be replayed."""
    if not isinstance(doc, dict):
        raise MalformedScenario("scenario: not a JSON object")
    name = doc.get("policy")
    overrides = doc.get("policy_overrides")
    if overrides is not None and not isinstance(overrides, dict):
        raise MalformedScenario("policy_overrides: not an object")
    try:
        policy = policy_from("aliexpress" if name is None else name, overrides)
    except PolicyError as exc:
        raise MalformedScenario(str(exc)) from None
    order = _load_order(doc.get("order"))
    commands = load_commands(doc.get("events"))
    until = None
    if doc.get("until") is not None:
        until = _instant(doc["until"], "until")
        if commands and until < commands[-1].at:
            raise MalformedScenario(
                f"until: {format_instant(until)} is before the last event "
                f"(events[{len(commands) - 1}] at {format_instant(commands[-1].at)})"
            )
    comment = doc.get("comment")
    return Scenario(policy, order, commands, until, comment if isinstance(comment, str) else None)


def parse_scenario_text(text: str) -> Scenario:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise MalformedScenario(f"scenario: not JSON ({exc})") from None
    return load_scenario(doc)


# --------------------------------------------------------------------------------------------
# Running and writing the outcome


def run(scenario: Scenario) -> Replay:
    replay = Replay(scenario.policy, State(order=scenario.order))
    for command in scenario.commands:
        replay.apply(command)
    if scenario.until is not None:
        replay.run_until(scenario.until)
    return replay


def _entry_json(e: Entry) -> dict[str, Any]:
    return {
        "at": format_instant(e.at),
        "actor": e.actor,
        "action": e.action,
        "ok": e.ok,
        "error": e.error.value if e.error else None,
    }


def _dispute_json(d: Dispute, policy: Policy) -> dict[str, Any]:
    return {
        "reason": d.reason,
        "status": d.status,
        "resolution": d.resolution,
        "refund_amount": format_money(d.refund_amount),
        "responsibility": d.responsibility,
        "escalation": d.escalation,
        "opened_at": format_instant(d.opened_at),
        "escalated_at": format_instant(d.escalated_at),
        "intervention_due_at": format_instant(intervention_due_at(d, policy)),
        "closed_at": format_instant(d.closed_at),
    }


def outcome(replay: Replay) -> dict[str, Any]:
    """The outcome in the exact shape of RULES.md section 11."""
    order = replay.state.order
    return {
        "order": {
            "id": order.id,
            "status": str(order.status),
            "delivery_deadline": format_instant(order.delivery_deadline),
            "completed_at": format_instant(order.completed_at),
            "refunded_total": format_money(order.refunded_total),
        },
        "disputes": [_dispute_json(d, replay.policy) for d in replay.state.disputes],
        "timeline": [_entry_json(e) for e in replay.timeline],
    }


def replay_scenario(doc: Any) -> dict[str, Any]:
    """Replay a parsed scenario document and return its outcome (raises `MalformedScenario`)."""
    return outcome(run(load_scenario(doc)))


def replay_text(text: str) -> dict[str, Any]:
    return outcome(run(parse_scenario_text(text)))


def scenario_paths(paths: list[str]) -> Iterator[str]:
    """Files to replay: each FILE as named, each DIR's `*.json` files (recursively, sorted)."""
    from pathlib import Path

    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from (str(f) for f in sorted(path.rglob("*.json")) if f.is_file())
        else:
            yield p
