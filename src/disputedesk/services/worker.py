"""The deadline worker: finds orders whose next automatic step is due, claims them, steps the
rules core to now, and commits the state, the events and the outbox rows in one transaction per
batch.

Claiming: on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED`, so several workers share the load
and never take the same order; on SQLite the write transaction (`BEGIN IMMEDIATE`) holds the one
write lock. A worker killed mid-batch commits nothing of that batch: its orders stay due and the
next sweep fires them, once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from disputedesk.rules.lifecycle import advance
from disputedesk.services.commands import utc_now
from disputedesk.store import repository
from disputedesk.store.db import Database


@dataclass(slots=True)
class SweepReport:
    orders: int = 0
    steps: int = 0
    batches: int = 0


def sweep_batch(
    db: Database, now: datetime, batch: int, recorded_at: datetime | None = None
) -> tuple[int, int]:
    """Claim up to `batch` due orders and fire their steps; returns (orders, steps)."""
    with db.begin() as conn:
        # The claim reads the state columns too: one query claims and loads the batch (and one
        # more reads its disputes).
        claimed = repository.load_due(conn, now, batch)
        if not claimed:
            return 0, 0
        changes = []
        steps = 0
        for loaded in claimed.values():
            state, fired = advance(loaded.state, now, loaded.policy)
            # Saved even when nothing fired: a stored due_at that the rules no longer agree
            # with (a policy changed) is rewritten, so the order is not claimed again and again.
            changes.append(repository.Change(loaded, state, fired))
            steps += len(fired)
        repository.save(conn, changes, recorded_at or utc_now())
        return len(claimed), steps


def sweep(
    db: Database, now: datetime, *, batch: int = 500, recorded_at: datetime | None = None
) -> SweepReport:
    """Fire everything due at or before `now`, batch after batch, until nothing is due."""
    report = SweepReport()
    while True:
        orders, steps = sweep_batch(db, now, batch, recorded_at)
        if orders == 0:
            return report
        report.orders += orders
        report.steps += steps
        report.batches += 1


def run(
    db: Database,
    *,
    batch: int,
    interval: float,
    clock: Callable[[], datetime],
    should_stop: Callable[[], bool],
    on_sweep: Callable[[SweepReport], None],
) -> None:
    """Sweep, sleep `interval` seconds, repeat until `should_stop()`."""
    while not should_stop():
        report = sweep(db, clock(), batch=batch)
        on_sweep(report)
        slept = 0.0
        while slept < interval and not should_stop():
            time.sleep(min(0.2, interval - slept))
            slept += 0.2
