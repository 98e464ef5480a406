"""The one error vocabulary (RULES.md section 11), shared by the core, the CLI and later the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """Why an action was refused, in the order the checks run."""

    INVALID_INPUT = "invalid_input"
    FORBIDDEN = "forbidden"
    NO_DISPUTE = "no_dispute"
    DISPUTE_OPEN = "dispute_open"
    INVALID_STATE = "invalid_state"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    INVALID_AMOUNT = "invalid_amount"


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refused action: the error code and the rule in words, for people.

    `rule` names the rule that refused (e.g. `open.too_early`) and `params` holds its values
    (instants as datetimes, amounts as Decimals), so a page can say the same rule in another
    language and in the reader's time zone. `message` is the English sentence in UTC."""

    code: ErrorCode
    message: str
    rule: str = ""
    params: dict[str, Any] = field(default_factory=dict)
