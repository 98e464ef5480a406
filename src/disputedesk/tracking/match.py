"""Does a delivery scan match the order? RULES.md principle 3 (seed 002): a delivery counts as an
accurate match only when its time, city, zip code and recipient agree with the order. Each part
is judged on its own, `matched`, `mismatched` or `unknown` (the carrier did not say, or said too
little), and names the rule that decided, so a page can say why in words.

Pure: no I/O, no clock. Carriers write places and names their own way ("SAO PAULO - SP",
"01310-100", "J.SMITH"), so both sides are folded first: case, accents, punctuation, spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MATCHED, MISMATCHED, UNKNOWN = "matched", "mismatched", "unknown"
PARTS = ("city", "zip", "recipient", "time")

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


def fold(text: str | None) -> str:
    """Lower case, accents dropped ("São" is "sao"), punctuation and runs of spaces as one
    space: how two writings of one place or name are compared."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare.casefold()).strip()


def compact_zip(text: str | None) -> str:
    """A postal code without its spaces, hyphens and dots, in capitals ("01310-100" and
    "01310100" are one code; so are "sw1a 1aa" and "SW1A1AA")."""
    return _NOT_ALNUM.sub("", fold(text).upper())


def contains_words(haystack: str, needle: str) -> bool:
    """`needle` (folded) appears in `haystack` (folded) as whole words."""
    if not haystack or not needle:
        return False
    return f" {needle} " in f" {haystack} "


@dataclass(frozen=True, slots=True)
class PartMatch:
    """One part of the match: the order's value, what the carrier said, the result and the rule
    that gave it."""

    part: str
    result: str
    rule: str
    order_value: str | None = None
    tracking_value: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "rule": self.rule,
            "order": self.order_value,
            "tracking": self.tracking_value,
        }


@dataclass(frozen=True, slots=True)
class DeliveryMatch:
    city: PartMatch
    zip: PartMatch
    recipient: PartMatch
    time: PartMatch

    @property
    def parts(self) -> tuple[PartMatch, ...]:
        return (self.city, self.zip, self.recipient, self.time)

    @property
    def overall(self) -> str:
        """`matched` only when every part matched (an accurate match); `mismatched` when any part
        does not; otherwise `unknown` (not shown to match)."""
        results = {p.result for p in self.parts}
        if results == {MATCHED}:
            return MATCHED
        return MISMATCHED if MISMATCHED in results else UNKNOWN

    def to_json(self) -> dict[str, Any]:
        return {"overall": self.overall, **{p.part: p.to_json() for p in self.parts}}


# -- city ---------------------------------------------------------------------------------------


def _place_texts(
    location: Mapping[str, Any] | None, description: str | None
) -> list[tuple[str, str]]:
    """The carrier's free texts that may name the place, with the rule each one gives."""
    location = location or {}
    texts = [
        ("city_in_place_text", location.get("text")),
        ("city_in_facility", location.get("facility")),
        ("city_in_description", description),
    ]
    return [(rule, str(value)) for rule, value in texts if isinstance(value, str) and value.strip()]


def match_city(
    order_city: str | None, location: Mapping[str, Any] | None, description: str | None = None
) -> PartMatch:
    """The carrier's city against the order's: the same after folding (`same_city`), one
    naming the other as whole words ("SAO PAULO SP" and "São Paulo": `city_within_place`), or a
    free text (place text, facility, the event's words) naming the order's city. A city field
    naming another city is `different_city`; a text that does not name it proves nothing."""
    wanted = fold(order_city)
    location = location or {}
    city = location.get("city") if isinstance(location.get("city"), str) else None
    if not wanted:
        return PartMatch("city", UNKNOWN, "order_has_no_city", order_city, city)
    if city and fold(city):
        said = fold(city)
        if said == wanted:
            return PartMatch("city", MATCHED, "same_city", order_city, city)
        if contains_words(said, wanted) or contains_words(wanted, said):
            return PartMatch("city", MATCHED, "city_within_place", order_city, city)
        return PartMatch("city", MISMATCHED, "different_city", order_city, city)
    texts = _place_texts(location, description)
    for rule, text in texts:
        if contains_words(fold(text), wanted):
            return PartMatch("city", MATCHED, rule, order_city, text.strip())
    if texts and texts[0][0] != "city_in_description":
        return PartMatch("city", UNKNOWN, "city_not_named", order_city, texts[0][1].strip())
    return PartMatch("city", UNKNOWN, "no_place", order_city, None)


