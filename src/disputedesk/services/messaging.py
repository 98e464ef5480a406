"""Messages in the buyer's language, the reading and writing side: a store's templates and
settings, suggested replies for a dispute or an order, previews for the template editor, a
person's language, time zone and opt-outs, the signed unsubscribe link, the in-app
notification list, and the delivery log (sent mail). The worker's side (planning, the outbox,
sending) is `services/notifications.py`.

Each function is what a page or an endpoint needs in one call, so both stay thin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from disputedesk.messaging import catalog, languages
from disputedesk.messaging.catalog import CatalogError, Template
from disputedesk.messaging.context import OrderFacts, sample_values, values
from disputedesk.messaging.render import PLACEHOLDERS, Rendered, RenderError, problems_of, render
from disputedesk.messaging.settings import (
    CHANNELS,
    DEFAULTS,
    SettingsError,
    StoreSettings,
    settings_from,
)
from disputedesk.messaging.situations import Case, suggested, tracking_facts
from disputedesk.rules.instants import format_instant
from disputedesk.rules.lifecycle import due
from disputedesk.rules.model import Dispute, State
from disputedesk.rules.policy import POLICIES
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import storable_message
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.tracking.facts import Shipment, TrackEvent, delivery_facts

SUBJECTS = ("buyer", "store", "address")


# -- settings -----------------------------------------------------------------------------------


def settings_of(conn: Connection, store_ids: Iterable[str]) -> dict[str, StoreSettings]:
    """Each store's settings (the defaults for a store without a row)."""
    ids = sorted(set(store_ids))
    out = dict.fromkeys(ids, DEFAULTS)
    if ids:
        for row in conn.execute(
            select(t.messaging_settings.c.store_id, t.messaging_settings.c.settings).where(
                t.messaging_settings.c.store_id.in_(ids)
            )
        ):
            try:
                out[row.store_id] = settings_from(row.settings)
            except SettingsError:  # written by an older version: the defaults, not a crash
                out[row.store_id] = DEFAULTS
    return out


def store_settings(db: Database, store_id: str) -> StoreSettings:
    with db.engine.connect() as conn:
        return settings_of(conn, [store_id])[store_id]


def save_settings(
    db: Database, store_id: str, raw: Any, *, by: str | None, now: datetime
) -> StoreSettings:
    """Check and store a store's settings (`invalid_input` naming the field)."""
    try:
        checked = settings_from(raw)
    except SettingsError as exc:
        raise ServiceError("invalid_input", str(exc)) from None
    row = {"settings": checked.to_json(), "updated_at": now, "updated_by": by}
    with db.begin() as conn:
        _require_store(conn, store_id)
        changed = conn.execute(
            update(t.messaging_settings)
            .where(t.messaging_settings.c.store_id == store_id)
            .values(**row)
        ).rowcount
        if not changed:
            conn.execute(insert(t.messaging_settings).values(store_id=store_id, **row))
    return checked


def _require_store(conn: Connection, store_id: str) -> str:
    name = conn.scalar(select(t.stores.c.name).where(t.stores.c.id == store_id))
    if name is None:
        raise ServiceError("not_found", f"store {store_id!r} not found")
    return str(name)


# -- templates ----------------------------------------------------------------------------------


