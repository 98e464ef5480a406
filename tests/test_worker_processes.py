"""The deadline worker as real processes: several workers at once, a worker killed mid-batch, a
command racing the worker, and the services' retry after a lost race.

Every deadline fires exactly once: afterwards each order has one `seller_response_timeout` event
(or the command that beat it), nothing is still due, the outbox has one row per event, and
`disputedesk rebuild --check` finds the projections equal to the log. Processes are bounded in
count and time, and killed in `finally`.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text, update

from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.rules.lifecycle import Command, handle
from disputedesk.services import commands, orders
from disputedesk.services.bulk import (
    BulkError,
    Created,
    create_due_disputes,
    due_dispute_template,
)
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database

DISPUTEDESK = str(Path(sys.executable).with_name("disputedesk"))
OPENED_AT = parse_instant("2026-03-10T10:00:00Z")
TIMEOUT = "seller_response_timeout"
SECOND = timedelta(seconds=1)
APP_NAME = "dd-worker-test"  # the workers' PostgreSQL application_name (libpq's PGAPPNAME)


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "DISPUTEDESK_DATABASE_URL": url, "PGAPPNAME": APP_NAME}


def cli(url: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DISPUTEDESK, *args], env=_env(url), capture_output=True, text=True, timeout=timeout
    )


def start_worker(url: str, now: datetime, batch: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [DISPUTEDESK, "worker", "--once", "--batch", str(batch), "--now", format_instant(now)],
        env=_env(url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    """A list to start processes into; whatever is still running at the end is killed."""
    started: list[subprocess.Popen[str]] = []
    try:
        yield started
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=30)


def finish(proc: subprocess.Popen[str], timeout: float = 60) -> int:
    """Wait for a `worker --once`; returns the steps it reports having fired."""
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    match = re.search(r"fired (\d+) step", out)
    assert match, out
    return int(match.group(1))


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def count(db: Database, table: Any, *where: Any) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table).where(*where)) or 0


def fired(db: Database, among: list[str] | None = None) -> int:
    """The timeouts committed so far (on the orders `among`, if given). On SQLite this reads
    without the app's BEGIN IMMEDIATE, so polling neither waits behind a worker nor holds it up."""
    if db.is_postgres:
        where = [t.events.c.action == TIMEOUT]
        if among is not None:
            where.append(t.events.c.order_id.in_(among))
        return count(db, t.events, *where)
    path = db.engine.url.database
    assert path
    query, params = "SELECT count(*) FROM events WHERE action = ?", [TIMEOUT]
    if among is not None:
        query += f" AND order_id IN ({', '.join('?' * len(among))})"
        params += among
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(query, params).fetchone()[0])


