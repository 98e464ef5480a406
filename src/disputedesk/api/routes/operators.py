"""The operator's console (issue 14, item 4), for operators (the `admin` role) only: users
(list, create, suspend, unsuspend, password links, revoke tokens), stores (list, create,
suspend, unsuspend), the arbitration desk's health, the policy in force, and the audit trail.
Everything is `services.operators`, which the desk's console calls too; a refusal is a
problem+json with its `code`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field

from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import ID_PATTERN, RowId, Strict
from disputedesk.rules.instants import format_instant
from disputedesk.services import operators
from disputedesk.services.accounts import Principal
from disputedesk.store.db import Database

router = APIRouter(prefix="/operator", tags=["operator"])

StoreId = Annotated[str, Path(pattern=ID_PATTERN, description="A store's id")]
SearchQuery = Annotated[
    str | None,
    Query(max_length=200, description="A part of an email, name, buyer id or store id"),
]


def _operator(user: Principal) -> None:
    if user.role != "admin":
        raise ApiError("forbidden", "only operators use the console")


class NewUserIn(Strict):
    email: str = Field(min_length=3, max_length=320, examples=["agent@shop1.example"])
    name: str = Field(min_length=1, max_length=200, examples=["Zhang Min"])
    role: Literal["buyer", "seller", "arbitrator", "admin"]
    buyer_id: str | None = Field(
        default=None, pattern=ID_PATTERN, description="A buyer's record (new or existing)"
    )
    store_id: str | None = Field(
        default=None, pattern=ID_PATTERN, description="An existing store a seller joins"
    )
    store_role: Literal["owner", "agent"] = "owner"
    password: str | None = Field(
        default=None,
        min_length=8,
        max_length=1000,
        description="Without one, the answer carries a link to set it (once, 24 hours)",
    )


class ReasonIn(Strict):
    reason: str = Field(
        min_length=1, max_length=operators.MAX_REASON, examples=["Chargeback fraud reported"]
    )


class RevokeIn(Strict):
    prefix: str | None = Field(
        default=None,
        min_length=1,
        max_length=16,
        examples=["ddt_AbCdEf"],
        description="One token by its prefix; without it, every active token of the user",
    )


class NewStoreIn(Strict):
    id: str = Field(pattern=ID_PATTERN, examples=["shop9"])
    name: str = Field(min_length=1, max_length=200, examples=["Guangzhou Home Goods"])


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/users", summary="Users: role, stores, suspension, last token use (operator)")
def list_users(
    user: CurrentUser,
    db: Db,
    q: SearchQuery = None,
    role: Annotated[Literal["buyer", "seller", "arbitrator", "admin"] | None, Query()] = None,
    suspended: Annotated[bool | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = operators.LIST_LIMIT,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    """Operators first, then arbitrators, sellers and buyers, each by email."""
    _operator(user)
    items = operators.list_users(
        db, search=q, role=role, suspended=suspended, limit=limit, offset=offset
    )
    return {"items": [line.to_json() for line in items]}


@router.post("/users", status_code=201, summary="Create a user (operator)")
def create_user(
    body: NewUserIn, request: Request, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """A buyer (linked to a buyer record), a seller (who may join an existing store), an
    arbitrator or an operator. Without a password, `password_link` is the link to set one:
    shown this once, valid 24 hours."""
    _operator(user)
    made = operators.create_user(
        db,
        user,
        email=body.email,
        name=body.name,
        role=body.role,
        buyer_id=body.buyer_id,
        store_id=body.store_id,
        store_role=body.store_role,
        password=body.password,
        now=now,
    )
    return {
        "user": made.user.to_json(),
        "password_link": made.reset.to_json(_base(request)) if made.reset else None,
    }


@router.get("/users/{user_id}", summary="A user with their API tokens (operator)")
def get_user(user_id: RowId, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    _operator(user)
    detail = operators.get_user(db, user_id, now=now)
    return {
        **detail.user.to_json(),
        "tokens": [token.to_json() for token in detail.tokens],
        "live_sessions": detail.live_sessions,
        "pending_password_link_expires_at": format_instant(detail.pending_reset_expires_at),
    }


@router.post("/users/{user_id}/suspend", summary="Suspend a user (operator)")
def suspend_user(
    user_id: RowId, body: ReasonIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """No sign-in, their API tokens answer 403, their web sessions end now. An operator may
    not suspend themself nor the last active operator (`forbidden`); a user already
    suspended is `invalid_state`."""
    _operator(user)
    return operators.suspend_user(db, user, user_id, reason=body.reason, now=now).to_json()


@router.post("/users/{user_id}/unsuspend", summary="Lift a user's suspension (operator)")
def unsuspend_user(user_id: RowId, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    _operator(user)
    return operators.unsuspend_user(db, user, user_id, now=now).to_json()


@router.post(
    "/users/{user_id}/password-reset",
    status_code=201,
    summary="A link for the user to set a new password (operator)",
)
def password_reset(
    user_id: RowId, request: Request, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """The link is in this answer only (it is kept as its SHA-256): one use, 24 hours; an
    older link still pending stops working. Setting the password ends the user's sessions."""
    _operator(user)
    return operators.reset_password(db, user, user_id, now=now).to_json(_base(request))


