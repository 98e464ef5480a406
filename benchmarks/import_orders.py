"""Import speed: `disputedesk import` of N orders from CSV, beside a raw baseline.

Generates N plausible orders (default 1,000,000; --quick: 50,000) as a CSV in a temporary
directory, then on SQLite (a temporary file) and on PostgreSQL (DISPUTEDESK_BENCH_POSTGRES_URL,
a fresh schema, dropped after; skipped when it cannot connect):
  1. the real importer (`disputedesk.importing.import_file`: check every row, then write);
  2. a baseline that reads the same CSV and writes the same rows (orders, stores, buyers) with
     the driver alone: sqlite3 executemany, psycopg COPY (what the importer itself uses);
then checks that both wrote the same rows, and prints rows/s and the ratio (target: at most 2x).
Exits 1 only when the two wrote different rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

from disputedesk.importing import ORDER_COLUMNS, import_file
from disputedesk.store import tables as t
from disputedesk.store.db import Database

TARGET_RATIO = 2.0
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHUNK = 5000
CHECKED = ("store_id", "buyer_id", "items", "amount", "shipping", "currency", "placed_at")
CHECKED += ("promised_delivery_days", "destination_country", "destination_address", "category")
CHECKED += ("policy", "status", "delivery_extension_days", "refunded_total", "event_seq")
CHECKED += ("version",)
# The orders row's columns, as the baseline writes them (every column of the table).
COLUMNS = tuple(t.orders.c.keys())
# The CSV's columns: every documented one but `policy` (the default) and `shipping_address`.
HEADER = tuple(c for c in ORDER_COLUMNS if c not in ("policy", "shipping_address"))


def generate(path: Path, rows: int, seed: int = 2026) -> None:
    """N orders: 1,000 stores, a buyer per 5 orders, one to three items each."""
    rng = random.Random(seed)
    countries = ("BR", "US", "FR", "ES", "RU", "PL", "KR", "CL")
    categories = ("apparel/shoes", "electronics/phones", "home/kitchen", "toys/puzzles")
    buyers = max(rows // 5, 1)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for i in range(rows):
            items = [
                {"sku": f"SKU-{rng.randrange(100_000)}", "qty": rng.randrange(1, 4)}
                for _ in range(rng.randrange(1, 4))
            ]
            out.writerow(
                (
                    f"ORD-{i:09d}",
                    f"store-{rng.randrange(1000):04d}",
                    f"buyer-{rng.randrange(buyers):08d}",
                    f"{rng.randrange(100, 50_000) / 100:.2f}",
                    f"{rng.randrange(0, 3_000) / 100:.2f}",
                    "USD",
                    f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T"
                    f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z",
                    rng.choice((10, 15, 20, 30, 45, 60)),
                    rng.choice(countries),
                    f"{rng.randrange(1, 9999)} Rua {rng.randrange(500)}, Cidade",
                    rng.choice(categories),
                    json.dumps(items),
                )
            )


# --------------------------------------------------------------------------------------------
# The baseline: the driver alone, no checks, the same stored values


def _baseline_rows(path: Path, now: datetime, instant: Callable[[str], Any]) -> Iterator[Any]:
    """(new stores, new buyers, orders rows) per chunk of the CSV, converted the cheapest way
    that stores the same values: money as integer cents, instants by `instant`."""
    stores: set[str] = set()
    buyers: set[str] = set()
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        at = {name: header.index(name) for name in header}
        i_id, i_store, i_buyer = at["id"], at["store_id"], at["buyer_id"]
        i_amount, i_ship, i_cur, i_placed = (
            at["amount"],
            at["shipping"],
            at["currency"],
            at["placed_at"],
        )
        i_days, i_country, i_addr = (
            at["promised_delivery_days"],
            at["destination_country"],
            at["destination_address"],
        )
        i_cat, i_items = at["category"], at["items"]
        new_stores: list[str] = []
        new_buyers: list[str] = []
        rows: list[tuple[Any, ...]] = []
        for r in reader:
            store, buyer = r[i_store], r[i_buyer]
            if store not in stores:
                stores.add(store)
                new_stores.append(store)
            if buyer not in buyers:
                buyers.add(buyer)
                new_buyers.append(buyer)
            rows.append(
                (
                    r[i_id],
                    store,
                    buyer,
                    r[i_items] or "[]",
                    int(Decimal(r[i_amount]) * 100),
                    int(Decimal(r[i_ship] or "0") * 100),
                    r[i_cur],
                    r[i_addr] or None,
                    None,
                    r[i_country] or None,
                    r[i_cat] or None,
                    instant(r[i_placed]),
                    int(r[i_days]),
                    "aliexpress",
                    "awaiting_shipment",
                    None,
                    None,
                    None,
                    None,
                    0,
                    None,
                    0,
                    None,
                    None,
                    None,
                    0,
                    1,
                    now,
                    now,
                )
            )  # fmt: skip  (every column of the table, in order; shipping_address None)
            if len(rows) == CHUNK:
                yield new_stores, new_buyers, rows
                new_stores, new_buyers, rows = [], [], []
        if rows:
            yield new_stores, new_buyers, rows


def baseline_sqlite(db_path: Path, csv_path: Path, now: datetime) -> None:
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")  # how SQLAlchemy stores a datetime on SQLite
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    marks = ", ".join("?" * len(COLUMNS))
    insert = f"INSERT INTO orders ({', '.join(COLUMNS)}) VALUES ({marks})"
    parties = "INSERT INTO {} (id, name, created_at) VALUES (?, ?, ?)"
    chunks = _baseline_rows(csv_path, stamp, lambda s: f"{s[:10]} {s[11:19]}.000000")
    for stores, buyers, rows in chunks:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(parties.format("stores"), [(s, s, stamp) for s in stores])
        conn.executemany(parties.format("buyers"), [(b, b, stamp) for b in buyers])
        conn.executemany(insert, rows)
        conn.execute("COMMIT")
    conn.close()


def baseline_postgres(url: str, csv_path: Path, now: datetime) -> None:
    engine = create_engine(url)
    raw = engine.raw_connection()  # psycopg's own connection, with the URL's search_path
    conn: Any = raw.driver_connection
    try:
        chunks = _baseline_rows(csv_path, now, lambda s: s)
        for stores, buyers, rows in chunks:
            with conn.transaction(), conn.cursor() as cur:
                for table, ids in (("stores", stores), ("buyers", buyers)):
                    if ids:
                        with cur.copy(f"COPY {table} (id, name, created_at) FROM STDIN") as cp:
                            for i in ids:
                                cp.write_row((i, i, now))
                with cur.copy(f"COPY orders ({', '.join(COLUMNS)}) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(row)
    finally:
        raw.close()
        engine.dispose()


# --------------------------------------------------------------------------------------------


def _signature(db: Database, sample: int) -> tuple[Any, ...]:
    """Counts of the three tables and a sample of orders rows, to compare two databases."""
    with db.engine.connect() as conn:
        counts = tuple(
            conn.scalar(select(func.count()).select_from(table))
            for table in (t.orders, t.stores, t.buyers)
        )
        step = max(counts[0] // sample, 1)
        ids = [f"ORD-{i:09d}" for i in range(0, counts[0], step)]
        rows = conn.execute(
            select(t.orders.c.id, *(t.orders.c[c] for c in CHECKED))
            .where(t.orders.c.id.in_(ids))
            .order_by(t.orders.c.id)
        ).all()
    return counts, [tuple(r) for r in rows]


def _timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


@contextmanager
def _sqlite_database(tmp_path: Path, name: str) -> Iterator[str]:
    path = tmp_path / f"{name}.db"
    try:
        yield f"sqlite:///{path}"
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _pg_reachable(url: str) -> bool:
    try:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
        admin.dispose()
    except Exception as exc:  # any failure to connect: skip PostgreSQL
        print(f"postgresql: skipped, cannot connect to {url}: {exc.__class__.__name__}")
        return False
    return True


@contextmanager
def _pg_schema(url: str, name: str) -> Iterator[str]:
    """The URL of a fresh schema, dropped after."""
    schema = f"bench_import_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        joiner = "&" if "?" in url else "?"
        yield f"{url}{joiner}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _report(name: str, rows: int, t_import: float, t_base: float, same: bool) -> bool:
    """Print one database's figures; False when the two wrote different rows."""
    ratio = t_import / t_base
    ok = ratio <= TARGET_RATIO
    print(
        f"{name:<10} importer {rows / t_import:>9,.0f} rows/s ({t_import:6.1f} s)   "
        f"baseline {rows / t_base:>9,.0f} rows/s ({t_base:6.1f} s)   "
        f"ratio {ratio:4.2f}x (target <= {TARGET_RATIO:g}x: {'met' if ok else 'MISSED'})"
        f"{'' if same else '   ROWS DIFFER'}"
    )
    return same


