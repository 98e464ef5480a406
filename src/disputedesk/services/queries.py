"""Reading orders back: an order's event log, and its outcome in the shape `replay` prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from disputedesk.rules.instants import format_instant
from disputedesk.rules.lifecycle import intervention_due_at
from disputedesk.rules.money import format_money
from disputedesk.services.commands import ServiceError
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    seq: int
    at: datetime
    actor: str
    action: str
    data: dict[str, Any]
    recorded_at: datetime


def event_log(db: Database, order_id: str) -> list[LoggedEvent]:
    """The order's events in log order; `not_found` when there is no such order."""
    with db.engine.connect() as conn:
        if conn.scalar(select(t.orders.c.id).where(t.orders.c.id == order_id)) is None:
            raise ServiceError("not_found", f"order {order_id!r} not found")
        rows = conn.execute(
            select(t.events).where(t.events.c.order_id == order_id).order_by(t.events.c.seq)
        ).all()
    return [LoggedEvent(r.seq, r.at, r.actor, r.action, r.data, r.recorded_at) for r in rows]


def order_outcome(db: Database, order_id: str) -> dict[str, Any]:
    """The order and its disputes exactly as `replay` writes them, plus the accepted timeline
    (the event log: refused commands change nothing and are not logged)."""
    with db.engine.connect() as conn:
        loaded = repository.load(conn, order_id)
    if loaded is None:
        raise ServiceError("not_found", f"order {order_id!r} not found")
    order = loaded.state.order
    return {
        "order": {
            "id": order.id,
            "status": str(order.status),
            "delivery_deadline": format_instant(order.delivery_deadline),
            "completed_at": format_instant(order.completed_at),
            "refunded_total": format_money(order.refunded_total),
        },
        "disputes": [
            {
                "reason": d.reason,
                "status": str(d.status),
                "resolution": d.resolution,
                "refund_amount": format_money(d.refund_amount),
                "responsibility": d.responsibility,
                "escalation": d.escalation,
                "opened_at": format_instant(d.opened_at),
                "escalated_at": format_instant(d.escalated_at),
                "intervention_due_at": format_instant(intervention_due_at(d, loaded.policy)),
                "closed_at": format_instant(d.closed_at),
            }
            for d in loaded.state.disputes
        ],
        "timeline": [
            {
                "at": format_instant(e.at),
                "actor": e.actor,
                "action": e.action,
                "ok": True,
                "error": None,
            }
            for e in event_log(db, order_id)
        ],
    }
