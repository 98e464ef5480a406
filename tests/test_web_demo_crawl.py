"""Every page of the demo marketplace, for every role, in both languages: sign in with each
printed login, follow every /desk/ link from the lists (bounded), and find no broken page, no
dead link, no 5xx, no raw code (`in_transit`, `awaiting_seller_response`, a reason's
`not_received.x`) on any page, no English word where a Chinese page should speak Chinese, and no
form (or link to one) for an action the rules core would refuse the reader now: every button
comes from `rules.lifecycle.options`.

What people typed or carriers wrote (names, messages, notes, addresses, carrier events) is
the marketplace's data, not the desk's words: it is read from the database and left out of the
language checks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from disputedesk.api.app import create_app
from disputedesk.api.settings import ApiSettings
from disputedesk.demo.marketplace import build_demo
from disputedesk.rules.lifecycle import options
from disputedesk.services.desk import ACTOR_OF_ROLE, parse_dispute_id
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.web import i18n
from disputedesk.web.dispute_pages import ACTIONS
from disputedesk.web.render import TIME_ZONES
from web_support import sign_in

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
MAX_PAGES = 120

# -- reading a page -------------------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class PageReader(HTMLParser):
    """A page's visible text (by text node), its readable attributes, its links and forms."""

    SKIP = frozenset({"script", "style", "template", "head"})
    READ_ATTRS = ("aria-label", "title", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._skipping: list[str] = []
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in self.SKIP:
            self._skipping.append(tag)
        for name in self.READ_ATTRS:
            if values.get(name):
                self.texts.append(values[name])
        if tag == "a" and values.get("href", "").startswith("/desk/"):
            self.links.append(values["href"])
        if tag == "form":
            self._form = Form(values.get("method", "get").lower(), values.get("action", ""))
            self.forms.append(self._form)
        named = tag in ("input", "button", "select", "textarea") and values.get("name")
        if named and self._form is not None:
            self._form.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        if tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def read(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    return reader


# -- the marketplace's own data (left out of the language checks) ---------------------------

WORD = re.compile(r"\w+")
CODE_LIKE = re.compile(r"^[a-z0-9]+(?:[_.][a-z0-9]+)*$")


def _leaves(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item)


DATA_COLUMNS = {
    "stores": ("name",),
    "store_staff": ("name", "email"),
    "buyers": ("name", "email"),
    "users": ("name", "email"),
    "orders": (
        "id",
        "items",
        "destination_address",
        "shipping_address",
        "carrier",
        "tracking_number",
    ),
    "disputes": ("state",),
    "evidence": ("description", "file_name", "link", "content_type"),
    "messages": ("sender_name", "body"),
    "events": ("data", "performed_by_name"),
    "tracking_events": ("carrier", "tracking_number", "raw_code", "description", "location"),
    "return_addresses": ("recipient", "line1", "line2", "city", "state", "zip", "phone"),
    "message_attachments": ("file_name", "content_type"),
}


class DataIndex:
    """Every free text of the marketplace, found by its first word, so a page's text nodes can
    be cleared of it quickly (the longest match first)."""

    def __init__(self, strings: Iterable[str]) -> None:
        self.by_first: dict[str, list[str]] = {}
        self.whole: set[str] = set()
        for raw in strings:
            text = " ".join(raw.split())
            if len(text) < 2 or CODE_LIKE.match(text):  # a code is never data to hide
                continue
            first = WORD.search(text)
            if first is None:
                continue
            self.whole.add(text)
            self.by_first.setdefault(first.group(), []).append(text)
        for items in self.by_first.values():
            items.sort(key=len, reverse=True)

    def clear(self, node: str) -> str:
        """The text node without the marketplace's data in it."""
        if node in self.whole:
            return ""
        kept: list[str] = []
        position = 0
        for word in WORD.finditer(node):
            if word.start() < position:
                continue
            for candidate in self.by_first.get(word.group(), ()):
                if node.startswith(candidate, word.start()):
                    kept.append(node[position : word.start()])
                    position = word.start() + len(candidate)
                    break
        kept.append(node[position:])
        return " ".join("".join(kept).split())


def data_index(db: Database) -> DataIndex:
    strings: list[str] = []
    with db.engine.connect() as conn:
        for name, columns in DATA_COLUMNS.items():
            table = t.metadata.tables.get(name)
            if table is None:
                continue
            present = [table.c[c] for c in columns if c in table.c]
            for row in conn.execute(select(*present)):
                for value in row:
                    strings.extend(_leaves(value))
    return DataIndex(strings)


# -- the checks -----------------------------------------------------------------------------

RAW_CODE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b|\b[a-z]+_?[a-z]*\.[a-z]+_[a-z_]+\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")


def _chinese_page_latin() -> set[str]:
    """Latin words a Chinese page may show: those in the Chinese catalog itself (disputedesk,
    PDF, HTTPS...), the time zones' and languages' names, units and currency codes."""
    words = set()
    for _english, chinese in i18n.catalog().values():
        words.update(w.lower() for w in LATIN_WORD.findall(chinese))
    for zone in TIME_ZONES:
        words.update(w.lower() for w in re.split(r"[/_]", zone))
    words.update(w.lower() for w in i18n.LOCALE_NAMES.values())
    words.update({"https", "http", "utc", "b"})
    return words


CHINESE_PAGE_LATIN = _chinese_page_latin()


def language_problems(page: PageReader, locale: str, data: DataIndex) -> list[str]:
    """Raw codes on any page; on a Chinese page, English words (not the marketplace's data)."""
    problems = []
    for node in page.texts:
        text = data.clear(node)
        if not text:
            continue
        for code in RAW_CODE.findall(text):
            problems.append(f"raw code {code!r} in {node!r}")
        if locale == "zh_CN":
            for word in LATIN_WORD.findall(text):
                # country and currency codes and abbreviations (all capitals) are not English
                known = word.lower() in CHINESE_PAGE_LATIN or word.isupper()
                if len(word) > 1 and not known:
                    problems.append(f"English {word!r} in {node!r}")
    return problems


ORDER_FORMS = {
    "ship": "ship",
    "extend-delivery": "extend_delivery",
    "confirm-receipt": "confirm_receipt",
    "open-dispute": "open_dispute",
}
DISPUTE_PATH = re.compile(r"^/desk/disputes/([^/?#]+)/(?:confirm/)?([a-z-]+)$")
ORDER_PATH = re.compile(r"^/desk/orders/([^/?#]+)/([a-z-]+)$")


class Rules:
    """The rules core's answer for a reader's actor on an order at NOW (cached)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.cache: dict[tuple[str, str], tuple[set[str], int | None]] = {}

    def allowed(self, order_id: str, actor: str) -> tuple[set[str], int | None]:
        """The actions allowed, and the number of the order's open dispute (if any)."""
        key = (order_id, actor)
        if key not in self.cache:
            with self.db.engine.connect() as conn:
                loaded = repository.load(conn, order_id)
            assert loaded is not None, order_id
            allowed = {
                o.action for o in options(loaded.state, actor, NOW, loaded.policy) if o.allowed
            }
            disputes = loaded.state.disputes
            current = len(disputes) if disputes and disputes[-1].is_open else None
            self.cache[key] = (allowed, current)
        return self.cache[key]


def core_action(url: str) -> tuple[str, str, int | None] | None:
    """(order id, RULES action, dispute number) a form or link sends, when it sends one."""
    path = url.split("?")[0]
    if match := DISPUTE_PATH.match(path):
        parsed = parse_dispute_id(match.group(1))
        name = match.group(2)
        page_action = ACTIONS.get(name)
        action = "submit_evidence" if name == "evidence" else getattr(page_action, "action", None)
        if parsed is None or action is None:
            return None
        return parsed[0], action, parsed[1]
    if (match := ORDER_PATH.match(path)) and match.group(2) in ORDER_FORMS:
        return match.group(1), ORDER_FORMS[match.group(2)], None
    return None


def refused_offers(page: PageReader, role: str, rules: Rules) -> list[str]:
    """Every form (and link to a form or a confirmation step) for an action the rules core
    would refuse this reader now, or for a dispute that is not the order's open one."""
    actor = ACTOR_OF_ROLE.get(role)
    targets = [f.action for f in page.forms if f.method == "post"]
    targets += [link for link in page.links if "/confirm/" in link or link.endswith(
        ("/open-dispute", "/confirm-receipt"))]  # fmt: skip
    problems = []
    for target in targets:
        sent = core_action(target)
        if sent is None:
            continue
        order_id, action, seq = sent
        if actor is None:
            problems.append(f"{target}: offered to a {role}, who acts as no party")
            continue
        allowed, current = rules.allowed(order_id, actor)
        if action not in allowed:
            problems.append(f"{target}: the core refuses {action} to the {actor} now")
        elif seq is not None and seq != current:
            problems.append(f"{target}: dispute {seq} is not the order's open one")
    return problems


# -- the crawl ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    db = Database(f"sqlite:///{folder}/demo.db")
    db.upgrade()
    summary = build_demo(db, now=NOW, seed=11, orders=80)
    app = create_app(db, ApiSettings(data_dir=folder / "data"), clock=lambda: NOW)
    yield app, summary, db, data_index(db)
    db.dispose()


@dataclass
class Crawl:
    statuses: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def crawl(
    client: TestClient, start: str, *, role: str, locale: str, data: DataIndex, rules: Rules
) -> Crawl:
    result = Crawl()
    queue = [start]
    while queue and len(result.statuses) < MAX_PAGES:
        path = queue.pop(0)
        if path in result.statuses or path.startswith(("/desk/static", "/desk/evidence")):
            continue
        response = client.get(path)
        result.statuses[path] = response.status_code
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        page = read(response.text)
        found = language_problems(page, locale, data) + refused_offers(page, role, rules)
        result.problems.extend(f"{path} ({locale}): {p}" for p in found)
        queue.extend(link.split("#")[0] for link in page.links)
    return result


def summary_of(problems: list[str]) -> str:
    """Each kind of problem once, with where it was first seen and how often."""
    kinds: dict[str, list[str]] = {}
    for problem in problems:
        where, _, what = problem.partition(": ")
        kinds.setdefault(what, []).append(where)
    return "\n".join(f"{what}  [{len(w)}x, e.g. {w[0]}]" for what, w in kinds.items())


@pytest.mark.parametrize("role", ["seller", "buyer", "arbitrator", "admin"])
def test_every_linked_page_tells_the_truth_for_every_role(demo, role):
    app, summary, db, data = demo
    rules = Rules(db)
    logins = [login for login in summary.logins if login.role == role]
    assert logins
    for login in logins[:2]:
        client = TestClient(app, base_url="https://testserver", follow_redirects=True)
        for locale in ("en", "zh_CN"):
            client.cookies.clear()
            signed = sign_in(
                client, login.email, login.password, locale=locale, time_zone="Asia/Shanghai"
            )
            assert signed.status_code == 200
            result = crawl(client, "/desk/", role=role, locale=locale, data=data, rules=rules)
            broken = {path: status for path, status in result.statuses.items() if status != 200}
            assert not broken, broken
            assert len(result.statuses) > 3
            assert not result.problems, summary_of(result.problems)


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_error_pages_speak_the_readers_language(demo, locale):
    app, summary, _db, data = demo
    buyer = next(login for login in summary.logins if login.role == "buyer")
    client = TestClient(app, base_url="https://testserver", follow_redirects=True)
    sign_in(client, buyer.email, buyer.password, locale=locale)
    for path, status, key in (
        ("/desk/no-such-page", 404, "error.not_found"),
        ("/desk/orders/NO-SUCH-ORDER", 404, "error.not_found"),
        ("/desk/queue", 403, "error.forbidden"),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert i18n.text(locale, key) in response.text
        assert i18n.text(locale, "error.status", status=status) in response.text
        problems = language_problems(read(response.text), locale, data)
        assert not problems, problems
    anonymous = TestClient(app, base_url="https://testserver")
    header = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5" if locale == "zh_CN" else "en-US"}
    missing = anonymous.get("/desk/static/no-such-file.css", headers=header)
    assert missing.status_code == 404
    assert i18n.text(locale, "error.not_found") in missing.text


def test_the_checks_find_what_they_look_for():
    """The crawl's checks on pages made to fail: a raw code, an English word on a Chinese page
    (but not the marketplace's own data), and a form the core would refuse."""
    data = DataIndex(["Katarzyna Nowak", "Please send the item back", "Cainiao"])
    page = read(
        "<main><p>状态 in_transit</p><p>责任方 seller</p><p>Katarzyna Nowak · 买家</p>"
        "<p>Please send the item back</p><p>US$12.00 CL Cainiao disputedesk 纠纷台</p>"
        '<nav aria-label="main"></nav></main>'
    )
    problems = "\n".join(language_problems(page, "zh_CN", data))
    assert "raw code 'in_transit'" in problems
    assert "English 'seller'" in problems and "English 'main'" in problems
    for data_or_allowed in ("Katarzyna", "Please", "Cainiao", "disputedesk", "CL", "US"):
        assert data_or_allowed not in problems
    english = read("<p>Status: awaiting_seller_response</p><p>Reason: not_received.in_transit</p>")
    assert len(language_problems(english, "en", data)) >= 2

    class NoRules(Rules):
        def allowed(self, order_id: str, actor: str) -> tuple[set[str], int | None]:
            return {"submit_evidence"}, 1

    forms = read(
        '<form method="post" action="/desk/disputes/O-1-D1/accept"></form>'
        '<form method="post" action="/desk/disputes/O-1-D1/evidence"></form>'
        '<form method="post" action="/desk/orders/O-1/messages"></form>'
        '<a href="/desk/orders/O-1/open-dispute">x</a>'
    )
    refused = refused_offers(forms, "seller", NoRules(None))  # type: ignore[arg-type]
    assert refused == [
        "/desk/disputes/O-1-D1/accept: the core refuses accept to the seller now",
        "/desk/orders/O-1/open-dispute: the core refuses open_dispute to the seller now",
    ]
    assert refused_offers(forms, "admin", NoRules(None))  # type: ignore[arg-type]
