"""Seller metrics at platform scale (issue 14, items 6 and 8): every store's figures and one
store's dashboard over N orders in M stores, against one hand-written SQL query.

Builds N orders (default 10,000,000) over M stores (default 1,000) and their events, disputes
and upheld malicious reports set-based (benchmarks/_metrics_data.py: about 2.2 events an order,
12% of orders disputed), on SQLite (a temporary file) and on PostgreSQL (a fresh schema; skipped
with a message when it cannot be reached). Then, in the same run, for the 30 days up to the
data's `now`:
  1. `all_store_metrics` (the event log read by one streamed statement, every order's facts
     through the rules core's `Tally`): seconds;
  2. a store's dashboard, `store_metrics` for one store, over --samples stores: p50 and p99 ms;
  3. the baseline: ONE hand-written SQL statement (window functions, no Python) computing every
     store's counts and its category / country / carrier / reason rows; its seconds, and the
     ratio of (1) to it (target: within 2x). The numbers of (1) and (3) must be the same (exit 1
     otherwise);
  4. with --engine duckdb or all (and duckdb installed, with the extra [analytics]): the same
     figures read through DuckDB attached to the database, its seconds and the same check;
and prints peak RSS and the database's size. --quick: 200,000 orders over 20 stores; `make
bench` runs 1,000,000 over 100 (DISPUTEDESK_BENCH_METRICS holds default options).
The data is deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from _metrics_data import NOW, build
from bench_db import BACKENDS, BackendUnavailable, fresh_database
from disputedesk.rules.metrics import Counts, Metrics, Period
from disputedesk.services.metrics import all_store_metrics, store_metrics
from disputedesk.store.db import Database

TARGET_RATIO = 2.0
TARGET_DASHBOARD_MS = 200.0
PERIOD = Period(NOW - timedelta(days=30), NOW)
COUNT_KEYS = (
    "orders_assessed",
    "nad_orders",
    "disputes_opened",
    "disputes_escalated",
    "seller_responsible_rulings",
)

BASELINE = """
WITH ev AS (
  SELECT e.order_id, e.seq, e.at, e.action,
    CASE e.action WHEN 'ship' THEN {carrier} WHEN 'open_dispute' THEN {reason}
      WHEN 'rule' THEN {responsibility} END AS detail,
    SUM(CASE WHEN e.action = 'open_dispute' THEN 1 ELSE 0 END)
      OVER (PARTITION BY e.order_id ORDER BY e.seq ROWS UNBOUNDED PRECEDING) AS dn
  FROM events e
  WHERE e.at < :end AND e.action IN ('ship', 'open_dispute', 'confirm_receipt',
    'order_auto_completed', 'cancel_dispute', 'escalate', 'auto_escalated', 'rule', 'auto_ruled')
),
ranked AS (
  SELECT ev.*,
    ROW_NUMBER() OVER (PARTITION BY order_id, dn, action IN ('rule', 'auto_ruled')
      ORDER BY seq DESC) AS from_last,
    ROW_NUMBER() OVER (PARTITION BY order_id, action = 'ship' ORDER BY seq) AS from_first
  FROM ev
),
disputes AS (
  SELECT r.order_id, r.dn,
    MIN(CASE WHEN r.action = 'open_dispute' THEN r.at END) AS opened_at,
    MIN(CASE WHEN r.action = 'open_dispute' THEN r.detail END) AS reason,
    MAX(CASE WHEN r.action = 'cancel_dispute' THEN 1 ELSE 0 END) AS cancelled,
    MAX(CASE WHEN r.action IN ('escalate', 'auto_escalated') THEN 1 ELSE 0 END) AS escalated,
    MAX(CASE WHEN r.action IN ('rule', 'auto_ruled') AND r.from_last = 1
      AND (r.action = 'auto_ruled' OR r.detail = 'seller') THEN 1 ELSE 0 END) AS seller
  FROM ranked r
  WHERE r.dn > 0
    AND NOT EXISTS (SELECT 1 FROM malicious_reports m WHERE m.status = 'upheld'
      AND m.order_id = r.order_id AND m.dispute_seq = r.dn)
  GROUP BY r.order_id, r.dn
),
inside AS (
  SELECT * FROM disputes WHERE opened_at >= :start
),
facts AS {materialized} (
  SELECT x.order_id, o.store_id, COALESCE(o.category, 'unknown') AS category,
    COALESCE(o.destination_country, 'unknown') AS country,
    COALESCE(x.carrier, 'unknown') AS carrier,
    COALESCE(i.opened, 0) AS opened, COALESCE(i.escalated, 0) AS escalated,
    COALESCE(i.seller, 0) AS seller, COALESCE(i.nad, 0) AS nad
  FROM (
    SELECT order_id,
      MAX(CASE WHEN action = 'ship' AND from_first = 1 THEN detail END) AS carrier,
      MAX(CASE WHEN action IN ('confirm_receipt', 'order_auto_completed') AND at >= :start
        THEN 1 ELSE 0 END) AS completed
    FROM ranked GROUP BY order_id
  ) x
  JOIN orders o ON o.id = x.order_id
  LEFT JOIN (
    SELECT order_id, COUNT(*) AS opened, SUM(escalated) AS escalated, SUM(seller) AS seller,
      MAX(CASE WHEN reason LIKE 'not!_as!_described.%' ESCAPE '!' AND cancelled = 0
        THEN 1 ELSE 0 END) AS nad
    FROM inside GROUP BY order_id
  ) i ON i.order_id = x.order_id
  WHERE x.completed = 1 OR i.opened IS NOT NULL
)
SELECT store_id, 'store', '', COUNT(*), SUM(nad), SUM(opened), SUM(escalated), SUM(seller)
  FROM facts GROUP BY store_id
