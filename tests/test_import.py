"""`disputedesk import` on SQLite and PostgreSQL: orders and shipments from CSV and JSON Lines,
bad rows with their line and field, all or nothing, --skip-bad-rows, idempotency, shipments
through the rules core, and the command's exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, table

from disputedesk.importing import ImportFileError, import_file
from disputedesk.importing.base import BadRow
from disputedesk.importing.orders import OrderImporter
from disputedesk.importing.run import BadRows
from disputedesk.rules.instants import parse_instant
from disputedesk.services import orders as order_service
from disputedesk.services.rebuild import rebuild
from disputedesk.services.worker import sweep
from disputedesk.store import tables as t
from disputedesk.store.db import Database

EXE = str(Path(sys.executable).with_name("disputedesk"))
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)

ORDERS_CSV = """\
id,store_id,buyer_id,amount,shipping,currency,placed_at,promised_delivery_days,destination_country,destination_address,category,items
A1,store-1,buyer-1,100.00,21.49,USD,2026-03-02T08:00:00Z,30,BR,"Rua 1
Sao Paulo",apparel/shoes,"[{""sku"": ""S-1"", ""qty"": 2}]"
A2,store-1,buyer-2,40,,EUR,2026-03-02T09:30:00.25Z,20,,,,
A3,store-2,buyer-1,5.5,0,USD,2026-03-03T10:00:00Z,3,FR,,home/kitchen,[]
"""

ORDERS_JSONL = [
    {
        "id": "A1",
        "store_id": "store-1",
        "buyer_id": "buyer-1",
        "amount": "100.00",
        "shipping": "21.49",
        "currency": "USD",
        "placed_at": "2026-03-02T08:00:00Z",
        "promised_delivery_days": 30,
        "destination_country": "BR",
        "destination_address": "Rua 1\nSao Paulo",
        "category": "apparel/shoes",
        "items": [{"qty": 2, "sku": "S-1"}],
    },
    {
        "id": "A2",
        "store_id": "store-1",
        "buyer_id": "buyer-2",
        "amount": "40",
        "currency": "EUR",
        "placed_at": "2026-03-02T09:30:00.250Z",
        "promised_delivery_days": "20",
    },
    {
        "id": "A3",
        "store_id": "store-2",
        "buyer_id": "buyer-1",
        "amount": "5.50",
        "shipping": "0",
        "currency": "USD",
        "placed_at": "2026-03-03T10:00:00Z",
        "promised_delivery_days": 3,
        "destination_country": "FR",
        "destination_address": None,
        "category": "home/kitchen",
        "items": [],
    },
]

SHIPMENTS_CSV = """\
order_id,carrier,tracking_number,shipped_at
A1,China Post,RR123456789CN,2026-03-03T10:00:00Z
A2,Cainiao,LP0001,2026-03-04T11:00:00Z
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(tmp_path: Path, name: str, objects: list[Any]) -> Path:
    return write(tmp_path, name, "".join(json.dumps(o) + "\n" for o in objects))


def counts(db: Database) -> dict[str, int]:
    """The row count of every table in the database."""
    names = inspect(db.engine).get_table_names()
    assert "orders" in names and "events" in names
    with db.engine.connect() as conn:
        return {
            name: conn.scalar(select(func.count()).select_from(table(name)))
            for name in names
            if name != "alembic_version"
        }


def order(db: Database, order_id: str) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(select(t.orders).where(t.orders.c.id == order_id)).one()


def bad(report: Any) -> list[tuple[int, str]]:
    return [(b.line, b.field) for b in report.bad_rows.first]


def import_orders(db: Database, tmp_path: Path) -> None:
    report = import_file(db, write(tmp_path, "orders.csv", ORDERS_CSV), now=NOW)
    assert (report.imported, report.already, report.bad) == (3, 0, 0)


# --------------------------------------------------------------------------------------------
# Orders


