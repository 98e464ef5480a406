"""RULES.md section 10, clause by clause, on hand-made histories: each scenario is one order of one
store, replayed by the core; the figures are worked out by hand in the comments. Then the
command (`disputedesk report metrics --scenarios`) and a property: breakdowns sum to the total.

The default order ships 2026-03-03T10:00:00Z with 30 promised days (deadline 2026-04-02T10:00Z,
auto-completion then), total 121.49."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from disputedesk.rules.instants import parse_instant
from disputedesk.rules.metrics import Period, compute
from disputedesk.services.metrics import history_of_scenario
from disputedesk.simulate import random_scenario
from helpers import ORDER, ev, open_dispute, plan, scenario, ship

EXE = str(Path(sys.executable).with_name("disputedesk"))
MARCH = ("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")


def at(text: str) -> datetime:
    instant = parse_instant(text)
    assert instant is not None
    return instant


def period(start: str = MARCH[0], end: str = MARCH[1]) -> Period:
    return Period(at(start), at(end))


def order(
    order_id: str, events: list[dict[str, Any]], *, until: str | None = None, **fields: Any
) -> Any:
    """One order's history: the scenario replayed (automatic steps up to its last event, or to
    `until`: the outcome's timeline, which is what the figures read)."""
    doc = scenario(events, until=until, order={**ORDER, "id": order_id, **fields})
    return history_of_scenario(json.dumps(doc))


def figures(histories: list[Any], p: Period | None = None, **kw: Any) -> dict[str, Any]:
    return compute(histories, p or period(), **kw).to_json()


def escalated(order_id: str, reason: str = "not_as_described.damaged", **kw: Any) -> Any:
    """Opened 03-10, rejected 03-11, escalated by the buyer 03-11 11:00 (steps up to 03-31)."""
    kw.setdefault("until", "2026-03-31T00:00:00Z")
    return order(
        order_id,
        [
            ship(),
            open_dispute("2026-03-10T10:00:00Z", reason=reason),
            ev("2026-03-11T10:00:00Z", "seller", "reject", note="no"),
            ev("2026-03-11T11:00:00Z", "buyer", "escalate"),
            *kw.pop("then", []),
        ],
        **kw,
    )


def test_the_denominator_counts_receipt_auto_completion_and_opening_once_each_order() -> None:
    confirmed = order("C1", [ship(), ev("2026-03-20T10:00:00Z", "buyer", "confirm_receipt")])
    # nothing happens: auto-completed at the deadline 2026-04-02T10:00Z (outside March)
    silent = order("C2", [ship()], until=MARCH[1], promised_delivery_days=10)  # completed 03-13
    disputed = order("C3", [ship(), open_dispute("2026-03-10T10:00:00Z")])
    not_yet = order("C4", [ship()])  # completes 04-02: outside the period
    got = figures([confirmed, silent, disputed, not_yet])
    assert got["orders_assessed"] == 3
    # the same order assessed twice over (opened, then the receipt) counts once
    both = order(
        "C5",
        [
            ship(),
            open_dispute("2026-03-10T10:00:00Z"),
            ev("2026-03-11T10:00:00Z", "buyer", "cancel_dispute"),
            ev("2026-03-12T10:00:00Z", "buyer", "confirm_receipt"),
        ],
    )
    assert figures([both])["orders_assessed"] == 1


def test_period_edges_are_the_instants_themselves() -> None:
    history = order("E1", [ship(), ev("2026-03-20T10:00:00Z", "buyer", "confirm_receipt")])
    assert (
        figures([history], period("2026-03-20T10:00:00Z", "2026-03-21T00:00:00Z"))[
            "orders_assessed"
        ]
        == 1
    )
    assert (
        figures([history], period("2026-03-01T00:00:00Z", "2026-03-20T10:00:00Z"))[
            "orders_assessed"
        ]
        == 0
    )


