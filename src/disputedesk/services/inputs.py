"""What the databases can hold, checked at the edge so that SQLite and PostgreSQL refuse the same
inputs with the same `invalid_input`, never a server error: text without NUL characters or lone
surrogates (PostgreSQL's `text` and `jsonb` cannot store them, UTF-8 cannot encode them),
integers within 64 bits, money within what integer cents in a 64-bit column hold."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

MAX_BIGINT = 2**63 - 1
# Money is stored as integer cents (BIGINT): a bound with room to add amounts without overflow.
MAX_MONEY = Decimal("999999999999999.99")


def text_problem(value: str) -> str | None:
    """Why a string cannot be stored, or None when it can."""
    if "\x00" in value:
        return "must not contain a NUL character"
    if value.isascii():  # (no surrogates: nothing to encode)
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (a lone surrogate was sent)"
    return None


_SCALARS = frozenset({int, float, bool, type(None)})


def _storable(value: Any) -> bool:
    """Whether every string inside `value` can be stored: `unstorable`'s question without the
    paths, which it then works out only for a value that has a problem (an import checks every
    row's items this way: the common cases are inline, the rest recurse)."""
    kind = type(value)
    if kind is str:
        return "\x00" not in value and (value.isascii() or text_problem(value) is None)
    if kind in _SCALARS:
        return True
    if kind is dict or (kind is not list and isinstance(value, Mapping)):
        for key, item in value.items():
            if type(key) is str and text_problem(key) is not None:
                return False
            if type(item) is str:
                if "\x00" in item or (not item.isascii() and text_problem(item) is not None):
                    return False
            elif type(item) not in _SCALARS and not _storable(item):
                return False
        return True
    if kind is list or isinstance(value, (list, tuple)):
        for item in value:
            if type(item) is str:
                if "\x00" in item or (not item.isascii() and text_problem(item) is not None):
                    return False
            elif type(item) not in _SCALARS and not _storable(item):
                return False
        return True
    return not isinstance(value, str) or text_problem(value) is None


def unstorable(value: Any, path: str = "") -> tuple[str, str] | None:
    """The first string inside `value` (nested mappings and lists included, keys too) that
    cannot be stored: its path and why; None when everything can be stored."""
    if _storable(value):
        return None
    return _unstorable(value, path)


def _unstorable(value: Any, path: str) -> tuple[str, str] | None:
    if isinstance(value, str):
        problem = text_problem(value)
        return (path, problem) if problem else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found = _unstorable(key, where) if isinstance(key, str) else None
            found = found or _unstorable(item, where)
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _unstorable(item, f"{path}[{index}]")
            if found:
                return found
    return None


def storable_message(value: Any, path: str = "") -> str | None:
    """`unstorable` as one message, `field: why`, for a refusal."""
    found = unstorable(value, path)
    if found is None:
        return None
    where, why = found
    return f"{where}: {why}" if where else why
