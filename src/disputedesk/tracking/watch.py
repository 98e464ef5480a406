"""The shipment watch's rules: which alerts an order's delivery facts raise at `now`, before the
buyer opens a dispute. Seed 002: "Confirm the logistics progress with the logistics company and
obtain the latest logistics information in time", and "for countries with structural delays in
logistics, such as Brazil, if the harvest period is less than 5 days, it is recommended to extend
the harvest period by 30 days".

Pure: no I/O, no clock. Each alert has a `kind`, a `key` (the kind and what it is about: the event
the silence follows, the start of a customs hold, the deadline), so the same situation raises it
once however often the watch runs; the figures behind it; and a suggested action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from disputedesk.rules.instants import format_instant
from disputedesk.tracking.facts import DeliveryFacts, TrackEvent
from disputedesk.tracking.taxonomy import TrackingStatus

KINDS = (
    "no_news",
    "held_in_customs",
    "action_required",
    "returning",
    "returned",
    "deadline_close",
    "extend_delivery",
)
# What the seller is advised to do (the desk's words say each; `extend_delivery` is one click).
ACTIONS = (
    "ask_carrier",
    "check_customs",
    "ask_buyer_to_pay",
    "supply_clearance_data",
    "confirm_address",
    "ask_buyer_to_collect",
    "contact_buyer",
    "extend_delivery",
)
_DAY = timedelta(days=1)


def _carrier_key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


@dataclass(frozen=True)
class WatchPolicy:
    """The watch's thresholds. Days without news: the carrier's figure if it has one (an
    express carrier scans daily wherever it goes), else the destination country's, else
    `silence_days`."""

    silence_days: int = 10
    silence_days_by_country: Mapping[str, int] = field(
        default_factory=lambda: {"BR": 20, "AR": 20, "CL": 15, "MX": 15, "RU": 15, "UA": 15}
    )
    silence_days_by_carrier: Mapping[str, int] = field(
        default_factory=lambda: {"DHL": 4, "DHL Express": 4, "FedEx": 4, "UPS": 4}
    )
    customs_days: int = 5  # held in customs for more than this
    deadline_days: int = 7  # under this many days left before the delivery deadline
    structural_delay_countries: frozenset[str] = frozenset({"BR"})
    structural_days_left: int = 5  # seed 002: under 5 days left ...
    structural_extension_days: int = 30  # ... extend delivery by 30 days

    def silence_limit(self, country: str | None, carrier: str | None) -> tuple[int, str, str]:
        """(days, which figure: carrier / country / default, for whom)."""
        carriers = {_carrier_key(k): v for k, v in self.silence_days_by_carrier.items()}
        if carrier and _carrier_key(carrier) in carriers:
            return carriers[_carrier_key(carrier)], "carrier", carrier
        if country and country.upper() in self.silence_days_by_country:
            return self.silence_days_by_country[country.upper()], "country", country.upper()
        return self.silence_days, "default", ""


@dataclass(frozen=True, slots=True)
class WatchOrder:
    """What the watch needs of an order besides its facts."""

    id: str
    status: str
    delivery_deadline: datetime | None
    destination_country: str | None = None
    carrier: str | None = None
    extension_days_left: int | None = None  # None: no cap known


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str
    key: str
    figures: dict[str, Any]
    action: str
    action_days: int | None = None  # extend_delivery: by how many days

    def data(self) -> dict[str, Any]:
        """What `shipment_alerts.data` keeps."""
        return {"figures": self.figures, "action": self.action, "action_days": self.action_days}


def _ref(event: TrackEvent | None, fallback: datetime | None = None) -> str:
    """What an alert is about, as part of its key: the event's row id, else its instant."""
    if event is not None and event.id is not None:
        return f"e{event.id}"
    at = event.at if event is not None else fallback
    return format_instant(at) or "undated"


def _iso(value: datetime | None) -> str | None:
    return format_instant(value)


def _days(delta: timedelta) -> int:
    return max(0, delta.days)