def _store_rows(conn: Connection, store_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    ids = sorted(set(store_ids))
    if not ids:
        return rows
    for row in conn.execute(
        select(t.message_templates).where(t.message_templates.c.store_id.in_(ids))
    ):
        rows.setdefault(row.store_id, []).append(
            {
                "key": row.key,
                "purpose": row.purpose,
                "audience": row.audience,
                "situations": row.situations,
                "texts": row.texts,
            }
        )
    return rows


def templates_of(conn: Connection, store_ids: Iterable[str]) -> dict[str, dict[str, Template]]:
    """Each store's templates: the shipped ones with its own laid over them. A stored template
    that no longer passes the checks is left out (the shipped one of its key stays)."""
    out: dict[str, dict[str, Template]] = {}
    by_store = _store_rows(conn, store_ids)
    for store_id in set(store_ids):
        usable = []
        for row in by_store.get(store_id, []):
            try:
                catalog.template_from(row, origin="store")
            except CatalogError:
                continue
            usable.append(row)
        out[store_id] = catalog.merged(usable)
    return out


def store_templates(db: Database, store_id: str) -> list[Template]:
    """The store's templates by key (for the editor's list)."""
    with db.engine.connect() as conn:
        _require_store(conn, store_id)
        merged = templates_of(conn, [store_id])[store_id]
    return [merged[key] for key in sorted(merged)]


def store_template(db: Database, store_id: str, key: str) -> Template:
    for template in store_templates(db, store_id):
        if template.key == key:
            return template
    raise ServiceError("not_found", f"template {key!r} not found")


def _sample_problems(texts: Mapping[str, catalog.Text]) -> list[str]:
    """Every text rendered with sample data in its language: what fails, by name."""
    found: list[str] = []
    for lang, text in texts.items():
        sample = sample_values(lang)
        for part, source in (("subject", text.subject), ("body", text.body)):
            try:
                render(source, sample)
            except RenderError as exc:
                found.append(f"texts.{lang}.{part}: {exc.message}")
    return found


def save_template(
    db: Database, store_id: str, key: str, raw: Mapping[str, Any], *, by: str | None, now: datetime
) -> Template:
    """Create or replace the store's template `key` (a shipped key: the store's edit of it; it
    keeps the shipped purpose and audience). Every text must render with sample data: a
    placeholder that is not one, or that the sandbox refuses, is `invalid_input` naming it."""
    problem = storable_message(dict(raw))
    if problem is not None:
        raise ServiceError("invalid_input", problem)
    base = catalog.shipped().get(key)
    spec = {
        "key": key,
        "purpose": base.purpose if base else raw.get("purpose", "reply"),
        "audience": base.audience if base else raw.get("audience", "buyer"),
        "situations": raw.get("situations")
        if raw.get("situations") is not None
        else (base.situations.to_json() if base else {}),
        "texts": raw.get("texts"),
    }
    try:
        template = catalog.template_from(spec, origin="store")
    except CatalogError as exc:
        raise ServiceError("invalid_input", str(exc)) from None
    failed = _sample_problems(template.texts)
    if failed:
        raise ServiceError("invalid_input", "; ".join(failed))
    row = {
        "purpose": template.purpose,
        "audience": template.audience,
        "situations": template.situations.to_json(),
        "texts": {
            lang: {"subject": text.subject, "body": text.body}
            for lang, text in template.texts.items()
        },
        "updated_at": now,
        "updated_by": by,
    }
    try:
        with db.begin() as conn:
            _require_store(conn, store_id)
            changed = conn.execute(
                update(t.message_templates)
                .where(t.message_templates.c.store_id == store_id)
                .where(t.message_templates.c.key == key)
                .values(**row)
            ).rowcount
            if not changed:
                conn.execute(
                    insert(t.message_templates).values(
                        store_id=store_id, key=key, created_at=now, **row
                    )
                )
    except IntegrityError:
        raise ServiceError("conflict", f"template {key!r} changed meanwhile; try again") from None
    return store_template(db, store_id, key)


def delete_template(db: Database, store_id: str, key: str) -> bool:
    """Remove the store's own template (a shipped key goes back to the shipped words)."""
    with db.begin() as conn:
        _require_store(conn, store_id)
        return bool(
            conn.execute(
                delete(t.message_templates)
                .where(t.message_templates.c.store_id == store_id)
                .where(t.message_templates.c.key == key)
            ).rowcount
        )


@dataclass(frozen=True, slots=True)
class Preview:
    """A text as it would be sent, or why it cannot be (each problem names its placeholder)."""

    language: str
    subject: str | None
    body: str | None
    problems: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "ok": self.ok,
            "subject": self.subject,
            "body": self.body,
            "problems": self.problems,
        }


def render_preview(
    subject: str, body: str, language: str, data: Mapping[str, str] | None = None
) -> Preview:
    """What the editor shows while a store writes a template: the text filled with sample
    data (or `data`), or every problem by placeholder (unknown, missing, refused)."""
    language = languages.normalize(language) or languages.DEFAULT_LANGUAGE
    filled = dict(data) if data is not None else sample_values(language)
    problems: list[dict[str, Any]] = []
    out: dict[str, str | None] = {}
    for part, source in (("subject", subject), ("body", body)):
        found = problems_of(source)
        if not found:
            try:
                out[part] = render(source, filled)
                continue
            except RenderError as exc:
                found = [exc]
        out[part] = None
        problems.extend({"part": part, **p.to_json()} for p in found)
    return Preview(language, out["subject"], out["body"], problems)


