"""The metrics from the store's event log (both databases): the same figures as the scenarios
replayed; upheld malicious reports left out; red lines versioned; the assessment raising each
alert and penalty once, and a penalty mark for a counterfeit ruled without brand authorization."""

from __future__ import annotations

import json
from datetime import datetime
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy import func, select

from disputedesk.rules.instants import parse_instant
from disputedesk.rules.metrics import Period, compute
from disputedesk.rules.redlines import RedLine, lines_in_force
from disputedesk.services import commands, malicious
from disputedesk.services.commands import ServiceError
from disputedesk.services.metrics import history_of_scenario, parse_period, store_metrics
from disputedesk.services.orders import check_order, create_order
from disputedesk.services.redlines import assess, parse_percent, red_lines, set_red_line
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from helpers import ORDER, ev, open_dispute, plan, scenario, ship

MARCH = Period(
    parse_instant("2026-03-01T00:00:00Z"),  # type: ignore[arg-type]
    parse_instant("2026-04-01T00:00:00Z"),  # type: ignore[arg-type]
)


def at(text: str) -> datetime:
    instant = parse_instant(text)
    assert instant is not None
    return instant


def damaged(order_id: str, *extra: dict[str, Any]) -> dict[str, Any]:
    return scenario([ship(), open_dispute("2026-03-10T10:00:00Z"), *extra])


CASES = {
    "A1": damaged("A1"),
    "A2": damaged("A2", ev("2026-03-11T10:00:00Z", "buyer", "cancel_dispute")),
    "A3": damaged(
        "A3",
        ev("2026-03-11T10:00:00Z", "seller", "reject", note="no"),
        ev("2026-03-11T11:00:00Z", "buyer", "escalate"),
    ),
    "A4": scenario([ship(), ev("2026-03-20T10:00:00Z", "buyer", "confirm_receipt")]),
    "A5": scenario(
        [
            ship(),
            open_dispute(
                "2026-03-10T10:00:00Z",
                reason="not_received.in_transit",
                the_plan=plan("refund_only", "121.49"),
            ),
        ]
    ),
}


def store(db: Database, cases: dict[str, dict[str, Any]], store_id: str = "shop1") -> None:
    for order_id, doc in cases.items():
        order = check_order({**ORDER, "id": order_id, "store_id": store_id, "buyer_id": "B1"})
        create_order(db, order, now=at(ORDER["placed_at"]))
        for event in doc["events"]:
            fields = {k: v for k, v in event.items() if k not in ("at", "actor", "action")}
            result = commands.execute(
                db, order_id, event["actor"], event["action"], fields, at(event["at"])
            )
            assert result.ok, (order_id, result.refusal)


def test_the_store_and_the_replays_give_the_same_figures(db: Database) -> None:
    store(db, CASES)
    from_store = store_metrics(db, "shop1", MARCH).to_json()
    replayed = [
        history_of_scenario(json.dumps({**doc, "order": {**doc["order"], "id": order_id}}))
        for order_id, doc in CASES.items()
    ]
    assert from_store == compute(replayed, MARCH).to_json()
    assert (from_store["orders_assessed"], from_store["nad_orders"]) == (5, 2)
    assert from_store["disputes_escalated"] == 1
    assert store_metrics(db, "nosuch", MARCH).to_json()["orders_assessed"] == 0


def test_an_upheld_malicious_report_leaves_the_dispute_out(db: Database) -> None:
    store(db, CASES)
    report = malicious.report_dispute(
        db, "A3", 1, reason="The buyer returned a different item", reported_by="li@shop1.test"
    )
    assert report.status == "pending" and report.dispute == "A3-D1"
    with pytest.raises(ServiceError) as again:
        malicious.report_dispute(db, "A3", 1, reason="again", reported_by="li@shop1.test")
    assert again.value.code == "conflict"
    before = store_metrics(db, "shop1", MARCH).to_json()
    malicious.decide(db, report.id, decision="upheld", note="Photos show a swap", decided_by="ops")
    after = store_metrics(db, "shop1", MARCH).to_json()
    assert before["orders_assessed"] - after["orders_assessed"] == 1
    assert before["disputes_escalated"] - after["disputes_escalated"] == 1
    with pytest.raises(ServiceError) as decided:
        malicious.decide(db, report.id, decision="rejected", note="x", decided_by="ops")
    assert decided.value.code == "invalid_state"
    with db.engine.connect() as conn:
        assert malicious.buyer_flags(conn, ["B1", "B2"]) == {"B1": 1}