def test_nad_rate_and_cancelled_disputes_subtract() -> None:
    nad = order("N1", [ship(), open_dispute("2026-03-10T10:00:00Z")])
    cancelled = order(
        "N2",
        [
            ship(),
            open_dispute("2026-03-10T10:00:00Z"),
            ev("2026-03-12T10:00:00Z", "buyer", "cancel_dispute"),
        ],
    )
    # cancelled after the period ends: still counts
    late_cancel = order(
        "N3",
        [
            ship(),
            open_dispute("2026-03-30T10:00:00Z"),
            ev("2026-04-01T10:00:00Z", "buyer", "cancel_dispute"),
        ],
    )
    not_received = order(
        "N4", [ship(), open_dispute("2026-03-10T10:00:00Z", reason="not_received.in_transit")]
    )
    got = figures([nad, cancelled, late_cancel, not_received])
    # assessed: all four opened in March; NAD not cancelled before 04-01: N1, N3
    assert (got["orders_assessed"], got["nad_orders"], got["nad_rate"]) == (4, 2, 0.5)
    assert got["disputes_opened"] == 4  # cancelled disputes are still disputes opened


def test_ruling_rate_counts_any_escalation_before_the_end() -> None:
    buyer = escalated("R1")
    # opened 03-10, no agreement: auto-escalated 15 days on (day 16) = 03-25 10:00
    auto = order(
        "R2",
        [
            ship(),
            open_dispute("2026-03-10T10:00:00Z"),
            ev("2026-03-11T10:00:00Z", "seller", "propose", plan=plan("refund_only", "10.00")),
        ],
        until=MARCH[1],
    )
    quiet = order(
        "R3",
        [
            ship(),
            open_dispute("2026-03-10T10:00:00Z"),
            ev("2026-03-11T10:00:00Z", "seller", "accept"),
        ],
    )
    got = figures([buyer, auto, quiet], period("2026-03-01T00:00:00Z", "2026-03-27T00:00:00Z"))
    assert (got["disputes_opened"], got["disputes_escalated"]) == (3, 2)
    assert got["ruling_rate"] == 2 / 3
    # ending the period before the automatic escalation leaves it out
    early = figures([buyer, auto, quiet], period("2026-03-01T00:00:00Z", "2026-03-25T10:00:00Z"))
    assert early["disputes_escalated"] == 1


def test_seller_responsibility_by_ruling_and_auto_ruling() -> None:
    ruled_seller = escalated(
        "S1",
        then=[
            ev("2026-03-12T10:00:00Z", "arbitrator", "intervene"),
            ev(
                "2026-03-13T10:00:00Z",
                "arbitrator",
                "rule",
                refund_amount="40.00",
                responsibility="seller",
            ),
        ],
    )
    ruled_buyer = escalated(
        "S2",
        then=[
            ev("2026-03-12T10:00:00Z", "arbitrator", "intervene"),
            ev(
                "2026-03-13T10:00:00Z",
                "arbitrator",
                "rule",
                refund_amount="0",
                responsibility="buyer",
            ),
        ],
    )
    # intervene 03-12 10:00 -> the seller's evidence periods (3 d + 3 d) run out 03-18 10:00:
    # auto_ruled, seller responsible
    auto_ruled = escalated("S3", then=[ev("2026-03-12T10:00:00Z", "arbitrator", "intervene")])
    histories = [ruled_seller, ruled_buyer, auto_ruled]
    got = figures(histories, period("2026-03-01T00:00:00Z", "2026-03-31T00:00:00Z"))
    assert (got["orders_assessed"], got["seller_responsible_rulings"]) == (3, 2)
    assert got["seller_responsibility_rate"] == 2 / 3
    before_auto = figures(histories, period("2026-03-01T00:00:00Z", "2026-03-18T10:00:00Z"))
    assert before_auto["seller_responsible_rulings"] == 1


def test_a_zero_denominator_is_no_figure() -> None:
    history = order("Z1", [ship()])
    got = figures([history])
    assert got["orders_assessed"] == 0
    assert got["nad_rate"] is None and got["ruling_rate"] is None
    assert got["seller_responsibility_rate"] is None
    assert got["by"] == {"category": {}, "country": {}, "carrier": {}, "reason": {}}


def test_upheld_malicious_disputes_are_left_out_of_everything() -> None:
    malicious = escalated("M1")
    honest = escalated("M2")
    got = figures([malicious, honest], excluded=frozenset({("M1", 1)}))
    assert (got["orders_assessed"], got["nad_orders"], got["disputes_opened"]) == (1, 1, 1)
    assert got["disputes_escalated"] == 1


