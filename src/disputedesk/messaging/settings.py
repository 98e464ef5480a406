"""A store's messaging settings: each trigger on or off with its channels, delay and template;
reminders on or off with their channels; the automatic reply outside working hours (off by
default) with the hours; the language and time zone its staff read in.

Stored as JSON (`messaging_settings.settings`); what is missing takes the default, so an old
row keeps working when a trigger is added.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from disputedesk.messaging.catalog import TRIGGERS
from disputedesk.messaging.languages import LANGUAGES, valid_zone

CHANNELS = ("in_app", "email", "webhook")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DELAY_MINUTES = 30 * 24 * 60
DEFAULT_TRACKING_URL = "https://t.17track.net/en#nums={number}"
_RANGE = re.compile(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)")

# Which template each trigger sends, and who reads it.
TRIGGER_TEMPLATES = {
    "shipped": "notice.shipped",
    "arrived_dest_country": "notice.arrived_dest_country",
    "in_customs": "notice.in_customs",
    "pickup_notice": "notice.pickup_notice",
    "delivered": "notice.delivered",
    "dispute_opened": "notice.dispute_opened",
    "plan_proposed": "notice.plan_proposed",
    "return_shipped": "notice.return_shipped",
    "receipt_confirmed": "notice.review_request",
}
TRIGGER_AUDIENCE = {
    trigger: ("store" if trigger in ("dispute_opened", "return_shipped") else "buyer")
    for trigger in TRIGGERS
}


class SettingsError(ValueError):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True, slots=True)
class Trigger:
    enabled: bool
    channels: tuple[str, ...]
    delay_minutes: int
    template: str

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "channels": list(self.channels),
            "delay_minutes": self.delay_minutes,
            "template": self.template,
        }


@dataclass(frozen=True, slots=True)
class Reminders:
    enabled: bool
    channels: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "channels": list(self.channels)}


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Opening ranges per weekday (0 = Monday) in a time zone; `end` may be 24:00."""

    time_zone: str
    days: Mapping[int, tuple[tuple[time, time | None], ...]]  # None end: midnight

    def is_open(self, instant: datetime) -> bool:
        local = instant.astimezone(ZoneInfo(self.time_zone))
        clock = local.time().replace(tzinfo=None)
        for start, end in self.days.get(local.weekday(), ()):
            if start <= clock and (end is None or clock < end):
                return True
        return False

    def next_opening(self, instant: datetime) -> datetime | None:
        """The next instant at or after `instant` when a range begins (None: never open)."""
        zone = ZoneInfo(self.time_zone)
        local = instant.astimezone(zone)
        for offset in range(8):
            date = (local + timedelta(days=offset)).date()
            for start, _end in sorted(self.days.get(date.weekday(), ())):
                opening = datetime.combine(date, start, tzinfo=zone)
                if opening >= local:
                    return opening.astimezone(instant.tzinfo)
        return None

    def to_json(self) -> dict[str, list[str]]:
        def clock(value: time | None) -> str:
            return "24:00" if value is None else value.strftime("%H:%M")

        return {
            WEEKDAYS[day]: [f"{clock(start)}-{clock(end)}" for start, end in ranges]
            for day, ranges in sorted(self.days.items())
            if ranges
        }


@dataclass(frozen=True, slots=True)
class AutoReply:
    enabled: bool
    channels: tuple[str, ...]
    template: str
    hours: WorkingHours

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "channels": list(self.channels),
            "template": self.template,
            "working_hours": self.hours.to_json(),
        }


@dataclass(frozen=True, slots=True)
class StoreSettings:
    language: str
    time_zone: str
    tracking_url: str
    triggers: Mapping[str, Trigger]
    reminders: Reminders
    auto_reply: AutoReply

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "time_zone": self.time_zone,
            "tracking_url": self.tracking_url,
            "triggers": {name: self.triggers[name].to_json() for name in TRIGGERS},
            "reminders": self.reminders.to_json(),
            "auto_reply": self.auto_reply.to_json(),
        }


_WEEKDAY_HOURS = {day: ((time(9, 0), time(18, 0)),) for day in range(5)}
# Notices go to the order's thread; a review request waits a day after the buyer confirmed.
DEFAULTS = StoreSettings(
    language="en",
    time_zone="UTC",
    tracking_url=DEFAULT_TRACKING_URL,
    triggers={
        trigger: Trigger(
            enabled=True,
            channels=("in_app",),
            delay_minutes=24 * 60 if trigger == "receipt_confirmed" else 0,
            template=TRIGGER_TEMPLATES[trigger],
        )
        for trigger in TRIGGERS
    },
    reminders=Reminders(enabled=True, channels=("in_app", "email")),
    auto_reply=AutoReply(
        enabled=False,
        channels=("in_app",),
        template="auto_reply.off_hours",
        hours=WorkingHours("UTC", _WEEKDAY_HOURS),
    ),
)


def _bool(raw: Mapping[str, Any], name: str, default: bool, where: str) -> bool:
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise SettingsError(f"{where}.{name}", "must be true or false")
    return value


