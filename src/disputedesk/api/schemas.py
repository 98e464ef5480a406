"""Request bodies and query parameters. Strict: a JSON number where a money string is expected is
`invalid_input` (RULES.md section 2). Every text has a length bound and may not hold what the
databases cannot store (`services.inputs`), so SQLite and PostgreSQL refuse the same inputs; the
rules core judges everything else (amount formats and sizes included)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from disputedesk.rules.policy import MAX_DAYS
from disputedesk.rules.vocabulary import REASONS, DisputeStatus, OrderStatus
from disputedesk.services.inputs import MAX_BIGINT, storable_message

MONEY_EXAMPLE = "40.00"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
# A BCP 47 language tag as the desk writes them: "en", "zh-CN", "pt-BR" (at most 16 characters).
LOCALE_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$"
MONEY_MAX_LENGTH = 32
NOTE_MAX_LENGTH = 5000
INSTANT_MAX_LENGTH = 40

Reason = Literal[tuple(REASONS)]  # type: ignore[valid-type]
DisputeStatusName = Literal[tuple(s.value for s in DisputeStatus)]  # type: ignore[valid-type]
OrderStatusName = Literal[tuple(s.value for s in OrderStatus)]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        """No text the databases cannot hold, anywhere in the field (nested values too)."""
        problem = storable_message(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class AmountPlanIn(Strict):
    """A refund: the amount is required (RULES.md section 5)."""

    type: Literal["refund_only", "return_and_refund"]
    amount: str = Field(
        max_length=MONEY_MAX_LENGTH, examples=[MONEY_EXAMPLE], description="A money string"
    )


class ResendPlanIn(Strict):
    """A replacement: no amount (one sent is ignored)."""

    type: Literal["resend"]
    amount: str | None = Field(
        default=None, max_length=MONEY_MAX_LENGTH, description="Ignored for a resend"
    )


PlanIn = Annotated[AmountPlanIn | ResendPlanIn, Field(discriminator="type")]


class StoreIn(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=200)


class StaffIn(Strict):
    email: str = Field(min_length=3, max_length=320)
    role: Literal["owner", "agent"] = "agent"


class ShippingAddressIn(Strict):
    """The address as parts: what a carrier's delivery scan is matched against."""

    model_config = ConfigDict(strict=True, extra="forbid")

    recipient: str | None = Field(default=None, max_length=200)
    line1: str | None = Field(default=None, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=200)
    state: str | None = Field(default=None, max_length=200)
    zip: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, pattern=COUNTRY_PATTERN)
    phone: str | None = Field(default=None, max_length=200)


class OrderIn(Strict):
    id: str = Field(pattern=ID_PATTERN)
    store_id: str = Field(pattern=ID_PATTERN)
    buyer_id: str = Field(pattern=ID_PATTERN)
    amount: str = Field(max_length=MONEY_MAX_LENGTH, examples=["100.00"])
    shipping: str = Field(default="0.00", max_length=MONEY_MAX_LENGTH, examples=["21.49"])
    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["USD"])
    placed_at: str = Field(max_length=INSTANT_MAX_LENGTH, examples=["2026-03-02T08:00:00Z"])
    promised_delivery_days: int = Field(ge=0, le=MAX_DAYS)
    items: list[dict[str, Any]] = Field(default_factory=list, max_length=500)
    destination_address: str | None = Field(default=None, max_length=2000)
    shipping_address: ShippingAddressIn | None = None
    destination_country: str | None = Field(default=None, pattern=COUNTRY_PATTERN)
    category: str | None = Field(default=None, max_length=200)


class ShipmentIn(Strict):
    carrier: str = Field(min_length=1, max_length=100)
    tracking_number: str = Field(min_length=1, max_length=100)


class ExtendIn(Strict):
    days: int = Field(ge=1, le=MAX_DAYS)


