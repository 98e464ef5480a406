"""The seven languages messages are written in, and how a reader's language and time zone are
chosen: the person's own setting, else what their country speaks (its main language only, as
CLDR lists it first), else English; times in their zone, else their country's main zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global
from babel.languages import get_official_languages

# Babel's identifiers: what the template files are named after.
LANGUAGES = ("en", "zh_CN", "es", "pt_BR", "ru", "fr", "pl")
DEFAULT_LANGUAGE = "en"
NAMES = {
    "en": "English",
    "zh_CN": "简体中文",
    "es": "Español",
    "pt_BR": "Português (Brasil)",
    "ru": "Русский",
    "fr": "Français",
    "pl": "Polski",
}
# A bare language (or a script or region we do not write) read as the one we write for it.
_BY_LANGUAGE = {
    "en": "en",
    "zh": "zh_CN",
    "es": "es",
    "pt": "pt_BR",
    "ru": "ru",
    "fr": "fr",
    "pl": "pl",
}
# Traditional Chinese is not Simplified Chinese: those readers get English rather than a script
# they may not read.
_NOT_OURS = {"zh_hant", "zh_tw", "zh_hk", "zh_mo"}

# The zone most of a country's people live in, where the country has several (CLDR lists them
# alphabetically, not by population). Single-zone countries come from CLDR.
MAIN_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "ID": "Asia/Jakarta",
    "KZ": "Asia/Almaty",
    "MX": "America/Mexico_City",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "US": "America/New_York",
    "DE": "Europe/Berlin",
    "NZ": "Pacific/Auckland",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "MY": "Asia/Kuala_Lumpur",
}


def normalize(tag: str | None) -> str | None:
    """One of LANGUAGES for a language tag ("pt-BR", "pt", "zh_CN", "es-MX", "fr-CA"), or None
    when we write no messages in it."""
    if not tag:
        return None
    folded = tag.strip().replace("-", "_").lower()
    if not folded:
        return None
    for ours in LANGUAGES:
        if folded == ours.lower():
            return ours
    if any(folded.startswith(prefix) for prefix in _NOT_OURS):
        return None
    return _BY_LANGUAGE.get(folded.split("_", 1)[0])


def of_country(country: str | None) -> str | None:
    """The language of the destination country's main language, when we write in it."""
    if not country or len(country) != 2:
        return None
    try:
        spoken = get_official_languages(country.upper(), de_facto=True)
    except Exception:  # an unknown territory
        return None
    return normalize(spoken[0]) if spoken else None


def choose(*candidates: str | None, country: str | None = None) -> str:
    """The first candidate we write in (the person's setting, their record), else the country's
    main language, else English."""
    for candidate in candidates:
        found = normalize(candidate)
        if found is not None:
            return found
    return of_country(country) or DEFAULT_LANGUAGE


def valid_zone(name: str | None) -> str | None:
    if not name or len(name) > 64:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def zone_of_country(country: str | None) -> str | None:
    if not country or len(country) != 2:
        return None
    code = country.upper()
    if code in MAIN_ZONES:
        return MAIN_ZONES[code]
    zones = get_global("territory_zones").get(code, [])
    return zones[0] if len(zones) == 1 else None


def choose_zone(*candidates: str | None, country: str | None = None) -> str:
    """The first valid zone among the candidates, else the country's main zone, else UTC."""
    for candidate in candidates:
        found = valid_zone(candidate)
        if found is not None:
            return found
    return zone_of_country(country) or "UTC"