def _channels(raw: Mapping[str, Any], default: tuple[str, ...], where: str) -> tuple[str, ...]:
    value = raw.get("channels", list(default))
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise SettingsError(f"{where}.channels", f"a list of {', '.join(CHANNELS)}")
    unknown = [c for c in value if c not in CHANNELS]
    if unknown:
        raise SettingsError(f"{where}.channels", f"{unknown[0]!r} is not one of {CHANNELS}")
    return tuple(c for c in CHANNELS if c in value)


def _template(raw: Mapping[str, Any], default: str, where: str) -> str:
    value = raw.get("template", default)
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,99}", value):
        raise SettingsError(f"{where}.template", "a template key")
    return value


def _object(raw: Any, where: str) -> Mapping[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise SettingsError(where, "must be an object")
    return raw


def working_hours_from(raw: Any, time_zone: str, where: str) -> WorkingHours:
    raw = _object(raw, where)
    days: dict[int, tuple[tuple[time, time | None], ...]] = {}
    for name, ranges in raw.items():
        if name not in WEEKDAYS:
            raise SettingsError(f"{where}.{name}", f"a weekday: {', '.join(WEEKDAYS)}")
        if not isinstance(ranges, list) or len(ranges) > 6:
            raise SettingsError(f"{where}.{name}", 'a list of ranges such as "09:00-18:00"')
        parsed: list[tuple[time, time | None]] = []
        for value in ranges:
            match = _RANGE.fullmatch(value) if isinstance(value, str) else None
            if match is None:
                raise SettingsError(
                    f"{where}.{name}", f'{value!r} is not a range like "09:00-18:00"'
                )
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if h2 == 24 and m2:
                raise SettingsError(f"{where}.{name}", f"{value!r}: 24:00 is the latest end")
            start, end = time(h1, m1), None if h2 == 24 else time(h2, m2)
            if end is not None and end <= start:
                raise SettingsError(f"{where}.{name}", f"{value!r} ends before it starts")
            parsed.append((start, end))
        days[WEEKDAYS.index(name)] = tuple(sorted(parsed))
    return WorkingHours(time_zone, days)


def settings_from(raw: Any) -> StoreSettings:
    """Settings from JSON, every field checked (SettingsError names the first bad one); what
    is missing takes the default."""
    raw = _object(raw, "settings")
    base = DEFAULTS
    language = raw.get("language", base.language)
    if language not in LANGUAGES:
        raise SettingsError("language", f"one of {', '.join(LANGUAGES)}")
    time_zone = raw.get("time_zone", base.time_zone)
    if not isinstance(time_zone, str) or valid_zone(time_zone) is None:
        raise SettingsError("time_zone", "an IANA time zone such as Asia/Shanghai")
    tracking_url = raw.get("tracking_url", base.tracking_url)
    if (
        not isinstance(tracking_url, str)
        or len(tracking_url) > 300
        or not re.match(r"https?://", tracking_url)
        or tracking_url.count("{number}") != 1
        or any(brace in tracking_url.replace("{number}", "") for brace in "{}")
    ):
        raise SettingsError("tracking_url", "an http(s) URL with {number} where the number goes")
    triggers_raw = _object(raw.get("triggers"), "triggers")
    unknown = [name for name in triggers_raw if name not in TRIGGERS]
    if unknown:
        raise SettingsError(f"triggers.{unknown[0]}", f"unknown; known: {', '.join(TRIGGERS)}")
    triggers: dict[str, Trigger] = {}
    for name in TRIGGERS:
        where = f"triggers.{name}"
        given = _object(triggers_raw.get(name), where)
        default = base.triggers[name]
        delay = given.get("delay_minutes", default.delay_minutes)
        if not isinstance(delay, int) or isinstance(delay, bool):
            raise SettingsError(f"{where}.delay_minutes", "a whole number of minutes")
        if not 0 <= delay <= MAX_DELAY_MINUTES:
            raise SettingsError(f"{where}.delay_minutes", f"from 0 to {MAX_DELAY_MINUTES}")
        triggers[name] = Trigger(
            enabled=_bool(given, "enabled", default.enabled, where),
            channels=_channels(given, default.channels, where),
            delay_minutes=delay,
            template=_template(given, default.template, where),
        )
    reminders_raw = _object(raw.get("reminders"), "reminders")
    reminders = Reminders(
        enabled=_bool(reminders_raw, "enabled", base.reminders.enabled, "reminders"),
        channels=_channels(reminders_raw, base.reminders.channels, "reminders"),
    )
    auto_raw = _object(raw.get("auto_reply"), "auto_reply")
    hours = (
        working_hours_from(auto_raw["working_hours"], time_zone, "auto_reply.working_hours")
        if "working_hours" in auto_raw
        else replace(base.auto_reply.hours, time_zone=time_zone)
    )
    auto_reply = AutoReply(
        enabled=_bool(auto_raw, "enabled", base.auto_reply.enabled, "auto_reply"),
        channels=_channels(auto_raw, base.auto_reply.channels, "auto_reply"),
        template=_template(auto_raw, base.auto_reply.template, "auto_reply"),
        hours=hours,
    )
    if auto_reply.enabled and not any(hours.days.values()):
        raise SettingsError("auto_reply.working_hours", "needs at least one opening range")
    return StoreSettings(language, time_zone, tracking_url, triggers, reminders, auto_reply)