def placeholders() -> dict[str, str]:
    return dict(PLACEHOLDERS)


# -- an order's facts, for texts and suggestions ------------------------------------------------


@dataclass(slots=True)
class OrderContext:
    """What texts about one order read: the row, its store and buyer, its disputes."""

    row: Any
    store_name: str
    buyer: Any
    disputes: list[Dispute]
    events: list[TrackEvent] = field(default_factory=list)

    def facts(self, settings: StoreSettings, dispute: Dispute | None) -> OrderFacts:
        row = self.row
        return OrderFacts(
            order_id=row.id,
            store_name=self.store_name,
            currency=row.currency,
            total=row.amount + row.shipping,
            buyer_name=self.buyer.name if self.buyer is not None else None,
            items=row.items or [],
            carrier=row.carrier,
            tracking_number=row.tracking_number,
            tracking_url=settings.tracking_url,
            country=row.destination_country,
            delivery_deadline=row.delivery_deadline,
            dispute=dispute,
        )


def order_contexts(
    conn: Connection, order_ids: Sequence[str], *, with_events: bool = False
) -> dict[str, OrderContext]:
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    rows = {r.id: r for r in conn.execute(select(t.orders).where(t.orders.c.id.in_(ids)))}
    stores = {
        r.id: r.name
        for r in conn.execute(
            select(t.stores.c.id, t.stores.c.name).where(
                t.stores.c.id.in_({r.store_id for r in rows.values()})
            )
        )
    }
    buyers = {
        r.id: r
        for r in conn.execute(
            select(t.buyers).where(t.buyers.c.id.in_({r.buyer_id for r in rows.values()}))
        )
    }
    disputes: dict[str, list[Dispute]] = {}
    for row in conn.execute(
        select(t.disputes.c.order_id, t.disputes.c.state)
        .where(t.disputes.c.order_id.in_(ids))
        .order_by(t.disputes.c.order_id, t.disputes.c.seq)
    ):
        disputes.setdefault(row.order_id, []).append(Dispute.from_json(row.state))
    events: dict[str, list[TrackEvent]] = {}
    if with_events:
        for row in conn.execute(
            select(t.tracking_events)
            .where(t.tracking_events.c.order_id.in_(ids))
            .order_by(t.tracking_events.c.order_id, t.tracking_events.c.id)
        ):
            events.setdefault(row.order_id, []).append(TrackEvent.of(row))
    return {
        order_id: OrderContext(
            row,
            stores.get(row.store_id, row.store_id),
            buyers.get(row.buyer_id),
            disputes.get(order_id, []),
            events.get(order_id, []),
        )
        for order_id, row in rows.items()
    }


@dataclass(frozen=True, slots=True)
class Reader:
    language: str
    time_zone: str


def buyer_reader(conn: Connection, buyer: Any, country: str | None) -> Reader:
    """The buyer's language (their account's setting, their record's, else the destination
    country's main language, else English) and time zone."""
    pref = None
    if buyer is not None:
        pref = conn.execute(
            select(t.messaging_preferences.c.locale, t.messaging_preferences.c.time_zone)
            .join(t.users, t.users.c.id == t.messaging_preferences.c.user_id)
            .where(t.users.c.buyer_id == buyer.id)
            .order_by(t.users.c.id)
            .limit(1)
        ).first()
    return Reader(
        languages.choose(
            pref.locale if pref else None,
            buyer.locale if buyer is not None else None,
            country=country,
        ),
        languages.choose_zone(pref.time_zone if pref else None, country=country),
    )


# -- suggested replies --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    key: str
    origin: str
    score: int
    situations: dict[str, list[str]]
    subject: str
    body: str

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "origin": self.origin,
            "score": self.score,
            "fits": self.situations,
            "subject": self.subject,
            "body": self.body,
        }


