"""Stores, their staff, and their webhook subscriptions with the delivery log."""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from sqlalchemy import insert, select, update

from disputedesk.api.access import require_store_member
from disputedesk.api.auth import CurrentUser, Db
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import StaffIn, StoreIn, WebhookIn
from disputedesk.rules.instants import format_instant
from disputedesk.services import orders, webhooks
from disputedesk.services.accounts import join_store, principal_by_email
from disputedesk.services.commands import utc_now
from disputedesk.store import tables as t

router = APIRouter(tags=["stores"])

# The form of every store id (`orders.create_store` checks it): anything else names no store.
_STORE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def _store(db: Any, store_id: str) -> dict[str, Any]:
    with db.engine.connect() as conn:
        row = conn.execute(select(t.stores).where(t.stores.c.id == store_id)).first()
        if row is None:
            raise ApiError("not_found", f"store {store_id!r} not found")
        staff = conn.execute(
            select(t.store_staff.c.name, t.store_staff.c.email, t.store_staff.c.role)
            .where(t.store_staff.c.store_id == store_id)
            .order_by(t.store_staff.c.id)
        ).all()
    return {
        "id": row.id,
        "name": row.name,
        "created_at": format_instant(row.created_at),
        "staff": [{"name": s.name, "email": s.email, "role": s.role} for s in staff],
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
    """An owner adds an existing seller account to the store, as owner or agent."""
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