def _compare(
    name: str,
    rows: int,
    repeat: int,
    database: Callable[[str], AbstractContextManager[str]],
    run_import: Callable[[Database], None],
    run_baseline: Callable[[str], None],
) -> bool:
    """Best of `repeat` runs of each, alternating, every run into fresh databases."""
    best_import = best_base = float("inf")
    same = True
    for _ in range(repeat):
        with database("import") as url_imp, database("baseline") as url_base:
            db_imp, db_base = Database(url_imp), Database(url_base)
            for db in (db_imp, db_base):
                db.upgrade()
            best_import = min(best_import, _timed(partial(run_import, db_imp)))
            best_base = min(best_base, _timed(partial(run_baseline, url_base)))
            same = same and _signature(db_imp, 1000) == _signature(db_base, 1000)
            for db in (db_imp, db_base):
                db.dispose()
    return _report(name, rows, best_import, best_base, same)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="50,000 rows, best of 3")
    ap.add_argument("--repeat", type=int, help="runs of each, best kept (default 1; --quick: 3)")
    ap.add_argument("--no-postgres", action="store_true")
    args = ap.parse_args()
    rows = 50_000 if args.quick else args.rows
    repeat = args.repeat or (3 if args.quick else 1)
    pg_url = os.environ.get("DISPUTEDESK_BENCH_POSTGRES_URL", DEFAULT_PG)
    results: list[bool] = []
    with tempfile.TemporaryDirectory(prefix="disputedesk-bench-import-") as tmp:
        tmp_path = Path(tmp)
        csv_path = tmp_path / "orders.csv"
        t_gen = _timed(lambda: generate(csv_path, rows))
        size = csv_path.stat().st_size / 1e6
        print(
            f"{rows:,} orders, {size:,.0f} MB of CSV (generated in {t_gen:.1f} s); "
            f"best of {repeat} run(s) each"
        )
        now = datetime.now(UTC).replace(microsecond=0)

        def run_import(db: Database) -> None:
            report = import_file(db, csv_path, now=now)
            if report.imported != rows:
                raise SystemExit(f"the importer imported {report.summary()}")

        def sqlite_file(url: str) -> Path:
            return Path(url.removeprefix("sqlite:///"))

        results.append(
            _compare(
                "sqlite",
                rows,
                repeat,
                lambda name: _sqlite_database(tmp_path, name),
                run_import,
                lambda url: baseline_sqlite(sqlite_file(url), csv_path, now),
            )
        )
        if not args.no_postgres and _pg_reachable(pg_url):
            results.append(
                _compare(
                    "postgresql",
                    rows,
                    repeat,
                    lambda name: _pg_schema(pg_url, name),
                    run_import,
                    lambda url: baseline_postgres(url, csv_path, now),
                )
            )
    return 0 if all(results) else 1  # a missed target is printed; different rows fail


if __name__ == "__main__":
    sys.exit(main())
