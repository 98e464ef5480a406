"""JSON as PostgreSQL's jsonb will store it: no NaN or Infinity, no number too large for a
float. One reader for every input that arrives as JSON text (imports, tracking feeds)."""

from __future__ import annotations

import json
import math
from typing import Any


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_float=_finite, parse_constant=_no_constant)


def loads(text: str) -> Any:
    """Strict JSON: raises json.JSONDecodeError, or ValueError for NaN, Infinity and numbers
    out of a float's range. (One decoder for every call: `json.loads` with these options
    would make one each time, a third of the cost of a short text.)"""
    if text.startswith("\ufeff"):  # what json.loads says
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    return _DECODER.decode(text)
