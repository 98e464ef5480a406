"""Keyset pagination of the dispute lists (issue 16, target 6): `GET /disputes` and the desk's
inbox walk the list by cursor, page after page, and get exactly the rows the OFFSET order has,
none twice and none missed (ties on the deadline, closed ones, escalated ones, filters), on
SQLite and PostgreSQL; a malformed or tampered cursor is `400 invalid_input`, never a 500."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from html import unescape

import pytest

from api_support import make_desk
from disputedesk.rules.instants import parse_instant
from disputedesk.rules.lifecycle import Command
from disputedesk.services import desk as desk_service
from disputedesk.services.accounts import principal_by_email
from disputedesk.services.bulk import create_due_disputes, create_orders, due_dispute_template
from disputedesk.services.desk import DisputeFilters
from web_support import make_web_desk

BASE = parse_instant("2026-02-10T10:00:00Z")


def _build(db) -> None:
    """Disputes of shop1 and shop2 in every group of the order: many sharing one deadline, open
    ones at other deadlines, escalated ones (the platform's due time), closed ones (several
    closed at one instant), and an order's second dispute."""
    for i in range(3):  # 9 disputes on each of three deadlines: ties broken by the order id
        create_due_disputes(
            db,
            9,
            start_id=i * 100,
            opened_at=BASE + timedelta(hours=i),
            id_prefix=f"due{i}-",
            store_id="shop1" if i < 2 else "shop2",
            buyer_id="B1",
            reason="not_as_described.damaged" if i else "not_as_described.not_as_described",
        )
    for name, extra, n, shift in (
        ("closed", [("seller", "accept", {})], 7, 0),
        ("closed", [("seller", "accept", {})], 5, 3),
        (
            "esc",
            [("seller", "reject", {"note": "no"}), ("buyer", "escalate", {"note": None})],
            6,
            1,
        ),
        (
            "review",
            [
                ("seller", "reject", {"note": "no"}),
                ("buyer", "escalate", {"note": None}),
                ("arbitrator", "intervene", {}),
                ("seller", "submit_evidence", {"kind": "other", "description": "the box"}),
            ],
            3,
            4,
        ),
        (
            "again",
            [
                ("buyer", "cancel_dispute", {}),
                (
                    "buyer",
                    "open_dispute",
                    {
                        "reason": "not_as_described.damaged",
                        "plan": {"type": "refund_only", "amount": "10.00"},
                        "goods_received": True,
                    },
                ),
            ],
            4,
            2,
        ),
    ):
        opened = BASE + timedelta(days=shift, hours=5)
        template, commands = due_dispute_template(opened_at=opened, store_id="shop1", buyer_id="B1")
        more = [
            Command(opened + timedelta(hours=1 + k), actor, action, data)
            for k, (actor, action, data) in enumerate(extra)
        ]
        create_orders(
            db, n, template, [*commands, *more], start_id=shift * 100, id_prefix=f"{name}-"
        )


@pytest.fixture
def api(db, tmp_path):
    desk = make_desk(db, tmp_path)
    _build(db)
    return desk


def _ids(items) -> list[str]:
    return [item["id"] for item in items]


