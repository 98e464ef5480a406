"""The worker's messaging job: plan what is to be said (`messaging.plan`), create each
notification once, release it when it is due, and deliver it on every channel the store chose
(in-app, email, webhook) through one outbox with retries and a delivery log.

- **Planning** reads what changed: orders whose next deadline is within 48 hours and not yet
  reminded at the lead that has come (the index on `orders.due_at`), and the rows appended to
  `events`, `tracking_events` and `messages` since the planner's cursor. Every intent has a
  unique key: `INSERT ... ON CONFLICT DO NOTHING` creates it once, whichever worker (or how
  many at once) planned it.
- **Release**, in the transaction that creates a due notification (or that claims a scheduled
  one, `FOR UPDATE SKIP LOCKED` on PostgreSQL): what must still hold is checked against the
  order as it is (a reminder whose deadline moved or whose action was taken is cancelled, with
  why), the store's opt-outs and the recipients' are honoured, the text is rendered in each
  reader's language and time zone, in-app messages are written at once, and one outbox row per
  email address and webhook subscription is queued.
- **Delivery** claims one outbox row at a time under a lease (as webhooks do), checks again
  that the notification still holds, sends, and records the attempt: delivered; a 4xx SMTP
  reply, no connection or a timeout is retried with exponential backoff for a day; a 5xx reply
  is a permanent failure, recorded and not retried.

Why an outbox of its own rather than a topic on `outbox`: see the README ("Messages, reminders
and email").
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from sqlalchemy import Connection, and_, case, exists, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from disputedesk.messaging import languages, plan
from disputedesk.messaging.catalog import Template
from disputedesk.messaging.context import values
from disputedesk.messaging.render import Rendered, RenderError, render
from disputedesk.messaging.settings import StoreSettings
from disputedesk.messaging.words import FOOTER
from disputedesk.rules.instants import format_instant
from disputedesk.rules.vocabulary import Action, DisputeStatus
from disputedesk.services import mailer as mail
from disputedesk.services import messaging, webhooks
from disputedesk.services.leases import claim_one, database_clock
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.tracking.facts import Shipment, TrackEvent, delivery_facts

log = logging.getLogger("disputedesk.messaging")

LEASE = timedelta(minutes=5)
# A PostgreSQL transaction may commit a lower id after a higher one: rows after the cursor are
# read again until the position past them has been seen for this long.
CURSOR_MARGIN = timedelta(seconds=60)
NO_SMTP = "no SMTP server configured (DISPUTEDESK_SMTP_HOST)"
OPTED_OUT = "opted out"
CURSOR_TABLES = {"events": t.events, "tracking_events": t.tracking_events, "messages": t.messages}


@dataclass(slots=True)
class JobReport:
    created: int = 0  # notifications created (each once)
    released: int = 0  # ... made into deliveries
    cancelled: int = 0  # ... no longer true when due
    delivered: int = 0
    retried: int = 0
    failed: int = 0

    def add(self, other: JobReport) -> None:
        for name in self.__slots__:  # type: ignore[attr-defined]
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(slots=True)
class Options:
    """How this worker sends: its mailer (None: no SMTP server), webhook poster, where the
    unsubscribe link points, and the key it is signed with."""

    mailer: mail.Mailer | None = None
    poster: webhooks.Poster | None = None
    public_url: str = "http://127.0.0.1:8000"
    secret: str = ""
    sender: str = "disputedesk@localhost"
    allow_private: bool = False
    key: bytes | None = field(default=None, repr=False)


# -- planning -----------------------------------------------------------------------------------


def _reminder_candidates(now: datetime) -> Any:
    """Orders whose next step ends one of the five deadlines within the longest lead, not yet
    planned at the lead that has come."""
    o, n, d = t.orders, t.notifications, t.disputes
    leads = sorted(plan.LEADS_HOURS)
    lead_now = case(
        *((o.c.due_at <= now + timedelta(hours=h), h) for h in leads[:-1]), else_=leads[-1]
    )
    planned = exists().where(
        n.c.order_id == o.c.id, n.c.deadline_at == o.c.due_at, n.c.lead_hours == lead_now
    )
    resend = exists().where(
        d.c.order_id == o.c.id, d.c.status == DisputeStatus.AWAITING_RESEND.value
    )
    return (
        select(o.c.id)
        .where(o.c.due_at > now)
        .where(o.c.due_at <= now + timedelta(hours=leads[-1]))
        .where(
            or_(
                o.c.due_action.in_([str(a) for a in plan.DEADLINE_OF_STEP]),
                and_(o.c.due_action == Action.AUTO_ESCALATED.value, resend),
            )
        )
        .where(~planned)
    )


def plan_reminders(db: Database, now: datetime, options: Options, *, batch: int = 500) -> JobReport:
    """Create the reminders due at `now` (48 h, 12 h before each deadline): the candidates
    found in one indexed query, then loaded, planned and created batch by batch."""
    report = JobReport()
    o = t.orders
    with db.engine.connect() as conn:
        ids = list(conn.scalars(_reminder_candidates(now).order_by(o.c.due_at, o.c.id)))
    for start in range(0, len(ids), batch):
        with db.engine.connect() as conn:
            rows = conn.execute(
                repository.state_select().where(o.c.id.in_(ids[start : start + batch]))
            ).all()
            loaded = repository.loaded_from_rows(conn, rows)
        intents = [
            intent
            for item in loaded.values()
            if (intent := plan.reminder(item.state, item.policy, now)) is not None
        ]
        report.add(create(db, intents, now, options))
    return report


def _advance(db: Database, name: str, seen: int) -> None:
    """Move the cursor: at once on SQLite (one writer: ids become visible in order); on
    PostgreSQL only past positions seen `CURSOR_MARGIN` ago."""
    c = t.messaging_cursors
    with db.begin() as conn:
        query = select(c).where(c.c.name == name)
        if db.is_postgres:
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            dialect = postgresql if db.is_postgres else sqlite
            conn.execute(
                dialect.insert(c)
                .values(name=name, position=seen)
                .on_conflict_do_nothing(index_elements=["name"])
            )
            return
        if not db.is_postgres:
            if seen > row.position:
                conn.execute(update(c).where(c.c.name == name).values(position=seen))
            return
        clock = database_clock(conn)
        position, pending = row.position, row.pending_position
        changes: dict[str, Any] = {}
        if pending is not None and row.pending_since <= clock - CURSOR_MARGIN:
            position = max(position, pending)
            pending = None
            changes.update(position=position, pending_position=None, pending_since=None)
        if pending is None and seen > position:
            changes.update(pending_position=seen, pending_since=clock)
        if changes:
            conn.execute(update(c).where(c.c.name == name).values(**changes))


IntentsOf = Callable[[Connection, Sequence[Any], datetime], list[plan.Intent]]


def plan_from(
    db: Database,
    name: str,
    intents_of: IntentsOf,
    now: datetime,
    options: Options,
    *,
    batch: int = 1000,
    seen_ids: set[int] | None = None,
) -> JobReport:
    """Read the rows appended to a table since the cursor, plan their intents, create them.
    `seen_ids` (kept by the job between sweeps): rows this process already planned, which a
    PostgreSQL cursor reads again until it moves past them, are not planned again."""
    table = CURSOR_TABLES[name]
    report = JobReport()
    with db.engine.connect() as conn:
        position = int(
            conn.scalar(
                select(t.messaging_cursors.c.position).where(t.messaging_cursors.c.name == name)
            )
            or 0
        )
    if seen_ids is not None:
        seen_ids.difference_update([i for i in seen_ids if i <= position])
    seen = position
    while True:
        with db.engine.connect() as conn:
            rows = conn.execute(
                select(table).where(table.c.id > seen).order_by(table.c.id).limit(batch)
            ).all()
            fresh = [r for r in rows if seen_ids is None or r.id not in seen_ids]
            intents = intents_of(conn, fresh, now) if fresh else []
        if not rows:
            break
        seen = rows[-1].id
        report.add(create(db, intents, now, options))
        if seen_ids is not None:
            seen_ids.update(r.id for r in fresh)
        if len(rows) < batch:
            break
    _advance(db, name, seen)
    return report


def event_intents(conn: Connection, rows: Sequence[Any], now: datetime) -> list[plan.Intent]:
    found = (plan.event_trigger(r.order_id, r.seq, r.action, r.at, r.data or {}) for r in rows)
    return [intent for intent in found if intent is not None]


def tracking_intents(conn: Connection, rows: Sequence[Any], now: datetime) -> list[plan.Intent]:
    """The current stage's notice of every shipped order that got carrier news."""
    order_ids = sorted({r.order_id for r in rows if r.leg != "return"})
    if not order_ids:
        return []
    orders = {
        r.id: r
        for r in conn.execute(
            select(
                t.orders.c.id,
                t.orders.c.shipped_at,
                t.orders.c.delivery_deadline,
                t.orders.c.shipping_address,
                t.orders.c.destination_country,
                t.orders.c.tracking_number,
            )
            .where(t.orders.c.id.in_(order_ids))
            .where(t.orders.c.status == "shipped")
        )
    }
    events: dict[str, list[TrackEvent]] = {order_id: [] for order_id in orders}
    if orders:
        for row in conn.execute(
            select(t.tracking_events)
            .where(t.tracking_events.c.order_id.in_(list(orders)))
            .order_by(t.tracking_events.c.order_id, t.tracking_events.c.id)
        ):
            events[row.order_id].append(TrackEvent.of(row))
    intents = []
    for order_id, row in orders.items():
        facts = delivery_facts(events[order_id], Shipment.of(row), now)
        intent = plan.tracking_trigger(order_id, row.tracking_number, facts, now)
        if intent is not None:
            intents.append(intent)
    return intents


