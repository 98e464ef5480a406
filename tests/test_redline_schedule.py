"""The red-line assessment on the worker's schedule: the first sweep assesses, the next only
once the interval has passed; running it again raises nothing twice; `disputedesk worker
--once` assesses and says what it raised."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from disputedesk.rules.instants import parse_instant
from disputedesk.services.redlines import ScheduledAssessment
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from test_store_metrics import CASES, store

EXE = str(Path(sys.executable).with_name("disputedesk"))
APRIL_5 = parse_instant("2026-04-05T00:00:00Z")


def count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_assessed_at_the_first_sweep_then_hourly_and_never_twice(db: Database) -> None:
    store(db, CASES)
    job = ScheduledAssessment(db, interval_seconds=3600)
    first = job.run(APRIL_5)
    assert first is not None and first.alerts > 0 and first.penalties > 0
    alerts, penalties = count(db, t.metric_alerts), count(db, t.penalties)
    assert job.run(APRIL_5 + timedelta(minutes=59)) is None  # not due yet
    again = job.run(APRIL_5 + timedelta(hours=1))
    assert again is not None and (again.alerts, again.penalties) == (0, 0)
    assert (count(db, t.metric_alerts), count(db, t.penalties)) == (alerts, penalties)
    assert job.run_and_tell(APRIL_5 + timedelta(hours=2)) is None  # nothing new to say


def test_an_interval_of_zero_turns_it_off_and_a_bad_one_is_refused(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ScheduledAssessment(db, interval_seconds=0).run(APRIL_5) is None
    monkeypatch.setenv("DISPUTEDESK_REDLINE_INTERVAL_SECONDS", "hourly")
    with pytest.raises(ValueError, match="DISPUTEDESK_REDLINE_INTERVAL_SECONDS"):
        ScheduledAssessment(db)


def test_disputedesk_worker_once_raises_the_warnings_and_penalties(
    db: Database, database_url: str
) -> None:
    store(db, CASES)
    run = subprocess.run(
        [EXE, "worker", "--once", "--now", "2026-04-05T00:00:00Z"],
        env={**os.environ, "DISPUTEDESK_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "red lines: " in run.stdout and count(db, t.penalties) > 0
