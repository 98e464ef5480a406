"""The shipment watch's alerts to a store (`services.shipment_watch`): listed for its staff,
dismissed by them."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from disputedesk.api.access import require_store_member
from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import Limit, Offset
from disputedesk.services import shipment_watch
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError
from disputedesk.store import tables as t
from disputedesk.store.db import Database

router = APIRouter(tags=["alerts"])

# The form of every store id: anything else names no store (404, never a database error).
_STORE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
# Alert ids are 64-bit: a larger one names nothing (422, before any query).
AlertId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The alert's id")]
AlertState = Annotated[
    Literal["open", "all"],
    Query(description="`open`: neither resolved nor dismissed (default); `all`: every alert"),
]


def _staff_store(db: Database, user: Principal, store_id: str) -> None:
    """The caller is staff of the store (an operator: any store), which exists."""
    require_store_member(user, store_id)
    if _STORE_ID.fullmatch(store_id):
        with db.engine.connect() as conn:
            if conn.scalar(select(t.stores.c.id).where(t.stores.c.id == store_id)) is not None:
                return
    raise ApiError("not_found", f"store {store_id!r} not found")


@router.get("/stores/{store_id}/alerts", summary="The store's shipment alerts (staff)")
def list_alerts(
    store_id: str,
    user: CurrentUser,
    db: Db,
    state: AlertState = "open",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """What the shipment watch saw before any dispute, newest first: no carrier news for N
    days, held in customs, an action asked of a party, a parcel turning back, a delivery
    deadline close (to a country with structural delays: extend delivery by 30 days). Each
    with its `figures` and a suggested `action`; `open` ones are neither resolved (the
    condition ended) nor dismissed."""
    _staff_store(db, user, store_id)
    items = shipment_watch.list_alerts(
        db, [store_id], open_only=state == "open", limit=limit, offset=offset
    )
    return {
        "items": [a.to_json() for a in items],
        "state": state,
        "limit": limit,
        "offset": offset,
    }


@router.post(
    "/stores/{store_id}/alerts/{alert_id}/dismiss",
    summary="Dismiss a shipment alert (staff)",
)
def dismiss_alert(
    store_id: str, alert_id: AlertId, user: CurrentUser, db: Db, now: Now
) -> dict[str, Any]:
    """The alert leaves the store's open alerts for good (the watch never raises the same
    situation again). Dismissing it again changes nothing."""
    _staff_store(db, user, store_id)
    try:
        return shipment_watch.dismiss(db, [store_id], alert_id, now).to_json()
    except ServiceError as exc:
        raise ApiError(exc.code, exc.message) from None
