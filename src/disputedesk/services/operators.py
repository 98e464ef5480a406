"""The operator's console (issue 14, items 4 and 5): every user and store of the marketplace,
the arbitration desk's health, and the policy in force; the API's `/operator/...` and the
desk's `/desk/operator/...` both call these.

- Users: listed and searched (role, email, name, stores, suspended, last token use); created
  (`accounts.create_user`) with a link to set their password; suspended with a reason (no
  sign-in, their API tokens answer 403, their web sessions end at once; an operator suspends
  neither themself nor the last active operator) and unsuspended; a password reset link (one
  use, 24 hours, shown once to the operator; using it ends every session of the user); their
  API tokens revoked (all, or one by its prefix).
- Stores: listed with their staff, open disputes and rates (`services.metrics`); created;
  suspended with a reason (its staff still read; every command they send is refused
  `forbidden`, in `services.permissions.command_denial`; the worker's automatic steps still
  fire) and unsuspended.
- The arbitration desk: cases past the platform's intervention promise (RULES.md section 9),
  each arbitrator's claimed cases and rulings, the time from escalation to ruling.
- The policy in force, parameter by parameter, and what is overridden where.

Every operator action is written where it acts (the rows' `*_by` / `*_at` columns: `audit`
reads them back) and logged (`disputedesk.operators`). Refusals carry a `rule` (`Refusal`) that
the pages turn into words.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, insert, or_, select, update

from disputedesk.rules.instants import format_instant
from disputedesk.rules.metrics import Counts, Period
from disputedesk.rules.policy import PARAMETERS, POLICIES, Policy
from disputedesk.rules.redlines import METRICS, PPM, RedLine, Verdict, judge, lines_in_force
from disputedesk.rules.vocabulary import DisputeStatus
from disputedesk.services import accounts
from disputedesk.services.accounts import Principal, hash_password
from disputedesk.services.claims import CLAIMABLE
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import storable_message, text_problem
from disputedesk.services.metrics import all_store_metrics, store_metrics
from disputedesk.services.orders import FieldError
from disputedesk.services.orders import create_store as _create_store
from disputedesk.services.redlines import red_lines
from disputedesk.services.sessions import end_sessions_in
from disputedesk.store import tables as t
from disputedesk.store.db import Database

log = logging.getLogger("disputedesk.operators")

RESET_LIFETIME = timedelta(hours=24)
RESET_PREFIX = "ddr_"
MAX_TOKEN = 100  # longer than any link token we make: anything longer names no link
MAX_REASON = 2000
METRICS_WINDOW = timedelta(days=30)
HEALTH_WINDOW = timedelta(days=30)
LIST_LIMIT = 200


# Every rule an operator's action may be refused by, with the names of what fills its words
# (the desk's `op.refusal.<rule>`; a test checks the catalog against this).
REFUSAL_RULES: dict[str, tuple[str, ...]] = {
    "reason_missing": (),
    "reason_too_long": ("limit",),
    "self": (),
    "already_suspended": (),
    "not_suspended": (),
    "last_operator": ("email",),
    "no_store": ("store",),
    "no_token": ("prefix",),
    "store_name": (),
    "store_id": (),
    "store_exists": ("store",),
    "metric": (),
    "effective_from": (),
}


class Refusal(ServiceError):
    """An operator action refused, with the rule that refused it (`rule`, one of
    `REFUSAL_RULES`, for the pages' words) and what fills those words (`params`)."""

    def __init__(self, code: str, message: str, rule: str, **params: str) -> None:
        if set(params) != set(REFUSAL_RULES.get(rule, ("?",))):
            raise ValueError(f"refusal rule {rule!r} with {sorted(params)}")
        super().__init__(code, message)
        self.rule = rule
        self.params = params


def require_operator(principal: Principal) -> None:
    if principal.role != "admin":
        raise ServiceError("forbidden", "only operators use the console")


def _reason(reason: str) -> str:
    """A suspension's reason: required, bounded, storable."""
    reason = reason.strip()
    if not reason:
        raise Refusal("invalid_input", "reason: say why", "reason_missing")
    if len(reason) > MAX_REASON:
        raise Refusal(
            "invalid_input",
            f"reason: at most {MAX_REASON} characters",
            "reason_too_long",
            limit=str(MAX_REASON),
        )
    problem = text_problem(reason)
    if problem:
        raise ServiceError("invalid_input", f"reason: {problem}")
    return reason


def _logged(operator: Principal, what: str, subject: str) -> None:
    log.info("operator %s: %s %s", operator.email, what, subject)


# -- users ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserLine:
    """One user as the console lists them."""

    id: int
    email: str
    name: str
    role: str
    buyer_id: str | None
    stores: dict[str, str]  # store id -> owner / agent
    created_at: datetime
    has_password: bool
    suspended_at: datetime | None
    suspended_by: str | None
    suspended_reason: str | None
    last_token_use: datetime | None
    active_tokens: int

    @property
    def suspended(self) -> bool:
        return self.suspended_at is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "role": self.role,
            "buyer_id": self.buyer_id,
            "stores": self.stores,
            "created_at": format_instant(self.created_at),
            "has_password": self.has_password,
            "suspended": self.suspended,
            "suspended_at": format_instant(self.suspended_at),
            "suspended_by": self.suspended_by,
            "suspended_reason": self.suspended_reason,
            "last_token_use": format_instant(self.last_token_use),
            "active_tokens": self.active_tokens,
        }


@dataclass(frozen=True, slots=True)
class TokenLine:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "prefix": self.prefix,
            "created_at": format_instant(self.created_at),
            "last_used_at": format_instant(self.last_used_at),
            "revoked_at": format_instant(self.revoked_at),
        }


