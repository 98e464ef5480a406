"""Deadline worker speed: N disputes whose seller windows expire at the same instant.

Builds N orders with an open dispute awaiting the seller (services/bulk.py, the real rows) in two
fresh databases, then measures in the same run
  1. `worker.sweep` firing every seller_response_timeout (claim, load, step the core, save:
     state, events, outbox), in batches of --batch orders, one transaction each;
  2. a raw-SQL baseline on the other database: per batch the same claim query, then per dispute
     UPDATE orders + UPDATE disputes + INSERT event + INSERT outbox, with executemany, writing
     the very same rows (the values come from the core, computed once before the clock starts).
and prints disputes/s for both and the ratio (target: sweep <= 3x the baseline's time).
The two databases are compared afterwards (sample rows, counts; with --verify also a full
`rebuild --check` of both), so the baseline is known to have written what the worker wrote.
On SQLite and on PostgreSQL (DISPUTEDESK_BENCH_POSTGRES_URL, a fresh schema; skipped with a
message when it cannot be reached).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime

from bench_db import (
    BACKENDS,
    BackendUnavailable,
    Raw,
    analyze,
    count,
    fresh_database,
    rate,
    rebuild_differences,
    same_rows,
)
from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.rules.lifecycle import advance
from disputedesk.rules.money import format_money
from disputedesk.rules.policy import policy_from
from disputedesk.services.bulk import Created, create_due_disputes
from disputedesk.services.worker import sweep
from disputedesk.store import tables as t
from disputedesk.store.db import Database

TARGET_RATIO = 3.0
OPENED_AT = parse_instant("2026-03-10T10:00:00Z")


def baseline_sweep(db: Database, created: Created, now: datetime, batch: int) -> int:
    """Fire the timeouts with raw SQL; returns how many disputes it fired."""
    policy = policy_from("aliexpress")
    state, fired = advance(created.state, now, policy)
    (event,) = fired
    order, dispute = state.order, state.disputes[-1]
    seq = len(created.events) + 1
    dispute_state = Raw.json(dispute.to_json())
    event_data = Raw.json(dict(event.data))
    event_at = format_instant(event.at)
    raw = Raw(db)
    try:
        claim = "SELECT id FROM orders WHERE due_at <= ? ORDER BY due_at LIMIT ?"
        if raw.pg:
            claim += " FOR UPDATE SKIP LOCKED"
        recorded = datetime.now(now.tzinfo)
        order_values = (
            str(order.status),
            raw.instant(order.completed_at),
            Raw.money(order.refunded_total),
            raw.instant(state.clock),
            seq,
            raw.instant(recorded),
        )
        dispute_values = (
            str(dispute.status),
            dispute.resolution,
            Raw.money(dispute.refund_amount),
            raw.instant(dispute.closed_at),
            dispute_state,
        )
        at, rec = raw.instant(event.at), raw.instant(recorded)
        total = 0
        while True:
            raw.begin()
            ids = [row[0] for row in raw.execute(claim, (raw.instant(now), batch)).fetchall()]
            if not ids:
                raw.commit()
                return total
            raw.executemany(
                "UPDATE orders SET status = ?, completed_at = ?, refunded_total = ?, clock = ?, "
                "due_at = NULL, due_action = NULL, event_seq = ?, version = version + 1, "
                "updated_at = ? WHERE id = ?",
                [(*order_values, i) for i in ids],
            )
            raw.executemany(
                "UPDATE disputes SET status = ?, resolution = ?, refund_amount = ?, "
                "closed_at = ?, state = ?::jsonb WHERE order_id = ? AND seq = 1",
                [(*dispute_values, i) for i in ids],
            )
            raw.executemany(
                "INSERT INTO events (order_id, seq, at, actor, action, data, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)",
                [(i, seq, at, event.actor, event.action, event_data, rec) for i in ids],
            )
            raw.executemany(
                "INSERT INTO outbox (order_id, event_seq, topic, payload, created_at, "
                "available_at, attempts) VALUES (?, ?, ?, ?::jsonb, ?, ?, 0)",
                [
                    (
                        i,
                        seq,
                        f"dispute.{event.action}",
                        Raw.json(
                            {
                                "event": {
                                    "order_id": i,
                                    "seq": seq,
                                    "at": event_at,
                                    "actor": event.actor,
                                    "action": event.action,
                                    "data": {},
                                },
                                "order_status": str(order.status),
                                "refunded_total": format_money(order.refunded_total),
                            }
                        ),
                        rec,
                        rec,
                    )
                    for i in ids
                ],
            )
            raw.commit()
            total += len(ids)
    finally:
        raw.close()


def compare(app: Database, base: Database, ids: list[str], verify: bool) -> list[str]:
    """Where the baseline's database differs from the worker's (it must not)."""
    problems = same_rows(app, base, sorted({ids[0], ids[len(ids) // 2], ids[-1]}))
    for name, db in (("worker", app), ("baseline", base)):
        due = count(db, t.orders, t.orders.c.due_at.is_not(None))
        if due:
            problems.append(f"{name}: {due} order(s) still due")
        if verify:
            problems.extend(rebuild_differences(db, name))
    return problems


def run_backend(backend: str, n: int, batch: int, verify: bool) -> float | None:
    """Prints the figures for one backend; returns the ratio (None when skipped)."""
    try:
        with fresh_database(backend) as app, fresh_database(backend) as base:
            t0 = time.perf_counter()
            created = create_due_disputes(app, n, opened_at=OPENED_AT, batch=2000)
            t_build = time.perf_counter() - t0
            create_due_disputes(base, n, opened_at=OPENED_AT, batch=2000)
            analyze(app, base)
            assert created.due_at is not None
            now = created.due_at
            t0 = time.perf_counter()
            report = sweep(app, now, batch=batch)
            t_sweep = time.perf_counter() - t0
            t0 = time.perf_counter()
            fired = baseline_sweep(base, created, now, batch)
            t_base = time.perf_counter() - t0
            problems = compare(app, base, created.ids, verify)
    except BackendUnavailable as exc:
        print(f"{backend}: skipped: {exc}")
        return None
    if report.steps != n or fired != n:
        problems.append(f"fired {report.steps} (worker) and {fired} (baseline), expected {n}")
    ratio = t_sweep / t_base
    print(f"{backend}: {n:,} due disputes, batch {batch} (built with bulk.py: {rate(n, t_build)})")
    print(f"  worker.sweep: {t_sweep:7.2f} s  {rate(n, t_sweep)} disputes")
    print(f"  raw SQL:      {t_base:7.2f} s  {rate(n, t_base)} disputes")
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(f"  ratio sweep/raw: {ratio:.2f}x (target <= {TARGET_RATIO:g}x: {verdict})")
    checked = "sample rows, counts" + (", rebuild --check of both" if verify else "")
    print(f"  same rows ({checked}): {'yes' if not problems else 'NO'}")
    for line in problems[:10]:
        print(f"    {line}")
    return ratio


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5,000 disputes, full verification")
    ap.add_argument("--disputes", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500, help="orders per transaction (both)")
    ap.add_argument("--backend", choices=[*BACKENDS, "all"], default="all")
    ap.add_argument("--verify", action="store_true", help="rebuild --check both databases")
    args = ap.parse_args()
    n = 5_000 if args.quick else args.disputes
    verify = args.verify or args.quick
    backends = BACKENDS if args.backend == "all" else (args.backend,)
    for backend in backends:
        run_backend(backend, n, args.batch, verify)
    return 0


if __name__ == "__main__":
    sys.exit(main())
