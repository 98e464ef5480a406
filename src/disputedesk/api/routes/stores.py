"""Stores, their staff, and their webhook subscriptions with the delivery log."""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from pydantic import ConfigDict, Field
from sqlalchemy import insert, select, update

from disputedesk.api.access import require_store_member
from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import RowId, StaffIn, StoreIn, Strict, WebhookIn
from disputedesk.rules.instants import format_instant
from disputedesk.services import orders, staff, webhooks
from disputedesk.services.accounts import join_store, principal_by_email
from disputedesk.services.commands import utc_now
from disputedesk.services.permissions import Permissions
from disputedesk.store import tables as t

router = APIRouter(tags=["stores"])

# The form of every store id (`orders.create_store` checks it): anything else names no store.
_STORE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def _store(db: Any, store_id: str) -> dict[str, Any]:
    with db.engine.connect() as conn:
        row = conn.execute(select(t.stores).where(t.stores.c.id == store_id)).first()
        if row is None:
            raise ApiError("not_found", f"store {store_id!r} not found")
        members = conn.execute(
            select(t.store_staff.c.name, t.store_staff.c.email, t.store_staff.c.role)
            .where(t.store_staff.c.store_id == store_id)
            .order_by(t.store_staff.c.id)
        ).all()
    return {
        "id": row.id,
        "name": row.name,
        "created_at": format_instant(row.created_at),
        "staff": [{"name": s.name, "email": s.email, "role": s.role} for s in members],
    }


@router.post("/stores", status_code=201, summary="Create a store (its creator is its owner)")
def create_store(body: StoreIn, user: CurrentUser, db: Db) -> dict[str, Any]:
    if user.role not in ("seller", "admin"):
        raise ApiError("forbidden", f"a {user.role} may not create a store")
    orders.create_store(db, body.id, body.name)
    if user.role == "seller":
        with db.begin() as conn:
            join_store(
                conn,
                body.id,
                user.user_id,
                name=user.name,
                email=user.email,
                role="owner",
                now=utc_now(),
            )
    return _store(db, body.id)


@router.get("/stores/{store_id}", summary="A store and its staff")
def get_store(store_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    require_store_member(user, store_id)
    return _store(db, store_id)


@router.post("/stores/{store_id}/staff", status_code=201, summary="Add staff (owner)")
def add_staff(store_id: str, body: StaffIn, user: CurrentUser, db: Db) -> dict[str, Any]:
    """An owner adds an existing seller account to the store, as owner or agent (who may do
    everything until their permissions are changed: `PATCH /stores/{id}/staff/{staff_id}`)."""
    require_store_member(user, store_id, owner=True)
    member = principal_by_email(db, body.email)
    if member.role != "seller":
        raise ApiError("invalid_input", f"email: {body.email} is a {member.role}, not a seller")
    with db.begin() as conn:
        join_store(
            conn,
            store_id,
            member.user_id,
            name=member.name,
            email=member.email,
            role=body.role,
            now=utc_now(),
        )
    return _store(db, store_id)


# -- staff permissions and invitations (issue 12) ---------------------------------------------

MONEY_LIMIT_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,2})?$"


class PermissionsIn(Strict):
    """What an agent may do. Owners may do everything."""

    model_config = ConfigDict(strict=True, extra="forbid")

    answer_disputes: bool = Field(
        default=True,
        description="Accept, propose, reject, escalate a return, the return and resend steps",
    )
    refund_up_to: str | None = Field(
        default=None,
        pattern=MONEY_LIMIT_PATTERN,
        max_length=18,
        examples=["50.00"],
        description="The largest refund they may accept, propose or give (a money string in "
        "the order's currency); null: no limit",
    )
    manage_evidence: bool = Field(default=True, description="Submit evidence")
    see_metrics: bool = Field(default=True, description="GET /stores/{id}/metrics")

    def permissions(self) -> Permissions:
        return Permissions.parse(
            answer_disputes=self.answer_disputes,
            refund_up_to=self.refund_up_to,
            manage_evidence=self.manage_evidence,
            see_metrics=self.see_metrics,
        )


class InvitationIn(Strict):
    email: str = Field(min_length=3, max_length=320, examples=["wei@shop.test"])
    role: Literal["agent", "owner"] = "agent"
    permissions: PermissionsIn | None = Field(
        default=None, description="For an agent; default: everything"
    )


class StaffChangeIn(Strict):
    role: Literal["agent", "owner"] | None = None
    permissions: PermissionsIn | None = Field(
        default=None, description="For an agent (an owner may do everything)"
    )


class AcceptInvitationIn(Strict):
    token: str = Field(min_length=1, max_length=staff.MAX_TOKEN, description="From the link")


def _store_id(store_id: str) -> None:
    """An id that could not name a store names none (`not_found`, never a database error)."""
    if not _STORE_ID.fullmatch(store_id):
        raise ApiError("not_found", f"store {store_id!r} not found")


