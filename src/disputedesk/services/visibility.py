"""Who may see which orders: a buyer their own, a store's staff their stores', an arbitrator
those with an escalated dispute, an admin all. One WHERE clause, shared by the API and the web
desk; what a viewer may not see does not exist for them (`not_found`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, false, select, true

from disputedesk.services.accounts import Principal
from disputedesk.store import tables as t


def ever_escalated() -> ColumnElement[bool]:
    """The order has a dispute that was escalated (correlated to the outer `orders` only)."""
    return (
        select(t.disputes.c.order_id)
        .where(t.disputes.c.order_id == t.orders.c.id)
        .where(t.disputes.c.escalated_at.is_not(None))
        .correlate_except(t.disputes)
        .exists()
    )


def visible_orders(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause on `orders` for what the viewer may see."""
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
