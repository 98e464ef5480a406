"""Delivery facts: what an order's normalised carrier events say, for people and for the rules.

RULES.md section 9 decides "not received" disputes from tracking: no valid scan in time (principle
1), arrival for pickup with a written notice left (2; a local office without notice or an import
exchange office is still in transit), a delivery that matches the order's time, city, zip code and
recipient (3) or does not (4), customs duties the buyer was told of (6). These facts are the
inputs those principles read, each with the rule that produced it, so a page can say it in words.

Pure: no I/O and no clock (`now` is a parameter). The events are already classified
(`tracking.classifier`); rows of `tracking_events` are read with `TrackEvent.of`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from disputedesk.rules.instants import format_instant
from disputedesk.tracking.match import DeliveryMatch, fold, match_delivery, recipient_in
from disputedesk.tracking.taxonomy import NOTICE_STATUSES, TrackingStatus

S = TrackingStatus
_STATUSES = {s.value: s for s in TrackingStatus}
# Statuses that are no scan of the parcel: the carrier has data, or nothing.
NOT_SCANS = frozenset({S.NO_INFO, S.INFO_RECEIVED})
# Statuses that keep a customs hold going (an action asked of a party within it too).
HOLD_STATUSES = frozenset({S.IN_CUSTOMS, S.ACTION_REQUIRED})
# After an action was asked, these say nothing moved (the action is still outstanding).
STILL_WAITING = frozenset({S.IN_CUSTOMS, S.ACTION_REQUIRED, S.EXCEPTION, S.NO_INFO})
# Stages before the parcel is delivered or turned back (the watch's "not delivered").
OPEN_STAGES = frozenset(
    {
        "no_events",
        S.NO_INFO,
        S.INFO_RECEIVED,
        S.ACCEPTED,
        S.IN_TRANSIT,
        S.ARRIVED_DEST_COUNTRY,
        S.IN_CUSTOMS,
        S.ACTION_REQUIRED,
        S.AT_LOCAL_OFFICE,
        S.OUT_FOR_DELIVERY,
        S.AVAILABLE_FOR_PICKUP,
        S.DELIVERY_ATTEMPTED,
        S.EXCEPTION,
    }
)


@dataclass(slots=True)
class TrackEvent:
    """One normalised carrier event, as the facts read it (never changed once made; not frozen,
    since a frozen dataclass costs a few microseconds more per event on every read)."""

    status: TrackingStatus
    at: datetime | None
    notice_left: bool | None = None
    description: str | None = None
    location: Mapping[str, str] | None = None
    extra: Mapping[str, Any] | None = None
    id: int | None = None
    carrier: str | None = None
    raw_code: str | None = None
    tracking_number: str | None = None
    leg: str = "outbound"
    unclassified: bool = False
    at_text: str | None = None  # the instant as the carrier wrote it (shown when unreadable)

    @classmethod
    def of(cls, row: Any) -> TrackEvent:
        """From a `tracking_events` row (or anything with its attribute names); a status this
        taxonomy does not know reads as an unclassified exception."""
        status = _STATUSES.get(row.status)
        try:  # a row of every column the facts read
            ident, carrier, code = row.id, row.carrier, row.raw_code
            number, leg, at_text, unclassified = (
                row.tracking_number,
                row.leg,
                row.at_text,
                row.unclassified,
            )
        except AttributeError:  # something with fewer of them
            ident, carrier, code, number, leg, at_text, unclassified = (
                getattr(row, name, None)
                for name in (
                    "id",
                    "carrier",
                    "raw_code",
                    "tracking_number",
                    "leg",
                    "at_text",
                    "unclassified",
                )
            )
        if status is None:
            status, unclassified = S.EXCEPTION, True
        return cls(
            status,
            row.at,
            row.notice_left,
            row.description,
            row.location,
            row.extra,
            ident,
            carrier,
            code,
            number,
            leg or "outbound",
            bool(unclassified),
            at_text,
        )

    @property
    def place(self) -> str:
        return place_text(self.location)


def place_text(location: Mapping[str, Any] | None) -> str:
    """A carrier's place in one line: "Curitiba, PR 80000-000, BR · AC CENTRAL"."""
    if not location:
        return ""
    parts = [str(location[k]).strip() for k in ("city", "state") if location.get(k)]
    line = ", ".join(p for p in parts if p)
    if location.get("zip"):
        line = f"{line} {str(location['zip']).strip()}".strip()
    if location.get("country"):
        line = f"{line}, {str(location['country']).strip()}" if line else str(location["country"])
    extras = [str(location[k]).strip() for k in ("facility", "text") if location.get(k)]
    extras = [e for e in extras if e and fold(e) not in fold(line)]
    return " · ".join(p for p in [line, *extras] if p)


