"""The desk's words in seven languages, and Babel formatting of money and times.

The words are gettext catalogs under `web/locale/`, managed with Babel: `desk.pot` holds every
entry in English (its `msgctxt` is the key the code asks for, e.g. `login.failed`, and its
`msgid` the English text, with `str.format` placeholders), and `<locale>/LC_MESSAGES/desk.po`
each language's text. A count that changes the words (`unit.day`: "1 day", "3 days"; Russian and
Polish have three forms) is a plural entry, chosen by the language's `Plural-Forms`. `make
catalogs` runs `pybabel update` after an entry is added or its English changed, which leaves it
empty or fuzzy in every language, and `tests/test_catalogs.py` fails until each is translated.
The `.po` files are read by Babel the first time a language is asked for (no compile step).
Money and instants are formatted by Babel (CLDR data) in the reader's locale and time zone.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from gettext import c2py
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_currency

from disputedesk.messaging.languages import LANGUAGES, NAMES
from disputedesk.rules.vocabulary import REASONS

LOCALES: tuple[str, ...] = LANGUAGES  # en, zh_CN, es, pt_BR, ru, fr, pl
LOCALE_NAMES = NAMES  # each in its own language
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "desk"


@dataclass(frozen=True)
class Words:
    """One language's catalog: key -> text, or the forms of a plural entry, and which form a
    count takes."""

    texts: dict[str, str | tuple[str, ...]]
    form_of: Callable[[int], int]
    plural_forms: int


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def english() -> Words:
    """The template's English: msgid (and msgid_plural) by key."""
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "rb") as file:
        template = read_po(file)
    texts: dict[str, str | tuple[str, ...]] = {}
    for message in template:
        if message.id and message.context:
            texts[message.context] = (
                message.id if isinstance(message.id, str) else tuple(message.id)
            )
    return Words(texts, lambda n: 0 if n == 1 else 1, 2)


@cache
def words(locale: str) -> Words:
    """A language's words; an entry not (yet) translated, or fuzzy, reads in English (the
    catalogs' test lets none through)."""
    if locale not in LOCALES or locale == "en":
        return english()
    with open(po_path(locale), "rb") as file:
        catalog = read_po(file, locale=locale)
    source = english().texts
    texts = dict(source)
    for message in catalog:
        if not message.id or not message.context or message.fuzzy:
            continue
        if message.context not in source:
            continue  # obsolete: no longer asked for
        if isinstance(message.string, str):
            if message.string:
                texts[message.context] = message.string
        elif message.string and all(message.string):
            texts[message.context] = tuple(message.string)
    return Words(texts, c2py(catalog.plural_expr), catalog.num_plurals)


def _entry(locale: str, key: str) -> str | tuple[str, ...]:
    return words(locale if locale in LOCALES else "en").texts[key]


def text(locale: str, key: str, **params: object) -> str:
    """The catalog's text for `key` in `locale` (English when the locale is unknown)."""
    template = _entry(locale, key)
    if not isinstance(template, str):
        raise KeyError(f"{key} is a plural entry: ask for it with plural()")
    return template.format(**params) if params else template


def plural(locale: str, key: str, n: int, **params: object) -> str:
    """The form of plural entry `key` that the language uses for `n` ("1 день", "3 дня",
    "5 дней"), filled with `n` and `params`."""
    known = words(locale if locale in LOCALES else "en")
    forms = known.texts[key]
    if isinstance(forms, str):
        return forms.format(n=n, **params)
    index = known.form_of(abs(n)) if len(forms) > 1 else 0
    return forms[min(index, len(forms) - 1)].format(n=n, **params)


def template_of(locale: str, key: str) -> str:
    """The unfilled text of a (non-plural) entry: for markup built around its placeholders."""
    template = _entry(locale, key)
    return template if isinstance(template, str) else template[-1]


def has(key: str) -> bool:
    return key in english().texts


def entry_keys() -> list[str]:
    return list(english().texts)


def english_text(key: str) -> str:
    """An entry's English (a plural entry's "other" form)."""
    value = english().texts[key]
    return value if isinstance(value, str) else value[-1]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def reason_text(locale: str, reason: str) -> str:
    key = f"reason.{reason}"
    return text(locale, key) if has(key) else REASONS.get(reason, reason)


