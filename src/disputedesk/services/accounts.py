"""Accounts: users with roles, their API tokens, passwords.

Roles: `buyer` (a user who is one buyer), `seller` (staff of one or more stores, as owner or
agent), `arbitrator` (platform staff who take escalated cases), `admin` (operators).
Tokens are random (256 bits) and stored only as their SHA-256: they are shown once, at creation.
Passwords (for the web desk) are hashed with argon2.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import storable_message, text_problem
from disputedesk.store import tables as t
from disputedesk.store.db import Database

ROLES = ("buyer", "seller", "arbitrator", "admin")
STORE_ROLES = ("owner", "agent")
TOKEN_PREFIX = "ddt_"
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
_LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the user, their role, and what they may see."""

    user_id: int
    email: str
    name: str
    role: str
    buyer_id: str | None = None
    stores: dict[str, str] = field(default_factory=dict)  # store id -> owner / agent
    # store id -> what an agent there may do (`store_staff.permissions`; None: everything, as
    # for owners): read by `services.permissions`
    permissions: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    # store id -> the operator's reason, for the principal's stores that are suspended (its
    # staff read, but `services.permissions.command_denial` refuses every command)
    suspended_stores: dict[str, str] = field(default_factory=dict)

    def member_of(self, store_id: str) -> bool:
        return store_id in self.stores

    def owns(self, store_id: str) -> bool:
        return self.stores.get(store_id) == "owner"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _password_hasher():  # -> argon2.PasswordHasher
    from argon2 import PasswordHasher

    return PasswordHasher()


class AccountSuspended(ServiceError):
    """The right password (or a live token) of a user an operator suspended (`forbidden`)."""

    def __init__(self, email: str, reason: str | None) -> None:
        super().__init__("forbidden", f"the account {email} is suspended: {reason or ''}")
        self.reason = reason or ""


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ServiceError("invalid_input", "password: at least 8 characters")
    return _password_hasher().hash(password)


def _check_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.fullmatch(email):
        raise ServiceError("invalid_input", f"email: {email!r} is not an email address")
    return email


def create_user(
    db: Database,
    *,
    email: str,
    name: str,
    role: str,
    buyer_id: str | None = None,
    store_id: str | None = None,
    store_role: str = "owner",
    password: str | None = None,
    now: datetime | None = None,
) -> Principal:
    """Create a user. A buyer is linked to a buyers row (created when new: `buyer_id`, or one
    made up); a seller may join a store at once (`store_id`, created when new, as `store_role`)."""
    now = now or utc_now()
    email = _check_email(email)
    if role not in ROLES:
        raise ServiceError("invalid_input", f"role: {role!r} is not one of {', '.join(ROLES)}")
    if not name.strip():
        raise ServiceError("invalid_input", "name: required")
    if role != "buyer" and buyer_id:
        raise ServiceError("invalid_input", "buyer_id: only for a buyer")
    if role != "seller" and store_id:
        raise ServiceError("invalid_input", "store_id: only for a seller")
    if store_role not in STORE_ROLES:
        raise ServiceError("invalid_input", f"store_role: {store_role!r} is not owner or agent")
    unstorable = storable_message({"name": name, "buyer_id": buyer_id, "store_id": store_id})
    if unstorable is not None:
        raise ServiceError("invalid_input", unstorable)
    password_hash = hash_password(password) if password else None
    try:
        return _insert_user(
            db, email, name, role, buyer_id, store_id, store_role, password_hash, now
        )
    except IntegrityError:  # the same email (or new buyer) created by a concurrent request
        raise ServiceError("conflict", f"a user with email {email} already exists") from None


