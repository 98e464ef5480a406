"""A store's staff: owners invite agents, choose what each may do, change it, remove them.

An invitation is a random token (256 bits) shown once, in a link, and stored only as its
SHA-256. It names the email that may accept it, the role and the permissions; it is accepted
once, before it expires (`INVITATION_DAYS`), by a seller account with that email (signing in,
or creating the account from the link). A newer invitation for the same email replaces an
older one still pending. Owners may do everything; a store always keeps one owner.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from disputedesk.rules.instants import format_instant
from disputedesk.services.accounts import (
    Principal,
    _check_email,
    _principal,
    create_user,
    join_store,
)
from disputedesk.services.commands import ServiceError, utc_now
from disputedesk.services.inputs import text_problem
from disputedesk.services.permissions import EVERYTHING, Permissions
from disputedesk.store import tables as t
from disputedesk.store.db import Database

INVITATION_DAYS = 7
INVITATION_PREFIX = "ddi_"
STAFF_ROLES = ("owner", "agent")
MAX_TOKEN = 100  # longer than any token we make: anything longer names no invitation


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: int
    store_id: str
    name: str
    email: str
    role: str
    permissions: Permissions
    user_id: int | None
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "store_id": self.store_id,
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "permissions": self.permissions.to_json(),
            "created_at": format_instant(self.created_at),
        }


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    store_id: str
    store_name: str
    email: str
    role: str
    permissions: Permissions
    invited_by: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def to_json(self, now: datetime) -> dict[str, Any]:
        return {
            "id": self.id,
            "store_id": self.store_id,
            "email": self.email,
            "role": self.role,
            "permissions": self.permissions.to_json(),
            "invited_by": self.invited_by,
            "created_at": format_instant(self.created_at),
            "expires_at": format_instant(self.expires_at),
            "expired": self.expired(now),
        }


@dataclass(frozen=True, slots=True)
class NewInvitation:
    invitation: Invitation
    token: str  # shown once

    def path(self) -> str:
        return invitation_path(self.token)


def invitation_path(token: str) -> str:
    return f"/desk/invitations/{token}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _stored_permissions(role: str, permissions: Permissions | None) -> dict[str, Any] | None:
    """What a row keeps: nothing for an owner or for an agent who may do everything."""
    if role == "owner" or permissions is None or permissions.everything:
        return None
    return permissions.to_json()


def _member(row: Any) -> StaffMember:
    granted = EVERYTHING if row.role == "owner" else Permissions.from_json(row.permissions)
    return StaffMember(
        row.id, row.store_id, row.name, row.email, row.role, granted, row.user_id, row.created_at
    )


def _invitation(row: Any) -> Invitation:
    return Invitation(
        row.id,
        row.store_id,
        row.store_name,
        row.email,
        row.role,
        EVERYTHING if row.role == "owner" else Permissions.from_json(row.permissions),
        row.invited_by,
        row.created_at,
        row.expires_at,
        row.accepted_at,
    )


def _require_store(conn: Connection, store_id: str) -> None:
    if conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)) is None:
        raise ServiceError("not_found", f"store {store_id!r} not found")


def _check_role(role: str) -> None:
    if role not in STAFF_ROLES:
        raise ServiceError("invalid_input", f"role: {role!r} is not owner or agent")


# -- the staff list -----------------------------------------------------------------------------


def list_staff(db: Database, store_id: str) -> list[StaffMember]:
    """The store's staff, owners first, then in the order they joined."""
    with db.engine.connect() as conn:
        _require_store(conn, store_id)
        rows = conn.execute(
            select(t.store_staff)
            .where(t.store_staff.c.store_id == store_id)
            .order_by((t.store_staff.c.role == "owner").desc(), t.store_staff.c.id)
        ).all()
    return [_member(r) for r in rows]


def _member_row(conn: Connection, store_id: str, staff_id: int) -> Any:
    row = conn.execute(
        select(t.store_staff)
        .where(t.store_staff.c.id == staff_id)
        .where(t.store_staff.c.store_id == store_id)
    ).first()
    if row is None:
        raise ServiceError("not_found", f"staff member {staff_id} of store {store_id!r} not found")
    return row


def _owners(conn: Connection, store_id: str) -> int:
    return conn.scalar(
        select(func.count())
        .select_from(t.store_staff)
        .where(t.store_staff.c.store_id == store_id)
        .where(t.store_staff.c.role == "owner")
    )