class TrackingLocationIn(Strict):
    """Where the carrier saw the parcel, as parts (any may be missing)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    city: str | None = Field(default=None, max_length=200)
    state: str | None = Field(default=None, max_length=200)
    zip: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=200)
    facility: str | None = Field(default=None, max_length=200)
    text: str | None = Field(default=None, max_length=200)


class TrackingIn(Strict):
    """One carrier event, with the classifier's keys; it needs a `description` or a
    `raw_code`. Stored raw and normalised, once (a repeat is counted as a duplicate)."""

    description: str | None = Field(
        default=None, max_length=2000, examples=["Arrived at the local post office"]
    )
    raw_code: str | None = Field(
        default=None, max_length=100, description="The carrier's own event code", examples=["EMH"]
    )
    status: str | None = Field(
        default=None,
        max_length=100,
        description="Deprecated: read as `raw_code` when that is not given",
    )
    carrier: str | None = Field(
        default=None, max_length=100, description="Default: the order's carrier"
    )
    tracking_number: str | None = Field(
        default=None, max_length=100, description="Default: the order's tracking number"
    )
    location: str | TrackingLocationIn | None = Field(
        default=None, description="A place as text, or its parts"
    )
    at: str | None = Field(
        default=None,
        max_length=64,
        description="When the carrier saw it, as the carrier wrote it (read as UTC without a zone)",
        examples=["2026-03-05T14:20:00+08:00"],
    )
    extra: dict[str, Any] | None = Field(
        default=None, description="Side fields the carrier sent (kept, e.g. a signatory)"
    )


class OpenDisputeIn(Strict):
    reason: Reason = Field(examples=["not_as_described.damaged"])
    plan: PlanIn
    goods_received: bool
    note: str | None = Field(default=None, max_length=NOTE_MAX_LENGTH)


class PlanChangeIn(Strict):
    plan: PlanIn


class RejectIn(Strict):
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)


class EscalateIn(Strict):
    note: str | None = Field(default=None, max_length=NOTE_MAX_LENGTH)


class RuleIn(Strict):
    refund_amount: str = Field(max_length=MONEY_MAX_LENGTH, examples=["50.00"])
    responsibility: Literal["seller", "buyer", "none"]
    return_required: bool = False
    reason: str = Field(
        min_length=1,
        max_length=NOTE_MAX_LENGTH,
        pattern=r"\S",
        examples=["The tracking shows no delivery scan within the promised time."],
        description="The arbitrator's written reason, shown to both parties",
    )
    followed_advice: bool | None = Field(
        default=None,
        description="Whether the ruling follows the ruling assistant's advice (the dispute's "
        "`advice`); optional, and when sent it must say what the ruling does: true is the "
        "advice's recommendation exactly (responsibility, refund_amount, return_required)",
    )
    why_not: str | None = Field(
        default=None,
        max_length=NOTE_MAX_LENGTH,
        examples=["The buyer's photos show only the box was damaged, not the goods."],
        description="Why the ruling differs from the advice: required (not blank) when the "
        "advice names a principle and the ruling's responsibility, refund_amount or "
        "return_required differ from its recommendation; seen by arbitrators and operators, "
        "never by the parties",
    )


class MessageIn(Strict):
    body: str = Field(min_length=1, max_length=10000)
    locale: str | None = Field(default=None, max_length=16, pattern=LOCALE_PATTERN)


class WebhookIn(Strict):
    url: str = Field(pattern=r"^https?://", max_length=2000)


# -- query and path parameters ----------------------------------------------------------------

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=MAX_BIGINT)]
StoreFilter = Annotated[str | None, Query(pattern=ID_PATTERN)]
BuyerFilter = Annotated[str | None, Query(pattern=ID_PATTERN)]
CountryFilter = Annotated[str | None, Query(pattern=COUNTRY_PATTERN, description="ISO 3166 code")]
InstantFilter = Annotated[
    str | None,
    Query(max_length=INSTANT_MAX_LENGTH, description="A UTC instant YYYY-MM-DDTHH:MM:SSZ"),
]
DisputeStatusFilter = Annotated[DisputeStatusName | None, Query()]
OrderStatusFilter = Annotated[OrderStatusName | None, Query()]
ReasonFilter = Annotated[Reason | None, Query()]
RowId = Annotated[int, Path(ge=1, le=MAX_BIGINT, description="A positive 64-bit id")]