@dataclass(frozen=True, slots=True)
class UserDetail:
    """A user's page: the line, their tokens, live sessions, and a reset link still pending."""

    user: UserLine
    tokens: list[TokenLine]
    live_sessions: int
    pending_reset_expires_at: datetime | None
    pending_reset_by: str | None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _users_query(search: str | None, role: str | None, suspended: bool | None) -> Any:
    u = t.users
    query = select(u)
    if search and search.strip():
        needle = f"%{_escape_like(search.strip().lower())}%"
        member = select(t.store_staff.c.user_id).where(
            func.lower(t.store_staff.c.store_id).like(needle, escape="\\")
        )
        query = query.where(
            or_(
                func.lower(u.c.email).like(needle, escape="\\"),
                func.lower(u.c.name).like(needle, escape="\\"),
                func.lower(func.coalesce(u.c.buyer_id, "")).like(needle, escape="\\"),
                u.c.id.in_(member.where(t.store_staff.c.user_id.is_not(None))),
            )
        )
    if role:
        query = query.where(u.c.role == role)
    if suspended is True:
        query = query.where(u.c.suspended_at.is_not(None))
    elif suspended is False:
        query = query.where(u.c.suspended_at.is_(None))
    return query


def _user_lines(conn: Connection, rows: Sequence[Any]) -> list[UserLine]:
    ids = [row.id for row in rows]
    stores: dict[int, dict[str, str]] = {}
    tokens: dict[int, tuple[datetime | None, int]] = {}
    if ids:
        s = t.store_staff
        for row in conn.execute(
            select(s.c.user_id, s.c.store_id, s.c.role)
            .where(s.c.user_id.in_(ids))
            .order_by(s.c.store_id)
        ):
            stores.setdefault(row.user_id, {})[row.store_id] = row.role
        a = t.api_tokens
        active = func.sum(case((a.c.revoked_at.is_(None), 1), else_=0))
        for row in conn.execute(
            select(a.c.user_id, func.max(a.c.last_used_at).label("last"), active.label("active"))
            .where(a.c.user_id.in_(ids))
            .group_by(a.c.user_id)
        ):
            tokens[row.user_id] = (row.last, int(row.active or 0))
    return [
        UserLine(
            row.id,
            row.email,
            row.name,
            row.role,
            row.buyer_id,
            stores.get(row.id, {}),
            row.created_at,
            row.password_hash is not None,
            row.suspended_at,
            row.suspended_by,
            row.suspended_reason,
            *tokens.get(row.id, (None, 0)),
        )
        for row in rows
    ]


def list_users(
    db: Database,
    *,
    search: str | None = None,
    role: str | None = None,
    suspended: bool | None = None,
    limit: int = LIST_LIMIT,
    offset: int = 0,
) -> list[UserLine]:
    """Users by role (operators, arbitrators, sellers, buyers) then email; `search` finds a
    part of the email, name, buyer id or a store's id (without case)."""
    if search and text_problem(search):
        raise ServiceError("invalid_input", f"search: {text_problem(search)}")
    if role is not None and role not in accounts.ROLES:
        raise ServiceError("invalid_input", f"role: {role!r} is not one of {accounts.ROLES}")
    u = t.users
    role_order = case(
        {name: n for n, name in enumerate(("admin", "arbitrator", "seller", "buyer"))},
        value=u.c.role,
        else_=4,
    )
    query = (
        _users_query(search, role, suspended)
        .order_by(role_order, u.c.email)
        .limit(limit)
        .offset(offset)
    )
    with db.engine.connect() as conn:
        return _user_lines(conn, conn.execute(query).all())


def count_users(db: Database) -> dict[str, int]:
    """How many users, and how many are suspended."""
    u = t.users
    with db.engine.connect() as conn:
        total = conn.scalar(select(func.count()).select_from(u)) or 0
        suspended = (
            conn.scalar(select(func.count()).select_from(u).where(u.c.suspended_at.is_not(None)))
            or 0
        )
    return {"total": int(total), "suspended": int(suspended)}


def get_user(db: Database, user_id: int, *, now: datetime | None = None) -> UserDetail:
    now = now or utc_now()
    with db.engine.connect() as conn:
        row = conn.execute(select(t.users).where(t.users.c.id == user_id)).first()
        if row is None:
            raise ServiceError("not_found", f"user {user_id} not found")
        line = _user_lines(conn, [row])[0]
        a = t.api_tokens
        tokens = [
            TokenLine(r.id, r.name, r.prefix, r.created_at, r.last_used_at, r.revoked_at)
            for r in conn.execute(
                select(a).where(a.c.user_id == user_id).order_by(a.c.created_at.desc(), a.c.id)
            )
        ]
        w = t.web_sessions
        live = conn.scalar(
            select(func.count())
            .select_from(w)
            .where(w.c.user_id == user_id)
            .where(w.c.ended_at.is_(None))
            .where(w.c.expires_at > now)
        )
        r = t.password_resets
        pending = conn.execute(
            select(r.c.expires_at, r.c.created_by)
            .where(r.c.user_id == user_id)
            .where(r.c.used_at.is_(None))
            .where(r.c.expires_at > now)
            .order_by(r.c.created_at.desc())
            .limit(1)
        ).first()
    return UserDetail(
        line,
        tokens,
        int(live or 0),
        pending.expires_at if pending else None,
        pending.created_by if pending else None,
    )


@dataclass(frozen=True, slots=True)
class NewReset:
    """A password link, made now: its token is shown once (to the operator) and kept only as
    its SHA-256."""

    token: str
    user_id: int
    email: str
    name: str
    expires_at: datetime

    def path(self) -> str:
        return reset_path(self.token)

    def to_json(self, base_url: str = "") -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "email": self.email,
            "link": base_url.rstrip("/") + self.path(),
            "expires_at": format_instant(self.expires_at),
        }


def reset_path(token: str) -> str:
    return f"/desk/reset/{token}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class NewUser:
    user: UserLine
    reset: NewReset | None  # the link to set a password (None: one was given)


