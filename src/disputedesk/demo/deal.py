"""The demo's builder: `_Demo` (the marketplace being built, its clock and its random draws)
and `_Deal` (one order through the services, step by step, with its parcel's story)."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from disputedesk.demo import places
from disputedesk.demo import tracking as parcels
from disputedesk.demo.cast import (
    _ARBITRATOR_TEXTS,
    _BUYER_TEXTS,
    _EURO,
    _MINUTE,
    _NAD,
    _NOTES,
    _NR,
    _NR_REASONS,
    _RETURN_CARRIERS,
    _SELLER_TEXTS,
    _Buyer,
    _Store,
    return_address_text,
)
from disputedesk.rules.instants import format_instant
from disputedesk.rules.model import Dispute, State
from disputedesk.rules.money import format_money
from disputedesk.rules.vocabulary import Action, Actor, DisputeStatus
from disputedesk.services import messages
from disputedesk.services import orders as order_service
from disputedesk.services import tracking as tracking_service
from disputedesk.services.commands import CommandResult, execute
from disputedesk.store.db import Database

# --------------------------------------------------------------------------------------------
# The builder


ARBITRATOR_EMAIL = "arbitrator@disputedesk.demo"  # Marta Rossi, the demo's arbitrator login


class _Demo:
    """The build's shared state: the database, the clock, and the id and tracking counters."""

    def __init__(self, db: Database, now: datetime, rng: random.Random) -> None:
        self.db = db
        self.base = now.replace(second=0, microsecond=0)
        self.rng = rng
        self.order_ids: set[str] = set()
        self.arbitrator = "Marta Rossi"
        self.addresses: dict[str, dict[str, str]] = {}
        self.deals: list[_Deal] = []

    def address_of(self, buyer: _Buyer) -> dict[str, str]:
        """The buyer's address as parts, the same for all their orders."""
        if buyer.id not in self.addresses:
            self.addresses[buyer.id] = places.address(
                buyer.name, buyer.country, buyer.city, random.Random(f"{buyer.id}")
            )
        return self.addresses[buyer.id]

    def new_order_id(self) -> str:
        while True:
            order_id = f"81{self.rng.randrange(10**13, 10**14)}"
            if order_id not in self.order_ids:
                self.order_ids.add(order_id)
                return order_id


