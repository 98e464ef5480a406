"""Finding orders by what a seller types in the search box: an order number, a tracking number
or a buyer (seller center, issue 12)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select

from disputedesk.store import tables as t

MAX_LENGTH = 100


def matches_search(text: str) -> ColumnElement[bool]:
    """Orders found by `text` (without case, surrounding space ignored): a part of the order
    number or of the tracking number, a part of the buyer's name, or the buyer's id. A WHERE
    clause on `orders`; the viewer's scope is the caller's. (`%` and `_` are taken literally.)"""
    term = text.strip()
    # the order's own buyer, by its key: the cost follows the viewer's orders, not all buyers
    buyer = (
        select(t.buyers.c.id)
        .where(t.buyers.c.id == t.orders.c.buyer_id)
        .where(
            or_(
                t.buyers.c.name.icontains(term, autoescape=True),
                func.lower(t.buyers.c.id) == term.lower(),
            )
        )
        .correlate(t.orders)
        .exists()
    )
    return or_(
        t.orders.c.id.icontains(term, autoescape=True),
        t.orders.c.tracking_number.icontains(term, autoescape=True),
        buyer,
    )
