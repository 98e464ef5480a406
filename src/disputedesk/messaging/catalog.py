"""Templates as data. Each has a key, a purpose (a `reply` staff may send, a `notice` a trigger
sends, a `reminder` before a deadline, an `auto_reply` outside working hours), who reads it
(`buyer` or `store`), the situations it fits, and per language a subject and a body.

The shipped templates live in `templates/`: `catalog.toml` says what each one is and fits, and
one file per language (`en.toml`, `zh_CN.toml`, ...) holds its words. A store edits a shipped
template by saving its own under the same key, or adds one under a new key (stored in
`message_templates`); `merged` lays the store's over the shipped ones.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from disputedesk.messaging.languages import DEFAULT_LANGUAGE, LANGUAGES
from disputedesk.messaging.render import RenderError, placeholders_in, problems_of
from disputedesk.rules.vocabulary import REASONS, DisputeStatus, OrderStatus

PURPOSES = ("reply", "notice", "reminder", "auto_reply")
AUDIENCES = ("buyer", "store")
# The situations a template can be said to fit (an empty set: any).
TRACKING_FACTS = (
    "no_tracking",
    "in_transit",
    "no_news",
    "arrived_dest_country",
    "in_customs",
    "duties_due",
    "pickup_notice",
    "delivered",
    "returned",
)
TRIGGERS = (
    "shipped",
    "arrived_dest_country",
    "in_customs",
    "pickup_notice",
    "delivered",
    "dispute_opened",
    "plan_proposed",
    "return_shipped",
    "receipt_confirmed",
)
DEADLINES = ("seller_response", "return_shipment", "return_receipt", "evidence_period", "resend")
STAGES = tuple(s.value for s in OrderStatus)
STATUSES = tuple(s.value for s in DisputeStatus)
REASON_NAMES = (*REASONS, "not_received", "not_as_described")  # codes, or a whole category
KEY = re.compile(r"[a-z0-9][a-z0-9_.-]{0,99}")
MAX_SUBJECT = 200


@dataclass(frozen=True, slots=True)
class Situations:
    """What a template fits: each a set of names, empty for "any"."""

    stages: frozenset[str] = frozenset()
    tracking: frozenset[str] = frozenset()
    reasons: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    triggers: frozenset[str] = frozenset()
    deadlines: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, list[str]]:
        return {
            name: sorted(getattr(self, name))
            for name in ("stages", "tracking", "reasons", "statuses", "triggers", "deadlines")
            if getattr(self, name)
        }


ALLOWED = {
    "stages": STAGES,
    "tracking": TRACKING_FACTS,
    "reasons": REASON_NAMES,
    "statuses": STATUSES,
    "triggers": TRIGGERS,
    "deadlines": DEADLINES,
}


class CatalogError(ValueError):
    """A template that cannot be used; the message names the field (and the placeholder)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def situations_from(raw: Any) -> Situations:
    """Situations from JSON/TOML (`{"reasons": [...], ...}`), every name checked."""
    if raw is None:
        return Situations()
    if not isinstance(raw, Mapping):
        raise CatalogError("situations", "must be an object")
    values: dict[str, frozenset[str]] = {}
    for name, value in raw.items():
        if name not in ALLOWED:
            raise CatalogError(f"situations.{name}", f"unknown; known: {', '.join(ALLOWED)}")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CatalogError(f"situations.{name}", "must be a list of names")
        unknown = [v for v in value if v not in ALLOWED[name]]
        if unknown:
            raise CatalogError(f"situations.{name}", f"{unknown[0]!r} is not one of them")
        values[name] = frozenset(value)
    return Situations(**values)


@dataclass(frozen=True, slots=True)
class Text:
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    purpose: str
    audience: str
    situations: Situations
    texts: Mapping[str, Text]
    origin: str = "shipped"  # shipped / edited (a store's copy of a shipped key) / store
    shipped: Template | None = field(default=None, compare=False, repr=False)

    def text(self, language: str) -> Text | None:
        return self.texts.get(language)

    def languages(self) -> list[str]:
        return [lang for lang in LANGUAGES if lang in self.texts]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "purpose": self.purpose,
            "audience": self.audience,
            "origin": self.origin,
            "situations": self.situations.to_json(),
            "texts": {
                lang: {"subject": text.subject, "body": text.body}
                for lang, text in self.texts.items()
            },
        }


