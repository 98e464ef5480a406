"""Which templates fit a case: the order's stage, what its tracking says, the dispute's reason
and status. Pure: the case is read from the order's state and its delivery facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from disputedesk.messaging.catalog import Template
from disputedesk.rules.model import State
from disputedesk.rules.vocabulary import reason_category
from disputedesk.tracking.facts import DeliveryFacts
from disputedesk.tracking.taxonomy import TrackingStatus

S = TrackingStatus
# Where a parcel is once it reached the destination country (customs there included).
IN_COUNTRY = frozenset(
    {
        S.ARRIVED_DEST_COUNTRY,
        S.IN_CUSTOMS,
        S.AT_LOCAL_OFFICE,
        S.OUT_FOR_DELIVERY,
        S.AVAILABLE_FOR_PICKUP,
        S.DELIVERY_ATTEMPTED,
    }
)
SILENCE_DAYS = 10  # "no news" for a reply's purposes (the watch has its own thresholds)


@dataclass(frozen=True, slots=True)
class Case:
    """A case as the templates see it."""

    stage: str | None  # the order's status
    tracking: frozenset[str]
    reason: str | None = None  # the open (or latest) dispute's reason
    status: str | None = None  # ... and status


def tracking_facts(
    facts: DeliveryFacts | None, *, silence_days: int = SILENCE_DAYS
) -> frozenset[str]:
    """The tracking situations of `catalog.TRACKING_FACTS` that hold."""
    if facts is None:
        return frozenset()
    found: set[str] = set()
    if facts.first_valid_scan is None:
        found.add("no_tracking")
    stage = facts.stage
    if stage == S.DELIVERED:
        found.add("delivered")
    elif stage in (S.RETURNING, S.RETURNED):
        found.add("returned")
    else:
        if facts.pickup_notice is not None:
            found.add("pickup_notice")
        if facts.in_customs_since is not None:
            found.add("in_customs")
        action = facts.action_required
        if action is not None and action.what == "pay_duties" and action.by == "buyer":
            found.add("duties_due")
        if any(e.status in IN_COUNTRY for e in facts.timeline):
            found.add("arrived_dest_country")
        elif facts.first_valid_scan is not None:
            found.add("in_transit")
        days = facts.days_without_news
        if days is not None and days >= silence_days and facts.first_valid_scan is not None:
            found.add("no_news")
    return frozenset(found)


def case_of(state: State, facts: DeliveryFacts | None, *, dispute: bool = True) -> Case:
    """The case of an order (`dispute`: with its latest dispute's reason and status)."""
    latest = state.disputes[-1] if state.disputes and dispute else None
    return Case(
        stage=str(state.order.status),
        tracking=tracking_facts(facts),
        reason=latest.reason if latest else None,
        status=str(latest.status) if latest else None,
    )


def score(template: Template, case: Case) -> int | None:
    """How well a template fits (more specific, more points), or None when it does not."""
    fits = template.situations
    points = 0
    if fits.stages:
        if case.stage not in fits.stages:
            return None
        points += 1
    if fits.reasons:
        if case.reason is None:
            return None
        if case.reason in fits.reasons:
            points += 5  # the reason itself says more than its category and a status
        elif reason_category(case.reason) in fits.reasons:
            points += 2
        else:
            return None
    if fits.statuses:
        if case.status not in fits.statuses:
            return None
        points += 2
    if fits.tracking:
        if not fits.tracking & case.tracking:
            return None
        points += 2
    return points


def suggested(templates: Iterable[Template], case: Case) -> list[tuple[Template, int]]:
    """The replies a store's staff may send the buyer in this case, best fitting first."""
    fitting = [
        (template, points)
        for template in templates
        if template.purpose == "reply" and template.audience == "buyer"
        for points in [score(template, case)]
        if points is not None
    ]
    fitting.sort(key=lambda pair: (-pair[1], pair[0].key))
    return fitting
