"""What-if on the demo marketplace (issue 15, item 7): the seller's response time cut from 5 days
to 3 shows exactly the extra timeouts. The expectation is worked out here from the stored event
log alone, not by the rules core: a case changes when, in one of its disputes, a window in which
the seller's answer is awaited (from the opening, or from the buyer's last modification) ran
longer than 3 days before anyone ended it (the seller's answer, the buyer's cancellation or
escalation, an automatic step) or is still running at `now` past 3 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from disputedesk.demo.marketplace import build_demo
from disputedesk.services.whatif import whatif_stored
from disputedesk.store import tables as t
from disputedesk.store.db import Database

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
THREE_DAYS = timedelta(days=3)
SELLER_ANSWERS = {"propose", "reject", "accept"}
# what ends a window in which the seller's answer is awaited, besides the seller's own answer
ENDS = {"cancel_dispute", "escalate", "auto_escalated", "seller_response_timeout"}


def expected_changes(db: Database) -> dict[str, bool]:
    """The cases that change, each with whether the change is a new timeout (False: the stored
    timeout comes 2 days earlier)."""
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(
                t.events.c.order_id, t.events.c.at, t.events.c.actor, t.events.c.action
            ).order_by(t.events.c.order_id, t.events.c.seq)
        ).all()
    changed: dict[str, bool] = {}
    window: dict[str, datetime | None] = {}
    for row in rows:
        if row.order_id in changed:
            continue
        start = window.get(row.order_id)
        if start is not None and row.at - start > THREE_DAYS:
            # the 3-day timeout would have come first
            changed[row.order_id] = row.action != "seller_response_timeout"
            continue
        if row.action in ("open_dispute", "modify_dispute"):
            window[row.order_id] = row.at
        elif (row.actor == "seller" and row.action in SELLER_ANSWERS) or row.action in ENDS:
            window[row.order_id] = None
    for order_id, start in window.items():
        if start is not None and NOW - start > THREE_DAYS and order_id not in changed:
            changed[order_id] = True
    return changed


def test_three_days_instead_of_five_on_the_demo(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/demo.db")
    db.upgrade()
    try:
        build_demo(db, now=NOW, seed=11, orders=120)
        expected = expected_changes(db)
        report = whatif_stored(db, {"seller_response_days": 3}, now=NOW).to_json()
        changed = {case["case"] for case in report["changed"]}
        assert any(expected.values()), "the demo has sellers who answered on day 4 or 5"
        assert changed == set(expected)
        extra = 0
        for case in report["changed"]:
            before = case["before"]["steps"].get("seller_response_timeout", 0)
            after = case["after"]["steps"].get("seller_response_timeout", 0)
            assert after >= 1, case
            extra += after - before
        assert extra == sum(expected.values())  # exactly the new timeouts
        same = whatif_stored(db, {"seller_response_days": 5}, now=NOW).to_json()
        assert same["changed"] == []
    finally:
        db.dispose()