def message_intents(conn: Connection, rows: Sequence[Any], now: datetime) -> list[plan.Intent]:
    """An automatic reply to each buyer message sent outside its store's working hours (for
    stores that turned it on)."""
    asked = [r for r in rows if r.sender_role == "buyer"]
    if not asked:
        return []
    stores = dict(
        conn.execute(
            select(t.orders.c.id, t.orders.c.store_id).where(
                t.orders.c.id.in_({r.order_id for r in asked})
            )
        ).all()
    )
    settings = messaging.settings_of(conn, set(stores.values()))
    intents = []
    for message in asked:
        store = stores.get(message.order_id)
        if store is None or not settings[store].auto_reply.enabled:
            continue
        intent = plan.auto_reply(
            message.order_id, message.sent_at, settings[store].auto_reply.hours
        )
        if intent is not None:
            intents.append(intent)
    return intents


def plan_all(
    db: Database,
    now: datetime,
    options: Options,
    *,
    batch: int = 500,
    seen: dict[str, set[int]] | None = None,
    reminders: bool = True,
) -> JobReport:
    """Everything due at `now`: reminders (unless told not to), then triggers and
    auto-replies from new rows."""
    report = plan_reminders(db, now, options, batch=batch) if reminders else JobReport()
    for name, intents_of in (
        ("events", event_intents),
        ("tracking_events", tracking_intents),
        ("messages", message_intents),
    ):
        ids = seen.setdefault(name, set()) if seen is not None else None
        report.add(plan_from(db, name, intents_of, now, options, seen_ids=ids))
    return report