@dataclass(frozen=True, slots=True)
class Shipment:
    """What the facts compare the events with: the order's shipment and address."""

    shipped_at: datetime | None
    delivery_deadline: datetime | None
    shipping_address: Mapping[str, Any] | None = None
    destination_country: str | None = None
    tracking_number: str | None = None

    @classmethod
    def of(cls, order: Any) -> Shipment:
        """From an `orders` row (or the core's Order plus `shipping_address`)."""
        return cls(
            shipped_at=order.shipped_at,
            delivery_deadline=order.delivery_deadline,
            shipping_address=getattr(order, "shipping_address", None),
            destination_country=getattr(order, "destination_country", None),
            tracking_number=getattr(order, "tracking_number", None),
        )


def _event_json(event: TrackEvent | None) -> dict[str, Any] | None:
    if event is None:
        return None
    return {
        "id": event.id,
        "at": format_instant(event.at),
        "status": str(event.status),
        "notice_left": event.notice_left,
        "description": event.description,
        "place": event.place or None,
        "carrier": event.carrier,
    }


@dataclass(frozen=True, slots=True)
class ActionRequired:
    """What the carrier waits for, from whom: `by` buyer / seller / unknown, `what`
    pay_duties / collect / clearance_data / address_data / unknown."""

    what: str
    by: str
    since: datetime | None
    rule: str
    event: TrackEvent

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "by": self.by,
            "since": format_instant(self.since),
            "rule": self.rule,
            "event": _event_json(self.event),
        }


@dataclass(frozen=True, slots=True)
class Delivered:
    event: TrackEvent
    recipient: str  # who took it, as the carrier wrote it ("" when nobody is named)
    recipient_source: str  # extra.<key> / description / ""
    match: DeliveryMatch

    @property
    def at(self) -> datetime | None:
        return self.event.at

    def to_json(self) -> dict[str, Any]:
        return {
            "at": format_instant(self.at),
            "place": self.event.place or None,
            "recipient": self.recipient or None,
            "recipient_source": self.recipient_source or None,
            "event": _event_json(self.event),
            "match": self.match.to_json(),
        }


@dataclass(frozen=True, slots=True)
class Reading:
    """What the facts amount to for RULES.md section 9 (the arbitrator decides): `kind`, the
    principle it bears on (None: none of them), and the rule that read it."""

    kind: str
    principle: int | None
    rule: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "principle": self.principle, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class DeliveryFacts:
    """An order's delivery facts at `now`. Every instant is UTC; `*_rule` fields name the rule
    behind a fact (for words on the pages and for people asking why)."""

    now: datetime
    stage: str  # a TrackingStatus value, or "no_events"
    stage_rule: str
    events: int  # the events the facts read (of this shipment, outbound)
    ignored: int  # events left out: another tracking number, the buyer's return
    scope_rule: str
    first_valid_scan: TrackEvent | None
    last_event: TrackEvent | None
    silent_since: datetime | None  # the last news (or the shipment, before any)
    silence_rule: str
    in_customs_since: datetime | None
    action_required: ActionRequired | None
    pickup_notice: TrackEvent | None
    delivered: Delivered | None
    returning: TrackEvent | None
    returned: TrackEvent | None
    reading: Reading
    timeline: tuple[TrackEvent, ...] = field(default=(), repr=False)

    @property
    def days_without_news(self) -> int | None:
        return _whole_days(self.now - self.silent_since) if self.silent_since else None

    @property
    def customs_days(self) -> int | None:
        return _whole_days(self.now - self.in_customs_since) if self.in_customs_since else None

    @property
    def is_open(self) -> bool:
        """Not delivered, not turned back: the parcel is still on its way (or lost)."""
        return self.stage in OPEN_STAGES

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": format_instant(self.now),
            "stage": self.stage,
            "stage_rule": self.stage_rule,
            "events": self.events,
            "ignored_events": self.ignored,
            "scope_rule": self.scope_rule,
            "first_valid_scan": _event_json(self.first_valid_scan),
            "last_event": _event_json(self.last_event),
            "days_without_news": self.days_without_news,
            "silent_since": format_instant(self.silent_since),
            "silence_rule": self.silence_rule,
            "in_customs_since": format_instant(self.in_customs_since),
            "customs_days": self.customs_days,
            "action_required": self.action_required.to_json() if self.action_required else None,
            "pickup_notice_left": _event_json(self.pickup_notice),
            "delivered": self.delivered.to_json() if self.delivered else None,
            "returning": _event_json(self.returning),
            "returned": _event_json(self.returned),
            "reading": self.reading.to_json(),
        }


