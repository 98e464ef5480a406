"""The tracking classifier: one carrier event (the keys of ../shared/tracking/events.jsonl) in,
one `Classification` out. Pure: no I/O, no clock.

How an event is read:
1. Its code, where the scheme is known (`rules.codes`): by the carrier's name, or because the
   code names its scheme itself (UPU `EMD`, AfterShip `Exception_004`, 17TRACK
   `InTransit_CustomsProcessing`).
2. Its description, normalised (`normalize`), against the phrase rules (`rules.phrases`), most
   specific meaning first.
3. Detail fields in `extra` (FedEx's exception description, Correios' `detalhe` and `destino`,
   Cainiao's standard text ...), read when the description is vague or missing, and when they
   say the parcel goes back to the sender.

A decisive code wins; otherwise a specific description; otherwise a specific detail; otherwise
the code; otherwise the vague description. A text no rule knows is `exception` with
`unclassified=True`; an empty description without a code is `no_info`.

Speed: every pattern is compiled once at import. A text is first scanned once for the literal
words the patterns need (one trie-shaped regex over every rule's required literal), so only the
few rules that can match are tried, in precedence order; and a judgement is cached per distinct
(carrier, code, description, details), since carriers repeat a few hundred texts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any

from disputedesk.tracking.rules import codes as code_rules
from disputedesk.tracking.rules import phrases
from disputedesk.tracking.taxonomy import NOTICE_STATUSES, Classification, TrackingStatus

__all__ = ["classify", "normalize"]

# --------------------------------------------------------------------------------------------
# Normalisation

# Combining marks dropped after NFD: Latin/Greek/Cyrillic accents, Hebrew points, Arabic harakat
# (Japanese dakuten are kept: they change the word).
_MARKS = re.compile("[\u0300-\u036f\u0591-\u05c7\u064b-\u065f\u0670]")
_LETTER_FOLD = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ı": "i",
    "ħ": "h",
    "æ": "ae",
    "œ": "oe",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    **phrases.HANT_TO_HANS,
}
_TEXT_FOLD = str.maketrans(
    {**_LETTER_FOLD, "_": " ", "-": " ", "‐": " ", "‑": " ", "–": " ", "—": " ", "−": " "}
)
_PATTERN_FOLD = str.maketrans(_LETTER_FOLD)  # patterns keep "-" and "_" (ranges, group names)
_SYMBOLS = str.maketrans({"™": " ", "®": " ", "©": " ", "℠": " "})
_ASCII_FOLD = str.maketrans({"_": " ", "-": " ", "`": "'"})
# Code-like words ("DistributedNormally", "OutForDelivery") are split; short brand names
# ("FedEx", "PostNL") are left alone.
_CAMEL_WORD = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*")
_CAMEL_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])")
_MAX_TEXT = 2000


def _split_camel(match: re.Match[str]) -> str:
    word = match.group()
    return _CAMEL_SPLIT.sub(" ", word) if len(word) >= 8 else word


def _fold(text: str, table: dict[int, Any]) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFD", text))
        text = unicodedata.normalize("NFC", text)
    return text.translate(table)


def normalize(text: str) -> str:
    """The text as rules read it: NFKC, casefolded, accents and marks removed, ł/ø/ı folded,
    dashes and underscores as spaces, whitespace (newlines, tabs) collapsed, code-like
    CamelCase words split, common Traditional Chinese characters as Simplified."""
    if not text:
        return ""
    text = text[:_MAX_TEXT]
    if not (text.islower() or text.isupper()):
        text = _CAMEL_WORD.sub(_split_camel, text)
    if text.isascii():  # the common case, without the Unicode round trips
        text = text.lower().translate(_ASCII_FOLD)
    else:
        text = _fold(text.translate(_SYMBOLS), _TEXT_FOLD)
    return " ".join(text.split())


_PATTERN_SYNTAX = re.compile(r"\\.|\(\?P<\w+>|\(\?P=\w+\)")


def _normalize_pattern(pattern: str) -> str:
    """A rule's pattern folded like the texts it reads; escapes (\\b, \\w, \\d) and named
    groups kept as written."""
    out: list[str] = []
    i = 0
    for syntax in _PATTERN_SYNTAX.finditer(pattern):
        out.append(_fold(pattern[i : syntax.start()], _PATTERN_FOLD))
        out.append(syntax.group())
        i = syntax.end()
    out.append(_fold(pattern[i:], _PATTERN_FOLD))
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Compiled phrase rules


@dataclass(frozen=True, slots=True)
class _Rule:
    index: int
    meaning: phrases.Meaning
    lang: str
    regex: re.Pattern[str]

    @property
    def name(self) -> str:
        return f"{self.meaning.name}:{self.lang}"


def _required_literals(items: Any) -> list[str] | None:
    """Literal strings of which every match of a parsed pattern contains at least one (the
    most selective such set found), or None when there is none."""
    best: list[str] | None = None

    def consider(keys: list[str] | None) -> None:
        nonlocal best
        if keys and (best is None or _selectivity(keys) > _selectivity(best)):
            best = keys

    run: list[str] = []
    for op, av in items:
        if op is sre_constants.LITERAL:
            run.append(chr(av))
            continue
        if op is sre_constants.AT:  # \b, ^, $: zero width, the literal run goes on
            continue
        if run:
            consider(["".join(run)])
            run = []
        if op is sre_constants.SUBPATTERN:
            consider(_required_literals(av[-1]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            consider(_required_literals(av[2]))
        elif op is sre_constants.BRANCH:
            alternatives = [_required_literals(branch) for branch in av[1]]
            if all(alternatives):
                consider([key for keys in alternatives if keys for key in keys])
    if run:
        consider(["".join(run)])
    return best


def _selectivity(keys: list[str]) -> float:
    return min(len(k) for k in keys) - 0.01 * len(keys)


def _trie_pattern(keys: Sequence[str]) -> str:
    """One regex matching, at a position, the longest of `keys` that starts there."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        children = sorted(ch for ch in node if ch)
        if not children:
            return ""
        alternatives = [re.escape(ch) + emit(node[ch]) for ch in children]
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _compile_rules() -> tuple[
    tuple[_Rule, ...],
    re.Pattern[str],
    re.Pattern[str],
    dict[str, tuple[int, ...]],
    tuple[int, ...],
]:
    rules: list[_Rule] = []
    by_key: dict[str, set[int]] = {}
    always: list[int] = []
    for meaning in phrases.MEANINGS:
        for lang, pattern in meaning.patterns:
            source = _normalize_pattern(pattern)
            index = len(rules)
            rules.append(_Rule(index, meaning, lang, re.compile(source)))
            try:  # re's parser is private: should it change, the rule is simply always tried
                keys = _required_literals(sre_parser.parse(source))
            except Exception:  # pragma: no cover
                keys = None
            if not keys:
                always.append(index)
                continue
            for key in keys:
                by_key.setdefault(key, set()).add(index)
    # A key found in a text also stands for the keys that are its prefixes (the trie reports
    # only the longest key at each position).
    closure: dict[str, tuple[int, ...]] = {}
    for key in by_key:
        found: set[int] = set()
        for end in range(1, len(key) + 1):
            found |= by_key.get(key[:end], set())
        closure[key] = tuple(sorted(found))
    # Two scanners: an ASCII text (most are, once accents are gone) needs only the ASCII keys,
    # and a smaller trie is a faster one.
    ascii_keys = sorted(key for key in by_key if key.isascii())
    other_keys = sorted(key for key in by_key if not key.isascii())
    ascii_trie = re.compile("(?=(" + _trie_pattern(ascii_keys) + "))")
    other_trie = re.compile("(?=(" + _trie_pattern(other_keys) + "))")
    return tuple(rules), ascii_trie, other_trie, closure, tuple(always)


