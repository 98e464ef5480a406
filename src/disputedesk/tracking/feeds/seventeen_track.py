"""17TRACK webhooks (API v2.2): the signature and the payload.

17TRACK signs each push with the header `sign`: the SHA-256 (hex) of the raw request body, a
slash and the account's API key (security key), i.e. `sha256("<body>/<key>")`. The body is
`{"event": "TRACKING_UPDATED", "data": {"number", "carrier" (17TRACK's numeric carrier code),
"track_info": {..., "tracking": {"providers": [{"provider": {"key", "name", ...},
"events": [{"time_iso", "time_utc", "description", "location", "stage", "sub_status",
"address": {"country", "state", "city", "postal_code", ...}}]}]}}}}`; `TRACKING_STOPPED`
says 17TRACK stopped watching a number (nothing to store). Each provider's event is one event:
its code is the sub-status (`InTransit_CustomsProcessing`, else the stage), its carrier the
provider's name (else 17TRACK's carrier code).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from disputedesk.tracking.feeds import (
    FeedError,
    FeedUpdate,
    event_of,
    need_list,
    need_object,
    optional_text,
    required_text,
)

SIGNATURE_HEADER = "sign"
UPDATED = "TRACKING_UPDATED"
STOPPED = "TRACKING_STOPPED"
_NAMES = {
    "description": "description",
    "raw_code": "sub_status",
    "carrier": "provider.name",
    "at": "time_iso",
    "tracking_number": "number",
    "location.text": "location",
    "location.city": "address.city",
    "location.state": "address.state",
    "location.zip": "address.postal_code",
    "location.country": "address.country",
}


def signature(body: bytes, key: str) -> str:
    """What 17TRACK sends in `sign` for `body`."""
    return hashlib.sha256(body + b"/" + key.encode()).hexdigest()


def verify(body: bytes, key: str, given: str | None) -> bool:
    """Whether `given` is the body's signature under `key` (compared in constant time)."""
    if not key or not given:
        return False
    expected = signature(body, key).encode("ascii")
    return hmac.compare_digest(expected, given.strip().lower().encode("utf-8", "replace"))


def _text_in(obj: Mapping[str, Any] | None, name: str, where: str) -> str | None:
    if obj is None:
        return None
    return optional_text(obj.get(name), f"{where}.{name}")


def parse(payload: Any) -> FeedUpdate:
    """The push's events, one per provider event; a `TRACKING_STOPPED` push carries none."""
    body = need_object(payload, "body")
    kind = required_text(body.get("event"), "event")
    data = need_object(body.get("data"), "data")
    if kind == STOPPED:
        number = optional_text(data.get("number"), "data.number")
        return FeedUpdate(number, [], ignored=f"{STOPPED}: 17TRACK stopped tracking the number")
    if kind != UPDATED:
        raise FeedError("event", f"{kind!r} is not a 17TRACK push ({UPDATED}, {STOPPED})")
    number = required_text(data.get("number"), "data.number").strip()
    carrier_code = optional_text(data.get("carrier"), "data.carrier")
    info = need_object(data.get("track_info"), "data.track_info")
    tracking = need_object(info.get("tracking"), "data.track_info.tracking")
    providers = tracking.get("providers")
    where_providers = "data.track_info.tracking.providers"
    events = []
    for p_index, raw_provider in enumerate(need_list(providers or [], where_providers)):
        p_where = f"{where_providers}[{p_index}]"
        provider = need_object(raw_provider, p_where)
        about = provider.get("provider")
        if about is not None:
            about = need_object(about, f"{p_where}.provider")
        carrier = (
            _text_in(about, "name", f"{p_where}.provider")
            or _text_in(about, "alias", f"{p_where}.provider")
            or carrier_code
        )
        raw_events = provider.get("events")
        for e_index, raw in enumerate(need_list(raw_events or [], f"{p_where}.events")):
            where = f"{p_where}.events[{e_index}]"
            event = need_object(raw, where)
            address = event.get("address")
            if address is not None:
                address = need_object(address, f"{where}.address")
            a_where = f"{where}.address"
            location = {
                "text": _text_in(event, "location", where),
                "city": _text_in(address, "city", a_where),
                "state": _text_in(address, "state", a_where),
                "zip": _text_in(address, "postal_code", a_where),
                "country": _text_in(address, "country", a_where),
            }
            stage = _text_in(event, "stage", where)
            fields = {
                "description": _text_in(event, "description", where),
                "raw_code": _text_in(event, "sub_status", where) or stage,
                "carrier": carrier,
                "at": _text_in(event, "time_iso", where) or _text_in(event, "time_utc", where),
                "tracking_number": number,
                "location": {k: v for k, v in location.items() if v is not None} or None,
                "extra": {"stage": stage} if stage else None,
            }
            events.append(event_of(fields, where, dict(event), _NAMES))
    return FeedUpdate(number, events)
