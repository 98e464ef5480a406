"""Who may see which orders: a buyer their own, a store's staff their stores', an arbitrator
those with an escalated dispute, an admin all. One WHERE clause per kind of viewer, shared by
the API and the web desk; what a viewer may not see does not exist for them (`not_found`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, false, select, true

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


# The rule for each kind of viewer, as a WHERE clause on `orders` built once, the viewer's buyer
# id or stores as bound parameters (so a statement built on one can be built once too).
VISIBLE_TEMPLATES: dict[str, ColumnElement[bool]] = {
    "admin": true(),
    "buyer": t.orders.c.buyer_id == bindparam("visible_buyer_id"),
    "seller": t.orders.c.store_id.in_(bindparam("visible_store_ids", expanding=True)),
    "arbitrator": ever_escalated(),
    "nobody": false(),
}


def visibility(principal: Principal) -> tuple[str, dict[str, Any]]:
    """Which of `VISIBLE_TEMPLATES` applies to the viewer, and its parameters."""
    role = principal.role
    if role in ("admin", "arbitrator"):
        return role, {}
    if role == "buyer" and principal.buyer_id:
        return role, {"visible_buyer_id": principal.buyer_id}
    if role == "seller" and principal.stores:
        return role, {"visible_store_ids": list(principal.stores)}
    return "nobody", {}


def scoped(query: Select[Any], principal: Principal) -> Select[Any]:
    """`query` on `orders`, narrowed to what the viewer may see (its parameters bound)."""
    kind, params = visibility(principal)
    narrowed = query.where(VISIBLE_TEMPLATES[kind])
    return narrowed.params(**params) if params else narrowed