_RULES, _ASCII_KEYS, _OTHER_KEYS, _CLOSURE, _ALWAYS = _compile_rules()
_NOTICE = re.compile(
    "|".join(f"(?:{_normalize_pattern(pattern)})" for _, pattern in phrases.NOTICE_WORDS)
)


@dataclass(frozen=True, slots=True)
class _Found:
    rule: _Rule
    match: re.Match[str]

    @property
    def status(self) -> TrackingStatus:
        return self.rule.meaning.status

    @property
    def generic(self) -> bool:
        return self.rule.meaning.generic


@lru_cache(maxsize=65536)
def _match_text(text: str) -> _Found | None:
    """The first rule, in precedence order, that matches a normalised text."""
    candidates: set[int] = set(_ALWAYS)
    keys = _ASCII_KEYS.findall(text)
    if not text.isascii():
        keys += _OTHER_KEYS.findall(text)
    for key in keys:
        candidates.update(_CLOSURE[key])
    for index in sorted(candidates):
        rule = _RULES[index]
        match = rule.regex.search(text)
        if match:
            return _Found(rule, match)
    return None


# --------------------------------------------------------------------------------------------
# Codes

_FAMILIES = tuple(
    (re.compile(rf"(?<!\w){re.escape(fragment)}(?!\w)"), family)
    for fragment, family in code_rules.FAMILIES
)
_AFTERSHIP = re.compile(code_rules.AFTERSHIP_CODE)
_SEVENTEEN = re.compile(code_rules.SEVENTEEN_TRACK_CODE)
_UPU = re.compile(r"E[MDX][A-Z]")
_CODE_SEPARATOR = re.compile(r"\s*[/.:\-]\s*")