def create_user(
    db: Database,
    operator: Principal,
    *,
    email: str,
    name: str,
    role: str,
    buyer_id: str | None = None,
    store_id: str | None = None,
    store_role: str = "owner",
    password: str | None = None,
    now: datetime | None = None,
) -> NewUser:
    """A new user (`accounts.create_user`'s checks). A seller may join an existing store at
    once; without a password, a link to set one is made (shown once, 24 hours)."""
    require_operator(operator)
    now = now or utc_now()
    store_id = (store_id or "").strip() or None
    if store_id is not None:
        if text_problem(store_id):
            raise ServiceError("invalid_input", f"store_id: {text_problem(store_id)}")
        with db.engine.connect() as conn:
            if conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)) is None:
                raise Refusal(
                    "not_found", f"store {store_id!r} not found", "no_store", store=store_id
                )
    made = accounts.create_user(
        db,
        email=email,
        name=name.strip(),
        role=role,
        buyer_id=(buyer_id or "").strip() or None,
        store_id=store_id,
        store_role=store_role,
        password=password or None,
        now=now,
    )
    _logged(operator, "created user", f"{made.email} ({made.role})")
    reset = None if password else _new_reset(db, operator, made.user_id, now)
    detail = get_user(db, made.user_id, now=now)
    return NewUser(detail.user, reset)


def _lock_user(conn: Connection, user_id: int) -> Any:
    row = conn.execute(select(t.users).where(t.users.c.id == user_id).with_for_update()).first()
    if row is None:
        raise ServiceError("not_found", f"user {user_id} not found")
    return row


def suspend_user(
    db: Database,
    operator: Principal,
    user_id: int,
    *,
    reason: str,
    now: datetime | None = None,
) -> UserLine:
    """Suspend a user: no sign-in, no API token, every web session ended now. Not oneself,
    and never the last active operator."""
    require_operator(operator)
    now = now or utc_now()
    reason = _reason(reason)
    if user_id == operator.user_id:
        raise Refusal("forbidden", "an operator may not suspend themself", "self")
    u = t.users
    with db.begin() as conn:
        row = _lock_user(conn, user_id)
        if row.suspended_at is not None:
            raise Refusal("invalid_state", f"{row.email} is already suspended", "already_suspended")
        if row.role == "admin":
            # every operator's row locked (PostgreSQL), so two suspensions cannot both pass
            active = conn.execute(
                select(u.c.id, u.c.suspended_at).where(u.c.role == "admin").with_for_update()
            ).all()
            others = [r for r in active if r.id != user_id and r.suspended_at is None]
            if not others:
                raise Refusal(
                    "forbidden",
                    f"{row.email} is the last active operator",
                    "last_operator",
                    email=row.email,
                )
        conn.execute(
            update(u)
            .where(u.c.id == user_id)
            .values(suspended_at=now, suspended_by=operator.email, suspended_reason=reason)
        )
        end_sessions_in(conn, user_id, now)
    _logged(operator, "suspended user", f"{row.email}: {reason}")
    return get_user(db, user_id, now=now).user


def unsuspend_user(
    db: Database, operator: Principal, user_id: int, *, now: datetime | None = None
) -> UserLine:
    require_operator(operator)
    now = now or utc_now()
    u = t.users
    with db.begin() as conn:
        row = _lock_user(conn, user_id)
        if row.suspended_at is None:
            raise Refusal("invalid_state", f"{row.email} is not suspended", "not_suspended")
        conn.execute(
            update(u)
            .where(u.c.id == user_id)
            .values(suspended_at=None, suspended_by=None, suspended_reason=None)
        )
    _logged(operator, "unsuspended user", row.email)
    return get_user(db, user_id, now=now).user


def _new_reset(db: Database, operator: Principal, user_id: int, now: datetime) -> NewReset:
    token = RESET_PREFIX + secrets.token_urlsafe(32)
    r = t.password_resets
    with db.begin() as conn:
        user = conn.execute(
            select(t.users.c.email, t.users.c.name).where(t.users.c.id == user_id)
        ).first()
        if user is None:
            raise ServiceError("not_found", f"user {user_id} not found")
        # an older link still pending stops working: the newest is the only one
        conn.execute(
            update(r).where(r.c.user_id == user_id).where(r.c.used_at.is_(None)).values(used_at=now)
        )
        conn.execute(
            insert(r).values(
                user_id=user_id,
                token_hash=_hash(token),
                created_by=operator.email,
                created_at=now,
                expires_at=now + RESET_LIFETIME,
            )
        )
    _logged(operator, "made a password link for", user.email)
    return NewReset(token, user_id, user.email, user.name, now + RESET_LIFETIME)


def reset_password(
    db: Database, operator: Principal, user_id: int, *, now: datetime | None = None
) -> NewReset:
    """A one-use link (24 hours) for the user to set a new password; an older pending link
    stops working. The link is returned once and kept only as its SHA-256."""
    require_operator(operator)
    return _new_reset(db, operator, user_id, now or utc_now())


@dataclass(frozen=True, slots=True)
class ResetLink:
    """A password link that can still be used: whose, until when."""

    user_id: int
    email: str
    name: str
    expires_at: datetime


def find_reset(db: Database, token: str, *, now: datetime | None = None) -> ResetLink:
    """The link's user, while it can be used; `not_found` for an unknown or used link,
    `too_late` for an expired one."""
    now = now or utc_now()
    if not token or len(token) > MAX_TOKEN or text_problem(token):
        raise ServiceError("not_found", "no such password link")
    r, u = t.password_resets, t.users
    with db.engine.connect() as conn:
        row = conn.execute(
            select(r.c.user_id, r.c.expires_at, r.c.used_at, u.c.email, u.c.name)
            .join(u, u.c.id == r.c.user_id)
            .where(r.c.token_hash == _hash(token))
        ).first()
    if row is None or row.used_at is not None:
        raise ServiceError("not_found", "no such password link (it may have been used)")
    if now >= row.expires_at:
        raise ServiceError("too_late", "the password link expired; ask an operator for another")
    return ResetLink(row.user_id, row.email, row.name, row.expires_at)