def alerts_for(
    facts: DeliveryFacts, order: WatchOrder, now: datetime, policy: WatchPolicy
) -> list[Alert]:
    """The alerts that hold for a shipped order at `now` (none for any other status)."""
    if order.status != "shipped":
        return []
    alerts: list[Alert] = []
    country = (order.destination_country or "").upper() or None
    if facts.is_open and facts.silent_since is not None:
        limit, basis, basis_for = policy.silence_limit(country, order.carrier)
        silence = now - facts.silent_since
        if silence >= limit * _DAY:
            last = facts.last_event
            about = _ref(last) if last else f"shipment:{_iso(facts.silent_since)}"
            alerts.append(
                Alert(
                    "no_news",
                    f"no_news:{about}",
                    {
                        "days": _days(silence),
                        "limit": limit,
                        "limit_basis": basis,
                        "limit_for": basis_for,
                        "since": _iso(facts.silent_since),
                        "since_rule": facts.silence_rule,
                        "last_status": str(last.status) if last else None,
                    },
                    "ask_carrier",
                )
            )
    if facts.in_customs_since is not None:
        held = now - facts.in_customs_since
        if held > policy.customs_days * _DAY:
            alerts.append(
                Alert(
                    "held_in_customs",
                    f"held_in_customs:{_iso(facts.in_customs_since)}",
                    {
                        "days": _days(held),
                        "limit": policy.customs_days,
                        "since": _iso(facts.in_customs_since),
                    },
                    "check_customs",
                )
            )
    action = facts.action_required
    if action is not None:
        suggested = {
            ("pay_duties", "buyer"): "ask_buyer_to_pay",
            ("collect", "buyer"): "ask_buyer_to_collect",
            ("clearance_data", "seller"): "supply_clearance_data",
            ("pay_duties", "seller"): "supply_clearance_data",
            ("address_data", "unknown"): "confirm_address",
        }.get((action.what, action.by), "ask_carrier")
        alerts.append(
            Alert(
                "action_required",
                f"action_required:{action.what}:{_ref(action.event)}",
                {
                    "what": action.what,
                    "by": action.by,
                    "since": _iso(action.since),
                    "rule": action.rule,
                },
                suggested,
            )
        )
    if facts.stage == TrackingStatus.RETURNED and facts.returned is not None:
        alerts.append(
            Alert(
                "returned",
                f"returned:{_ref(facts.returned)}",
                {"at": _iso(facts.returned.at)},
                "contact_buyer",
            )
        )
    elif facts.stage == TrackingStatus.RETURNING and facts.returning is not None:
        alerts.append(
            Alert(
                "returning",
                f"returning:{_ref(facts.returning)}",
                {"since": _iso(facts.returning.at)},
                "contact_buyer",
            )
        )
    deadline = order.delivery_deadline
    if facts.is_open and deadline is not None and now < deadline:
        alerts.extend(_deadline_alerts(facts, order, now, deadline, country, policy))
    return alerts


def _deadline_alerts(
    facts: DeliveryFacts,
    order: WatchOrder,
    now: datetime,
    deadline: datetime,
    country: str | None,
    policy: WatchPolicy,
) -> list[Alert]:
    """Close to the delivery deadline and not delivered. To a destination with structural
    delays, under `structural_days_left` days: extend by `structural_extension_days` (what the
    extension cap still allows), in one click, instead."""
    left = deadline - now
    room = order.extension_days_left
    extend_by = (
        policy.structural_extension_days
        if room is None
        else min(policy.structural_extension_days, room)
    )
    figures: dict[str, Any] = {
        "deadline": _iso(deadline),
        "days_left": _days(left),
        "stage": facts.stage,
    }
    structural = country is not None and country in policy.structural_delay_countries
    if structural and left < policy.structural_days_left * _DAY and extend_by > 0:
        return [
            Alert(
                "extend_delivery",
                f"extend_delivery:{_iso(deadline)}",
                {
                    **figures,
                    "limit": policy.structural_days_left,
                    "country": country,
                    "extend_days": extend_by,
                },
                "extend_delivery",
                extend_by,
            )
        ]
    if left < policy.deadline_days * _DAY:
        can_extend = room is None or room > 0
        return [
            Alert(
                "deadline_close",
                f"deadline_close:{_iso(deadline)}",
                {**figures, "limit": policy.deadline_days},
                "extend_delivery" if can_extend else "contact_buyer",
            )
        ]
    return []
