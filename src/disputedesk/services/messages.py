"""The message thread of an order: its buyer, its store's staff and, once escalated, the
platform's arbitrators write in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import storable_message
from disputedesk.store import tables as t
from disputedesk.store.db import Database

SENDER_ROLES = ("buyer", "seller", "arbitrator", "system")
MAX_BODY = 10_000
MAX_LOCALE = 16  # the column's width: a BCP 47 tag such as "zh-CN" or "pt-BR"


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    order_id: str
    sender_role: str
    sender_name: str | None
    body: str
    locale: str | None
    sent_at: datetime


def post_message(
    db: Database,
    order_id: str,
    *,
    sender_role: str,
    body: str,
    sender_name: str | None = None,
    locale: str | None = None,
    at: datetime | None = None,
) -> Message:
    """Append a message to the order's thread."""
    if sender_role not in SENDER_ROLES:
        raise ServiceError(
            "invalid_input", f"sender_role: {sender_role!r} is not one of {', '.join(SENDER_ROLES)}"
        )
    if not body.strip():
        raise ServiceError("invalid_input", "body: a message cannot be empty")
    if len(body) > MAX_BODY:
        raise ServiceError("invalid_input", f"body: at most {MAX_BODY} characters")
    if locale is not None and len(locale) > MAX_LOCALE:
        raise ServiceError("invalid_input", f"locale: at most {MAX_LOCALE} characters")
    unstorable = storable_message({"body": body, "locale": locale, "sender_name": sender_name})
    if unstorable is not None:
        raise ServiceError("invalid_input", unstorable)
    sent_at = at or utc_now()
    with db.begin() as conn:
        if conn.scalar(select(t.orders.c.id).where(t.orders.c.id == order_id)) is None:
            raise ServiceError("not_found", f"order {order_id!r} not found")
        message_id = conn.execute(
            insert(t.messages)
            .values(
                order_id=order_id,
                sender_role=sender_role,
                sender_name=sender_name,
                body=body,
                locale=locale,
                sent_at=sent_at,
            )
            .returning(t.messages.c.id)
        ).scalar_one()
    return Message(message_id, order_id, sender_role, sender_name, body, locale, sent_at)


def thread(db: Database, order_id: str) -> list[Message]:
    """The order's messages, oldest first."""
    with db.engine.connect() as conn:
        return thread_in(conn, order_id)


def thread_in(conn: Connection, order_id: str) -> list[Message]:
    rows = conn.execute(
        select(t.messages)
        .where(t.messages.c.order_id == order_id)
        .order_by(t.messages.c.sent_at, t.messages.c.id)
    ).all()
    return [
        Message(r.id, r.order_id, r.sender_role, r.sender_name, r.body, r.locale, r.sent_at)
        for r in rows
    ]