def use_reset(db: Database, token: str, password: str, *, now: datetime | None = None) -> ResetLink:
    """Set the user's new password through the link (the sign-up rules: at least 8
    characters), once; every web session of the user ends."""
    now = now or utc_now()
    link = find_reset(db, token, now=now)
    if text_problem(password):
        raise ServiceError("invalid_input", f"password: {text_problem(password)}")
    hashed = hash_password(password)  # `invalid_input` when too short
    r = t.password_resets
    with db.begin() as conn:
        taken = conn.execute(
            update(r)
            .where(r.c.token_hash == _hash(token))
            .where(r.c.used_at.is_(None))
            .where(r.c.expires_at > now)
            .values(used_at=now)
        ).rowcount
        if not taken:  # used (or expired) since it was read: a second send of the form
            raise ServiceError("not_found", "no such password link (it may have been used)")
        conn.execute(
            update(t.users).where(t.users.c.id == link.user_id).values(password_hash=hashed)
        )
        end_sessions_in(conn, link.user_id, now)
    log.info("password set through a link for %s", link.email)
    return link


def revoke_tokens(
    db: Database,
    operator: Principal,
    user_id: int,
    *,
    prefix: str | None = None,
    now: datetime | None = None,
) -> int:
    """Revoke the user's API tokens: every active one, or the one with `prefix`; how many."""
    require_operator(operator)
    now = now or utc_now()
    a = t.api_tokens
    prefix = (prefix or "").strip() or None
    if prefix is not None and (len(prefix) > 16 or text_problem(prefix)):
        raise ServiceError("not_found", f"no active token {prefix!r} of user {user_id}")
    with db.begin() as conn:
        email = conn.scalar(select(t.users.c.email).where(t.users.c.id == user_id))
        if email is None:
            raise ServiceError("not_found", f"user {user_id} not found")
        query = update(a).where(a.c.user_id == user_id).where(a.c.revoked_at.is_(None))
        if prefix is not None:
            query = query.where(a.c.prefix == prefix)
        count = conn.execute(query.values(revoked_at=now)).rowcount
    if prefix is not None and not count:
        raise Refusal(
            "not_found",
            f"no active token {prefix!r} of user {user_id}",
            "no_token",
            prefix=prefix,
        )
    _logged(operator, f"revoked {count} token(s) of", email + (f" ({prefix})" if prefix else ""))
    return count


# -- stores -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreLine:
    """One store as the console lists it: its staff, open disputes, rates over the period
    and the red-line verdicts that are not ok."""

    id: str
    name: str
    created_at: datetime
    staff: int
    open_disputes: int
    in_arbitration: int
    suspended_at: datetime | None
    suspended_by: str | None
    suspended_reason: str | None
    counts: Counts
    verdicts: list[Verdict] = field(default_factory=list)  # near or over a line

    @property
    def suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def level(self) -> str:
        """The worst of its verdicts: over, near or ok."""
        levels = {v.level for v in self.verdicts}
        return "over" if "over" in levels else "near" if "near" in levels else "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "created_at": format_instant(self.created_at),
            "staff": self.staff,
            "open_disputes": self.open_disputes,
            "in_arbitration": self.in_arbitration,
            "suspended": self.suspended,
            "suspended_at": format_instant(self.suspended_at),
            "suspended_by": self.suspended_by,
            "suspended_reason": self.suspended_reason,
            **self.counts.to_json(),
            "level": self.level,
            "red_lines": [verdict_json(v) for v in self.verdicts],
        }


def verdict_json(v: Verdict) -> dict[str, Any]:
    return {
        "category": v.category,
        "metric": v.metric,
        "figure": float(v.figure),
        "line": float(v.line.threshold),
        "level": v.level,
    }


def metrics_period(now: datetime) -> Period:
    """The console's assessment period: the rolling 30 days up to now."""
    return Period(now - METRICS_WINDOW, now)


def lines_now(db: Database, now: datetime) -> dict[tuple[str | None, str], RedLine]:
    with db.engine.connect() as conn:
        return lines_in_force(red_lines(conn), now)


def list_stores(
    db: Database,
    *,
    now: datetime | None = None,
    search: str | None = None,
    suspended: bool | None = None,
    only: str | None = None,
) -> list[StoreLine]:
    """Every store (or those whose id or name holds `search`; or the one store `only`), the
    worst first (over a red line, near one, suspended), then by id."""
    now = now or utc_now()
    if search and text_problem(search):
        raise ServiceError("invalid_input", f"search: {text_problem(search)}")
    period = metrics_period(now)
    if only is not None:
        figures = {only: store_metrics(db, only, period)}
    else:
        figures = all_store_metrics(db, period)
    lines = lines_now(db, now)
    s, st, o, d = t.stores, t.store_staff, t.orders, t.disputes
    query = select(s).order_by(s.c.id)
    if only is not None:
        query = query.where(s.c.id == only)
    if search and search.strip():
        needle = f"%{_escape_like(search.strip().lower())}%"
        query = query.where(
            or_(
                func.lower(s.c.id).like(needle, escape="\\"),
                func.lower(s.c.name).like(needle, escape="\\"),
            )
        )
    if suspended is True:
        query = query.where(s.c.suspended_at.is_not(None))
    elif suspended is False:
        query = query.where(s.c.suspended_at.is_(None))
    with db.engine.connect() as conn:
        rows = conn.execute(query).all()
        staff = dict(
            conn.execute(select(st.c.store_id, func.count()).group_by(st.c.store_id)).all()
        )
        open_ = dict(
            conn.execute(
                select(o.c.store_id, func.count())
                .select_from(d.join(o, o.c.id == d.c.order_id))
                .where(d.c.status != DisputeStatus.CLOSED.value)
                .group_by(o.c.store_id)
            ).all()
        )
        arbitration = dict(
            conn.execute(
                select(o.c.store_id, func.count())
                .select_from(d.join(o, o.c.id == d.c.order_id))
                .where(d.c.status.in_([str(x) for x in CLAIMABLE]))
                .group_by(o.c.store_id)
            ).all()
        )
    stores = []
    for row in rows:
        metrics = figures.get(row.id)
        verdicts = [v for v in judge(metrics, lines) if v.level != "ok"] if metrics else []
        stores.append(
            StoreLine(
                row.id,
                row.name,
                row.created_at,
                int(staff.get(row.id, 0)),
                int(open_.get(row.id, 0)),
                int(arbitration.get(row.id, 0)),
                row.suspended_at,
                row.suspended_by,
                row.suspended_reason,
                metrics.total if metrics else Counts(),
                verdicts,
            )
        )
    rank = {"over": 0, "near": 1, "ok": 2}
    stores.sort(key=lambda x: (rank[x.level], not x.suspended, x.id))
    return stores


