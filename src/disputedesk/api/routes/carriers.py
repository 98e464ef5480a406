"""The carrier advisor for a store's staff: delivery figures per destination country and carrier,
and the carrier to prefer (`tracking.advisor` says how each figure is computed)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from disputedesk.api.access import require_store_member
from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import CountryFilter
from disputedesk.services import carriers
from disputedesk.tracking.advisor import MIN_SHIPMENTS

router = APIRouter(tags=["carriers"])

_STORE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


class RateOut(BaseModel):
    """`count` of `of`, and the percentage to one decimal (null when `of` is 0)."""

    count: int
    of: int
    percent: str | None = Field(examples=["85.0"])


class CarrierFiguresOut(BaseModel):
    country: str | None
    carrier: str
    shipments: int
    delivered: int = Field(description="Shipments with a delivered scan")
    delivery_days_p50: str | None = Field(
        description="Median days from shipment to the delivered scan (nearest rank), over "
        "`delivered`",
        examples=["14.5"],
    )
    delivery_days_p90: str | None = Field(description="90th percentile, as p50")
    delivered_within_promise: RateOut = Field(
        description="Delivered by shipment + promised days, of the shipments whose outcome "
        "against the promise is known"
    )
    not_received_disputes: RateOut = Field(
        description="Shipments with a not_received.* dispute, of all shipments"
    )
    lost: RateOut = Field(
        description="Not known to have arrived or come back, and silent 30 days with the "
        "deadline 10 days past, or ruled not received against the seller; of all shipments"
    )
    enough_shipments: bool = Field(description="Enough known outcomes to be compared")


class CountryAdviceOut(BaseModel):
    country: str | None
    shipments: int
    recommended: str | None = Field(description="The carrier to prefer; null: too few shipments")
    compared: int = Field(description="Carriers with enough shipments to be compared")
    too_few_shipments: bool
    min_shipments: int
    carriers: list[CarrierFiguresOut] = Field(
        description="The recommended carrier first, then the other compared ones by rank, "
        "then those with too few shipments"
    )


class CarrierReportOut(BaseModel):
    store_id: str
    as_of: str
    since: str
    min_shipments: int
    rule: str = Field(description="How the recommended carrier is chosen")
    countries: list[CountryAdviceOut]


@router.get(
    "/stores/{store_id}/carriers",
    summary="The carrier advisor: figures per destination country and carrier (store staff)",
    response_model=CarrierReportOut,
)
def carrier_report(
    store_id: str,
    user: CurrentUser,
    db: Db,
    now: Now,
    country: CountryFilter = None,
    since: Annotated[
        str | None,
        Query(
            pattern=r"^\d{4}-\d{2}-\d{2}$",
            description="Shipments from this date, YYYY-MM-DD (00:00 UTC); default: 90 days",
        ),
    ] = None,
    min_shipments: Annotated[
        int,
        Query(ge=1, le=100_000, description="Known outcomes a carrier needs to be compared"),
    ] = MIN_SHIPMENTS,
) -> dict[str, Any]:
    """From the store's own shipments: delivery time p50/p90, the share delivered within the
    promise, the not-received dispute rate and the loss rate, each with its counts, per
    destination country and carrier; per country, the carrier to prefer by the stated `rule`,
    or `too_few_shipments` when no carrier has `min_shipments` known outcomes."""
    require_store_member(user, store_id)
    if not _STORE_ID.fullmatch(store_id):
        raise ApiError("not_found", f"store {store_id!r} not found")
    try:
        start = date.fromisoformat(since) if since is not None else None
    except ValueError:  # e.g. 2026-02-30: the pattern allows it, the calendar does not
        raise ApiError("invalid_input", f"since: {since!r} is not a date") from None
    result = carriers.report(
        db, store_id, now=now, since=start, country=country, min_shipments=min_shipments
    )
    return result.as_json()
