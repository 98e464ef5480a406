"""Rendering a template's text: Jinja2's immutable sandbox with `StrictUndefined`, so a store's
own text can reach nothing but the placeholders it is given, and a placeholder without a value
is an error that names it (for the editor), never a blank in a sent message.

Values are filled in as text already written for the reader: money with Babel in the order's
currency and the reader's language, instants in the reader's time zone with its offset.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, format_timedelta
from babel.numbers import format_currency
from jinja2 import (
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    meta,
    nodes,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

# What a template may say, and what each placeholder holds (for the editor and the docs).
PLACEHOLDERS: dict[str, str] = {
    "order_number": "the order's number",
    "buyer_name": "the buyer's name",
    "store_name": "the store's name",
    "items": "what was ordered, e.g. '2 × Running shoes'",
    "order_total": "the order total (goods and shipping), in the order's currency",
    "carrier": "the carrier of the parcel",
    "tracking_number": "the parcel's tracking number",
    "tracking_link": "where the buyer can follow the parcel",
    "country": "the destination country, in the reader's language",
    "delivery_deadline": "the end of the delivery time (buyer protection), in the reader's zone",
    "reason": "the dispute's reason, in the reader's language",
    "buyer_plan": "the buyer's plan in words, with its amount",
    "seller_plan": "the seller's plan in words, with its amount",
    "refund_amount": "the amount at stake: the agreed amount, else the buyer's plan amount",
    "return_carrier": "the carrier of the buyer's return",
    "return_tracking_number": "the tracking number of the buyer's return",
    "deadline": "the deadline this message is about, in the reader's zone",
    "time_left": "the time left until that deadline, e.g. '2 days'",
    "event_at": "when it happened (shipped, arrived, in customs, notice left, delivered)",
    "place": "where the carrier saw the parcel (a pickup point, a delivery place)",
    "opens_at": "when the store's working hours begin again, in the reader's zone",
}
MAX_SOURCE = 10_000  # characters of a template's text
MAX_OUTPUT = 10_000  # characters of a rendered message (the thread's limit)
_MAX_REPEAT = 1_000  # the largest sequence `*` may make in a template
_UNDEFINED = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")
# Babel's identifiers for formatting: a bare "en" formats money as "$221.49", which is what
# English readers expect.
_BABEL = {lang: lang for lang in ("en", "zh_CN", "es", "pt_BR", "ru", "fr", "pl")}


class RenderError(ValueError):
    """Why a text cannot be rendered: `kind` is `missing` (a placeholder without a value;
    `name` says which), `unknown` (not a placeholder at all), `unsafe` (the sandbox refused),
    `syntax`, `too_long` or `error`."""

    def __init__(self, kind: str, message: str, name: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.name = name
        self.message = message

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "placeholder": self.name, "message": self.message}


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox (no attribute starting with `_`, no method that changes a value),
    and no power or huge repetition: a template cannot make the worker build a giant string."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("powers are not allowed in a message template")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if (
                    isinstance(sequence, (str, list, tuple))
                    and isinstance(count, int)
                    and len(sequence) * max(count, 0) > _MAX_REPEAT
                ):
                    raise SecurityError("that repetition is too long for a message")
        return super().call_binop(context, operator, left, right)


ENVIRONMENT = _Sandbox(
    undefined=StrictUndefined,
    autoescape=False,  # plain text: thread messages and text/plain email (the desk escapes)
    trim_blocks=True,
    lstrip_blocks=True,
)


# What a message template may be made of: text, placeholders, `{% if %}` (with `is defined`,
# `not`, `and`, `or`, comparisons), `~` and a few string filters. No loops, macros, calls,
# attribute or item access: a store's text can neither reach internals nor keep the worker
# busy (the sandbox alone bounds neither nested loops nor their time).
_ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.Test,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.Compare,
    nodes.Operand,
    nodes.CondExpr,
    nodes.Concat,
    nodes.Filter,
)
_ALLOWED_FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "default"})
_ALLOWED_TESTS = frozenset({"defined", "undefined", "none", "string"})


def _refused(node: nodes.Node) -> str | None:
    if not isinstance(node, _ALLOWED_NODES):
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            return "attribute and item access are not allowed in a message template"
        return f"{{% {type(node).__name__.lower()} %}} is not allowed in a message template"
    if isinstance(node, nodes.Filter) and node.name not in _ALLOWED_FILTERS:
        allowed = ", ".join(sorted(_ALLOWED_FILTERS))
        return f"the filter {node.name!r} is not allowed (allowed: {allowed})"
    if isinstance(node, nodes.Test) and node.name not in _ALLOWED_TESTS:
        return f"the test {node.name!r} is not allowed"
    return None


def _parse(source: str) -> nodes.Template:
    if len(source) > MAX_SOURCE:
        raise RenderError("too_long", f"a template's text is at most {MAX_SOURCE} characters")
    try:
        tree = ENVIRONMENT.parse(source)
    except TemplateSyntaxError as exc:
        raise RenderError("syntax", f"line {exc.lineno}: {exc.message}") from None
    for node in (tree, *tree.find_all(nodes.Node)):
        why = _refused(node)
        if why is not None:
            raise RenderError("unsafe", why)
    return tree


@lru_cache(maxsize=4096)
def compiled(source: str) -> Template:
    """The compiled template (once per distinct text); RenderError when it is not valid
    template syntax, too long, or uses what a message template may not."""
    _parse(source)
    return ENVIRONMENT.from_string(source)


def placeholders_in(source: str) -> set[str]:
    """The names a text reads (its placeholders and any other variable)."""
    return set(meta.find_undeclared_variables(_parse(source)))


def problems_of(source: str) -> list[RenderError]:
    """What is wrong with a text before any data: syntax, length, and names that are no
    placeholder (each named)."""
    try:
        compiled(source)
        names = placeholders_in(source)
    except RenderError as exc:
        return [exc]
    return [
        RenderError("unknown", f"{{{{ {name} }}}} is not a placeholder", name)
        for name in sorted(names - PLACEHOLDERS.keys())
    ]


def render(source: str, values: Mapping[str, Any]) -> str:
    """The text with its placeholders filled from `values` (a missing one: RenderError
    `missing` naming it; what the sandbox refuses: `unsafe`)."""
    template = compiled(source)
    try:
        out = template.render(dict(values))
    except UndefinedError as exc:
        text = str(exc.message or exc)
        found = _UNDEFINED.match(text)
        if found:
            name = found.group(1)
            raise RenderError("missing", f"{{{{ {name} }}}} has no value here", name) from None
        attribute = _NO_ATTRIBUTE.search(text)
        raise RenderError(
            "unsafe" if attribute else "missing", text, attribute.group(1) if attribute else None
        ) from None
    except SecurityError as exc:
        raise RenderError("unsafe", f"refused by the sandbox: {exc}") from None
    except TemplateError as exc:
        raise RenderError("error", str(exc)) from None
    except (TypeError, ValueError, ArithmeticError, OverflowError) as exc:
        raise RenderError("error", f"{type(exc).__name__}: {exc}") from None
    if len(out) > MAX_OUTPUT:
        raise RenderError("too_long", f"the message is longer than {MAX_OUTPUT} characters")
    return out.strip()


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    body: str


# -- values written for the reader --------------------------------------------------------------


def babel_locale(language: str) -> str:
    return _BABEL.get(language, "en")


@lru_cache(maxsize=8192)
def money(amount: Decimal, currency: str, language: str) -> str:
    """ "$221.49", "US$ 221,49", "221,49 $US": the order's currency as the reader writes it."""
    return format_currency(amount, currency, locale=babel_locale(language))


def zone_label(value: datetime, time_zone: str) -> str:
    offset = value.astimezone(ZoneInfo(time_zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=8192)
def instant(value: datetime, time_zone: str, language: str) -> str:
    """ "Mar 8, 2026 07:00 (UTC-03:00)": the reader's date and 24-hour time in their zone, with
    the zone's offset so nobody misreads whose clock it is."""
    local = value.astimezone(ZoneInfo(time_zone))
    locale = babel_locale(language)
    day = format_date(local, "medium", locale=locale)
    clock = format_time(local, "HH:mm", locale=locale)
    return f"{day} {clock} ({zone_label(value, time_zone)})"


@lru_cache(maxsize=8192)
def day(value: datetime, time_zone: str, language: str) -> str:
    """The date alone, in the reader's zone: "Mar 8, 2026"."""
    return format_date(
        value.astimezone(ZoneInfo(time_zone)), "medium", locale=babel_locale(language)
    )


def time_left(delta: timedelta, language: str) -> str:
    """ "2 days", "12 hours", "30 minutes" in the reader's language (rounded as people say it)."""
    seconds = max(delta.total_seconds(), 60.0)
    return format_timedelta(timedelta(seconds=seconds), locale=babel_locale(language))
