"""The demo's recipes: each disputed order aims at one dispute status (and resolution), each
plain order at an order status, each watched parcel at a shipment-watch alert."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from disputedesk.demo import tracking as parcels
from disputedesk.demo.cast import _MINUTE, _NR
from disputedesk.demo.deal import _Deal, _tracking_number
from disputedesk.rules.vocabulary import Action, Actor, DisputeStatus, OrderStatus

# --------------------------------------------------------------------------------------------
# Recipes: each aims at one dispute status (and resolution); the deadlines are chosen so that
# an open dispute's next one is still ahead of now.

_AS = DisputeStatus
Recipe = Callable[[_Deal], None]


def _asr_new(d: _Deal) -> None:
    """A fresh dispute the seller has not answered yet (the 5-day clock runs)."""
    opened = d.ago(0.1, 4.8, urgent=(3.2, 4.8))
    d.start_before(opened)
    plan = d.rng.choice([d.refund_plan(), d.return_plan()])
    d.open(opened, d.nad_reason(), plan)
    d.buyer_evidence(opened + d.span(0.01, 0.09))


def _asr_not_received(d: _Deal) -> None:
    opened = d.ago(0.5, 4.6, urgent=(3.2, 4.6))
    d.start_before(opened, gap=(9, 20))
    d.open(opened, d.nr_reason(), d.refund_plan(True))
    if d.rng.random() < 0.5:
        d.buyer_evidence(opened + d.span(0.02, 0.3))


def _asr_in_transit(d: _Deal) -> None:
    """In transit and late, before the delivery deadline (which escalates it)."""
    opened = d.ago(0.3, 4.0, urgent=(3.2, 4.0))
    d.start_before(opened, gap=(18, 30), promised=d.rng.choice([45, 60]))
    d.open(opened, _NR + "in_transit", d.refund_plan(True))


def _asr_modified(d: _Deal) -> None:
    """The seller rejected, the buyer changed the plan: the seller's clock restarted."""
    opened = d.ago(6, 11)
    d.start_before(opened)
    d.open(opened, d.nad_reason(), d.refund_plan(True))
    d.reject(opened + d.span(0.2, 1.5))
    plan = d.rng.choice([d.return_plan(), d.refund_plan(False)])
    d.do(Actor.BUYER, Action.MODIFY_DISPUTE, d.ago(0.2, 4.5), plan=plan)


def _neg_propose(d: _Deal) -> None:
    """The seller offered a partial refund; the buyer thinks it too low."""
    opened = d.ago(1, 14.6, urgent=(13.2, 14.6))
    d.start_before(opened)
    d.open(opened, d.nad_reason(), d.rng.choice([d.refund_plan(True), d.return_plan()]))
    proposed = opened + d.span(0.05, 0.9)
    d.propose(proposed, {"type": "refund_only", "amount": d.part(0.15, 0.5)})
    d.buyer_says("too_low", d.soon(proposed, 0.01, 0.1))


def _neg_reject(d: _Deal) -> None:
    opened = d.ago(1, 13.5)
    d.start_before(opened)
    reason = d.rng.choice([_NR + "delivered_not_received", d.nad_reason()])
    d.open(opened, reason, d.refund_plan(True))
    rejected = opened + d.span(0.05, 0.9)
    d.reject(rejected)
    d.seller_evidence(rejected + _MINUTE * 5)


def _neg_in_transit(d: _Deal) -> None:
    """In transit: the seller asks to wait and (often) extends the delivery time."""
    opened = d.ago(2, 6)
    d.start_before(opened, gap=(15, 20), promised=30)
    d.open(opened, _NR + "in_transit", d.refund_plan(True))
    rejected = opened + d.span(0.05, 0.5)
    d.reject(rejected)
    if d.rng.random() < 0.6:
        days = d.rng.choice([10, 15, 20])
        d.do(Actor.SELLER, Action.EXTEND_DELIVERY, rejected + _MINUTE * 3, days=days)
        d.seller_says("extend", rejected + _MINUTE * 4, days=str(days))