# -- creating and releasing ---------------------------------------------------------------------


def _choice(intent: plan.Intent, settings: StoreSettings) -> tuple[bool, tuple[str, ...], int, str]:
    """(on, channels, delay in minutes, template) the store chose for the intent's kind."""
    if intent.kind.startswith("reminder."):
        chosen = settings.reminders
        return chosen.enabled, chosen.channels, 0, intent.template or intent.kind
    if intent.kind == "auto_reply":
        auto = settings.auto_reply
        return auto.enabled, auto.channels, 0, auto.template
    trigger = settings.triggers[intent.kind]
    return trigger.enabled, trigger.channels, trigger.delay_minutes, trigger.template


def create(
    db: Database, intents: Sequence[plan.Intent], now: datetime, options: Options
) -> JobReport:
    """Create each intent's notification once (by its key) as the store's settings say, and
    release those already due, in one transaction. A reminder the store turned off is still
    recorded (cancelled), so the planner does not consider it again."""
    report = JobReport()
    if not intents:
        return report
    with db.begin() as conn:
        stores = dict(
            conn.execute(
                select(t.orders.c.id, t.orders.c.store_id).where(
                    t.orders.c.id.in_({i.order_id for i in intents})
                )
            ).all()
        )
        settings = messaging.settings_of(conn, set(stores.values()))
        rows: list[dict[str, Any]] = []
        for intent in intents:
            store = stores.get(intent.order_id)
            if store is None:
                continue
            enabled, channels, delay, template = _choice(intent, settings[store])
            reminder = intent.kind.startswith("reminder.")
            note = None
            if not enabled or not channels:
                if not reminder:
                    continue
                note = "reminders are off for this store" if not enabled else "no channel chosen"
            send_at = intent.at + timedelta(minutes=delay)
            if not reminder and plan.is_stale(send_at, now):
                continue
            rows.append(
                {
                    "key": intent.key,
                    "kind": intent.kind,
                    "store_id": store,
                    "order_id": intent.order_id,
                    "audience": intent.audience,
                    "template_key": template,
                    "channels": list(channels),
                    "data": dict(intent.data),
                    "deadline_at": intent.deadline_at,
                    "lead_hours": intent.lead_hours,
                    "send_at": max(send_at, now) if reminder else send_at,
                    "status": "cancelled" if note else "scheduled",
                    "note": note,
                    "created_at": now,
                }
            )
        if not rows:
            return report
        dialect = postgresql if db.is_postgres else sqlite
        statement = (
            dialect.insert(t.notifications)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(t.notifications.c.id)
        )
        new_ids = [r.id for r in conn.execute(statement, rows).all()]
        report.created = len(new_ids)
        if new_ids:
            due = conn.execute(
                select(t.notifications)
                .where(t.notifications.c.id.in_(new_ids))
                .where(t.notifications.c.status == "scheduled")
                .where(t.notifications.c.send_at <= now)
            ).all()
            released, cancelled = release(conn, due, now, options)
            report.released += released
            report.cancelled += cancelled
    return report


