"""Shared builders for the messaging tests: a desk (users, a controllable clock, the API), orders
in the states the triggers and reminders need, the messaging job with a recording mailer, and
reads of what was sent."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select

from disputedesk.services import commands, messaging
from disputedesk.services.mailer import Outcome
from disputedesk.services.notifications import MessagingJob, Options
from disputedesk.services.orders import check_order, create_order
from disputedesk.services.tracking import check_event, ingest
from disputedesk.store import tables as t
from disputedesk.store.db import Database

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Mailbox:
    """A mailer that keeps what it was given and answers as told (delivered by default)."""

    def __init__(self, *answers: Outcome) -> None:
        self.sent: list[EmailMessage] = []
        self.answers = list(answers)
        self._lock = threading.Lock()

    def send(self, message: EmailMessage) -> Outcome:
        with self._lock:
            self.sent.append(message)
            return self.answers.pop(0) if self.answers else Outcome("delivered", 250)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.sent if m["To"] == address]


def job(db: Database, mailbox: Mailbox | None = None, poster: Any = None) -> MessagingJob:
    return MessagingJob(db, Options(mailer=mailbox, poster=poster))  # type: ignore[arg-type]


def new_order(
    db: Database,
    order_id: str,
    *,
    country: str | None = "BR",
    buyer_id: str = "B1",
    promised_days: int = 30,
    placed_at: datetime = T0,
) -> None:
    create_order(
        db,
        check_order(
            {
                "id": order_id,
                "store_id": "shop1",
                "buyer_id": buyer_id,
                "amount": "100.00",
                "shipping": "21.49",
                "currency": "USD",
                "placed_at": placed_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "promised_delivery_days": promised_days,
                "destination_country": country,
                "items": [{"title": "Running shoes", "quantity": 2}],
            }
        ),
        now=placed_at,
    )


def ship(db: Database, order_id: str, at: datetime) -> None:
    result = commands.ship(
        db, order_id, carrier="China Post", tracking_number=f"RR{order_id}CN", at=at
    )
    assert result.ok, result.refusal


def open_dispute(
    db: Database, order_id: str, at: datetime, plan: dict[str, Any] | None = None
) -> None:
    result = commands.open_dispute(
        db,
        order_id,
        reason="not_as_described.damaged",
        plan=plan or {"type": "return_and_refund", "amount": "50.00"},
        goods_received=True,
        at=at,
    )
    assert result.ok, result.refusal


def shipped_and_disputed(
    db: Database, order_id: str, opened_at: datetime, plan: dict[str, Any] | None = None
) -> None:
    """An order shipped 6 days before `opened_at`, with a dispute opened then."""
    new_order(db, order_id, placed_at=opened_at - timedelta(days=7))
    ship(db, order_id, opened_at - timedelta(days=6))
    open_dispute(db, order_id, opened_at, plan)


def track(db: Database, order_id: str, description: str, at: datetime) -> None:
    event = check_event(
        {
            "description": description,
            "carrier": "China Post",
            "tracking_number": f"RR{order_id}CN",
            "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "location": {"city": "Curitiba", "country": "BR", "facility": "AC Central"},
        }
    )
    ingest(db, order_id, [event], source="api", now=at)


def save_settings(db: Database, raw: dict[str, Any]) -> None:
    messaging.save_settings(db, "shop1", raw, by="test", now=T0)


def notifications(db: Database, **where: Any) -> list[Any]:
    n = t.notifications
    query = select(n).order_by(n.c.id)
    for name, value in where.items():
        query = query.where(n.c[name] == value)
    with db.engine.connect() as conn:
        return conn.execute(query).all()


def deliveries(db: Database, **where: Any) -> list[Any]:
    d, n = t.notification_deliveries, t.notifications
    query = select(d, n.c.kind, n.c.order_id).join(n, n.c.id == d.c.notification_id)
    for name, value in where.items():
        column = n.c[name] if name in ("kind", "order_id") else d.c[name]
        query = query.where(column == value)
    with db.engine.connect() as conn:
        return conn.execute(query.order_by(d.c.id)).all()


def system_messages(db: Database, order_id: str) -> list[Any]:
    m = t.messages
    with db.engine.connect() as conn:
        return conn.execute(
            select(m)
            .where(m.c.order_id == order_id)
            .where(m.c.sender_role == "system")
            .order_by(m.c.id)
        ).all()


def listed_for(db: Database, email: str) -> list[Any]:
    u = t.user_notifications
    with db.engine.connect() as conn:
        return conn.execute(
            select(u)
            .join(t.users, t.users.c.id == u.c.user_id)
            .where(t.users.c.email == email)
            .order_by(u.c.id)
        ).all()