def _return_shipment(d: _Deal) -> None:
    """Agreed on a return: the buyer has 10 days to send it."""
    agreed = d.ago(0.2, 9.6, urgent=(8.2, 9.6))
    opened = agreed - d.span(0.1, 4.5)
    d.start_before(opened)
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)


def _return_receipt(d: _Deal) -> None:
    """The buyer sent the return: the seller has 30 days to confirm it."""
    shipped_back = d.ago(0.5, 29, urgent=(28.1, 29))
    agreed = shipped_back - d.span(0.5, 7)
    opened = agreed - d.span(0.1, 4)
    d.start_before(opened, gap=(5.5, 9))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    d.ship_return(shipped_back)


def _resend(d: _Deal) -> None:
    """Agreed on a replacement: the seller has 7 days to ship it."""
    agreed = d.ago(0.2, 6.8, urgent=(5.2, 6.8))
    opened = agreed - d.span(0.1, 3)
    d.start_before(opened)
    reason = d.nad_reason("short_shipment", "wrong_item", "damaged", "not_working")
    if d.rng.random() < 0.6:
        d.open(opened, reason, {"type": "resend"})
        d.seller_accepts(agreed)
    else:
        d.open(opened, reason, d.refund_plan(True))
        d.propose(d.between(opened, agreed), {"type": "resend"})
        d.buyer_accepts(agreed)


def _esc_buyer(d: _Deal) -> None:
    """The buyer escalated: after a rejection, or from day 4 after a low offer."""
    escalated = d.ago(0.3, 20)
    if d.rng.random() < 0.5:
        opened = d.escalate_after_reject(escalated)
    else:
        opened = escalated - d.span(3.1, 10)
        d.start_before(opened)
        d.open(opened, d.any_reason(), d.refund_plan(True))
        d.propose(opened + d.span(0.1, 1), {"type": "refund_only", "amount": d.part(0.1, 0.3)})
        d.do(Actor.BUYER, Action.ESCALATE, escalated, note="The offer does not cover the loss.")
        d.buyer_says("escalate", d.soon(escalated))
    d.buyer_evidence(d.soon(escalated, 0.01, 0.2))


def _esc_auto(d: _Deal) -> None:
    """No agreement by day 16: the platform steps in (fired by the worker's sweep)."""
    opened = d.ago(16, 26)
    d.start_before(opened)
    d.open(opened, d.any_reason(), d.refund_plan(True))
    proposed = opened + d.span(0.2, 2)
    d.propose(proposed, {"type": "refund_only", "amount": d.part(0.1, 0.4)})
    d.buyer_says("too_low", d.soon(proposed, 0.05, 0.5))
    d.buyer_evidence(opened + d.span(2.1, 4))


def _esc_seller(d: _Deal) -> None:
    """The seller escalated a return that was not the right goods."""
    escalated = d.ago(0.5, 15)
    shipped_back = escalated - d.span(2, 12)
    agreed = shipped_back - d.span(0.5, 5)
    opened = agreed - d.span(0.1, 3)
    d.start_before(opened, gap=(5.5, 9))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    d.ship_return(shipped_back)
    d.do(Actor.SELLER, Action.ESCALATE, escalated, note="The return is not our item.")
    d.seller_says("return_wrong", d.soon(escalated))
    d.evidence(
        Actor.SELLER,
        escalated + _MINUTE * 10,
        "photo",
        "Photos of the returned parcel and its contents",
        f"https://photos.example/demo/{d.id}-return.jpg",
    )


def _esc_resend_missed(d: _Deal) -> None:
    """The seller agreed to resend and did not ship in 7 days."""
    agreed = d.ago(8, 18)
    opened = agreed - d.span(0.1, 3)
    d.start_before(opened)
    d.open(opened, d.nad_reason("short_shipment", "wrong_item", "damaged"), {"type": "resend"})
    d.seller_accepts(agreed)
    d.buyer_says("escalate", agreed + d.span(7.1, 7.9))


