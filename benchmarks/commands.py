"""Command speed: commands/s through the services, one transaction per command.

Builds N shipped orders (services/bulk.py) in two fresh databases, then measures in the same run
  1. the services: `open_dispute` on each order, then `propose` (the seller's refund plan) on
     each, then `accept` (the buyer takes it) on each: 3N commands, each `commands.execute`
     (load, the rules core, version-checked save of state, events, outbox and plan rows);
  2. a raw-SQL baseline on the other database doing the same per command in one transaction:
     read the order row and its disputes, UPDATE the order (version-checked), INSERT or UPDATE
     the dispute, INSERT the event, the outbox row and (open, propose) the plan row, with the
     values the core computed once before the clock starts;
and prints commands/s for both and the ratio. The databases are compared afterwards (sample
orders row by row, table counts; with --verify a full `rebuild --check` of both).
On SQLite and on PostgreSQL (DISPUTEDESK_BENCH_POSTGRES_URL, a fresh schema; skipped with a
message when it cannot be reached).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench_db import (
    BACKENDS,
    BackendUnavailable,
    Raw,
    analyze,
    fresh_database,
    rate,
    rebuild_differences,
    same_rows,
)
from disputedesk.rules.instants import format_instant, parse_instant
from disputedesk.rules.lifecycle import Command, Event, due, handle
from disputedesk.rules.model import State
from disputedesk.rules.money import format_money
from disputedesk.rules.policy import policy_from
from disputedesk.services import commands
from disputedesk.services.bulk import create_orders
from disputedesk.services.orders import check_order
from disputedesk.store import repository
from disputedesk.store.db import Database
from disputedesk.store.repository import ORDER_ACTIONS, dispute_columns

SHIPPED_AT = parse_instant("2026-03-03T10:00:00Z")
OPENED_AT = parse_instant("2026-03-09T10:00:00Z")
HOUR = timedelta(hours=1)
BUYER_PLAN = {"type": "refund_only", "amount": "60.00"}
SELLER_PLAN = {"type": "refund_only", "amount": "30.00"}
# (action, actor, fields, at): what each order goes through, in this order.
STEPS: list[tuple[str, str, dict[str, Any], datetime]] = [
    (
        "open_dispute",
        "buyer",
        {"reason": "not_as_described.damaged", "plan": BUYER_PLAN, "goods_received": True},
        OPENED_AT,
    ),
    ("propose", "seller", {"plan": SELLER_PLAN}, OPENED_AT + HOUR),
    ("accept", "buyer", {}, OPENED_AT + 2 * HOUR),
]


def build(db: Database, n: int) -> list[str]:
    order = check_order(
        {
            "id": "template",
            "store_id": "bench-store",
            "buyer_id": "bench-buyer",
            "amount": "100.00",
            "shipping": "21.49",
            "currency": "USD",
            "placed_at": "2026-03-02T08:00:00Z",
            "promised_delivery_days": 30,
        }
    )
    ship = Command(SHIPPED_AT, "seller", "ship", {"carrier": "EMS", "tracking_number": "E1"})
    return create_orders(db, n, order, [ship], id_prefix="cmd-").ids


def run_services(db: Database, ids: list[str]) -> list[float]:
    """Seconds per step, every command through `commands.execute`."""
    seconds = []
    for action, actor, fields, at in STEPS:
        t0 = time.perf_counter()
        for order_id in ids:
            result = commands.execute(db, order_id, actor, action, fields, at)
            if not result.ok:
                raise SystemExit(f"{action} on {order_id} refused: {result.refusal}")
        seconds.append(time.perf_counter() - t0)
    return seconds


@dataclass(frozen=True, slots=True)
class Step:
    """One command's effect on every order, as the core computed it for the template."""

    event: Event
    state: State
    seq: int  # the event's seq
    opens: bool  # a new disputes row (else the last one is updated)


