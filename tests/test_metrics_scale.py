"""The event-log readers of the seller metrics (both databases): the set-based statement that
reads only the facts the figures need gives exactly what `rules.metrics.compute` gives over
the orders' whole logs: on hand-made logs (events outside the period, after its end, a second
dispute, rulings twice, a replacement shipment, malicious disputes, orders without keys) and on
random logs (hypothesis), with the `behind` lists; DuckDB's reader, when installed, the same."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert
from typer.testing import CliRunner

from disputedesk.cli import app as cli_app
from disputedesk.rules.instants import parse_instant
from disputedesk.rules.metrics import Metrics, Period, compute, history_from_events
from disputedesk.rules.vocabulary import REASONS
from disputedesk.services.metrics import all_store_metrics, store_metrics
from disputedesk.services.orders import check_order, ensure_parties, order_row
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from helpers import ORDER

T0 = parse_instant("2026-03-01T00:00:00Z")
assert T0 is not None
MARCH = Period(T0, T0 + timedelta(days=31))
Log = list[tuple[datetime, str, dict[str, Any]]]  # an order's events: (at, action, data)


def at(day: float) -> datetime:
    """`day` days after 2026-03-01 (negative: February)."""
    return T0 + timedelta(days=day)


class Marketplace:
    """Orders written straight into the tables (the readers read the log, nothing else), and
    what `compute` says of their whole logs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.orders: dict[str, tuple[str, str | None, str | None, Log]] = {}
        self.malicious: set[tuple[str, int]] = set()

    def order(
        self,
        order_id: str,
        log: Log,
        *,
        store: str = "shop1",
        category: str | None = "apparel/shoes",
        country: str | None = "BR",
    ) -> None:
        self.orders[order_id] = (store, category, country, log)

    def write(self) -> None:
        now = at(-60)
        with self.db.begin() as conn:
            stores = {store for store, *_ in self.orders.values()}
            ensure_parties(conn, stores, {"B1"}, now)
            rows, events, disputes = [], [], []
            for order_id, (store, category, country, log) in self.orders.items():
                raw = {**ORDER, "id": order_id, "store_id": store, "buyer_id": "B1"}
                raw.update(category=category, destination_country=country)
                rows.append(order_row(check_order(raw), now))
                opened = 0
                for seq, (when, action, data) in enumerate(log, start=1):
                    events.append(
                        {
                            "order_id": order_id,
                            "seq": seq,
                            "at": when,
                            "actor": "buyer",
                            "action": action,
                            "data": data,
                            "recorded_at": when,
                        }
                    )
                    if action == "open_dispute":
                        opened += 1
                        disputes.append(
                            {
                                "order_id": order_id,
                                "seq": opened,
                                "reason": data.get("reason", "?"),
                                "status": "negotiating",
                                "refund_amount": Decimal("0.00"),
                                "opened_at": when,
                                "state": {},
                            }
                        )
            conn.execute(insert(t.orders), rows)
            if events:
                conn.execute(insert(t.events), events)
            if disputes:
                conn.execute(insert(t.disputes), disputes)
            reports = [
                {
                    "order_id": order_id,
                    "dispute_seq": seq,
                    "store_id": self.orders[order_id][0],
                    "buyer_id": "B1",
                    "reported_by": "li@shop1.test",
                    "reason": "a swap",
                    "evidence": [],
                    "status": "upheld",
                    "created_at": now,
                }
                for order_id, seq in sorted(self.malicious)
            ]
            if reports:
                conn.execute(insert(t.malicious_reports), reports)

    def clear(self) -> None:
        with self.db.begin() as conn:
            for table in (
                t.malicious_reports,
                t.disputes,
                t.metric_steps,
                t.events,
                t.orders,
                t.stores,
            ):
                conn.execute(delete(table))
        self.orders, self.malicious = {}, set()

    def expected(self, period: Period) -> dict[str, Metrics]:
        """`compute` over each store's whole logs, in order-id order (as the readers go)."""
        per_store: dict[str, list[Any]] = {}
        for order_id in sorted(self.orders):
            store, category, country, log = self.orders[order_id]
            # the log as it stands at the period's end: what the store knows then
            history = history_from_events(
                order_id, category, country, [e for e in log if e[0] < period.end]
            )
            per_store.setdefault(store, []).append(history)
        excluded = frozenset(self.malicious)
        return {
            store: compute(histories, period, excluded=excluded)
            for store, histories in sorted(per_store.items())
        }


def figures(metrics: Metrics) -> tuple[Any, dict[str, list[str]]]:
    return metrics.to_json(), metrics.behind