# -- zip code -----------------------------------------------------------------------------------


def _zip_pattern(code: str) -> re.Pattern[str]:
    """`code` written with or without spaces, hyphens or dots between its characters, as a whole
    token of a text."""
    body = r"[\s.\-]?".join(re.escape(c) for c in code)
    return re.compile(rf"(?<![A-Z0-9]){body}(?![A-Z0-9])")


def _us_plus4(a: str, b: str) -> bool:
    """A US ZIP+4 against its 5-digit ZIP ("10001-1234" and "10001")."""
    short, long_ = sorted((a, b), key=len)
    return (
        short.isdigit()
        and long_.isdigit()
        and len(short) == 5
        and len(long_) == 9
        and (long_.startswith(short))
    )


def match_zip(
    order_zip: str | None, location: Mapping[str, Any] | None, description: str | None = None
) -> PartMatch:
    """The carrier's zip code against the order's, compared without spaces, hyphens and dots
    (`same_zip`); a ZIP+4 against its ZIP (`zip_plus4`); a code found in the carrier's place
    text or words (`zip_in_place_text`). A shorter code that begins the other (an outward code,
    "K1A" of "K1A 0B1") is consistent but not precise: `partial_zip`, unknown."""
    wanted = compact_zip(order_zip)
    location = location or {}
    said_raw = location.get("zip") if isinstance(location.get("zip"), str) else None
    if not wanted:
        return PartMatch("zip", UNKNOWN, "order_has_no_zip", order_zip, said_raw)
    said = compact_zip(said_raw)
    if said:
        if said == wanted:
            return PartMatch("zip", MATCHED, "same_zip", order_zip, said_raw)
        if _us_plus4(said, wanted):
            return PartMatch("zip", MATCHED, "zip_plus4", order_zip, said_raw)
        short, long_ = sorted((said, wanted), key=len)
        if len(short) >= 2 and long_.startswith(short) and not _both_full_us(said, wanted):
            return PartMatch("zip", UNKNOWN, "partial_zip", order_zip, said_raw)
        return PartMatch("zip", MISMATCHED, "different_zip", order_zip, said_raw)
    candidates = [wanted] + ([wanted[:5]] if len(wanted) == 9 and wanted.isdigit() else [])
    for key in ("text", "facility"):
        value = location.get(key)
        if isinstance(value, str) and _names_zip(value, candidates):
            return PartMatch("zip", MATCHED, "zip_in_place_text", order_zip, value.strip())
    if description and _names_zip(description, candidates):
        return PartMatch("zip", MATCHED, "zip_in_description", order_zip, description.strip())
    return PartMatch("zip", UNKNOWN, "no_zip", order_zip, None)


def _both_full_us(a: str, b: str) -> bool:
    return a.isdigit() and b.isdigit() and len(a) >= 5 and len(b) >= 5


def _names_zip(text: str, candidates: Iterable[str]) -> bool:
    upper = fold(text).upper()
    return any(_zip_pattern(code).search(upper) for code in candidates)


# -- recipient ----------------------------------------------------------------------------------

