"""UTC instants as RULES.md section 1 writes them.

`YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z`, years 1900-9000.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z", re.ASCII)
MIN_YEAR, MAX_YEAR = 1900, 9000
DAY = timedelta(days=1)


def parse_instant(text: object) -> datetime | None:
    """The instant `text` names, or None when it is not a valid instant string."""
    if not isinstance(text, str) or _INSTANT.fullmatch(text) is None:
        return None
    if not MIN_YEAR <= int(text[:4]) <= MAX_YEAR:
        return None
    try:  # the shape is checked above; fromisoformat (C) reads it ten times faster than int()s
        return datetime.fromisoformat(text)
    except ValueError:  # 2026-02-30, 24:00:00, 23:59:60 ...
        return None


def format_instant(t: datetime | None) -> str | None:
    """`YYYY-MM-DDTHH:MM:SSZ`, or with 6 fraction digits when the microseconds are not zero."""
    if t is None:
        return None
    text = t.isoformat()  # C, and the same digits as the strftime below for a UTC instant
    if text.endswith("+00:00"):
        return text[:-6] + "Z"
    if t.microsecond:
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def days(n: int) -> timedelta:
    """ "N days" is N x 24 h (RULES.md section 1)."""
    return timedelta(days=n)