def release_due(db: Database, now: datetime, options: Options, *, batch: int = 200) -> JobReport:
    """Release the scheduled notifications due by `now` (a trigger's delay has passed)."""
    report = JobReport()
    n = t.notifications
    while True:
        with db.begin() as conn:
            query = (
                select(n)
                .where(n.c.status == "scheduled")
                .where(n.c.send_at <= now)
                .order_by(n.c.send_at, n.c.id)
                .limit(batch)
            )
            if db.is_postgres:
                query = query.with_for_update(skip_locked=True)
            rows = conn.execute(query).all()
            if not rows:
                return report
            released, cancelled = release(conn, rows, now, options)
        report.released += released
        report.cancelled += cancelled


def snapshot_of(context: messaging.OrderContext) -> plan.Snapshot:
    row = context.row
    latest = context.disputes[-1] if context.disputes else None
    return plan.Snapshot(
        order_status=row.status,
        tracking_number=row.tracking_number,
        due_at=row.due_at,
        due_action=row.due_action,
        disputes=len(context.disputes),
        dispute_status=str(latest.status) if latest else None,
    )


@dataclass(frozen=True, slots=True)
class _Recipient:
    channel: str
    recipient: str  # "thread", "user:<id>", an address, "webhook:<id>"
    reader: messaging.Reader
    skip: str | None = None
    user_id: int | None = None


@dataclass(slots=True)
class _People:
    """Everyone the notifications of one release may reach, read once."""

    buyer_users: dict[str, list[int]]
    staff: dict[str, list[Any]]
    preferences: dict[int, Any]
    subscriptions: dict[str, list[int]]
    opted_out: set[tuple[str, str, str]]


def _people(conn: Connection, contexts: Mapping[str, messaging.OrderContext]) -> _People:
    buyer_ids = {c.row.buyer_id for c in contexts.values()}
    store_ids = {c.row.store_id for c in contexts.values()}
    buyer_users: dict[str, list[int]] = {}
    for row in conn.execute(
        select(t.users.c.id, t.users.c.buyer_id)
        .where(t.users.c.buyer_id.in_(buyer_ids))
        .order_by(t.users.c.id)
    ):
        buyer_users.setdefault(row.buyer_id, []).append(row.id)
    staff: dict[str, list[Any]] = {}
    for row in conn.execute(
        select(t.store_staff.c.store_id, t.store_staff.c.email, t.store_staff.c.user_id)
        .where(t.store_staff.c.store_id.in_(store_ids))
        .order_by(t.store_staff.c.id)
    ):
        staff.setdefault(row.store_id, []).append(row)
    user_ids = {u for users in buyer_users.values() for u in users} | {
        s.user_id for rows in staff.values() for s in rows if s.user_id is not None
    }
    preferences = {
        row.user_id: row
        for row in conn.execute(
            select(t.messaging_preferences).where(t.messaging_preferences.c.user_id.in_(user_ids))
        )
    }
    subscriptions: dict[str, list[int]] = {}
    for row in conn.execute(
        select(t.webhook_subscriptions.c.id, t.webhook_subscriptions.c.store_id)
        .where(t.webhook_subscriptions.c.store_id.in_(store_ids))
        .where(t.webhook_subscriptions.c.active.is_(True))
        .order_by(t.webhook_subscriptions.c.id)
    ):
        subscriptions.setdefault(row.store_id, []).append(row.id)
    subjects = [("buyer", b) for b in buyer_ids] + [("store", s) for s in store_ids]
    subjects += [("address", s.email) for rows in staff.values() for s in rows]
    return _People(
        buyer_users, staff, preferences, subscriptions, messaging.opted_out(conn, subjects)
    )