class _Deal:
    """One demo order: its facts, and helpers that send its commands in time order."""

    def __init__(self, demo: _Demo, store: _Store, buyer: _Buyer, *, urgent: bool = False) -> None:
        self.demo = demo
        self.urgent = urgent  # an open dispute's next deadline within 48 hours
        self.db = demo.db
        self.base = demo.base
        self.rng = random.Random(demo.rng.getrandbits(64))
        self.id = demo.new_order_id()
        self.store = store
        self.buyer = buyer
        rng = self.rng
        self.category = rng.choice(store.categories)
        product = rng.choice(self.category.products)
        quantity = rng.choices([1, 2, 3], [8, 2, 1])[0]
        unit = rng.randint(self.category.low_cents, self.category.high_cents)
        self.items = [{"title": product, "quantity": quantity, "unit_price": _cents(unit)}]
        self.amount = unit * quantity
        names, weights = zip(*store.lanes.get(buyer.country, store.carriers), strict=True)
        self.carrier: str = rng.choices(names, weights)[0]
        if self.carrier == "DHL":
            self.shipping = rng.randint(1500, 3500)
        else:
            self.shipping = 0 if rng.random() < 0.55 else rng.randint(99, 1299)
        self.currency = "EUR" if buyer.country in _EURO and rng.random() < 0.5 else "USD"
        self.promised = 0
        self.last: datetime | None = None
        self.state: State | None = None
        self.address = demo.address_of(buyer)
        self.shipped_at: datetime | None = None
        self.tracking_number: str | None = None
        self.received_at: datetime | None = None  # when the buyer is known to have the goods
        self.story: parcels.Story | None = None  # the parcel's story, when a recipe tells it
        self.replacement: tuple[datetime, str] | None = None  # shipped at, tracking number
        self.expect: tuple[str, str | None] | None = None  # a plain order's dispute's outcome
        self.later: list[Callable[[], None]] = []  # steps once the tracking is stored (`finish`)
        demo.deals.append(self)

    # -- time and money ------------------------------------------------------------------

    def ago(self, low: float, high: float, urgent: tuple[float, float] | None = None) -> datetime:
        """An instant between `high` and `low` days before now (whole minutes); for an urgent
        deal, within the `urgent` range instead (when given)."""
        if self.urgent and urgent is not None:
            low, high = urgent
        return self.base - self.span(low, high)

    def span(self, low: float, high: float) -> timedelta:
        """A duration from `low` to `high` days, in whole minutes."""
        return timedelta(minutes=self.rng.randint(round(low * 1440), round(high * 1440)))

    def soon(self, at: datetime, low: float = 0.002, high: float = 0.05) -> datetime:
        """A little after `at`, never after now."""
        return min(at + self.span(low, high), self.base)

    def between(self, start: datetime, end: datetime) -> datetime:
        """The whole minute halfway from `start` to `end`."""
        return (start + (end - start) / 2).replace(second=0, microsecond=0)

    def age(self, at: datetime) -> float:
        """How many days before now `at` is."""
        return (self.base - at).total_seconds() / 86400

    @property
    def total(self) -> int:
        return self.amount + self.shipping

    def full(self) -> str:
        return _cents(self.total)

    def part(self, low: float = 0.2, high: float = 0.7) -> str:
        return _cents(max(1, round(self.total * self.rng.uniform(low, high))))

    def refund_plan(self, full: bool | None = None) -> dict[str, Any]:
        if full is None:
            full = self.rng.random() < 0.6
        return {"type": "refund_only", "amount": self.full() if full else self.part(0.5, 0.9)}

    def return_plan(self) -> dict[str, Any]:
        return {"type": "return_and_refund", "amount": self.full()}

    # -- reasons ---------------------------------------------------------------------------

    def nad_reason(self, *among: str) -> str:
        pool = [r for r in self.store.nad_reasons if not among or r in among]
        return _NAD + self.rng.choice(pool or list(self.store.nad_reasons))

    def nr_reason(self) -> str:
        """A not-received reason this parcel's carriers can show in tracking."""
        country = self.buyer.country
        pool = [r for r in _NR_REASONS if parcels.can_show(r, self.carrier, country)]
        return _NR + self.rng.choice(pool)

    def any_reason(self) -> str:
        return self.nr_reason() if self.rng.random() < 0.35 else self.nad_reason()

    # -- the order -------------------------------------------------------------------------

    def create(self, placed_at: datetime, promised: int) -> None:
        raw = {
            "id": self.id,
            "store_id": self.store.id,
            "buyer_id": self.buyer.id,
            "amount": _cents(self.amount),
            "shipping": _cents(self.shipping),
            "currency": self.currency,
            "placed_at": format_instant(placed_at),
            "promised_delivery_days": promised,
            "items": self.items,
            "destination_address": places.one_line(self.address),
            "shipping_address": self.address,
            "destination_country": self.buyer.country,
            "category": self.category.name,
        }
        order_service.create_order(self.db, order_service.check_order(raw), now=placed_at)
        self.promised = promised

    def start(self, shipped_at: datetime, promised: int | None = None) -> None:
        """Create the order (placed a little before `shipped_at`) and ship it."""
        if promised is None:
            promised = self.rng.choice([20, 25, 30, 45, 60])
        self.create(shipped_at - self.span(0.2, 2.5), promised)
        self.ship(shipped_at)

    def start_before(
        self, opened: datetime, gap: tuple[float, float] = (5.5, 12), promised: int | None = None
    ) -> None:
        """Ship `gap` days before the dispute opens (the deadline comes after the opening)."""
        shipped = opened - self.span(*gap)
        if promised is None:
            lasting = (opened - shipped).days + 2
            promised = self.rng.choice([p for p in (20, 25, 30, 45, 60) if p > lasting])
        self.start(shipped, promised)

    def ship(self, at: datetime) -> None:
        number = _tracking_number(self.rng, self.carrier)
        self.do(Actor.SELLER, Action.SHIP, at, carrier=self.carrier, tracking_number=number)
        self.shipped_at, self.tracking_number = at, number

    def promise(self) -> int:
        """Delivery days promised to the buyer, as sellers do for the destination."""
        country = self.buyer.country
        if country == "BR":
            return self.rng.choice([45, 60])
        if country in ("RU", "UA", "MX", "CL"):
            return self.rng.choice([30, 45, 60])
        return self.rng.choice([20, 25, 30])

    def model_story(self) -> parcels.Story:
        """The parcel as the transit model draws it (nothing else known yet)."""
        assert self.shipped_at is not None
        return parcels.model_story(
            self.carrier, self.buyer.country, self.shipped_at, self.base, self.rng
        )

    def parcel_events(self) -> list[tuple[str, tracking_service.CarrierEvent]]:
        """The order's carrier events for `ingest_many`, told by its story."""
        if self.shipped_at is None or self.tracking_number is None:
            return []
        assert self.state is not None
        story = self.story
        if story is None:
            disputes = tuple(
                parcels.Opened(d.reason, d.opened_at, d.goods_received) for d in self.state.disputes
            )
            received = [d.at for d in disputes if d.goods_received]
            if self.received_at is not None:
                received.append(self.received_at)
            story = parcels.story_for(
                self.carrier,
                self.buyer.country,
                self.shipped_at,
                self.base,
                self.rng,
                disputes=disputes,
                received=min(received) if received else None,
            )
        parcel = parcels.Parcel(
            self.id,
            self.carrier,
            self.tracking_number,
            self.buyer.country,
            self.address,
            self.shipped_at,
            self.buyer.locale,
        )
        rng = random.Random(self.rng.getrandbits(64))
        events = [(self.id, e) for e in parcels.timeline(parcel, story, rng, self.base)]
        if self.replacement is not None:  # the replacement's own parcel, under its number
            shipped, number = self.replacement
            received = self.received_at if self.received_at and self.received_at > shipped else None
            again = parcels.story_for(
                self.carrier, self.buyer.country, shipped, self.base, rng, received=received
            )
            second = dataclasses.replace(parcel, number=number, shipped_at=shipped)
            events += [(self.id, e) for e in parcels.timeline(second, again, rng, self.base)]
        return events

    def do(self, actor: str, action: str, at: datetime, **fields: Any) -> CommandResult:
        """Send one command; a refusal is a bug in the demo's recipes."""
        if at > self.base:
            raise RuntimeError(f"demo order {self.id}: {action} at {at} is after now")
        if self.last is not None and at < self.last:
            raise RuntimeError(f"demo order {self.id}: {action} at {at} is before {self.last}")
        who: dict[str, str] = {}  # the arbitrator names herself, as in the desk (issue 14)
        if actor == Actor.ARBITRATOR:
            who = {"performed_by": ARBITRATOR_EMAIL, "performed_by_name": self.demo.arbitrator}
        result = execute(self.db, self.id, actor, action, fields, at, recorded_at=at, **who)
        refusal = result.refusal
        if refusal is not None:
            raise RuntimeError(
                f"demo order {self.id}: {actor} {action} at {at} refused: "
                f"{refusal.code} {refusal.message}"
            )
        self.last = at
        self.state = result.state
        if action == Action.CONFIRM_RECEIPT and self.received_at is None:
            self.received_at = at
        if action == Action.SHIP_REPLACEMENT:
            self.replacement = (at, fields["tracking_number"])
        return result

    # -- dispute steps ---------------------------------------------------------------------

    def open(
        self,
        at: datetime,
        reason: str,
        plan: dict[str, Any],
        *,
        goods_received: bool | None = None,
        say: bool = True,
    ) -> None:
        item = reason.split(".", 1)[1]
        if goods_received is None:
            goods_received = reason.startswith(_NAD) or item == "carrier_changed"
        self.do(
            Actor.BUYER,
            Action.OPEN_DISPUTE,
            at,
            reason=reason,
            plan=plan,
            goods_received=goods_received,
            note=_NOTES[item],
        )
        if say:
            self.buyer_says("open_nad" if reason.startswith(_NAD) else "open_nr", self.soon(at))

    def buyer_evidence(self, at: datetime) -> None:
        """Photos or a video of the problem, or the tracking page, as the reason suggests."""
        dispute = self._dispute()
        if dispute.reason.startswith(_NAD):
            if self.rng.random() < 0.4:
                self.evidence(
                    Actor.BUYER,
                    at,
                    "video",
                    "Unboxing video showing the problem",
                    f"https://video.example/demo/{self.id}-unboxing.mp4",
                )
            else:
                self.evidence(
                    Actor.BUYER,
                    at,
                    "photo",
                    "Photos of the item as received, with the label",
                    f"https://photos.example/demo/{self.id}-1.jpg",
                )
        elif dispute.reason.endswith("customs_held"):
            self.evidence(Actor.BUYER, at, "customs_receipt", "Customs notice asking for documents")
        else:
            kind = self.rng.choice(["tracking_record", "chat_log"])
            text = {
                "tracking_record": "Screenshot of the tracking page: no update for 12 days",
                "chat_log": "Chat with the local post office: no parcel for this number",
            }[kind]
            self.evidence(Actor.BUYER, at, kind, text)

    def seller_evidence(self, at: datetime) -> None:
        dispute = self._dispute()
        if dispute.reason.endswith("counterfeit"):
            self.evidence(
                Actor.SELLER, at, "brand_authorization", "Authorised reseller certificate, 2026"
            )
        elif dispute.reason.startswith(_NR):
            kind = self.rng.choice(["tracking_record", "proof_of_delivery", "delivery_note"])
            text = {
                "tracking_record": "Full carrier tracking record from acceptance to delivery",
                "proof_of_delivery": "Carrier's proof of delivery with the recipient's signature",
                "delivery_note": "Shipping label with barcode, address and customs declaration",
            }[kind]
            self.evidence(Actor.SELLER, at, kind, text)
        elif self.rng.random() < 0.5:
            self.evidence(
                Actor.SELLER,
                at,
                "video",
                "Packing video: the item tested and packed before shipping",
                f"https://video.example/demo/{self.id}-packing.mp4",
            )
        else:
            self.evidence(Actor.SELLER, at, "invoice", "Factory invoice and quality check sheet")

    def evidence(
        self, actor: str, at: datetime, kind: str, description: str, link: str | None = None
    ) -> None:
        fields: dict[str, Any] = {"kind": kind, "description": description}
        if link is not None:
            fields["attachment"] = {"link": link}
        self.do(actor, Action.SUBMIT_EVIDENCE, at, **fields)

    def _dispute(self) -> Dispute:
        assert self.state is not None and self.state.disputes
        return self.state.disputes[-1]

    def reject(self, at: datetime) -> None:
        reason = self._dispute().reason
        if reason == _NR + "in_transit":
            key = "reject_transit"
        else:
            key = "reject_nr" if reason.startswith(_NR) else "reject_nad"
        self.do(Actor.SELLER, Action.REJECT, at, note=_SELLER_TEXTS[key])
        self.seller_says(key, self.soon(at))

    def propose(self, at: datetime, plan: dict[str, Any]) -> None:
        self.do(Actor.SELLER, Action.PROPOSE, at, plan=plan)
        key = {"refund_only": "offer", "return_and_refund": "offer_return"}.get(
            plan["type"], "offer_resend"
        )
        self.seller_says(key, self.soon(at), amount=plan.get("amount", ""))

    def seller_accepts(self, at: datetime) -> None:
        self.do(Actor.SELLER, Action.ACCEPT, at)
        plan = self._dispute().buyer_plan
        key = {"return_and_refund": "return_address", "resend": "resend"}.get(plan.type, "accept")
        self.seller_says(key, self.soon(at))

    def buyer_accepts(self, at: datetime) -> None:
        self.do(Actor.BUYER, Action.ACCEPT, at)
        if self._dispute().status == DisputeStatus.AWAITING_RETURN_SHIPMENT:
            self.seller_says("return_address", self.soon(at))

    def agree(self, at: datetime, plan: dict[str, Any], opened: datetime) -> None:
        """Agreement on `plan` at `at`: the seller accepts the buyer's plan, or (sometimes)
        the seller proposes it after the opening and the buyer accepts."""
        if self.rng.random() < 0.65:
            self.seller_accepts(at)
        else:
            self.propose(self.between(opened, at), plan)
            self.buyer_accepts(at)

    def ship_return(self, at: datetime) -> None:
        tracking = f"RT{self.rng.randint(10**8, 10**9 - 1)}{self.buyer.country}"
        self.do(
            Actor.BUYER,
            Action.SHIP_RETURN,
            at,
            carrier=_RETURN_CARRIERS.get(self.buyer.country, "Local post"),
            tracking_number=tracking,
        )
        self.buyer_says("return_sent", self.soon(at), tracking=tracking)

    def escalate_after_reject(self, escalated: datetime, reason: str | None = None) -> datetime:
        """Open, the seller rejects, the buyer escalates at `escalated`; returns the opening."""
        reject = escalated - self.span(0.1, 1.5)
        opened = reject - self.span(0.05, 1.5)
        self.start_before(opened)
        self.open(opened, reason or self.any_reason(), self.refund_plan())
        self.reject(reject)
        self.do(Actor.BUYER, Action.ESCALATE, escalated, note="The seller refuses any refund.")
        self.buyer_says("escalate", self.soon(escalated))
        return opened

    def rule(
        self,
        at: datetime,
        responsibility: str,
        amount: str,
        *,
        return_required: bool = False,
        then: Callable[[], None] | None = None,
    ) -> None:
        """The arbitrator's ruling at `at`, made once the parcels' tracking is stored (`finish`),
        through the ruling assistant (`services.advice.rule`) as the desk makes it: she follows
        the advice when a principle applies and the drawn ruling is neither a goodwill split
        nor a return; otherwise she rules as drawn and, when that differs from the advice, says
        why. `then`: the order's later steps (after the ruling)."""

        def ruling() -> None:
            self._rule(at, responsibility, amount, return_required)
            if then is not None:
                then()

        self.later.append(ruling)

    def finish(self) -> None:
        """The steps that wait for the stored tracking (the rulings), in order."""
        for step in self.later:
            step()
        self.later.clear()

    def _rule(self, at: datetime, responsibility: str, amount: str, return_required: bool) -> None:
        from disputedesk.services import advice as assistant

        if self.last is not None and at < self.last:
            raise RuntimeError(f"demo order {self.id}: rule at {at} is before {self.last}")
        advice, _checklist = assistant.case_advice(self.db, self.id, at)
        follows = (
            advice.principle is not None
            and responsibility != "none"
            and not return_required
            and not advice.return_required
        )
        if follows:
            responsibility = advice.responsibility or responsibility
            amount = advice.refund_amount or amount
        judged = assistant.judge(advice, amount, responsibility, return_required)
        why_not = _WHY_NOT["return" if return_required else "split"]
        summary = {
            "seller": f"the seller is responsible; {amount} {self.currency} refunded to the buyer.",
            "buyer": "the evidence supports the seller; no refund.",
            "none": f"no one is at fault; {amount} {self.currency} refunded as a goodwill split.",
        }[responsibility]
        if return_required:
            summary = (
                f"return the item; {amount} {self.currency} refunded when the seller receives it."
            )
        self.arbitrator_says("ruling", at - _MINUTE, summary=summary)
        fields = {
            "refund_amount": amount,
            "responsibility": responsibility,
            "return_required": return_required,
            "reason": summary[0].upper() + summary[1:],
        }
        result = assistant.rule(
            self.db,
            self.id,
            fields,
            at=at,
            why_not=why_not if judged.deviation else None,
            recorded_at=at,
            performed_by=ARBITRATOR_EMAIL,
            performed_by_name=self.demo.arbitrator,
        )
        if result.refusal is not None:
            raise RuntimeError(f"demo order {self.id}: rule at {at} refused: {result.refusal}")
        self.last = at
        self.state = result.state

    def intervene(self, at: datetime) -> None:
        self.do(Actor.ARBITRATOR, Action.INTERVENE, at)
        self.arbitrator_says("intervene", self.soon(at, 0.001, 0.01))

    # -- messages --------------------------------------------------------------------------

    def buyer_says(self, key: str, at: datetime, **values: str) -> None:
        language = self.buyer.locale.split("-", 1)[0]
        if language in _BUYER_TEXTS and language != "en" and self.rng.random() < 0.7:
            text, locale = _BUYER_TEXTS[language][key], self.buyer.locale
        else:
            text, locale = _BUYER_TEXTS["en"][key], "en"
        self.say("buyer", self.buyer.name, text.format(**values), locale, at)

    def seller_says(self, key: str, at: datetime, **values: Any) -> None:
        values = {
            "buyer": self.buyer.name.split(" ")[0],
            "currency": self.currency,
            "address": return_address_text(self.store.id, self.buyer.country),
            **values,
        }
        name = self.store.agent if self.rng.random() < 0.6 else self.store.owner
        self.say("seller", name, _SELLER_TEXTS[key].format(**values), "en", at)

    def arbitrator_says(self, key: str, at: datetime, **values: str) -> None:
        text = _ARBITRATOR_TEXTS[key].format(**values)
        self.say("arbitrator", self.demo.arbitrator, text, "en", at)

    def say(self, role: str, name: str, body: str, locale: str, at: datetime) -> None:
        messages.post_message(
            self.db,
            self.id,
            sender_role=role,
            body=body,
            sender_name=name,
            locale=locale,
            at=min(at, self.base),
        )


# Why the demo's arbitrator rules otherwise than advised (a ruling that differs says why).
_WHY_NOT = {
    "split": "Both sides acted in good faith and the evidence is balanced: a goodwill split "
    "is fairer than the advice's all-or-nothing.",
    "return": "The goods are worth sending back: the seller refunds in full once it has them, "
    "rather than refunding without the return.",
}


def _cents(cents: int) -> str:
    return format_money(Decimal(cents) / 100)


def _tracking_number(rng: random.Random, carrier: str) -> str:
    digits = rng.randint(10**11, 10**12 - 1)
    if carrier == "Yanwen":
        return f"UG{digits % 10**9:09d}YP"
    if carrier == "DHL":
        return f"{digits % 10**10:010d}"
    return f"LP00{digits:012d}"
