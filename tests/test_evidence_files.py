"""Evidence files, hardened: a refused upload (API, desk, the photos sent with a new dispute)
leaves no file behind, the check comes before the write and a lost race removes what it wrote
(never a file another row uses); `disputedesk evidence gc` removes what no row points at after a
grace period; file names are made safe when stored and when sent; the API's download is an
attachment with nosniff/no-store, its content types documented; evidence honours If-Match; an
evidence id beyond 64 bits is a 404/422 problem, not a 500."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import content_type_conformance
from sqlalchemy import select, update

from api_support import Desk, make_desk
from disputedesk.services import commands, evidence_files
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from web_support import WebDesk, csrf_of, make_web_desk, post_form, shipped_order

EXE = str(Path(sys.executable).with_name("disputedesk"))
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)
HOUR = 3600


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    yield d
    d.client.close()


@pytest.fixture
def web(db: Database, tmp_path: Path) -> WebDesk:
    return make_web_desk(db, tmp_path)


def stored_files(data_dir: Path) -> list[str]:
    """Every file under evidence/ and tmp/ (what an upload writes)."""
    return sorted(
        str(p.relative_to(data_dir))
        for folder in ("evidence", "tmp")
        for p in (data_dir / folder).rglob("*")
        if p.is_file()
    )


def api_dispute(desk: Desk, order_id: str, buyer: str = "B1", buyer_role: str = "buyer") -> str:
    """A shipped order of shop1 with an open dispute; returns the dispute's id."""
    order = {
        "id": order_id,
        "store_id": "shop1",
        "buyer_id": buyer,
        "amount": "100.00",
        "shipping": "1.00",
        "currency": "USD",
        "placed_at": desk.clock.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "promised_delivery_days": 30,
    }
    assert desk.post("seller", "/orders", order).status_code == 201
    shipment = {"carrier": "China Post", "tracking_number": "RR1CN"}
    assert desk.post("seller", f"/orders/{order_id}/ship", shipment).status_code == 200
    desk.clock.advance(days=6)
    opened = desk.post(
        buyer_role,
        f"/orders/{order_id}/disputes",
        {
            "reason": "not_as_described.damaged",
            "goods_received": True,
            "plan": {"type": "refund_only", "amount": "40.00"},
        },
    )
    assert opened.status_code == 201, opened.json()
    return str(opened.json()["id"])


def upload(desk: Desk, role: str, did: str, body: bytes = PNG, name: str = "p.png", **data: Any):
    return desk.post(
        role,
        f"/disputes/{did}/evidence",
        data={"kind": "photo", "description": "the dent", **data},
        files={"file": (name, body, "image/png")},
    )


def closing_race(db: Database, monkeypatch: pytest.MonkeyPatch, *, then_raise: bool = False):
    """`commands.execute` as if the buyer cancelled the dispute just before the evidence's
    transaction (or, with `then_raise`, as if that transaction failed)."""
    real = commands.execute

    def racing(db_: Database, order_id: str, actor: str, action: str, *a: Any, **kw: Any):
        if action == "submit_evidence":
            if then_raise:
                raise commands.ServiceError("conflict", f"order {order_id!r} kept changing")
            at = a[1] if len(a) > 1 else kw["at"]
            assert real(db, order_id, "buyer", "cancel_dispute", {}, at).ok
        return real(db_, order_id, actor, action, *a, **kw)

    monkeypatch.setattr(commands, "execute", racing)


# -- 1. check first, write after ---------------------------------------------------------------


def test_a_refused_api_upload_leaves_no_file(desk: Desk) -> None:
    did = api_dispute(desk, "E1")
    refused = (
        ("buyer", "NOPE-D1", {}, 404, "not_found"),
        ("buyer2", did, {}, 404, "not_found"),
        ("admin", did, {}, 403, "forbidden"),  # an admin sees the case, the core refuses
        ("buyer", did, {"kind": "selfie"}, 422, "invalid_input"),
        ("buyer", did, {"link": "ftp://video.example/x"}, 422, "invalid_input"),
    )
    for role, target, data, status, code in refused:
        r = upload(desk, role, target, **data)
        assert (r.status_code, r.json()["code"]) == (status, code), (role, data, r.json())
        assert stored_files(desk.data_dir) == [], (role, data)
    # a closed dispute
    assert desk.post("buyer", f"/disputes/{did}/cancel").status_code == 200
    r = upload(desk, "buyer", did)
    assert (r.status_code, r.json()["code"]) == (409, "no_dispute")
    assert stored_files(desk.data_dir) == []
    # a dispute the next automatic step closes: the seller never answered (no worker ran)
    late = api_dispute(desk, "E2")
    desk.clock.advance(days=6)
    r = upload(desk, "seller", late)
    assert (r.status_code, r.json()["code"]) == (409, "no_dispute"), r.json()
    assert stored_files(desk.data_dir) == []
    # an arbitrator may see an escalated case but not submit evidence
    escalated = api_dispute(desk, "E3")
    assert desk.post("seller", f"/disputes/{escalated}/reject", {"note": "no"}).status_code == 200
    assert desk.post("buyer", f"/disputes/{escalated}/escalate").status_code == 200
    r = upload(desk, "arbitrator", escalated)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden"), r.json()
    assert stored_files(desk.data_dir) == []
    # and accepted, the file is there
    assert upload(desk, "seller", escalated).status_code == 201
    assert len(stored_files(desk.data_dir)) == 1