def _walk(api, role: str, query: str, limit: int) -> tuple[list[str], int]:
    """Every page by cursor: the ids in order, and how many pages it took."""
    ids: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = f"{query}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(role, f"/disputes?{params}")
        assert response.status_code == 200, response.text
        body = response.json()
        pages += 1
        ids += _ids(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages
        assert len(body["items"]) == limit
        assert pages < 200


QUERIES = [
    "",
    "status=closed",
    "status=awaiting_seller_response",
    "reason=not_as_described.damaged",
    "store_id=shop1",
    "due_before=2026-02-25T12:00:00Z",
]


@pytest.mark.parametrize("query", QUERIES)
def test_walking_by_cursor_gives_the_offset_order_with_no_duplicate_or_gap(api, query):
    # the order as one statement gives it (OFFSET: the whole list sorted), past the first row
    top = api.get("admin", f"/disputes?{query}&limit=1").json()["items"]
    everything = api.get("admin", f"/disputes?{query}&limit=200&offset=1")
    assert everything.status_code == 200, everything.text
    expected = _ids(top) + _ids(everything.json()["items"])
    assert expected and everything.json()["next_cursor"] is None
    first_page = api.get("admin", f"/disputes?{query}&limit=200").json()
    assert _ids(first_page["items"]) == expected and first_page["next_cursor"] is None
    for limit in (1, 4, 9, 50):
        walked, pages = _walk(api, "admin", query, limit)
        assert walked == expected, (query, limit)
        assert pages == max(1, -(-len(expected) // limit))
    # and by offset, page by page (the compatible way), the same rows
    by_offset = []
    for offset in range(0, len(expected), 4):
        page = api.get("admin", f"/disputes?{query}&limit=4&offset={offset}").json()
        by_offset += _ids(page["items"])
    assert by_offset == expected


def test_the_list_has_every_group_and_ties_on_the_deadline(api):
    items = api.get("admin", "/disputes?limit=200").json()["items"]
    statuses = [item["status"] for item in items]
    assert {"escalated", "under_review", "closed"} <= set(statuses)
    assert statuses.index("closed") > max(i for i, s in enumerate(statuses) if s != "closed")
    deadlines = [item["countdown"]["next_deadline"] for item in items if item.get("countdown")]
    assert any(deadlines.count(d) >= 9 for d in deadlines)  # ties the cursor must break
    assert any(item["id"].endswith("-D2") for item in items)


def test_a_sellers_walk_sees_only_their_store(api):
    walked, _ = _walk(api, "seller", "", 5)
    expected = _ids(api.get("seller", "/disputes?limit=200").json()["items"])
    assert walked == expected
    assert all(not i.startswith("due2-") for i in walked)
    assert len(walked) == len(set(walked))


@pytest.mark.parametrize("sort", ["deadline", "intervention"])
def test_the_service_walks_forward_and_back_in_both_orders(api, sort):
    viewer_db = api.db
    admin = principal_by_email(viewer_db, "admin@platform.test")
    for filters in (
        DisputeFilters(),
        DisputeFilters(open_only=True),
        DisputeFilters(store_id="shop1"),
    ):
        with viewer_db.engine.connect() as conn:  # the whole list in one statement
            keys = conn.execute(desk_service.dispute_keys(admin, filters, sort=sort)).all()
        expected = [f"{k.order_id}-D{k.seq}" for k in keys]
        assert expected == [
            line.id for line in desk_service.list_disputes(viewer_db, admin, filters, sort=sort)
        ]
        walked, after = [], None
        while True:
            lines = desk_service.list_disputes(
                viewer_db, admin, filters, sort=sort, limit=6, after=after
            )
            walked += [line.id for line in lines]
            if len(lines) < 6:
                break
            after = lines[-1].cursor
        assert walked == expected
        before = lines[-1].cursor if lines else None
        back = [lines[-1].id] if lines else []
        while before is not None:
            lines = desk_service.list_disputes(
                viewer_db, admin, filters, sort=sort, limit=6, before=before
            )
            back = [line.id for line in lines] + back
            before = lines[0].cursor if len(lines) == 6 else None
        assert back == expected


def _cursor(payload) -> str:
    text = json.dumps(payload) if not isinstance(payload, bytes) else payload.decode("latin-1")
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")


def test_a_malformed_or_tampered_cursor_is_invalid_input(api):
    good = api.get("admin", "/disputes?limit=3").json()["next_cursor"]
    values = json.loads(base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)))["after"]
    bad = [
        "not a cursor",
        "%%%",
        "AAAA",
        good[:-3],
        good + "x" * 3000,
        _cursor({"sort": "deadline"}),
        _cursor({"sort": "intervention", "after": values}),
        _cursor({"sort": "deadline", "after": values[:-1]}),
        _cursor({"sort": "deadline", "after": [*values[:-1], "7"]}),
        _cursor({"sort": "deadline", "after": [*values[:-1], -1]}),
        _cursor({"sort": "deadline", "after": [*values[:-1], 2**63]}),
        _cursor({"sort": "deadline", "after": [*values[:4], "yesterday", *values[5:]]}),
        _cursor({"sort": "deadline", "after": [*values[:4], "2026-02-10T10:00:00", *values[5:]]}),
        _cursor({"sort": "deadline", "after": [*values[:5], "a\x00b", values[6]]}),
        _cursor({"sort": "deadline", "after": [*values[:5], None, values[6]]}),
        _cursor({"sort": "deadline", "after": [*values[:5], "\ud800", values[6]]}),
        _cursor([1, 2, 3]),
        _cursor(b"\xff\xfe"),
    ]
    for cursor in bad:
        response = api.get("admin", "/disputes", params={"cursor": cursor})
        assert response.status_code in (400, 422), (cursor, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "invalid_input", cursor
    response = api.get("admin", "/disputes", params={"cursor": "not a cursor"})
    assert response.status_code == 400
    response = api.get("admin", "/disputes", params={"cursor": good, "offset": 3})
    assert response.status_code == 400 and response.json()["code"] == "invalid_input"
    # a cursor naming a position with no row there still pages from that position
    moved = _cursor({"sort": "deadline", "after": [*values[:5], "zzz", values[6]]})
    assert api.get("admin", "/disputes", params={"cursor": moved}).status_code == 200


_ROW = re.compile(r'data-dispute="([^"]+)"')
_LINK = re.compile(r'<a href="\?([^"]*)" rel="(first|prev|next)"')


def _links(html: str) -> dict[str, str]:
    return {rel: unescape(query) for query, rel in _LINK.findall(html)}


def test_the_inbox_pages_by_cursor_with_next_previous_and_first(db, tmp_path):
    web = make_web_desk(db, tmp_path)
    _build(db)
    for i in range(5):  # enough for three pages of 50 in shop1's inbox
        create_due_disputes(
            db,
            20,
            start_id=1000 + i * 20,
            opened_at=BASE + timedelta(days=4, hours=i),
            id_prefix="more-",
            store_id="shop1",
            buyer_id="B1",
        )
    client = web.login("seller")
    seller = principal_by_email(db, "seller@shop1.test")
    expected = [line.id for line in desk_service.list_disputes(db, seller, limit=1000)]
    assert len(expected) > 100
    first = client.get("/desk/inbox")
    assert first.status_code == 200, first.text
    pages = [_ROW.findall(first.text)]
    links = _links(first.text)
    assert set(links) == {"next"}  # the first page: no way back
    while "next" in links:
        response = client.get(f"/desk/inbox?{links['next']}")
        assert response.status_code == 200, response.text
        assert "cursor=" in links["next"] and "offset" not in links["next"]
        pages.append(_ROW.findall(response.text))
        links = _links(response.text)
        assert "first" in links and "prev" in links
    assert [i for page in pages for i in page] == expected
    assert all(len(page) == 50 for page in pages[:-1])
    # back from the last page, one page at a time, to the first
    for page in reversed(pages[:-1]):
        response = client.get(f"/desk/inbox?{links['prev']}")
        assert response.status_code == 200, response.text
        assert _ROW.findall(response.text) == page
        links = _links(response.text)
    assert "prev" not in links and "next" in links
    assert _ROW.findall(client.get(f"/desk/inbox?{links['first']}").text) == pages[0]
    # a filter travels with the cursor
    filtered = client.get("/desk/inbox?reason=not_as_described.not_as_described")
    assert _ROW.findall(filtered.text) == [i for i in expected if i.startswith("due0-")]
    # the older links by offset still work
    assert _ROW.findall(client.get("/desk/inbox?offset=50").text) == pages[1]
    for cursor in ("garbage", "eyJzb3J0IjogImRlYWRsaW5lIn0", "A" * 3000):
        for name in ("cursor", "before"):
            response = client.get("/desk/inbox", params={name: cursor})
            assert response.status_code in (400, 422), response.text
            assert "Traceback" not in response.text
    assert client.get("/desk/inbox", params={"cursor": "garbage"}).status_code == 400
