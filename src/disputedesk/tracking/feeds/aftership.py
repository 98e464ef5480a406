"""AfterShip tracking webhooks: the signature and the payload.

AfterShip signs each webhook with `aftership-hmac-sha256`: the base64 of the HMAC-SHA256 of
the raw request body under the account's webhook secret (AfterShip's "Webhook Signature"
page). The body is a JSON object with `event` (`tracking_update`, `edd_revise`, ...),
`event_id`, `ts` and `msg`, the tracking: `tracking_number`, `slug` (the carrier), `tag` and
`subtag`, and `checkpoints[]`, each with `checkpoint_time`, `message`, `tag`, `subtag`
(`Delivered_001`), `slug`, `location`, `city`, `state`, `zip` (`postal_code` in newer
versions), `country_iso3` (`country_region`), `country_name`, `raw_tag`. Each checkpoint is one
event: its code is the subtag (else the tag), its carrier the slug.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from disputedesk.tracking.feeds import (
    FeedUpdate,
    event_of,
    need_list,
    need_object,
    optional_text,
    required_text,
)

SIGNATURE_HEADER = "aftership-hmac-sha256"
# Our field -> the checkpoint's, for saying where a bad value was.
_NAMES = {
    "description": "message",
    "raw_code": "subtag",
    "carrier": "slug",
    "at": "checkpoint_time",
    "tracking_number": "tracking_number",
    "location.text": "location",
    "location.city": "city",
    "location.state": "state",
    "location.zip": "zip",
    "location.country": "country_iso3",
}


def signature(body: bytes, secret: str) -> str:
    """What AfterShip sends in `aftership-hmac-sha256` for `body`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(body: bytes, secret: str, given: str | None) -> bool:
    """Whether `given` is the body's signature under `secret` (compared in constant time)."""
    if not secret or not given:
        return False
    expected = signature(body, secret).encode("ascii")
    return hmac.compare_digest(expected, given.strip().encode("utf-8", "replace"))


def _first(checkpoint: Mapping[str, Any], where: str, *names: str) -> str | None:
    for name in names:
        value = optional_text(checkpoint.get(name), f"{where}.{name}")
        if value is not None:
            return value
    return None


def parse(payload: Any) -> FeedUpdate:
    """The webhook's events, one per checkpoint (none when the tracking has no checkpoint)."""
    body = need_object(payload, "body")
    msg = need_object(body.get("msg"), "msg")
    number = required_text(msg.get("tracking_number"), "msg.tracking_number").strip()
    slug = optional_text(msg.get("slug"), "msg.slug")
    checkpoints = msg.get("checkpoints")
    events = []
    listed = need_list(checkpoints if checkpoints is not None else [], "msg.checkpoints")
    for index, raw in enumerate(listed):
        where = f"msg.checkpoints[{index}]"
        checkpoint = need_object(raw, where)
        location = {
            "text": _first(checkpoint, where, "location"),
            "city": _first(checkpoint, where, "city"),
            "state": _first(checkpoint, where, "state"),
            "zip": _first(checkpoint, where, "zip", "postal_code"),
            "country": _first(checkpoint, where, "country_iso3", "country_region"),
        }
        extra = {
            "tag": _first(checkpoint, where, "tag"),
            "subtag_message": _first(checkpoint, where, "subtag_message"),
            "raw_tag": _first(checkpoint, where, "raw_tag"),
            "country_name": _first(checkpoint, where, "country_name", "country_region_name"),
        }
        fields = {
            "description": _first(checkpoint, where, "message"),
            "raw_code": _first(checkpoint, where, "subtag", "tag"),
            "carrier": _first(checkpoint, where, "slug") or slug,
            "at": _first(checkpoint, where, "checkpoint_time"),
            "tracking_number": number,
            "location": {k: v for k, v in location.items() if v is not None} or None,
            "extra": {k: v for k, v in extra.items() if v is not None} or None,
        }
        events.append(event_of(fields, where, dict(checkpoint), _NAMES))
    return FeedUpdate(number, events)