def test_orders_csv_are_stored_as_create_order_stores_them(db: Database, tmp_path: Path) -> None:
    report = import_file(db, write(tmp_path, "orders.csv", ORDERS_CSV), now=NOW)
    assert (report.kind, report.format, report.rows) == ("orders", "csv", 3)
    assert (report.imported, report.already, report.bad, report.stopped) == (3, 0, 0, False)
    a1 = order(db, "A1")
    assert a1.amount == Decimal("100.00") and a1.shipping == Decimal("21.49")
    assert a1.destination_address == "Rua 1\nSao Paulo"
    assert a1.items == [{"sku": "S-1", "qty": 2}]
    assert a1.placed_at == parse_instant("2026-03-02T08:00:00Z")
    assert (a1.status, a1.event_seq, a1.version, a1.due_at) == ("awaiting_shipment", 0, 1, None)
    assert a1.created_at == NOW
    a2 = order(db, "A2")
    assert a2.shipping == Decimal("0.00") and a2.items == []
    assert a2.placed_at == datetime(2026, 3, 2, 9, 30, 0, 250000, tzinfo=UTC)
    assert (a2.destination_country, a2.destination_address, a2.category) == (None, None, None)
    c = counts(db)
    assert (c["orders"], c["stores"], c["buyers"], c["events"]) == (3, 2, 2, 0)
    # the bulk write stores exactly what the one-order service stores
    order_service.create_order(
        db,
        order_service.check_order({**ORDERS_JSONL[0], "id": "B1"}),
        now=NOW,
    )
    assert order(db, "B1")._asdict() == {**a1._asdict(), "id": "B1"}


def test_orders_jsonl_hold_the_same_orders_as_csv(db: Database, tmp_path: Path) -> None:
    import_orders(db, tmp_path)
    for name in ("orders.jsonl", "orders.ndjson"):
        report = import_file(db, jsonl(tmp_path, name, ORDERS_JSONL))
        assert (report.kind, report.format) == ("orders", "jsonl")
        assert (report.imported, report.already, report.bad) == (0, 3, 0)


def test_bad_rows_name_line_and_field_and_stop_the_import(db: Database, tmp_path: Path) -> None:
    text = (
        ORDERS_CSV
        + "A4,store-3,buyer-3,12.345,0,USD,2026-03-03T10:00:00Z,3,FR,,,\n"  # line 6
        + 'A5,store-3,buyer-3,12,0,USD,2026-03-03T10:00:00Z,3,FR,"two\nlines",,\n'  # 7-8: good
        + "A6,store-3,buyer-3,12,0,USD,2026-03-03 10:00,3,FR,,,\n"  # line 9
        + "A7,store-3,buyer-3,12,0,usd,2026-03-03T10:00:00Z,3,,,,\n"  # line 10
        + "A8,store-3\n"  # line 11
        + "A9,store-3,buyer-3,12,0,USD,2026-03-03T10:00:00Z,3,,,,[{\n"  # line 12
        + "\n"  # a blank line is no row
        + ",store-3,buyer-3,12,0,USD,2026-03-03T10:00:00Z,3,,,,\n"  # line 14
        + f"A10,store-3,buyer-3,12,0,USD,2026-03-03T10:00:00Z,3,,,{'c' * 201},\n"  # line 15
        + "A11,store-3,buyer-3,12,0,USD,2026-03-03T10:00:00Z,-1,,,,\n"  # line 16
        + "A12,store-3,buyer-3,12,0,USD,2026-03-03T10:00:00Z,3,BRA,,,\n"  # line 17
    )
    before = counts(db)  # (a fresh database: empty, but for the messaging job's cursors)
    report = import_file(db, write(tmp_path, "orders.csv", text))
    assert report.stopped and report.imported == 0 and report.not_imported == 4
    assert bad(report) == [
        (6, "amount"),
        (9, "placed_at"),
        (10, "currency"),
        (11, "row"),
        (12, "items"),
        (14, "id"),
        (15, "category"),
        (16, "promised_delivery_days"),
        (17, "destination_country"),
    ]
    assert str(report.bad_rows.first[0]).startswith("6: amount: '12.345' is not a money string")
    assert str(report.bad_rows.first[3]) == "11: row: 2 fields, the header has 12"
    assert counts(db) == before  # nothing at all: no order, store or buyer


