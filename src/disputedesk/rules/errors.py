"""The one error vocabulary (RULES.md section 11), shared by the core, the CLI and later the API."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
    """A refused action: the error code and the rule in words, for people."""

    code: ErrorCode
    message: str