def _whole_days(delta: timedelta) -> int:
    return max(0, delta.days)


# -- what an action asks for, from whom -------------------------------------------------------

_SENDER = re.compile(
    r"sender|shipper|exporter|remetente|exp[ée]diteur|remitente|absender|mittente|nadawc|"
    r"отправител|g[öo]nderici|发件人|寄件人|送り主|差出人|발송인|보내는",
    re.IGNORECASE,
)
_PAYMENT = re.compile(
    r"\bpay|payment|duties|duty|\btax|taxa|taxe|tasa|impuesto|imposto|pagamento|aguardando pag|"
    r"pagar|pago\b|paiement|payer|droits|zahl|zoll|geb[üu]hr|pagament|płat|opłat|оплат|пошлин|"
    r"ödeme|vergi|関税|支払|納付|관세|납부|缴税|付款|缴费|关税|税",
    re.IGNORECASE,
)
_CLEARANCE_DATA = re.compile(
    r"clearance information|clearance data|document|invoice|fatura|factura|facture|rechnung|"
    r"fattura|faktur|customs information|declara|cpf|tax id|ioss",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\baddress(?:es)?\b|endere[çc]o|adresse\b|direcci[óo]n|indirizzo|\badres|адрес|地址|住所|주소|"
    r"\brue\b|street|phone|t[ée]l[ée]phone|telefone|contact data|coordonn",
    re.IGNORECASE,
)
_COLLECT = re.compile(
    r"collect|pick ?up|retir|abhol|retrait|ritir|odbi[oe]r|забер|получ|teslim al|取件|领取|自提|"
    r"受取|受け取|수령|찾아",
    re.IGNORECASE,
)


def _texts(event: TrackEvent) -> str:
    extra = " ".join(str(v) for v in (event.extra or {}).values() if isinstance(v, str))
    return f"{event.description or ''} {event.raw_code or ''} {extra}"


def action_of(event: TrackEvent) -> tuple[str, str, str]:
    """(what, by, rule) an `action_required` event asks for, from its words: the sender's
    clearance data (UPS "contact with the sender to obtain clearance information"), the
    buyer's payment of duties (Correios "Aguardando pagamento"), someone's address data
    (GEODIS "nom, rue, téléphone"), the buyer collecting; else unknown."""
    text = _texts(event)
    if _SENDER.search(text):
        if _PAYMENT.search(text) and not _CLEARANCE_DATA.search(text):
            return "pay_duties", "seller", "sender_asked_to_pay"
        return "clearance_data", "seller", "sender_asked_for_data"
    if _PAYMENT.search(text):
        return "pay_duties", "buyer", "buyer_asked_to_pay"
    if _CLEARANCE_DATA.search(text):
        return "clearance_data", "unknown", "clearance_data_asked"
    if _ADDRESS.search(text):
        return "address_data", "unknown", "address_data_asked"
    if _COLLECT.search(text):
        return "collect", "buyer", "buyer_asked_to_collect"
    return "unknown", "unknown", "action_not_understood"


# -- the facts --------------------------------------------------------------------------------


def _number(value: str | None) -> str:
    return (value or "").strip().upper()


def shipment_events(
    events: Iterable[TrackEvent], tracking_number: str | None
) -> tuple[list[TrackEvent], int, str]:
    """The events of the order's current shipment: outbound (never the buyer's return), and,
    when some carry the order's tracking number, those and the ones carrying none (a
    replacement's events, not the first parcel's). Returns (events, left out, rule)."""
    every = list(events)
    outbound = [e for e in every if e.leg != "return"]
    wanted = _number(tracking_number)
    if wanted and any(_number(e.tracking_number) == wanted for e in outbound):
        kept = [e for e in outbound if _number(e.tracking_number) in ("", wanted)]
        return kept, len(every) - len(kept), "current_tracking_number"
    rule = "outbound_events" if len(outbound) < len(every) else "all_events"
    return outbound, len(every) - len(outbound), rule