UNION ALL
SELECT store_id, 'category', category, COUNT(*), SUM(nad), SUM(opened), SUM(escalated),
  SUM(seller) FROM facts GROUP BY store_id, category
UNION ALL
SELECT store_id, 'country', country, COUNT(*), SUM(nad), SUM(opened), SUM(escalated),
  SUM(seller) FROM facts GROUP BY store_id, country
UNION ALL
SELECT store_id, 'carrier', carrier, COUNT(*), SUM(nad), SUM(opened), SUM(escalated),
  SUM(seller) FROM facts GROUP BY store_id, carrier
UNION ALL
SELECT f.store_id, 'reason', i.reason, 0,
  COUNT(DISTINCT CASE WHEN i.reason LIKE 'not!_as!_described.%' ESCAPE '!' AND i.cancelled = 0
    THEN i.order_id END), 0, SUM(i.escalated), SUM(i.seller)
  FROM inside i JOIN facts f ON f.order_id = i.order_id GROUP BY f.store_id, i.reason
"""


def baseline_sql(pg: bool) -> str:
    if pg:
        json = "(e.data ->> '{}')"
        return BASELINE.format(
            carrier=json.format("carrier"),
            reason=json.format("reason"),
            responsibility=json.format("responsibility"),
            materialized="MATERIALIZED",
        )
    json = "json_extract(e.data, '$.{}')"
    return BASELINE.format(
        carrier=json.format("carrier"),
        reason=json.format("reason"),
        responsibility=json.format("responsibility"),
        materialized="MATERIALIZED",
    )


Rows = dict[tuple[str, str, str], tuple[int, ...]]


def run_baseline(db: Database) -> Rows:
    """The hand-written statement's rows: (store, breakdown, key) -> the five counts (a reason
    row's denominators are its store's, as in the figures)."""
    params = {"start": PERIOD.start, "end": PERIOD.end}
    if not db.is_postgres:
        params = {k: v.strftime("%Y-%m-%d %H:%M:%S.%f") for k, v in params.items()}
    out: Rows = {}
    with db.engine.connect() as conn:
        from sqlalchemy import text

        for row in conn.execute(text(baseline_sql(db.is_postgres)), params):
            store, dimension, key, *counts = row
            out[(store, dimension, key)] = tuple(int(c or 0) for c in counts)
    for (store, dimension, key), counts in list(out.items()):
        if dimension == "reason":
            total = out[(store, "store", "")]
            out[(store, dimension, key)] = (total[0], counts[1], total[2], counts[3], counts[4])
    return out


def figures_rows(figures: dict[str, Metrics]) -> Rows:
    def counts(c: Counts) -> tuple[int, ...]:
        return tuple(getattr(c, k) for k in COUNT_KEYS)

    out: Rows = {}
    for store, metrics in figures.items():
        if not metrics.total.orders_assessed:
            continue  # (the baseline has no row for a store with no order assessed)
        out[(store, "store", "")] = counts(metrics.total)
        for dimension, rows in metrics.by.items():
            for key, row in rows.items():
                out[(store, dimension, key)] = counts(row)
    return out


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def db_size(db: Database) -> int:
    if db.is_postgres:
        with db.engine.connect() as conn:
            return int(
                conn.exec_driver_sql(
                    "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                ).scalar()
                or 0
            )
    path = Path(db.engine.url.database or "")
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))


@contextmanager
def kept_sqlite(path: Path) -> Iterator[Database]:
    """A SQLite file kept after the run (--database), migrated; built by the caller if empty."""
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    try:
        yield db
    finally:
        db.dispose()


def is_empty(db: Database) -> bool:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT 1 FROM orders LIMIT 1").first() is None


def run_backend(
    backend: str,
    orders: int,
    stores: int,
    samples: int,
    engines: list[str],
    kept: Path | None = None,
) -> bool:
    """One backend's figures; False when the numbers differ."""
    print(f"== {backend}: {orders:,} orders over {stores:,} stores", flush=True)
    database = kept_sqlite(kept) if kept and backend == "sqlite" else fresh_database(backend)
    with database as db:
        if is_empty(db):
            t_build, _ = timed(lambda: build(db, orders, stores))
            built = f"built in {t_build:,.0f} s ({orders / t_build:,.0f} orders/s)"
        else:
            built = f"reused {kept} as built before (its own orders and stores)"
        size = db_size(db)
        print(f"  {built}; database {size / 2**30:.2f} GiB", flush=True)
        t_all, figures = timed(lambda: all_store_metrics(db, PERIOD))
        assessed = sum(m.total.orders_assessed for m in figures.values())
        print(
            f"  all_store_metrics: {t_all:8.2f} s  ({len(figures):,} stores, "
            f"{assessed:,} orders assessed; peak RSS {peak_rss_mb():,.0f} MB)",
            flush=True,
        )
        chosen = sorted(figures)[:: max(1, len(figures) // samples)][:samples]
        times = []
        for store in chosen:
            t, one = timed(lambda store=store: store_metrics(db, store, PERIOD))
            times.append(t * 1000)
            assert one.to_json() == figures[store].to_json(), store
        times.sort()
        p50 = statistics.median(times)
        p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
        per_store = assessed // max(1, len(figures))
        verdict = "ok" if p99 < TARGET_DASHBOARD_MS else f"over {TARGET_DASHBOARD_MS:.0f} ms"
        print(
            f"  store dashboard (store_metrics, ~{per_store:,} orders assessed): "
            f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms over {len(times)} stores ({verdict})",
            flush=True,
        )
        t_base, base = timed(lambda: run_baseline(db))
        ours = figures_rows(figures)
        same = ours == base
        ratio = t_all / t_base
        print(
            f"  baseline (one SQL statement): {t_base:8.2f} s; ratio all_store_metrics/"
            f"baseline {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x); numbers "
            f"{'the same' if same else 'DIFFERENT'}",
            flush=True,
        )
        if not same:
            diff = sorted(set(ours.items()) ^ set(base.items()))[:10]
            print(f"  first differences: {diff}")
        for engine in engines:
            if engine != "duckdb":
                continue
            same = duckdb_run(db, figures, t_base) and same
        print(f"  peak RSS {peak_rss_mb():,.0f} MB", flush=True)
    return same


def duckdb_run(db: Database, figures: dict[str, Metrics], t_base: float) -> bool:
    try:
        from disputedesk.services.metrics_duckdb import all_store_metrics_duckdb
    except ImportError as exc:
        print(f"  duckdb: not installed ({exc}); pip install -e '.[analytics]'")
        return True
    t, got = timed(lambda: all_store_metrics_duckdb(db, PERIOD))
    same = {k: v.to_json() for k, v in got.items()} == {k: v.to_json() for k, v in figures.items()}
    print(
        f"  all_store_metrics through DuckDB: {t:8.2f} s; ratio to baseline "
        f"{t / t_base:.2f}x; figures {'the same' if same else 'DIFFERENT'}",
        flush=True,
    )
    return same


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=10_000_000)
    ap.add_argument("--stores", type=int, default=1_000)
    ap.add_argument("--samples", type=int, default=20, help="stores timed for the dashboard")
    ap.add_argument("--backend", choices=[*BACKENDS, "all"], default="all")
    ap.add_argument("--engine", choices=["sql", "duckdb", "all"], default="all")
    ap.add_argument("--quick", action="store_true", help="200,000 orders over 20 stores")
    ap.add_argument(
        "--database",
        type=Path,
        help="SQLite: build into this file and keep it; a file already built is reused as it is "
        "(a 10,000,000-order build took 15 minutes and 10.5 GB here)",
    )
    # `make bench` sets a smaller default (DISPUTEDESK_BENCH_METRICS); options given win
    args = ap.parse_args(
        [*shlex.split(os.environ.get("DISPUTEDESK_BENCH_METRICS", "")), *sys.argv[1:]]
    )
    orders, stores = (200_000, 20) if args.quick else (args.orders, args.stores)
    engines = ["sql", "duckdb"] if args.engine == "all" else [args.engine]
    ok = True
    for backend in BACKENDS if args.backend == "all" else [args.backend]:
        try:
            ok = run_backend(backend, orders, stores, args.samples, engines, args.database) and ok
        except BackendUnavailable as exc:
            print(f"== {backend}: skipped: {exc}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