def change_staff(
    db: Database,
    store_id: str,
    staff_id: int,
    *,
    role: str | None = None,
    permissions: Permissions | None = None,
) -> StaffMember:
    """Change a staff member's role and/or an agent's permissions. An owner may do everything
    (permissions for an owner are `invalid_input`); the store's last owner stays one."""
    if role is not None:
        _check_role(role)
    with db.begin() as conn:
        row = _member_row(conn, store_id, staff_id)
        new_role = role or row.role
        if new_role == "owner" and permissions is not None and not permissions.everything:
            raise ServiceError(
                "invalid_input", "permissions: an owner may do everything; make them an agent first"
            )
        if row.role == "owner" and new_role != "owner" and _owners(conn, store_id) <= 1:
            raise ServiceError("conflict", f"{row.email} is the last owner of store {store_id!r}")
        if permissions is None:
            # a new agent may do everything until told otherwise; an agent keeps theirs
            kept = row.permissions if row.role == "agent" else None
            stored = None if new_role == "owner" else kept
        else:
            stored = _stored_permissions(new_role, permissions)
        conn.execute(
            update(t.store_staff)
            .where(t.store_staff.c.id == staff_id)
            .values(role=new_role, permissions=stored)
        )
        return _member(_member_row(conn, store_id, staff_id))


def remove_staff(db: Database, store_id: str, staff_id: int) -> StaffMember:
    """Take a staff member off the store (they keep their account, not the store's orders);
    never its last owner."""
    with db.begin() as conn:
        row = _member_row(conn, store_id, staff_id)
        if row.role == "owner" and _owners(conn, store_id) <= 1:
            raise ServiceError("conflict", f"{row.email} is the last owner of store {store_id!r}")
        conn.execute(delete(t.store_staff).where(t.store_staff.c.id == staff_id))
    return _member(row)


# -- invitations ------------------------------------------------------------------------------


def _invitations_query() -> Any:
    i, s = t.staff_invitations, t.stores
    return select(i, s.c.name.label("store_name")).join(s, s.c.id == i.c.store_id)


def invite(
    db: Database,
    store_id: str,
    *,
    email: str,
    invited_by: str,
    role: str = "agent",
    permissions: Permissions | None = None,
    now: datetime | None = None,
) -> NewInvitation:
    """A new invitation (its token returned once). Someone already on the staff is `conflict`;
    an earlier pending invitation for the same email is replaced."""
    now = now or utc_now()
    email = _check_email(email)
    _check_role(role)
    if role == "owner" and permissions is not None and not permissions.everything:
        raise ServiceError("invalid_input", "permissions: an owner may do everything")
    token = INVITATION_PREFIX + secrets.token_urlsafe(32)
    i = t.staff_invitations
    try:
        with db.begin() as conn:
            _require_store(conn, store_id)
            staff = conn.scalar(
                select(t.store_staff.c.id)
                .where(t.store_staff.c.store_id == store_id)
                .where(t.store_staff.c.email == email)
            )
            if staff is not None:
                raise ServiceError("conflict", f"{email} is already staff of store {store_id!r}")
            conn.execute(
                delete(i)
                .where(i.c.store_id == store_id)
                .where(i.c.email == email)
                .where(i.c.accepted_at.is_(None))
            )
            new_id = conn.execute(
                insert(i)
                .values(
                    store_id=store_id,
                    email=email,
                    role=role,
                    permissions=_stored_permissions(role, permissions),
                    token_sha256=_hash(token),
                    invited_by=invited_by,
                    created_at=now,
                    expires_at=now + timedelta(days=INVITATION_DAYS),
                )
                .returning(i.c.id)
            ).scalar_one()
            row = conn.execute(_invitations_query().where(i.c.id == new_id)).one()
    except IntegrityError:  # the same email invited by a concurrent request
        raise ServiceError("conflict", f"{email} was invited meanwhile; reload") from None
    return NewInvitation(_invitation(row), token)


def pending_invitations(db: Database, store_id: str) -> list[Invitation]:
    """The store's invitations not accepted yet (expired ones too, marked so), newest first."""
    i = t.staff_invitations
    with db.engine.connect() as conn:
        _require_store(conn, store_id)
        rows = conn.execute(
            _invitations_query()
            .where(i.c.store_id == store_id)
            .where(i.c.accepted_at.is_(None))
            .order_by(i.c.created_at.desc(), i.c.id.desc())
            .limit(200)
        ).all()
    return [_invitation(r) for r in rows]