def test_red_lines_are_versioned(db: Database) -> None:
    set_red_line(
        db,
        metric="nad_rate",
        threshold_ppm=parse_percent("10%"),
        category="apparel/shoes",
        effective_from=at("2026-02-01T00:00:00Z"),
        by="ops",
    )
    set_red_line(
        db,
        metric="nad_rate",
        threshold_ppm=parse_percent("8"),
        category="apparel/shoes",
        effective_from=at("2026-04-01T00:00:00Z"),
        by="ops",
    )
    with db.engine.connect() as conn:
        history = red_lines(conn)
    march = lines_in_force(history, at("2026-03-15T00:00:00Z"))
    april = lines_in_force(history, at("2026-04-01T00:00:00Z"))
    assert march[("apparel/shoes", "nad_rate")].threshold == Fraction(1, 10)
    assert april[("apparel/shoes", "nad_rate")].threshold == Fraction(8, 100)
    assert march[(None, "nad_rate")] == RedLine(None, "nad_rate", Fraction(5, 100))
    with pytest.raises(ServiceError):
        parse_percent("120")
    with pytest.raises(ServiceError):
        set_red_line(
            db,
            metric="happiness",
            threshold_ppm=1,
            category=None,
            effective_from=at("2026-02-01T00:00:00Z"),
            by="ops",
        )


def test_the_assessment_raises_each_alert_and_penalty_once(db: Database) -> None:
    store(db, CASES)
    # April 5th: March is over; its NAD rate 2/5 = 40% is over the default 5% line
    first = assess(db, at("2026-04-05T00:00:00Z"))
    assert first.penalties >= 1
    again = assess(db, at("2026-04-05T06:00:00Z"))
    assert (again.penalties, again.alerts) == (0, 0)
    with db.engine.connect() as conn:
        penalty = conn.execute(select(t.penalties).where(t.penalties.c.metric == "nad_rate")).one()
    assert (penalty.figure_ppm, penalty.threshold_ppm) == (400_000, 50_000)
    assert penalty.period_from == at("2026-03-01T00:00:00Z")
    assert sorted(penalty.data["disputes"]) == ["A1", "A3"]
    # the rolling 30 days up to 03-25 hold the disputes: alerts, once a week
    alerts = assess(db, at("2026-03-25T00:00:00Z")).alerts
    assert alerts >= 1 and assess(db, at("2026-03-26T00:00:00Z")).alerts == 0


def test_a_counterfeit_ruled_against_the_seller_without_authorization_is_marked(
    db: Database,
) -> None:
    events = [
        ship(),
        open_dispute(
            "2026-03-10T10:00:00Z",
            reason="not_as_described.counterfeit",
            the_plan=plan("refund_only", "121.49"),
        ),
        ev("2026-03-11T10:00:00Z", "seller", "reject", note="original"),
        ev("2026-03-11T11:00:00Z", "buyer", "escalate"),
        ev("2026-03-12T10:00:00Z", "arbitrator", "intervene"),
        ev(
            "2026-03-13T10:00:00Z",
            "arbitrator",
            "rule",
            refund_amount="121.49",
            responsibility="seller",
        ),
    ]
    store(db, {"F1": scenario(events)})
    assert assess(db, at("2026-03-20T00:00:00Z")).counterfeit_marks == 1
    assert assess(db, at("2026-03-21T00:00:00Z")).counterfeit_marks == 0
    with db.engine.connect() as conn:
        marks = conn.scalar(
            select(func.count()).select_from(t.penalties).where(t.penalties.c.kind == "counterfeit")
        )
    assert marks == 1


def test_periods() -> None:
    now = at("2026-03-31T12:00:00Z")
    assert parse_period("30d", now) == Period(at("2026-03-01T12:00:00Z"), now)
    assert parse_period("2026-02", now) == Period(
        at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z")
    )
    assert parse_period("2026-12", now).end == at("2027-01-01T00:00:00Z")
    for bad in ("0d", "x", "2026-13", "30"):
        with pytest.raises(ValueError):
            parse_period(bad, now)


def test_the_command_gives_the_stores_figures(db: Database, database_url: str) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    store(db, CASES)
    exe = str(Path(sys.executable).with_name("disputedesk"))
    env = {**os.environ, "DISPUTEDESK_DATABASE_URL": database_url}

    def report(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [exe, "report", "metrics", *args], env=env, capture_output=True, text=True, timeout=60
        )

    done = report("--store", "shop1", "--period", "2026-03")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == store_metrics(db, "shop1", MARCH).to_json()
    csv = report("--store", "shop1", "--period", "2026-03", "--by", "reason", "-f", "csv")
    lines = csv.stdout.splitlines()
    assert lines[0].startswith("breakdown,key,orders_assessed")
    assert lines[1].startswith("store,,5,2,0.4,")
    assert {line.split(",")[0] for line in lines[2:]} == {"reason"}
    assert report("--store", "shop1", "--period", "soon").returncode == 2
    assert report("--period", "30d").returncode == 2