@lru_cache(maxsize=4096)
def _family(carrier: str) -> str | None:
    name = carrier.casefold()
    for fragment, family in _FAMILIES:
        if fragment.search(name):
            return family
    return None


@lru_cache(maxsize=16384)
def _code_entry(family: str | None, code: str) -> tuple[str, str, code_rules.Code] | None:
    """(scheme, key, entry) for a code whose scheme is known, else None."""
    if not code:
        return None
    key = _CODE_SEPARATOR.sub("/", code.upper())
    if family is not None:
        table = code_rules.TABLES[family]
        entry = table.get(key) or table.get(key.split("/", 1)[0])
        if entry is not None:
            return family, key, entry
    if _UPU.fullmatch(key) and key in code_rules.UPU:
        return "upu", key, code_rules.UPU[key]
    if _AFTERSHIP.fullmatch(code) and key in code_rules.AFTERSHIP:
        return "aftership", key, code_rules.AFTERSHIP[key]
    if _SEVENTEEN.fullmatch(code) and key in code_rules.SEVENTEEN_TRACK:
        return "17track", key, code_rules.SEVENTEEN_TRACK[key]
    return None


# --------------------------------------------------------------------------------------------
# Details in `extra`

# Side texts that say more about the same event (never the event's own status line).
DETAIL_KEYS = (
    "exceptionDescription",
    "StatusExceptionDescription",
    "statusExceptionDescription",
    "exception_description",
    "detalhe",
    "detail",
    "details",
    "statusDetail",
    "status_detail",
    "statusDescription",
    "standerdDesc",
    "standardDesc",
    "short_status",
    "additionalInformation",
    "reason",
    "ConsumerEventMessage",
)
# Where the parcel was forwarded to (Correios `destino`, "Destino: ..." in `subStatus`).
DESTINATION_KEYS = ("destino", "destination_unit")
_DESTINATION_PREFIX = re.compile(r"^\s*(?:destino|para)\s*:\s*", re.IGNORECASE)


_SIDE_KEYS = frozenset((*DETAIL_KEYS, *DESTINATION_KEYS, "subStatus"))


