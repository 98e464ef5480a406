"""Who may see what: a buyer their own orders, a store's staff their store's orders, an
arbitrator orders with an escalated dispute, an admin everything. Something a caller may not
see is `not_found` (its existence is not revealed)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select, true

from disputedesk.api.errors import ApiError
from disputedesk.services.accounts import Principal
from disputedesk.store import tables as t
from disputedesk.store.db import Database

ROLE_TO_ACTOR = {"buyer": "buyer", "seller": "seller", "arbitrator": "arbitrator", "admin": "admin"}


def ever_escalated():  # -> ColumnElement[bool]
    """The order has a dispute that was escalated (correlated to the outer `orders` only)."""
    return (
        select(t.disputes.c.order_id)
        .where(t.disputes.c.order_id == t.orders.c.id)
        .where(t.disputes.c.escalated_at.is_not(None))
        .correlate_except(t.disputes)
        .exists()
    )


def visible_orders(principal: Principal):  # -> ColumnElement[bool]
    """A WHERE clause on `orders` for what the caller may see."""
    if principal.role == "admin":
        return true()
    if principal.role == "buyer":
        return t.orders.c.buyer_id == principal.buyer_id if principal.buyer_id else false()
    if principal.role == "seller":
        stores = list(principal.stores)
        return t.orders.c.store_id.in_(stores) if stores else false()
    if principal.role == "arbitrator":
        return ever_escalated()
    return false()


def scoped(query: Select[Any], principal: Principal) -> Select[Any]:
    return query.where(visible_orders(principal))


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
