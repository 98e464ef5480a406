"""Policy as data: every number RULES.md names, with the `aliexpress` default.

An operator may run another policy by overriding parameters by name (`policy_overrides`);
`policy_from` refuses an unknown name or a wrong type with a message naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from disputedesk.rules.calendar import supported_calendars

MAX_DAYS = 3650


class PolicyError(ValueError):
    """A policy name or override that cannot be used; the message names it."""


@dataclass(frozen=True, slots=True)
class Policy:
    name: str = "aliexpress"
    # section 1
    platform_calendar: str = "CN"
    # section 3
    max_delivery_extension_days: int = 90
    # section 5
    dispute_open_after_shipment_days: int = 5
    dispute_window_after_completion_days: int = 15
    # section 6
    resend_ship_days: int = 7
    # section 7
    seller_response_days: int = 5
    buyer_escalation_after_days: int = 3
    auto_escalation_after_days: int = 15
    # section 8
    return_shipment_days: int = 10
    return_receipt_days: int = 30
    # section 9
    platform_intervention_working_days: int = 2
    evidence_period_days: int = 3
    evidence_periods: int = 2


ALIEXPRESS = Policy()
POLICIES: dict[str, Policy] = {"aliexpress": ALIEXPRESS}
PARAMETERS: tuple[str, ...] = tuple(f.name for f in fields(Policy) if f.name != "name")


def policy_from(name: str = "aliexpress", overrides: dict[str, Any] | None = None) -> Policy:
    """The named policy with `overrides` applied, each checked (RULES.md section 11)."""
    base = POLICIES.get(name) if isinstance(name, str) else None
    if base is None:
        raise PolicyError(f"policy: unknown policy {name!r} (known: {', '.join(POLICIES)})")
    if not overrides:
        return base
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        changes[key] = _check_override(key, value)
    return replace(base, **changes)


def _check_override(key: str, value: Any) -> Any:
    where = f"policy_overrides.{key}"
    if key not in PARAMETERS:
        raise PolicyError(f"{where}: unknown policy parameter")
    if key == "platform_calendar":
        if not isinstance(value, str) or value not in supported_calendars():
            raise PolicyError(
                f"{where}: {value!r} is not a country code the holidays package knows"
            )
        return value
    if not isinstance(value, int) or isinstance(value, bool):
        raise PolicyError(f"{where}: must be a JSON integer, got {value!r}")
    low = 1 if key == "evidence_periods" else 0
    if not low <= value <= MAX_DAYS:
        raise PolicyError(f"{where}: must be from {low} to {MAX_DAYS}, got {value}")
    return value
