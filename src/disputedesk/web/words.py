"""Refusals and outcomes in words: the rule that refused, in the reader's language, with its
instants in the reader's time zone and its amounts in the order's currency."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from disputedesk.rules.errors import Refusal
from disputedesk.web import i18n


def _param(value: Any, key: str, *, locale: str, time_zone: str, currency: str) -> Any:
    if isinstance(value, datetime):
        return f"{i18n.instant(value, time_zone, locale)} ({i18n.zone_label(value, time_zone)})"
    if isinstance(value, Decimal):
        return i18n.money(value, currency, locale)
    if key == "status" and i18n.has(f"status.{value}"):
        return i18n.text(locale, f"status.{value}")
    if key == "status" and i18n.has(f"order_status.{value}"):
        return i18n.text(locale, f"order_status.{value}")
    return value


def refusal(reason: Refusal, *, locale: str, time_zone: str, currency: str) -> str:
    """The refusal as a sentence; the core's English message when no words are kept for it."""
    key = f"refusal.{reason.rule}"
    if not reason.rule or not i18n.has(key):
        return reason.message
    params = {
        name: _param(value, name, locale=locale, time_zone=time_zone, currency=currency)
        for name, value in reason.params.items()
    }
    try:
        return i18n.text(locale, key, **params)
    except (KeyError, IndexError):
        return reason.message


def service_error(code: str, message: str, *, locale: str) -> str:
    """A refusal from the services (not the rules core): conflict, not_found, bad input..."""
    key = f"refusal.{code}"
    if i18n.has(key):
        return i18n.text(locale, key, detail=message)
    return message