def _insert_user(
    db: Database,
    email: str,
    name: str,
    role: str,
    buyer_id: str | None,
    store_id: str | None,
    store_role: str,
    password_hash: str | None,
    now: datetime,
) -> Principal:
    with db.begin() as conn:
        if conn.scalar(select(t.users.c.id).where(t.users.c.email == email)):
            raise ServiceError("conflict", f"a user with email {email} already exists")
        if role == "buyer":
            buyer_id = buyer_id or f"B{secrets.token_hex(5).upper()}"
            if not conn.scalar(select(t.buyers.c.id).where(t.buyers.c.id == buyer_id)):
                conn.execute(
                    insert(t.buyers).values(id=buyer_id, name=name, email=email, created_at=now)
                )
        user_id = conn.execute(
            insert(t.users)
            .values(
                email=email,
                name=name,
                role=role,
                buyer_id=buyer_id,
                password_hash=password_hash,
                created_at=now,
            )
            .returning(t.users.c.id)
        ).scalar_one()
        if store_id:
            join_store(
                conn,
                store_id,
                user_id,
                name=name,
                email=email,
                role=store_role,
                now=now,
                create=True,
            )
        return _principal(conn, user_id)


def join_store(
    conn: Connection,
    store_id: str,
    user_id: int,
    *,
    name: str,
    email: str,
    role: str,
    now: datetime,
    create: bool = False,
) -> None:
    """Make a user staff of a store (creating the store when `create` and it is new)."""
    if not conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)):
        if not create:
            raise ServiceError("not_found", f"store {store_id!r} not found")
        conn.execute(insert(t.stores).values(id=store_id, name=store_id, created_at=now))
    existing = conn.execute(
        select(t.store_staff.c.id)
        .where(t.store_staff.c.store_id == store_id)
        .where((t.store_staff.c.user_id == user_id) | (t.store_staff.c.email == email))
    ).first()
    if existing:
        conn.execute(
            update(t.store_staff)
            .where(t.store_staff.c.id == existing.id)
            .values(user_id=user_id, role=role)
        )
    else:
        conn.execute(
            insert(t.store_staff).values(
                store_id=store_id,
                name=name,
                email=email,
                role=role,
                user_id=user_id,
                created_at=now,
            )
        )


# The user's columns `_principal` needs, for a query that joins users to what names them
# (a token, a session).
PRINCIPAL_COLUMNS = (
    t.users.c.id,
    t.users.c.email,
    t.users.c.name,
    t.users.c.role,
    t.users.c.buyer_id,
)


def _principal(conn: Connection, user_id: int, user: Any = None) -> Principal:
    if user is None:
        user = conn.execute(select(t.users).where(t.users.c.id == user_id)).one()
    stores: dict[str, str] = {}
    permissions: dict[str, dict[str, Any] | None] = {}
    suspended: dict[str, str] = {}
    if user.role == "seller":
        for row in conn.execute(
            select(
                t.store_staff.c.store_id,
                t.store_staff.c.role,
                t.store_staff.c.permissions,
                t.stores.c.suspended_at,
                t.stores.c.suspended_reason,
            )
            .join(t.stores, t.stores.c.id == t.store_staff.c.store_id)
            .where(t.store_staff.c.user_id == user_id)
        ):
            stores[row.store_id] = row.role
            permissions[row.store_id] = row.permissions
            if row.suspended_at is not None:
                suspended[row.store_id] = row.suspended_reason or ""
    return Principal(
        user.id, user.email, user.name, user.role, user.buyer_id, stores, permissions, suspended
    )


def principal_by_email(db: Database, email: str) -> Principal:
    if text_problem(email):
        raise ServiceError("invalid_input", f"email: {text_problem(email)}")
    with db.engine.connect() as conn:
        user_id = conn.scalar(select(t.users.c.id).where(t.users.c.email == email.strip().lower()))
        if user_id is None:
            raise ServiceError("not_found", f"no user with email {email}")
        return _principal(conn, user_id)


@dataclass(frozen=True, slots=True)
class NewToken:
    token: str  # shown once
    prefix: str
    user: Principal


