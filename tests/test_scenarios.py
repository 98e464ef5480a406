"""The worked examples (copied from shared/scenarios into tests/scenarios), field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from disputedesk.replay import MalformedScenario, replay_scenario

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.json"))
ORDER_FIELDS = ("id", "status", "delivery_deadline", "completed_at", "refunded_total")
DISPUTE_FIELDS = (
    "reason",
    "status",
    "resolution",
    "refund_amount",
    "responsibility",
    "escalation",
    "opened_at",
    "escalated_at",
    "intervention_due_at",
    "closed_at",
)


def _load(path: Path) -> tuple[dict, dict]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    expect = doc.pop("expect")
    doc.pop("comment", None)
    return doc, expect


def test_the_worked_examples_are_here() -> None:
    assert len(SCENARIOS) >= 10


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_worked_example(path: Path) -> None:
    doc, expect = _load(path)
    if expect == {"exit": 2}:
        with pytest.raises(MalformedScenario):
            replay_scenario(doc)
        return
    got = replay_scenario(doc)
    assert set(got) == {"order", "disputes", "timeline"}
    assert set(got["order"]) == set(ORDER_FIELDS)
    for field in ORDER_FIELDS:
        assert got["order"][field] == expect["order"][field], f"order.{field}"
    assert len(got["disputes"]) == len(expect["disputes"])
    for i, (g, e) in enumerate(zip(got["disputes"], expect["disputes"], strict=True)):
        assert set(g) == set(DISPUTE_FIELDS)
        for field in DISPUTE_FIELDS:
            assert g[field] == e[field], f"disputes[{i}].{field}"
    assert got["timeline"] == expect["timeline"]
