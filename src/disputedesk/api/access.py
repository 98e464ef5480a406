"""Who may see what, for the API: the rule itself is `services.visibility` (shared with the web
desk); here, the API's lookups and refusals. Something a caller may not see is `not_found`
(its existence is not revealed)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from disputedesk.api.errors import ApiError
from disputedesk.services.accounts import Principal
from disputedesk.services.visibility import scoped
from disputedesk.store import tables as t
from disputedesk.store.db import Database

ROLE_TO_ACTOR = {"buyer": "buyer", "seller": "seller", "arbitrator": "arbitrator", "admin": "admin"}


def order_row_for(db: Database, principal: Principal, order_id: str) -> Any:
    """The caller's view of an order row, or `not_found`."""
    with db.engine.connect() as conn:
        row = conn.execute(
            scoped(select(t.orders).where(t.orders.c.id == order_id), principal)
        ).first()
    if row is None:
        raise ApiError("not_found", f"order {order_id!r} not found")
    return row


def actor_of(principal: Principal) -> str:
    """The RULES actor the caller acts as (an admin is none of them: the core refuses it)."""
    return ROLE_TO_ACTOR[principal.role]


def require_store_member(principal: Principal, store_id: str, *, owner: bool = False) -> None:
    if principal.role == "admin":
        return
    if principal.role != "seller":
        raise ApiError("forbidden", f"a {principal.role} may not act for a store")
    if not principal.member_of(store_id):
        raise ApiError("not_found", f"store {store_id!r} not found")
    if owner and not principal.owns(store_id):
        raise ApiError("forbidden", f"only an owner of store {store_id!r} may do that")
