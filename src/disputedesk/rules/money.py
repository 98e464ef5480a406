"""Money as RULES.md section 2 writes it: decimal strings with at most 2 places, never floats.

Exact at any size: the `decimal` module's default context keeps 28 significant digits, so a
longer money string (a well-formed one, e.g. a refund amount of 40 digits, which the rules then
refuse as more than refundable) is parsed, formatted, added and subtracted in a context wide
enough for it, never rounded and never an error."""

from __future__ import annotations

import re
from decimal import Context, Decimal

_MONEY = re.compile(r"\d+(?:\.\d{1,2})?", re.ASCII)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_DEFAULT_PRECISION = 28
# The context of every amount that fits the default precision (nearly all of them), made once:
# building a Context costs more than the arithmetic. Sharing it is safe: an operation checks
# its traps on its own status, and the flags it leaves behind are never read.
_DEFAULT_CONTEXT = Context(prec=_DEFAULT_PRECISION)


def _wide(*amounts: Decimal) -> Context:
    """A context with room for every digit of the amounts, their sum and 2 places."""
    digits = max((a.adjusted() for a in amounts if a), default=0) + 5
    if digits <= _DEFAULT_PRECISION:
        return _DEFAULT_CONTEXT
    return Context(prec=digits)


def parse_money(text: object) -> Decimal | None:
    """The amount a money string names (quantized to cents), or None when it is not one."""
    if not isinstance(text, str) or _MONEY.fullmatch(text) is None:
        return None
    value = Decimal(text)
    return value.quantize(CENT, context=_wide(value))


def format_money(amount: Decimal) -> str:
    """Always 2 places: "40" -> "40.00"."""
    return str(amount.quantize(CENT, context=_wide(amount)))


def add_money(a: Decimal, b: Decimal) -> Decimal:
    """a + b, exactly."""
    return _wide(a, b).add(a, b)


def subtract_money(a: Decimal, b: Decimal) -> Decimal:
    """a - b, exactly."""
    return _wide(a, b).subtract(a, b)