def _recipients(
    notification: Any,
    context: messaging.OrderContext,
    settings: StoreSettings,
    people: _People,
    buyer: messaging.Reader,
    options: Options,
) -> list[_Recipient]:
    """Who gets it on each chosen channel, in which language, or why not (opted out, no
    address, no SMTP server, no subscription)."""
    row = context.row
    out: list[_Recipient] = []
    off = people.opted_out

    def refused(channel: str, *subjects: tuple[str, str]) -> str | None:
        return OPTED_OUT if any((s, i, channel) in off for s, i in subjects) else None

    store_reader = messaging.Reader(settings.language, settings.time_zone)

    def staff_reader(user_id: int | None) -> messaging.Reader:
        pref = people.preferences.get(user_id) if user_id is not None else None
        return messaging.Reader(
            languages.choose(pref.locale if pref else None, settings.language),
            languages.choose_zone(pref.time_zone if pref else None, settings.time_zone),
        )

    for channel in notification.channels:
        if channel == "in_app":
            if notification.audience == "buyer":
                skip = refused(channel, ("buyer", row.buyer_id), ("store", row.store_id))
                out.append(_Recipient(channel, "thread", buyer, skip))
                for user_id in people.buyer_users.get(row.buyer_id, []):
                    out.append(_Recipient(channel, f"user:{user_id}", buyer, skip, user_id))
            else:
                for member in people.staff.get(row.store_id, []):
                    if member.user_id is None:
                        continue
                    skip = refused(channel, ("store", row.store_id), ("address", member.email))
                    out.append(
                        _Recipient(
                            channel,
                            f"user:{member.user_id}",
                            staff_reader(member.user_id),
                            skip,
                            member.user_id,
                        )
                    )
        elif channel == "email":
            if notification.audience == "buyer":
                address = context.buyer.email if context.buyer is not None else None
                subjects = [("buyer", row.buyer_id), ("store", row.store_id)]
                if address:
                    subjects.append(("address", address))
                skip = refused(channel, *subjects) or (None if address else "no email address")
                out.append(_Recipient(channel, address or "-", buyer, skip))
            else:
                for member in people.staff.get(row.store_id, []):
                    skip = refused(channel, ("store", row.store_id), ("address", member.email))
                    out.append(
                        _Recipient(channel, member.email, staff_reader(member.user_id), skip)
                    )
            if options.mailer is None:
                out = [
                    _Recipient(r.channel, r.recipient, r.reader, r.skip or NO_SMTP, r.user_id)
                    if r.channel == "email"
                    else r
                    for r in out
                ]
        elif channel == "webhook":
            reader = buyer if notification.audience == "buyer" else store_reader
            skip = refused(channel, ("store", row.store_id))
            subscriptions = people.subscriptions.get(row.store_id, [])
            if not subscriptions:
                out.append(_Recipient(channel, "-", reader, skip or "no webhook subscription"))
            for subscription in subscriptions:
                out.append(_Recipient(channel, f"webhook:{subscription}", reader, skip))
    return out


def render_for(
    template: Template,
    facts: Any,
    data: Mapping[str, Any],
    reader: messaging.Reader,
    now: datetime,
) -> tuple[Rendered, str]:
    """The text in the reader's language: the store's words, else the shipped words of that
    key, else English. RenderError (naming the placeholder) when none can be filled."""
    filled: dict[str, dict[str, str]] = {}

    def filled_in(lang: str) -> dict[str, str]:
        if lang not in filled:
            filled[lang] = values(facts, data, language=lang, time_zone=reader.time_zone, now=now)
        return filled[lang]

    candidates: list[tuple[Template, str]] = [(template, reader.language)]
    if template.shipped is not None:
        candidates.append((template.shipped, reader.language))
    candidates.append((template, languages.DEFAULT_LANGUAGE))
    first: RenderError | None = None
    for source, lang in candidates:
        text = source.text(lang)
        if text is None:
            continue
        try:
            subject = render(text.subject, filled_in(lang)) if text.subject else ""
            return Rendered(subject, render(text.body, filled_in(lang))), lang
        except RenderError as exc:
            first = first or exc
    raise first or RenderError("missing", f"template {template.key!r} has no text")