def _esc_in_transit(d: _Deal) -> None:
    """In transit past the delivery deadline: escalated automatically at the deadline."""
    deadline = d.ago(1, 12)
    shipped = deadline - timedelta(days=30)
    opened = shipped + d.span(15, 24)
    d.start(shipped, 30)
    d.open(opened, _NR + "in_transit", d.refund_plan(True))
    d.reject(opened + d.span(0.1, 2))


def _awaiting_evidence(d: _Deal) -> None:
    """The arbitrator took the case; the seller's evidence period runs."""
    intervened = d.ago(0.2, 5.8, urgent=(1.2, 2.8))
    d.escalate_after_reject(intervened - d.span(0.3, 2.5))
    d.intervene(intervened)
    d.buyer_evidence(intervened + d.span(0.02, 0.15))


def _under_review(d: _Deal) -> None:
    """The seller answered with evidence: the arbitrator reviews the case."""
    intervened = d.ago(1, 12)
    d.escalate_after_reject(intervened - d.span(0.3, 2.5))
    d.intervene(intervened)
    submitted = intervened + d.span(0.1, min(5.9, d.age(intervened) - 0.05))
    d.seller_evidence(submitted)
    d.seller_says("evidence", d.soon(submitted))
    if d.rng.random() < 0.5:
        d.buyer_evidence(d.soon(submitted, 0.01, 0.3))


def _closed_refund_accepted(d: _Deal) -> None:
    opened = d.ago(3, 40)
    d.start_before(opened)
    d.open(opened, d.any_reason(), d.refund_plan())
    accepted = opened + d.span(0.05, 3)
    d.seller_accepts(accepted)
    d.buyer_says("thanks", d.soon(accepted, 0.05, 0.5))


def _closed_refund_timeout(d: _Deal) -> None:
    """The seller never answered: the buyer's plan was executed after 5 days."""
    opened = d.ago(6, 40)
    d.start_before(opened)
    d.open(opened, d.any_reason(), d.refund_plan())
    d.buyer_evidence(opened + d.span(0.02, 0.5))


def _closed_buyer_accepts(d: _Deal) -> None:
    opened = d.ago(3, 45)
    d.start_before(opened)
    d.open(opened, d.nad_reason(), d.refund_plan(True))
    proposed = opened + d.span(0.05, 1)
    d.propose(proposed, {"type": "refund_only", "amount": d.part(0.4, 0.8)})
    accepted = proposed + d.span(0.05, 1.5)
    d.buyer_accepts(accepted)
    d.buyer_says("thanks", d.soon(accepted))


def _closed_return_confirmed(d: _Deal) -> None:
    confirmed = d.ago(0.5, 20)
    shipped_back = confirmed - d.span(4, 15)
    agreed = shipped_back - d.span(0.5, 6)
    opened = agreed - d.span(0.1, 4)
    d.start_before(opened, gap=(5.5, 8))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    d.ship_return(shipped_back)
    d.do(Actor.SELLER, Action.CONFIRM_RETURN_RECEIVED, confirmed)
    d.seller_says("received_return", d.soon(confirmed))


def _closed_return_given_up(d: _Deal) -> None:
    """The seller refunded without the goods (before or after the buyer sent them)."""
    gave_up = d.ago(0.5, 30)
    sent = d.rng.random() < 0.3
    shipped_back = gave_up - d.span(1, 5)
    agreed = (shipped_back if sent else gave_up) - d.span(0.05, 3)
    opened = agreed - d.span(0.1, 4)
    d.start_before(opened, gap=(5.5, 8))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    if sent:
        d.ship_return(shipped_back)
    d.do(Actor.SELLER, Action.GIVE_UP_RETURN, gave_up)
    d.seller_says("keep_item", d.soon(gave_up))