def get_store(db: Database, store_id: str, *, now: datetime | None = None) -> StoreLine:
    found = list_stores(db, now=now, only=store_id)
    if not found:
        raise ServiceError("not_found", f"store {store_id!r} not found")
    return found[0]


def create_store(
    db: Database,
    operator: Principal,
    *,
    store_id: str,
    name: str,
    now: datetime | None = None,
) -> None:
    """A new store, without staff yet (its owner joins by an invitation or is created as its
    seller)."""
    require_operator(operator)
    name = name.strip()
    if not name or len(name) > 200:
        raise Refusal("invalid_input", "name: 1 to 200 characters", "store_name")
    problem = storable_message({"id": store_id, "name": name})
    if problem:
        raise ServiceError("invalid_input", problem)
    try:
        _create_store(db, store_id.strip(), name, now=now or utc_now())
    except FieldError as exc:
        raise Refusal("invalid_input", str(exc), "store_id") from None
    except ServiceError as exc:
        if exc.code == "conflict":
            raise Refusal(exc.code, exc.message, "store_exists", store=store_id) from None
        raise
    _logged(operator, "created store", store_id)


def _lock_store(conn: Connection, store_id: str) -> Any:
    row = conn.execute(select(t.stores).where(t.stores.c.id == store_id).with_for_update()).first()
    if row is None:
        raise ServiceError("not_found", f"store {store_id!r} not found")
    return row


def suspend_store(
    db: Database,
    operator: Principal,
    store_id: str,
    *,
    reason: str,
    now: datetime | None = None,
) -> None:
    """Suspend a store: its staff still read, every command they send is refused with the
    reason (`permissions.command_denial`); the rules' automatic steps still fire."""
    require_operator(operator)
    reason = _reason(reason)
    s = t.stores
    with db.begin() as conn:
        row = _lock_store(conn, store_id)
        if row.suspended_at is not None:
            raise Refusal(
                "invalid_state", f"store {store_id} is already suspended", "already_suspended"
            )
        conn.execute(
            update(s)
            .where(s.c.id == store_id)
            .values(
                suspended_at=now or utc_now(), suspended_by=operator.email, suspended_reason=reason
            )
        )
    _logged(operator, "suspended store", f"{store_id}: {reason}")


def unsuspend_store(
    db: Database, operator: Principal, store_id: str, *, now: datetime | None = None
) -> None:
    require_operator(operator)
    s = t.stores
    with db.begin() as conn:
        row = _lock_store(conn, store_id)
        if row.suspended_at is None:
            raise Refusal("invalid_state", f"store {store_id} is not suspended", "not_suspended")
        conn.execute(
            update(s)
            .where(s.c.id == store_id)
            .values(suspended_at=None, suspended_by=None, suspended_reason=None)
        )
    _logged(operator, "unsuspended store", store_id)


def store_names(db: Database, store_ids: Iterable[str]) -> dict[str, str]:
    ids = list(set(store_ids))
    if not ids:
        return {}
    with db.engine.connect() as conn:
        return dict(
            conn.execute(select(t.stores.c.id, t.stores.c.name).where(t.stores.c.id.in_(ids))).all()
        )


# -- the arbitration desk's health --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LateCase:
    """An escalated case nobody intervened on by the platform's promised instant."""

    order_id: str
    seq: int
    store_id: str
    reason: str
    escalated_at: datetime
    due_at: datetime
    late_by: timedelta
    holder: str | None  # the arbitrator who claimed it, if anyone

    @property
    def dispute(self) -> str:
        return f"{self.order_id}-D{self.seq}"

    def to_json(self) -> dict[str, Any]:
        return {
            "dispute": self.dispute,
            "store_id": self.store_id,
            "reason": self.reason,
            "escalated_at": format_instant(self.escalated_at),
            "intervention_due_at": format_instant(self.due_at),
            "late_seconds": int(self.late_by.total_seconds()),
            "claimed_by": self.holder,
        }


@dataclass(frozen=True, slots=True)
class ArbitratorLoad:
    user_id: int
    name: str
    email: str
    suspended: bool
    claimed_now: int
    rulings: int  # in the window

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "name": self.name,
            "email": self.email,
            "suspended": self.suspended,
            "claimed_now": self.claimed_now,
            "rulings": self.rulings,
        }


@dataclass(frozen=True, slots=True)
class RulingTimes:
    """From escalation to ruling: how many rulings, the median and the 90th percentile
    (nearest rank)."""

    count: int
    p50: timedelta | None
    p90: timedelta | None

    def to_json(self) -> dict[str, Any]:
        def seconds(value: timedelta | None) -> int | None:
            return None if value is None else int(value.total_seconds())

        return {
            "count": self.count,
            "p50_seconds": seconds(self.p50),
            "p90_seconds": seconds(self.p90),
        }