def _details(extra: Any) -> tuple[str, ...]:
    if type(extra) is not dict and not isinstance(extra, Mapping):
        return ()
    if _SIDE_KEYS.isdisjoint(extra):  # the common case: a tracking number, an origin
        return ()
    found: list[str] = []
    for key in DETAIL_KEYS:
        value = extra.get(key)
        if isinstance(value, str) and value.strip():
            found.append(value)
    for key in DESTINATION_KEYS:
        value = extra.get(key)
        if isinstance(value, str) and value.strip():
            found.append(f"encaminhado para {value}")
    sub = extra.get("subStatus")
    if isinstance(sub, list):
        for item in sub:
            if isinstance(item, str) and "<" not in item and _DESTINATION_PREFIX.match(item):
                found.append("encaminhado para " + _DESTINATION_PREFIX.sub("", item))
    return tuple(found)


# --------------------------------------------------------------------------------------------
# The decision

_RETURN_STATUSES = frozenset({TrackingStatus.RETURNING, TrackingStatus.RETURNED})
_OWN_CARRIER_WORDS = frozenset({"carrier", "courier", "driver", "us", "our", "post", "postal"})


def classify(event: Mapping[str, Any]) -> Classification:
    """What one carrier event means, from its `carrier`, `raw_code`, `description` and the
    detail fields of `extra` (`location` and `at` are not read)."""
    description = event.get("description")
    if not isinstance(description, str):
        description = "" if description is None else str(description)
    carrier = event.get("carrier")
    carrier = carrier if isinstance(carrier, str) else ""
    raw_code = event.get("raw_code")
    code = "" if raw_code is None or isinstance(raw_code, (dict, list)) else str(raw_code).strip()
    return _classify(carrier, code, description, _details(event.get("extra")))


@lru_cache(maxsize=65536)
def _classify(
    carrier: str, code: str, description: str, details: tuple[str, ...]
) -> Classification:
    coded = _code_entry(_family(carrier), code)
    text = normalize(description)
    found = _match_text(text) if text else None
    detail_texts = [normalize(d) for d in details]

    if coded is not None and coded[2].decisive:
        return _from_code(coded, text, detail_texts)

    chosen: _Found | None = None
    source = "text"
    if found is not None and not found.generic:
        chosen = found
        if found.status not in _RETURN_STATUSES:
            for detail in detail_texts:
                other = _match_text(detail)
                if other and other.rule.meaning.overrides and other.status != found.status:
                    chosen, source = other, "detail"
                    break
    else:
        in_details = [f for f in (_match_text(d) for d in detail_texts if d) if f is not None]
        specific = next((f for f in in_details if not f.generic), None)
        if specific is not None:
            chosen, source = specific, "detail"
        elif coded is not None:
            return _from_code(coded, text, detail_texts)
        elif found is not None:
            chosen = found
        elif in_details:
            chosen, source = in_details[0], "detail"
        elif not text and not code:
            return Classification(TrackingStatus.NO_INFO, rule="empty")
        else:
            return Classification(TrackingStatus.EXCEPTION, unclassified=True, rule="none")

    status = chosen.status
    meaning = chosen.rule.meaning
    if meaning.handover:
        named = chosen.match.group("to")
        if carrier and named not in _OWN_CARRIER_WORDS and named not in normalize(carrier):
            status = TrackingStatus.IN_TRANSIT  # a hand-over to another carrier mid-journey
    notice = _notice(status, meaning.notice, text, detail_texts)
    return Classification(status, notice, rule=f"{source}:{chosen.rule.name}")


def _from_code(
    coded: tuple[str, str, code_rules.Code], text: str, detail_texts: list[str]
) -> Classification:
    scheme, key, entry = coded
    notice = _notice(entry.status, entry.notice, text, detail_texts)
    return Classification(entry.status, notice, rule=f"code:{scheme}:{key}")


def _notice(
    status: TrackingStatus, implied: bool, text: str, detail_texts: list[str]
) -> bool | None:
    """True when a pickup or attempt event says a notice was left or the buyer was told to
    collect; None when it is silent (and always None for other statuses)."""
    if status not in NOTICE_STATUSES:
        return None
    if implied or _NOTICE.search(text) or any(_NOTICE.search(d) for d in detail_texts):
        return True
    return None