def assert_same(market: Marketplace, period: Period) -> None:
    want = market.expected(period)
    got = all_store_metrics(market.db, period)
    counted = {store for store, m in want.items() if m.total.orders_assessed}
    assert {s for s, m in got.items() if m.total.orders_assessed} == counted
    for store, metrics in want.items():
        assert figures(store_metrics(market.db, store, period)) == figures(metrics), store
        if store in got:
            assert figures(got[store]) == figures(metrics), store


@pytest.fixture
def market(db: Database) -> Iterator[Marketplace]:
    yield Marketplace(db)


def ship(day: float, carrier: str = "China Post") -> tuple[datetime, str, dict[str, Any]]:
    return at(day), "ship", {"carrier": carrier, "tracking_number": "RR1CN"}


def opens(day: float, reason: str = "not_as_described.damaged") -> Any:
    return at(day), "open_dispute", {"reason": reason, "plan": {"type": "refund_only"}}


def step(day: float, action: str, **data: Any) -> tuple[datetime, str, dict[str, Any]]:
    return at(day), action, data


def hand_made(market: Marketplace) -> None:
    m = market
    m.order("H01", [ship(-20), step(-2, "confirm_receipt")])  # completed before the period
    m.order("H02", [ship(-20), step(10, "confirm_receipt")])
    m.order("H03", [ship(5), step(40, "order_auto_completed")])  # completes after it
    m.order("H04", [ship(-10), opens(-3), step(2, "escalate")])  # opened before: not counted
    m.order(  # cancelled, opened again with another reason, escalated and ruled twice
        "H05",
        [
            ship(-5),
            opens(2),
            step(3, "cancel_dispute"),
            opens(4, "not_received.in_transit"),
            step(5, "reject", note="no"),
            step(6, "auto_escalated", escalation="auto_no_agreement"),
            step(7, "escalate"),
            step(8, "rule", responsibility="buyer"),
            step(9, "rule", responsibility="seller"),
            step(35, "rule", responsibility="buyer"),  # after the end: not read
        ],
    )
    m.order("H06", [ship(0), opens(6), step(33, "cancel_dispute")])  # cancelled after the end
    m.order("H07", [ship(0), opens(6), step(7, "escalate"), step(9, "auto_ruled")])
    m.order(  # the replacement's carrier is not the order's first
        "H08",
        [ship(0, "Cainiao"), opens(6), step(7, "ship_replacement", carrier="DHL"), step(9, "x")],
    )
    m.order("H09", [ship(0), opens(6, "not_as_described.counterfeit"), step(32, "escalate")])
    m.order("H10", [ship(0), step(12, "confirm_receipt")], category=None, country=None)
    m.order("H11", [ship(0), opens(5), step(6, "escalate"), opens(20)])  # upheld: the first
    m.malicious.add(("H11", 1))
    m.order("H12", [ship(0), opens(5), step(6, "escalate")])  # upheld: the only one
    m.malicious.add(("H12", 1))
    m.order("H13", [ship(0), step(3, "accept"), step(8, "propose", plan={})])  # never assessed
    m.order("H14", [ship(1), step(31, "confirm_receipt")], store="shop2")  # at the end: out
    m.order("H15", [ship(1), step(30.9, "confirm_receipt")], store="shop2")
    m.order("H18", [ship(-10), step(0, "confirm_receipt")], store="shop2")  # at the start: in
    m.order("H16", [step(2, "order_auto_completed")], store="shop3")  # no ship: no carrier
    m.order("H17", [ship(0), opens(6), step(7, "rule")], store="shop3")  # no responsibility


def test_hand_made_logs_give_computes_figures(market: Marketplace) -> None:
    hand_made(market)
    market.write()
    assert_same(market, MARCH)
    assert_same(market, Period(at(5), at(9)))  # parts of disputes fall on either side
    shop1 = store_metrics(market.db, "shop1", MARCH)
    assert shop1.by["carrier"]["Cainiao"].orders_assessed == 1
    assert "DHL" not in shop1.by["carrier"]
    assert shop1.by["category"]["unknown"].orders_assessed == 1
    assert "H12" not in shop1.behind["orders_assessed"]
    assert store_metrics(market.db, "nosuch", MARCH).to_json()["orders_assessed"] == 0


# an order's steps, the ones the figures read weighted up
ACTIONS = [
    *["open_dispute"] * 3,
    *["cancel_dispute", "escalate", "rule", "confirm_receipt"] * 2,
    "order_auto_completed",
    "auto_escalated",
    "auto_ruled",
    "accept",
    "ship_replacement",
]