def assert_fired_once(db: Database, url: str, created: Created) -> None:
    """Each order fired its timeout once, nothing is due, one outbox row per event, and the
    projections rebuild from the log."""
    n = len(created.ids)
    with db.engine.connect() as conn:
        per_order = conn.execute(
            select(t.events.c.order_id, func.count())
            .where(t.events.c.action == TIMEOUT)
            .group_by(t.events.c.order_id)
        ).all()
        assert len(per_order) == n
        assert {c for _, c in per_order} == {1}
        assert conn.scalar(select(func.count()).select_from(t.events)) == 3 * n
        matched = conn.scalar(
            select(func.count())
            .select_from(t.outbox)
            .join(
                t.events,
                (t.events.c.order_id == t.outbox.c.order_id)
                & (t.events.c.seq == t.outbox.c.event_seq),
            )
        )
        assert matched == conn.scalar(select(func.count()).select_from(t.outbox)) == 3 * n
        statuses = conn.execute(select(t.disputes.c.status, func.count()).group_by("status"))
        assert dict(statuses.all()) == {"closed": n}
    assert count(db, t.orders, t.orders.c.due_at.is_not(None)) == 0
    check = cli(url, "rebuild", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"rebuilt {n} order(s) from {3 * n} event(s): 0 difference(s)" in check.stdout


@pytest.fixture
def migrated(database_url: str) -> Iterator[tuple[Database, str]]:
    db = Database(database_url)
    db.upgrade()
    yield db, database_url
    db.dispose()


# --------------------------------------------------------------------------------------------
# bulk.py: the orders it writes are the ones the services would have written

# Columns that differ between two orders by construction: ids and the instants of the writes.
NOT_COMPARED = {"id", "order_id", "created_at", "updated_at", "recorded_at", "available_at"}


def _history(db: Database, order_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the order's history, without its id and the instants of the writes."""
    out: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as conn:
        for table in (t.orders, t.disputes, t.events, t.outbox, t.plans):
            key = table.c.id if table is t.orders else table.c.order_id
            rows = conn.execute(
                select(table).where(key == order_id).order_by(*table.primary_key.columns)
            )
            out[table.name] = [
                {k: v for k, v in r._mapping.items() if k not in NOT_COMPARED} for r in rows
            ]
    for row in out["outbox"]:
        assert row["payload"]["event"].pop("order_id") == order_id
    return out


def test_bulk_orders_are_what_the_services_write(db: Database) -> None:
    created = create_due_disputes(db, 3, opened_at=OPENED_AT, id_prefix="bulk-")
    template, steps = due_dispute_template(opened_at=OPENED_AT)
    orders.create_order(db, replace(template, id="svc-1"))
    for step in steps:
        result = commands.execute(db, "svc-1", step.actor, step.action, step.fields, step.at)
        assert result.ok
    want = _history(db, "svc-1")
    assert [e["action"] for e in want["events"]] == ["ship", "open_dispute"]
    for order_id in created.ids:
        assert _history(db, order_id) == want
    assert created.due_at == OPENED_AT + timedelta(days=5)
    assert want["orders"][0]["due_at"] == created.due_at
    assert want["orders"][0]["due_action"] == TIMEOUT
    with pytest.raises(BulkError, match="refused"):  # nothing is written for a bad template
        create_due_disputes(db, 1, opened_at=OPENED_AT, refund="1000.00", id_prefix="bad-")
    assert count(db, t.orders, t.orders.c.id.like("bad-%")) == 0


# --------------------------------------------------------------------------------------------
# a. several workers on one PostgreSQL database


def test_concurrent_workers_on_postgres_fire_each_deadline_once(postgres_url: str) -> None:
    db = Database(postgres_url)
    db.upgrade()
    created = create_due_disputes(db, 3000, opened_at=OPENED_AT, recorded_at=OPENED_AT)
    assert created.due_at is not None
    now = created.due_at + SECOND
    admin = create_engine(postgres_url)
    try:
        with processes() as procs, admin.connect() as gate:
            # Hold the workers at their first claim until all three wait there: they start at once.
            gate.execute(text("LOCK TABLE orders IN EXCLUSIVE MODE"))
            procs.extend(start_worker(postgres_url, now, 50) for _ in range(3))

            def all_waiting() -> bool:
                ended = [p.communicate() for p in procs if p.poll() is not None]
                assert not ended, ended
                with db.engine.connect() as conn:
                    waiting = conn.scalar(
                        text(
                            "SELECT count(*) FROM pg_locks "
                            "WHERE relation = 'orders'::regclass AND NOT granted"
                        )
                    )
                return waiting == 3

            wait_for(all_waiting, "three workers blocked on the orders table")
            gate.commit()
            reports = [finish(p) for p in procs]
        assert sum(reports) == 3000, reports
        assert sum(1 for r in reports if r > 0) >= 2, reports  # they shared the work
        assert_fired_once(db, postgres_url, created)
    finally:
        admin.dispose()
        db.dispose()


# --------------------------------------------------------------------------------------------
# b. a worker killed with SIGKILL mid-batch

KILL_ORDERS, KILL_BATCH = 12_000, 1000


def _in_transaction(db: Database) -> Callable[[], bool]:
    """Whether a worker is inside a transaction right now (between its claim and its commit)."""
    if db.is_postgres:

        def pg() -> bool:
            with db.engine.connect() as conn:
                return bool(
                    conn.scalar(
                        text(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = :a "
                            "AND xact_start IS NOT NULL AND pid <> pg_backend_pid()"
                        ),
                        {"a": APP_NAME},
                    )
                )

        return pg
    path = db.engine.url.database
    assert path

    def sqlite() -> bool:
        # The worker's transaction holds the write lock (BEGIN IMMEDIATE): probe it, never wait.
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return True
        finally:
            probe.close()

    return sqlite


def _no_worker_sessions(db: Database) -> bool:
    """PostgreSQL rolls a killed client's transaction back once it notices; wait for that."""
    if not db.is_postgres:
        return True
    with db.engine.connect() as conn:
        return not conn.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a"),
            {"a": APP_NAME},
        )


def test_a_worker_killed_mid_batch_loses_nothing_and_fires_nothing_twice(
    migrated: tuple[Database, str],
) -> None:
    db, url = migrated
    created = create_due_disputes(
        db, KILL_ORDERS, opened_at=OPENED_AT, recorded_at=OPENED_AT, batch=4000
    )
    assert created.due_at is not None
    now = created.due_at + SECOND
    in_transaction = _in_transaction(db)
    with processes() as procs:
        for batches_first in (1, 3):  # kill after one committed batch, then after three more
            before = fired(db)
            proc = start_worker(url, now, KILL_BATCH)
            procs.append(proc)
            target = before + batches_first * KILL_BATCH
            wait_for(lambda target=target: fired(db) >= target, "committed batches")
            wait_for(in_transaction, "the worker inside its next batch")
            assert proc.poll() is None, "the worker finished before it could be killed"
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            assert proc.returncode == -signal.SIGKILL
            wait_for(lambda: _no_worker_sessions(db), "the killed worker's session to end")
            after = fired(db)
            assert after < KILL_ORDERS  # it was killed mid-work
            assert after % KILL_BATCH == 0  # no batch was half committed
        procs.append(start_worker(url, now, KILL_BATCH))
        rest = finish(procs[-1])
    assert rest == KILL_ORDERS - after
    assert_fired_once(db, url, created)


# --------------------------------------------------------------------------------------------
# c. several workers on SQLite: they serialize on the write lock


def test_concurrent_workers_on_sqlite_fire_each_deadline_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'disputedesk.db'}"
    db = Database(url)
    db.upgrade()
    try:
        created = create_due_disputes(db, 2000, opened_at=OPENED_AT, recorded_at=OPENED_AT)
        assert created.due_at is not None
        now = created.due_at + SECOND
        gate = sqlite3.connect(tmp_path / "disputedesk.db", isolation_level=None)
        try:
            with processes() as procs:
                gate.execute("BEGIN IMMEDIATE")  # hold the workers back until all have started
                procs.extend(start_worker(url, now, 50) for _ in range(3))
                time.sleep(1.5)
                assert all(p.poll() is None for p in procs)
                gate.execute("ROLLBACK")
                reports = [finish(p) for p in procs]
        finally:
            gate.close()
        assert sum(reports) == 2000, reports
        assert_fired_once(db, url, created)
    finally:
        db.dispose()


