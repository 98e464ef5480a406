"""Reminder planning speed: N open disputes whose seller windows close within 48 hours.

Builds N orders with an open dispute awaiting the seller (services/bulk.py, the real rows) in two
fresh databases (the store has an owner with an account, so each reminder reaches a person),
then measures in the same run
  1. the messaging job's reminder planning at 48 h before the deadline: find the orders (the
     index on orders.due_at, minus those already reminded), load each state, plan with the
     pure `messaging.plan.reminder` (from `lifecycle.due`), create each notification once,
     release it: check it still holds, render it in the reader's language, write the in-app
     notification and the outbox rows (in-app and email), in batches of --batch;
  2. the deadline sweep alone (`worker.sweep`) over the same disputes on the other database, at
     their deadline (claim, load, step the core, save: the baseline the issue names);
and prints disputes/s for both and the ratio planning / sweep. A second planning pass at the
same instant (nothing new to plan) is timed too: what every later sweep costs.
On SQLite and on PostgreSQL (DISPUTEDESK_BENCH_POSTGRES_URL, a fresh schema; skipped with a
message when it cannot be reached).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta

from bench_db import BACKENDS, BackendUnavailable, analyze, count, fresh_database, rate
from disputedesk.messaging.catalog import shipped
from disputedesk.rules.instants import parse_instant
from disputedesk.services.accounts import create_user
from disputedesk.services.bulk import create_due_disputes
from disputedesk.services.notifications import Options, plan_reminders
from disputedesk.services.worker import sweep
from disputedesk.store import tables as t

OPENED_AT = parse_instant("2026-03-10T10:00:00Z")
STORE = "bulk-store"


def run_backend(backend: str, n: int, batch: int) -> float | None:
    """Prints the figures for one backend; returns the ratio (None when skipped)."""
    try:
        with fresh_database(backend) as app, fresh_database(backend) as base:
            t0 = time.perf_counter()
            created = create_due_disputes(app, n, opened_at=OPENED_AT, batch=2000)
            t_build = time.perf_counter() - t0
            create_due_disputes(base, n, opened_at=OPENED_AT, batch=2000)
            create_user(app, email="owner@bulk.test", name="Owner", role="seller", store_id=STORE)
            analyze(app, base)
            assert created.due_at is not None
            at = created.due_at - timedelta(hours=48)
            options = Options()  # no SMTP server: email rows are logged as skipped
            shipped()  # the templates are read and checked once per process, not per sweep
            t0 = time.perf_counter()
            report = plan_reminders(app, at, options, batch=batch)
            t_plan = time.perf_counter() - t0
            t0 = time.perf_counter()
            again = plan_reminders(app, at + timedelta(minutes=1), options, batch=batch)
            t_again = time.perf_counter() - t0
            t0 = time.perf_counter()
            swept = sweep(base, created.due_at, batch=batch)
            t_sweep = time.perf_counter() - t0
            planned = count(
                app, t.notifications, t.notifications.c.kind == "reminder.seller_response"
            )
            listed = count(app, t.user_notifications)
            outbox = count(app, t.notification_deliveries)
    except BackendUnavailable as exc:
        print(f"{backend}: skipped: {exc}")
        return None
    problems = []
    if report.created != n or planned != n or listed != n:
        problems.append(f"planned {report.created}/{planned}, listed {listed}, expected {n}")
    if again.created:
        problems.append(f"a second pass created {again.created}")
    if swept.steps != n:
        problems.append(f"the sweep fired {swept.steps}, expected {n}")
    ratio = t_plan / t_sweep
    print(f"{backend}: {n:,} open disputes, batch {batch} (built with bulk.py: {rate(n, t_build)})")
    print(
        f"  reminder planning: {t_plan:7.2f} s  {rate(n, t_plan)} disputes "
        f"({outbox:,} outbox rows, {listed:,} in-app notifications)"
    )
    print(f"  nothing new, next sweep: {t_again:7.3f} s")
    print(f"  deadline sweep alone: {t_sweep:7.2f} s  {rate(n, t_sweep)} disputes")
    print(f"  ratio planning/sweep: {ratio:.2f}x")
    print(f"  checks: {'ok' if not problems else 'FAILED'}")
    for line in problems:
        print(f"    {line}")
    return ratio


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5,000 disputes")
    ap.add_argument("--disputes", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500, help="orders per transaction (both)")
    ap.add_argument("--backend", choices=[*BACKENDS, "all"], default="all")
    args = ap.parse_args()
    n = 5_000 if args.quick else args.disputes
    backends = BACKENDS if args.backend == "all" else (args.backend,)
    for backend in backends:
        run_backend(backend, n, args.batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
