"""What a store's staff member may do: the one rule, used by the API and the desk alike.

An owner may do everything. An agent does what the owner chose (`store_staff.permissions`):
answer disputes (accept, propose, reject, escalate a return, the return and resend steps),
refund up to an amount (accepting a buyer's plan, proposing one, refunding a return without
the goods), manage evidence (submit it), see metrics. A row without permissions (owners, and
staff added before permissions existed) may do everything. The rules core is not involved: it
decides what the seller may do; this decides which of the seller's people may do it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from disputedesk.rules.model import Dispute
from disputedesk.rules.money import format_money, parse_money
from disputedesk.rules.vocabulary import Action, PlanType
from disputedesk.services import claims
from disputedesk.services.accounts import Principal
from disputedesk.services.commands import ServiceError
from disputedesk.services.inputs import MAX_MONEY
from disputedesk.store import tables as t
from disputedesk.store.db import Database

ANSWER_DISPUTES = "answer_disputes"
REFUND = "refund"  # up to `refund_up_to`
MANAGE_EVIDENCE = "manage_evidence"
SEE_METRICS = "see_metrics"
SUSPENDED = "suspended"  # the store is suspended by an operator: its staff read, never act
# The switches an owner turns on or off for an agent (the refund limit is an amount).
SWITCHES = (ANSWER_DISPUTES, MANAGE_EVIDENCE, SEE_METRICS)
MAX_LIMIT = MAX_MONEY  # what an order amount may be (the API's bound)

# The seller's dispute commands that answer the buyer.
ANSWERS = frozenset(
    {
        Action.ACCEPT,
        Action.PROPOSE,
        Action.REJECT,
        Action.ESCALATE,
        Action.CONFIRM_RETURN_RECEIVED,
        Action.GIVE_UP_RETURN,
        Action.SHIP_REPLACEMENT,
    }
)

_WHAT = {
    ANSWER_DISPUTES: "answer disputes",
    MANAGE_EVIDENCE: "manage evidence",
    SEE_METRICS: "see metrics",
    REFUND: "refund",
}


@dataclass(frozen=True, slots=True)
class Permissions:
    """What one staff member may do in one store."""

    answer_disputes: bool = True
    refund_up_to: Decimal | None = None  # None: no limit
    manage_evidence: bool = True
    see_metrics: bool = True

    @property
    def everything(self) -> bool:
        return self == EVERYTHING

    def to_json(self) -> dict[str, Any]:
        return {
            ANSWER_DISPUTES: self.answer_disputes,
            "refund_up_to": None if self.refund_up_to is None else format_money(self.refund_up_to),
            MANAGE_EVIDENCE: self.manage_evidence,
            SEE_METRICS: self.see_metrics,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Permissions:
        """A stored value (None: everything). Unknown keys are ignored; a missing switch is on,
        so a row written before a new permission existed keeps what it could do."""
        if not isinstance(data, Mapping):
            return EVERYTHING
        limit = data.get("refund_up_to")
        return cls(
            answer_disputes=data.get(ANSWER_DISPUTES) is not False,
            refund_up_to=parse_money(limit) if isinstance(limit, str) else None,
            manage_evidence=data.get(MANAGE_EVIDENCE) is not False,
            see_metrics=data.get(SEE_METRICS) is not False,
        )

    @classmethod
    def parse(
        cls,
        *,
        answer_disputes: bool = True,
        refund_up_to: str | None = None,
        manage_evidence: bool = True,
        see_metrics: bool = True,
    ) -> Permissions:
        """Permissions as a form or a request gives them; `invalid_input` for a limit that is
        not a money string (RULES.md section 2) within what an order may cost."""
        limit = None
        if refund_up_to is not None and refund_up_to.strip():
            limit = parse_money(refund_up_to.strip())
            if limit is None or limit > MAX_LIMIT:
                raise ServiceError(
                    "invalid_input",
                    f"refund_up_to: {refund_up_to!r} is not an amount such as 50 or 49.90",
                )
        return cls(answer_disputes, limit, manage_evidence, see_metrics)


EVERYTHING = Permissions()
NOTHING = Permissions(False, Decimal("0.00"), False, False)


def permissions_of(principal: Principal, store_id: str) -> Permissions | None:
    """What the principal may do in the store as its staff (None: not its staff). An operator
    (admin) is treated as an owner; buyers and arbitrators are nobody's staff."""
    if principal.role == "admin":
        return EVERYTHING
    if principal.role != "seller" or not principal.member_of(store_id):
        return None
    if principal.owns(store_id):
        return EVERYTHING
    return Permissions.from_json(principal.permissions.get(store_id))


@dataclass(frozen=True, slots=True)
class Denial:
    """Why a staff member may not: the permission, and for a refund the limit and the amount."""

    what: str
    store_id: str
    limit: Decimal | None = None
    amount: Decimal | None = None
    reason: str | None = None  # a suspended store's: the operator's words

    def message(self, currency: str = "") -> str:
        unit = f" {currency}" if currency else ""
        if self.what == REFUND and self.limit is not None and self.amount is not None:
            return (
                f"your refunds in store {self.store_id} are limited to "
                f"{format_money(self.limit)}{unit}; this one is {format_money(self.amount)}"
                f"{unit}: ask an owner of the store"
            )
        if self.what == "staff":
            return f"you are not staff of store {self.store_id}"
        if self.what == SUSPENDED:
            return (
                f"store {self.store_id} is suspended by the platform ({self.reason}): its staff "
                "may read but not act"
            )
        return (
            f"you may not {_WHAT.get(self.what, self.what)} in store {self.store_id}: "
            "ask an owner of the store for the permission"
        )