@dataclass(frozen=True, slots=True)
class Suggestions:
    order_id: str
    dispute_id: str | None
    language: str
    case: Case
    items: list[Suggestion]
    unavailable: list[dict[str, Any]]  # fitting templates this case lacks a placeholder for

    def to_json(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "dispute_id": self.dispute_id,
            "language": self.language,
            "case": {
                "stage": self.case.stage,
                "tracking": sorted(self.case.tracking),
                "reason": self.case.reason,
                "status": self.case.status,
            },
            "items": [s.to_json() for s in self.items],
            "unavailable": self.unavailable,
        }


def _dispute_data(context: OrderContext, now: datetime, seq: int | None) -> dict[str, str]:
    """The next deadline (while the dispute is the open one) and the parcel's latest news."""
    data: dict[str, str] = {}
    state = State(order=repository.order_from_row(context.row), disputes=tuple(context.disputes))
    if seq is None or seq == len(context.disputes):
        policy = POLICIES.get(context.row.policy) or POLICIES["aliexpress"]
        step = due(state, policy)
        if step is not None and step.at > now:
            data["deadline"] = format_instant(step.at)
    return data


def _event_data(facts: Any) -> dict[str, str]:
    data: dict[str, str] = {}
    if facts is None:
        return data
    news = None
    if facts.delivered is not None:
        news = facts.delivered.event
    elif facts.pickup_notice is not None:
        news = facts.pickup_notice
    elif facts.last_event is not None:
        news = facts.last_event
    if news is not None and news.at is not None:
        data["event_at"] = format_instant(news.at)
        if news.place:
            data["place"] = news.place
    return data


def suggestions_for(
    db: Database,
    order_id: str,
    *,
    now: datetime,
    dispute_seq: int | None = None,
    language: str | None = None,
    limit: int = 10,
) -> Suggestions:
    """The replies that fit the order's case (with `dispute_seq`: that dispute's reason and
    status; else the open dispute's, if any), pre-filled in the buyer's language (or
    `language`), best fitting first. The caller checks who may see the order."""
    with db.engine.connect() as conn:
        context = order_contexts(conn, [order_id], with_events=True).get(order_id)
        if context is None:
            raise ServiceError("not_found", f"order {order_id!r} not found")
        row = context.row
        settings = settings_of(conn, [row.store_id])[row.store_id]
        templates = templates_of(conn, [row.store_id])[row.store_id]
        reader = buyer_reader(conn, context.buyer, row.destination_country)
    if language is not None:
        reader = Reader(languages.normalize(language) or reader.language, reader.time_zone)
    dispute: Dispute | None = None
    seq = dispute_seq
    if seq is not None:
        if not 1 <= seq <= len(context.disputes):
            raise ServiceError("not_found", f"dispute {order_id}-D{seq} not found")
        dispute = context.disputes[seq - 1]
    elif context.disputes and context.disputes[-1].is_open:
        seq = len(context.disputes)
        dispute = context.disputes[-1]
    facts = None
    if row.shipped_at is not None:
        facts = delivery_facts(context.events, Shipment.of(row), now)
    case = Case(
        stage=row.status,
        tracking=tracking_facts(facts),
        reason=dispute.reason if dispute else None,
        status=str(dispute.status) if dispute else None,
    )
    data = {**_event_data(facts), **_dispute_data(context, now, dispute_seq)}
    filled = values(
        context.facts(settings, dispute),
        data,
        language=reader.language,
        time_zone=reader.time_zone,
        now=now,
    )
    items: list[Suggestion] = []
    unavailable: list[dict[str, Any]] = []
    for template, points in suggested(templates.values(), case):
        text = template.text(reader.language) or template.text(languages.DEFAULT_LANGUAGE)
        if text is None:
            continue
        try:
            rendered = Rendered(render(text.subject, filled), render(text.body, filled))
        except RenderError as exc:
            unavailable.append({"key": template.key, **exc.to_json()})
            continue
        items.append(
            Suggestion(
                template.key,
                template.origin,
                points,
                template.situations.to_json(),
                rendered.subject,
                rendered.body,
            )
        )
    dispute_id = f"{order_id}-D{seq}" if dispute is not None else None
    return Suggestions(order_id, dispute_id, reader.language, case, items[:limit], unavailable)


