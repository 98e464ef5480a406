"""Tracking ingest speed: N carrier events through the feed path, beside a raw insert.

Builds N/20 shipped orders (services/bulk.py) in two fresh databases, then on SQLite (a
temporary file) and on PostgreSQL (--postgres-url, default the local server; a fresh schema,
dropped after; skipped with a message when it cannot be reached) measures in the same run
  1. the feed path: each event's fields read as a feed reads them (`check_event`), in batches
     of --batch events (a webhook burst, a poller round, an import chunk), each batch one
     `ingest_many` (one transaction: the orders and returns read, every event classified,
     fingerprinted and its instant read, the stored fingerprints checked, the new rows written);
  2. a baseline writing the very same rows (read back from the first database before its clock
     starts) with the driver alone, in the same batches: sqlite3 executemany, psycopg COPY;
  3. a replay of the first events (all duplicates: the feed path's "stored once" check);
and prints events/s for each and the ratio (targets: >= 10,000 events/s, <= 3x the baseline).
Twenty events an order, from a few dozen real carrier wordings (UPU, Correios, Cainiao, USPS,
La Poste, AfterShip and 17TRACK codes) in thirty places: carriers repeat their texts, which the
classifier's cache relies on. --profile prints cProfile's top functions of the feed path.
Exits 1 only when the two databases hold different rows.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from bench_db import BackendUnavailable, analyze, fresh_database
from disputedesk.rules.lifecycle import Command
from disputedesk.services import tracking
from disputedesk.services.bulk import create_orders
from disputedesk.services.orders import check_order
from disputedesk.services.tracking import ROW_COLUMNS, check_event, ingest_many
from disputedesk.store.db import Database

TARGET_RATE = 10_000
TARGET_RATIO = 3.0
EVENTS_PER_ORDER = 20
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# (carrier, code, description): what carriers and aggregators say along a China -> abroad route
ROUTE: list[tuple[str, str | None, str]] = [
    ("Cainiao", None, "Order information received by the carrier"),
    ("Cainiao", None, "Received by local delivery company"),
    ("Cainiao", None, "Leave the sorting center"),
    ("Cainiao", None, "Departed from departure country/region"),
    ("Cainiao", None, "Arrived at destination country/region"),
    ("Cainiao", None, "Import clearance start"),
    ("Cainiao", None, "Import customs clearance complete"),
    ("China Post", "EMA", "Posting/Collection"),
    ("China Post", "EMC", "Departure from outward office of exchange"),
    ("China Post", "EMD", "Arrival at inward office of exchange"),
    ("China Post", "EDC", "Held by import Customs"),
    ("Correios", "PO/01", "Objeto postado"),
    ("Correios", "RO/01", "Objeto em trânsito - por favor aguarde"),
    ("Correios", "PAR/17", "Objeto recebido pela unidade de exportação no país de origem"),
    ("Correios", "PAR/16", "Objeto recebido no Brasil"),
    ("Correios", "PAR/10", "Fiscalização aduaneira finalizada"),
    ("Correios", "OEC/01", "Objeto saiu para entrega ao destinatário"),
    ("Correios", "BDE/01", "Objeto entregue ao destinatário"),
    ("USPS", None, "Shipping Label Created, USPS Awaiting Item"),
    ("USPS", None, "Accepted at USPS Origin Facility"),
    ("USPS", None, "Arrived at USPS Regional Facility"),
    ("USPS", None, "In Transit to Next Facility"),
    ("USPS", None, "Arrived at Post Office"),
    ("USPS", None, "Out for Delivery"),
    ("USPS", None, "Delivered, In/At Mailbox"),
    ("La Poste", "PC1", "Votre colis a été déposé dans un point postal."),
    ("La Poste", "ET1", "Votre colis est en transit sur nos plateformes logistiques."),
    ("La Poste", "ET3", "Votre colis est arrivé dans le pays du destinataire."),
    ("La Poste", "MD2", "Votre colis est dans le site de livraison qui dessert votre adresse."),
    ("La Poste", "DI1", "Votre colis est livré."),
    ("usps", "InTransit_001", "Arrived at USPS Regional Destination Facility"),
    ("usps", "AvailableForPickup_001", "Available for Pickup"),
    ("usps", "Delivered_001", "Delivered, Front Door/Porch"),
    ("China Post", "InTransit_CustomsProcessing", "Customs clearance started"),
    ("China Post", "InTransit_PickedUp", "Acceptance"),
    ("Correios", "Exception_Delayed", "Objeto com atraso na entrega"),
]
PLACES = [
    {"city": city, "country": country}
    for city, country in (
        ("Shenzhen", "CN"),
        ("Guangzhou", "CN"),
        ("Yiwu", "CN"),
        ("Shanghai", "CN"),
        ("Hong Kong", "HK"),
        ("Curitiba", "BR"),
        ("São Paulo", "BR"),
        ("Rio de Janeiro", "BR"),
        ("Belo Horizonte", "BR"),
        ("Porto Alegre", "BR"),
        ("Miami", "US"),
        ("Chicago", "US"),
        ("Los Angeles", "US"),
        ("New York", "US"),
        ("Jamaica", "US"),
        ("Roissy", "FR"),
        ("Paris", "FR"),
        ("Lyon", "FR"),
        ("Marseille", "FR"),
        ("Toulouse", "FR"),
        ("Madrid", "ES"),
        ("Barcelona", "ES"),
        ("Valencia", "ES"),
        ("Warszawa", "PL"),
        ("Kraków", "PL"),
        ("Moscow", "RU"),
        ("Seoul", "KR"),
        ("Busan", "KR"),
        ("Santiago", "CL"),
        ("Lima", "PE"),
    )
]


def plan(events: int, seed: int = 2026) -> tuple[list[str], list[tuple[int, int, int, int]]]:
    """The orders' ids and each event as (order, wording, place, minutes after START)."""
    rng = random.Random(seed)
    orders = max(events // EVENTS_PER_ORDER, 1)
    ids = [f"bulk-{i:08d}" for i in range(orders)]
    out: list[tuple[int, int, int, int]] = []
    for n in range(events):
        order = n % orders
        step = n // orders
        minutes = order % 1440 + step * 720 + rng.randrange(60)
        out.append((order, rng.randrange(len(ROUTE)), rng.randrange(len(PLACES)), minutes))
    return ids, out


def batches(
    ids: list[str], events: list[tuple[int, int, int, int]], size: int
) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """The events as a feed hands them over: (order id, its fields), `size` at a time."""
    for start in range(0, len(events), size):
        chunk = []
        for order, wording, place, minutes in events[start : start + size]:
            carrier, code, text = ROUTE[wording]
            at = (START + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
            fields = {
                "carrier": carrier,
                "raw_code": code,
                "description": text,
                "location": PLACES[place],
                "at": at,
                "tracking_number": f"LP{order:08d}CN",
            }
            chunk.append((ids[order], fields))
        yield chunk


def make_orders(db: Database, count: int) -> None:
    template = check_order(
        {
            "id": "template",
            "store_id": "bench-store",
            "buyer_id": "bench-buyer",
            "amount": "40.00",
            "currency": "USD",
            "placed_at": "2026-03-01T08:00:00Z",
            "promised_delivery_days": 30,
            "destination_country": "BR",
        }
    )
    ship = Command(START, "seller", "ship", {"carrier": "Cainiao", "tracking_number": "LP0CN"})
    create_orders(db, count, template, [ship], batch=5000, recorded_at=START)


def feed_path(db: Database, chunks: list[list[tuple[str, dict[str, Any]]]]) -> int:
    stored = 0
    now = datetime.now(UTC)
    for chunk in chunks:
        items = [(order_id, check_event(fields)) for order_id, fields in chunk]
        stored += ingest_many(db, items, source="import", now=now).stored
    return stored


# -- the baseline: the same rows, the driver alone ------------------------------------------------


def stored_rows(db: Database) -> list[tuple[Any, ...]]:
    """Every tracking_events row as the driver reads it (JSON as text), in insert order."""
    names = ", ".join(
        f"{n}::text" if n in ("location", "extra", "payload") else n for n in ROW_COLUMNS
    )
    if not db.is_postgres:
        names = ", ".join(ROW_COLUMNS)
    fairy = db.engine.raw_connection()
    try:
        cursor = fairy.driver_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(f"SELECT {names} FROM tracking_events ORDER BY id")
        rows = [tuple(r) for r in cursor.fetchall()]
        cursor.close()
        fairy.driver_connection.commit()  # type: ignore[union-attr]
    finally:
        fairy.close()
    return rows


def baseline(db: Database, rows: list[tuple[Any, ...]], size: int) -> None:
    fairy = db.engine.raw_connection()
    conn: Any = fairy.driver_connection
    names = ", ".join(ROW_COLUMNS)
    try:
        if db.is_postgres:
            with conn.cursor() as cursor:
                for start in range(0, len(rows), size):
                    with cursor.copy(f"COPY tracking_events ({names}) FROM STDIN") as copy:
                        for row in rows[start : start + size]:
                            copy.write_row(row)
                    conn.commit()
        else:
            marks = ", ".join("?" * len(ROW_COLUMNS))
            insert = f"INSERT INTO tracking_events ({names}) VALUES ({marks})"
            cursor = conn.cursor()
            for start in range(0, len(rows), size):
                cursor.execute("BEGIN IMMEDIATE")
                cursor.executemany(insert, rows[start : start + size])
                cursor.execute("COMMIT")
            cursor.close()
    finally:
        fairy.close()


def fingerprints(db: Database) -> tuple[int, int]:
    """How many rows, and a digest of their (order, fingerprint, status) in id order."""
    rows = stored_rows(db)
    digest = hash(tuple((r[0], r[15], r[12]) for r in rows))
    return len(rows), digest


# --------------------------------------------------------------------------------------------


def _timed(fn: Any, *args: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - t0, result


def run(backend: str, events: int, size: int, profile: bool) -> bool:
    ids, planned = plan(events)
    try:
        with fresh_database(backend) as app, fresh_database(backend) as base:
            for db in (app, base):
                make_orders(db, len(ids))
            analyze(app, base)
            tracking._judged.clear()  # classification is part of what is measured...
            import disputedesk.tracking.classifier  # noqa: F401  (... importing it is not)

            profiler = cProfile.Profile() if profile else None
            if profiler:
                profiler.enable()
            handed = list(batches(ids, planned, size))  # as a feed hands them over
            # What the harness holds (a million events waiting) is no work of the feed path:
            # out of the cyclic collector's view, as the app does with its startup objects.
            gc.collect()
            gc.freeze()
            t_feed, stored = _timed(feed_path, app, handed)
            if profiler:
                profiler.disable()
            if stored != events:
                raise SystemExit(f"{backend}: the feed path stored {stored} of {events} events")
            rows = stored_rows(app)
            t_base, _ = _timed(baseline, base, rows, size)
            replayed = handed[: max(min(events, 100_000) // size, 1)]
            t_replay, again = _timed(feed_path, app, replayed)
            replayed_events = sum(len(chunk) for chunk in replayed)
            del handed, replayed
            gc.unfreeze()
            same = fingerprints(app) == fingerprints(base) and again == 0
    except BackendUnavailable as exc:
        print(f"{backend}: skipped: {exc}")
        return True
    ratio = t_feed / t_base
    feed_rate = events / t_feed
    print(
        f"{backend:<10} feed path {feed_rate:>8,.0f} events/s ({t_feed:6.1f} s)   "
        f"raw insert {events / t_base:>9,.0f} rows/s ({t_base:6.1f} s)   "
        f"ratio {ratio:4.2f}x   "
        f"replay {replayed_events / t_replay:>8,.0f} events/s (all duplicates)"
    )
    print(
        f"{'':<10} targets: >= {TARGET_RATE:,} events/s: "
        f"{'met' if feed_rate >= TARGET_RATE else 'MISSED'}; <= {TARGET_RATIO:g}x: "
        f"{'met' if ratio <= TARGET_RATIO else 'MISSED'}{'' if same else '   ROWS DIFFER'}"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    return same


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="50,000 events")
    ap.add_argument("--batch", type=int, default=1000, help="events per ingest (transaction)")
    ap.add_argument("--postgres-url", default=None, help=f"default: {PG_DEFAULT}")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--profile", action="store_true", help="cProfile the feed path")
    args = ap.parse_args()
    if args.postgres_url:
        import os

        os.environ["DISPUTEDESK_BENCH_POSTGRES_URL"] = args.postgres_url
    events = 50_000 if args.quick else args.events
    print(
        f"{events:,} tracking events, {EVENTS_PER_ORDER} an order, "
        f"batches of {args.batch:,} (one transaction each)"
    )
    results = [run("sqlite", events, args.batch, args.profile)]
    if not args.no_postgres:
        results.append(run("postgresql", events, args.batch, args.profile))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
