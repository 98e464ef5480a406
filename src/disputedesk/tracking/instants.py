"""A carrier's timestamp as UTC. Carriers write instants many ways ("2024-11-22T13:58:00",
"2011-02-03 11:59:59 EST", "2023-09-28 09:46:53 GMT+3", "20220621-1000", "22/11/2024 13:58");
the text is always kept as given, and this reads what it can. A time without a zone is taken as
UTC (the carrier's local time is not known): good to the day, which is what the facts use."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_ZONES = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "IST": 5.5,
    "ET": -5,  # the US zones as carriers abbreviate them (standard time; good to the day)
    "CT": -6,
    "MT": -7,
    "PT": -8,
    "CST": -6,  # US Central: the common reading in carrier feeds
    "CDT": -5,
    "EST": -5,
    "EDT": -4,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "HST": -10,
    "AEST": 10,
    "AEDT": 11,
    "JST": 9,
    "KST": 9,
    "HKT": 8,
    "SGT": 8,
    "BRT": -3,
}
_ZONE_SUFFIX = re.compile(
    r"\s*(?:(?P<abbr>[A-Z]{1,5})?\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?)\s*$", re.ASCII
)
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y%m%d-%H%M",
    "%Y%m%d%H%M%S",
    "%Y%m%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%d%m%Y %H%M",
    "%B %d, %Y %I:%M %p",
    "%B %d, %Y",
    "%b %d, %Y %I:%M %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
MIN_YEAR, MAX_YEAR = 1990, 2200
# .NET JSON dates: /Date(1468904400000-0500)/ (milliseconds since the epoch, then the zone)
_DOTNET = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/", re.ASCII)


def parse_carrier_instant(text: object) -> datetime | None:
    """The instant as UTC, or None when it cannot be read (or is implausible)."""
    if not isinstance(text, str) or not text.strip() or len(text) > 64:
        return None
    value = text.strip()
    dotnet = _DOTNET.fullmatch(value)
    if dotnet:
        parsed: datetime | None = datetime.fromtimestamp(int(dotnet.group(1)) / 1000, UTC)
    else:
        parsed = _iso(value) or _with_zone(value)
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed


def _iso(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(
            value.replace("Z", "+00:00") if value.endswith("Z") else value
        )
    except ValueError:
        return None
    return _utc(parsed)


def _with_zone(value: str) -> datetime | None:
    offset: timedelta | None = None
    match = _ZONE_SUFFIX.search(value)
    body = value
    if match and (match.group("abbr") or match.group("offset")):
        abbr, signed = match.group("abbr"), match.group("offset")
        if abbr is not None and abbr not in _ZONES and not signed:
            abbr = None  # a word, not a zone: leave it in the text
        if abbr is not None or signed is not None:
            hours = _ZONES.get(abbr or "", 0.0) if abbr else 0.0
            offset = timedelta(hours=hours) + (_signed_offset(signed) if signed else timedelta())
            body = value[: match.start()].strip()
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(body, fmt)
        except ValueError:
            continue
        if offset is not None:
            parsed = parsed.replace(tzinfo=timezone(offset))
        return _utc(parsed)
    iso = _iso(body)
    if iso is not None and offset is not None:
        return (iso.replace(tzinfo=None) - offset).replace(tzinfo=UTC)
    return iso


def _signed_offset(signed: str) -> timedelta:
    sign = -1 if signed.startswith("-") else 1
    digits = signed[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return sign * timedelta(hours=hours, minutes=minutes)


def _utc(parsed: datetime) -> datetime:
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