def release(
    conn: Connection, rows: Sequence[Any], now: datetime, options: Options
) -> tuple[int, int]:
    """Turn due notifications into deliveries (in the caller's transaction): (released,
    cancelled)."""
    if not rows:
        return 0, 0
    contexts = messaging.order_contexts(conn, [r.order_id for r in rows])
    store_ids = {c.row.store_id for c in contexts.values()}
    settings = messaging.settings_of(conn, store_ids)
    templates = messaging.templates_of(conn, store_ids)
    people = _people(conn, contexts)
    readers: dict[str, messaging.Reader] = {}
    deliveries: list[dict[str, Any]] = []
    thread: list[dict[str, Any]] = []
    listed: list[dict[str, Any]] = []
    released: list[int] = []
    cancelled: list[tuple[int, str]] = []
    for notification in rows:
        context = contexts.get(notification.order_id)
        if context is None:
            cancelled.append((notification.id, "the order is gone"))
            continue
        why = plan.still_holds(notification.data.get("expect", {}), snapshot_of(context))
        template = templates[context.row.store_id].get(notification.template_key)
        if why is None and template is None:
            why = f"no template {notification.template_key!r}"
        if why is not None:
            cancelled.append((notification.id, why))
            continue
        assert template is not None
        row = context.row
        store_settings = settings[row.store_id]
        if row.buyer_id not in readers:
            readers[row.buyer_id] = messaging.buyer_reader(
                conn, context.buyer, row.destination_country
            )
        latest = context.disputes[-1] if context.disputes else None
        facts = context.facts(store_settings, latest)
        data = dict(notification.data)
        if "deadline" not in data and row.due_at is not None and row.due_at > now:
            data["deadline"] = format_instant(row.due_at)
        recipients = _recipients(
            notification, context, store_settings, people, readers[row.buyer_id], options
        )
        texts: dict[messaging.Reader, tuple[Rendered, str] | RenderError] = {}
        for recipient in recipients:
            if recipient.reader not in texts:
                try:
                    texts[recipient.reader] = render_for(
                        template, facts, data, recipient.reader, now
                    )
                except RenderError as exc:
                    texts[recipient.reader] = exc
            text = texts[recipient.reader]
            status, error = "pending", recipient.skip
            subject = body = ""
            language = recipient.reader.language
            if isinstance(text, RenderError):
                status = "failed"
                error = f"template {template.key}: {text.message}"
            else:
                (subject, body), language = (text[0].subject, text[0].body), text[1]
                if recipient.skip:
                    status = "skipped"
            delivered = status == "pending" and recipient.channel == "in_app"
            if delivered:
                status = "delivered"
                if recipient.recipient == "thread":
                    thread.append(
                        {
                            "order_id": row.id,
                            "sender_role": "system",
                            "sender_name": context.store_name,
                            "body": body,
                            "locale": language,
                            "sent_at": now,
                        }
                    )
                else:
                    listed.append(
                        {
                            "user_id": recipient.user_id,
                            "notification_id": notification.id,
                            "order_id": row.id,
                            "kind": notification.kind,
                            "title": subject or body.splitlines()[0],
                            "body": body,
                            "created_at": now,
                        }
                    )
            deliveries.append(
                {
                    "notification_id": notification.id,
                    "channel": recipient.channel,
                    "recipient": recipient.recipient,
                    "locale": language,
                    "subject": subject,
                    "body": body,
                    "status": status,
                    "attempts": 1 if delivered else 0,
                    "next_attempt_at": now if status == "pending" else None,
                    "created_at": now,
                    "delivered_at": now if delivered else None,
                    "last_error": error,
                }
            )
        released.append(notification.id)
    for table, batch in (
        (t.notification_deliveries, deliveries),
        (t.messages, thread),
        (t.user_notifications, listed),
    ):
        if batch:
            conn.execute(insert(table), batch)
    n = t.notifications
    if released:
        conn.execute(
            update(n).where(n.c.id.in_(released)).values(status="released", released_at=now)
        )
    for notification_id, why in cancelled:
        conn.execute(
            update(n)
            .where(n.c.id == notification_id)
            .values(status="cancelled", note=why, released_at=now)
        )
    return len(released), len(cancelled)


# -- delivering: one outbox row at a time -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Claim:
    id: int
    token: int
    channel: str
    recipient: str
    locale: str
    subject: str
    body: str
    created_at: datetime
    notification_id: int
    kind: str
    audience: str
    order_id: str
    store_id: str
    data: Mapping[str, Any]


def _claim(db: Database, now: datetime, lease: timedelta) -> _Claim | None:
    """Claim one email or webhook delivery: first one whose worker's lease ran out, else the
    oldest pending one due at `now`."""
    d, n = t.notification_deliveries, t.notifications
    columns = select(
        d.c.id,
        d.c.attempts,
        d.c.channel,
        d.c.recipient,
        d.c.locale,
        d.c.subject,
        d.c.body,
        d.c.created_at,
        n.c.id.label("notification_id"),
        n.c.kind,
        n.c.audience,
        n.c.order_id,
        n.c.store_id,
        n.c.data,
    ).join(n, n.c.id == d.c.notification_id)
    with db.begin() as conn:
        claimed = claim_one(conn, d, columns, now, lease)
    if claimed is None:
        return None
    row, token = claimed
    return _Claim(
        row.id,
        token,
        row.channel,
        row.recipient,
        row.locale,
        row.subject,
        row.body,
        row.created_at,
        row.notification_id,
        row.kind,
        row.audience,
        row.order_id,
        row.store_id,
        row.data or {},
    )


def _still_ours(claim: _Claim) -> Any:
    d = t.notification_deliveries
    return (d.c.id == claim.id) & (d.c.status == "sending") & (d.c.attempts == claim.token)


@dataclass(frozen=True, slots=True)
class _Sent:
    outcome: str  # delivered / retry / failed / cancelled
    code: int | None = None
    error: str | None = None


def unsubscribe_url(options: Options, token: str) -> str:
    return f"{options.public_url.rstrip('/')}/unsubscribe/{token}"


