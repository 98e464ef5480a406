"""The domain's words, exactly as RULES.md writes them."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    AWAITING_SHIPMENT = "awaiting_shipment"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    REFUNDED = "refunded"


class DisputeStatus(StrEnum):
    AWAITING_SELLER_RESPONSE = "awaiting_seller_response"
    NEGOTIATING = "negotiating"
    AWAITING_RETURN_SHIPMENT = "awaiting_return_shipment"
    AWAITING_RETURN_RECEIPT = "awaiting_return_receipt"
    AWAITING_RESEND = "awaiting_resend"
    ESCALATED = "escalated"
    AWAITING_SELLER_EVIDENCE = "awaiting_seller_evidence"
    UNDER_REVIEW = "under_review"
    CLOSED = "closed"


NEGOTIATION_STATUSES = frozenset(
    {DisputeStatus.AWAITING_SELLER_RESPONSE, DisputeStatus.NEGOTIATING}
)
RETURN_STATUSES = frozenset(
    {DisputeStatus.AWAITING_RETURN_SHIPMENT, DisputeStatus.AWAITING_RETURN_RECEIPT}
)
RULING_STATUSES = frozenset({DisputeStatus.AWAITING_SELLER_EVIDENCE, DisputeStatus.UNDER_REVIEW})


class Resolution(StrEnum):
    REFUNDED = "refunded"
    CANCELLED = "cancelled"
    RETURN_NOT_SHIPPED = "return_not_shipped"
    RESENT = "resent"
    RULED = "ruled"


# After one of these the order's disputes are over (RULES.md section 5).
FINAL_RESOLUTIONS = frozenset(
    {Resolution.REFUNDED, Resolution.RULED, Resolution.RETURN_NOT_SHIPPED}
)


class Escalation(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    AUTO_NO_AGREEMENT = "auto_no_agreement"
    AUTO_IN_TRANSIT = "auto_in_transit"
    AUTO_RESEND_MISSED = "auto_resend_missed"


class PlanType(StrEnum):
    REFUND_ONLY = "refund_only"
    RETURN_AND_REFUND = "return_and_refund"
    RESEND = "resend"


class Responsibility(StrEnum):
    SELLER = "seller"
    BUYER = "buyer"
    NONE = "none"


class EvidenceKind(StrEnum):
    PROOF_OF_DELIVERY = "proof_of_delivery"
    DELIVERY_NOTE = "delivery_note"
    TRACKING_RECORD = "tracking_record"
    BRAND_AUTHORIZATION = "brand_authorization"
    PHOTO = "photo"
    VIDEO = "video"
    CHAT_LOG = "chat_log"
    CUSTOMS_RECEIPT = "customs_receipt"
    INVOICE = "invoice"
    OTHER = "other"


class Actor(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    ARBITRATOR = "arbitrator"
    CARRIER = "carrier"
    SYSTEM = "system"


class Action(StrEnum):
    # the order (section 3)
    SHIP = "ship"
    EXTEND_DELIVERY = "extend_delivery"
    CONFIRM_RECEIPT = "confirm_receipt"
    TRACKING = "tracking"
    # disputes (sections 5-7)
    OPEN_DISPUTE = "open_dispute"
    MODIFY_DISPUTE = "modify_dispute"
    CANCEL_DISPUTE = "cancel_dispute"
    ESCALATE = "escalate"
    ACCEPT = "accept"
    PROPOSE = "propose"
    REJECT = "reject"
    SHIP_REPLACEMENT = "ship_replacement"
    # returns (section 8)
    SHIP_RETURN = "ship_return"
    CONFIRM_RETURN_RECEIVED = "confirm_return_received"
    GIVE_UP_RETURN = "give_up_return"
    # arbitration (section 9)
    INTERVENE = "intervene"
    SUBMIT_EVIDENCE = "submit_evidence"
    RULE = "rule"
    # automatic steps: known names that nobody may send
    ORDER_AUTO_COMPLETED = "order_auto_completed"
    SELLER_RESPONSE_TIMEOUT = "seller_response_timeout"
    AUTO_ESCALATED = "auto_escalated"
    RETURN_SHIPMENT_TIMEOUT = "return_shipment_timeout"
    RETURN_RECEIPT_TIMEOUT = "return_receipt_timeout"
    EVIDENCE_PERIOD_EXTENDED = "evidence_period_extended"
    AUTO_RULED = "auto_ruled"


AUTOMATIC_STEPS = frozenset(
    {
        Action.ORDER_AUTO_COMPLETED,
        Action.SELLER_RESPONSE_TIMEOUT,
        Action.AUTO_ESCALATED,
        Action.RETURN_SHIPMENT_TIMEOUT,
        Action.RETURN_RECEIPT_TIMEOUT,
        Action.EVIDENCE_PERIOD_EXTENDED,
        Action.AUTO_RULED,
    }
)

# Who may send what (RULES.md section 11); anything else is `forbidden`.
PERMITTED_ACTIONS: dict[str, frozenset[str]] = {
    Actor.BUYER: frozenset(
        {
            Action.OPEN_DISPUTE,
            Action.MODIFY_DISPUTE,
            Action.CANCEL_DISPUTE,
            Action.ESCALATE,
            Action.ACCEPT,
            Action.CONFIRM_RECEIPT,
            Action.SHIP_RETURN,
            Action.SUBMIT_EVIDENCE,
        }
    ),
    Actor.SELLER: frozenset(
        {
            Action.SHIP,
            Action.EXTEND_DELIVERY,
            Action.ACCEPT,
            Action.PROPOSE,
            Action.REJECT,
            Action.ESCALATE,
            Action.SHIP_REPLACEMENT,
            Action.CONFIRM_RETURN_RECEIVED,
            Action.GIVE_UP_RETURN,
            Action.SUBMIT_EVIDENCE,
        }
    ),
    Actor.ARBITRATOR: frozenset({Action.INTERVENE, Action.RULE}),
    Actor.CARRIER: frozenset({Action.TRACKING}),
    Actor.SYSTEM: frozenset(),
}

# The 14 dispute reasons in 2 categories (RULES.md section 4, seed 002).
REASONS: dict[str, str] = {
    "not_received.tracking_invalid": "Invalid waybill number / no logistics information",
    "not_received.in_transit": "Still in transit, logistics late",
    "not_received.customs_held": "Detained by customs",
    "not_received.returned_to_sender": "Package returned",
    "not_received.wrong_address": "Delivery address incorrect",
    "not_received.delivered_not_received": "Tracking says delivered, buyer says not",
    "not_received.carrier_changed": "Seller changed the shipping method without consent",
    "not_as_described.not_as_described": "Size, color, material or style do not match",
    "not_as_described.quality_issue": "Poor quality or workmanship",
    "not_as_described.damaged": "Broken in transit",
    "not_as_described.not_working": "Does not work properly",
    "not_as_described.short_shipment": "Missing items, parts or promised gifts",
    "not_as_described.counterfeit": "Fake goods",
    "not_as_described.wrong_item": "Model or item does not match the order",
}
IN_TRANSIT = "not_received.in_transit"
NOT_AS_DESCRIBED = "not_as_described"


def reason_category(reason: str) -> str:
    return reason.split(".", 1)[0]


# What happens at zero, in the words of the seller's dispute page (seed 002).
STEP_CONSEQUENCES: dict[str, str] = {
    "order_auto_completed": "the order completes (receipt confirmed overtime)",
    "seller_response_timeout": "the system executes the buyer's plan",
    "auto_escalated": "the platform steps in",
    "return_shipment_timeout": "the dispute closes without a refund",
    "return_receipt_timeout": "the agreed amount is refunded",
    "evidence_period_extended": "a further evidence period starts",
    "auto_ruled": "the buyer's plan amount is refunded, seller responsible",
}