def withdraw_invitation(db: Database, store_id: str, invitation_id: int) -> None:
    """An owner takes back an invitation not accepted yet (its link stops working)."""
    i = t.staff_invitations
    with db.begin() as conn:
        gone = conn.execute(
            delete(i)
            .where(i.c.id == invitation_id)
            .where(i.c.store_id == store_id)
            .where(i.c.accepted_at.is_(None))
        ).rowcount
    if not gone:
        raise ServiceError("not_found", f"invitation {invitation_id} not found")


def find_invitation(db: Database, token: str, *, now: datetime | None = None) -> Invitation:
    """The invitation a link names, if it can still be accepted; `not_found` for an unknown,
    withdrawn or accepted one, `too_late` for one that expired."""
    now = now or utc_now()
    if not token or len(token) > MAX_TOKEN or text_problem(token):
        raise ServiceError("not_found", "no such invitation")
    i = t.staff_invitations
    with db.engine.connect() as conn:
        row = conn.execute(_invitations_query().where(i.c.token_sha256 == _hash(token))).first()
    if row is None or row.accepted_at is not None:
        raise ServiceError("not_found", "no such invitation (it may have been used or withdrawn)")
    invitation = _invitation(row)
    if invitation.expired(now):
        raise ServiceError("too_late", "the invitation expired; ask the store's owner for another")
    return invitation


def _join(conn: Connection, invitation: Invitation, user_id: int, name: str, now: datetime) -> None:
    """Join the store as the invitation says and mark it accepted (once: a second acceptance
    of the same invitation finds it accepted)."""
    i = t.staff_invitations
    taken = conn.execute(
        update(i)
        .where(i.c.id == invitation.id)
        .where(i.c.accepted_at.is_(None))
        .values(accepted_at=now)
    ).rowcount
    if not taken:
        raise ServiceError("not_found", "no such invitation (it may have been used or withdrawn)")
    join_store(
        conn,
        invitation.store_id,
        user_id,
        name=name,
        email=invitation.email,
        role=invitation.role,
        now=now,
    )
    conn.execute(
        update(t.store_staff)
        .where(t.store_staff.c.store_id == invitation.store_id)
        .where(t.store_staff.c.user_id == user_id)
        .values(permissions=_stored_permissions(invitation.role, invitation.permissions))
    )


def accept(
    db: Database, principal: Principal, token: str, *, now: datetime | None = None
) -> Principal:
    """A signed-in seller accepts an invitation for their own email: they join the store.
    Returns the principal as it is now (with the store)."""
    now = now or utc_now()
    invitation = find_invitation(db, token, now=now)
    if principal.email != invitation.email:
        raise ServiceError(
            "forbidden", f"this invitation is for {invitation.email}, not {principal.email}"
        )
    if principal.role != "seller":
        raise ServiceError(
            "forbidden", f"{principal.email} is a {principal.role} account, not a seller's"
        )
    with db.begin() as conn:
        _join(conn, invitation, principal.user_id, principal.name, now)
        return _principal(conn, principal.user_id)


def sign_up(
    db: Database,
    token: str,
    *,
    name: str,
    password: str,
    now: datetime | None = None,
) -> Principal:
    """Create the seller account an invitation names (its email) and join the store. An email
    that already has an account is `conflict`: that person signs in and accepts instead."""
    now = now or utc_now()
    invitation = find_invitation(db, token, now=now)
    if not name.strip():
        raise ServiceError("invalid_input", "name: required")
    if len(name) > 200:
        raise ServiceError("invalid_input", "name: at most 200 characters")
    with db.engine.connect() as conn:
        exists = conn.scalar(select(t.users.c.id).where(t.users.c.email == invitation.email))
    if exists is not None:
        raise ServiceError("conflict", f"{invitation.email} has an account: sign in to accept")
    user = create_user(
        db, email=invitation.email, name=name.strip(), role="seller", password=password, now=now
    )
    with db.begin() as conn:
        _join(conn, invitation, user.user_id, user.name, now)
        return _principal(conn, user.user_id)


def account_exists(db: Database, email: str) -> bool:
    with db.engine.connect() as conn:
        return conn.scalar(select(t.users.c.id).where(t.users.c.email == email)) is not None