# --------------------------------------------------------------------------------------------
# d. a command racing the worker, and the retry after a lost race


def test_accept_racing_the_worker_ends_accepted_or_timed_out_never_both(
    migrated: tuple[Database, str],
) -> None:
    db, url = migrated
    n = 1200
    created = create_due_disputes(db, n, opened_at=OPENED_AT, recorded_at=OPENED_AT)
    assert created.due_at is not None
    now = created.due_at + SECOND
    in_time = created.due_at - SECOND  # the seller answers just before the timeout...
    late = {order_id for i, order_id in enumerate(created.ids) if i % 4 == 3}  # ...or just after
    outcomes: dict[str, str] = {}
    progress = threading.Event()

    def seller() -> None:
        # From the last order back, while the worker sweeps from the first: they meet.
        for order_id in reversed(created.ids):
            at = now if order_id in late else in_time
            try:
                result = commands.accept(db, order_id, actor="seller", at=at)
            except commands.ServiceError as exc:
                outcomes[order_id] = exc.code
            else:
                refusal = result.refusal
                outcomes[order_id] = refusal.code.value if refusal else "accepted"
            if not progress.is_set() and list(outcomes.values()).count("accepted") == 100:
                # A head start; then on, once the worker has fired at the other end (where
                # only the worker fires: this thread has not been there yet).
                progress.set()
                wait_for(lambda: fired(db, created.ids[:100]) > 0, "the worker's first batch")

    thread = threading.Thread(target=seller, daemon=True)
    with processes() as procs:
        thread.start()
        assert progress.wait(30)
        procs.append(start_worker(url, now, 50))
        swept = finish(procs[0])
        thread.join(60)
        assert not thread.is_alive()
    assert len(outcomes) == n
    with db.engine.connect() as conn:
        logs: dict[str, list[str]] = {}
        for row in conn.execute(
            select(t.events.c.order_id, t.events.c.action).order_by(
                t.events.c.order_id, t.events.c.seq
            )
        ):
            logs.setdefault(row.order_id, []).append(row.action)
    accepted = timed_out = 0
    for order_id in created.ids:
        log, outcome = logs[order_id], outcomes[order_id]
        assert log[:2] == ["ship", "open_dispute"], (order_id, log)
        if outcome == "accepted":
            assert order_id not in late
            assert log[2:] == ["accept"], (order_id, log)
            accepted += 1
        else:
            # an in-time answer came after the worker had fired (its clock is later now); a late
            # one is refused after the timeout, which the command fired itself or found fired
            assert outcome == ("no_dispute" if order_id in late else "invalid_input")
            assert log[2:] == [TIMEOUT], (order_id, log)
            timed_out += 1
    assert accepted >= 100 and accepted + timed_out == n
    assert 0 < swept <= timed_out
    assert count(db, t.orders, t.orders.c.due_at.is_not(None)) == 0
    assert count(db, t.outbox) == count(db, t.events) == 3 * n
    check = cli(url, "rebuild", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_lost_race_is_a_version_conflict(db: Database) -> None:
    created = create_due_disputes(db, 1, opened_at=OPENED_AT, recorded_at=OPENED_AT)
    order_id = created.ids[0]
    assert created.due_at is not None
    at = created.due_at - SECOND

    def change(
        loaded: repository.Loaded, actor: str, action: str, fields: dict[str, Any]
    ) -> repository.Change:
        state, entries = handle(loaded.state, Command(at, actor, action, fields), loaded.policy)
        events = [e.event for e in entries if e.event is not None]
        assert len(events) == 1
        return repository.Change(loaded, state, events)

    if db.is_postgres:  # two transactions open at once: the second saves after the first commits
        with db.begin() as first, db.begin() as second:
            mine = repository.load(first, order_id)
            theirs = repository.load(second, order_id)
            assert mine and theirs and mine.version == theirs.version
            repository.save(first, [change(mine, "seller", "accept", {})], OPENED_AT)
            first.commit()
            with pytest.raises(repository.VersionConflict):
                repository.save(
                    second, [change(theirs, "seller", "reject", {"note": "no"})], OPENED_AT
                )
    else:  # SQLite runs one write transaction at a time: load, load, save, save
        with db.begin() as conn:
            mine = repository.load(conn, order_id)
        with db.begin() as conn:
            theirs = repository.load(conn, order_id)
        assert mine and theirs
        with db.begin() as conn:
            repository.save(conn, [change(mine, "seller", "accept", {})], OPENED_AT)
        with pytest.raises(repository.VersionConflict), db.begin() as conn:
            repository.save(conn, [change(theirs, "seller", "reject", {"note": "no"})], OPENED_AT)
    with db.engine.connect() as conn:
        actions = list(
            conn.scalars(select(t.events.c.action).where(t.events.c.order_id == order_id))
        )
    assert actions == ["ship", "open_dispute", "accept"]


def _losing_saves(monkeypatch: pytest.MonkeyPatch, losses: int) -> list[int]:
    """Make the next `losses` saves lose a race: just before each, another writer changes the
    order (its version moves on), so the real `repository.save` finds its version stale."""
    real_save = repository.save
    calls: list[int] = []

    def save(conn: Any, changes: Any, now: datetime) -> None:
        calls.append(len(calls) + 1)
        if len(calls) <= losses:
            ids = [c.loaded.order_id for c in changes]
            conn.execute(
                update(t.orders)
                .where(t.orders.c.id.in_(ids))
                .values(version=t.orders.c.version + 1)
            )
        real_save(conn, changes, now)

    monkeypatch.setattr(repository, "save", save)
    return calls


def test_a_command_that_loses_one_race_is_retried_on_fresh_state(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = create_due_disputes(db, 1, opened_at=OPENED_AT, recorded_at=OPENED_AT)
    assert created.due_at is not None
    with db.engine.connect() as conn:
        before = conn.scalar(select(t.orders.c.version))
    calls = _losing_saves(monkeypatch, losses=1)
    result = commands.accept(db, created.ids[0], actor="seller", at=created.due_at - SECOND)
    assert result.ok and len(calls) == 2
    with db.engine.connect() as conn:
        actions = list(conn.scalars(select(t.events.c.action).order_by(t.events.c.seq)))
        after = conn.scalar(select(t.orders.c.version))
    assert actions == ["ship", "open_dispute", "accept"]
    assert after == before + 1  # one save stayed: the retry's (the lost try rolled back)


def test_a_command_that_keeps_losing_is_refused_with_conflict(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = create_due_disputes(db, 1, opened_at=OPENED_AT, recorded_at=OPENED_AT)
    assert created.due_at is not None
    calls = _losing_saves(monkeypatch, losses=10)
    with pytest.raises(commands.ServiceError) as exc:
        commands.accept(db, created.ids[0], actor="seller", at=created.due_at - SECOND)
    assert exc.value.code == "conflict"
    assert len(calls) == 2  # the first try and one retry
    assert count(db, t.events) == 2 and count(db, t.outbox) == 2  # nothing of either try stayed
    assert count(db, t.orders, t.orders.c.due_at == created.due_at) == 1