def test_skip_bad_rows_imports_the_good_ones(db: Database, tmp_path: Path) -> None:
    text = ORDERS_CSV + "A4,store-3,buyer-3,12.345,0,USD,2026-03-03T10:00:00Z,3,FR,,,\n"
    report = import_file(db, write(tmp_path, "orders.csv", text), skip_bad_rows=True)
    assert (report.imported, report.already, report.bad, report.stopped) == (3, 0, 1, False)
    assert bad(report) == [(6, "amount")]
    assert counts(db)["orders"] == 3 and counts(db)["stores"] == 2  # store-3 was not created


def test_jsonl_rows_that_are_not_orders(db: Database, tmp_path: Path) -> None:
    lines = [
        json.dumps(ORDERS_JSONL[0]),
        "",
        "{not json",
        "[1, 2]",
        json.dumps({**ORDERS_JSONL[1], "colour": "red"}),
        json.dumps({**ORDERS_JSONL[1], "amount": 40.0}),  # money is a string (RULES.md 2)
        json.dumps({**ORDERS_JSONL[1], "items": "[]"}),  # a list, not JSON text
        json.dumps({**ORDERS_JSONL[1], "promised_delivery_days": "³"}),
        json.dumps({**ORDERS_JSONL[1], "policy": ["aliexpress"]}),
        json.dumps({**ORDERS_JSONL[1], "items": [{"price": 1e400}]}),  # jsonb: no Infinity
        json.dumps(ORDERS_JSONL[2]),
    ]
    path = write(tmp_path, "orders.jsonl", "\n".join(lines) + "\n")
    report = import_file(db, path, skip_bad_rows=True)
    assert bad(report) == [
        (3, "row"),
        (4, "row"),
        (5, "colour"),
        (6, "amount"),
        (7, "items"),
        (8, "promised_delivery_days"),
        (9, "policy"),
        (10, "row"),
    ]
    assert (report.imported, report.bad) == (2, 8)
    assert str(report.bad_rows.first[0]).startswith("3: row: not JSON")


def test_an_existing_order_with_other_content_is_a_bad_row(db: Database, tmp_path: Path) -> None:
    import_orders(db, tmp_path)
    changed = ORDERS_CSV.replace("A2,store-1,buyer-2,40,", "A2,store-1,buyer-2,41,")
    changed += "A4,store-3,buyer-3,1,0,USD,2026-03-03T10:00:00Z,3,,,,\n"
    before = counts(db)
    report = import_file(db, write(tmp_path, "changed.csv", changed))
    assert report.stopped and (report.already, report.not_imported) == (2, 1)
    assert [str(b) for b in report.bad_rows.first] == [
        "4: amount: order 'A2' already exists with amount 40.00; this row has 41.00"
    ]
    assert counts(db) == before  # A4 was not imported either


def test_a_key_twice_in_the_file(db: Database, tmp_path: Path) -> None:
    """Repeats in one chunk and across chunks (chunk_rows=2): the same row again is already
    there; another row with the same id is bad, naming the first field that differs."""
    head, *rows = ORDERS_CSV.replace("Rua 1\nSao Paulo", "Rua 1").splitlines()
    again = rows[1].replace(",EUR,", ",USD,")
    lines = [head, rows[0], rows[0], rows[1], rows[2], rows[0], again]
    path = write(tmp_path, "orders.csv", "\n".join(lines) + "\n")
    for chunk_rows in (100, 2):
        report = import_file(db, path, chunk_rows=chunk_rows)
        assert report.stopped and (report.not_imported, report.already) == (3, 2)
        assert [str(b) for b in report.bad_rows.first] == [
            "7: currency: order 'A2' is on line 4 with currency 'EUR'; this row has 'USD'"
        ]
    report = import_file(db, path, chunk_rows=2, skip_bad_rows=True)
    assert (report.imported, report.already, report.bad) == (3, 2, 1)
    assert order(db, "A2").currency == "EUR"


