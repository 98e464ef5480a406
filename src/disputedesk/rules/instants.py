"""UTC instants as RULES.md section 1 writes them.

`YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z`, years 1900-9000.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_INSTANT = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z", re.ASCII)
MIN_YEAR, MAX_YEAR = 1900, 9000
DAY = timedelta(days=1)


def parse_instant(text: object) -> datetime | None:
    """The instant `text` names, or None when it is not a valid instant string."""
    if not isinstance(text, str):
        return None
    m = _INSTANT.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, fraction = m.groups()
    y = int(year)
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    try:
        return datetime(
            y, int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=UTC
        )
    except ValueError:  # 2026-02-30, 24:00:00, 23:59:60 ...
        return None


def format_instant(t: datetime | None) -> str | None:
    """`YYYY-MM-DDTHH:MM:SSZ`, or with 6 fraction digits when the microseconds are not zero."""
    if t is None:
        return None
    if t.microsecond:
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def days(n: int) -> timedelta:
    """ "N days" is N x 24 h (RULES.md section 1)."""
    return timedelta(days=n)