# Where carriers put who took the parcel (key folded: lower case, no "_" or "-").
RECIPIENT_KEYS = (
    "signatory",
    "signatoryname",
    "signedby",
    "signedforby",
    "signer",
    "signaturename",
    "deliverysignaturename",
    "receivedbyname",
    "receivedby",
    "receivername",
    "receiver",
    "recipientname",
    "recipient",
    "consigneename",
    "podname",
)
# Who took it, as the carrier's words say it ("signed for by SMITH", "recebido por ...").
_SIGNED_BY = re.compile(
    r"(?:signed\s+(?:for\s+)?by|received\s+by|collected\s+by|recebido\s+por|assinado\s+por|"
    r"firmado\s+por|recibido\s+por|sign[ée]\s+par|re[çc]u\s+par|unterschrieben\s+von|"
    r"empfangen\s+von|ricevuto\s+da|firmato\s+da|odebra[łl]\s*\(?a?\)?|"
    r"签收人|收件人)\s*[:：]?\s*(?P<name>[^,;.\n\r(]+)",
    re.IGNORECASE,
)
# Someone other than the buyer took it (the carrier's words or a side field say so).
_SOMEONE_ELSE = re.compile(
    r"neighbou?r|different person|another person|other person|reception|receptionist|"
    r"concierge|front desk|mail ?room|doorman|porter|nachbar|voisin|vizinho|vecino|vicino|"
    r"s[aą]siad|buur|portaria|porteiro|conserje|gardien|邻居|门卫|前台",
    re.IGNORECASE,
)
# Values of a signature field that name nobody.
_NO_NAME = {
    "signature not required",
    "not required",
    "no signature",
    "no signature required",
    "nsr",
    "signature on file",
    "n a",
    "na",
    "none",
    "unknown",
    "release",
    "released",
    "see pod",
    "front door",
    "door",
    "back door",
    "side door",
    "porch",
    "mailbox",
    "mail box",
    "garage",
    "safe place",
    "locker",
    "parcel locker",
    "left at door",
}
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "mme", "mlle", "sr", "sra", "srta", "herr", "frau"}


def recipient_in(extra: Mapping[str, Any] | None, description: str | None) -> tuple[str, str]:
    """Who took the parcel as the carrier wrote it, and where it was found (`extra.<key>` or
    `description`); ("", "") when nobody is named."""
    for key, value in (extra or {}).items():
        if not isinstance(value, str) or not value.strip():
            continue
        folded = key.casefold().replace("_", "").replace("-", "")
        if folded in RECIPIENT_KEYS:
            return value.strip(), f"extra.{key}"
    if description:
        found = _SIGNED_BY.search(description)
        if found and found.group("name").strip():
            return found.group("name").strip(), "description"
    return "", ""


def _tokens(name: str) -> list[str]:
    return [w for w in fold(name).split() if w not in _TITLES]


def name_match(order_name: str, said: str) -> str | None:
    """The rule by which `said` (the carrier's) names the order's recipient, or None:
    `same_name`; `name_reordered` ("SMITH JOHN"); `initial_and_surname` ("J SMITH", "J.SMITH",
    "JSMITH" for "John Smith"); `name_part` (one of the names alone, "SMITH")."""
    order_tokens, said_tokens = _tokens(order_name), _tokens(said)
    if not order_tokens or not said_tokens:
        return None
    if "".join(order_tokens) == "".join(said_tokens):
        return "same_name"
    if sorted(order_tokens) == sorted(said_tokens):
        return "name_reordered"
    if len(said_tokens) == 1 and len(order_tokens) > 1:
        one = said_tokens[0]
        if one in order_tokens:
            return "name_part"
        # initials run into the surname: "JSMITH", "JPSMITH"
        surname, given = order_tokens[-1], order_tokens[:-1]
        initials = "".join(w[0] for w in given)
        if one in (initials + surname, initials[:1] + surname, surname + initials[:1]):
            return "initial_and_surname"
        return None
    remaining = list(order_tokens)
    full = initials_used = 0
    for token in said_tokens:
        if token in remaining:
            remaining.remove(token)
            full += 1
            continue
        initial = next(
            (w for w in remaining if len(token) == 1 and len(w) > 1 and w[0] == token), None
        )
        if initial is None:
            return None
        remaining.remove(initial)
        initials_used += 1
    if full == 0:
        return None
    return "initial_and_surname" if initials_used else "name_part"


