"""The shipment watch over a real database (SQLite, and PostgreSQL when configured): alerts raised
once per situation across sweeps and across two sweeps at once, resolved when the condition ends
or the order leaves `shipped`, dismissed for good; seed 002's Brazil advice; the worker's hooks
(`disputedesk worker --once`, the demo's in-process worker) and `DISPUTEDESK_WATCH_*`."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from disputedesk.rules.instants import parse_instant
from disputedesk.services import commands, shipment_watch
from disputedesk.services.background import BackgroundWorker
from disputedesk.services.orders import check_order, create_order
from disputedesk.services.shipment_watch import ScheduledWatch, WatchSettings, sweep
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.tracking.watch import WatchPolicy

PLACED = parse_instant("2026-03-02T08:00:00Z")
SHIPPED = parse_instant("2026-03-03T10:00:00Z")
DEADLINE = SHIPPED + timedelta(days=30)  # promised 30 days
POLICY = WatchPolicy(silence_days=7, silence_days_by_country={}, silence_days_by_carrier={})
EXE = str(Path(sys.executable).with_name("disputedesk"))


def day(n: float) -> datetime:
    return SHIPPED + timedelta(days=n)


def make_order(db: Database, order_id: str, *, country: str = "ES", store: str = "shop1") -> None:
    create_order(
        db,
        check_order(
            {
                "id": order_id,
                "store_id": store,
                "buyer_id": "B1",
                "amount": "40.00",
                "shipping": "5.00",
                "currency": "USD",
                "placed_at": "2026-03-02T08:00:00Z",
                "promised_delivery_days": 30,
                "destination_country": country,
                "shipping_address": {
                    "recipient": "John Smith",
                    "city": "São Paulo",
                    "zip": "01310-100",
                    "country": country,
                },
            }
        ),
        now=PLACED,
    )
    shipped = commands.ship(
        db, order_id, carrier="China Post", tracking_number=f"RR{order_id}CN", at=SHIPPED
    )
    assert shipped.ok


def add_event(
    db: Database, order_id: str, status: str, at: datetime, description: str = "", **kw: Any
) -> None:
    """A classified carrier event stored as `services.tracking` stores one (the classifier's
    verdict given here, so these tests do not depend on its rules)."""
    identity = f"{order_id}|{status}|{at.isoformat()}|{description}"
    row = {
        "order_id": order_id,
        "leg": "outbound",
        "source": "api",
        "carrier": "China Post",
        "tracking_number": f"RR{order_id}CN",
        "raw_code": None,
        "description": description or status,
        "location": kw.get("location"),
        "at_text": at.isoformat(),
        "at": at,
        "extra": kw.get("extra"),
        "payload": {"description": description},
        "status": status,
        "notice_left": kw.get("notice_left"),
        "unclassified": False,
        "fingerprint": hashlib.sha256(identity.encode()).hexdigest(),
        "received_at": at,
    }
    with db.begin() as conn:
        conn.execute(insert(t.tracking_events), [row])


def alerts(db: Database, order_id: str | None = None) -> list[Any]:
    query = select(t.shipment_alerts).order_by(t.shipment_alerts.c.id)
    if order_id is not None:
        query = query.where(t.shipment_alerts.c.order_id == order_id)
    with db.engine.connect() as conn:
        return list(conn.execute(query))


def open_keys(db: Database, order_id: str) -> set[str]:
    return {a.key for a in alerts(db, order_id) if a.resolved_at is None}


@pytest.fixture
def shop(db: Database) -> Database:
    from disputedesk.services.orders import create_store

    create_store(db, "shop1", "Li Wei Shoes")
    create_store(db, "shop2", "Other")
    return db


def test_alerts_are_raised_once_per_situation_across_sweeps(shop: Database) -> None:
    db = shop
    make_order(db, "W-1")
    add_event(db, "W-1", "accepted", day(0.5))
    add_event(db, "W-1", "in_transit", day(2))
    first = sweep(db, day(9) - timedelta(seconds=1), POLICY)
    assert (first.orders, first.raised) == (1, 0)
    raised = sweep(db, day(9), POLICY)
    assert raised.raised == 1
    [alert] = alerts(db, "W-1")
    assert alert.kind == "no_news" and alert.store_id == "shop1"
    assert alert.raised_at == day(9) and alert.resolved_at is None
    assert alert.data["figures"]["days"] == 7 and alert.data["action"] == "ask_carrier"
    for later in (day(9.5), day(10), day(12)):
        assert sweep(db, later, POLICY).raised == 0
    assert len(alerts(db, "W-1")) == 1


def test_an_alert_is_resolved_when_its_condition_ends(shop: Database) -> None:
    db = shop
    make_order(db, "W-2")
    add_event(db, "W-2", "in_transit", day(1))
    sweep(db, day(8), POLICY)
    assert open_keys(db, "W-2") == {f"no_news:e{_event_ids(db, 'W-2')[0]}"}
    add_event(db, "W-2", "in_transit", day(8.5))  # news
    report = sweep(db, day(9), POLICY)
    assert (report.raised, report.resolved) == (0, 1)
    assert open_keys(db, "W-2") == set()
    [resolved] = alerts(db, "W-2")
    assert resolved.resolved_at == day(9)
    assert sweep(db, day(16), POLICY).raised == 1  # a new silence: a new alert
    assert len(open_keys(db, "W-2")) == 1


def _event_ids(db: Database, order_id: str) -> list[int]:
    with db.engine.connect() as conn:
        return list(
            conn.scalars(
                select(t.tracking_events.c.id)
                .where(t.tracking_events.c.order_id == order_id)
                .order_by(t.tracking_events.c.id)
            )
        )


def test_alerts_of_an_order_no_longer_shipped_are_resolved(shop: Database) -> None:
    db = shop
    make_order(db, "W-3")
    sweep(db, day(8), POLICY)
    assert len(open_keys(db, "W-3")) == 1
    assert commands.confirm_receipt(db, "W-3", at=day(8.5)).ok
    report = sweep(db, day(9), POLICY)
    assert report.orders == 0 and report.resolved == 1
    assert open_keys(db, "W-3") == set()


def test_customs_action_returning_alerts_from_stored_events(shop: Database) -> None:
    db = shop
    make_order(db, "W-4")
    add_event(db, "W-4", "accepted", day(0.5))
    add_event(db, "W-4", "in_customs", day(3))
    add_event(
        db,
        "W-4",
        "action_required",
        day(4),
        "Importação autorizada pela autoridade competente - Aguardando pagamento",
    )
    sweep(db, day(8.5), POLICY)
    by_kind = {a.kind: a for a in alerts(db, "W-4")}
    assert set(by_kind) == {"held_in_customs", "action_required"}
    assert by_kind["action_required"].data["action"] == "ask_buyer_to_pay"
    assert by_kind["held_in_customs"].data["figures"]["since"] == "2026-03-06T10:00:00Z"
    add_event(db, "W-4", "returning", day(9), "Objeto saiu para entrega ao remetente")
    sweep(db, day(9.5), POLICY)
    assert {a.kind for a in alerts(db, "W-4") if a.resolved_at is None} == {"returning"}


def test_brazil_under_5_days_left_then_extended(shop: Database) -> None:
    db = shop
    make_order(db, "W-BR", country="BR")
    make_order(db, "W-ES", country="ES")
    for order_id in ("W-BR", "W-ES"):
        add_event(db, order_id, "in_transit", DEADLINE - timedelta(days=5))
    now = DEADLINE - timedelta(days=4, hours=23)
    sweep(db, now, POLICY)
    [advice] = [a for a in alerts(db, "W-BR") if a.kind == "extend_delivery"]
    assert advice.data["action_days"] == 30 and advice.data["figures"]["country"] == "BR"
    assert {a.kind for a in alerts(db, "W-ES")} == {"deadline_close"}
    assert commands.extend_delivery(db, "W-BR", days=30, at=now + timedelta(minutes=5)).ok
    listed = shipment_watch.list_alerts(db, ["shop1"])
    stale = next(a for a in listed if a.id == advice.id)
    assert not stale.is_current  # the deadline moved: not offered again before the next sweep
    report = sweep(db, now + timedelta(minutes=10), POLICY)
    assert report.resolved == 1
    assert open_keys(db, "W-BR") == set()


def test_dismissed_alerts_stay_dismissed_and_are_never_raised_again(shop: Database) -> None:
    db = shop
    make_order(db, "W-5")
    sweep(db, day(8), POLICY)
    [alert] = alerts(db, "W-5")
    with pytest.raises(commands.ServiceError):
        shipment_watch.dismiss(db, ["shop2"], alert.id, day(8.1))  # not that store's
    dismissed = shipment_watch.dismiss(db, ["shop1"], alert.id, day(8.1))
    assert dismissed.dismissed_at == day(8.1) and not dismissed.is_open
    again = shipment_watch.dismiss(db, ["shop1"], alert.id, day(8.2))
    assert again.dismissed_at == day(8.1)
    assert sweep(db, day(9), POLICY).raised == 0
    assert shipment_watch.list_alerts(db, ["shop1"]) == []
    assert len(shipment_watch.list_alerts(db, ["shop1"], open_only=False)) == 1
    assert shipment_watch.count_open(db, ["shop1"]) == 0


def test_two_sweeps_at_once_raise_each_alert_once(shop: Database) -> None:
    db = shop
    for n in range(40):
        make_order(db, f"C-{n:02d}", country="BR" if n % 2 else "ES")
    now = DEADLINE - timedelta(days=4)
    barrier = threading.Barrier(2)
    reports: list[Any] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            reports.append(sweep(db, now, POLICY, batch=7))
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    with db.engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(t.shipment_alerts))
        distinct = conn.scalar(
            select(func.count()).select_from(
                select(t.shipment_alerts.c.order_id, t.shipment_alerts.c.key).distinct().subquery()
            )
        )
    assert count == distinct == 80  # no news since shipment, and a deadline alert each
    assert sum(r.raised for r in reports) == 80


def test_the_scheduled_watch_runs_at_its_interval(shop: Database) -> None:
    db = shop
    make_order(db, "W-6")
    watch = ScheduledWatch(db, WatchSettings(interval_seconds=60, silence_days=7))
    assert watch.run(day(1)) is not None  # the first sweep runs at once
    assert watch.run(day(1) + timedelta(seconds=59)) is None
    assert watch.run(day(1) + timedelta(seconds=60)) is not None
    said = watch.run_and_tell(day(8), force=True)
    assert said is not None and "1 alert(s) raised" in said
    off = ScheduledWatch(db, WatchSettings(enabled=False))
    assert off.run(day(9)) is None and off.run(day(9), force=True) is None


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPUTEDESK_WATCH_SILENCE_DAYS", "9")
    monkeypatch.setenv("DISPUTEDESK_WATCH_SILENCE_DAYS_BY_COUNTRY", '{"br": 25}')
    monkeypatch.setenv("DISPUTEDESK_WATCH_SILENCE_DAYS_BY_CARRIER", '{"Correios": 12}')
    monkeypatch.setenv("DISPUTEDESK_WATCH_STRUCTURAL_DELAY_COUNTRIES", '["BR", "ar"]')
    monkeypatch.setenv("DISPUTEDESK_WATCH_CUSTOMS_DAYS", "3")
    monkeypatch.setenv("DISPUTEDESK_WATCH_INTERVAL_SECONDS", "30")
    settings = WatchSettings()
    policy = settings.policy()
    assert settings.interval_seconds == 30
    assert policy.silence_limit("BR", None) == (25, "country", "BR")
    assert policy.silence_limit("BR", "correios") == (12, "carrier", "correios")
    assert policy.silence_limit("FR", None) == (9, "default", "")
    assert policy.structural_delay_countries == frozenset({"BR", "AR"})
    assert policy.customs_days == 3
    defaults = WatchPolicy()
    assert defaults.structural_delay_countries == frozenset({"BR"})
    assert (defaults.structural_days_left, defaults.structural_extension_days) == (5, 30)


def test_the_in_process_worker_runs_the_watch(shop: Database) -> None:
    db = shop
    make_order(db, "W-7")
    clock_now = [day(8)]
    worker = BackgroundWorker(
        db, interval=0.05, clock=lambda: clock_now[0], watch=WatchSettings(silence_days=7)
    )
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while not alerts(db, "W-7") and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop(timeout=10)
    assert [a.kind for a in alerts(db, "W-7")] == ["no_news"]


def test_disputedesk_worker_once_runs_the_watch(shop: Database, database_url: str) -> None:
    db = shop
    make_order(db, "W-8")
    env = {
        **os.environ,
        "DISPUTEDESK_DATABASE_URL": database_url,
        "DISPUTEDESK_WATCH_SILENCE_DAYS": "7",
    }
    run = subprocess.run(
        [EXE, "worker", "--once", "--now", "2026-03-11T10:00:00Z"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "watch: 1 alert(s) raised, 0 resolved over 1 shipped order(s)" in run.stdout
    assert [a.kind for a in alerts(db, "W-8")] == ["no_news"]
