"""Working days (RULES.md section 1), from the `holidays` package's calendars.

A working day is what `holidays.country_holidays(code).is_working_day(date)` says: weekends and
public holidays are off, and make-up weekend workdays (China's "调休") count. Answers are cached
per country and date; the `holidays` import is deferred until a calendar is first needed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache

_DAY = timedelta(days=1)


@cache
def supported_calendars() -> frozenset[str]:
    import holidays

    return frozenset(holidays.list_supported_countries())


@cache
def _is_working_day(country: str) -> Callable[[date], bool]:
    import holidays

    calendar = holidays.country_holidays(country)
    answers: dict[date, bool] = {}

    def is_working_day(day: date) -> bool:
        answer = answers.get(day)
        if answer is None:
            answer = answers[day] = bool(calendar.is_working_day(day))
        return answer

    return is_working_day


def is_working_day(day: date, country: str) -> bool:
    return _is_working_day(country)(day)


def add_working_days(start: datetime, n: int, country: str) -> datetime:
    """Step one calendar day at a time, keeping the time of day, and count a step when the (UTC)
    date it lands on is a working day, until `n` steps are counted. 0 working days is `start`."""
    working = _is_working_day(country)
    current, counted = start, 0
    while counted < n:
        current += _DAY
        if working(current.date()):
            counted += 1
    return current