def _in_time_order(events: Sequence[TrackEvent]) -> list[TrackEvent]:
    """Events with an instant, oldest first (ties kept in the order given)."""
    timed = [(e.at, i, e) for i, e in enumerate(events) if e.at is not None]
    timed.sort(key=lambda item: (item[0], item[1]))
    return [e for _, _, e in timed]


def _latest(events: Sequence[TrackEvent], statuses: Iterable[TrackingStatus]) -> TrackEvent | None:
    wanted = set(statuses)
    found = [e for e in events if e.status in wanted]
    return found[-1] if found else None


def _first(events: Sequence[TrackEvent], statuses: Iterable[TrackingStatus]) -> TrackEvent | None:
    wanted = set(statuses)
    return next((e for e in events if e.status in wanted), None)


def _customs_hold(timed: Sequence[TrackEvent]) -> TrackEvent | None:
    """The event that began the current customs hold: the run of `in_customs` events (and
    actions asked of a party within them) that the parcel is still in; None when the latest
    classified news is anything else (customs released counts as in transit)."""
    start: TrackEvent | None = None
    for event in reversed(timed):
        if event.unclassified or event.status in (S.NO_INFO, S.EXCEPTION):
            continue  # says nothing of where the parcel is (a delay within the hold)
        if event.status == S.IN_CUSTOMS or (
            event.status == S.ACTION_REQUIRED
            and action_of(event)[0] in ("pay_duties", "clearance_data")
        ):
            start = event
            continue
        break
    return start


def _action_required(
    timed: Sequence[TrackEvent], stage: str, pickup_notice: TrackEvent | None
) -> ActionRequired | None:
    """The outstanding request: the latest `action_required` event with nothing but waiting
    after it; or, for a parcel waiting at a pickup point (or a failed attempt that left a
    notice), the buyer collecting it."""
    asked = _latest(timed, [S.ACTION_REQUIRED])
    if asked is not None and stage in OPEN_STAGES:
        after = timed[timed.index(asked) + 1 :]
        what, by, rule = action_of(asked)
        paid = what == "pay_duties" and any(_PAYMENT.search(_texts(e)) for e in after)
        if not paid and all(e.status in STILL_WAITING or e.unclassified for e in after):
            return ActionRequired(what, by, asked.at, rule, asked)
    if stage == S.AVAILABLE_FOR_PICKUP:
        waiting = _latest(timed, [S.AVAILABLE_FOR_PICKUP])
        assert waiting is not None
        rule = "notice_left_to_collect" if waiting.notice_left else "waiting_at_pickup_point"
        return ActionRequired("collect", "buyer", waiting.at, rule, waiting)
    if stage == S.DELIVERY_ATTEMPTED and pickup_notice is not None:
        attempt = _latest(timed, [S.DELIVERY_ATTEMPTED])
        if attempt is pickup_notice:
            return ActionRequired("collect", "buyer", attempt.at, "notice_left_to_collect", attempt)
    return None


def _stage(
    timed: Sequence[TrackEvent],
    every: Sequence[TrackEvent],
    delivered: TrackEvent | None,
    returning: TrackEvent | None,
    returned: TrackEvent | None,
) -> tuple[str, str]:
    """Where the parcel is: turned back and handed to the sender, on its way back after its
    last delivery scan, delivered (later scans out of order do not undo it), else the latest
    classified event's status."""
    if returned is not None:
        return str(S.RETURNED), "returned_to_sender"
    if returning is not None:  # (one that began after the last delivery scan)
        return str(S.RETURNING), "turned_back"
    if delivered is not None:
        return str(S.DELIVERED), "delivery_scan"
    known = [e for e in timed if not e.unclassified and e.status != S.NO_INFO]
    if known:
        return str(known[-1].status), "latest_event"
    if any(e.status == S.NO_INFO for e in every):
        return str(S.NO_INFO), "carrier_knows_nothing"
    if every:
        return str(S.EXCEPTION), "only_unclassified_events"
    return "no_events", "no_events"


