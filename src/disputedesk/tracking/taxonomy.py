"""The 15 tracking statuses every carrier event is normalised to (../shared/tracking/README.md),
in the order a parcel normally passes through them, and what a classification says."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TrackingStatus(StrEnum):
    NO_INFO = "no_info"  # an error or empty answer: the carrier knows nothing (yet)
    INFO_RECEIVED = "info_received"  # only data: a label, a manifest; no parcel in hand
    ACCEPTED = "accepted"  # first physical custody by a carrier
    IN_TRANSIT = "in_transit"  # between facilities (export clearance and customs release too)
    ARRIVED_DEST_COUNTRY = "arrived_dest_country"  # the text says it reached the country
    IN_CUSTOMS = "in_customs"  # at or held by customs, awaiting release
    ACTION_REQUIRED = "action_required"  # a party must do something (pay duties, give data)
    AT_LOCAL_OFFICE = "at_local_office"  # the delivery office or depot serving the address
    OUT_FOR_DELIVERY = "out_for_delivery"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"  # waits at a post office or pickup point
    DELIVERY_ATTEMPTED = "delivery_attempted"  # a failed delivery to the buyer
    DELIVERED = "delivered"  # handed over, safe place, mailbox, locker, neighbour
    RETURNING = "returning"  # on the way back to the sender
    RETURNED = "returned"  # handed back to the sender
    EXCEPTION = "exception"  # delay, mis-sort, redirection, unable to deliver; or unknown


# `notice_left` is only ever said of these (true: a notice/card was left, or the buyer was told
# to collect; None: the text is silent). No carrier text says that no notice was left.
NOTICE_STATUSES = frozenset(
    {TrackingStatus.AVAILABLE_FOR_PICKUP, TrackingStatus.DELIVERY_ATTEMPTED}
)


@dataclass(frozen=True, slots=True)
class Classification:
    """What one carrier event means. `unclassified`: no rule knew the text; the status is then
    `exception`, never a guess dressed as fact. `rule` names the rule that decided (for tests
    and for people asking why)."""

    status: TrackingStatus
    notice_left: bool | None = None
    unclassified: bool = False
    rule: str = ""
