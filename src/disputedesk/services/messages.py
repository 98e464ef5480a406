"""The message thread of an order: its buyer, its store's staff and, once escalated, the
platform's arbitrators write in it.

A message may carry a file (an image or a PDF), checked and stored as evidence files are
(`services.evidence_files`: type sniffed from the bytes, size capped, stored once by its
SHA-256, refused ones leave nothing behind) and downloadable by whoever sees the thread. How
far each person has read a thread is kept (`message_reads`): their unread count is the messages
after that from the other side (what their own side wrote is never unread to them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Connection, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from disputedesk.services import evidence_files
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import storable_message
from disputedesk.services.visibility import messages_until_end_of, scoped
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database

SENDER_ROLES = ("buyer", "seller", "arbitrator", "system")
MAX_BODY = 10_000
MAX_LOCALE = 16  # the column's width: a BCP 47 tag such as "zh-CN" or "pt-BR"
# What a message may carry: images and PDF (the evidence checks and size limit).
ATTACHMENT_TYPES = ("image/", "application/pdf")
ACCEPTED = "images, PDF"
MAX_ID = 2**63 - 1  # attachment ids are 64-bit keys


@dataclass(frozen=True, slots=True)
class Attachment:
    id: int
    message_id: int
    name: str | None
    content_type: str
    size: int
    sha256: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def display_name(self) -> str:
        return evidence_files.download_name(self.name, self.sha256)


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    order_id: str
    sender_role: str
    sender_name: str | None
    body: str
    locale: str | None
    sent_at: datetime
    attachments: tuple[Attachment, ...] = ()


def _check_text(sender_role: str, body: str, locale: str | None, sender_name: str | None) -> None:
    if sender_role not in SENDER_ROLES:
        raise ServiceError(
            "invalid_input", f"sender_role: {sender_role!r} is not one of {', '.join(SENDER_ROLES)}"
        )
    if len(body) > MAX_BODY:
        raise ServiceError("invalid_input", f"body: at most {MAX_BODY} characters")
    if locale is not None and len(locale) > MAX_LOCALE:
        raise ServiceError("invalid_input", f"locale: at most {MAX_LOCALE} characters")
    unstorable = storable_message({"body": body, "locale": locale, "sender_name": sender_name})
    if unstorable is not None:
        raise ServiceError("invalid_input", unstorable)


def post_message(
    db: Database,
    order_id: str,
    *,
    sender_role: str,
    body: str,
    sender_name: str | None = None,
    locale: str | None = None,
    at: datetime | None = None,
    file: BinaryIO | None = None,
    filename: str | None = None,
    data_dir: Path | None = None,
    limit: int | None = None,
) -> Message:
    """Append a message to the order's thread, with a file when given (then `data_dir` and
    `limit` are the evidence files' folder and size limit). A message needs words or a file.
    Refused: `invalid_input`, `not_found`, and for the file `payload_too_large`,
    `unsupported_media_type` (not an image or a PDF); a refused file leaves nothing behind."""
    _check_text(sender_role, body, locale, sender_name)
    if file is None and not body.strip():
        raise ServiceError("invalid_input", "body: a message cannot be empty")
    sent_at = at or utc_now()
    if file is None:
        with db.begin() as conn:
            return _insert(conn, order_id, sender_role, sender_name, body, locale, sent_at, None)
    if data_dir is None or limit is None:
        raise ValueError("a file needs the data folder and the size limit")
    with db.engine.connect() as conn:  # before reading a byte of the file
        _require_order(conn, order_id)
    received = evidence_files.receive(file, filename, data_dir=data_dir, limit=limit)
    if not received.content_type.startswith(ATTACHMENT_TYPES):
        received.tmp.unlink(missing_ok=True)
        raise ServiceError("unsupported_media_type", f"a message may carry {ACCEPTED}")
    try:
        with evidence_files.placed(received, data_dir), db.begin() as conn:
            return _insert(
                conn, order_id, sender_role, sender_name, body, locale, sent_at, received
            )
    except BaseException:
        try:
            evidence_files.discard(db, data_dir, received.sha256)
        except Exception:  # gc removes it later; the first error is the one to report
            evidence_files.log.exception("could not remove the unused file %s", received.sha256)
        raise


def _require_order(conn: Connection, order_id: str) -> None:
    if conn.scalar(select(t.orders.c.id).where(t.orders.c.id == order_id)) is None:
        raise ServiceError("not_found", f"order {order_id!r} not found")


def _insert(
    conn: Connection,
    order_id: str,
    sender_role: str,
    sender_name: str | None,
    body: str,
    locale: str | None,
    sent_at: datetime,
    received: evidence_files.Received | None,
) -> Message:
    _require_order(conn, order_id)
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
    attachments: tuple[Attachment, ...] = ()
    if received is not None:
        attachment_id = conn.execute(
            insert(t.message_attachments)
            .values(
                message_id=message_id,
                file_sha256=received.sha256,
                file_name=received.name,
                content_type=received.content_type,
                size=received.size,
            )
            .returning(t.message_attachments.c.id)
        ).scalar_one()
        attachments = (
            Attachment(
                attachment_id,
                message_id,
                received.name,
                received.content_type,
                received.size,
                received.sha256,
            ),
        )
    return Message(
        message_id, order_id, sender_role, sender_name, body, locale, sent_at, attachments
    )


def thread(db: Database, order_id: str) -> list[Message]:
    """The order's messages, oldest first."""
    with db.engine.connect() as conn:
        return thread_in(conn, order_id)