def check_texts(raw: Any) -> dict[str, Text]:
    """Per-language texts from JSON: known languages, a body each (subject optional, one line),
    and every placeholder known; CatalogError names the first problem."""
    if not isinstance(raw, Mapping) or not raw:
        raise CatalogError("texts", "must be an object of languages, each with a body")
    texts: dict[str, Text] = {}
    for lang, value in raw.items():
        where = f"texts.{lang}"
        if lang not in LANGUAGES:
            raise CatalogError(where, f"unknown language; known: {', '.join(LANGUAGES)}")
        if not isinstance(value, Mapping):
            raise CatalogError(where, "must be an object with a subject and a body")
        subject, body = value.get("subject", ""), value.get("body")
        if not isinstance(subject, str) or len(subject) > MAX_SUBJECT or "\n" in subject.strip():
            raise CatalogError(f"{where}.subject", f"one line of at most {MAX_SUBJECT} characters")
        if not isinstance(body, str) or not body.strip():
            raise CatalogError(f"{where}.body", "must be a text that is not empty")
        for part, source in (("subject", subject), ("body", body)):
            problems = problems_of(source)
            if problems:
                raise CatalogError(f"{where}.{part}", problems[0].message)
        texts[lang] = Text(subject.strip(), body.strip())
    return texts


def template_from(raw: Mapping[str, Any], *, origin: str) -> Template:
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise CatalogError("key", "lower-case letters, digits, '.', '_', '-'; up to 100")
    purpose, audience = raw.get("purpose", "reply"), raw.get("audience", "buyer")
    if purpose not in PURPOSES:
        raise CatalogError("purpose", f"one of {', '.join(PURPOSES)}")
    if audience not in AUDIENCES:
        raise CatalogError("audience", f"one of {', '.join(AUDIENCES)}")
    return Template(
        key=key,
        purpose=purpose,
        audience=audience,
        situations=situations_from(raw.get("situations")),
        texts=check_texts(raw.get("texts")),
        origin=origin,
    )


# -- the shipped templates ----------------------------------------------------------------------


def _read(name: str) -> dict[str, Any]:
    source = resources.files("disputedesk.messaging").joinpath("templates", name)
    return tomllib.loads(source.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def shipped() -> dict[str, Template]:
    """The shipped templates by key (read once), every language of `LANGUAGES` each."""
    catalog = _read("catalog.toml")
    words = {lang: _read(f"{lang}.toml") for lang in LANGUAGES}
    out: dict[str, Template] = {}
    for key, spec in catalog.items():
        texts = {lang: words[lang][key] for lang in LANGUAGES if key in words[lang]}
        raw = {
            "key": key,
            "purpose": spec.get("purpose"),
            "audience": spec.get("audience"),
            "situations": {k: v for k, v in spec.items() if k in ALLOWED},
            "texts": texts,
        }
        try:
            out[key] = template_from(raw, origin="shipped")
        except CatalogError as exc:
            raise CatalogError(f"{key}.{exc.field}", exc.message) from None
    return out


def catalog_problems() -> list[str]:
    """What the shipped files get wrong: a key without a language, a language file with a key
    the catalog lacks, a translation whose placeholders differ from English. A test keeps this
    empty."""
    catalog = _read("catalog.toml")
    problems: list[str] = []
    english = _read(f"{DEFAULT_LANGUAGE}.toml")
    for lang in LANGUAGES:
        words = _read(f"{lang}.toml")
        problems += [f"{lang}: {key}: missing" for key in catalog if key not in words]
        problems += [f"{lang}: {key}: not in catalog.toml" for key in words if key not in catalog]
        for key, text in words.items():
            if key not in english or not isinstance(text, Mapping):
                continue
            for part in ("subject", "body"):
                try:
                    mine = placeholders_in(str(text.get(part, "")))
                    theirs = placeholders_in(str(english[key].get(part, "")))
                except RenderError as exc:
                    problems.append(f"{lang}: {key}.{part}: {exc.message}")
                    continue
                if mine != theirs:
                    problems.append(
                        f"{lang}: {key}.{part}: placeholders {sorted(mine)}, "
                        f"English has {sorted(theirs)}"
                    )
    return problems


def merged(store_rows: Iterable[Mapping[str, Any]]) -> dict[str, Template]:
    """The templates a store uses: the shipped ones with the store's laid over them (a store's
    edit of a shipped key keeps the shipped languages it did not rewrite)."""
    out = dict(shipped())
    for row in store_rows:
        base = out.get(row["key"])
        mine = template_from(row, origin="store")
        if base is not None and base.origin == "shipped":
            texts = {**base.texts, **mine.texts}
            mine = Template(
                mine.key, mine.purpose, mine.audience, mine.situations, texts, "edited", base
            )
        out[mine.key] = mine
    return out