def denial(
    principal: Principal, store_id: str, what: str, amount: Decimal | None = None
) -> Denial | None:
    """None when the principal may do `what` in the store (a refund: of `amount`), else why not."""
    granted = permissions_of(principal, store_id)
    if granted is None:
        return Denial("staff", store_id)
    if what == REFUND:
        limit = granted.refund_up_to
        if limit is not None and amount is not None and amount > limit:
            return Denial(REFUND, store_id, limit, amount)
        return None
    if what not in SWITCHES:
        raise ValueError(f"unknown permission {what!r}")
    return None if getattr(granted, what) else Denial(what, store_id)


def may(principal: Principal, store_id: str, what: str, amount: Decimal | None = None) -> bool:
    """Whether the principal, as the store's staff, may do `what` (a refund: of `amount`)."""
    return denial(principal, store_id, what, amount) is None


class Forbidden(ServiceError):
    """A staff member's command or request their permissions do not allow (`forbidden`)."""

    def __init__(self, refused: Denial, currency: str = "") -> None:
        super().__init__("forbidden", refused.message(currency))
        self.denial = refused
        self.currency = currency


def require(
    principal: Principal,
    store_id: str,
    what: str,
    amount: Decimal | None = None,
    *,
    currency: str = "",
) -> None:
    """`may`, or ServiceError `forbidden` with the reason (the limit in words for a refund)."""
    refused = denial(principal, store_id, what, amount)
    if refused is not None:
        raise Forbidden(refused, currency)


def refund_of(action: str, fields: Mapping[str, Any], dispute: Dispute | None) -> Decimal | None:
    """The amount a seller's command would refund (or agree to refund): accepting the buyer's
    plan, proposing a plan, giving up a return (a refund without the goods). None otherwise,
    or when the amount is not a money string (the rules core refuses that itself)."""
    if action == Action.ACCEPT and dispute is not None:
        plan = dispute.buyer_plan
        return plan.amount if plan.type != PlanType.RESEND else None
    if action == Action.PROPOSE:
        plan = fields.get("plan")
        if isinstance(plan, Mapping) and plan.get("type") != PlanType.RESEND:
            return parse_money(plan.get("amount"))
        return None
    if action == Action.GIVE_UP_RETURN and dispute is not None:
        return dispute.agreed_amount
    return None


def command_denial(
    principal: Principal,
    store_id: str,
    action: str,
    fields: Mapping[str, Any],
    dispute: Dispute | None,
) -> Denial | None:
    """Why this staff member may not send a seller's command on the store's order (None: they
    may). Only the seller's people are asked; every other role is the rules core's business.
    A store an operator suspended refuses every command of its staff (the worker's automatic
    steps are not commands: they still fire)."""
    if principal.role != "seller":
        return None
    if not principal.member_of(store_id):
        return Denial("staff", store_id)
    if store_id in principal.suspended_stores:
        return Denial(SUSPENDED, store_id, reason=principal.suspended_stores[store_id])
    if action == Action.SUBMIT_EVIDENCE:
        return denial(principal, store_id, MANAGE_EVIDENCE)
    if action not in ANSWERS:
        return None  # the order's own steps: ship, extend the delivery time
    refused = denial(principal, store_id, ANSWER_DISPUTES)
    if refused is not None:
        return refused
    return denial(principal, store_id, REFUND, refund_of(action, fields, dispute))


def require_command(
    principal: Principal,
    store_id: str,
    action: str,
    fields: Mapping[str, Any],
    dispute: Dispute | None,
    *,
    currency: str = "",
) -> None:
    """`command_denial`, or ServiceError `forbidden` with the reason."""
    refused = command_denial(principal, store_id, action, fields, dispute)
    if refused is not None:
        raise Forbidden(refused, currency)


def store_of(db: Database, order_id: str) -> str | None:
    with db.engine.connect() as conn:
        return conn.scalar(select(t.orders.c.store_id).where(t.orders.c.id == order_id))


def check_command(
    db: Database,
    principal: Principal,
    order_id: str,
    seq: int | None,
    action: str,
    fields: Mapping[str, Any],
    dispute: Dispute | None,
    *,
    currency: str = "",
) -> None:
    """Whether this person may send this command on the order (and its dispute number `seq`),
    beyond what the rules core decides for their role: a store's staff member's permissions
    and the store's suspension (`Forbidden`), an arbitrator's case claimed by another
    (`claims.Claimed`). One check for the API and the desk."""
    if principal.role == "seller":
        store_id = store_of(db, order_id)
        if store_id is not None:
            require_command(principal, store_id, action, fields, dispute, currency=currency)
    if seq is not None:
        claims.guard(db, principal, order_id, seq, action)


def performer(principal: Principal) -> dict[str, str]:
    """The keyword arguments of `commands.execute` naming who acted: the signed-in person."""
    return {"performed_by": principal.email, "performed_by_name": principal.name}