def email_of(claim: _Claim, context: messaging.OrderContext, options: Options) -> EmailMessage:
    """The email: plain text in the reader's language, the footer with the one-click
    unsubscribe link (also in `List-Unsubscribe`, RFC 8058), marked as automatic."""
    assert options.key is not None
    if claim.audience == "buyer":
        subject, subject_id = "buyer", context.row.buyer_id
    else:
        subject, subject_id = "address", claim.recipient
    token = messaging.make_token(options.key, subject, subject_id, "email", claim.locale)
    url = unsubscribe_url(options, token)
    footer = (FOOTER.get(claim.locale) or FOOTER["en"]).format(
        order=context.row.id, store=context.store_name, url=url
    )
    domain = options.sender.rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = formataddr((context.store_name, options.sender))
    message["To"] = claim.recipient
    message["Subject"] = claim.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = f"<notification-{claim.notification_id}.{claim.id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(f"{claim.body}\n\n-- \n{footer}\n")
    # after set_content, which clears every Content-* header set before it
    message["Content-Language"] = claim.locale.replace("_", "-")
    return message


def webhook_body(claim: _Claim, context: messaging.OrderContext) -> bytes:
    """What a subscriber gets: the notification as sent, with `id` the same on every attempt
    and for every subscription (receivers deduplicate on it)."""
    return json.dumps(
        {
            "id": f"n{claim.notification_id}",
            "topic": f"notification.{claim.kind}",
            "notification": {
                "kind": claim.kind,
                "audience": claim.audience,
                "order_id": claim.order_id,
                "store_id": claim.store_id,
                "buyer_id": context.row.buyer_id,
                "language": claim.locale,
                "subject": claim.subject,
                "body": claim.body,
            },
        },
        separators=(",", ":"),
        sort_keys=True,
        ensure_ascii=False,
    ).encode()


def _send(db: Database, claim: _Claim, now: datetime, options: Options) -> _Sent:
    if options.key is None:
        options.key = messaging.key_of(db, options.secret)
    with db.engine.connect() as conn:
        context = messaging.order_contexts(conn, [claim.order_id]).get(claim.order_id)
        if context is None:
            return _Sent("cancelled", error="the order is gone")
        why = plan.still_holds(claim.data.get("expect", {}), snapshot_of(context))
        if why is not None:
            return _Sent("cancelled", error=why)
        subscription = None
        if claim.channel == "webhook":
            subscription_id = int(claim.recipient.partition(":")[2] or 0)
            subscription = conn.execute(
                select(t.webhook_subscriptions).where(
                    t.webhook_subscriptions.c.id == subscription_id
                )
            ).first()
    if claim.channel == "email":
        if options.mailer is None:
            return _Sent("retry", error=NO_SMTP)
        sent = options.mailer.send(email_of(claim, context, options))
        return _Sent(sent.status, sent.code, sent.error)
    if subscription is None or not subscription.active:
        return _Sent("cancelled", error="the webhook subscription was removed")
    if options.poster is None:
        return _Sent("retry", error="no webhook sender")
    body = webhook_body(claim, context)
    headers = {
        "Content-Type": "application/json",
        webhooks.SIGNATURE_HEADER: webhooks.sign(subscription.secret, int(now.timestamp()), body),
        "X-Disputedesk-Event": f"notification.{claim.kind}",
        webhooks.EVENT_ID_HEADER: f"n{claim.notification_id}",
        "X-Disputedesk-Delivery": f"n{claim.id}",
    }
    try:
        status = options.poster(subscription.url, body, headers)
    except webhooks.TargetRefused:
        return _Sent("retry", error=webhooks.REFUSED)
    except TimeoutError:
        return _Sent("retry", error=webhooks.TIMED_OUT)
    except Exception:  # the receiver's failure must not stop the worker
        return _Sent("retry", error=webhooks.NO_RESPONSE)
    if 200 <= status < 300:
        return _Sent("delivered", status)
    return _Sent("retry", status, f"HTTP {status}")


def _record(
    db: Database, claim: _Claim, now: datetime, sent: _Sent, duration_ms: int
) -> str | None:
    """Log the attempt and, while the claim stands, the delivery's new state."""
    outcome = sent.outcome
    values_: dict[str, Any] = {"last_error": sent.error}
    if outcome == "delivered":
        values_.update(status="delivered", delivered_at=now, next_attempt_at=None)
    elif outcome in ("failed", "cancelled"):
        values_.update(status=outcome, next_attempt_at=None)
    elif now + webhooks.backoff(claim.token) > claim.created_at + webhooks.RETRY_FOR:
        outcome = "failed"
        values_.update(
            status="failed",
            next_attempt_at=None,
            last_error=f"{sent.error}; gave up after {webhooks.RETRY_FOR}",
        )
    else:
        values_.update(status="pending", next_attempt_at=now + webhooks.backoff(claim.token))
    with db.begin() as conn:
        conn.execute(
            insert(t.notification_attempts).values(
                delivery_id=claim.id,
                attempted_at=now,
                outcome=outcome,
                code=sent.code,
                error=sent.error,
                duration_ms=duration_ms,
            )
        )
        updated = conn.execute(
            update(t.notification_deliveries).where(_still_ours(claim)).values(**values_)
        ).rowcount
    if not updated:
        log.warning("notification delivery %s: its lease ran out; another worker took it", claim.id)
        return None
    return outcome


