"""The carrier advisor: per destination country and carrier, how a store's own parcels fared, and
which carrier to prefer. Pure (no I/O, no clock: `as_of` says when); `services.carriers` reads
the shipments from the store.

The figures, each with the counts it comes from:

- **Delivery time p50/p90** (days): over the delivered shipments only, from shipment to the
  first delivered scan, by the *nearest-rank* method: the p-th percentile of n sorted values is
  the value at rank ceil(p/100 * n) (1-based), always one observed duration, never an
  interpolation. Shown in days to one decimal (half-even).
- **Delivered within the promise**: of the shipments whose outcome against the promise is known
  at `as_of` (delivered, or undelivered when shipment + promised days has passed), those
  delivered by shipment + promised days. A parcel still inside its promise is not counted yet.
  (The promise is the buyer's: extensions of the deadline do not move it.)
- **Not-received dispute rate**: shipments on which the buyer opened a `not_received.*` dispute,
  of all shipments (an order disputed twice counts once).
- **Loss rate**: lost shipments, of all shipments. A shipment is *lost* when the parcel is not
  known to have arrived or come back (no delivered scan, no returned scan, no confirmation of
  receipt by the buyer, no `not_as_described.*` dispute, which says the goods arrived) and
  either (a) no news for long past the deadline: its delivery deadline (extensions included)
  passed at least `loss_grace_days` (10) before `as_of` and the carrier's last event (the
  shipment itself when there is none) is at least `silence_days` (30) before `as_of`; or
  (b) an arbitrator ruled a `not_received.*` dispute on it with the seller responsible.

Rates are exact fractions (`Rate`: count of total), shown as percentages to one decimal.

**The recommendation** for a country: among the carriers with at least `min_shipments` (20)
shipments whose outcome against the promise is known, the one with the highest share delivered
within the promise; ties go to the lower not-received dispute rate, then the lower loss rate,
then the shorter p90, then the most shipments, then the carrier's name (alphabetical, so the
answer never depends on the order rows come in). No carrier with enough shipments: no
recommendation, and the report says there are too few, never a pick from a handful.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

MIN_SHIPMENTS = 20
SILENCE_DAYS = 30
LOSS_GRACE_DAYS = 10
_TENTH = Decimal("0.1")
_DAY = 86400


@dataclass(frozen=True, slots=True)
class Shipment:
    """One shipped order, as the advisor needs it (the service reads these from the store)."""

    order_id: str
    country: str | None  # the destination (None: the order did not say)
    carrier: str
    shipped_at: datetime
    promised_days: int
    deadline: datetime | None = None  # the delivery deadline, extensions included
    delivered_at: datetime | None = None  # the first delivered scan
    returned: bool = False  # a returned scan: handed back to the sender
    last_news_at: datetime | None = None  # the carrier's latest event with an instant
    received: bool = False  # the buyer confirmed receipt, or disputed the goods themselves
    not_received_disputes: int = 0  # disputes with a `not_received.*` reason
    ruled_not_received: bool = False  # such a dispute ruled with the seller responsible


@dataclass(frozen=True, slots=True)
class Rate:
    """`count` of `of`, exactly; no figure when `of` is 0."""

    count: int
    of: int

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.count, self.of) if self.of else None

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent, to one decimal (half-even)."""
        if not self.of:
            return None
        return (Decimal(100 * self.count) / Decimal(self.of)).quantize(_TENTH, ROUND_HALF_EVEN)

    def as_json(self) -> dict[str, Any]:
        percent = self.percent
        return {
            "count": self.count,
            "of": self.of,
            "percent": None if percent is None else str(percent),
        }