@router.post("/users/{user_id}/revoke-tokens", summary="Revoke a user's API tokens (operator)")
def revoke_tokens(
    user_id: RowId,
    user: CurrentUser,
    db: Db,
    now: Now,
    body: RevokeIn | None = None,
) -> dict[str, Any]:
    """Every active token of the user, or the one with `prefix` (`not_found` when the user
    has no active token with it)."""
    _operator(user)
    prefix = body.prefix if body is not None else None
    count = operators.revoke_tokens(db, user, user_id, prefix=prefix, now=now)
    return {"user_id": user_id, "revoked": count}


@router.get("/stores", summary="Stores: staff, open disputes, rates, suspension (operator)")
def list_stores(
    user: CurrentUser,
    db: Db,
    now: Now,
    q: SearchQuery = None,
    suspended: Annotated[bool | None, Query()] = None,
) -> dict[str, Any]:
    """Each store with its rates over the 30 days up to now (RULES.md section 10) and the red
    lines it is near or over; those over a line first, then near one, then the rest."""
    _operator(user)
    period = operators.metrics_period(now)
    items = operators.list_stores(db, now=now, search=q, suspended=suspended)
    return {
        "period": {
            "from": format_instant(period.start),
            "to": format_instant(period.end),
        },
        "items": [store.to_json() for store in items],
    }


def _store_json(db: Database, store_id: str, now: datetime) -> dict[str, Any]:
    return operators.get_store(db, store_id, now=now).to_json()


@router.post("/stores", status_code=201, summary="Create a store (operator)")
def create_store(body: NewStoreIn, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    """A store without staff: its owner is created as its seller, or invited."""
    _operator(user)
    operators.create_store(db, user, store_id=body.id, name=body.name, now=now)
    return _store_json(db, body.id, now)


@router.post("/stores/{store_id}/suspend", summary="Suspend a store (operator)")
def suspend_store(
    store_id: StoreId, body: ReasonIn, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """Its staff still read; every command they send is refused `forbidden` with the reason.
    The rules' automatic steps still fire."""
    _operator(user)
    operators.suspend_store(db, user, store_id, reason=body.reason, now=now)
    return _store_json(db, store_id, now)


@router.post("/stores/{store_id}/unsuspend", summary="Lift a store's suspension (operator)")
def unsuspend_store(store_id: StoreId, user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    _operator(user)
    operators.unsuspend_store(db, user, store_id, now=now)
    return _store_json(db, store_id, now)


@router.get("/arbitration", summary="The arbitration desk's health (operator)")
def arbitration(user: CurrentUser, db: Db, now: Now) -> dict[str, Any]:
    """Cases past the platform's intervention promise (escalated, nobody intervened,
    `intervention_due_at` passed) with how late; each arbitrator's claimed cases now and
    rulings over the last 30 days; the time from escalation to ruling over the last 30 days
    (median and 90th percentile, nearest rank: by arbitrators, automatic, all); escalated
    cases nobody claimed."""
    _operator(user)
    return operators.arbitration_health(db, now=now).to_json()


@router.get("/policy", summary="The policy in force, parameter by parameter (operator)")
def policy(user: CurrentUser, db: Db) -> dict[str, Any]:
    """Each policy the orders follow with every parameter (its RULES.md section and unit),
    the destinations and categories under it, overrides per category or destination (the
    rules core takes one whole policy per order: none), and the categories with red lines of
    their own."""
    _operator(user)
    return operators.policy_in_force(db).to_json()


@router.get("/audit", summary="The latest operator actions (operator)")
def audit(
    user: CurrentUser, db: Db, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    """Suspensions in force, password links, report decisions, red lines and revoked tokens,
    newest first, as the rows they changed remember them (`by` null: not recorded)."""
    _operator(user)
    return {"items": [entry.to_json() for entry in operators.audit(db, limit=limit)]}