def percentile(values: Sequence[timedelta], share: float) -> timedelta | None:
    """The nearest-rank percentile (`share` from 0 to 1) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def ruling_times(values: Sequence[timedelta]) -> RulingTimes:
    return RulingTimes(len(values), percentile(values, 0.5), percentile(values, 0.9))


@dataclass(frozen=True, slots=True)
class ArbitrationHealth:
    now: datetime
    since: datetime
    late: list[LateCase]
    arbitrators: list[ArbitratorLoad]
    by_arbitrators: RulingTimes  # rulings by an arbitrator (`rule`)
    automatic: RulingTimes  # `auto_ruled`: the seller's last evidence period ran out
    everything: RulingTimes
    escalated: int  # awaiting the platform's intervention
    unclaimed_escalated: int
    in_arbitration: int  # escalated, awaiting the seller's evidence, or under review
    unattributed_rulings: int  # by an arbitrator the log does not name

    def to_json(self) -> dict[str, Any]:
        return {
            "now": format_instant(self.now),
            "since": format_instant(self.since),
            "past_intervention_promise": [c.to_json() for c in self.late],
            "arbitrators": [a.to_json() for a in self.arbitrators],
            "time_to_ruling": {
                "by_arbitrators": self.by_arbitrators.to_json(),
                "automatic": self.automatic.to_json(),
                "all": self.everything.to_json(),
            },
            "escalated": self.escalated,
            "unclaimed_escalated": self.unclaimed_escalated,
            "in_arbitration": self.in_arbitration,
            "unattributed_rulings": self.unattributed_rulings,
        }


RULING_ACTIONS = ("rule", "auto_ruled")


def arbitration_health(
    db: Database, *, now: datetime | None = None, window: timedelta = HEALTH_WINDOW
) -> ArbitrationHealth:
    """The arbitration desk as it stands at `now`: cases past the intervention promise (how
    late, who holds them), each arbitrator's claimed cases and rulings over the window, and
    the time from escalation to ruling over the window."""
    now = now or utc_now()
    since = now - window
    d, o, c, u, e = t.disputes, t.orders, t.case_claims, t.users, t.events
    claimable = [str(x) for x in CLAIMABLE]
    with db.engine.connect() as conn:
        late_rows = conn.execute(
            select(
                d.c.order_id,
                d.c.seq,
                d.c.reason,
                d.c.escalated_at,
                d.c.intervention_due_at,
                o.c.store_id,
                u.c.name.label("holder"),
            )
            .select_from(
                d.join(o, o.c.id == d.c.order_id)
                .outerjoin(c, and_(c.c.order_id == d.c.order_id, c.c.dispute_seq == d.c.seq))
                .outerjoin(u, u.c.id == c.c.user_id)
            )
            .where(d.c.status == DisputeStatus.ESCALATED.value)
            .where(d.c.intervention_due_at < now)
            .order_by(d.c.intervention_due_at, d.c.order_id, d.c.seq)
        ).all()
        counts = conn.execute(
            select(
                func.sum(case((d.c.status.in_(claimable), 1), else_=0)),
                func.sum(case((d.c.status == DisputeStatus.ESCALATED.value, 1), else_=0)),
                func.sum(
                    case(
                        (
                            and_(
                                d.c.status == DisputeStatus.ESCALATED.value,
                                c.c.user_id.is_(None),
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ),
            ).select_from(
                d.outerjoin(c, and_(c.c.order_id == d.c.order_id, c.c.dispute_seq == d.c.seq))
            )
        ).one()
        claimed = dict(
            conn.execute(
                select(c.c.user_id, func.count())
                .select_from(
                    c.join(d, and_(d.c.order_id == c.c.order_id, d.c.seq == c.c.dispute_seq))
                )
                .where(d.c.status.in_(claimable))
                .group_by(c.c.user_id)
            ).all()
        )
        people = conn.execute(
            select(u.c.id, u.c.name, u.c.email, u.c.suspended_at)
            .where(or_(u.c.role == "arbitrator", u.c.id.in_(list(claimed) or [-1])))
            .order_by(u.c.name, u.c.id)
        ).all()
        rulings = conn.execute(
            select(e.c.order_id, e.c.at, e.c.action, e.c.performed_by)
            .where(e.c.action.in_(RULING_ACTIONS))
            .where(e.c.at >= since)
            .where(e.c.at <= now)
        ).all()
        escalations = _escalations(conn, {r.order_id for r in rulings})
    by_email: dict[str, int] = {}
    unattributed = 0
    emails = {p.email for p in people}
    durations: dict[str, list[timedelta]] = {"rule": [], "auto_ruled": []}
    for ruling in rulings:
        if ruling.action == "rule":
            if ruling.performed_by in emails:
                by_email[ruling.performed_by] = by_email.get(ruling.performed_by, 0) + 1
            else:
                unattributed += 1
        escalated = _escalated_before(escalations.get(ruling.order_id, []), ruling.at)
        if escalated is not None and escalated <= ruling.at:
            durations[ruling.action].append(ruling.at - escalated)
    late = [
        LateCase(
            r.order_id,
            r.seq,
            r.store_id,
            r.reason,
            r.escalated_at,
            r.intervention_due_at,
            now - r.intervention_due_at,
            r.holder,
        )
        for r in late_rows
    ]
    arbitrators = [
        ArbitratorLoad(
            p.id,
            p.name,
            p.email,
            p.suspended_at is not None,
            int(claimed.get(p.id, 0)),
            by_email.get(p.email, 0),
        )
        for p in people
    ]
    return ArbitrationHealth(
        now,
        since,
        late,
        arbitrators,
        ruling_times(durations["rule"]),
        ruling_times(durations["auto_ruled"]),
        ruling_times(durations["rule"] + durations["auto_ruled"]),
        int(counts[1] or 0),
        int(counts[2] or 0),
        int(counts[0] or 0),
        unattributed,
    )


def _escalations(
    conn: Connection, order_ids: set[str]
) -> dict[str, list[tuple[datetime, datetime | None]]]:
    """Each order's disputes as (opened, escalated), oldest first."""
    found: dict[str, list[tuple[datetime, datetime | None]]] = {}
    ids = sorted(order_ids)
    d = t.disputes
    for start in range(0, len(ids), 500):
        for row in conn.execute(
            select(d.c.order_id, d.c.opened_at, d.c.escalated_at)
            .where(d.c.order_id.in_(ids[start : start + 500]))
            .order_by(d.c.order_id, d.c.seq)
        ):
            found.setdefault(row.order_id, []).append((row.opened_at, row.escalated_at))
    return found