@dataclass(frozen=True, slots=True)
class CarrierFigures:
    """A carrier's figures for one destination country."""

    country: str | None
    carrier: str
    shipments: int
    delivered: int
    p50: timedelta | None  # over `delivered` shipments
    p90: timedelta | None
    on_time: Rate  # delivered within the promise, of the shipments whose outcome is known
    not_received: Rate  # shipments with a not-received dispute, of all shipments
    lost: Rate  # lost shipments, of all shipments
    enough: bool  # enough shipments with a known outcome to be compared

    @property
    def p50_days(self) -> Decimal | None:
        return days(self.p50)

    @property
    def p90_days(self) -> Decimal | None:
        return days(self.p90)

    def as_json(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "carrier": self.carrier,
            "shipments": self.shipments,
            "delivered": self.delivered,
            "delivery_days_p50": _text(self.p50_days),
            "delivery_days_p90": _text(self.p90_days),
            "delivered_within_promise": self.on_time.as_json(),
            "not_received_disputes": self.not_received.as_json(),
            "lost": self.lost.as_json(),
            "enough_shipments": self.enough,
        }


@dataclass(frozen=True, slots=True)
class CountryAdvice:
    """One destination: every carrier's figures (the recommended first, then the other
    compared ones by rank, then those with too few shipments by count) and the pick."""

    country: str | None
    shipments: int
    carriers: tuple[CarrierFigures, ...]
    recommended: CarrierFigures | None  # None: too few shipments to say
    compared: int  # carriers with enough shipments

    def as_json(self, min_shipments: int) -> dict[str, Any]:
        return {
            "country": self.country,
            "shipments": self.shipments,
            "recommended": None if self.recommended is None else self.recommended.carrier,
            "compared": self.compared,
            "too_few_shipments": self.recommended is None,
            "min_shipments": min_shipments,
            "carriers": [c.as_json() for c in self.carriers],
        }


@dataclass(frozen=True, slots=True)
class AdvisorReport:
    """The advice for a store: its shipments from `since` to `as_of`, country by country (the
    most shipments first)."""

    store_id: str
    as_of: datetime
    since: datetime
    min_shipments: int
    countries: tuple[CountryAdvice, ...]

    def as_json(self) -> dict[str, Any]:
        from disputedesk.rules.instants import format_instant

        return {
            "store_id": self.store_id,
            "as_of": format_instant(self.as_of),
            "since": format_instant(self.since),
            "min_shipments": self.min_shipments,
            "rule": RULE,
            "countries": [c.as_json(self.min_shipments) for c in self.countries],
        }


RULE = (
    "Among carriers with at least min_shipments shipments whose outcome against the promise is "
    "known: the highest share delivered within the promise; ties: the lower not-received "
    "dispute rate, the lower loss rate, the shorter p90 delivery time, the most shipments, the "
    "name."
)


def days(duration: timedelta | None) -> Decimal | None:
    """A duration in days, to one decimal (half-even)."""
    if duration is None:
        return None
    seconds = duration.days * _DAY + duration.seconds
    return (Decimal(seconds) / _DAY).quantize(_TENTH, ROUND_HALF_EVEN)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def percentile(values: Sequence[timedelta], p: int) -> timedelta | None:
    """The nearest-rank p-th percentile (0 < p <= 100): the value at rank ceil(p/100 * n) of
    the sorted values, 1-based; None for no values."""
    if not 0 < p <= 100:
        raise ValueError(f"percentile: {p} is not in 1..100")
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(Fraction(p, 100) * len(ordered))
    return ordered[rank - 1]


def on_time(shipment: Shipment, as_of: datetime) -> bool | None:
    """Delivered by shipment + promised days (True), not (False), or not known yet (None:
    undelivered and still inside the promise)."""
    promise = shipment.shipped_at + timedelta(days=shipment.promised_days)
    if shipment.delivered_at is not None:
        return shipment.delivered_at <= promise
    if as_of > promise:
        return False
    return None


