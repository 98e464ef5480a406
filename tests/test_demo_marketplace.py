"""The generated demo marketplace (`make demo`): every dispute status, every deadline still ahead
of `now`, logins that work, orders a buyer can open a dispute on, the same marketplace for the
same seed, and projections that the event log rebuilds exactly."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from disputedesk.demo.marketplace import LOGIN_BUYERS, STORES, build_demo
from disputedesk.rules.lifecycle import dispute_window, due
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.services import accounts, commands, messages
from disputedesk.services.queries import order_outcome
from disputedesk.services.rebuild import rebuild
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database

NOW = datetime(2026, 3, 14, 9, 30, 17, 250000, tzinfo=UTC)
ORDERS = 120


def _order_ids(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.scalars(select(t.orders.c.id).order_by(t.orders.c.id)))


def _fingerprint(db: Database) -> list[Any]:
    """Every order's outcome and timeline, and its message thread."""
    return [
        (order_outcome(db, i), [(m.sender_role, m.body, m.sent_at) for m in messages.thread(db, i)])
        for i in _order_ids(db)
    ]


def test_the_demo_marketplace(db: Database) -> None:
    summary = build_demo(db, now=NOW, seed=7, orders=ORDERS)
    assert summary.orders == ORDERS == len(_order_ids(db))

    # Every dispute status, counted from each order's last dispute.
    with db.engine.connect() as conn:
        loaded = repository.load_many(conn, _order_ids(db))
        stores_with_disputes = set(
            conn.scalars(
                select(t.orders.c.store_id).join(t.disputes, t.disputes.c.order_id == t.orders.c.id)
            )
        )
        buyers_of = dict(conn.execute(select(t.orders.c.id, t.orders.c.buyer_id)).all())
    last_status = Counter(
        str(item.state.disputes[-1].status) for item in loaded.values() if item.state.disputes
    )
    assert set(summary.disputes_by_status) == {str(s) for s in DisputeStatus}
    assert dict(last_status) == {k: v for k, v in summary.disputes_by_status.items() if v}
    assert all(summary.disputes_by_status[str(s)] >= 1 for s in DisputeStatus)
    resolutions = {
        d.resolution for item in loaded.values() for d in item.state.disputes if d.resolution
    }
    assert resolutions == {"refunded", "cancelled", "resent", "ruled", "return_not_shipped"}
    reasons = {d.reason for item in loaded.values() for d in item.state.disputes}
    assert len(reasons) >= 12
    assert stores_with_disputes == {store.id for store in STORES}

    # Nothing is overdue: every order's next step, and every open dispute's deadline, is ahead;
    # some open disputes fall due within 48 hours, some later.
    open_due = []
    for item in loaded.values():
        step = due(item.state, item.policy)
        assert step is None or step.at > NOW, (item.order_id, step)
        assert item.state.clock is None or item.state.clock <= NOW
        dispute = item.state.open_dispute
        if dispute is not None and step is not None:
            open_due.append(step.at)
    assert any(at <= NOW + timedelta(hours=48) for at in open_due)
    assert any(at > NOW + timedelta(hours=48) for at in open_due)

    # The event log rebuilds every projection exactly (`disputedesk rebuild --check`).
    report = rebuild(db)
    assert report.orders == ORDERS
    assert report.differences == []

    # Every login signs in, with the role it claims.
    roles = Counter(login.role for login in summary.logins)
    assert roles == {"admin": 1, "arbitrator": 1, "seller": 2 * len(STORES), "buyer": 8}
    for login in summary.logins:
        principal = accounts.authenticate_password(db, login.email, login.password)
        assert principal is not None, login.email
        assert principal.role == login.role
        assert len(login.password) >= 8

    # Each demo buyer has disputes, and orders a dispute can be opened on right now.
    for buyer in LOGIN_BUYERS:
        mine = [item for item in loaded.values() if buyers_of[item.order_id] == buyer.id]
        assert any(item.state.disputes for item in mine), buyer.id
        openable = []
        for item in mine:
            earliest, latest = dispute_window(item.state.order, item.policy)
            if item.state.disputes or earliest is None or earliest > NOW:
                continue
            if latest is None or latest > NOW:
                openable.append(item)
        assert len(openable) >= 3, buyer.id
        for item in openable[:3]:
            result = commands.open_dispute(
                db,
                item.order_id,
                reason="not_as_described.damaged",
                plan={"type": "refund_only", "amount": "1.00"},
                goods_received=True,
                at=NOW,
            )
            assert result.ok, (buyer.id, item.order_id, result.refusal)


def test_the_demo_is_the_same_for_the_same_seed(db: Database, tmp_path: Path) -> None:
    first = build_demo(db, now=NOW, seed=11, orders=ORDERS)
    other = Database(f"sqlite:///{tmp_path / 'second.db'}")
    other.upgrade()
    try:
        second = build_demo(other, now=NOW, seed=11, orders=ORDERS)
        assert second == first
        assert _fingerprint(other) == _fingerprint(db)
    finally:
        other.dispose()


def test_the_demo_needs_enough_orders(db: Database) -> None:
    with pytest.raises(ValueError, match="orders"):
        build_demo(db, now=NOW, orders=20)