def _escalated_before(
    disputes: list[tuple[datetime, datetime | None]], at: datetime
) -> datetime | None:
    """When the dispute a ruling at `at` ruled was escalated: the order's latest dispute
    opened by then (an order has one open dispute at a time)."""
    escalated = None
    for opened_at, escalated_at in disputes:
        if opened_at <= at:
            escalated = escalated_at
    return escalated


# -- the policy in force ----------------------------------------------------------------------

# Each parameter's RULES.md section and unit (for the words: "5 days", "2 working days", ...).
PARAMETER_SECTIONS: dict[str, int] = {
    "platform_calendar": 1,
    "max_delivery_extension_days": 3,
    "dispute_open_after_shipment_days": 5,
    "dispute_window_after_completion_days": 5,
    "resend_ship_days": 6,
    "seller_response_days": 7,
    "buyer_escalation_after_days": 7,
    "auto_escalation_after_days": 7,
    "return_shipment_days": 8,
    "return_receipt_days": 8,
    "platform_intervention_working_days": 9,
    "evidence_period_days": 9,
    "evidence_periods": 9,
}
PARAMETER_UNITS: dict[str, str] = {
    "platform_calendar": "calendar",
    "platform_intervention_working_days": "working_days",
    "evidence_periods": "count",
}


@dataclass(frozen=True, slots=True)
class PolicyParameter:
    name: str
    section: int
    unit: str  # days / working_days / count / calendar
    value: int | str
    default: int | str  # the aliexpress policy's

    @property
    def changed(self) -> bool:
        return self.value != self.default


@dataclass(frozen=True, slots=True)
class PolicyInForce:
    """A policy the stored orders follow, with every parameter, and where it applies."""

    name: str
    parameters: list[PolicyParameter]
    orders: int
    destinations: dict[str, int]  # country -> orders
    categories: dict[str, int]  # category -> orders


@dataclass(frozen=True, slots=True)
class PolicyView:
    policies: list[PolicyInForce]
    # what the stored orders override per category or destination: the rules core takes one
    # whole policy per order, so there is nothing to list unless that changes
    overrides: list[dict[str, Any]]
    red_line_categories: list[str]  # categories with red lines of their own

    def to_json(self) -> dict[str, Any]:
        return {
            "policies": [
                {
                    "name": p.name,
                    "orders": p.orders,
                    "parameters": {
                        x.name: {"value": x.value, "section": x.section, "unit": x.unit}
                        for x in p.parameters
                    },
                    "destinations": p.destinations,
                    "categories": p.categories,
                }
                for p in self.policies
            ],
            "overrides": self.overrides,
            "red_line_categories": self.red_line_categories,
        }


def parameters_of(policy: Policy) -> list[PolicyParameter]:
    default = POLICIES["aliexpress"]
    return [
        PolicyParameter(
            name,
            PARAMETER_SECTIONS.get(name, 0),
            PARAMETER_UNITS.get(name, "days"),
            getattr(policy, name),
            getattr(default, name),
        )
        for name in PARAMETERS
    ]


def policy_in_force(db: Database) -> PolicyView:
    """The policies the orders follow (each known policy, and any name an order holds), every
    parameter with its value, the destinations and categories under each; overrides per
    category or destination (none: an order follows one whole policy); and the categories
    with red lines of their own (the one thing set per category)."""
    o = t.orders
    with db.engine.connect() as conn:
        per_policy = dict(conn.execute(select(o.c.policy, func.count()).group_by(o.c.policy)).all())
        places = conn.execute(
            select(o.c.policy, o.c.destination_country, func.count()).group_by(
                o.c.policy, o.c.destination_country
            )
        ).all()
        kinds = conn.execute(
            select(o.c.policy, o.c.category, func.count()).group_by(o.c.policy, o.c.category)
        ).all()
        categories = sorted(
            {
                row.category
                for row in conn.execute(
                    select(t.red_lines.c.category).where(t.red_lines.c.category.is_not(None))
                )
            }
        )
    policies = []
    for name in sorted(set(POLICIES) | set(per_policy)):
        policy = POLICIES.get(name)
        policies.append(
            PolicyInForce(
                name,
                parameters_of(policy) if policy is not None else [],
                int(per_policy.get(name, 0)),
                {
                    (p[1] or "?"): int(p[2])
                    for p in sorted(places, key=lambda p: (-p[2], p[1] or ""))
                    if p[0] == name
                },
                {
                    (k[1] or "?"): int(k[2])
                    for k in sorted(kinds, key=lambda k: (-k[2], k[1] or ""))
                    if k[0] == name
                },
            )
        )
    return PolicyView(policies, [], categories)


# -- red lines and penalties ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineRow:
    """A red line as set (rows are never edited): in force now, scheduled, or replaced."""

    id: int
    category: str | None
    metric: str
    threshold_ppm: int
    effective_from: datetime
    created_at: datetime
    created_by: str | None
    note: str | None
    state: str  # in_force / scheduled / replaced

    @property
    def percent(self) -> str:
        return format_percent(self.threshold_ppm)


