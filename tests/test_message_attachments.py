"""Message attachments and unread counts (issue 12, item 15): images and PDF files with a
message (the evidence checks and size limit, stored the same way, downloadable by whoever sees
the thread, `nosniff` and `no-store`), on the desk's thread and through the API (multipart, with
JSON still working); each dispute's unread messages in the seller's and the buyer's inbox and in
the API's list, read by opening the thread. On each database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import Desk
from disputedesk.services import accounts, evidence_files
from disputedesk.services.accounts import create_token
from disputedesk.store.db import Database
from web_support import WebDesk, csrf_of, make_web_desk, shipped_order

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: what these tests check is the thread, not the hashing."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        accounts,
        "_password_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


@dataclass
class Room:
    web: WebDesk
    api: Desk


@pytest.fixture
def room(db: Database, tmp_path: Path) -> Iterator[Room]:
    web = make_web_desk(db, tmp_path)
    emails = {
        "seller": "seller@shop1.test",
        "seller2": "seller@shop2.test",
        "buyer": "buyer@b1.test",
        "buyer2": "buyer@b2.test",
        "arbitrator": "arb@platform.test",
        "admin": "admin@platform.test",
    }
    tokens = {role: create_token(db, email=email).token for role, email in emails.items()}
    client = TestClient(web.app, base_url="https://testserver")
    yield Room(web, Desk(db, client, web.clock, tokens, tmp_path / "data"))
    client.close()


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def disputed(room: Room, order_id: str) -> str:
    shipped_order(room.web, order_id)
    body = {
        "reason": "not_as_described.damaged",
        "goods_received": True,
        "plan": {"type": "refund_only", "amount": "30.00"},
    }
    return ok(room.api.post("buyer", f"/orders/{order_id}/disputes", body), 201)["id"]


def send(room: Room, role: str, order_id: str, body: str, file: Any = None) -> Any:
    if file is None:
        return room.api.post(role, f"/orders/{order_id}/messages", {"body": body})
    return room.api.post(role, f"/orders/{order_id}/messages", data={"body": body}, files=file)


def test_the_api_takes_images_and_pdf_with_the_evidence_checks_and_serves_them_safely(
    room: Room,
) -> None:
    api = room.api
    did = disputed(room, "M1")
    # JSON as before; a photo; a PDF without words
    ok(send(room, "buyer", "M1", "Hello"), 201)
    photo = ok(send(room, "buyer", "M1", "the box", {"file": ("box.png", PNG, "image/png")}), 201)
    [attachment] = photo["attachments"]
    assert attachment["content_type"] == "image/png" and attachment["name"] == "box.png"
    pdf = ok(
        send(room, "seller", "M1", "", {"file": ("../../invoice.pdf", PDF, "text/plain")}), 201
    )
    assert pdf["body"] == "" and pdf["attachments"][0]["content_type"] == "application/pdf"
    assert pdf["attachments"][0]["name"] == "invoice.pdf"
    # refused: another type (whatever the name says), too large, empty, nothing at all
    text = send(room, "buyer", "M1", "x", {"file": ("fake.png", b"just words", "image/png")})
    assert text.status_code == 415 and text.json()["code"] == "unsupported_media_type"
    big = PNG + b"\0" * (64 * 1024)
    assert (
        send(room, "buyer", "M1", "x", {"file": ("big.png", big, "image/png")}).status_code == 413
    )
    assert send(room, "buyer", "M1", "x", {"file": ("e.png", b"", "image/png")}).status_code == 422
    no_file = {"file": ("", b"", "application/octet-stream")}  # a form's empty file field
    assert send(room, "buyer", "M1", "  ", no_file).status_code == 422
    bad_locale = api.post(
        "buyer", "/orders/M1/messages", data={"body": "x", "locale": "x" * 20}, files=no_file
    )
    assert bad_locale.status_code == 422
    form = api.post("buyer", "/orders/M1/messages", data={"body": "urlencoded"})
    assert form.status_code == 415  # JSON, or multipart with a file
    plain = api.client.post(
        "/orders/M1/messages",
        content=b"hello",
        headers={**api.h("buyer"), "Content-Type": "text/plain"},
    )
    assert plain.status_code == 415
    items = ok(api.get("seller", "/orders/M1/messages"))["items"]
    assert [len(m["attachments"]) for m in items] == [0, 1, 1]
    assert len(list((api.data_dir / "evidence").glob("*/*"))) == 2  # the refused left nothing

    # the download: whoever sees the thread, as an attachment, never sniffed nor cached
    url = attachment["download"]
    got = api.get("seller", url)
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in got.headers["cache-control"]
    assert got.headers["content-disposition"].startswith("attachment")
    assert api.get("admin", url).status_code == 200
    for outsider in ("buyer2", "seller2", "arbitrator"):
        assert api.get(outsider, url).status_code == 404, outsider
    assert api.get("buyer", "/message-attachments/999999/file").status_code == 404
    # once escalated, the arbitrator sees the thread and its files
    ok(api.post("seller", f"/disputes/{did}/reject", {"note": "no"}))
    ok(api.post("buyer", f"/disputes/{did}/escalate", {}))
    assert api.get("arbitrator", url).status_code == 200
    # gc keeps the files messages point at
    collected = evidence_files.collect_garbage(room.web.db, api.data_dir, grace_seconds=0)
    assert collected.removed == []
    assert api.get("buyer", url).status_code == 200


def test_unread_counts_in_the_api_list_and_reading_the_thread(room: Room) -> None:
    api = room.api
    disputed(room, "U1")
    ok(send(room, "buyer", "U1", "one"), 201)
    ok(send(room, "buyer", "U1", "two"), 201)

    def unread(role: str) -> int:
        [item] = ok(api.get(role, "/disputes"))["items"]
        return item["unread_messages"]

    assert unread("seller") == 2 and unread("buyer") == 0  # their own are never unread
    ok(api.get("seller", "/orders/U1/messages"))
    assert unread("seller") == 0
    ok(send(room, "seller", "U1", "answer"), 201)
    assert unread("buyer") == 1 and unread("seller") == 0
    ok(api.get("buyer", "/orders/U1/messages"))
    assert unread("buyer") == 0


def test_the_desk_thread_sends_files_and_the_inbox_counts_unread(room: Room) -> None:
    did = disputed(room, "W1")
    ok(send(room, "buyer", "W1", "see the photo", {"file": ("crack.png", PNG, "image/png")}), 201)
    seller = room.web.login("seller")
    inbox = seller.get("/desk/inbox")
    assert 'data-unread="1"' in inbox.text and "1 unread" in inbox.text
    page = seller.get(f"/desk/disputes/{did}")  # opening the thread reads it
    assert "crack.png" in page.text and 'class="thumb"' in page.text
    assert 'data-unread="' not in seller.get("/desk/inbox").text
    zh = room.web.login("seller", locale="zh_CN").get(f"/desk/disputes/{did}")
    assert "附加图片或 PDF" in zh.text

    token = csrf_of(page.text)
    sent = seller.post(
        "/desk/orders/W1/messages",
        data={"csrf_token": token, "body": "our invoice", "next": f"/desk/disputes/{did}"},
        files={"file": ("invoice.pdf", PDF, "application/pdf")},
    )
    assert sent.status_code == 303 and sent.headers["location"].startswith(f"/desk/disputes/{did}")
    words_only = seller.post(
        "/desk/orders/W1/messages",
        data={"csrf_token": token, "body": "words only"},
        files={"file": ("", b"", "application/octet-stream")},  # an empty file field
    )
    assert words_only.status_code == 303
    refused = seller.post(
        "/desk/orders/W1/messages",
        data={"csrf_token": token, "body": "a text"},
        files={"file": ("notes.txt", b"plain words", "text/plain")},
    )
    assert refused.status_code == 415 and "Only images and PDF files" in refused.text
    buyer = room.web.login("buyer")
    inbox = buyer.get("/desk/inbox")
    assert 'data-unread="2"' in inbox.text
    page = buyer.get(f"/desk/disputes/{did}")
    link = page.text.split('href="/desk/message-attachments/')[-1].split('"')[0]
    got = buyer.get(f"/desk/message-attachments/{link}")
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in got.headers["cache-control"]
    assert got.headers["content-disposition"].startswith("attachment")
    other = room.web.login("buyer2")
    assert other.get(f"/desk/message-attachments/{link}").status_code == 404
    assert other.get("/desk/message-attachments/99999999999999999999").status_code == 404
    # the order page's thread reads it too
    ok(send(room, "seller", "W1", "one more"), 201)
    assert 'data-unread="1"' in buyer.get("/desk/inbox").text
    buyer.get("/desk/orders/W1")
    assert 'data-unread="' not in buyer.get("/desk/inbox").text
