"""What flows through the lifecycle: commands, events, the next due step, timeline entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from disputedesk.rules.errors import ErrorCode, Refusal


@dataclass(frozen=True, slots=True)
class Command:
    """An action someone asks for: the raw fields as sent (JSON values)."""

    at: datetime
    actor: str
    action: str
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened: an accepted command or an automatic step (`actor` "system").
    `data` is the command's checked, normalised fields (JSON values), ready for an event log."""

    at: datetime
    actor: str
    action: str
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Due:
    """The next automatic step: what fires, when, and who can still act before it."""

    at: datetime
    action: str
    waiting_on: str | None
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Entry:
    """One timeline entry: an input event with its verdict, or an automatic step."""

    at: datetime
    actor: str
    action: str
    error: ErrorCode | None = None
    message: str | None = None
    event: Event | None = None  # what happened, for an accepted command or a step
    refusal: Refusal | None = None  # why, for a refused command

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def of(cls, event: Event) -> Entry:
        return cls(event.at, event.actor, event.action, event=event)