def _closed_return_receipt_timeout(d: _Deal) -> None:
    """The seller never confirmed the return: refunded after 30 days (by the sweep)."""
    shipped_back = d.ago(31, 35)
    agreed = shipped_back - d.span(0.5, 3)
    opened = agreed - d.span(0.1, 2)
    d.start_before(opened, gap=(5.5, 8))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    d.ship_return(shipped_back)


def _closed_return_not_shipped(d: _Deal) -> None:
    """The buyer never sent the return: closed without a refund after 10 days (the sweep)."""
    agreed = d.ago(11, 30)
    opened = agreed - d.span(0.1, 4)
    d.start_before(opened, gap=(5.5, 10))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)


def _closed_cancelled(d: _Deal) -> None:
    """The buyer cancelled: the parcel turned up, or the problem was solved another way."""
    if d.rng.random() < 0.6:
        opened = d.ago(3, 30)
        d.start_before(opened, gap=(15, 25), promised=d.rng.choice([45, 60]))
        d.open(opened, _NR + "in_transit", d.refund_plan(True))
        cancelled = opened + d.span(0.3, min(4.5, d.age(opened) - 0.05))
        d.do(Actor.BUYER, Action.CANCEL_DISPUTE, cancelled)
        d.received_at = cancelled  # the parcel turned up
        d.buyer_says("arrived", d.soon(cancelled))
        assert d.state is not None
        if d.state.order.status == OrderStatus.SHIPPED:
            d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, cancelled + _MINUTE * 2)
    else:
        opened = d.ago(3, 40)
        d.start_before(opened)
        d.open(opened, d.nad_reason(), d.refund_plan())
        rejected = opened + d.span(0.05, 1)
        d.reject(rejected)
        d.do(Actor.BUYER, Action.CANCEL_DISPUTE, rejected + d.span(0.1, 2))


def _cancelled_then_reopened(d: _Deal) -> None:
    """A first dispute cancelled, a second one opened: awaiting the seller's response."""
    first = d.ago(6, 12)
    d.start_before(first, promised=d.rng.choice([30, 45, 60]))
    d.open(first, d.nr_reason(), d.refund_plan(True), say=False)
    d.do(Actor.BUYER, Action.CANCEL_DISPUTE, first + d.span(0.2, 1.5))
    second = d.ago(0.3, 4.5)
    d.open(second, d.nad_reason(), d.rng.choice([d.refund_plan(), d.return_plan()]))


def _closed_resent(d: _Deal) -> None:
    replaced = d.ago(1, 30)
    agreed = replaced - d.span(0.3, 5)
    opened = agreed - d.span(0.1, 3)
    d.start_before(opened)
    d.open(opened, d.nad_reason("short_shipment", "wrong_item", "damaged"), {"type": "resend"})
    d.seller_accepts(agreed)
    tracking = _tracking_number(d.rng, d.carrier)
    d.do(
        Actor.SELLER,
        Action.SHIP_REPLACEMENT,
        replaced,
        carrier=d.carrier,
        tracking_number=tracking,
    )
    d.seller_says("shipped_again", d.soon(replaced), carrier=d.carrier, tracking=tracking)
    age = d.age(replaced)
    if age > 9 and d.rng.random() < 0.6:
        d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, replaced + d.span(7, min(age, d.promised) - 0.5))


def _to_review(d: _Deal, ruled: datetime) -> None:
    """Escalated after a rejection, taken by the arbitrator, answered by the seller."""
    submitted = ruled - d.span(0.2, 4)
    intervened = submitted - d.span(0.1, 2.8)
    d.escalate_after_reject(intervened - d.span(0.2, 2.5))
    d.intervene(intervened)
    d.buyer_evidence(intervened + d.span(0.01, 0.08))
    d.seller_evidence(submitted)


