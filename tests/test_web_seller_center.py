"""The seller center (issue 12, items 4, 7, 11 and 12), over HTTP on both databases: return
addresses (desk page, API, the dispute page in the return stage), forms that tell the truth
(whole-form refusals that keep what was typed, limits and sizes in words, Post/Redirect/Get),
the order and its evidence on the dispute page, search, the streamed CSV export and bulk
accept with its confirmation."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from api_support import make_desk
from disputedesk.rules.lifecycle import Command, handle
from disputedesk.services import commands, returns, seller_center
from disputedesk.services.accounts import create_user
from disputedesk.services.orders import check_order, create_order, ensure_parties, order_row
from disputedesk.store import repository
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.web import store_pages
from web_support import WebDesk, csrf_of, make_web_desk, post_form, shipped_order, sign_in

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)
OPEN = {
    "reason": "not_as_described.damaged",
    "goods_received": "yes",
    "plan_type": "return_and_refund",
    "amount": "45.00",
    "note": "The box arrived crushed",
}


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> WebDesk:
    return make_web_desk(db, tmp_path)


def open_form(client: Any, order_id: str, files: Any = None, **fields: str) -> Any:
    path = f"/desk/orders/{order_id}/open-dispute"
    token = csrf_of(client.get(path).text)
    return client.post(path, data={"csrf_token": token, **OPEN, **fields}, files=files)


def stored_files(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "data" / "evidence").rglob("*") if p.is_file()]


def agreed_return(desk: WebDesk, order_id: str) -> None:
    """A return-and-refund dispute the seller accepted: the buyer must now ship the goods."""
    shipped_order(desk, order_id)
    assert open_form(desk.login("buyer"), order_id).status_code == 303
    commands.accept(desk.db, order_id, actor="seller", at=desk.clock.now)


# -- 4. return addresses ---------------------------------------------------------------------


def test_an_owner_keeps_return_addresses_on_the_desk_and_refused_forms_keep_what_was_typed(
    desk: WebDesk,
) -> None:
    shipped_order(desk, "O-1")  # a destination (ES) without an address yet
    seller = desk.login("seller")
    page = seller.get("/desk/store/returns")
    assert page.status_code == 200 and 'id="no-addresses"' in page.text
    assert "returns from Spain have nowhere to go" in page.text
    assert '<a href="/desk/store/returns">Return addresses</a>' in page.text  # the nav link
    typed = {
        "store_id": "shop1",
        "region": "*",
        "recipient": "R" * 201,
        "line1": "8 Keji Road",
        "city": "Shenzhen",
        "zip": "518057",
        "country": "CN",
    }
    too_long = post_form(seller, "/desk/store/returns", "/desk/store/returns", **typed)
    assert too_long.status_code == 422
    assert "“Recipient” is too long: at most 200 characters" in too_long.text
    assert 'value="8 Keji Road"' in too_long.text and 'value="518057"' in too_long.text
    missing = post_form(
        seller,
        "/desk/store/returns",
        "/desk/store/returns",
        **{**typed, "recipient": "Li Wei", "city": "  "},
    )
    assert missing.status_code == 422 and "“City” is required." in missing.text
    assert 'value="Li Wei"' in missing.text
    saved = post_form(
        seller,
        "/desk/store/returns",
        "/desk/store/returns",
        **{**typed, "recipient": "Li Wei (returns)"},
    )
    assert saved.status_code == 303  # Post/Redirect/Get
    assert saved.headers["location"] == "/desk/store/returns?store=shop1&done=save_return_address"
    after = seller.get(saved.headers["location"]).text
    assert "Done: Return address saved." in after
    assert "Every other country (default)" in after and "518057 Shenzhen" in after
    assert "nowhere to go" not in after
    spain = post_form(
        seller,
        "/desk/store/returns?region=ES",
        "/desk/store/returns",
        **{**typed, "region": "ES", "recipient": "Almacén Madrid", "city": "Madrid"},
    )
    assert spain.status_code == 303
    assert [a.region for a in returns.list_addresses(desk.db, "shop1")] == ["*", "ES"]
    edit = seller.get("/desk/store/returns?store=shop1&region=ES").text
    assert 'value="Almacén Madrid"' in edit  # the edit link fills the form
    removed = post_form(
        seller, "/desk/store/returns", "/desk/store/returns/delete", store_id="shop1", region="ES"
    )
    assert (
        removed.status_code == 303 and "done=delete_return_address" in removed.headers["location"]
    )
    assert [a.region for a in returns.list_addresses(desk.db, "shop1")] == ["*"]
    # another store's owner may not touch shop1's addresses; an agent only reads them
    other = desk.login("seller2")
    token = csrf_of(other.get("/desk/store/returns").text)
    assert other.post("/desk/store/returns", data={**typed, "csrf_token": token}).status_code == 404
    create_user(
        desk.db,
        email="agent@shop1.test",
        name="Zhang",
        role="seller",
        store_id="shop1",
        store_role="agent",
        password="agent-pass-1",
    )
    agent = desk.client()
    assert sign_in(agent, "agent@shop1.test", "agent-pass-1").status_code == 303
    read_only = agent.get("/desk/store/returns").text
    assert "518057 Shenzhen" in read_only and 'id="owner-only"' in read_only
    assert 'action="/desk/store/returns"' not in read_only
    refused = agent.post("/desk/store/returns", data={**typed, "csrf_token": csrf_of(read_only)})
    assert refused.status_code == 403


def test_the_return_stage_shows_where_to_send_or_says_plainly_there_is_no_address(
    desk: WebDesk,
) -> None:
    agreed_return(desk, "O-1")
    buyer, seller = desk.login("buyer"), desk.login("seller")
    page = buyer.get("/desk/disputes/O-1-D1").text
    assert 'id="return-address"' in page
    assert "The seller has not given a return address yet" in page
    mine = seller.get("/desk/disputes/O-1-D1").text
    assert "Your store has no return address for Spain and no default" in mine
    assert 'href="/desk/store/returns?store=shop1&amp;region=ES" id="add-return-address"' in mine
    address = {"recipient": "Li Wei", "line1": "8 Keji Road", "city": "Shenzhen", "country": "CN"}
    returns.put_address(desk.db, "shop1", "*", address, now=desk.clock.now)
    page = buyer.get("/desk/disputes/O-1-D1").text
    assert "Send the goods to this address:" in page and "8 Keji Road" in page
    assert "China" in page.split('id="return-to"')[1].split("</address>")[0]
    assert "your default return address" in seller.get("/desk/disputes/O-1-D1").text
    spain = {"recipient": "Almacén", "line1": "Calle Mayor 1", "city": "Madrid", "country": "ES"}
    returns.put_address(desk.db, "shop1", "ES", spain, now=desk.clock.now)
    page = buyer.get("/desk/disputes/O-1-D1").text
    assert "Calle Mayor 1" in page and "8 Keji Road" not in page  # the country's own first
    mine = seller.get("/desk/disputes/O-1-D1").text
    assert "your return address for Spain" in mine and "Calle Mayor 1" in mine
    assert "Agreed: the goods come back for a refund of $45.00" in mine
    chinese = desk.login("buyer", locale="zh_CN").get("/desk/disputes/O-1-D1").text
    assert "请将货物寄到以下地址：" in chinese and "西班牙" in chinese
    # a dispute outside the return stage has no return card
    shipped_order(desk, "O-2")
    assert open_form(desk.login("buyer"), "O-2", plan_type="refund_only").status_code == 303
    assert 'id="return-address"' not in buyer.get("/desk/disputes/O-2-D1").text


def test_the_api_keeps_return_addresses_per_region(db: Database, tmp_path: Path) -> None:
    api = make_desk(db, tmp_path)
    base = "/stores/shop1/return-addresses"
    assert api.get("seller", base).json() == {"items": []}
    body = {"recipient": "Li Wei", "line1": "8 Keji Road", "city": "Shenzhen", "country": "CN"}
    created = api.client.put(f"{base}/*", json=body, headers=api.h("seller"))
    assert created.status_code == 201, created.text
    assert created.json()["default"] is True and created.json()["zip"] is None
    again = api.client.put(f"{base}/*", json={**body, "zip": " 518057 "}, headers=api.h("seller"))
    assert again.status_code == 200 and again.json()["zip"] == "518057"
    spain = {**body, "city": "Madrid", "country": "ES"}
    assert api.client.put(f"{base}/ES", json=spain, headers=api.h("seller")).status_code == 201
    items = api.get("agent", base).json()["items"]  # staff read them
    assert [i["region"] for i in items] == ["*", "ES"]
    assert api.get("seller", f"{base}/ES").json()["city"] == "Madrid"
    # only an owner writes; other stores and buyers see nothing; bad input is refused
    assert api.client.put(f"{base}/FR", json=body, headers=api.h("agent")).status_code == 403
    assert api.get("seller2", base).status_code == 404
    assert api.get("buyer", base).status_code == 403
    for region, sent in (
        ("es", body),  # regions are capital codes or *
        ("FR", {**body, "city": "   "}),  # a required part left empty
        ("FR", {**body, "country": "France"}),
        ("FR", {**body, "fax": "1"}),  # unknown parts are refused, not dropped
        ("FR", {**body, "recipient": "x" * 201}),
        ("FR", {**body, "line1": "a\x00b"}),
    ):
        refused = api.client.put(f"{base}/{region}", json=sent, headers=api.h("seller"))
        assert refused.status_code == 422, (region, sent, refused.text)
    assert api.client.delete(f"{base}/ES", headers=api.h("seller")).status_code == 204
    assert api.get("seller", f"{base}/ES").status_code == 404
    assert api.client.delete(f"{base}/ES", headers=api.h("seller")).status_code == 404
    unknown = api.client.put("/stores/nope/return-addresses/*", json=body, headers=api.h("admin"))
    assert unknown.status_code == 404
    spec = api.client.get("/openapi.json").json()["paths"]
    assert {"get", "put", "delete"} <= set(spec["/stores/{store_id}/return-addresses/{region}"])
    api.client.close()


# -- 7. forms that tell the truth ------------------------------------------------------------


def test_a_refused_file_refuses_the_whole_dispute_form_and_keeps_what_was_typed(
    desk: WebDesk, tmp_path: Path
) -> None:
    shipped_order(desk, "O-1")
    buyer = desk.login("buyer")
    typed = {"plan_type": "refund_only", "amount": "12.50", "note": "Dented corner"}
    zipped = [("files", ("photos.zip", b"PK\x03\x04" + b"\x00" * 40, "application/zip"))]
    refused = open_form(buyer, "O-1", files=zipped, **typed)
    assert refused.status_code == 415
    assert "The file “photos.zip” is not a type we accept" in refused.text
    assert "Done" not in refused.text and 'id="files-again"' in refused.text
    assert 'value="12.50"' in refused.text and "Dented corner</textarea>" in refused.text
    assert '<option value="refund_only" selected>' in refused.text
    assert '<option value="not_as_described.damaged" selected>' in refused.text
    assert buyer.get("/desk/disputes/O-1-D1").status_code == 404  # nothing was opened
    assert stored_files(tmp_path) == []
    big = [("files", ("big.png", PNG + b"\x00" * (64 * 1024), "image/png"))]
    too_large = open_form(buyer, "O-1", files=big, **typed)
    assert too_large.status_code == 413
    assert "a file may be at most 64 KB" in too_large.text and "bytes" not in too_large.text
    long_note = open_form(buyer, "O-1", note="n" * 5001, amount="12.50")
    assert long_note.status_code == 422
    assert "“Note” is too long: at most 5,000 characters (this one has 5,001)" in long_note.text
    assert 'value="12.50"' in long_note.text
    no_amount = open_form(buyer, "O-1", amount=" ")
    assert no_amount.status_code == 422
    assert "Give the amount you ask for (at most $45.00)." in no_amount.text
    not_money = open_form(buyer, "O-1", amount="12,5")
    assert "The amount “12,5” is not an amount" in not_money.text
    bad_link = open_form(buyer, "O-1", link="ftp://example.com/v.mp4")
    assert bad_link.status_code == 422 and "must be a web address" in bad_link.text
    assert 'value="ftp://example.com/v.mp4"' in bad_link.text
    assert buyer.get("/desk/disputes/O-1-D1").status_code == 404
    photo = [("files", ("dent.png", PNG, "image/png"))]
    opened = open_form(buyer, "O-1", files=photo, link="https://video.example/v/1", **typed)
    assert opened.status_code == 303  # Post/Redirect/Get: a refresh shows, never re-posts
    assert opened.headers["location"] == "/desk/disputes/O-1-D1?done=open_dispute"
    page = buyer.get(opened.headers["location"]).text
    assert "Done: Dispute opened." in page and "not accepted" not in page
    assert re.search(r'<img src="/desk/evidence/\d+" alt="Picture: dent.png" class="thumb"', page)
    assert 'Video link: <a href="https://video.example/v/1"' in page
    assert "up to 64 KB" in page and " B)" not in page


def test_the_evidence_form_refuses_nothing_to_show_and_keeps_what_was_typed(
    desk: WebDesk, tmp_path: Path
) -> None:
    shipped_order(desk, "O-1")
    buyer = desk.login("buyer")
    assert open_form(buyer, "O-1").status_code == 303
    path = "/desk/disputes/O-1-D1"
    token = csrf_of(buyer.get(path).text)

    def send(files: Any = None, **fields: str) -> Any:
        data = {"csrf_token": token, "kind": "photo", "description": "", "link": "", **fields}
        return buyer.post(f"{path}/evidence", data=data, files=files)

    empty = send()
    assert empty.status_code == 422
    assert "This evidence has no description, file or link" in empty.text
    described = send(description="   ", link="https://video.example/v/2", kind="video")
    assert described.status_code == 422 and "the description is required" in described.text
    assert 'value="https://video.example/v/2"' in described.text
    assert '<option value="video" selected>' in described.text
    assert re.search(r'<details class="action-form"\s+open>', described.text)
    too_long = send(description="d" * 5001)
    assert too_long.status_code == 422
    assert "“Description” is too long: at most 5,000 characters" in too_long.text
    large = send(
        description="The dent", files={"file": ("dent.png", PNG + b"\x00" * 70000, "image/png")}
    )
    assert large.status_code == 413 and "at most 64 KB" in large.text
    assert stored_files(tmp_path) == []
    with desk.db.engine.connect() as conn:
        assert conn.scalar(select(t.evidence.c.id)) is None
    done = send(description="The dent", files={"file": ("dent.png", PNG, "image/png")})
    assert done.status_code == 303
    assert done.headers["location"] == f"{path}?done=submit_evidence#evidence"


# -- 11. the order and its evidence on the dispute page ------------------------------------------


def test_the_dispute_page_shows_the_items_the_buyer_and_the_shipping_address(
    desk: WebDesk,
) -> None:
    placed = desk.clock.now - timedelta(days=6, hours=1)
    order = {
        "id": "O-9",
        "store_id": "shop1",
        "buyer_id": "B1",
        "amount": "40.00",
        "shipping": "5.00",
        "currency": "USD",
        "placed_at": placed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "promised_delivery_days": 20,
        "items": [
            {
                "title": "Bluetooth speaker",
                "variant": {"color": "Red", "size": "M"},
                "quantity": 2,
                "unit_price": "15.00",
                "image": "https://img.example/speaker.jpg",
            },
            {"title": "Cable", "quantity": 1, "unit_price": "10.00"},
        ],
        "shipping_address": {
            "recipient": "Ana García",
            "line1": "Calle Mayor 1",
            "city": "Madrid",
            "zip": "28013",
            "country": "ES",
            "phone": "+34 600 000 000",
        },
    }
    create_order(desk.db, check_order(order), now=placed)
    with desk.db.begin() as conn:
        conn.execute(update(t.buyers).where(t.buyers.c.id == "B1").values(country="ES"))
    commands.ship(desk.db, "O-9", carrier="Cainiao", tracking_number="LP9", at=placed)
    assert open_form(desk.login("buyer"), "O-9").status_code == 303
    page = desk.login("seller").get("/desk/disputes/O-9-D1").text
    summary = page.split('id="order-summary"')[1].split("</section>")[0]
    for words in (
        "Product information",
        "Bluetooth speaker",
        "color: Red",  # a variant's options (JSONB keeps its own key order)
        "size: M",
        "$15.00",
        "Cable",
        "$10.00",
        "Ana (Spain)",
        "Ana García<br>Calle Mayor 1<br>28013 Madrid<br>Spain",
        "+34 600 000 000",
    ):
        assert words in summary, words
    # a picture elsewhere is a link (pages load nothing from other sites)
    assert '<a href="https://img.example/speaker.jpg"' in summary and "<img" not in summary
    chinese = desk.login("seller", locale="zh_CN").get("/desk/disputes/O-9-D1").text
    assert "商品信息" in chinese and "Ana（西班牙）" not in chinese and "Ana (西班牙)" in chinese


# -- 12. search, the CSV export, bulk accept ---------------------------------------------------


def test_search_by_order_number_tracking_number_or_buyer(desk: WebDesk) -> None:
    shipped_order(desk, "ORD-100")
    shipped_order(desk, "ORD-200", buyer="B2")
    for order_id in ("ORD-100", "ORD-200"):
        commands.open_dispute(
            desk.db,
            order_id,
            reason="not_received.tracking_invalid",
            plan={"type": "refund_only", "amount": "10.00"},
            goods_received=False,
            at=desk.clock.now,
        )
    with desk.db.begin() as conn:
        conn.execute(update(t.buyers).where(t.buyers.c.id == "B2").values(name="Jean 100% Dupont"))
    seller = desk.login("seller")

    def found(path: str) -> set[str]:
        page = seller.get(path)
        assert page.status_code == 200
        return set(re.findall(r'data-(?:dispute|order)="(ORD-\d+)', page.text))

    assert found("/desk/inbox?q=ord-1") == {"ORD-100"}  # a part, without case
    assert found("/desk/inbox?q=LPORD-200") == {"ORD-200"}  # the tracking number
    assert found("/desk/inbox?q=jean") == {"ORD-200"}  # the buyer's name
    assert found("/desk/inbox?q=B1") == {"ORD-100"}  # the buyer's id
    assert found("/desk/inbox?q=100%25") == {"ORD-200"}  # % is a character, not a wildcard
    assert found("/desk/orders?q=ORD-2") == {"ORD-200"}
    assert found("/desk/inbox?q=nothing") == set()
    page = seller.get("/desk/inbox?q=" + "x" * 101)
    assert "“Search” is too long: at most 100 characters" in page.text
    assert 'value="' + "x" * 101 + '"' in page.text  # what was typed stays in the box
    assert 'value="jean"' in seller.get("/desk/inbox?q=jean").text


def many_disputes(db: Database, count: int, at: Any) -> None:
    """`count` shipped orders of shop1, each with an open refund-only dispute, written in one
    transaction through the rules core (as the services would, much faster)."""
    placed = at - timedelta(days=7)
    orders = [
        check_order(
            {
                "id": f"M-{n:05d}",
                "store_id": "shop1",
                "buyer_id": "B1",
                "amount": "20.00",
                "shipping": "0.00",
                "currency": "USD",
                "placed_at": placed.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "promised_delivery_days": 30,
                "destination_country": "ES",
            }
        )
        for n in range(count)
    ]
    with db.begin() as conn:
        ensure_parties(conn, {"shop1"}, {"B1"}, placed)
        conn.execute(insert(t.orders), [order_row(o, placed) for o in orders])
        loaded = repository.load_many(conn, [o.id for o in orders])
        changes = []
        for one in loaded.values():
            ship = Command(
                at - timedelta(days=6),
                "seller",
                "ship",
                {"carrier": "Cainiao", "tracking_number": "LP1"},
            )
            state, shipped = handle(one.state, ship, one.policy)
            plan = {"type": "refund_only", "amount": "5.00"}
            opening = {
                "reason": "not_received.tracking_invalid",
                "plan": plan,
                "goods_received": False,
            }
            state, opened = handle(state, Command(at, "buyer", "open_dispute", opening), one.policy)
            events = [e.event for e in shipped + opened if e.event is not None]
            changes.append(repository.Change(one, state, events))
        repository.save(conn, changes, at)


def test_the_csv_export_is_streamed_a_batch_at_a_time_whatever_its_size(
    desk: WebDesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    count, batch = 240, 40
    many_disputes(desk.db, count, desk.clock.now)
    monkeypatch.setattr(store_pages, "EXPORT_BATCH", batch)
    batches_read = []
    real = seller_center._export_lines

    def counting(conn: Any, keys: list[Any]) -> Any:
        batches_read.append(len(keys))
        return real(conn, keys)

    monkeypatch.setattr(seller_center, "_export_lines", counting)
    seller = desk.login("seller")
    chunks = []
    with seller.stream("GET", "/desk/inbox.csv?status=awaiting_seller_response") as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"].startswith("attachment; filename=")
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            if len(chunks) == 2:  # the header, then the first rows: the rest is not read yet
                assert len(batches_read) <= 2 < count // batch
    body = b"".join(chunks).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Order number", "Dispute", "Status"]
    assert len(rows) == count + 1 and len({r[0] for r in rows[1:]}) == count
    assert batches_read == [batch] * (count // batch)
    assert rows[1][2] == "Awaiting seller response" and rows[1][10] == "Refund only $5.00"
    # each chunk holds one batch at most: the server never holds more than that
    assert max(len(list(csv.reader(io.StringIO(c.decode("utf-8-sig"))))) for c in chunks) <= batch
    # the export follows the inbox's filters and search
    none = seller.get("/desk/inbox.csv?status=closed").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(none)))) == 1
    one = seller.get("/desk/inbox.csv?q=M-00007").content.decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(one))][1:] == ["M-00007"]
    assert 'href="/desk/inbox.csv?q=M-00007"' in seller.get("/desk/inbox?q=M-00007").text
    assert desk.login("seller2").get("/desk/inbox.csv").text.count("\n") == 1  # not theirs


def test_bulk_accept_lists_small_refunds_for_confirmation_and_reports_each(
    desk: WebDesk,
) -> None:
    plans = {
        "B-1": ("refund_only", "10.00"),
        "B-2": ("refund_only", "15.00"),
        "B-3": ("refund_only", "30.00"),  # more than the amount
        "B-4": ("return_and_refund", "10.00"),  # not refund only
        "B-5": ("refund_only", "12.00"),  # changes after the confirmation
    }
    for order_id, (kind, amount) in plans.items():
        shipped_order(desk, order_id)
        commands.open_dispute(
            desk.db,
            order_id,
            reason="not_as_described.damaged",
            plan={"type": kind, "amount": amount},
            goods_received=True,
            at=desk.clock.now,
        )
    seller = desk.login("seller")
    inbox = seller.get("/desk/inbox").text
    assert 'action="/desk/inbox/bulk-accept"' in inbox and "<script" not in inbox.split("<main>")[1]
    page = seller.get("/desk/inbox/bulk-accept?max_amount=20&currency=USD")
    assert page.status_code == 200
    listed = re.findall(r'name="dispute" value="([^"]+)"', page.text)
    assert sorted(v.split("@")[0] for v in listed) == ["B-1-D1", "B-2-D1", "B-5-D1"]
    assert "Together: $37.00" in page.text and "Accept the checked refunds (3 listed)" in page.text
    # an agent whose refunds are limited to 12.00 is offered only what they may accept
    create_user(
        desk.db,
        email="agent@shop1.test",
        name="Zhang",
        role="seller",
        store_id="shop1",
        store_role="agent",
        password="agent-pass-1",
    )
    with desk.db.begin() as conn:
        conn.execute(
            update(t.store_staff)
            .where(t.store_staff.c.email == "agent@shop1.test")
            .values(permissions={"answer_disputes": True, "refund_up_to": "12.00"})
        )
    agent = desk.client()
    assert sign_in(agent, "agent@shop1.test", "agent-pass-1").status_code == 303
    limited = agent.get("/desk/inbox/bulk-accept?max_amount=20&currency=USD").text
    offered = re.findall(r'name="dispute" value="([^"@]+)@', limited)
    assert sorted(offered) == ["B-1-D1", "B-5-D1"]
    nothing_yet = seller.get("/desk/disputes/B-1-D1").text
    assert "Awaiting seller response" in nothing_yet  # listing accepts nothing
    commands.modify_dispute(
        desk.db, "B-5", plan={"type": "refund_only", "amount": "11.00"}, at=desk.clock.now
    )
    version_b3 = repository_version(desk.db, "B-3")
    chosen = [*listed, f"B-3-D1@{version_b3}"]  # B-3 sent by hand: refused, never accepted
    sent = seller.post(
        "/desk/inbox/bulk-accept",
        data={
            "csrf_token": csrf_of(page.text),
            "max_amount": "20",
            "currency": "USD",
            "dispute": chosen,
        },
    )
    assert sent.status_code == 303  # Post/Redirect/Get
    done_path = sent.headers["location"]
    assert done_path.startswith("/desk/inbox/bulk-accept/done?")
    done = seller.get(done_path)
    outcomes = dict(re.findall(r'data-dispute="([^"]+)" data-accepted="(yes|no)"', done.text))
    assert outcomes == {"B-1-D1": "yes", "B-2-D1": "yes", "B-5-D1": "no", "B-3-D1": "no"}
    assert "2 of 4 accepted." in done.text
    assert "the case changed after you confirmed" in done.text  # B-5
    assert "plan is now Refund only $30.00, not what you confirmed" in done.text  # B-3
    with desk.db.engine.connect() as conn:
        statuses = dict(conn.execute(select(t.disputes.c.order_id, t.disputes.c.status)).all())
    assert statuses["B-1"] == statuses["B-2"] == "closed"
    assert statuses["B-3"] == statuses["B-5"] == "awaiting_seller_response"
    assert statuses["B-4"] == "awaiting_seller_response"
    assert seller.get(done_path).text.count('data-accepted="yes"') == 2  # a refresh sends nothing
    empty = seller.post(
        "/desk/inbox/bulk-accept",
        data={"csrf_token": csrf_of(page.text), "max_amount": "20", "currency": "USD"},
    )
    assert empty.status_code == 422 and "Choose at least one dispute" in empty.text
    bad = seller.get("/desk/inbox/bulk-accept?max_amount=abc&currency=USD")
    assert bad.status_code == 422 and "The amount “abc” is not an amount" in bad.text
    assert desk.login("buyer").get("/desk/inbox/bulk-accept?max_amount=20").status_code == 403


def repository_version(db: Database, order_id: str) -> int:
    with db.engine.connect() as conn:
        loaded = repository.load(conn, order_id)
    assert loaded is not None
    return loaded.version