def create_token(
    db: Database, *, email: str, name: str = "api", now: datetime | None = None
) -> NewToken:
    """A new API token for the user; the clear token is returned once and never stored."""
    user = principal_by_email(db, email)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    prefix = token[: len(TOKEN_PREFIX) + 6]
    with db.begin() as conn:
        conn.execute(
            insert(t.api_tokens).values(
                user_id=user.user_id,
                name=name,
                prefix=prefix,
                token_hash=hash_token(token),
                created_at=now or utc_now(),
            )
        )
    return NewToken(token, prefix, user)


def revoke_token(db: Database, prefix: str, *, now: datetime | None = None) -> int:
    with db.begin() as conn:
        return conn.execute(
            update(t.api_tokens)
            .where(t.api_tokens.c.prefix == prefix)
            .where(t.api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now or utc_now())
        ).rowcount


@dataclass(frozen=True, slots=True)
class TokenMatch:
    """A token's user, and whether its `last_used_at` is due to be written (`touch_token`);
    `suspended`: the user is suspended (the API answers 403, and nothing is touched)."""

    principal: Principal
    token_id: int
    needs_touch: bool
    suspended: bool = False


def find_token(db: Database, token: str, *, now: datetime | None = None) -> TokenMatch | None:
    """The token's user, read only (None for an unknown or revoked token): a server's event
    loop can call it without ever waiting for a write lock."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = now or utc_now()
    with db.engine.connect() as conn:
        row = conn.execute(
            select(
                t.api_tokens.c.id.label("token_id"),
                t.api_tokens.c.last_used_at,
                t.users.c.suspended_at,
                *PRINCIPAL_COLUMNS,
            )
            .join(t.users, t.users.c.id == t.api_tokens.c.user_id)
            .where(t.api_tokens.c.token_hash == hash_token(token))
            .where(t.api_tokens.c.revoked_at.is_(None))
        ).first()
        if row is None:
            return None
        principal = _principal(conn, row.id, row)
    if row.suspended_at is not None:
        return TokenMatch(principal, row.token_id, False, suspended=True)
    stale = row.last_used_at is None or now - row.last_used_at > _LAST_USED_RESOLUTION
    return TokenMatch(principal, row.token_id, stale)


def touch_token(db: Database, token_id: int, *, now: datetime | None = None) -> None:
    """Record when a token was last used (to the minute: at most one write a minute)."""
    with db.begin() as conn:
        conn.execute(
            update(t.api_tokens)
            .where(t.api_tokens.c.id == token_id)
            .values(last_used_at=now or utc_now())
        )


def authenticate_token(
    db: Database, token: str, *, now: datetime | None = None
) -> Principal | None:
    """The token's user, or None for an unknown or revoked token, or a suspended user's; notes
    the use."""
    now = now or utc_now()
    match = find_token(db, token, now=now)
    if match is None or match.suspended:
        return None
    if match.needs_touch:
        touch_token(db, match.token_id, now=now)
    return match.principal


def authenticate_password(db: Database, email: str, password: str) -> Principal | None:
    """The user, when the password is right; None otherwise (never saying which part was wrong).
    The right password of a suspended user is `AccountSuspended` (only who knows the password
    learns that the account is suspended)."""
    from argon2.exceptions import VerificationError

    if text_problem(email) or text_problem(password):
        _password_hasher().hash("")  # the same work either way: no timing hint
        return None
    with db.engine.connect() as conn:
        row = conn.execute(
            select(
                t.users.c.id,
                t.users.c.email,
                t.users.c.password_hash,
                t.users.c.suspended_at,
                t.users.c.suspended_reason,
            ).where(t.users.c.email == email.strip().lower())
        ).first()
        hasher = _password_hasher()
        if row is None or row.password_hash is None:
            hasher.hash(password)  # the same work either way: no timing hint
            return None
        try:
            hasher.verify(row.password_hash, password)
        except VerificationError:
            return None
        if row.suspended_at is not None:
            raise AccountSuspended(row.email, row.suspended_reason)
        return _principal(conn, row.id)
