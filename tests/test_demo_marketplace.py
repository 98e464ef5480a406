"""The generated demo marketplace (`make demo`): every dispute status, every deadline still ahead
of `now`, logins that work, orders a buyer can open a dispute on, the same marketplace for the
same seed, and projections that the event log rebuilds exactly. Its tracking: every shipped
order's timeline in real carrier wordings (`../shared/tracking/events.jsonl`), told by the
order's story, enough history for the carrier advisor to recommend, and parcels the shipment
watch flags."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from disputedesk.demo import tracking as parcels
from disputedesk.demo.marketplace import LOGIN_BUYERS, STORES, build_demo
from disputedesk.rules.lifecycle import dispute_window, due
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.services import accounts, carriers, commands, messages, returns
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
    """Every order's outcome and timeline, its message thread and its carrier events."""
    tracking = _tracking(db)
    return [
        (
            order_outcome(db, i),
            [(m.sender_role, m.body, m.sent_at) for m in messages.thread(db, i)],
            [(e.status, e.description, e.at_text, e.location) for e in tracking.get(i, [])],
        )
        for i in _order_ids(db)
    ]


def _tracking(db: Database) -> dict[str, list[Any]]:
    """Each order's carrier events, in the carriers' time order."""
    out: dict[str, list[Any]] = {}
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.tracking_events).order_by(
                t.tracking_events.c.order_id, t.tracking_events.c.at, t.tracking_events.c.id
            )
        )
        for row in rows:
            out.setdefault(row.order_id, []).append(row)
    return out


def _check_tracking(db: Database, now: datetime) -> None:
    """Every shipped order has its timeline (unless its carrier never knew the number), in
    the order's story: goods the buyer has were delivered before; a "not received" dispute's
    parcel was, at the opening, where the reason says."""
    tracking = _tracking(db)
    with db.engine.connect() as conn:
        orders = {r.id: r for r in conn.execute(select(t.orders))}
        buyers = dict(conn.execute(select(t.buyers.c.id, t.buyers.c.name)).all())
        loaded = repository.load_many(conn, list(orders))
        logged = conn.execute(
            select(t.events.c.order_id, t.events.c.action, t.events.c.at).where(
                t.events.c.action.in_(("ship", "confirm_receipt"))
            )
        ).all()
    confirmed = {r.order_id: r.at for r in logged if r.action == "confirm_receipt"}
    first_shipped = {r.order_id: r.at for r in logged if r.action == "ship"}
    for order_id, order in orders.items():
        address = order.shipping_address
        assert address["recipient"] == buyers[order.buyer_id], order_id
        assert address["country"] == order.destination_country and address["zip"], order_id
        assert address["city"] in order.destination_address and address["line1"], order_id
        events = tracking.get(order_id, [])
        if order.shipped_at is None:
            assert not events, order_id
            continue
        assert all(not e.unclassified for e in events), order_id
        shipped = first_shipped[order_id]  # (a replacement's parcel is shipped later)
        assert all(e.at is None or shipped < e.at <= now for e in events), order_id
        disputes = loaded[order_id].state.disputes
        first_nr = next(
            (d for d in disputes if d.reason.startswith("not_received.") and not d.goods_received),
            None,
        )
        received = [d.opened_at for d in disputes if d.goods_received]
        received += [confirmed[order_id]] if order_id in confirmed else []

        def before(at: datetime, events: list[Any] = events) -> list[str]:
            return [e.status for e in events if e.at is not None and e.at < at]

        if first_nr is not None and (not received or min(received) > first_nr.opened_at):
            seen = before(first_nr.opened_at)
            item = first_nr.reason.split(".", 1)[1]
            if item == "tracking_invalid":
                assert {e.status for e in events} <= {"no_info"}, order_id
            elif received:  # the parcel turned up after the opening
                assert "delivered" not in seen, (order_id, item, seen)
            elif item in ("delivered_not_received", "wrong_address"):
                assert "delivered" in seen, (order_id, item, seen)
            elif item == "customs_held":
                assert seen[-1] == "in_customs", (order_id, seen)
            elif item == "returned_to_sender":
                assert "returning" in seen, (order_id, seen)
            else:
                assert events and "delivered" not in seen, (order_id, item, seen)
        elif received:
            assert "delivered" in before(min(received)), (order_id, [e.status for e in events])
        else:
            assert events, order_id