def test_breakdowns_split_orders_and_reasons_share_the_store_denominators() -> None:
    shoes = escalated("B1", category="apparel/shoes", destination_country="BR")
    phone = order(
        "B2",
        [ship(), open_dispute("2026-03-10T10:00:00Z", reason="not_received.in_transit")],
        category="electronics/phones",
        destination_country="US",
    )
    got = figures([shoes, phone])
    assert got["by"]["category"]["apparel/shoes"]["orders_assessed"] == 1
    assert got["by"]["category"]["electronics/phones"]["nad_orders"] == 0
    assert set(got["by"]["country"]) == {"BR", "US"}
    assert got["by"]["carrier"]["China Post"]["orders_assessed"] == 2
    reasons = got["by"]["reason"]
    assert reasons["not_as_described.damaged"] == {
        "orders_assessed": 2,  # the store's
        "nad_orders": 1,
        "nad_rate": 0.5,
        "disputes_opened": 2,  # the store's
        "disputes_escalated": 1,
        "ruling_rate": 0.5,
        "seller_responsible_rulings": 0,
        "seller_responsibility_rate": 0.0,
    }
    assert reasons["not_received.in_transit"]["nad_orders"] == 0


def test_an_order_with_two_reasons_counts_once_in_each() -> None:
    """A cancelled damaged dispute, then a wrong-item one: NAD counts the order once overall
    (the second is not cancelled) and in the wrong-item row only."""
    history = order(
        "T1",
        [
            ship(),
            open_dispute("2026-03-10T10:00:00Z", reason="not_as_described.damaged"),
            ev("2026-03-11T10:00:00Z", "buyer", "cancel_dispute"),
            open_dispute("2026-03-12T10:00:00Z", reason="not_as_described.wrong_item"),
        ],
    )
    got = figures([history])
    assert (got["nad_orders"], got["disputes_opened"]) == (1, 2)
    assert got["by"]["reason"]["not_as_described.damaged"]["nad_orders"] == 0
    assert got["by"]["reason"]["not_as_described.wrong_item"]["nad_orders"] == 1


@pytest.mark.parametrize("seed", range(5))
def test_breakdowns_sum_to_the_total(seed: int) -> None:
    rng = random.Random(seed)
    histories = [history_of_scenario(json.dumps(random_scenario(rng))) for _ in range(120)]
    got = compute(histories, Period(at("2026-01-01T00:00:00Z"), at("2027-03-01T00:00:00Z")))
    total = got.total
    assert total.orders_assessed > 20
    for dimension in ("category", "country", "carrier"):
        rows = got.by[dimension].values()
        for name in (
            "orders_assessed",
            "nad_orders",
            "disputes_opened",
            "disputes_escalated",
            "seller_responsible_rulings",
        ):
            assert sum(getattr(r, name) for r in rows) == getattr(total, name), (dimension, name)
    # by reason: numerators at least the total's (an order counts once per reason), never less
    reasons = got.by["reason"].values()
    assert sum(r.disputes_escalated for r in reasons) == total.disputes_escalated
    assert sum(r.nad_orders for r in reasons) >= total.nad_orders


def test_the_command_prints_the_figures(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    docs = {
        "a.json": scenario([ship(), open_dispute("2026-03-10T10:00:00Z")]),
        "b.json": scenario([ship(), ev("2026-03-20T10:00:00Z", "buyer", "confirm_receipt")]),
    }
    for name, doc in docs.items():
        (tmp_path / "corpus" / name).write_text(json.dumps(doc))
    (tmp_path / "corpus" / "bad.json").write_text("{not json")
    done = subprocess.run(
        [
            EXE,
            "report",
            "metrics",
            "--scenarios",
            str(tmp_path / "corpus"),
            "--from",
            MARCH[0],
            "--to",
            MARCH[1],
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert (got["orders_assessed"], got["nad_orders"], got["nad_rate"]) == (2, 1, 0.5)
    assert "bad.json: skipped" in done.stderr
    wrong = subprocess.run(
        [EXE, "report", "metrics", "--scenarios", str(tmp_path), "--from", "x", "--to", MARCH[1]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert wrong.returncode == 2 and "--from" in wrong.stderr