def _attachment(row: Any) -> Attachment:
    return Attachment(
        row.id, row.message_id, row.file_name, row.content_type, row.size, row.file_sha256
    )


def thread_in(conn: Connection, order_id: str) -> list[Message]:
    rows = conn.execute(
        select(t.messages)
        .where(t.messages.c.order_id == order_id)
        .order_by(t.messages.c.sent_at, t.messages.c.id)
    ).all()
    files: dict[int, list[Attachment]] = {}
    if rows:
        a, m = t.message_attachments, t.messages
        for row in conn.execute(
            select(a)
            .join(m, m.c.id == a.c.message_id)
            .where(m.c.order_id == order_id)
            .order_by(a.c.id)
        ):
            files.setdefault(row.message_id, []).append(_attachment(row))
    return [
        Message(
            r.id,
            r.order_id,
            r.sender_role,
            r.sender_name,
            r.body,
            r.locale,
            r.sent_at,
            tuple(files.get(r.id, ())),
        )
        for r in rows
    ]


# -- attachments --------------------------------------------------------------------------------


def attachment_for(db: Database, viewer: Principal, attachment_id: int) -> Attachment | None:
    """A message's file, if the viewer sees its thread: whoever sees the order (`scoped`), and
    an arbitrator who sees an earlier case of the order, for the messages up to its end. None
    otherwise (its existence is not revealed)."""
    if not 1 <= attachment_id <= MAX_ID:
        return None
    a, m = t.message_attachments, t.messages
    with db.engine.connect() as conn:
        row = conn.execute(
            select(a, m.c.order_id, m.c.sent_at)
            .join(m, m.c.id == a.c.message_id)
            .where(a.c.id == attachment_id)
        ).first()
        if row is None:
            return None
        visible = conn.execute(
            scoped(select(t.orders.c.id).where(t.orders.c.id == row.order_id), viewer)
        ).first()
        if visible is None and not _in_an_arbitrated_case(conn, viewer, row):
            return None
    return _attachment(row)


def _in_an_arbitrated_case(conn: Connection, viewer: Principal, row: Any) -> bool:
    if viewer.role != "arbitrator":
        return False
    loaded = repository.load(conn, row.order_id)
    if loaded is None:
        return False
    disputes = loaded.state.disputes
    return any(
        messages_until_end_of([row], disputes, seq)
        for seq, dispute in enumerate(disputes, 1)
        if dispute.escalated_at is not None
    )


# -- reads and unread counts ------------------------------------------------------------------


def side_of(principal: Principal) -> str | None:
    """The thread's sender role the principal writes as (their own messages are never unread)."""
    return principal.role if principal.role in ("buyer", "seller", "arbitrator") else None


def mark_read(
    db: Database,
    reader: Principal,
    order_id: str,
    upto: int | None = None,
    *,
    now: datetime | None = None,
) -> None:
    """The reader has seen the order's thread up to message `upto` (default: all of it). Only
    ever moves forward; written only when it moves (a page view is a read, not a write)."""
    r = t.message_reads
    with db.engine.connect() as conn:
        if upto is None:
            upto = conn.scalar(
                select(func.max(t.messages.c.id)).where(t.messages.c.order_id == order_id)
            )
        if not upto:
            return
        seen = conn.scalar(
            select(r.c.last_read_message_id)
            .where(r.c.user_id == reader.user_id)
            .where(r.c.order_id == order_id)
        )
    if seen is not None and seen >= upto:
        return
    now = now or utc_now()
    try:
        with db.begin() as conn:
            moved = conn.execute(
                update(r)
                .where(r.c.user_id == reader.user_id)
                .where(r.c.order_id == order_id)
                .where(r.c.last_read_message_id < upto)
                .values(last_read_message_id=upto, updated_at=now)
            ).rowcount
            if not moved and seen is None:
                conn.execute(
                    insert(r).values(
                        user_id=reader.user_id,
                        order_id=order_id,
                        last_read_message_id=upto,
                        updated_at=now,
                    )
                )
    except IntegrityError:  # the same reader's other request got there first: read either way
        pass


def unread_counts(db: Database, reader: Principal, order_ids: Iterable[str]) -> dict[str, int]:
    """For each of these orders with unread messages, how many: those after the reader's last
    read message, not written by the reader's own side."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    with db.engine.connect() as conn:
        return unread_counts_in(conn, reader, ids)


def unread_counts_in(conn: Connection, reader: Principal, order_ids: list[str]) -> dict[str, int]:
    m, r = t.messages, t.message_reads
    side = side_of(reader)
    counts: dict[str, int] = {}
    for start in range(0, len(order_ids), 500):
        chunk = order_ids[start : start + 500]
        query = (
            select(m.c.order_id, func.count())
            .select_from(
                m.outerjoin(r, and_(r.c.order_id == m.c.order_id, r.c.user_id == reader.user_id))
            )
            .where(m.c.order_id.in_(chunk))
            .where(m.c.id > func.coalesce(r.c.last_read_message_id, 0))
            .group_by(m.c.order_id)
        )
        if side is not None:
            query = query.where(m.c.sender_role != side)
        counts.update({order_id: count for order_id, count in conn.execute(query)})
    return counts