def _closed_ruled(d: _Deal) -> None:
    """Ruled by the arbitrator through the ruling assistant (once the tracking is stored):
    as advised, or as drawn with the reason why."""
    ruled = d.ago(0.5, 30)
    _to_review(d, ruled)
    responsibility, amount = d.rng.choice(
        [("seller", d.full()), ("seller", d.part()), ("buyer", "0.00"), ("none", d.part())]
    )
    d.rule(ruled, responsibility, amount)


def _closed_ruled_return(d: _Deal) -> None:
    """Ruled with a return required: the buyer sent it back and was refunded."""
    refunded = d.ago(0.5, 12)
    shipped_back = refunded - d.span(2, 8)
    ruled = shipped_back - d.span(0.5, 5)
    _to_review(d, ruled)

    def back() -> None:  # after the ruling
        d.ship_return(shipped_back)
        d.do(Actor.SELLER, Action.CONFIRM_RETURN_RECEIVED, refunded)

    d.rule(ruled, "seller", d.full(), return_required=True, then=back)


def _closed_auto_ruled(d: _Deal) -> None:
    """The seller sent no evidence in two periods: ruled for the buyer automatically."""
    intervened = d.ago(6.2, 20)
    reason = d.nad_reason("counterfeit") if d.rng.random() < 0.6 else d.any_reason()
    d.escalate_after_reject(intervened - d.span(0.2, 2.5), reason)
    d.intervene(intervened)
    d.buyer_evidence(intervened + d.span(0.01, 0.3))


_CLOSED = str(_AS.CLOSED)
# (recipe, expected status, expected resolution, weight for the recipes after the first pass)
_RECIPES: tuple[tuple[Recipe, str, str | None, int], ...] = (
    (_asr_new, _AS.AWAITING_SELLER_RESPONSE, None, 3),
    (_neg_propose, _AS.NEGOTIATING, None, 3),
    (_return_shipment, _AS.AWAITING_RETURN_SHIPMENT, None, 2),
    (_return_receipt, _AS.AWAITING_RETURN_RECEIPT, None, 2),
    (_resend, _AS.AWAITING_RESEND, None, 2),
    (_esc_buyer, _AS.ESCALATED, None, 2),
    (_awaiting_evidence, _AS.AWAITING_SELLER_EVIDENCE, None, 2),
    (_under_review, _AS.UNDER_REVIEW, None, 2),
    (_closed_refund_accepted, _CLOSED, "refunded", 5),
    (_closed_cancelled, _CLOSED, "cancelled", 3),
    (_closed_resent, _CLOSED, "resent", 2),
    (_closed_ruled, _CLOSED, "ruled", 2),
    (_asr_in_transit, _AS.AWAITING_SELLER_RESPONSE, None, 1),
    (_neg_reject, _AS.NEGOTIATING, None, 2),
    (_closed_return_not_shipped, _CLOSED, "return_not_shipped", 1),
    (_esc_auto, _AS.ESCALATED, None, 1),
    (_closed_refund_timeout, _CLOSED, "refunded", 3),
    (_closed_return_confirmed, _CLOSED, "refunded", 2),
    (_asr_not_received, _AS.AWAITING_SELLER_RESPONSE, None, 2),
    (_neg_in_transit, _AS.NEGOTIATING, None, 1),
    (_esc_seller, _AS.ESCALATED, None, 1),
    (_closed_auto_ruled, _CLOSED, "ruled", 1),
    (_closed_buyer_accepts, _CLOSED, "refunded", 3),
    (_closed_return_given_up, _CLOSED, "refunded", 1),
    (_asr_modified, _AS.AWAITING_SELLER_RESPONSE, None, 1),
    (_esc_resend_missed, _AS.ESCALATED, None, 1),
    (_esc_in_transit, _AS.ESCALATED, None, 1),
    (_closed_return_receipt_timeout, _CLOSED, "refunded", 1),
    (_cancelled_then_reopened, _AS.AWAITING_SELLER_RESPONSE, None, 1),
    (_closed_ruled_return, _CLOSED, "refunded", 1),
)


