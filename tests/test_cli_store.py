"""The store's commands as a user runs them: db upgrade/status, events, rebuild --check,
worker --once, and the refusal to run on an outdated schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from disputedesk.rules.instants import parse_instant
from disputedesk.services import commands, messages, orders
from disputedesk.store.db import Database

EXE = str(Path(sys.executable).with_name("disputedesk"))


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISPUTEDESK_DATABASE_URL": url}
    return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, timeout=60)


def test_every_command_refuses_an_empty_schema_and_names_the_fix(database_url: str) -> None:
    for args in (["events", "X"], ["rebuild", "--check"], ["worker", "--once"]):
        run = cli(database_url, *args)
        assert run.returncode == 2, args
        assert "run `disputedesk db upgrade`" in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    status = cli(database_url, "db", "status")
    assert status.returncode == 1 and "OUTDATED" in status.stdout
    head = Database(database_url).head_revision()
    up = cli(database_url, "db", "upgrade")
    assert up.returncode == 0 and f"upgraded from empty to {head}" in up.stdout
    again = cli(database_url, "db", "upgrade")
    assert f"already at revision {head}" in again.stdout
    assert cli(database_url, "db", "status").returncode == 0


def test_worker_events_and_rebuild(database_url: str) -> None:
    db = Database(database_url)
    db.upgrade()
    orders.create_order(
        db,
        orders.check_order(
            {
                "id": "W-1",
                "store_id": "s",
                "buyer_id": "b",
                "amount": "100.00",
                "shipping": "21.49",
                "currency": "USD",
                "placed_at": "2026-03-02T08:00:00Z",
                "promised_delivery_days": 30,
            }
        ),
    )
    commands.ship(
        db,
        "W-1",
        carrier="China Post",
        tracking_number="RR1CN",
        at=parse_instant("2026-03-03T10:00:00Z"),
    )
    commands.open_dispute(
        db,
        "W-1",
        reason="not_received.tracking_invalid",
        plan={"type": "refund_only", "amount": "121.49"},
        goods_received=False,
        at=parse_instant("2026-03-09T12:00:00Z"),
    )
    messages.post_message(
        db,
        "W-1",
        sender_role="buyer",
        body="Where is my parcel?",
        at=parse_instant("2026-03-09T12:01:00Z"),
    )
    db.dispose()
    early = cli(database_url, "worker", "--once", "--now", "2026-03-14T11:59:59Z")
    assert early.returncode == 0 and "fired 0 step(s)" in early.stdout
    due = cli(database_url, "worker", "--once", "--now", "2026-03-14T12:00:00Z")
    assert due.returncode == 0 and "fired 1 step(s) on 1 order(s)" in due.stdout
    log = cli(database_url, "events", "W-1", "--json")
    assert log.returncode == 0
    lines = [json.loads(line) for line in log.stdout.splitlines()]
    assert [(e["seq"], e["action"]) for e in lines] == [
        (1, "ship"),
        (2, "open_dispute"),
        (3, "seller_response_timeout"),
    ]
    assert lines[2]["at"] == "2026-03-14T12:00:00Z"
    table = cli(database_url, "events", "W-1")
    assert table.returncode == 0 and "seller_response_timeout" in table.stdout
    missing = cli(database_url, "events", "NOPE")
    assert missing.returncode == 1 and "not found" in missing.stderr
    check = cli(database_url, "rebuild", "--check")
    assert check.returncode == 0 and "0 difference(s)" in check.stdout
    assert cli(database_url, "rebuild").returncode == 2
    bad_now = cli(database_url, "worker", "--once", "--now", "tomorrow")
    assert bad_now.returncode == 2 and "--now" in bad_now.stderr


def test_message_thread(db: Database) -> None:
    orders.create_order(
        db,
        orders.check_order(
            {
                "id": "M-1",
                "store_id": "s",
                "buyer_id": "b",
                "amount": "1.00",
                "currency": "USD",
                "placed_at": "2026-03-02T08:00:00Z",
                "promised_delivery_days": 3,
            }
        ),
    )
    messages.post_message(
        db,
        "M-1",
        sender_role="buyer",
        body="Hello",
        locale="pt-BR",
        at=parse_instant("2026-03-03T00:00:00Z"),
    )
    messages.post_message(
        db,
        "M-1",
        sender_role="seller",
        body="您好",
        sender_name="Li",
        at=parse_instant("2026-03-03T01:00:00Z"),
    )
    thread = messages.thread(db, "M-1")
    assert [(m.sender_role, m.body) for m in thread] == [("buyer", "Hello"), ("seller", "您好")]
    for kwargs, code in (
        ({"sender_role": "robot", "body": "x"}, "invalid_input"),
        ({"sender_role": "buyer", "body": "  "}, "invalid_input"),
    ):
        try:
            messages.post_message(db, "M-1", **kwargs)  # type: ignore[arg-type]
        except commands.ServiceError as exc:
            assert exc.code == code
        else:
            raise AssertionError(f"{kwargs} was accepted")
    try:
        messages.post_message(db, "NOPE", sender_role="buyer", body="hi")
    except commands.ServiceError as exc:
        assert exc.code == "not_found"
    else:
        raise AssertionError("a message to a missing order was accepted")
