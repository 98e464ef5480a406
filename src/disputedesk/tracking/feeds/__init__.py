"""Tracking feeds: what the aggregators and carriers send, read into `CarrierEvent`s.

Pure parsing and signature checks (no I/O, no clock): `aftership` (webhooks signed
`aftership-hmac-sha256`), `seventeen_track` (17TRACK webhooks signed `sign`), `karrio_provider`
(karrio's tracking SDK, behind the small `TrackingProvider` interface). The API, the poller and
the import hand what these return to `services.tracking`, which classifies and stores it once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from disputedesk.services.tracking import CarrierEvent, EventError, check_event
from disputedesk.strictjson import loads


class FeedError(ValueError):
    """A payload that cannot be read: `field` is where (a JSON path such as
    `msg.checkpoints[2].message`), the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """One delivery of a feed: its events (each with the tracking number), or `ignored` saying
    why a well-formed delivery carries none to store (an event kind that is not a tracking
    update)."""

    tracking_number: str | None
    events: list[CarrierEvent] = field(default_factory=list)
    ignored: str | None = None


def read_json(body: bytes) -> Any:
    """A request body as strict JSON (UTF-8; no NaN or Infinity, which PostgreSQL's jsonb
    refuses)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FeedError("body", f"not UTF-8 text: {exc.reason}") from None
    if not text.strip():
        raise FeedError("body", "empty; a JSON object is expected")
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        raise FeedError("body", f"not JSON: {exc.msg} at column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise FeedError("body", f"not JSON: {exc}") from None


def need_object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise FeedError(where, "must be an object")
    return value


def need_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise FeedError(where, "must be a list")
    return value


def optional_text(value: Any, where: str) -> str | None:
    """A text field that may be missing or null; numbers are read as their text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FeedError(where, "must be text")
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        raise FeedError(where, "must be text")
    return value


def required_text(value: Any, where: str) -> str:
    text = optional_text(value, where)
    if text is None or not text.strip():
        raise FeedError(where, "required, a non-empty text")
    return text


def event_of(
    fields: dict[str, Any], where: str, payload: Any, names: Mapping[str, str]
) -> CarrierEvent:
    """`services.tracking.check_event` on a feed's fields, its complaint placed in the payload:
    `where` is the path of the object the fields came from, `names` the payload's name of each
    field (`{"description": "message", ...}`)."""
    try:
        return check_event(fields, payload=payload)
    except EventError as exc:
        if exc.field.startswith("payload"):  # the object itself, as received
            raise FeedError(where + exc.field.removeprefix("payload"), exc.reason) from None
        name = names.get(exc.field, names.get(exc.field.split(".")[0], exc.field))
        raise FeedError(f"{where}.{name}", exc.reason) from None


__all__ = [
    "CarrierEvent",
    "FeedError",
    "FeedUpdate",
    "event_of",
    "need_list",
    "need_object",
    "optional_text",
    "read_json",
    "required_text",
]