def _reading(
    stage: str,
    first_scan: TrackEvent | None,
    pickup_notice: TrackEvent | None,
    delivered: Delivered | None,
    action: ActionRequired | None,
) -> Reading:
    if stage == S.DELIVERED and delivered is not None:
        overall = delivered.match.overall
        if overall == "matched":
            return Reading("delivered_matching", 3, "all_parts_match")
        if overall == "mismatched":
            return Reading("delivered_not_matching", 4, "a_part_does_not_match")
        return Reading("delivered_match_unconfirmed", 4, "a_part_is_unknown")
    if pickup_notice is not None and stage not in (S.RETURNED, S.RETURNING):
        return Reading("pickup_notice_left", 2, "written_notice_left")
    if stage == S.RETURNED:
        return Reading("returned", None, "returned_to_sender")
    if stage == S.RETURNING:
        return Reading("returning", None, "turned_back")
    if first_scan is None:
        return Reading("no_tracking", 1, "no_valid_scan")
    if action is not None and action.what == "pay_duties" and action.by == "buyer":
        return Reading("duties_due_from_buyer", 6, "buyer_asked_to_pay")
    if stage == S.AT_LOCAL_OFFICE:
        return Reading("in_transit", 2, "local_office_without_notice")
    if stage == S.AVAILABLE_FOR_PICKUP:
        return Reading("in_transit", 2, "pickup_without_notice")
    if stage in (S.ARRIVED_DEST_COUNTRY, S.IN_CUSTOMS):
        return Reading("in_transit", 2, "at_import_exchange_office")
    return Reading("in_transit", None, "on_its_way")


def delivery_facts(
    events: Iterable[TrackEvent], shipment: Shipment, now: datetime
) -> DeliveryFacts:
    """The order's delivery facts at `now`, from its normalised events (any order; events
    without an instant count as events but are placed nowhere in time)."""
    every, ignored, scope_rule = shipment_events(events, shipment.tracking_number)
    timed = _in_time_order(every)
    scans = [e for e in timed if e.status not in NOT_SCANS and not e.unclassified]
    first_scan = scans[0] if scans else None
    last = timed[-1] if timed else None
    if last is not None:
        silent_since: datetime | None = last.at
        silence_rule = "since_last_event"
    elif shipment.shipped_at is not None:
        silent_since, silence_rule = shipment.shipped_at, "since_shipment"
    else:
        silent_since, silence_rule = None, "not_shipped"
    delivered_event = _latest(timed, [S.DELIVERED]) or _latest(every, [S.DELIVERED])
    returned = _latest(timed, [S.RETURNED])
    returning_event = _first(timed, [S.RETURNING])
    if delivered_event is not None and returning_event is not None and delivered_event.at:
        # a return that began after the last delivery scan
        later = [
            e for e in timed if e.status == S.RETURNING and e.at and e.at >= delivered_event.at
        ]
        returning_event = later[0] if later else None
    stage, stage_rule = _stage(timed, every, delivered_event, returning_event, returned)
    notice = [e for e in timed if e.status in NOTICE_STATUSES and e.notice_left]
    pickup_notice = notice[-1] if notice else None
    hold = _customs_hold(timed) if stage in OPEN_STAGES else None
    delivered = None
    if delivered_event is not None:
        recipient, source = recipient_in(delivered_event.extra, delivered_event.description)
        delivered = Delivered(
            event=delivered_event,
            recipient=recipient,
            recipient_source=source,
            match=match_delivery(
                address=shipment.shipping_address,
                location=delivered_event.location,
                description=delivered_event.description,
                extra=delivered_event.extra,
                delivered_at=delivered_event.at,
                shipped_at=shipment.shipped_at,
                deadline=shipment.delivery_deadline,
            ),
        )
    action = _action_required(timed, stage, pickup_notice)
    return DeliveryFacts(
        now=now,
        stage=stage,
        stage_rule=stage_rule,
        events=len(every),
        ignored=ignored,
        scope_rule=scope_rule,
        first_valid_scan=first_scan,
        last_event=last,
        silent_since=silent_since,
        silence_rule=silence_rule,
        in_customs_since=hold.at if hold is not None else None,
        action_required=action,
        pickup_notice=pickup_notice,
        delivered=delivered,
        returning=returning_event if stage in (S.RETURNING, S.RETURNED) else None,
        returned=returned,
        reading=_reading(stage, first_scan, pickup_notice, delivered, action),
        timeline=tuple(every),
    )
