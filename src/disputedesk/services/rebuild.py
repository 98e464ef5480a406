"""Rebuilding projections from the event log, and checking them.

The event log is the history; the orders' state columns, the disputes rows and the due instants
are projections of it. `rebuild` replays every order's events through the core's `evolve` from
the order as it was created, and compares (or, with `fix`, rewrites) what is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from disputedesk.rules.lifecycle import Event, due, evolve
from disputedesk.rules.metrics import DETAIL_FIELD, METRIC_ACTIONS
from disputedesk.rules.model import Order, State
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database


@dataclass(slots=True)
class RebuildReport:
    orders: int = 0
    events: int = 0
    differences: list[str] = field(default_factory=list)


def _fresh_order(stored: Order) -> Order:
    """The order as it was created: its fixed facts, none of its history."""
    return Order(
        id=stored.id,
        amount=stored.amount,
        shipping=stored.shipping,
        currency=stored.currency,
        placed_at=stored.placed_at,
        promised_delivery_days=stored.promised_delivery_days,
        destination_country=stored.destination_country,
        category=stored.category,
    )


def _order_ids(conn: Connection, batch: int) -> Iterator[list[str]]:
    last = ""
    while True:
        ids = list(
            conn.scalars(
                select(t.orders.c.id)
                .where(t.orders.c.id > last)
                .order_by(t.orders.c.id)
                .limit(batch)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def _compare(prefix: str, stored: Any, rebuilt: Any, out: list[str]) -> None:
    if isinstance(stored, dict) and isinstance(rebuilt, dict):
        for key in sorted(set(stored) | set(rebuilt)):
            _compare(f"{prefix}.{key}", stored.get(key), rebuilt.get(key), out)
    elif isinstance(stored, list) and isinstance(rebuilt, list) and len(stored) == len(rebuilt):
        for i, (s, r) in enumerate(zip(stored, rebuilt, strict=True)):
            _compare(f"{prefix}[{i}]", s, r, out)
    elif stored != rebuilt:
        out.append(f"{prefix}: stored {stored!r}, rebuilt {rebuilt!r}")


def rebuild(db: Database, *, batch: int = 1000, limit_differences: int = 1000) -> RebuildReport:
    """Replay every order's log and report each difference from the stored projections."""
    report = RebuildReport()
    with db.engine.connect() as conn:
        for ids in _order_ids(conn, batch):
            loaded = repository.load_many(conn, ids)
            logs: dict[str, list[Any]] = {}
            for row in conn.execute(
                select(t.events)
                .where(t.events.c.order_id.in_(ids))
                .order_by(t.events.c.order_id, t.events.c.seq)
            ):
                logs.setdefault(row.order_id, []).append(row)
            due_query = select(t.orders.c.id, t.orders.c.due_at, t.orders.c.store_id).where(
                t.orders.c.id.in_(ids)
            )
            stored_due, stores = {}, {}
            for row in conn.execute(due_query):
                stored_due[row.id], stores[row.id] = row.due_at, row.store_id
            stored_steps = _metric_steps(conn, ids)
            dispute_rows = {
                (r.order_id, r.seq): r
                for r in conn.execute(select(t.disputes).where(t.disputes.c.order_id.in_(ids)))
            }
            for order_id in ids:
                item = loaded[order_id]
                state = State(order=_fresh_order(item.state.order))
                log = logs.get(order_id, [])
                for expected_seq, row in enumerate(log, 1):
                    if row.seq != expected_seq:
                        report.differences.append(
                            f"{order_id}: event log has seq {row.seq} where {expected_seq} "
                            "was expected"
                        )
                    state = evolve(state, Event(row.at, row.actor, row.action, row.data))
                report.orders += 1
                report.events += len(log)
                out: list[str] = []
                _compare(order_id, item.state.to_json(), state.to_json(), out)
                step = due(state, item.policy)
                if stored_due.get(order_id) != (step.at if step else None):
                    out.append(
                        f"{order_id}.due_at: stored {stored_due.get(order_id)}, "
                        f"rebuilt {step.at if step else None}"
                    )
                if item.event_seq != len(log):
                    out.append(f"{order_id}.event_seq: stored {item.event_seq}, log {len(log)}")
                expected = [
                    (stores.get(order_id), *_metric_step(row))
                    for row in log
                    if row.action in METRIC_ACTIONS
                ]
                if stored_steps.get(order_id, []) != expected:
                    out.append(
                        f"{order_id}.metric_steps: stored {stored_steps.get(order_id, [])}, "
                        f"log {expected}"
                    )
                for index, dispute in enumerate(state.disputes, 1):
                    row = dispute_rows.get((order_id, index))
                    if row is None:
                        out.append(f"{order_id}.disputes[{index}]: missing row")
                        continue
                    columns = repository.dispute_columns(dispute, item.policy)
                    for name, value in columns.items():
                        if getattr(row, name) != value:
                            out.append(
                                f"{order_id}.disputes[{index}].{name}: stored "
                                f"{getattr(row, name)!r}, rebuilt {value!r}"
                            )
                report.differences.extend(out)
                if len(report.differences) >= limit_differences:
                    return report
    return report


def _metric_step(row: Any) -> tuple[Any, ...]:
    """The metric step (`tables.metric_steps`) an event of the log makes."""
    key = DETAIL_FIELD.get(row.action)
    value = None if key is None else row.data.get(key)
    return (row.seq, row.at, row.action, None if value is None else str(value))


def _metric_steps(conn: Connection, ids: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """The stored metric steps of these orders (under their own store), in order."""
    m, o = t.metric_steps, t.orders
    query = (
        select(m.c.order_id, m.c.store_id, m.c.seq, m.c.at, m.c.action, m.c.detail)
        .join_from(o, m, (m.c.store_id == o.c.store_id) & (m.c.order_id == o.c.id))
        .where(o.c.id.in_(ids))
        .order_by(m.c.order_id, m.c.seq)
    )
    found: dict[str, list[tuple[Any, ...]]] = {}
    for row in conn.execute(query):
        found.setdefault(row.order_id, []).append(tuple(row)[1:])
    return found