def format_percent(value_ppm: int) -> str:
    """Parts per million as a percentage with at most 4 decimals: 15,000 -> "1.5"."""
    whole, rest = divmod(value_ppm, PPM // 100)
    if not rest:
        return str(whole)
    return f"{whole}.{rest:04d}".rstrip("0")


def line_rows(db: Database, now: datetime) -> list[LineRow]:
    """Every line set, the latest first, each marked in force, scheduled or replaced."""
    r = t.red_lines
    with db.engine.connect() as conn:
        rows = conn.execute(select(r).order_by(r.c.effective_from, r.c.id)).all()
    current: dict[tuple[str | None, str], int] = {}
    for row in rows:
        if row.effective_from <= now:
            current[(row.category, row.metric)] = row.id
    result = []
    for row in rows:
        if row.effective_from > now:
            state = "scheduled"
        elif current.get((row.category, row.metric)) == row.id:
            state = "in_force"
        else:
            state = "replaced"
        result.append(
            LineRow(
                row.id,
                row.category,
                row.metric,
                row.threshold_ppm,
                row.effective_from,
                row.created_at,
                row.created_by,
                row.note,
                state,
            )
        )
    result.reverse()
    return result


@dataclass(frozen=True, slots=True)
class PenaltyLine:
    id: int
    store_id: str
    kind: str  # red_line / counterfeit
    category: str | None
    metric: str | None
    figure_ppm: int | None
    threshold_ppm: int | None
    period_from: datetime | None
    period_to: datetime | None
    behind: list[str]  # the disputes (ORDER-Dn) or orders behind it
    created_at: datetime


def penalty_lines(db: Database, *, limit: int = LIST_LIMIT) -> list[PenaltyLine]:
    p = t.penalties
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(p).order_by(p.c.created_at.desc(), p.c.id.desc()).limit(limit)
        ).all()
    lines = []
    for row in rows:
        data = row.data if isinstance(row.data, dict) else {}
        behind = [x for x in data.get("disputes", []) if isinstance(x, str)]
        if row.order_id and row.dispute_seq:
            behind = [f"{row.order_id}-D{row.dispute_seq}"]
        lines.append(
            PenaltyLine(
                row.id,
                row.store_id,
                row.kind,
                row.category,
                row.metric,
                row.figure_ppm,
                row.threshold_ppm,
                row.period_from,
                row.period_to,
                behind,
                row.created_at,
            )
        )
    return lines


def metric_names() -> tuple[str, ...]:
    return METRICS


# -- the audit trail --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One operator action, as the rows it changed remember it: when, by whom (None: not
    recorded), what (`user_suspended`, `store_suspended`, `password_link`, `report_upheld`,
    `report_rejected`, `red_line_set`, `token_revoked`), on what, and its words (a reason, a
    note)."""

    at: datetime
    by: str | None
    what: str
    subject: str
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "at": format_instant(self.at),
            "by": self.by,
            "what": self.what,
            "subject": self.subject,
            "detail": self.detail,
        }


def audit(db: Database, *, limit: int = 50) -> list[AuditEntry]:
    """The latest operator actions, newest first, read back from what they wrote: suspensions
    in force, password links, report decisions, red lines, revoked tokens. (A lifted
    suspension leaves its trace in the log only: the row no longer holds it.)"""
    u, s, r, m, lines, a = (
        t.users,
        t.stores,
        t.password_resets,
        t.malicious_reports,
        t.red_lines,
        t.api_tokens,
    )
    entries: list[AuditEntry] = []
    with db.engine.connect() as conn:
        for row in conn.execute(
            select(u.c.email, u.c.suspended_at, u.c.suspended_by, u.c.suspended_reason)
            .where(u.c.suspended_at.is_not(None))
            .order_by(u.c.suspended_at.desc())
            .limit(limit)
        ):
            entries.append(
                AuditEntry(
                    row.suspended_at,
                    row.suspended_by,
                    "user_suspended",
                    row.email,
                    row.suspended_reason,
                )
            )
        for row in conn.execute(
            select(s.c.id, s.c.suspended_at, s.c.suspended_by, s.c.suspended_reason)
            .where(s.c.suspended_at.is_not(None))
            .order_by(s.c.suspended_at.desc())
            .limit(limit)
        ):
            entries.append(
                AuditEntry(
                    row.suspended_at,
                    row.suspended_by,
                    "store_suspended",
                    row.id,
                    row.suspended_reason,
                )
            )
        for row in conn.execute(
            select(r.c.created_at, r.c.created_by, u.c.email)
            .join(u, u.c.id == r.c.user_id)
            .order_by(r.c.created_at.desc())
            .limit(limit)
        ):
            entries.append(AuditEntry(row.created_at, row.created_by, "password_link", row.email))
        for row in conn.execute(
            select(m.c.order_id, m.c.dispute_seq, m.c.status, m.c.decided_at, m.c.decided_by)
            .where(m.c.decided_at.is_not(None))
            .order_by(m.c.decided_at.desc())
            .limit(limit)
        ):
            entries.append(
                AuditEntry(
                    row.decided_at,
                    row.decided_by,
                    f"report_{row.status}",
                    f"{row.order_id}-D{row.dispute_seq}",
                )
            )
        for row in conn.execute(select(lines).order_by(lines.c.created_at.desc()).limit(limit)):
            entries.append(
                AuditEntry(
                    row.created_at,
                    row.created_by,
                    "red_line_set",
                    row.metric,
                    f"{format_percent(row.threshold_ppm)}%"
                    + (f" · {row.category}" if row.category else ""),
                )
            )
        for row in conn.execute(
            select(a.c.revoked_at, a.c.prefix, u.c.email)
            .join(u, u.c.id == a.c.user_id)
            .where(a.c.revoked_at.is_not(None))
            .order_by(a.c.revoked_at.desc())
            .limit(limit)
        ):
            entries.append(AuditEntry(row.revoked_at, None, "token_revoked", row.email, row.prefix))
    entries.sort(key=lambda x: x.at, reverse=True)
    return entries[:limit]