# Side fields that may say how the parcel was handed over (not addresses or numbers).
_HANDOVER_KEYS = ("recipient", "receiv", "sign", "deliver", "consignee", "pod", "left", "hand")


def _handover_texts(extra: Mapping[str, Any] | None, description: str | None) -> list[str]:
    texts = [description] if description else []
    for key, value in (extra or {}).items():
        folded = key.casefold()
        if isinstance(value, str) and any(k in folded for k in _HANDOVER_KEYS):
            texts.append(value)
    return texts


def match_recipient(
    order_recipient: str | None, extra: Mapping[str, Any] | None, description: str | None = None
) -> PartMatch:
    """Who took the parcel against the order's recipient (`name_match`'s rules). The carrier
    saying a neighbour, a reception or "a different person" took it is `handed_to_someone_else`
    (mismatched); a signature field naming nobody ("Signature not required", "FRONT DOOR") or no
    name at all is unknown."""
    said, _where = recipient_in(extra, description)
    someone_else = bool(_SOMEONE_ELSE.search(" ".join(_handover_texts(extra, description))))
    if said and fold(said) in _NO_NAME:
        if someone_else:
            return PartMatch("recipient", MISMATCHED, "handed_to_someone_else", order_recipient)
        return PartMatch("recipient", UNKNOWN, "no_name_given", order_recipient, said)
    if someone_else:
        return PartMatch(
            "recipient", MISMATCHED, "handed_to_someone_else", order_recipient, said or None
        )
    if not said:
        return PartMatch("recipient", UNKNOWN, "no_recipient_named", order_recipient, None)
    if not order_recipient or not _tokens(order_recipient):
        return PartMatch("recipient", UNKNOWN, "order_has_no_recipient", order_recipient, said)
    rule = name_match(order_recipient, said)
    if rule is None:
        return PartMatch("recipient", MISMATCHED, "different_name", order_recipient, said)
    return PartMatch("recipient", MATCHED, rule, order_recipient, said)


# -- time ---------------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def match_time(
    delivered_at: datetime | None, shipped_at: datetime | None, deadline: datetime | None
) -> PartMatch:
    """The delivery instant within the order's window, from shipment to the delivery deadline,
    both ends included (`in_window`); before the shipment or after the deadline is mismatched."""
    window = f"{_iso(shipped_at) or '?'}/{_iso(deadline) or '?'}"
    if delivered_at is None:
        return PartMatch("time", UNKNOWN, "no_delivery_time", window, None)
    said = _iso(delivered_at)
    if shipped_at is not None and delivered_at < shipped_at:
        return PartMatch("time", MISMATCHED, "before_shipment", window, said)
    if deadline is not None and delivered_at > deadline:
        return PartMatch("time", MISMATCHED, "after_deadline", window, said)
    if shipped_at is None or deadline is None:
        return PartMatch("time", UNKNOWN, "no_order_window", window, said)
    return PartMatch("time", MATCHED, "in_window", window, said)


def match_delivery(
    *,
    address: Mapping[str, Any] | None,
    location: Mapping[str, Any] | None,
    description: str | None,
    extra: Mapping[str, Any] | None,
    delivered_at: datetime | None,
    shipped_at: datetime | None,
    deadline: datetime | None,
) -> DeliveryMatch:
    """Each part of a delivery scan against the order's address parts and window."""
    address = address or {}

    def part(name: str) -> str | None:
        value = address.get(name)
        return value if isinstance(value, str) and value.strip() else None

    return DeliveryMatch(
        city=match_city(part("city"), location, description),
        zip=match_zip(part("zip"), location, description),
        recipient=match_recipient(part("recipient"), extra, description),
        time=match_time(delivered_at, shipped_at, deadline),
    )