# -- a person's language, time zone and opt-outs ------------------------------------------------


def _subjects_of(principal: Principal) -> list[tuple[str, str]]:
    """Whose opt-outs a person manages: a buyer's own, a staff member's address."""
    if principal.role == "buyer" and principal.buyer_id:
        return [("buyer", principal.buyer_id)]
    return [("address", principal.email)]


def preferences_of(db: Database, principal: Principal) -> dict[str, Any]:
    with db.engine.connect() as conn:
        pref = conn.execute(
            select(t.messaging_preferences).where(
                t.messaging_preferences.c.user_id == principal.user_id
            )
        ).first()
        subject, subject_id = _subjects_of(principal)[0]
        off = opted_out_channels(conn, subject, subject_id)
    return {
        "language": pref.locale if pref else None,
        "time_zone": pref.time_zone if pref else None,
        "opted_out": sorted(off),
        "languages": list(languages.LANGUAGES),
        "channels": list(CHANNELS),
    }


def save_preferences(
    db: Database,
    principal: Principal,
    *,
    language: str | None,
    time_zone: str | None,
    opted_out: Sequence[str],
    now: datetime,
) -> dict[str, Any]:
    """A person's language and time zone for what is sent to them, and the channels they want
    nothing on (a buyer: as a buyer; staff: their address)."""
    if language is not None and languages.normalize(language) is None:
        raise ServiceError("invalid_input", f"language: one of {', '.join(languages.LANGUAGES)}")
    if time_zone is not None and languages.valid_zone(time_zone) is None:
        raise ServiceError("invalid_input", "time_zone: an IANA time zone such as Europe/Paris")
    unknown = [c for c in opted_out if c not in CHANNELS]
    if unknown:
        raise ServiceError("invalid_input", f"opted_out: {unknown[0]!r} is not a channel")
    values_ = {
        "locale": languages.normalize(language) if language else None,
        "time_zone": time_zone,
        "updated_at": now,
    }
    subject, subject_id = _subjects_of(principal)[0]
    with db.begin() as conn:
        changed = conn.execute(
            update(t.messaging_preferences)
            .where(t.messaging_preferences.c.user_id == principal.user_id)
            .values(**values_)
        ).rowcount
        if not changed:
            conn.execute(
                insert(t.messaging_preferences).values(user_id=principal.user_id, **values_)
            )
        set_opt_outs(conn, subject, subject_id, set(opted_out), source="api", now=now)
    return preferences_of(db, principal)


def opted_out_channels(conn: Connection, subject: str, subject_id: str) -> set[str]:
    return set(
        conn.scalars(
            select(t.messaging_opt_outs.c.channel)
            .where(t.messaging_opt_outs.c.subject == subject)
            .where(t.messaging_opt_outs.c.subject_id == subject_id)
        )
    )


def set_opt_outs(
    conn: Connection,
    subject: str,
    subject_id: str,
    channels: set[str],
    *,
    source: str,
    now: datetime,
) -> None:
    """Make the subject's opted-out channels exactly `channels`."""
    current = opted_out_channels(conn, subject, subject_id)
    gone = current - channels
    if gone:
        conn.execute(
            delete(t.messaging_opt_outs)
            .where(t.messaging_opt_outs.c.subject == subject)
            .where(t.messaging_opt_outs.c.subject_id == subject_id)
            .where(t.messaging_opt_outs.c.channel.in_(gone))
        )
    for channel in sorted(channels - current):
        opt_out(conn, subject, subject_id, channel, source=source, now=now)