def template_steps(db: Database, template_id: str) -> list[Step]:
    with db.engine.connect() as conn:
        loaded = repository.load(conn, template_id)
    assert loaded is not None
    state, seq, steps = loaded.state, loaded.event_seq, []
    for action, actor, fields, at in STEPS:
        opens = action == "open_dispute"
        state, entries = handle(state, Command(at, actor, action, fields), loaded.policy)
        (entry,) = entries
        assert entry.event is not None
        seq += 1
        steps.append(Step(entry.event, state, seq, opens))
    return steps


def run_baseline(db: Database, ids: list[str], steps: list[Step]) -> list[float]:
    """Seconds per step, every command as hand-written SQL in its own transaction."""
    policy = policy_from("aliexpress")
    raw = Raw(db)
    read_order = (
        "SELECT id, amount, shipping, currency, placed_at, promised_delivery_days, "
        "destination_country, category, status, shipped_at, carrier, tracking_number, "
        "delivery_deadline, delivery_extension_days, completed_at, refunded_total, clock, "
        "policy, version, event_seq FROM orders WHERE id = ?"
    )
    read_disputes = "SELECT seq, state FROM disputes WHERE order_id = ? ORDER BY seq"
    update_order = (
        "UPDATE orders SET status = ?, shipped_at = ?, carrier = ?, tracking_number = ?, "
        "delivery_deadline = ?, delivery_extension_days = ?, completed_at = ?, "
        "refunded_total = ?, clock = ?, due_at = ?, due_action = ?, event_seq = ?, "
        "version = version + 1, updated_at = ? WHERE id = ? AND version = ?"
    )
    insert_dispute = (
        "INSERT INTO disputes (order_id, seq, reason, status, resolution, refund_amount, "
        "responsibility, escalation, opened_at, escalated_at, intervention_due_at, closed_at, "
        "state) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
    )
    update_dispute = (
        "UPDATE disputes SET status = ?, resolution = ?, refund_amount = ?, "
        "responsibility = ?, escalation = ?, escalated_at = ?, intervention_due_at = ?, "
        "closed_at = ?, state = ?::jsonb WHERE order_id = ? AND seq = 1"
    )
    insert_event = (
        "INSERT INTO events (order_id, seq, at, actor, action, data, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)"
    )
    insert_outbox = (
        "INSERT INTO outbox (order_id, event_seq, topic, payload, created_at, available_at, "
        "attempts) VALUES (?, ?, ?, ?::jsonb, ?, ?, 0)"
    )
    insert_plan = (
        "INSERT INTO plans (order_id, dispute_seq, side, type, amount, proposed_at, event_seq) "
        "VALUES (?, 1, ?, ?, ?, ?, ?)"
    )
    seconds = []
    try:
        for step in steps:
            order, dispute, event = step.state.order, step.state.disputes[-1], step.event
            next_due = due(step.state, policy)
            order_values = (
                str(order.status),
                raw.instant(order.shipped_at),
                order.carrier,
                order.tracking_number,
                raw.instant(order.delivery_deadline),
                order.delivery_extension_days,
                raw.instant(order.completed_at),
                Raw.money(order.refunded_total),
                raw.instant(step.state.clock),
                raw.instant(next_due.at if next_due else None),
                next_due.action if next_due else None,
                step.seq,
            )
            columns = dispute_columns(dispute, policy)
            state_json = Raw.json(dispute.to_json())
            event_json = {
                "seq": step.seq,
                "at": format_instant(event.at),
                "actor": event.actor,
                "action": event.action,
                "data": dict(event.data),
            }
            data_json = Raw.json(dict(event.data))
            topic = f"{'order' if event.action in ORDER_ACTIONS else 'dispute'}.{event.action}"
            status, refunded = str(order.status), format_money(order.refunded_total)
            plan = event.data.get("plan")
            plan_amount = Raw.money(Decimal(plan["amount"])) if plan else None
            t0 = time.perf_counter()
            for order_id in ids:
                now = raw.instant(datetime.now(UTC))
                raw.begin()
                row = raw.execute(read_order, (order_id,)).fetchone()
                version = row[-2]
                raw.execute(read_disputes, (order_id,)).fetchall()
                raw.execute(update_order, (*order_values, now, order_id, version))
                if raw.cursor.rowcount != 1:
                    raise SystemExit(f"{order_id}: version conflict in the baseline")
                if step.opens:
                    raw.execute(
                        insert_dispute,
                        (
                            order_id,
                            columns["reason"],
                            columns["status"],
                            columns["resolution"],
                            Raw.money(columns["refund_amount"]),
                            columns["responsibility"],
                            columns["escalation"],
                            raw.instant(columns["opened_at"]),
                            raw.instant(columns["escalated_at"]),
                            raw.instant(columns["intervention_due_at"]),
                            raw.instant(columns["closed_at"]),
                            state_json,
                        ),
                    )
                else:
                    raw.execute(
                        update_dispute,
                        (
                            columns["status"],
                            columns["resolution"],
                            Raw.money(columns["refund_amount"]),
                            columns["responsibility"],
                            columns["escalation"],
                            raw.instant(columns["escalated_at"]),
                            raw.instant(columns["intervention_due_at"]),
                            raw.instant(columns["closed_at"]),
                            state_json,
                            order_id,
                        ),
                    )
                at = raw.instant(event.at)
                event_row = (order_id, step.seq, at, event.actor, event.action, data_json, now)
                raw.execute(insert_event, event_row)
                payload = {
                    "event": {"order_id": order_id, **event_json},
                    "order_status": status,
                    "refunded_total": refunded,
                }
                raw.execute(insert_outbox, (order_id, step.seq, topic, Raw.json(payload), now, now))
                if plan is not None:
                    side = "seller" if event.action == "propose" else "buyer"
                    raw.execute(
                        insert_plan,
                        (order_id, side, plan["type"], plan_amount, at, step.seq),
                    )
                raw.commit()
            seconds.append(time.perf_counter() - t0)
    finally:
        raw.close()
    return seconds


