"""Web desk sessions: a random cookie token (stored only as its SHA-256), the session's CSRF
token, and the viewer's language and time zone. Ending a session (sign out) makes its cookie
worthless at once, which a signed client-side cookie could not do."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, insert, select, update

from disputedesk.messaging.languages import LANGUAGES
from disputedesk.services.accounts import PRINCIPAL_COLUMNS, Principal, _principal, hash_token
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.store import tables as t
from disputedesk.store.db import Database

SESSION_LIFETIME = timedelta(hours=12)
LOCALES = LANGUAGES  # the desk speaks the seven languages messages are written in
DEFAULT_TIME_ZONE = "UTC"


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in viewer: who, the form token, and how they read times and words."""

    id: int
    principal: Principal
    csrf_token: str
    locale: str
    time_zone: str
    expires_at: datetime


def check_time_zone(name: str | None) -> str:
    """An IANA time zone name, or UTC when it is missing or unknown."""
    if not name:
        return DEFAULT_TIME_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIME_ZONE
    return name


def check_locale(name: str | None) -> str:
    return name if name in LOCALES else "en"


def start_session(
    db: Database,
    principal: Principal,
    *,
    locale: str | None = None,
    time_zone: str | None = None,
    now: datetime | None = None,
) -> tuple[str, WebSession]:
    """A new session for a signed-in user: the cookie value (shown once) and the session.
    The person's own settings (`/desk/me`, `POST /me/messaging`) win over what the sign-in
    page knew (the browser's language and zone): a language the desk speaks, a valid zone."""
    now = now or utc_now()
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with db.engine.connect() as conn:
        own = conn.execute(
            select(t.messaging_preferences.c.locale, t.messaging_preferences.c.time_zone).where(
                t.messaging_preferences.c.user_id == principal.user_id
            )
        ).first()
    if own is not None and own.locale in LOCALES:
        locale = own.locale
    if own is not None and own.time_zone and check_time_zone(own.time_zone) == own.time_zone:
        time_zone = own.time_zone
    values = {
        "token_hash": hash_token(token),
        "user_id": principal.user_id,
        "csrf_token": csrf,
        "locale": check_locale(locale),
        "time_zone": check_time_zone(time_zone),
        "created_at": now,
        "expires_at": now + SESSION_LIFETIME,
    }
    with db.begin() as conn:
        session_id = conn.execute(
            insert(t.web_sessions).values(**values).returning(t.web_sessions.c.id)
        ).scalar_one()
    return token, WebSession(
        session_id, principal, csrf, values["locale"], values["time_zone"], values["expires_at"]
    )


def session_for(db: Database, token: str, *, now: datetime | None = None) -> WebSession | None:
    """The live session behind a cookie value; None when unknown, expired, signed out, or its
    user is suspended."""
    now = now or utc_now()
    with db.engine.connect() as conn:
        row = conn.execute(
            select(
                t.web_sessions.c.id.label("session_id"),
                t.web_sessions.c.csrf_token,
                t.web_sessions.c.locale,
                t.web_sessions.c.time_zone,
                t.web_sessions.c.expires_at,
                *PRINCIPAL_COLUMNS,
            )
            .join(t.users, t.users.c.id == t.web_sessions.c.user_id)
            .where(t.web_sessions.c.token_hash == hash_token(token))
            .where(t.web_sessions.c.ended_at.is_(None))
            .where(t.web_sessions.c.expires_at > now)
            .where(t.users.c.suspended_at.is_(None))  # a suspended user's end at once
        ).first()
        if row is None:
            return None
        principal = _principal(conn, row.id, row)
    return WebSession(
        row.session_id, principal, row.csrf_token, row.locale, row.time_zone, row.expires_at
    )


def end_session(db: Database, session_id: int, *, now: datetime | None = None) -> None:
    with db.begin() as conn:
        conn.execute(
            update(t.web_sessions)
            .where(t.web_sessions.c.id == session_id)
            .values(ended_at=now or utc_now())
        )


def end_sessions_in(conn: Connection, user_id: int, now: datetime) -> int:
    """End every live session of the user (suspended, a new password), in the caller's
    transaction: how many."""
    return conn.execute(
        update(t.web_sessions)
        .where(t.web_sessions.c.user_id == user_id)
        .where(t.web_sessions.c.ended_at.is_(None))
        .values(ended_at=now)
    ).rowcount


def set_preferences(
    db: Database, session_id: int, *, locale: str | None = None, time_zone: str | None = None
) -> None:
    """Change the session's language and/or time zone (unknown values are refused)."""
    values: dict[str, str] = {}
    if locale is not None:
        if locale not in LOCALES:
            raise ServiceError("invalid_input", f"locale: {locale!r} is not one of en, zh_CN")
        values["locale"] = locale
    if time_zone is not None:
        if check_time_zone(time_zone) != time_zone:
            raise ServiceError("invalid_input", f"time_zone: {time_zone!r} is not a time zone")
        values["time_zone"] = time_zone
    if values:
        with db.begin() as conn:
            conn.execute(
                update(t.web_sessions).where(t.web_sessions.c.id == session_id).values(**values)
            )
