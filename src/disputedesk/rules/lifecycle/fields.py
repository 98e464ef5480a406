"""The first check of every command: its own fields are well formed (`invalid_input`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from disputedesk.rules.vocabulary import (
    REASONS,
    EvidenceKind,
    PlanType,
    Responsibility,
)

# --------------------------------------------------------------------------------------------
# Field checks (the first check: `invalid_input`)


class _Invalid(Exception):
    """A field that is missing or malformed; the message names it."""


def _text(fields: Mapping[str, Any], name: str, *, non_empty: bool = False) -> str:
    value = fields.get(name)
    if not isinstance(value, str):
        raise _Invalid(f"{name}: required, a string")
    if non_empty and not value.strip():
        raise _Invalid(f"{name}: must not be empty")
    return value


def _optional_text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, str):
        raise _Invalid(f"{name}: must be a string")
    return value


def _one_of(fields: Mapping[str, Any], name: str, allowed: Mapping[str, Any] | type) -> str:
    value = fields.get(name)
    known = allowed.__members__.values() if isinstance(allowed, type) else allowed
    if not isinstance(value, str) or value not in known:
        raise _Invalid(f"{name}: unknown {name} {value!r}")
    return value


def _plan(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A plan's shape; its amount (a string) is judged later, at the `invalid_amount` check."""
    value = fields.get("plan")
    if not isinstance(value, dict):
        raise _Invalid("plan: required, an object")
    kind = value.get("type")
    if not isinstance(kind, str) or kind not in PlanType.__members__.values():
        raise _Invalid(f"plan.type: unknown plan type {kind!r}")
    if kind == PlanType.RESEND:
        return {"type": kind}  # an amount is ignored
    amount = value.get("amount")
    if not isinstance(amount, str):
        raise _Invalid("plan.amount: required, a money string")
    return {"type": kind, "amount": amount}


def _shipment_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "carrier": _text(fields, "carrier", non_empty=True),
        "tracking_number": _text(fields, "tracking_number", non_empty=True),
    }


def _extend_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    value = fields.get("days")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _Invalid("days: required, a positive integer")
    return {"days": value}


def _open_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    reason = _one_of(fields, "reason", REASONS)
    plan = _plan(fields)
    goods_received = fields.get("goods_received")
    if not isinstance(goods_received, bool):
        raise _Invalid("goods_received: required, true or false")
    return {
        "reason": reason,
        "plan": plan,
        "goods_received": goods_received,
        "note": _optional_text(fields, "note"),
    }


def _plan_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {"plan": _plan(fields)}


def _reject_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {"note": _text(fields, "note")}


def _escalate_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {"note": _optional_text(fields, "note")}


def _evidence_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    data = {
        "kind": _one_of(fields, "kind", EvidenceKind),
        "description": _text(fields, "description"),
    }
    # A stored file or a link that goes with the evidence (the API's uploads): recorded in the
    # event for the log, no effect on the rules.
    attachment = fields.get("attachment")
    if isinstance(attachment, dict):
        data["attachment"] = dict(attachment)
    return data


def _rule_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    amount = fields.get("refund_amount")
    if not isinstance(amount, str):
        raise _Invalid("refund_amount: required, a money string")
    responsibility = _one_of(fields, "responsibility", Responsibility)
    return_required = fields.get("return_required")
    if return_required is None:
        return_required = False
    elif not isinstance(return_required, bool):
        raise _Invalid("return_required: must be true or false")
    data = {
        "refund_amount": amount,
        "responsibility": responsibility,
        "return_required": return_required,
    }
    # The arbitrator's written reason, shown to both parties (not in RULES.md: optional here,
    # kept in the event's data only when given, so a ruling without one is logged as before).
    reason = _optional_text(fields, "reason")
    if reason is not None:
        data["reason"] = reason
    return data


def _no_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {}


def _tracking_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    return dict(fields)  # informational: anything goes