# --------------------------------------------------------------------------------------------
# Orders without a dispute


def _plain_awaiting_shipment(d: _Deal) -> None:
    placed = d.ago(0.05, 3.5)
    d.create(placed, d.rng.choice([15, 20, 30]))
    if d.rng.random() < 0.3:
        asked = d.soon(placed, 0.05, 0.5)
        d.buyer_says("where", asked)
        d.seller_says("will_ship", d.soon(asked, 0.02, 0.3))


def _plain_in_transit(d: _Deal) -> None:
    """Shipped less than 5 days ago: too early for a dispute."""
    d.start(d.ago(0.1, 4.9))


def _plain_shipped(d: _Deal) -> None:
    """Shipped 5.5 to 30 days ago, deadline ahead: the buyer may open a dispute now."""
    shipped = d.ago(5.5, 30)
    age = (d.base - shipped).days
    promised = d.rng.choice([p for p in (20, 25, 30, 45, 60) if p >= age + 3])
    d.start(shipped, promised)
    if d.rng.random() < 0.15:
        assert d.last is not None
        extended = d.between(d.last, d.base)
        days = d.rng.choice([10, 15, 30])
        d.do(Actor.SELLER, Action.EXTEND_DELIVERY, extended, days=days)
        d.seller_says("extend", d.soon(extended), days=str(days))


def _plain_confirmed(d: _Deal, recent: bool = False) -> None:
    """Delivered, then receipt confirmed; when `recent`, within the last 12 days (a dispute is
    still possible). The shipment is dated back from the delivery by a drawn transit time."""
    confirmed = d.ago(0.5, 12) if recent else d.ago(1, 50)
    delivered = confirmed - d.span(0.1, 3)
    days = parcels.transit_days(d.carrier, d.buyer.country, d.rng)
    shipped = (delivered - timedelta(days=days)).replace(second=0, microsecond=0)
    promised = next((p for p in (20, 25, 30, 45, 60) if p > days + 4), 60)
    if (confirmed - shipped).days + 1 >= promised:  # a very slow parcel: an earlier shipment
        shipped = confirmed - timedelta(days=promised - 2)
    d.start(shipped, promised)
    d.story = parcels.Story(parcels.delivery_fate(d.carrier, d.buyer.country, d.rng), delivered)
    d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, confirmed)


def _plain_auto_completed(d: _Deal) -> None:
    """The delivery deadline passed without a dispute: completed by the worker's sweep."""
    shipped = d.ago(22, 58)
    d.start(shipped, d.rng.choice([15, 20]))


def _plain_history(d: _Deal) -> None:
    """The shipment history: shipped 20 to 88 days ago, the parcel went as the transit model
    draws it; the buyer mostly confirmed receipt a little after the delivery (before the
    deadline), else the worker completed the order at its deadline."""
    shipped = d.ago(20, 88)
    promised = d.promise()
    d.start(shipped, promised)
    story = d.story = d.model_story()
    deadline = shipped + timedelta(days=promised)
    slow = story.fate in parcels.DELIVERED_FATES and story.at - shipped > deadline - story.at
    if slow and d.rng.random() < 0.5:
        # a slow parcel: the buyer asks the platform, the parcel turns up, the buyer cancels
        opened = story.at - d.span(0.5, 3.5)
        cancelled = story.at + d.span(0.1, 0.9)
        if shipped + timedelta(days=6) < opened and cancelled < min(deadline, d.base):
            d.open(opened, _NR + "in_transit", d.refund_plan(True))
            d.do(Actor.BUYER, Action.CANCEL_DISPUTE, cancelled)
            d.buyer_says("arrived", d.soon(cancelled))
            d.expect = (_CLOSED, "cancelled")
            confirmed = cancelled + d.span(0.01, 0.2)
            if confirmed < min(deadline, d.base):
                d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, confirmed)
    elif story.fate in parcels.DELIVERED_FATES and d.rng.random() < 0.8:
        confirmed = story.at + d.span(0.2, 4)
        if confirmed < min(deadline, d.base):
            d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, confirmed)
    elif story.fate == parcels.LOST and d.rng.random() < 0.75:
        # no news for weeks: the buyer disputes, and the seller refunds
        opened = max(story.at + d.span(12, 18), shipped + timedelta(days=20))
        if opened < min(deadline, d.base) - timedelta(days=4):
            d.open(opened, _NR + "in_transit", d.refund_plan(True))
            d.seller_accepts(opened + d.span(0.2, 3))
            d.expect = (_CLOSED, "refunded")


