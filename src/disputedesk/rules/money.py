"""Money as RULES.md section 2 writes it: decimal strings with at most 2 places, never floats."""

from __future__ import annotations

import re
from decimal import Decimal

_MONEY = re.compile(r"\d+(?:\.\d{1,2})?", re.ASCII)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def parse_money(text: object) -> Decimal | None:
    """The amount a money string names (quantized to cents), or None when it is not one."""
    if not isinstance(text, str) or _MONEY.fullmatch(text) is None:
        return None
    return Decimal(text).quantize(CENT)


def format_money(amount: Decimal) -> str:
    """Always 2 places: "40" -> "40.00"."""
    return str(amount.quantize(CENT))
