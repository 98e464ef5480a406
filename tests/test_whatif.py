"""What-if: cases replayed as they are and under other policy parameters, and exactly what would
differ. A known change (the seller answers in 3 days instead of 5) on hand-made cases: a seller
who answered on day 4 now times out, a seller who answered on day 2 does not; stored cases give
the same report, and the live tables are left as they were."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from disputedesk.replay import load_scenario
from disputedesk.rules.instants import parse_instant
from disputedesk.services import commands
from disputedesk.services.orders import check_order, create_order
from disputedesk.services.whatif import whatif_stored
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.whatif import compare
from helpers import ORDER, ev, open_dispute, plan, scenario, ship

EXE = str(Path(sys.executable).with_name("disputedesk"))
FASTER = {"seller_response_days": 3}
OPENED = "2026-03-10T10:00:00Z"


def late_answer() -> dict[str, Any]:
    """The seller counters on day 4 (03-14) and the buyer accepts: 10.00 refunded. With 3 days
    the buyer's plan (40.00) runs at 03-13 10:00 and both answers are refused."""
    return scenario(
        [
            ship(),
            open_dispute(OPENED),
            ev("2026-03-14T10:00:00Z", "seller", "propose", plan=plan("refund_only", "10.00")),
            ev("2026-03-14T12:00:00Z", "buyer", "accept"),
        ]
    )


def early_answer() -> dict[str, Any]:
    return scenario(
        [
            ship(),
            open_dispute(OPENED),
            ev("2026-03-12T10:00:00Z", "seller", "accept"),
        ]
    )


def test_a_faster_seller_deadline_turns_a_late_answer_into_a_timeout() -> None:
    cases = [
        ("late", load_scenario(late_answer())),
        ("early", load_scenario(early_answer())),
    ]
    report = compare(cases, FASTER).to_json()
    assert report["cases"] == 2 and report["changed_cases"] == 1
    (late,) = report["changed"]
    assert late["case"] == "late"
    assert late["before"]["steps"] == {}
    assert late["after"]["steps"] == {"seller_response_timeout": 1}
    assert (late["before"]["refunded_total"], late["after"]["refunded_total"]) == ("10.00", "40.00")
    assert late["after"]["refused"] == 2
    assert report["before"]["timeouts"] == 0 and report["after"]["timeouts"] == 1
    assert (report["before"]["refunded"], report["after"]["refunded"]) == ("50.00", "80.00")
    assert "seller_response_timeout 0 -> 1" in late["changes"]


def test_nothing_differs_under_the_same_parameters() -> None:
    report = compare([("late", load_scenario(late_answer()))], {"seller_response_days": 5})
    assert report.changed == []


def _stored(db: Database, order_id: str, doc: dict[str, Any]) -> None:
    placed = parse_instant(ORDER["placed_at"])
    order = check_order({**ORDER, "id": order_id, "store_id": "shop1", "buyer_id": "B1"})
    create_order(db, order, now=placed)
    for event in doc["events"]:
        fields = {k: v for k, v in event.items() if k not in ("at", "actor", "action")}
        result = commands.execute(
            db, order_id, event["actor"], event["action"], fields, parse_instant(event["at"])
        )
        assert result.ok, result.refusal


def _snapshot(db: Database) -> tuple[Any, ...]:
    with db.engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(t.events)),
            tuple(conn.execute(select(t.orders.c.id, t.orders.c.version).order_by(t.orders.c.id))),
        )


def test_stored_cases_give_the_same_report_and_nothing_is_written(db: Database) -> None:
    _stored(db, "LATE", late_answer())
    _stored(db, "EARLY", early_answer())
    before = _snapshot(db)
    now = parse_instant("2026-03-20T00:00:00Z")
    report = whatif_stored(db, FASTER, now=now).to_json()
    assert report["cases"] == 2
    assert [c["case"] for c in report["changed"]] == ["LATE"]
    assert report["changed"][0]["after"]["steps"] == {"seller_response_timeout": 1}
    assert _snapshot(db) == before
    # a store and a date narrow the cases
    assert whatif_stored(db, FASTER, now=now, store_id="nosuch").to_json()["cases"] == 0
    later = now + timedelta(days=1)
    assert whatif_stored(db, FASTER, now=now, since=later).to_json()["cases"] == 0


def test_the_commands(db: Database, tmp_path: Path, database_url: str) -> None:
    _stored(db, "LATE", late_answer())
    overrides = tmp_path / "faster.json"
    overrides.write_text(json.dumps(FASTER))
    env = {**os.environ, "DISPUTEDESK_DATABASE_URL": database_url}
    done = subprocess.run(
        [EXE, "whatif", "--overrides", str(overrides), "--now", "2026-03-20T00:00:00Z"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["changed_cases"] == 1
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "late.json").write_text(json.dumps(late_answer()))
    replayed = subprocess.run(
        [EXE, "replay", "--overrides", str(overrides), str(corpus)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert replayed.returncode == 0, replayed.stderr
    assert json.loads(replayed.stdout)["changed"][0]["case"].endswith("late.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"seller_response_days": "three"}))
    refused = subprocess.run(
        [EXE, "replay", "--overrides", str(bad), str(corpus)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "seller_response_days" in refused.stderr