def test_importing_twice_changes_nothing(db: Database, tmp_path: Path) -> None:
    orders_path = write(tmp_path, "orders.csv", ORDERS_CSV)
    shipments_path = write(tmp_path, "shipments.csv", SHIPMENTS_CSV)
    assert import_file(db, orders_path, now=NOW).imported == 3
    assert import_file(db, shipments_path, now=NOW).imported == 2
    with db.engine.connect() as conn:
        stored = [tuple(r) for r in conn.execute(select(t.orders).order_by(t.orders.c.id))]
        events = [tuple(r) for r in conn.execute(select(t.events).order_by(t.events.c.id))]
    before = counts(db)
    later = NOW + timedelta(days=1)
    again = import_file(db, orders_path, now=later)
    assert (again.imported, again.already, again.bad) == (0, 3, 0)
    again = import_file(db, shipments_path, now=later)
    assert (again.imported, again.already, again.bad) == (0, 2, 0)
    assert counts(db) == before
    with db.engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(select(t.orders).order_by(t.orders.c.id))] == stored
        assert [tuple(r) for r in conn.execute(select(t.events).order_by(t.events.c.id))] == events


def test_a_rerun_completes_an_interrupted_import(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "orders.csv", ORDERS_CSV)
    real = OrderImporter.write_packed
    calls = []

    def crash_on_second_chunk(self: OrderImporter, conn: Any, rows: Any) -> Any:
        calls.append(len(rows))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, conn, rows)

    monkeypatch.setattr(OrderImporter, "write_packed", crash_on_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        import_file(db, path, chunk_rows=2)
    assert counts(db)["orders"] == 2  # the first chunk was committed, the second rolled back
    monkeypatch.setattr(OrderImporter, "write_packed", real)
    report = import_file(db, path, chunk_rows=2)
    assert (report.imported, report.already, report.bad) == (1, 2, 0)
    assert counts(db)["orders"] == 3


def test_orders_created_between_the_check_and_the_write(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write judges each chunk again: an order created meanwhile with the same content is
    already there, with other content a bad row (its JSON compared as data, not as text)."""
    from disputedesk.importing import run

    real_write = run._write

    def create_meanwhile(*args: Any) -> None:
        order_service.create_order(db, order_service.check_order(ORDERS_JSONL[0]))
        order_service.create_order(
            db, order_service.check_order({**ORDERS_JSONL[1], "amount": "41.00"})
        )
        real_write(*args)

    monkeypatch.setattr(run, "_write", create_meanwhile)
    report = import_file(db, write(tmp_path, "orders.csv", ORDERS_CSV))
    assert (report.imported, report.already, report.bad) == (1, 1, 1)
    assert [str(b) for b in report.bad_rows.first] == [
        "4: amount: order 'A2' was created meanwhile with another amount"
    ]
    assert order(db, "A2").amount == Decimal("41.00")


# --------------------------------------------------------------------------------------------
# Shipments


def test_shipments_go_through_the_rules_core(db: Database, tmp_path: Path) -> None:
    import_orders(db, tmp_path)
    report = import_file(db, write(tmp_path, "shipments.csv", SHIPMENTS_CSV), now=NOW)
    assert (report.kind, report.imported, report.already, report.bad) == ("shipments", 2, 0, 0)
    a1 = order(db, "A1")
    shipped_at = parse_instant("2026-03-03T10:00:00Z")
    assert (a1.status, a1.carrier, a1.tracking_number) == ("shipped", "China Post", "RR123456789CN")
    assert a1.shipped_at == shipped_at
    assert a1.delivery_deadline == shipped_at + timedelta(days=30)
    assert (a1.due_at, a1.due_action) == (a1.delivery_deadline, "order_auto_completed")
    assert (a1.event_seq, a1.version, a1.clock) == (1, 2, shipped_at)
    with db.engine.connect() as conn:
        logged = conn.execute(
            select(t.events).where(t.events.c.order_id == "A1").order_by(t.events.c.seq)
        ).all()
        topics = list(conn.scalars(select(t.outbox.c.topic).where(t.outbox.c.order_id == "A1")))
    assert [(e.seq, e.at, e.actor, e.action, e.recorded_at) for e in logged] == [
        (1, shipped_at, "seller", "ship", NOW)
    ]
    assert logged[0].data == {"carrier": "China Post", "tracking_number": "RR123456789CN"}
    assert topics == ["order.ship"]
    assert order(db, "A3").status == "awaiting_shipment"
    assert rebuild(db).differences == []
    # the deadline the import set is the one the worker fires
    sweep(db, shipped_at + timedelta(days=30), recorded_at=NOW)
    assert order(db, "A1").status == "completed"


def test_refused_and_repeated_shipments(db: Database, tmp_path: Path) -> None:
    import_orders(db, tmp_path)
    assert import_file(db, write(tmp_path, "first.csv", SHIPMENTS_CSV)).imported == 2
    rows = [
        {"order_id": "A1", "carrier": "China Post", "tracking_number": "RR123456789CN",
         "shipped_at": "2026-03-03T10:00:00Z"},  # already recorded: skipped
        {"order_id": "A1", "carrier": "China Post", "tracking_number": "RR999",
         "shipped_at": "2026-03-03T10:00:00Z"},  # shipped with another tracking number
        {"order_id": "A9", "carrier": "China Post", "tracking_number": "RR1",
         "shipped_at": "2026-03-03T10:00:00Z"},  # no such order
        {"order_id": "A3", "carrier": " ", "tracking_number": "RR3",
         "shipped_at": "2026-03-04T10:00:00Z"},
        {"order_id": "A3", "carrier": "DHL", "tracking_number": "RR3",
         "shipped_at": "2026-03-04"},
        {"order_id": "A3", "carrier": "DHL", "tracking_number": "D3",
         "shipped_at": "2026-03-04T10:00:00Z"},  # good
        {"order_id": "A3", "carrier": "DHL", "tracking_number": "D3",
         "shipped_at": "2026-03-04T10:00:00Z"},  # the same again: already there
        {"order_id": "A3", "carrier": "DHL", "tracking_number": "D4",
         "shipped_at": "2026-03-04T10:00:00Z"},  # the order is shipped on line 6
    ]  # fmt: skip
    path = jsonl(tmp_path, "second.jsonl", rows)
    before = counts(db)
    report = import_file(db, path)
    assert report.stopped and counts(db) == before
    assert [str(b) for b in report.bad_rows.first] == [
        "2: tracking_number: order 'A1' is already shipped with China Post RR123456789CN",
        "3: order_id: order 'A9' not found",
        "4: carrier: required, a non-empty string",
        "5: shipped_at: '2026-03-04' is not a UTC instant YYYY-MM-DDTHH:MM:SSZ",
        "8: tracking_number: order 'A3' is shipped on line 6 with DHL D3",
    ]
    report = import_file(db, path, skip_bad_rows=True, chunk_rows=3)
    assert (report.imported, report.already, report.bad) == (1, 2, 5)
    assert order(db, "A3").tracking_number == "D3"
    assert rebuild(db).differences == []


# --------------------------------------------------------------------------------------------
# Formats, kinds, headers


def test_format_and_kind_are_told_or_given(db: Database, tmp_path: Path) -> None:
    txt = write(tmp_path, "orders.txt", ORDERS_CSV)
    with pytest.raises(ImportFileError, match="cannot tell the format"):
        import_file(db, txt)
    assert import_file(db, txt, fmt="csv").imported == 3
    shipments = jsonl(tmp_path, "s.jsonl", [{"order_id": "A1"}])
    report = import_file(db, shipments, skip_bad_rows=True)
    assert report.kind == "shipments" and bad(report) == [(1, "carrier")]
    with pytest.raises(ImportFileError, match="unknown column"):
        import_file(db, write(tmp_path, "s.csv", SHIPMENTS_CSV), kind="orders")
    with pytest.raises(ImportFileError, match="cannot tell orders"):
        import_file(db, write(tmp_path, "both.csv", "id,order_id\n1,2\n"))
    with pytest.raises(ImportFileError, match=r"missing column.*currency"):
        import_file(db, write(tmp_path, "few.csv", "id,store_id\n1,2\n"))
    with pytest.raises(ImportFileError, match=r"unknown column.*shiping"):
        import_file(db, write(tmp_path, "typo.csv", ORDERS_CSV.replace("shipping", "shiping")))
    with pytest.raises(ImportFileError, match="empty file"):
        import_file(db, write(tmp_path, "empty.csv", ""))
    with pytest.raises(ImportFileError, match="no such file"):
        import_file(db, tmp_path / "missing.csv")
    with pytest.raises(ImportFileError, match="not UTF-8"):
        (tmp_path / "latin.csv").write_bytes(ORDERS_CSV.encode() + b"A9,s,b,1,0,USD,\xe9\n")
        import_file(db, tmp_path / "latin.csv")


def test_bad_rows_keep_the_first_by_line() -> None:
    kept = BadRows(limit=3)
    for line in (9, 2, 7, 5, 1, 8):
        kept.add(BadRow(line, "id", "bad"))
    assert kept.count == 6 and [b.line for b in kept.first] == [1, 2, 5]


def test_progress_counts_every_row(db: Database, tmp_path: Path) -> None:
    class Recorder:
        visible = True

        def __init__(self) -> None:
            self.phases: list[list[Any]] = []

        def phase(self, description: str, total: int | None) -> None:
            self.phases.append([description, total, 0])

        def advance(self, rows: int) -> None:
            self.phases[-1][2] += rows

    recorder = Recorder()
    text = ORDERS_CSV + "A4,store-3,buyer-3,-1,0,USD,2026-03-03T10:00:00Z,3,FR,,,\n"
    import_file(db, write(tmp_path, "o.csv", text), skip_bad_rows=True, progress=recorder)
    # the CSV has 6 lines (one record spans two), 4 rows, 3 of them good
    assert recorder.phases == [["checking", 5, 4], ["importing", 3, 3]]


# --------------------------------------------------------------------------------------------
# The command


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISPUTEDESK_DATABASE_URL": url}
    return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, timeout=60)


def test_the_import_command_and_its_exit_codes(db: Database, tmp_path: Path) -> None:
    good = write(tmp_path, "orders.csv", ORDERS_CSV)
    broken = write(
        tmp_path, "broken.csv", ORDERS_CSV + "A4,s,b,1,0,usd,2026-03-03T10:00:00Z,3,,,,\n"
    )
    run = cli(db.url, "import", str(broken))
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == "6: currency: 'usd' is not a 3-letter currency code"
    assert "nothing imported: 1 bad row(s)" in run.stderr
    assert "imported 0 (3 good rows not imported), already there 0, bad 1" in run.stdout
    assert counts(db)["orders"] == 0
    run = cli(db.url, "import", "--skip-bad-rows", str(broken))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"{broken}: orders: imported 3, already there 0, bad 1"
    run = cli(db.url, "import", str(good), "--kind", "orders", "--format", "csv")
    assert run.returncode == 0 and "imported 0, already there 3, bad 0" in run.stdout
    assert cli(db.url, "import", str(tmp_path / "missing.csv")).returncode == 2
    assert cli(db.url, "import", str(good), "--kind", "parcels").returncode == 2
    helped = cli(db.url, "import", "--help")
    for column in ("promised_delivery_days", "destination_address", "items", "tracking_number"):
        assert column in helped.stdout


def test_a_large_import_refreshes_the_planners_statistics(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from disputedesk.importing import run

    monkeypatch.setattr(run, "ANALYZE_AFTER_ROWS", 3)
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS_CSV)
    report = import_file(db, path, now=NOW)
    assert report.imported == 3
    with db.engine.connect() as conn:
        if db.is_postgres:
            analyzed = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'orders' "
                "AND schemaname = current_schema() AND last_analyze IS NOT NULL"
            ).scalar()
            assert analyzed == 1
        else:
            stats = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'orders'"
            ).scalar()
            assert stats and stats > 0
