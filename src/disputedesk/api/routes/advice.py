"""The ruling assistant for operators (issue 15, item 5): how often rulings follow the advice,
per principle and per arbitrator, with the cases behind each figure."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from disputedesk.api.auth import CurrentUser, Db, Now
from disputedesk.api.errors import ApiError
from disputedesk.api.schemas import INSTANT_MAX_LENGTH
from disputedesk.rules.instants import parse_instant
from disputedesk.services.advice import agreement, period_of

router = APIRouter(tags=["operator"])

PeriodQuery = Annotated[
    str | None,
    Query(
        pattern=r"^([1-9][0-9]{0,3}d|[0-9]{4}-(0[1-9]|1[0-2]))$",
        description="90d (the N days up to now) or YYYY-MM (a calendar month); default 90d",
    ),
]
InstantQuery = Annotated[
    str | None,
    Query(max_length=INSTANT_MAX_LENGTH, description="A UTC instant YYYY-MM-DDTHH:MM:SSZ"),
]


@router.get(
    "/operator/advice-agreement",
    summary="How often rulings follow the ruling assistant's advice (operators)",
)
def advice_agreement(
    user: CurrentUser,
    db: Db,
    now: Now,
    period: PeriodQuery = None,
    start: Annotated[InstantQuery, Query(alias="from")] = None,
    end: Annotated[InstantQuery, Query(alias="to")] = None,
) -> dict[str, Any]:
    """The rulings of the period (by when they were made; default the 90 days up to now), each
    recorded with the advice it was checked against. For all of them (`total`), per principle
    (`by_principle`; `principle` null: none applied) and per arbitrator (`by_arbitrator`):
    `rulings`; `with_advice` (a principle applied); `followed` and `not_followed` (the
    recommendation exactly, or not); `no_principle`; `share` = followed / with_advice (null
    when there is none; a ruling where no principle applied is no deviation and is left out of
    it); and `cases`: the disputes behind each figure. `rulings`: every ruling, with its
    `why_not` when it did not follow."""
    if user.role != "admin":
        raise ApiError("forbidden", "only operators see the rulings' agreement with the advice")
    if (start is None) != (end is None) or (start is not None and period is not None):
        raise ApiError("invalid_input", "period: give from and to together, or period")
    if start is not None and end is not None:
        first, last = parse_instant(start), parse_instant(end)
        if first is None or last is None:
            raise ApiError("invalid_input", "from/to: UTC instants YYYY-MM-DDTHH:MM:SSZ")
        if last <= first:
            raise ApiError("invalid_input", "to: must be after from")
    else:
        try:
            first, last = period_of(period, now)
        except ValueError as exc:
            raise ApiError("invalid_input", str(exc)) from None
    return agreement(db, first, last).to_json()