@router.get("/stores/{store_id}/staff", summary="The store's staff and what each may do")
def list_staff(store_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    """Every member of the store's staff (owners first) with their permissions; owners may do
    everything."""
    require_store_member(user, store_id)
    _store_id(store_id)
    return {"items": [m.to_json() for m in staff.list_staff(db, store_id)]}


@router.patch(
    "/stores/{store_id}/staff/{staff_id}", summary="Change a staff member's role or permissions"
)
def change_staff(
    store_id: str, staff_id: RowId, body: StaffChangeIn, user: CurrentUser, db: Db
) -> dict[str, Any]:
    """(Owner.) Make someone an owner or an agent, or change what an agent may do. The store's
    last owner stays an owner (409)."""
    _require_store(db, user, store_id)
    granted = body.permissions.permissions() if body.permissions is not None else None
    member = staff.change_staff(db, store_id, staff_id, role=body.role, permissions=granted)
    return member.to_json()


@router.delete("/stores/{store_id}/staff/{staff_id}", summary="Remove a staff member (owner)")
def remove_staff(store_id: str, staff_id: RowId, user: CurrentUser, db: Db) -> dict[str, Any]:
    """They keep their account but no longer see the store. Never the store's last owner
    (409). Answers the staff who remain."""
    _require_store(db, user, store_id)
    staff.remove_staff(db, store_id, staff_id)
    return {"items": [m.to_json() for m in staff.list_staff(db, store_id)]}


@router.post(
    "/stores/{store_id}/invitations",
    status_code=201,
    summary="Invite someone to the staff (owner); the link is shown once",
)
def invite(
    store_id: str, body: InvitationIn, user: CurrentUser, db: Db, now: Now, request: Request
) -> dict[str, Any]:
    """An invitation for one email, as agent (with the permissions given; default everything)
    or owner. Its `link` (and `token`) are shown once; it expires after
    7 days and is accepted once, by that email: signing in to the desk (or creating a seller
    account there) from the link, or `POST /invitations/accept`. A newer invitation for the
    same email replaces one still pending; someone already on the staff is 409."""
    _require_store(db, user, store_id)
    granted = body.permissions.permissions() if body.permissions is not None else None
    made = staff.invite(
        db,
        store_id,
        email=body.email,
        role=body.role,
        permissions=granted,
        invited_by=user.email,
        now=now,
    )
    return {
        **made.invitation.to_json(now),
        "token": made.token,
        "link": str(request.base_url).rstrip("/") + made.path(),
    }


@router.get("/stores/{store_id}/invitations", summary="Invitations not accepted yet (owner)")
def list_invitations(store_id: str, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    """Newest first, expired ones marked `expired` (their links no longer work)."""
    _require_store(db, user, store_id)
    return {"items": [i.to_json(now) for i in staff.pending_invitations(db, store_id)]}


@router.delete(
    "/stores/{store_id}/invitations/{invitation_id}", summary="Withdraw an invitation (owner)"
)
def withdraw_invitation(
    store_id: str, invitation_id: RowId, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """Its link stops working. Answers the invitations still pending."""
    _require_store(db, user, store_id)
    staff.withdraw_invitation(db, store_id, invitation_id)
    return {"items": [i.to_json(now) for i in staff.pending_invitations(db, store_id)]}


@router.post("/invitations/accept", summary="Accept an invitation to a store's staff")
def accept_invitation(
    body: AcceptInvitationIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """A seller account whose email the invitation names joins the store (403 for another
    email or role; 404 for a used or withdrawn invitation, 409 too_late once expired)."""
    invitation = staff.find_invitation(db, body.token, now=now)
    joined = staff.accept(db, user, body.token, now=now)
    return {
        "store_id": invitation.store_id,
        "role": joined.stores.get(invitation.store_id),
        "permissions": invitation.permissions.to_json(),
    }


def _subscription_view(row: Any, secret: str | None = None) -> dict[str, Any]:
    view = {
        "id": row.id,
        "store_id": row.store_id,
        "url": row.url,
        "active": row.active,
        "created_at": format_instant(row.created_at),
    }
    if secret is not None:
        view["secret"] = secret  # shown once
    return view


@router.post(
    "/stores/{store_id}/webhooks",
    status_code=201,
    summary="Subscribe a URL to the store's events (owner)",
)
def create_webhook(
    store_id: str, body: WebhookIn, user: CurrentUser, db: Db, request: Request
) -> dict[str, Any]:
    """Every order and dispute event of the store is POSTed to the URL, signed:
    `X-Disputedesk-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
    The URL's host must resolve to public internet addresses only (unless the operator allows
    others: `DISPUTEDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS`)."""
    _require_store(db, user, store_id)
    allow_private = request.app.state.settings.webhook_allow_private_targets
    try:  # resolves the host: outside any transaction
        webhooks.check_target(body.url, allow_private=allow_private)
    except webhooks.TargetRefused as exc:
        raise ApiError("invalid_input", f"url: {_refusal(exc)}") from None
    secret = "whsec_" + secrets.token_urlsafe(24)
    with db.begin() as conn:
        sub_id = conn.execute(
            insert(t.webhook_subscriptions)
            .values(
                store_id=store_id, url=body.url, secret=secret, active=True, created_at=utc_now()
            )
            .returning(t.webhook_subscriptions.c.id)
        ).scalar_one()
        row = conn.execute(
            select(t.webhook_subscriptions).where(t.webhook_subscriptions.c.id == sub_id)
        ).one()
    return _subscription_view(row, secret)


def _refusal(exc: webhooks.TargetRefused) -> str:
    if str(exc) == webhooks.REFUSED:
        return (
            "the host must resolve to public internet addresses only (loopback, private, "
            "link-local, unique-local, shared and reserved addresses are refused)"
        )
    return str(exc)


def _require_store(db: Any, user: Any, store_id: str) -> None:
    """The caller owns the store (an admin: any), which exists; `not_found` otherwise, for an
    id that could not be one too (never a database error)."""
    require_store_member(user, store_id, owner=True)
    if _STORE_ID.fullmatch(store_id):
        with db.engine.connect() as conn:
            if conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)) is not None:
                return
    raise ApiError("not_found", f"store {store_id!r} not found")


# Subscription ids are 64-bit: a larger one names nothing (422, before any query).
WebhookId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The subscription's id")]


def _subscription(db: Any, user: Any, store_id: str, webhook_id: int) -> Any:
    _require_store(db, user, store_id)
    with db.engine.connect() as conn:
        row = conn.execute(
            select(t.webhook_subscriptions)
            .where(t.webhook_subscriptions.c.id == webhook_id)
            .where(t.webhook_subscriptions.c.store_id == store_id)
        ).first()
    if row is None:
        raise ApiError("not_found", f"webhook {webhook_id} not found")
    return row


@router.get("/stores/{store_id}/webhooks", summary="The store's webhook subscriptions (owner)")
def list_webhooks(store_id: str, user: CurrentUser, db: Db) -> dict[str, Any]:
    _require_store(db, user, store_id)
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(t.webhook_subscriptions)
            .where(t.webhook_subscriptions.c.store_id == store_id)
            .order_by(t.webhook_subscriptions.c.id)
        ).all()
    return {"items": [_subscription_view(r) for r in rows]}


@router.post(
    "/stores/{store_id}/webhooks/{webhook_id}/disable",
    summary="Stop delivering to a subscription (owner)",
)
def disable_webhook(
    store_id: str, webhook_id: WebhookId, user: CurrentUser, db: Db
) -> dict[str, Any]:
    _subscription(db, user, store_id, webhook_id)
    with db.begin() as conn:
        conn.execute(
            update(t.webhook_subscriptions)
            .where(t.webhook_subscriptions.c.id == webhook_id)
            .values(active=False)
        )
    return _subscription_view(_subscription(db, user, store_id, webhook_id))


@router.get(
    "/stores/{store_id}/webhooks/{webhook_id}/deliveries",
    summary="The delivery log of a subscription (owner)",
)
def deliveries(store_id: str, webhook_id: WebhookId, user: CurrentUser, db: Db) -> dict[str, Any]:
    _subscription(db, user, store_id, webhook_id)
    d, a, o = t.webhook_deliveries, t.webhook_attempts, t.outbox
    with db.engine.connect() as conn:
        rows = conn.execute(
            select(d, o.c.topic, o.c.order_id, o.c.event_seq)
            .join(o, o.c.id == d.c.outbox_id)
            .where(d.c.subscription_id == webhook_id)
            .order_by(d.c.id.desc())
            .limit(200)
        ).all()
        attempts: dict[int, list[Any]] = {}
        if rows:
            for r in conn.execute(
                select(a).where(a.c.delivery_id.in_([r.id for r in rows])).order_by(a.c.id)
            ):
                attempts.setdefault(r.delivery_id, []).append(r)
    return {
        "items": [
            {
                "id": r.id,
                "topic": r.topic,
                "order_id": r.order_id,
                "event_seq": r.event_seq,
                "status": r.status,
                "attempts": r.attempts,
                "next_attempt_at": format_instant(r.next_attempt_at),
                "delivered_at": format_instant(r.delivered_at),
                "log": [
                    {
                        "at": format_instant(x.attempted_at),
                        "status_code": x.status_code,
                        "error": x.error,
                        "duration_ms": x.duration_ms,
                    }
                    for x in attempts.get(r.id, [])
                ],
            }
            for r in rows
        ]
    }