@st.composite
def logs(draw: st.DrawFn) -> Log:
    """An order's log: a ship (mostly) and then steps at non-decreasing instants."""
    day = draw(st.integers(-40, 30))
    log: Log = []
    if draw(st.booleans()) or day < 0:
        log.append(ship(day, draw(st.sampled_from(["China Post", "Cainiao", "DHL"]))))
    for _ in range(draw(st.integers(0, 8))):
        day += draw(st.integers(0, 6))
        action = draw(st.sampled_from(ACTIONS))
        data: dict[str, Any] = {}
        if action == "open_dispute":
            data["reason"] = draw(st.sampled_from(sorted(REASONS)))
        elif action == "rule":
            data["responsibility"] = draw(st.sampled_from(["seller", "buyer", "none"]))
        elif action == "ship_replacement":
            data["carrier"] = "YunExpress"
        log.append((at(day), action, data))
    return log


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    orders=st.lists(
        st.tuples(
            logs(),
            st.sampled_from(["s1", "s2"]),
            st.sampled_from([None, "toys", "beauty"]),
            st.sampled_from([None, "BR", "US"]),
        ),
        min_size=1,
        max_size=8,
    ),
    start=st.integers(-10, 20),
    days=st.integers(1, 30),
    upheld=st.sets(st.tuples(st.integers(0, 7), st.integers(1, 2)), max_size=3),
)
def test_random_logs_give_computes_figures(
    market: Marketplace,
    orders: list[tuple[Log, str, str | None, str | None]],
    start: int,
    days: int,
    upheld: set[tuple[int, int]],
) -> None:
    market.clear()
    for number, (log, store, category, country) in enumerate(orders):
        market.order(f"R{number:02d}", log, store=store, category=category, country=country)
    for number, seq in upheld:
        if number < len(orders):
            opened = sum(1 for e in orders[number][0] if e[1] == "open_dispute")
            if seq <= opened:
                market.malicious.add((f"R{number:02d}", seq))
    market.write()
    assert_same(market, Period(at(start), at(start + days)))


def _duckdb() -> Any:
    from disputedesk.services import metrics_duckdb

    return metrics_duckdb


def test_duckdb_reads_the_same_figures(market: Marketplace) -> None:
    duck = _duckdb()
    if not duck.available(market.db):
        pytest.skip("duckdb and its scanners are not installed (pip install -e '.[analytics]')")
    hand_made(market)
    market.write()
    for period in (MARCH, Period(at(5), at(9))):
        got = duck.all_store_metrics_duckdb(market.db, period)
        want = all_store_metrics(market.db, period)
        assert {s: figures(m) for s, m in got.items()} == {s: figures(m) for s, m in want.items()}
        one = duck.store_metrics_duckdb(market.db, "shop1", period)
        assert figures(one) == figures(want["shop1"])


def test_auto_takes_duckdb_only_for_a_long_log_on_postgresql(
    market: Marketplace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--engine auto`: on SQLite the SQL reader over the metric steps is the faster one at any
    size; on PostgreSQL DuckDB from PREFERRED_FROM_EVENTS events on, when it is installed."""
    duck = _duckdb()
    if not duck.available(market.db):
        pytest.skip("duckdb and its scanners are not installed (pip install -e '.[analytics]')")
    hand_made(market)
    market.write()
    assert not duck.preferred(market.db)
    monkeypatch.setattr(duck, "PREFERRED_FROM_EVENTS", 1)
    assert duck.preferred(market.db) is market.db.is_postgres


def test_the_report_command_reads_with_either_engine(
    market: Marketplace, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hand_made(market)
    market.write()
    monkeypatch.setenv("DISPUTEDESK_DATABASE_URL", database_url)
    runner = CliRunner()
    period = ["--from", "2026-03-01T00:00:00Z", "--to", "2026-04-01T00:00:00Z"]
    want = {s: m.to_json() for s, m in all_store_metrics(market.db, MARCH).items()}
    engines = ["auto"] + (["duckdb"] if _duckdb().available(market.db) else [])
    for engine in engines:
        done = runner.invoke(
            cli_app, ["report", "metrics", "--all-stores", *period, "--engine", engine]
        )
        assert done.exit_code == 0, done.output
        assert json.loads(done.stdout) == want, engine
    rows = runner.invoke(
        cli_app, ["report", "metrics", "--all-stores", *period, "-f", "csv", "--by", "carrier"]
    ).stdout.splitlines()
    assert rows[0].startswith("store,breakdown,key,orders_assessed")
    assert {row.split(",")[0] for row in rows[1:]} == set(want)
    one = runner.invoke(
        cli_app, ["report", "metrics", "--store", "shop1", *period, "--engine", "sql"]
    )
    assert json.loads(one.stdout) == want["shop1"]
    both = runner.invoke(cli_app, ["report", "metrics", "--store", "shop1", "--all-stores"])
    assert both.exit_code == 2