def opt_out(
    conn: Connection, subject: str, subject_id: str, channel: str, *, source: str, now: datetime
) -> None:
    """Record an opt-out once (again: nothing changes, also when two requests race)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(
        dialect.insert(t.messaging_opt_outs)
        .values(
            subject=subject,
            subject_id=subject_id,
            channel=channel,
            source=source,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["subject", "subject_id", "channel"])
    )


def opted_out(conn: Connection, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str, str]]:
    """(subject, subject_id, channel) of every opt-out among the (subject, subject_id) pairs."""
    wanted = sorted(set(pairs))
    if not wanted:
        return set()
    o = t.messaging_opt_outs
    found: set[tuple[str, str, str]] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        clause = or_(*(and_(o.c.subject == s, o.c.subject_id == i) for s, i in chunk))
        found.update(
            (r.subject, r.subject_id, r.channel)
            for r in conn.execute(select(o.c.subject, o.c.subject_id, o.c.channel).where(clause))
        )
    return found


def store_opt_outs(db: Database, store_id: str) -> list[str]:
    with db.engine.connect() as conn:
        _require_store(conn, store_id)
        return sorted(opted_out_channels(conn, "store", store_id))


def save_store_opt_outs(
    db: Database, store_id: str, channels: Sequence[str], *, now: datetime
) -> list[str]:
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        raise ServiceError("invalid_input", f"channels: {unknown[0]!r} is not a channel")
    with db.begin() as conn:
        _require_store(conn, store_id)
        set_opt_outs(conn, "store", store_id, set(channels), source="api", now=now)
    return store_opt_outs(db, store_id)


# -- the signed unsubscribe link ----------------------------------------------------------------


def signing_key(conn: Connection, configured: str = "") -> bytes:
    """The key unsubscribe links are signed with: the configured one, else one made once and
    kept in the database (the same for every process that reads it)."""
    if configured:
        return configured.encode()
    value = conn.scalar(
        select(t.messaging_secrets.c.value).where(t.messaging_secrets.c.name == "unsubscribe")
    )
    if value is None:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(
            dialect.insert(t.messaging_secrets)
            .values(name="unsubscribe", value=secrets.token_hex(32), created_at=utc_now())
            .on_conflict_do_nothing(index_elements=["name"])
        )
        value = conn.scalar(
            select(t.messaging_secrets.c.value).where(t.messaging_secrets.c.name == "unsubscribe")
        )
    return str(value).encode()


def key_of(db: Database, configured: str = "") -> bytes:
    """`signing_key` in a transaction of its own (it may have to write the key once)."""
    if configured:
        return configured.encode()
    with db.engine.connect() as conn:
        found = conn.scalar(
            select(t.messaging_secrets.c.value).where(t.messaging_secrets.c.name == "unsubscribe")
        )
    if found is not None:
        return str(found).encode()
    with db.begin() as conn:
        return signing_key(conn)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(key: bytes, subject: str, subject_id: str, channel: str, language: str) -> str:
    """`<payload>.<signature>`: who opts out of which channel, and the page's language; the
    signature (HMAC-SHA256, 128 bits) is the only authority, so the link works signed out."""
    payload = _b64("\x1f".join((subject, subject_id, channel, language)).encode())
    signature = hmac.new(key, payload.encode(), hashlib.sha256).digest()[:16]
    return f"{payload}.{_b64(signature)}"


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    subject: str
    subject_id: str
    channel: str
    language: str


def read_token(key: bytes, token: str) -> Unsubscribe | None:
    """The token's request if its signature holds, else None."""
    payload, _, signature = token.partition(".")
    if not payload or not signature:
        return None
    expected = hmac.new(key, payload.encode(), hashlib.sha256).digest()[:16]
    try:
        if not hmac.compare_digest(expected, _unb64(signature)):
            return None
        parts = _unb64(payload).decode().split("\x1f")
    except (ValueError, UnicodeDecodeError):
        return None
    if len(parts) != 4 or parts[0] not in SUBJECTS or parts[2] not in CHANNELS:
        return None
    return Unsubscribe(parts[0], parts[1], parts[2], languages.normalize(parts[3]) or "en")


def check_unsubscribe(db: Database, token: str, *, configured_key: str = "") -> Unsubscribe:
    found = read_token(key_of(db, configured_key), token)
    if found is None:
        raise ServiceError("not_found", "this unsubscribe link is not valid")
    return found


def unsubscribe(
    db: Database, token: str, *, now: datetime, configured_key: str = ""
) -> Unsubscribe:
    """Carry out a signed unsubscribe link (again: nothing changes); `not_found` for a link
    that was not signed here."""
    found = check_unsubscribe(db, token, configured_key=configured_key)
    with db.begin() as conn:
        opt_out(
            conn,
            found.subject,
            found.subject_id,
            found.channel,
            source="unsubscribe_link",
            now=now,
        )
    return found


# -- the in-app notification list ---------------------------------------------------------------