_PLAIN: tuple[tuple[Recipe, int], ...] = (
    (_plain_awaiting_shipment, 8),
    (_plain_in_transit, 10),
    (_plain_shipped, 15),
    (_plain_confirmed, 12),
    (_plain_auto_completed, 10),
    (_plain_history, 45),
)


def _plain_recent(d: _Deal) -> None:
    _plain_confirmed(d, recent=True)


# --------------------------------------------------------------------------------------------
# Parcels the shipment watch flags (each still shipped, with its deadline ahead)


def _watch_silent(d: _Deal) -> None:
    """The last scan weeks ago: no news for longer than the watch allows."""
    shipped = d.ago(34, 42)
    d.start(shipped, 60)
    stop = parcels.ARRIVED if d.buyer.country == "BR" else parcels.ACCEPTED
    d.story = parcels.Story(parcels.STALLED, shipped + d.span(5, 9), stop=stop)


def _watch_customs(d: _Deal) -> None:
    """Held in customs for more than a week."""
    d.carrier = "Cainiao"
    shipped = d.ago(20, 28)
    d.start(shipped, 60 if d.buyer.country == "BR" else 45)
    d.story = parcels.Story(parcels.HELD, shipped + d.span(9, 12))


def _watch_duties(d: _Deal) -> None:
    """Correios waits for the buyer to pay the import duties."""
    d.carrier = "AliExpress Standard Shipping"
    shipped = d.ago(18, 24)
    d.start(shipped, 60)
    d.story = parcels.Story(parcels.DUTIES_DUE, shipped + d.span(10, 13))


def _watch_brazil_deadline(d: _Deal) -> None:
    """To Brazil, still on its way, under 5 days before the delivery deadline (seed 002:
    extend by 30 days)."""
    d.carrier = "AliExpress Standard Shipping"
    left = d.span(1.2, 4.6)
    shipped = d.base + left - timedelta(days=45)
    d.start(shipped, 45)
    days = (d.base - shipped).total_seconds() / 86400 + d.rng.uniform(4, 9)
    d.story = parcels.Story(parcels.MOVING, d.base, days)


def _watch_pickup(d: _Deal) -> None:
    """A delivery attempt left a notice card; the parcel waits at the post office."""
    d.carrier = "Cainiao"
    d.start(d.ago(12, 18), 30)
    d.story = parcels.Story(parcels.WAITING, d.ago(1, 4))


def _watch_returning(d: _Deal) -> None:
    """Nobody was home; Correios is sending the parcel back."""
    d.carrier = "Cainiao"
    d.start(d.ago(28, 34), 60)
    d.story = parcels.Story(parcels.TURNED_BACK, d.ago(7.5, 9))


_WATCH: tuple[tuple[Recipe, str], ...] = (
    (_watch_silent, "BR"),
    (_watch_customs, "BR"),
    (_watch_duties, "BR"),
    (_watch_brazil_deadline, "BR"),
    (_watch_brazil_deadline, "BR"),
    (_watch_pickup, "CA"),
    (_watch_customs, "RU"),
    (_watch_silent, "US"),
    (_watch_pickup, "AU"),
    (_watch_returning, "BR"),
)