# --- Babel formatting ------------------------------------------------------------------------

_DATETIME_PATTERNS = {
    "en": "d MMM y HH:mm",
    "zh_CN": "y年M月d日 HH:mm",
    "es": "d MMM y HH:mm",
    "pt_BR": "d 'de' MMM 'de' y HH:mm",
    "ru": "d MMM y HH:mm",
    "fr": "d MMM y HH:mm",
    "pl": "d MMM y HH:mm",
}
_BABEL_LOCALES = {
    "en": "en_US",
    "zh_CN": "zh_CN",
    "es": "es_ES",
    "pt_BR": "pt_BR",
    "ru": "ru_RU",
    "fr": "fr_FR",
    "pl": "pl_PL",
}


def babel_locale(locale: str) -> str:
    return _BABEL_LOCALES.get(locale, "en_US")


def html_lang(locale: str) -> str:
    """The locale as HTML's `lang` writes it ("pt-BR", "zh-CN")."""
    return locale.replace("_", "-")


def money(amount: Decimal | None, currency: str, locale: str) -> str:
    """An amount in the order's currency, as the reader's locale writes it ("$12.50", "€8.00")."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=babel_locale(locale))


def instant(value: datetime | None, time_zone: str, locale: str) -> str:
    """A UTC instant in the reader's time zone: "8 Mar 2026 18:00" / "2026年3月8日 18:00"."""
    if value is None:
        return ""
    return format_datetime(
        value,
        _DATETIME_PATTERNS.get(locale, _DATETIME_PATTERNS["en"]),
        tzinfo=ZoneInfo(time_zone),
        locale=babel_locale(locale),
    )


def zone_label(value: datetime, time_zone: str) -> str:
    """The zone's short offset at that instant, e.g. "UTC+08:00"."""
    offset = value.astimezone(ZoneInfo(time_zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def countdown(seconds: float, locale: str) -> str:
    """Time left as the seed's dispute page writes it ("3 days 23:12:12", "1 day 00:50:00"),
    or time past the deadline ("overdue by 12 days", "overdue by 5 hours")."""
    if seconds <= 0:
        return text(locale, "countdown.overdue", time=overdue_time(-seconds, locale))
    whole = int(seconds)
    day_count, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return plural(locale, "countdown.left", day_count, c=f"{hours:02d}:{minutes:02d}:{secs:02d}")


def overdue_time(seconds: float, locale: str) -> str:
    """How long past: whole days, else whole hours, else minutes (at least 1)."""
    whole = int(seconds)
    if whole >= 86400:
        return plural(locale, "unit.day", whole // 86400)
    if whole >= 3600:
        return plural(locale, "unit.hour", whole // 3600)
    return plural(locale, "unit.minute", max(1, whole // 60))


@cache
def plural_categories(locale: str) -> dict[str, int]:
    """Which of the catalog's plural forms each CLDR plural category takes ("one" -> 0,
    "few" -> 1, "many" -> 2 in Russian), so the browser's `Intl.PluralRules` picks the same
    form as the server. Found by counting: whole numbers up to 200 and a few millions."""
    known = words(locale if locale in LOCALES else "en")
    cldr = Locale.parse(babel_locale(locale))
    mapping: dict[str, int] = {}
    for n in [*range(0, 201), 1000, 1_000_000, 2_000_000]:
        mapping.setdefault(cldr.plural_form(n), min(known.form_of(n), known.plural_forms - 1))
    return mapping


def countdown_words(locale: str) -> dict[str, object]:
    """The countdown's words for countdown.js, which ticks the same way `countdown` counts:
    each plural entry's forms and the form each CLDR category takes."""
    known = words(locale if locale in LOCALES else "en")
    result: dict[str, object] = {
        "overdue": text(locale, "countdown.overdue", time="{t}"),
        "plural": plural_categories(locale),
    }
    for name in ("countdown.left", "unit.day", "unit.hour", "unit.minute"):
        forms = known.texts[name]
        result[name.split(".")[-1]] = [forms] if isinstance(forms, str) else list(forms)
    return result