def run_backend(backend: str, n: int, verify: bool) -> float | None:
    try:
        with fresh_database(backend) as app, fresh_database(backend) as base:
            ids = build(app, n + 1)
            build(base, n + 1)
            analyze(app, base)
            template, ids = ids[0], ids[1:]  # the template order stays untouched
            steps = template_steps(base, template)
            t_services = run_services(app, ids)
            t_base = run_baseline(base, ids, steps)
            problems = same_rows(app, base, [ids[0], ids[-1]])
            if verify:
                problems += rebuild_differences(app, "services")
                problems += rebuild_differences(base, "baseline")
    except BackendUnavailable as exc:
        print(f"{backend}: skipped: {exc}")
        return None
    total_s, total_b = sum(t_services), sum(t_base)
    ratio = total_s / total_b
    print(f"{backend}: {n:,} orders x {len(STEPS)} commands, one transaction each")
    for (action, *_), s, b in zip(STEPS, t_services, t_base, strict=True):
        print(f"  {action:13s} services {rate(n, s):>9s}   raw SQL {rate(n, b):>9s}   {s / b:.2f}x")
    print(
        f"  all           services {rate(len(STEPS) * n, total_s):>9s}   "
        f"raw SQL {rate(len(STEPS) * n, total_b):>9s}   {ratio:.2f}x"
    )
    checked = "sample orders row by row, counts" + (", rebuild --check of both" if verify else "")
    print(f"  same rows ({checked}): {'yes' if not problems else 'NO'}")
    for line in problems[:10]:
        print(f"    {line}")
    return ratio


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="300 orders, full verification")
    ap.add_argument("--orders", type=int, default=3000)
    ap.add_argument("--backend", choices=[*BACKENDS, "all"], default="all")
    ap.add_argument("--verify", action="store_true", help="rebuild --check both databases")
    args = ap.parse_args()
    n = 300 if args.quick else args.orders
    backends = BACKENDS if args.backend == "all" else (args.backend,)
    for backend in backends:
        run_backend(backend, n, args.verify or args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