def test_the_demo_marketplace(db: Database) -> None:
    summary = build_demo(db, now=NOW, seed=7, orders=ORDERS)
    assert summary.orders == ORDERS == len(_order_ids(db))
    _check_tracking(db, NOW)
    assert summary.tracking_events == sum(len(v) for v in _tracking(db).values()) > ORDERS

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

    # Every store takes returns somewhere, so the return stage always names an address; a
    # Brazilian buyer of the first store sends to its warehouse in Brazil.
    for store in STORES:
        assert returns.address_for(db, store.id, "FR") is not None, store.id
    brazil = returns.address_for(db, "S-SZ-ELEC", "BR")
    assert brazil is not None and brazil.country == "BR"

    # The stores' metric warnings and penalties were assessed as the worker would.
    with db.engine.connect() as conn:
        assert conn.execute(select(t.metric_alerts.c.id).limit(1)).first() is not None

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


def test_the_demo_gives_the_advisor_and_the_watch_something_to_say(db: Database) -> None:
    """The default marketplace: the first seller's shipment history names a carrier for
    Brazil, compared with another, with its figures; the watch raises alerts of each kind the
    demo's parcels call for."""
    summary = build_demo(db, now=NOW, seed=7)
    assert summary.orders == 500
    report = carriers.report(db, STORES[0].id, now=NOW)
    brazil = next(c for c in report.countries if c.country == "BR")
    best = brazil.recommended
    assert best is not None and brazil.compared >= 2, [c.as_json() for c in brazil.carriers]
    assert best.enough and best.on_time.of >= report.min_shipments
    assert best.p50_days is not None and best.p90_days is not None and best.on_time.percent
    assert any(c.recommended is None for c in report.countries)  # and "too few" elsewhere
    with db.engine.connect() as conn:
        kinds = Counter(conn.scalars(select(t.shipment_alerts.c.kind)))
    assert sum(kinds.values()) == summary.alerts > 0
    assert {"no_news", "held_in_customs", "action_required", "extend_delivery"} <= set(kinds)
    _check_tracking(db, NOW)


def _shared_events() -> list[dict[str, Any]]:
    """The shared set of real, labelled carrier events (its README says where each is from)."""
    here = Path(__file__).resolve()
    for path in (
        here.parent / "tracking/events.jsonl",
        here.parents[2] / "shared/tracking/events.jsonl",
    ):
        if path.exists():
            return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pytest.skip("../shared/tracking/events.jsonl is not here")


# the demo's feed names -> the shared set's carrier names
_SHARED_NAMES = {
    "Cainiao": "Cainiao (AliExpress)",
    "Correios": "Correios (Brazil)",
    "DHL Paket": "DHL Paket (Germany)",
    "Asendia": "Asendia USA",
}


def test_every_demo_wording_is_a_real_carrier_wording() -> None:
    """Each event text and code of the demo's feeds is one of the shared set's, for the same
    carrier (a `{field}`, the demo's place or name, stands for the carrier's); and the label
    the demo documents is the set's label."""
    shared = _shared_events()
    space = re.compile(r"\s+")
    feeds = [(f.carrier, w) for f in parcels.FEEDS for ws in f.stages.values() for w in ws]
    feeds += [("USPS", parcels.USPS_LOCKER), ("Canada Post", parcels.CANADA_FINAL_NOTICE)]
    feeds += [("DPD UK", parcels.DPD_NEIGHBOUR)]
    feeds += [("Canada Post", w) for ws in parcels.CANADA_POST_FR.values() for w in ws]
    assert len(feeds) > 80
    for carrier, wording in feeds:
        name = _SHARED_NAMES.get(carrier, carrier)
        text = space.sub(" ", wording.text).strip()
        pattern = re.compile(re.sub(r"\\\{[a-z_]+\\\}", ".+", re.escape(text)).replace(r"\ ", " "))
        found = [
            e
            for e in shared
            if e["carrier"] == name
            and e["raw_code"] == wording.code
            and pattern.fullmatch(space.sub(" ", e["description"] or "").strip())
        ]
        assert found, (carrier, wording.code, wording.text)
        assert wording.label in {e["label"].lower() for e in found}, (carrier, wording.text)


def test_the_demo_needs_enough_orders(db: Database) -> None:
    with pytest.raises(ValueError, match="orders"):
        build_demo(db, now=NOW, orders=20)