def is_lost(
    shipment: Shipment,
    as_of: datetime,
    *,
    silence_days: int = SILENCE_DAYS,
    loss_grace_days: int = LOSS_GRACE_DAYS,
) -> bool:
    """Lost, as the module says: not known to have arrived or come back, and either silent long
    past the deadline or ruled not received with the seller responsible."""
    if shipment.delivered_at is not None or shipment.returned or shipment.received:
        return False
    if shipment.ruled_not_received:
        return True
    if shipment.deadline is None or as_of - shipment.deadline < timedelta(days=loss_grace_days):
        return False
    last = shipment.last_news_at or shipment.shipped_at
    return as_of - last >= timedelta(days=silence_days)


def figures(
    shipments: Sequence[Shipment],
    as_of: datetime,
    *,
    min_shipments: int = MIN_SHIPMENTS,
    silence_days: int = SILENCE_DAYS,
    loss_grace_days: int = LOSS_GRACE_DAYS,
) -> CarrierFigures:
    """The figures of one carrier's shipments to one country."""
    if not shipments:
        raise ValueError("figures: no shipments")
    first = shipments[0]
    durations = [
        max(s.delivered_at - s.shipped_at, timedelta(0))
        for s in shipments
        if s.delivered_at is not None
    ]
    known = [v for v in (on_time(s, as_of) for s in shipments) if v is not None]
    lost = sum(
        is_lost(s, as_of, silence_days=silence_days, loss_grace_days=loss_grace_days)
        for s in shipments
    )
    return CarrierFigures(
        country=first.country,
        carrier=first.carrier,
        shipments=len(shipments),
        delivered=len(durations),
        p50=percentile(durations, 50),
        p90=percentile(durations, 90),
        on_time=Rate(sum(known), len(known)),
        not_received=Rate(sum(s.not_received_disputes > 0 for s in shipments), len(shipments)),
        lost=Rate(lost, len(shipments)),
        enough=len(known) >= min_shipments,
    )


def rank_key(f: CarrierFigures) -> tuple[Any, ...]:
    """The recommendation's order (smaller is better), exact: see the module's rule."""
    return (
        -(f.on_time.fraction or Fraction(0)),
        f.not_received.fraction or Fraction(0),
        f.lost.fraction or Fraction(0),
        f.p90 if f.p90 is not None else timedelta.max,
        -f.shipments,
        f.carrier,
    )


def advise_country(carriers: Iterable[CarrierFigures]) -> CountryAdvice:
    """The pick among one country's carriers, by `rank_key`, from those with enough shipments."""
    every = list(carriers)
    compared = sorted((c for c in every if c.enough), key=rank_key)
    others = sorted((c for c in every if not c.enough), key=lambda c: (-c.shipments, c.carrier))
    return CountryAdvice(
        country=every[0].country if every else None,
        shipments=sum(c.shipments for c in every),
        carriers=(*compared, *others),
        recommended=compared[0] if compared else None,
        compared=len(compared),
    )


def advise(
    shipments: Iterable[Shipment],
    *,
    store_id: str,
    as_of: datetime,
    since: datetime,
    min_shipments: int = MIN_SHIPMENTS,
    silence_days: int = SILENCE_DAYS,
    loss_grace_days: int = LOSS_GRACE_DAYS,
) -> AdvisorReport:
    """The advice from a store's shipments: grouped by destination country and carrier."""
    if min_shipments < 1:
        raise ValueError("min_shipments: at least 1")
    groups: dict[str | None, dict[str, list[Shipment]]] = {}
    for shipment in shipments:
        groups.setdefault(shipment.country, {}).setdefault(shipment.carrier, []).append(shipment)
    countries = [
        advise_country(
            figures(
                group,
                as_of,
                min_shipments=min_shipments,
                silence_days=silence_days,
                loss_grace_days=loss_grace_days,
            )
            for group in by_carrier.values()
        )
        for by_carrier in groups.values()
    ]
    countries.sort(key=lambda c: (-c.shipments, c.country is None, c.country or ""))
    return AdvisorReport(
        store_id=store_id,
        as_of=as_of,
        since=since,
        min_shipments=min_shipments,
        countries=tuple(countries),
    )