def deliver_due(
    db: Database, now: datetime, options: Options, *, batch: int = 100, lease: timedelta = LEASE
) -> JobReport:
    """Send up to `batch` due email and webhook deliveries, one at a time: claim, check that
    the notification still holds, send, record."""
    report = JobReport()
    for _ in range(batch):
        claim = _claim(db, now, lease)
        if claim is None:
            break
        started = time.perf_counter()
        try:
            sent = _send(db, claim, now, options)
        except Exception as exc:  # a bug or the database: retried like a failed send
            log.exception("notification delivery %s failed", claim.id)
            sent = _Sent("retry", error=f"{type(exc).__name__}: {exc}"[:500])
        duration = int((time.perf_counter() - started) * 1000)
        outcome = _record(db, claim, now, sent, duration)
        if outcome == "delivered":
            report.delivered += 1
        elif outcome == "failed":
            report.failed += 1
        elif outcome == "retry":
            report.retried += 1
        elif outcome == "cancelled":
            report.cancelled += 1
    return report


# -- the worker's job ---------------------------------------------------------------------------


def options_from(settings: Any) -> Options:
    """The sending options from `ApiSettings` (DISPUTEDESK_SMTP_*, DISPUTEDESK_PUBLIC_URL...)."""
    mailer = None
    if settings.smtp_host:
        mailer = mail.Mailer(
            mail.SmtpConfig(
                host=settings.smtp_host,
                port=settings.smtp_port,
                user=settings.smtp_user or None,
                password=settings.smtp_password.get_secret_value() or None,
                sender=settings.smtp_from,
                starttls=settings.smtp_starttls,
                timeout=settings.smtp_timeout_seconds,
            )
        )
    allow_private = settings.webhook_allow_private_targets
    return Options(
        mailer=mailer,
        poster=webhooks.http_poster(settings.webhook_timeout_seconds, allow_private=allow_private),
        public_url=settings.public_url,
        secret=settings.messaging_secret.get_secret_value(),
        sender=settings.smtp_from,
        allow_private=allow_private,
    )


class MessagingJob:
    """The messaging step of the worker loop (`disputedesk worker`, the demo's in-process
    worker): plan, release, deliver, at every sweep. Two workers at once create and send each
    notification once."""

    def __init__(
        self,
        db: Database,
        options: Options | None = None,
        *,
        batch: int = 500,
        reminder_interval: float = 60.0,
    ) -> None:
        self.db = db
        # Reminders are planned at most this often (seconds on the worker's clock): finding
        # them reads every order due within 48 hours, and a minute is precision enough for a
        # reminder 12 or 48 hours ahead. Triggers and auto-replies are planned every sweep.
        self.reminder_interval = reminder_interval
        self.reminded: datetime | None = None
        if options is None:
            from disputedesk.api.settings import ApiSettings

            options = options_from(ApiSettings())
        self.options = options
        self.batch = batch
        self.seen: dict[str, set[int]] = {}  # rows planned, while a cursor may read them again

    def run(self, now: datetime) -> JobReport:
        last = self.reminded
        reminders = (
            last is None or now < last or (now - last).total_seconds() >= self.reminder_interval
        )
        if reminders:
            self.reminded = now
        report = plan_all(
            self.db, now, self.options, batch=self.batch, seen=self.seen, reminders=reminders
        )
        report.add(release_due(self.db, now, self.options))
        report.add(deliver_due(self.db, now, self.options))
        return report

    def run_and_tell(self, now: datetime) -> str | None:
        """`run`, and what it did in words (None when nothing happened); a failure is logged
        and said, and the next sweep tries again."""
        try:
            report = self.run(now)
        except Exception as exc:
            log.exception("messaging failed")
            return f"messaging: failed ({type(exc).__name__}: {exc})"
        if not any(getattr(report, name) for name in JobReport.__slots__):  # type: ignore[attr-defined]
            return None
        return (
            f"messaging: {report.created} notification(s) created, {report.released} released, "
            f"{report.cancelled} cancelled; {report.delivered} sent, {report.retried} to retry, "
            f"{report.failed} failed"
        )