def test_evidence_with_nothing_to_show_is_refused(desk: Desk) -> None:
    """No description, file or link: nothing for the other side or an arbitrator to read."""
    did = api_dispute(desk, "E9")
    for description in ("", "   \n "):
        r = desk.post(
            "buyer",
            f"/disputes/{did}/evidence",
            data={"kind": "photo", "description": description},
        )
        assert (r.status_code, r.json()["code"]) == (422, "invalid_input"), r.json()
        assert "description, a file or a link" in r.json()["detail"]
    words = desk.post(
        "buyer", f"/disputes/{did}/evidence", data={"kind": "other", "description": "It rattles"}
    )
    assert words.status_code == 201, words.json()
    link = desk.post(
        "buyer",
        f"/disputes/{did}/evidence",
        data={"kind": "video", "link": "https://video.example/unboxing"},
    )
    assert link.status_code == 201, link.json()
    assert upload(desk, "buyer", did, description="").status_code == 201
    assert len(stored_files(desk.data_dir)) == 1


def test_an_upload_that_loses_a_race_removes_its_file(
    desk: Desk, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    did = api_dispute(desk, "R1")
    closing_race(db, monkeypatch)
    r = upload(desk, "buyer", did)
    assert (r.status_code, r.json()["code"]) == (409, "no_dispute"), r.json()
    assert stored_files(desk.data_dir) == []
    monkeypatch.undo()
    other = api_dispute(desk, "R2")
    closing_race(db, monkeypatch, then_raise=True)
    r = upload(desk, "buyer", other)
    assert (r.status_code, r.json()["code"]) == (409, "conflict")
    assert stored_files(desk.data_dir) == []


def test_a_lost_race_never_removes_a_file_another_row_uses(
    desk: Desk, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = api_dispute(desk, "K1")
    assert upload(desk, "buyer", kept).status_code == 201
    [path] = stored_files(desk.data_dir)
    other = api_dispute(desk, "K2")
    closing_race(db, monkeypatch, then_raise=True)
    assert upload(desk, "buyer", other).status_code == 409  # the same bytes
    assert stored_files(desk.data_dir) == [path]
    assert desk.get("seller", f"/disputes/{kept}").json()["evidence"][0]["file"]
    item = desk.get("buyer", f"/disputes/{kept}").json()["evidence"][0]
    assert desk.get("buyer", item["file"]["download"]).content == PNG


def web_dispute(web: WebDesk, order_id: str) -> Any:
    shipped_order(web, order_id)
    buyer = web.login("buyer")
    path = f"/desk/orders/{order_id}/open-dispute"
    opened = post_form(
        buyer,
        path,
        path,
        reason="not_as_described.damaged",
        goods_received="yes",
        plan_type="refund_only",
        amount="20.00",
        note="dented",
    )
    assert opened.status_code == 303, opened.text
    return buyer


def web_upload(client: Any, did: str, *, kind: str = "photo", name: str = "dent.png") -> Any:
    page = client.get(f"/desk/disputes/{did}")
    return client.post(
        f"/desk/disputes/{did}/evidence",
        data={"csrf_token": csrf_of(page.text), "kind": kind, "description": "The dent"},
        files={"file": (name, PNG, "image/png")},
    )


def test_a_refused_desk_upload_leaves_no_file(
    web: WebDesk, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    buyer = web_dispute(web, "W-1")
    refused = web_upload(buyer, "W-1-D1", kind="selfie")
    assert refused.status_code == 422
    assert stored_files(data_dir) == []
    # the seller's deadline passed and nothing fired it yet: the core closes the dispute first
    web.clock.advance(days=6)
    seller = web.login("seller")
    late = web_upload(seller, "W-1-D1")
    assert late.status_code == 409, late.text
    assert stored_files(data_dir) == []
    # a race lost in the command's transaction
    buyer = web_dispute(web, "W-2")
    closing_race(db, monkeypatch, then_raise=True)
    assert web_upload(buyer, "W-2-D1").status_code == 409
    assert stored_files(data_dir) == []


def test_photos_sent_with_a_new_dispute_leave_no_file_when_refused(
    web: WebDesk, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped_order(web, "W-3")
    buyer = web.login("buyer")
    closing_race(db, monkeypatch)
    path = "/desk/orders/W-3/open-dispute"
    page = buyer.get(path)
    sent = buyer.post(
        path,
        data={
            "csrf_token": csrf_of(page.text),
            "reason": "not_as_described.damaged",
            "goods_received": "yes",
            "plan_type": "refund_only",
            "amount": "20.00",
            "note": "dented",
        },
        files=[("files", ("a.png", PNG, "image/png"))],
    )
    assert sent.status_code == 303
    assert "upload_error=no_dispute" in sent.headers["location"]
    assert stored_files(tmp_path / "data") == []


# -- 2. disputedesk evidence gc ------------------------------------------------------------------


def _aged(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _orphans(data_dir: Path) -> dict[str, Path]:
    """An old and a fresh file no row points at, an old and a fresh temp file."""
    files = {}
    for name, folder, age in (
        ("old", "evidence/aa", 2 * HOUR),
        ("fresh", "evidence/bb", 60),
        ("old_tmp", "tmp", 2 * HOUR),
        ("fresh_tmp", "tmp", 60),
    ):
        path = data_dir / folder / (name * 4)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode() * 10)
        files[name] = _aged(path, age)
    return files


def test_gc_removes_only_old_unreferenced_files_and_stale_temp_files(desk: Desk) -> None:
    did = api_dispute(desk, "G1")
    assert upload(desk, "buyer", did).status_code == 201
    [used] = stored_files(desk.data_dir)
    _aged(desk.data_dir / used, 5 * HOUR)  # referenced: kept, however old
    files = _orphans(desk.data_dir)
    before = stored_files(desk.data_dir)

    dry = evidence_files.collect_garbage(desk.db, desk.data_dir, dry_run=True)
    assert sorted(r.path for r in dry.removed) == sorted([files["old"], files["old_tmp"]])
    assert dry.freed == files["old"].stat().st_size + files["old_tmp"].stat().st_size
    assert stored_files(desk.data_dir) == before

    done = evidence_files.collect_garbage(desk.db, desk.data_dir)
    assert sorted(r.path for r in done.removed) == sorted([files["old"], files["old_tmp"]])
    assert done.freed == dry.freed
    assert not files["old"].exists() and not files["old_tmp"].exists()
    assert files["fresh"].exists() and files["fresh_tmp"].exists()
    assert (desk.data_dir / used).exists()
    assert not (desk.data_dir / "evidence" / "aa").exists()  # its folder, now empty
    # a shorter grace period takes the fresh ones too
    again = evidence_files.collect_garbage(desk.db, desk.data_dir, grace_seconds=0)
    assert sorted(r.path for r in again.removed) == sorted([files["fresh"], files["fresh_tmp"]])
    assert stored_files(desk.data_dir) == [used]
    item = desk.get("buyer", f"/disputes/{did}").json()["evidence"][0]
    assert desk.get("buyer", item["file"]["download"]).content == PNG


def test_gc_never_removes_a_file_whose_row_is_being_committed(
    desk: Desk, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with no grace period: the upload holds its lock from placing the file to committing
    its row, and gc waits for it."""
    did = api_dispute(desk, "G2")
    sha = hashlib.sha256(PNG).hexdigest()
    left = evidence_files.path_of(desk.data_dir, sha)  # the same bytes, left over long ago
    left.parent.mkdir(parents=True)
    left.write_bytes(PNG)
    _aged(left, 5 * HOUR)
    placed, go = threading.Event(), threading.Event()
    real = commands.execute

    def slow(*a: Any, **kw: Any) -> commands.CommandResult:
        placed.set()
        assert go.wait(10)
        return real(*a, **kw)

    monkeypatch.setattr(commands, "execute", slow)
    results: dict[str, Any] = {}

    def send() -> None:
        results["upload"] = upload(desk, "buyer", did)

    def collect() -> None:
        results["gc"] = evidence_files.collect_garbage(
            db, desk.data_dir, grace_seconds=0, now=time.time() + 60
        )

    uploading = threading.Thread(target=send)
    uploading.start()
    assert placed.wait(10)
    collecting = threading.Thread(target=collect)
    collecting.start()
    collecting.join(0.5)
    assert collecting.is_alive()  # waiting for the upload's commit
    go.set()
    uploading.join(10)
    collecting.join(10)
    assert results["upload"].status_code == 201
    assert [r.path for r in results["gc"].removed] == []
    assert left.read_bytes() == PNG


def test_gc_command_lists_then_removes(db: Database, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    files = _orphans(data_dir)
    env = {**os.environ, "DISPUTEDESK_DATABASE_URL": db.url, "DISPUTEDESK_DATA_DIR": str(data_dir)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, timeout=60)

    freed = files["old"].stat().st_size + files["old_tmp"].stat().st_size
    dry = cli("evidence", "gc", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert str(files["old"]) in dry.stdout and str(files["old_tmp"]) in dry.stdout
    assert str(files["fresh"]) not in dry.stdout
    assert f"would free {freed} bytes" in dry.stdout
    assert files["old"].exists() and files["old_tmp"].exists()
    run = cli("evidence", "gc")
    assert run.returncode == 0, run.stderr
    assert str(files["old"]) in run.stdout and f"freed {freed} bytes" in run.stdout
    assert not files["old"].exists() and not files["old_tmp"].exists()
    assert files["fresh"].exists()
    now = cli("evidence", "gc", "--grace-minutes", "0", "--data-dir", str(data_dir))
    assert now.returncode == 0 and str(files["fresh"]) in now.stdout
    assert stored_files(data_dir) == []
    missing = cli("evidence", "gc", "--data-dir", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such data folder" in missing.stderr


# -- 3. file names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("photo.png", "photo.png"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\cmd.exe", "cmd.exe"),
        ("C:evil.txt", "evil.txt"),
        ("C:\\Users\\x\\evil.txt", "evil.txt"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u2066a\u2067b\u2068c\u2069\u200e\u200f\u061cd\u202a\u202b\u202c\u202d.pdf", "abcd.pdf"),
        ("a\x00b\r\nc\x7f\x85.png", "abc.png"),
        ("照片 1.jpg", "照片 1.jpg"),
        ("  .hidden  ", "hidden"),
        ("report.pdf. . ", "report.pdf"),
        ("", None),
        (None, None),
        ("../", None),
        ("\u202e\x00..", None),
    ],
)
def test_clean_filename(name: str | None, safe: str | None) -> None:
    assert evidence_files.clean_filename(name) == safe


def test_a_long_name_is_cut_keeping_its_extension() -> None:
    cleaned = evidence_files.clean_filename("x" * 400 + ".jpeg")
    assert cleaned is not None and cleaned.endswith(".jpeg")
    assert len(cleaned.encode()) <= 255 and cleaned.startswith("xxxx")
    chinese = evidence_files.clean_filename("照" * 300 + ".png")
    assert chinese is not None and chinese.endswith(".png") and len(chinese.encode()) <= 255
    assert evidence_files.download_name(None, "ab" * 32) == "ab" * 32
    assert evidence_files.download_name("../\u202e", "ab" * 32) == "ab" * 32


def test_names_are_cleaned_when_stored_and_when_sent(desk: Desk) -> None:
    did = api_dispute(desk, "N1")
    r = upload(desk, "buyer", did, name="../../evil\u202egnp.exe.png")
    assert r.status_code == 201, r.json()
    item = r.json()["evidence"][-1]
    assert item["file"]["name"] == "evilgnp.exe.png"
    got = desk.get("buyer", item["file"]["download"])
    assert got.headers["content-disposition"] == 'attachment; filename="evilgnp.exe.png"'
    # an old row stored before names were cleaned
    with desk.db.begin() as conn:
        conn.execute(
            update(t.evidence)
            .where(t.evidence.c.id == item["id"])
            .values(file_name="..\\..\\x\u202e\x07\u200fgpj.pdf")
        )
    got = desk.get("buyer", item["file"]["download"])
    assert got.headers["content-disposition"] == 'attachment; filename="xgpj.pdf"'
    with desk.db.begin() as conn:
        conn.execute(update(t.evidence).values(file_name="\u202e/.."))
    got = desk.get("buyer", item["file"]["download"])
    sha = item["file"]["sha256"]
    assert got.headers["content-disposition"] == f'attachment; filename="{sha}"'
    # a name in Chinese goes as RFC 5987 filename*
    r = upload(desk, "buyer", did, name="照片.png")
    chinese = desk.get("buyer", r.json()["evidence"][-1]["file"]["download"])
    assert chinese.headers["content-disposition"] == (
        "attachment; filename*=utf-8''%E7%85%A7%E7%89%87.png"
    )


def test_the_desk_cleans_names_when_stored_and_when_sent(web: WebDesk) -> None:
    buyer = web_dispute(web, "W-4")
    assert web_upload(buyer, "W-4-D1", name="..\\a/b\u202etxt.png").status_code == 303
    with web.db.engine.connect() as conn:
        row = conn.execute(select(t.evidence)).one()
    assert row.file_name == "btxt.png"
    page = buyer.get("/desk/disputes/W-4-D1").text
    link = re.search(r'href="(/desk/evidence/\d+)"', page)
    assert link
    with web.db.begin() as conn:
        conn.execute(update(t.evidence).values(file_name="../x\u202e\x1b.pdf"))
    sent = buyer.get(link.group(1))
    assert sent.status_code == 200
    assert sent.headers["content-disposition"] == 'attachment; filename="x.pdf"'
    assert sent.headers["x-content-type-options"] == "nosniff"


# -- 4. the API's download: headers and documented types ----------------------------------------


def test_the_api_download_is_an_attachment_never_sniffed_nor_cached(desk: Desk) -> None:
    did = api_dispute(desk, "D1")
    item = upload(desk, "buyer", did).json()["evidence"][-1]
    got = desk.get("seller", item["file"]["download"])
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in got.headers["cache-control"]
    assert got.headers["content-disposition"].startswith("attachment;")


def test_the_download_content_types_are_documented_and_conform(desk: Desk) -> None:
    spec = desk.client.get("/openapi.json").json()
    responses = spec["paths"]["/evidence/{evidence_id}/file"]["get"]["responses"]
    documented = set(responses["200"]["content"])
    assert {"image/*", "application/pdf", "video/mp4", "video/webm", "text/plain"} <= documented
    for status in ("401", "404", "422"):
        assert "application/problem+json" in responses[status]["content"], status
    did = api_dispute(desk, "D2")
    ids = [
        upload(desk, "buyer", did).json()["evidence"][-1]["id"],
        upload(desk, "buyer", did, b"plain words\n", "a.txt").json()["evidence"][-1]["id"],
    ]
    schema = schemathesis.openapi.from_asgi("/openapi.json", desk.client.app)
    operation = schema["/evidence/{evidence_id}/file"]["GET"]
    for evidence_id in [*ids, 424242]:
        case = operation.Case(path_parameters={"evidence_id": evidence_id})
        response = case.call(headers=desk.h("buyer"))
        assert response.status_code in (200, 404)
        case.validate_response(response, checks=[content_type_conformance])


# -- 5. If-Match ---------------------------------------------------------------------------------


def test_evidence_honours_if_match(desk: Desk) -> None:
    did = api_dispute(desk, "M1")
    current = desk.get("buyer", f"/disputes/{did}").headers["etag"]
    desk.post("seller", f"/disputes/{did}/reject", {"note": "no"})  # the dispute changed
    stale = desk.post(
        "buyer",
        f"/disputes/{did}/evidence",
        data={"kind": "photo", "description": "x"},
        files={"file": ("a.png", PNG, "image/png")},
        headers={"If-Match": current},
    )
    assert stale.status_code == 412 and stale.json()["code"] == "conflict"
    assert stale.headers["content-type"] == "application/problem+json"
    assert stored_files(desk.data_dir) == []
    assert desk.get("buyer", f"/disputes/{did}").json()["evidence"] == []
    fresh = desk.get("buyer", f"/disputes/{did}").headers["etag"]
    ok = desk.post(
        "buyer",
        f"/disputes/{did}/evidence",
        data={"kind": "photo", "description": "x"},
        files={"file": ("a.png", PNG, "image/png")},
        headers={"If-Match": fresh},
    )
    assert ok.status_code == 201, ok.json()
    assert len(stored_files(desk.data_dir)) == 1


# -- 6. evidence ids -------------------------------------------------------------------------------


def test_evidence_ids_out_of_range_are_problems_not_500s(desk: Desk) -> None:
    for value in ("99999999999999999999", str(2**63), "0", "-1"):
        for path in (f"/evidence/{value}", f"/evidence/{value}/file"):
            r = desk.get("buyer", path)
            assert r.status_code in (404, 422), (path, r.status_code)
            assert r.headers["content-type"] == "application/problem+json", path
            assert r.json()["code"] in ("not_found", "invalid_input"), path
    assert desk.get("buyer", f"/evidence/{2**63 - 1}").status_code == 404


def test_desk_evidence_ids_out_of_range_are_not_found(web: WebDesk) -> None:
    buyer = web.login("buyer")
    for value in ("99999999999999999999", "0", "-1"):
        assert buyer.get(f"/desk/evidence/{value}").status_code == 404, value