def _notification_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "order_id": row.order_id,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "created_at": format_instant(row.created_at),
        "read_at": format_instant(row.read_at),
        "read": row.read_at is not None,
    }


def unread_count(db: Database, user_id: int) -> int:
    u = t.user_notifications
    with db.engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count())
                .select_from(u)
                .where(u.c.user_id == user_id)
                .where(u.c.read_at.is_(None))
            )
            or 0
        )


def notifications_of(
    db: Database, user_id: int, *, unread_only: bool = False, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """A person's notifications, newest first, with the unread count."""
    u = t.user_notifications
    query = select(u).where(u.c.user_id == user_id)
    if unread_only:
        query = query.where(u.c.read_at.is_(None))
    with db.engine.connect() as conn:
        rows = conn.execute(
            query.order_by(u.c.created_at.desc(), u.c.id.desc()).limit(limit).offset(offset)
        ).all()
    return {
        "items": [_notification_json(r) for r in rows],
        "unread": unread_count(db, user_id),
        "limit": limit,
        "offset": offset,
    }


def mark_read(db: Database, user_id: int, notification_id: int, now: datetime) -> dict[str, Any]:
    """Mark one of the person's notifications read (again: no change); `not_found` otherwise."""
    u = t.user_notifications
    with db.begin() as conn:
        conn.execute(
            update(u)
            .where(u.c.id == notification_id)
            .where(u.c.user_id == user_id)
            .where(u.c.read_at.is_(None))
            .values(read_at=now)
        )
        row = conn.execute(
            select(u).where(u.c.id == notification_id).where(u.c.user_id == user_id)
        ).first()
    if row is None:
        raise ServiceError("not_found", f"notification {notification_id} not found")
    return _notification_json(row)


def mark_all_read(db: Database, user_id: int, now: datetime) -> int:
    u = t.user_notifications
    with db.begin() as conn:
        return conn.execute(
            update(u).where(u.c.user_id == user_id).where(u.c.read_at.is_(None)).values(read_at=now)
        ).rowcount


# -- the delivery log ---------------------------------------------------------------------------


def _delivery_json(row: Any, attempts: list[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "notification_id": row.notification_id,
        "kind": row.kind,
        "order_id": row.order_id,
        "store_id": row.store_id,
        "channel": row.channel,
        "recipient": row.recipient,
        "language": row.locale,
        "subject": row.subject,
        "body": row.body,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": format_instant(row.next_attempt_at),
        "created_at": format_instant(row.created_at),
        "delivered_at": format_instant(row.delivered_at),
        "last_error": row.last_error,
        "log": [
            {
                "at": format_instant(a.attempted_at),
                "outcome": a.outcome,
                "code": a.code,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in attempts
        ],
    }


def deliveries(
    db: Database,
    *,
    store_ids: Sequence[str] | None = None,
    channel: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The outbox and its log, newest first: each delivery with its text and every attempt
    (a store's staff: their stores'; an operator: all)."""
    d, n = t.notification_deliveries, t.notifications
    query = select(d, n.c.kind, n.c.order_id, n.c.store_id).join(n, n.c.id == d.c.notification_id)
    if store_ids is not None:
        query = query.where(n.c.store_id.in_(list(store_ids)))
    if channel is not None:
        query = query.where(d.c.channel == channel)
    if status is not None:
        query = query.where(d.c.status == status)
    with db.engine.connect() as conn:
        rows = conn.execute(
            query.order_by(d.c.created_at.desc(), d.c.id.desc()).limit(limit).offset(offset)
        ).all()
        log: dict[int, list[Any]] = {}
        if rows:
            for a in conn.execute(
                select(t.notification_attempts)
                .where(t.notification_attempts.c.delivery_id.in_([r.id for r in rows]))
                .order_by(t.notification_attempts.c.id)
            ):
                log.setdefault(a.delivery_id, []).append(a)
    return [_delivery_json(r, log.get(r.id, [])) for r in rows]


def sent_mail(
    db: Database,
    *,
    store_ids: Sequence[str] | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The operator's view of email: every email delivery with its text and attempts."""
    return deliveries(
        db, store_ids=store_ids, channel="email", status=status, limit=limit, offset=offset
    )
