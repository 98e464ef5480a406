"""What-if: the same cases replayed under other policy parameters, and what would differ.

A case is a scenario (an order and the commands people sent): from a scenario corpus, or
rebuilt from the event log (the accepted commands; the automatic steps are the core's to
recompute). Each case is replayed twice by the rules core, as it is and with the overrides,
and the two outcomes are compared: the disputes' endings and refunds, the automatic steps
(timeouts, escalations, auto-rulings), the commands that would now be refused. Pure: no I/O,
no clock; the caller says until when (`until`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from disputedesk.replay import Replay, Scenario, run
from disputedesk.rules.instants import format_instant
from disputedesk.rules.money import ZERO, format_money
from disputedesk.rules.policy import Policy, policy_from
from disputedesk.rules.vocabulary import Action

TIMEOUTS = frozenset(
    {
        Action.SELLER_RESPONSE_TIMEOUT,
        Action.RETURN_SHIPMENT_TIMEOUT,
        Action.RETURN_RECEIPT_TIMEOUT,
        Action.ORDER_AUTO_COMPLETED,
        Action.EVIDENCE_PERIOD_EXTENDED,
    }
)


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """What a replayed case comes to."""

    refunded_total: Decimal
    # per dispute: status, resolution, refund amount, escalation, closed at
    endings: tuple[tuple[str, str | None, str, str | None, str | None], ...]
    steps: Counter[str]  # automatic steps fired, by action
    escalations: int  # by anyone (escalate commands and automatic escalations)
    auto_rulings: int
    refused: int  # commands the rules refused

    def to_json(self) -> dict[str, Any]:
        return {
            "refunded_total": format_money(self.refunded_total),
            "disputes": [
                {"status": s, "resolution": r, "refund_amount": a, "escalation": e, "closed_at": c}
                for s, r, a, e, c in self.endings
            ],
            "steps": dict(sorted(self.steps.items())),
            "escalations": self.escalations,
            "auto_rulings": self.auto_rulings,
            "refused": self.refused,
        }


def outcome_of(replay: Replay) -> CaseOutcome:
    steps: Counter[str] = Counter()
    escalations = refused = 0
    for entry in replay.timeline:
        if entry.error is not None:
            refused += 1
        elif entry.actor == "system":
            steps[str(entry.action)] += 1
            escalations += entry.action == Action.AUTO_ESCALATED
        elif entry.action == Action.ESCALATE:
            escalations += 1
    return CaseOutcome(
        refunded_total=replay.state.order.refunded_total,
        endings=tuple(
            (
                str(d.status),
                d.resolution,
                format_money(d.refund_amount),
                d.escalation,
                format_instant(d.closed_at),
            )
            for d in replay.state.disputes
        ),
        steps=steps,
        escalations=escalations,
        auto_rulings=steps[Action.AUTO_RULED],
        refused=refused,
    )


@dataclass(frozen=True, slots=True)
class CaseDiff:
    case: str
    before: CaseOutcome
    after: CaseOutcome
    changes: tuple[str, ...]  # in words

    def to_json(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "changes": list(self.changes),
            "before": self.before.to_json(),
            "after": self.after.to_json(),
        }


def differences(before: CaseOutcome, after: CaseOutcome) -> tuple[str, ...]:
    """What changed, in words; empty when nothing did."""
    changes = []
    if before.refunded_total != after.refunded_total:
        was, now = format_money(before.refunded_total), format_money(after.refunded_total)
        changes.append(f"refunded {was} -> {now}")
    if before.endings != after.endings:
        changes.append(f"disputes {_endings(before)} -> {_endings(after)}")
    for action in sorted(set(before.steps) | set(after.steps)):
        if before.steps[action] != after.steps[action]:
            changes.append(f"{action} {before.steps[action]} -> {after.steps[action]}")
    if before.escalations != after.escalations:
        changes.append(f"escalations {before.escalations} -> {after.escalations}")
    if before.refused != after.refused:
        changes.append(f"refused commands {before.refused} -> {after.refused}")
    return tuple(changes)


def _endings(outcome: CaseOutcome) -> str:
    return "; ".join(
        f"{status}/{resolution or '-'}" + (f" at {closed}" if closed else "")
        for status, resolution, _amount, _escalation, closed in outcome.endings
    )


@dataclass(slots=True)
class Totals:
    cases: int = 0
    refunds: int = 0  # cases with a refund
    refunded: Decimal = ZERO
    timeouts: int = 0
    escalations: int = 0
    auto_rulings: int = 0
    refused: int = 0

    def add(self, outcome: CaseOutcome) -> None:
        self.cases += 1
        self.refunds += outcome.refunded_total > 0
        self.refunded += outcome.refunded_total
        self.timeouts += sum(n for a, n in outcome.steps.items() if a in TIMEOUTS)
        self.escalations += outcome.escalations
        self.auto_rulings += outcome.auto_rulings
        self.refused += outcome.refused

    def to_json(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "refunds": self.refunds,
            "refunded": format_money(self.refunded),
            "timeouts": self.timeouts,
            "escalations": self.escalations,
            "auto_rulings": self.auto_rulings,
            "refused": self.refused,
        }


@dataclass(slots=True)
class WhatIfReport:
    overrides: Mapping[str, Any]
    before: Totals = field(default_factory=Totals)
    after: Totals = field(default_factory=Totals)
    changed: list[CaseDiff] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (case, why)

    def to_json(self) -> dict[str, Any]:
        """Totals by count and money before and after, and the cases that changed. Money is
        summed across currencies as written: a store's cases share one."""
        return {
            "overrides": dict(self.overrides),
            "cases": self.before.cases,
            "changed_cases": len(self.changed),
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "changed": [diff.to_json() for diff in self.changed],
            "skipped": [{"case": case, "why": why} for case, why in self.skipped],
        }


def with_overrides(policy: Policy, overrides: Mapping[str, Any]) -> Policy:
    """`policy` with the what-if's parameters on top (checked: raises PolicyError)."""
    checked = policy_from(policy.name, dict(overrides))  # validates every override
    changed = {key: getattr(checked, key) for key in overrides}
    return replace(policy, **changed)


def compare(
    cases: Iterable[tuple[str, Scenario]],
    overrides: Mapping[str, Any],
    *,
    until: datetime | None = None,
) -> WhatIfReport:
    """Each case replayed as it is and with `overrides` (both up to `until` when given, else
    to the case's own `until` or last command), and the report of what differs."""
    report = WhatIfReport(overrides)
    for name, scenario in cases:
        if until is not None:
            last = scenario.commands[-1].at if scenario.commands else None
            scenario = replace(scenario, until=max(until, last) if last else until)
        before = outcome_of(run(scenario))
        after = outcome_of(
            run(replace(scenario, policy=with_overrides(scenario.policy, overrides)))
        )
        report.before.add(before)
        report.after.add(after)
        changes = differences(before, after)
        if changes:
            report.changed.append(CaseDiff(name, before, after, changes))
    return report
