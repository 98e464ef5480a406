"""Request bodies. Strict: a JSON number where a money string is expected is `invalid_input`
(RULES.md section 2); the rules core judges everything else (amount formats included)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MONEY_EXAMPLE = "40.00"


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class PlanIn(Strict):
    type: Literal["refund_only", "return_and_refund", "resend"]
    amount: str | None = Field(
        default=None, examples=[MONEY_EXAMPLE], description="A money string; required unless resend"
    )


class StoreIn(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
    name: str = Field(min_length=1, max_length=200)


class StaffIn(Strict):
    email: str = Field(min_length=3, max_length=320)
    role: Literal["owner", "agent"] = "agent"


class OrderIn(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
    store_id: str
    buyer_id: str
    amount: str = Field(examples=["100.00"])
    shipping: str = Field(default="0.00", examples=["21.49"])
    currency: str = Field(examples=["USD"])
    placed_at: str = Field(examples=["2026-03-02T08:00:00Z"])
    promised_delivery_days: int = Field(ge=0, le=3650)
    items: list[dict[str, Any]] = Field(default_factory=list)
    destination_address: str | None = None
    destination_country: str | None = None
    category: str | None = None


class ShipmentIn(Strict):
    carrier: str = Field(min_length=1, max_length=100)
    tracking_number: str = Field(min_length=1, max_length=100)


class ExtendIn(Strict):
    days: int = Field(ge=1)


class TrackingIn(Strict):
    status: str | None = None
    description: str | None = None
    location: str | None = None
    at: str | None = Field(default=None, description="When the carrier saw it (informational)")


class OpenDisputeIn(Strict):
    reason: str = Field(examples=["not_as_described.damaged"])
    plan: PlanIn
    goods_received: bool
    note: str | None = None


class PlanChangeIn(Strict):
    plan: PlanIn


class RejectIn(Strict):
    note: str = ""


class EscalateIn(Strict):
    note: str | None = None


class RuleIn(Strict):
    refund_amount: str = Field(examples=["50.00"])
    responsibility: Literal["seller", "buyer", "none"]
    return_required: bool = False


class EvidenceIn(Strict):
    kind: str = Field(examples=["photo"])
    description: str = Field(default="", max_length=5000)
    link: str | None = Field(default=None, description="e.g. a video link", max_length=2000)


class MessageIn(Strict):
    body: str = Field(min_length=1, max_length=10000)
    locale: str | None = None


class WebhookIn(Strict):
    url: str = Field(pattern=r"^https?://", max_length=2000)
