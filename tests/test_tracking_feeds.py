"""Tracking feeds, each through the real app and a real database on each backend: the AfterShip
and 17TRACK webhook receivers (signatures valid, wrong, missing, replayed; payload mapping;
unknown tracking numbers; malformed payloads that store nothing), the karrio poller over
recorded carrier responses, `disputedesk import --kind tracking`, `POST/GET
/orders/{id}/tracking`, the seller's manual entry on the desk, and "stored once" across feeds
and under concurrent ingest.

Recorded responses (tests/tracking/recorded/): `laposte_suivi_v2_EW112720413FR.json` and
`laposte_suivi_v2_error_400.json` are La Poste's Suivi v2 answers as karrio's own La Poste
connector tests record them (karrioapi/karrio, modules/connectors/laposte/tests/laposte/
test_tracking.py: `TrackingResponse`, `ErrorResponse`); `karrio_tracking_details_laposte.json`
is karrio's parsed form of the first (`ParsedTrackingResponse` there). No request leaves the
machine: a karrio proxy that replays the recording stands in for karrio's HTTP call.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select

from api_support import Desk, make_desk
from disputedesk.importing import import_file
from disputedesk.services import tracking as service
from disputedesk.services.tracking import CarrierEvent, check_event, ingest
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from web_support import csrf_of, make_web_desk, shipped_order

RECORDED = Path(__file__).parent / "tracking" / "recorded"
AFTERSHIP_SECRET = "as-webhook-secret-7f3a"
SEVENTEEN_KEY = "17track-api-key-91c2"
USPS_NUMBER = "9400109104250532908587"
CHINA_POST_NUMBER = "RR123456789CN"
RETURN_NUMBER = "LX998877665CN"


# -- builders -------------------------------------------------------------------------------------


def order_body(order_id: str) -> dict[str, Any]:
    return {
        "id": order_id,
        "store_id": "shop1",
        "buyer_id": "B1",
        "amount": "100.00",
        "shipping": "5.00",
        "currency": "USD",
        "placed_at": "2026-03-02T08:00:00Z",
        "promised_delivery_days": 30,
        "destination_country": "BR",
    }


def ship(desk: Desk, order_id: str, carrier: str, number: str) -> None:
    assert desk.post("seller", "/orders", order_body(order_id)).status_code == 201
    shipment = {"carrier": carrier, "tracking_number": number}
    assert desk.post("seller", f"/orders/{order_id}/ship", shipment).status_code == 200


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(db, tmp_path)
    app = d.client.app
    app.state.settings = app.state.settings.model_copy(
        update={
            "aftership_webhook_secret": SecretStr(AFTERSHIP_SECRET),
            "seventeen_track_api_key": SecretStr(SEVENTEEN_KEY),
        }
    )
    ship(d, "O1", "USPS", USPS_NUMBER)
    ship(d, "O2", "China Post", CHINA_POST_NUMBER)
    yield d
    d.client.close()


def stored(db: Database, order_id: str | None = None) -> list[dict[str, Any]]:
    query = select(t.tracking_events).order_by(t.tracking_events.c.id)
    if order_id is not None:
        query = query.where(t.tracking_events.c.order_id == order_id)
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def count(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(t.tracking_events)) or 0)


CHECKPOINTS = [
    {
        "slug": "usps",
        "city": "MIAMI",
        "state": "FL",
        "zip": "33166",
        "country_iso3": "USA",
        "country_name": "USA",
        "location": "MIAMI, FL 33166, USA",
        "message": "Shipping Label Created, USPS Awaiting Item",
        "tag": "InfoReceived",
        "subtag": "InfoReceived_001",
        "subtag_message": "Info Received",
        "checkpoint_time": "2026-03-03T10:12:00-05:00",
        "raw_tag": "GX",
    },
    {
        "slug": "usps",
        "city": "MIAMI",
        "state": "FL",
        "zip": "33166",
        "country_iso3": "USA",
        "message": "Arrived at USPS Regional Facility",
        "tag": "InTransit",
        "subtag": "InTransit_001",
        "checkpoint_time": "2026-03-04T08:00:00-05:00",
    },
    {
        "slug": "usps",
        "city": "SAO PAULO",
        "zip": "01311-000",
        "country_iso3": "BRA",
        "message": "Delivered, In/At Mailbox",
        "tag": "Delivered",
        "subtag": "Delivered_001",
        "subtag_message": "Delivered",
        "checkpoint_time": "2026-03-09T14:20:00-03:00",
    },
]


def aftership_body(number: str = USPS_NUMBER, checkpoints: Any = None) -> dict[str, Any]:
    return {
        "event": "tracking_update",
        "event_id": "5b1e2c0a-0f6d-4d39-9c55-3a3c2f1d9e10",
        "is_tracking_first_tag": True,
        "ts": 1772900000,
        "msg": {
            "id": "6a3f0c1b2d",
            "tracking_number": number,
            "slug": "usps",
            "tag": "Delivered",
            "subtag": "Delivered_001",
            "checkpoints": copy.deepcopy(CHECKPOINTS) if checkpoints is None else checkpoints,
        },
    }


def seventeen_body(number: str = CHINA_POST_NUMBER) -> dict[str, Any]:
    return {
        "event": "TRACKING_UPDATED",
        "data": {
            "number": number,
            "carrier": 3011,
            "param": None,
            "tag": "",
            "track_info": {
                "latest_status": {
                    "status": "InTransit",
                    "sub_status": "InTransit_CustomsProcessing",
                },
                "tracking": {
                    "providers_hash": 181120238,
                    "providers": [
                        {
                            "provider": {"key": 3011, "name": "China Post", "country": "CN"},
                            "events": [
                                {
                                    "time_iso": "2026-03-03T09:30:00+08:00",
                                    "time_utc": "2026-03-03T01:30:00Z",
                                    "description": "Posting/Collection",
                                    "location": "Shenzhen",
                                    "stage": "PickedUp",
                                    "sub_status": "InTransit_PickedUp",
                                    "address": {
                                        "country": "CN",
                                        "state": None,
                                        "city": "Shenzhen",
                                        "street": None,
                                        "postal_code": "518000",
                                    },
                                },
                                {
                                    "time_iso": "2026-03-05T22:10:00+08:00",
                                    "time_utc": "2026-03-05T14:10:00Z",
                                    "description": "Departure from outward office of exchange",
                                    "location": "Guangzhou",
                                    "stage": "InTransit",
                                    "sub_status": "InTransit_Other",
                                },
                            ],
                        },
                        {
                            "provider": {"key": 2151, "name": "Correios", "country": "BR"},
                            "events": [
                                {
                                    "time_iso": "2026-03-12T11:00:00-03:00",
                                    "time_utc": "2026-03-12T14:00:00Z",
                                    "description": "Objeto recebido pela unidade de "
                                    "fiscalização aduaneira",
                                    "location": "CURITIBA - PR",
                                    "stage": "InTransit",
                                    "sub_status": "InTransit_CustomsProcessing",
                                    "address": {"country": "BR", "city": "CURITIBA"},
                                }
                            ],
                        },
                    ],
                },
            },
        },
    }


def raw(body: Any) -> bytes:
    return json.dumps(body).encode()


def aftership_signed(body: bytes, secret: str = AFTERSHIP_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {"aftership-hmac-sha256": base64.b64encode(digest).decode(), **JSON}


def seventeen_signed(body: bytes, key: str = SEVENTEEN_KEY) -> dict[str, str]:
    return {"sign": hashlib.sha256(body + b"/" + key.encode()).hexdigest(), **JSON}


JSON = {"Content-Type": "application/json"}


def deliver(desk: Desk, path: str, body: bytes, headers: dict[str, str]) -> Any:
    return desk.client.post(path, content=body, headers=headers)


# -- AfterShip ------------------------------------------------------------------------------------


def test_aftership_delivery_is_stored_raw_and_normalised(desk: Desk) -> None:
    body = raw(aftership_body())
    r = deliver(desk, "/feeds/aftership", body, aftership_signed(body))
    assert r.status_code == 200, r.text
    assert r.json() == {
        "tracking_number": USPS_NUMBER,
        "events": 3,
        "stored": 3,
        "duplicates": 0,
        "orders": ["O1"],
        "ignored": None,
    }
    rows = stored(desk.db, "O1")
    assert [r["raw_code"] for r in rows] == ["InfoReceived_001", "InTransit_001", "Delivered_001"]
    first, _, last = rows
    assert first["source"] == "aftership" and first["leg"] == "outbound"
    assert first["carrier"] == "usps" and first["tracking_number"] == USPS_NUMBER
    assert first["description"] == "Shipping Label Created, USPS Awaiting Item"
    assert first["location"] == {
        "text": "MIAMI, FL 33166, USA",
        "city": "MIAMI",
        "state": "FL",
        "zip": "33166",
        "country": "USA",
    }
    assert first["at_text"] == "2026-03-03T10:12:00-05:00"
    assert first["at"].isoformat() == "2026-03-03T15:12:00+00:00"  # read as UTC
    assert first["extra"] == {
        "tag": "InfoReceived",
        "subtag_message": "Info Received",
        "raw_tag": "GX",
        "country_name": "USA",
    }
    assert first["payload"] == CHECKPOINTS[0]  # the checkpoint, as received
    assert last["location"] == {"city": "SAO PAULO", "zip": "01311-000", "country": "BRA"}
    assert last["status"] == "delivered" and not last["unclassified"]
    # the API shows them normalised, in the carriers' time order
    events = desk.get("seller", "/orders/O1/tracking").json()["events"]
    assert [e["status"] for e in events][-1] == "delivered"
    assert [e["source"] for e in events] == ["aftership"] * 3
    assert stored(desk.db, "O2") == []


def test_aftership_signature_wrong_or_missing_is_401_and_stores_nothing(desk: Desk) -> None:
    body = raw(aftership_body())
    good = aftership_signed(body)["aftership-hmac-sha256"]
    cases = {
        "missing": JSON,
        "wrong secret": aftership_signed(body, "another-secret"),
        "other body": aftership_signed(raw(aftership_body(checkpoints=[]))),
        "hex, not base64": {
            "aftership-hmac-sha256": hmac.new(
                AFTERSHIP_SECRET.encode(), body, hashlib.sha256
            ).hexdigest(),
            **JSON,
        },
        "truncated": {"aftership-hmac-sha256": good[:-4], **JSON},
        "17TRACK's header": seventeen_signed(body),
    }
    for name, headers in cases.items():
        r = deliver(desk, "/feeds/aftership", body, headers)
        assert r.status_code == 401, name
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "unauthorized", name
    assert "missing" in deliver(desk, "/feeds/aftership", body, JSON).json()["detail"]
    assert count(desk.db) == 0
    # a malformed body without a valid signature is still 401, never read
    r = deliver(desk, "/feeds/aftership", b"{not json", JSON)
    assert r.status_code == 401
    # without a configured secret, nothing is accepted, however it is signed
    app = desk.client.app
    app.state.settings = app.state.settings.model_copy(
        update={"aftership_webhook_secret": SecretStr("")}
    )
    r = deliver(desk, "/feeds/aftership", body, aftership_signed(body, ""))
    assert r.status_code == 401 and "no signing key" in r.json()["detail"]
    assert count(desk.db) == 0


def test_aftership_replay_is_recognised_and_answered_200(desk: Desk) -> None:
    body = raw(aftership_body())
    first = deliver(desk, "/feeds/aftership", body, aftership_signed(body))
    again = deliver(desk, "/feeds/aftership", body, aftership_signed(body))
    assert (first.status_code, again.status_code) == (200, 200)
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, 3)
    assert count(desk.db) == 3
    # a later delivery of the same tracking with one new checkpoint stores only that one
    more = [
        *CHECKPOINTS,
        {**CHECKPOINTS[2], "message": "Delivered, Front Door/Porch", "checkpoint_time": "x"},
    ]
    body = raw(aftership_body(checkpoints=more))
    r = deliver(desk, "/feeds/aftership", body, aftership_signed(body))
    assert (r.json()["stored"], r.json()["duplicates"]) == (1, 3)
    assert count(desk.db) == 4


def test_a_checkpoint_without_its_own_slug_takes_the_trackings(desk: Desk) -> None:
    checkpoint = {k: v for k, v in CHECKPOINTS[1].items() if k != "slug"}
    checkpoint.pop("subtag")  # no subtag: the tag is the code
    body = raw(aftership_body(checkpoints=[checkpoint]))
    assert deliver(desk, "/feeds/aftership", body, aftership_signed(body)).status_code == 200
    (row,) = stored(desk.db, "O1")
    assert (row["carrier"], row["raw_code"]) == ("usps", "InTransit")


# -- 17TRACK --------------------------------------------------------------------------------------


def test_seventeen_track_push_is_stored_raw_and_normalised(desk: Desk) -> None:
    body = raw(seventeen_body())
    r = deliver(desk, "/feeds/17track", body, seventeen_signed(body))
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 3 and r.json()["orders"] == ["O2"]
    rows = stored(desk.db, "O2")
    assert [(r["carrier"], r["raw_code"]) for r in rows] == [
        ("China Post", "InTransit_PickedUp"),
        ("China Post", "InTransit_Other"),
        ("Correios", "InTransit_CustomsProcessing"),
    ]
    first = rows[0]
    assert first["source"] == "17track"
    assert first["at_text"] == "2026-03-03T09:30:00+08:00"
    assert first["at"].isoformat() == "2026-03-03T01:30:00+00:00"
    assert first["location"] == {
        "text": "Shenzhen",
        "city": "Shenzhen",
        "zip": "518000",
        "country": "CN",
    }
    assert first["extra"] == {"stage": "PickedUp"}
    assert first["payload"]["address"]["postal_code"] == "518000"  # the event, as received
    assert rows[2]["description"] == "Objeto recebido pela unidade de fiscalização aduaneira"
    assert stored(desk.db, "O1") == []


def test_seventeen_track_signature_wrong_or_missing_is_401(desk: Desk) -> None:
    body = raw(seventeen_body())
    sign = seventeen_signed(body)["sign"]
    cases = {
        "missing": JSON,
        "wrong key": seventeen_signed(body, "another-key"),
        "key without the slash": {
            "sign": hashlib.sha256(body + SEVENTEEN_KEY.encode()).hexdigest(),
            **JSON,
        },
        "other body": seventeen_signed(raw(seventeen_body("RR000000000CN"))),
        "AfterShip's header": aftership_signed(body),
    }
    for name, headers in cases.items():
        r = deliver(desk, "/feeds/17track", body, headers)
        assert (r.status_code, r.json()["code"]) == (401, "unauthorized"), name
    assert count(desk.db) == 0
    # the hex digest is read without regard to case
    upper = {"sign": sign.upper(), **JSON}
    assert deliver(desk, "/feeds/17track", body, upper).status_code == 200


def test_seventeen_track_replay_and_stopped(desk: Desk) -> None:
    body = raw(seventeen_body())
    assert deliver(desk, "/feeds/17track", body, seventeen_signed(body)).json()["stored"] == 3
    again = deliver(desk, "/feeds/17track", body, seventeen_signed(body))
    assert again.status_code == 200
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, 3)
    stopped = raw({"event": "TRACKING_STOPPED", "data": {"number": CHINA_POST_NUMBER}})
    r = deliver(desk, "/feeds/17track", stopped, seventeen_signed(stopped))
    assert r.status_code == 200 and r.json()["stored"] == 0
    assert "TRACKING_STOPPED" in r.json()["ignored"]
    assert count(desk.db) == 3


# -- what no feed may store -----------------------------------------------------------------------


def _aftership(mutate: Any) -> Any:
    body = aftership_body()
    mutate(body)
    return body


MALFORMED_AFTERSHIP: list[tuple[str, Any, str]] = [
    ("not JSON", b'{"msg": ', "body: not JSON"),
    ("not UTF-8", b'{"msg": "\xff"}', "body: not UTF-8"),
    ("empty", b"", "body: empty"),
    ("a list", [], "body: must be an object"),
    ("NaN", b'{"msg": {"tracking_number": "X", "n": NaN}}', "body: not JSON"),
    ("no msg", {"event": "tracking_update"}, "msg: must be an object"),
    ("no number", _aftership(lambda b: b["msg"].pop("tracking_number")), "msg.tracking_number"),
    ("checkpoints", _aftership(lambda b: b["msg"].update(checkpoints={})), "msg.checkpoints"),
    (
        "a checkpoint that is not an object",
        _aftership(lambda b: b["msg"]["checkpoints"].append("x")),
        "msg.checkpoints[3]: must be an object",
    ),
    (
        "a checkpoint with neither text nor code",
        _aftership(lambda b: b["msg"]["checkpoints"].append({"checkpoint_time": "2026"})),
        "msg.checkpoints[3].message",
    ),
    (
        "a NUL in the text",
        _aftership(lambda b: b["msg"]["checkpoints"][1].update(message="Arrived\u0000")),
        "msg.checkpoints[1].message: must not contain a NUL",
    ),
    (
        "a NUL in a side field",
        _aftership(lambda b: b["msg"]["checkpoints"][1].update(note="x\u0000")),
        "msg.checkpoints[1].note: must not contain a NUL",
    ),
    (
        "a text too long",
        _aftership(lambda b: b["msg"]["checkpoints"][0].update(message="x" * 2001)),
        "msg.checkpoints[0].message: at most 2000",
    ),
    (
        "a city that is not text",
        _aftership(lambda b: b["msg"]["checkpoints"][0].update(city={"name": "x"})),
        "msg.checkpoints[0].city: must be text",
    ),
]


@pytest.mark.parametrize(("name", "body", "says"), MALFORMED_AFTERSHIP)
def test_a_malformed_aftership_delivery_is_422_with_the_reason(
    desk: Desk, name: str, body: Any, says: str
) -> None:
    content = body if isinstance(body, bytes) else raw(body)
    r = deliver(desk, "/feeds/aftership", content, aftership_signed(content))
    assert r.status_code == 422, (name, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "invalid_input"
    assert says in r.json()["detail"], (name, r.json()["detail"])
    assert count(desk.db) == 0, name  # the good checkpoints of the delivery are not stored


def _seventeen(mutate: Any) -> Any:
    body = seventeen_body()
    mutate(body)
    return body


MALFORMED_SEVENTEEN: list[tuple[str, Any, str]] = [
    ("no event", {"data": {}}, "event: required"),
    ("unknown event", _seventeen(lambda b: b.update(event="HELLO")), "'HELLO' is not"),
    ("no data", {"event": "TRACKING_UPDATED"}, "data: must be an object"),
    ("no number", _seventeen(lambda b: b["data"].pop("number")), "data.number"),
    ("no track_info", _seventeen(lambda b: b["data"].pop("track_info")), "data.track_info"),
    (
        "providers not a list",
        _seventeen(lambda b: b["data"]["track_info"]["tracking"].update(providers="x")),
        "data.track_info.tracking.providers: must be a list",
    ),
    (
        "an event without text or code",
        _seventeen(
            lambda b: b["data"]["track_info"]["tracking"]["providers"][0]["events"].append(
                {"time_iso": "2026-03-06T00:00:00Z"}
            )
        ),
        "data.track_info.tracking.providers[0].events[2].description",
    ),
    (
        "an address that is not an object",
        _seventeen(
            lambda b: b["data"]["track_info"]["tracking"]["providers"][1]["events"][0].update(
                address="CURITIBA"
            )
        ),
        "providers[1].events[0].address: must be an object",
    ),
]


@pytest.mark.parametrize(("name", "body", "says"), MALFORMED_SEVENTEEN)
def test_a_malformed_17track_push_is_422_with_the_reason(
    desk: Desk, name: str, body: Any, says: str
) -> None:
    content = raw(body)
    r = deliver(desk, "/feeds/17track", content, seventeen_signed(content))
    assert r.status_code == 422, (name, r.text)
    assert r.json()["code"] == "invalid_input"
    assert says in r.json()["detail"], (name, r.json()["detail"])
    assert count(desk.db) == 0, name


def test_an_unknown_tracking_number_is_404_and_stores_nothing(desk: Desk) -> None:
    body = raw(aftership_body("LZ000000000CN"))
    r = deliver(desk, "/feeds/aftership", body, aftership_signed(body))
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert "'LZ000000000CN' belongs to no order" in r.json()["detail"]
    body = raw(seventeen_body("LZ000000000CN"))
    r = deliver(desk, "/feeds/17track", body, seventeen_signed(body))
    assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert count(desk.db) == 0


def test_a_body_over_the_limit_is_413_before_its_signature(desk: Desk) -> None:
    app = desk.client.app
    app.state.settings = app.state.settings.model_copy(update={"max_body_bytes": 2048})
    checkpoints = [CHECKPOINTS[0]] * 40
    body = raw(aftership_body(checkpoints=checkpoints))
    r = deliver(desk, "/feeds/aftership", body, aftership_signed(body))
    assert (r.status_code, r.json()["code"]) == (413, "payload_too_large")
    assert count(desk.db) == 0


def test_a_buyers_return_number_is_found_and_stored_as_the_return_leg(desk: Desk) -> None:
    desk.clock.advance(days=6)
    opened = desk.post(
        "buyer",
        "/orders/O2/disputes",
        {
            "reason": "not_as_described.damaged",
            "goods_received": True,
            "plan": {"type": "return_and_refund", "amount": "105.00"},
        },
    )
    assert opened.status_code == 201, opened.text
    dispute = opened.json()["id"]
    assert desk.post("seller", f"/disputes/{dispute}/accept").status_code == 200
    returned = {"carrier": "Correios", "tracking_number": RETURN_NUMBER}
    r = desk.post("buyer", f"/disputes/{dispute}/ship-return", returned)
    assert r.status_code == 200, r.text
    body = seventeen_body(RETURN_NUMBER.lower())  # numbers are matched without case
    content = raw(body)
    r = deliver(desk, "/feeds/17track", content, seventeen_signed(content))
    assert r.status_code == 200, r.text
    assert r.json()["orders"] == ["O2"]
    assert {row["leg"] for row in stored(desk.db, "O2")} == {"return"}


def test_the_feeds_are_in_the_openapi_document(desk: Desk) -> None:
    doc = desk.client.get("/openapi.json").json()
    for path, header, field in (
        ("/feeds/aftership", "aftership-hmac-sha256", "msg"),
        ("/feeds/17track", "sign", "data"),
    ):
        post = doc["paths"][path]["post"]
        schema = post["requestBody"]["content"]["application/json"]["schema"]
        assert field in schema["properties"] and "$ref" not in json.dumps(schema)
        assert [p["name"] for p in post["parameters"]] == [header]
        assert {"200", "401", "404", "413", "422"} <= set(post["responses"])
        assert "security" not in post


# -- POST / GET /orders/{id}/tracking -------------------------------------------------------------


def test_post_tracking_stores_through_the_feed_path(desk: Desk) -> None:
    event = {
        "description": "Delivered, In/At Mailbox",
        "raw_code": "01",
        "location": {"city": "SAO PAULO", "zip": "01311-000", "country": "BR"},
        "at": "2026-03-09 14:20 BRT",
        "extra": {"signatory": "MAILBOX"},
    }
    r = desk.post("seller", "/orders/O1/tracking", event)
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["stored"], body["duplicates"]) == (1, 0)
    (shown,) = body["events"]
    assert shown["new"] is True and shown["source"] == "api" and shown["leg"] == "outbound"
    assert shown["carrier"] == "USPS" and shown["tracking_number"] == USPS_NUMBER  # the order's
    assert shown["at"] == "2026-03-09T17:20:00Z" and shown["at_text"] == "2026-03-09 14:20 BRT"
    assert shown["status"] == "delivered"
    (row,) = stored(desk.db, "O1")
    assert row["extra"] == {"signatory": "MAILBOX"} and row["payload"] == event
    # the same event again: a duplicate, nothing stored
    again = desk.post("seller", "/orders/O1/tracking", event)
    assert again.status_code == 201
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, 1)
    assert again.json()["events"][0]["new"] is False
    assert count(desk.db) == 1
    # the old shape: `status` is the carrier's word, read as the code
    old = desk.post("seller", "/orders/O1/tracking", {"status": "NOTICE LEFT", "location": "X"})
    assert old.status_code == 201, old.text
    assert old.json()["events"][0]["raw_code"] == "NOTICE LEFT"
    assert old.json()["events"][0]["location"] == {"text": "X"}
    # the GET lists them normalised, beside the shipment
    got = desk.get("seller", "/orders/O1/tracking").json()
    assert got["carrier"] == "USPS" and got["tracking_number"] == USPS_NUMBER
    assert got["shipments"] == [
        {
            "at": "2026-03-02T08:00:00Z",
            "action": "ship",
            "carrier": "USPS",
            "tracking_number": USPS_NUMBER,
        }
    ]
    assert [e["raw_code"] for e in got["events"]] == ["01", "NOTICE LEFT"]  # unknown time last
    keys = {"status", "notice_left", "unclassified", "at", "carrier", "description"}
    assert keys | {"location", "leg", "source"} <= set(got["events"][0])


def test_post_tracking_refusals(desk: Desk) -> None:
    nothing = desk.post("seller", "/orders/O1/tracking", {"at": "2026-03-09"})
    assert nothing.status_code == 422
    assert "description or a raw_code" in nothing.json()["detail"]
    bad_place = desk.post(
        "seller", "/orders/O1/tracking", {"description": "x", "location": {"street": "1"}}
    )
    assert bad_place.status_code == 422
    nul = desk.post("seller", "/orders/O1/tracking", {"description": "x", "extra": {"a": "\x00"}})
    assert nul.status_code == 422
    assert desk.post("buyer", "/orders/O1/tracking", {"description": "x"}).status_code == 403
    assert desk.post("seller2", "/orders/O1/tracking", {"description": "x"}).status_code == 404
    assert count(desk.db) == 0


# -- stored once, across feeds and under concurrency ----------------------------------------------


def test_the_same_event_from_two_feeds_is_stored_once(desk: Desk, tmp_path: Path) -> None:
    body = raw(aftership_body())
    assert deliver(desk, "/feeds/aftership", body, aftership_signed(body)).json()["stored"] == 3
    # the same scan, typed into the API with the same words, code, place and time
    cp = CHECKPOINTS[2]
    same = {
        "description": "  Delivered,  In/At Mailbox ",  # white space does not matter
        "raw_code": cp["subtag"],
        "carrier": "USPS",  # nor the case of the carrier's name
        "tracking_number": USPS_NUMBER.lower(),
        "at": cp["checkpoint_time"],
        "location": {"city": cp["city"], "zip": cp["zip"], "country": cp["country_iso3"]},
    }
    r = desk.post("seller", "/orders/O1/tracking", same)
    assert (r.json()["stored"], r.json()["duplicates"]) == (0, 1)
    # ... and imported from a file by tracking number
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps({**same, "tracking_number": USPS_NUMBER}) + "\n")
    report = import_file(desk.db, path, kind="tracking")
    assert (report.imported, report.already, report.bad) == (0, 1, 0)
    assert count(desk.db) == 3
    # a different time is a different event
    r = desk.post("seller", "/orders/O1/tracking", {**same, "at": "2026-03-10T09:00:00-03:00"})
    assert r.json()["stored"] == 1


def test_concurrent_ingest_of_the_same_event_stores_one_row(db: Database) -> None:
    """Two threads deliver the same events at once, each in its own transaction: every event is
    stored once, and the two reports say so (on PostgreSQL the unique index decides, ON
    CONFLICT DO NOTHING; SQLite serialises writers)."""
    from disputedesk.services.orders import check_order, create_order

    create_order(db, check_order({**order_body("C1"), "store_id": "s", "buyer_id": "b"}))
    rounds = 15
    barrier = threading.Barrier(2)
    reports: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def run(slot: int) -> None:
        try:
            for n in range(rounds):
                event = check_event({"description": f"Arrived at facility {n}", "at": f"{n}"})
                barrier.wait(timeout=30)
                reports[slot].append(ingest(db, "C1", [event], source="api").stored)
        except BaseException as exc:  # the assertion below shows it
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert count(db) == rounds
    assert [a + b for a, b in zip(*reports, strict=True)] == [1] * rounds


# -- the karrio poller, over recorded responses ---------------------------------------------------


@pytest.fixture
def recorded_laposte() -> Any:
    """A karrio La Poste gateway whose HTTP call replays the recorded Suivi v2 answers: the
    delivered parcel's for EW112720413FR, the 400 refusal for any other number."""
    pytest.importorskip("karrio.mappers.laposte", reason="karrio's La Poste connector")
    from karrio import lib
    from karrio.mappers.laposte.proxy import Proxy

    from disputedesk.tracking.feeds.karrio_provider import create_gateway

    found = (RECORDED / "laposte_suivi_v2_EW112720413FR.json").read_text()
    refused = (RECORDED / "laposte_suivi_v2_error_400.json").read_text()
    asked: list[list[str]] = []

    class Replay(Proxy):
        def get_tracking(self, request: Any) -> Any:
            numbers = list(request.serialize())
            asked.append(numbers)
            return lib.Deserializable(
                found if numbers == ["EW112720413FR"] else refused, lib.to_dict
            )

    def factory(name: str, settings: Any) -> Any:
        gateway = create_gateway(name, settings)
        gateway.proxy = Replay(gateway.settings)
        return gateway

    return factory, asked


def test_the_karrio_poller_stores_recorded_events_once(desk: Desk, recorded_laposte: Any) -> None:
    from disputedesk.tracking.feeds.karrio_provider import KarrioProvider

    factory, asked = recorded_laposte
    ship(desk, "O3", "La Poste", "EW112720413FR")
    ship(desk, "O4", "Colissimo", "XX000000000FR")
    ship(desk, "O5", "Yanwen", "UG111111111YP")
    provider = KarrioProvider(
        {"laposte": {"api_key": "recorded", "aliases": ["Colissimo"]}}, gateway_factory=factory
    )
    assert provider.handles("La Poste") and provider.handles("la-poste")
    assert provider.handles("COLISSIMO") and not provider.handles("Yanwen")
    report = service.poll(desk.db, provider, now=desk.clock.now)
    assert sorted(asked) == [["EW112720413FR"], ["XX000000000FR"]]
    assert (report.asked, report.events, report.stored, report.duplicates) == (2, 9, 9, 0)
    assert report.not_configured == {"USPS": 1, "China Post": 1, "Yanwen": 1}
    assert len(report.problems) == 1 and "400" in report.problems[0]
    assert "n’est pas valide" in report.problems[0]
    rows = stored(desk.db, "O3")
    assert {r["source"] for r in rows} == {"karrio"}
    assert {r["carrier"] for r in rows} == {"La Poste"}  # as the order names it
    delivered = next(r for r in rows if r["raw_code"] == "DI1")
    assert delivered["description"] == "Votre colis est livré."
    assert delivered["at_text"] == "2023-03-09T09:38:00.000Z"
    assert delivered["payload"]["status"] == "delivered"  # karrio's event, kept raw
    assert delivered["status"] == "delivered"
    again = service.poll(desk.db, provider, now=desk.clock.now)
    assert (again.stored, again.duplicates) == (0, 9)
    assert count(desk.db) == 9


def test_a_carrier_that_fails_does_not_stop_the_poll(desk: Desk) -> None:
    class Flaky:
        def __init__(self) -> None:
            self.problems: list[str] = []

        def handles(self, carrier: str) -> bool:
            return True

        def fetch(self, carrier: str, numbers: Any) -> list[tuple[str, CarrierEvent]]:
            if carrier == "USPS":
                raise TimeoutError("no answer in 30 s")
            event = check_event({"description": "Posting", "tracking_number": numbers[0]})
            return [(numbers[0], event), ("NOT-ASKED", event)]

    report = service.poll(desk.db, Flaky(), now=desk.clock.now)
    assert report.problems == ["USPS: TimeoutError: no answer in 30 s"]
    assert (report.asked, report.stored) == (2, 1)
    assert [r["order_id"] for r in stored(desk.db)] == ["O2"]


def test_recorded_karrio_details_become_events() -> None:
    pytest.importorskip("karrio")
    from karrio import lib
    from karrio.core.models import TrackingDetails

    from disputedesk.tracking.feeds.karrio_provider import events_from_details

    recorded = json.loads((RECORDED / "karrio_tracking_details_laposte.json").read_text())
    details, messages = recorded
    assert messages == []
    objects = [lib.to_object(TrackingDetails, d) for d in details]
    events = events_from_details(objects)
    assert len(events) == 9 and {n for n, _ in events} == {"EW112720413FR"}
    _, first = events[0]
    assert (first.carrier, first.raw_code, first.at) == (
        "laposte",
        "DI1",
        "2023-03-09T09:38:00.000Z",
    )
    assert first.description == "Votre colis est livré."
    assert first.tracking_number == "EW112720413FR" and first.location is None
    assert first.payload["status"] == "delivered"
    # the dicts read the same as the objects, and the order's name for the carrier wins
    assert [e.raw_code for _, e in events_from_details(details, "La Poste")] == [
        e.raw_code for _, e in events
    ]
    assert {e.carrier for _, e in events_from_details(details, "La Poste")} == {"La Poste"}


# -- import ---------------------------------------------------------------------------------------


GOOD_CSV = f"""order_id,tracking_number,carrier,raw_code,description,at,location,city,zip,country
O1,,,,Arrived at USPS Regional Facility,2026-03-04T08:00:00-05:00,,MIAMI,33166,US
,{CHINA_POST_NUMBER},China Post,,Posting/Collection,2026-03-03 09:30,"{{""city"": ""Shenzhen""}}",,,
,{CHINA_POST_NUMBER.lower()},Correios,BDE/01,Objeto entregue,2026-03-20 10:00,CURITIBA - PR,,,
"""


def test_import_tracking_good_file_then_again_changes_nothing(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "tracking.csv"
    path.write_text(GOOD_CSV)
    report = import_file(desk.db, path)  # told by its columns
    assert report.kind == "tracking"
    assert (report.imported, report.already, report.bad) == (3, 0, 0), report.bad_rows.first
    (o1,) = stored(desk.db, "O1")
    assert (o1["carrier"], o1["tracking_number"], o1["source"]) == ("USPS", USPS_NUMBER, "import")
    assert o1["location"] == {"city": "MIAMI", "zip": "33166", "country": "US"}
    o2 = stored(desk.db, "O2")
    assert [r["location"] for r in o2] == [{"city": "Shenzhen"}, {"text": "CURITIBA - PR"}]
    assert o2[1]["raw_code"] == "BDE/01" and o2[1]["payload"]["carrier"] == "Correios"
    again = import_file(desk.db, path)
    assert (again.imported, again.already, again.bad) == (0, 3, 0)
    assert count(desk.db) == 3


BAD_JSONL = [
    {"order_id": "O1", "description": "Arrived at facility", "at": "2026-03-04"},
    {"order_id": "O9", "description": "Arrived"},
    {"tracking_number": "LZ000000000CN", "description": "Arrived"},
    {"order_id": "O1", "at": "2026-03-04"},
    {"order_id": "O1", "description": "x", "location": {"street": "Rua 1"}},
    {"order_id": "O1", "description": "x\u0000"},
    {"description": "nobody's"},
    {"order_id": "O1", "description": "Arrived at facility", "at": "2026-03-04"},  # repeat
    {"order_id": "O1", "description": "x", "colour": "red"},
]


def test_import_tracking_bad_rows(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "tracking.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in BAD_JSONL) + "\n")
    report = import_file(desk.db, path, kind="tracking")
    assert report.stopped and report.imported == 0
    assert [str(b) for b in report.bad_rows.first] == [
        "2: order_id: order 'O9' not found",
        "3: tracking_number: 'LZ000000000CN' belongs to no order (nor a buyer's return)",
        "4: description: an event needs a description or a raw_code",
        "5: location.street: unknown; known: city, state, zip, country, facility, text",
        "6: description: must not contain a NUL character",
        "7: order_id: a row needs an order_id or a tracking_number",
        "9: colour: unknown column (known: order_id, tracking_number, carrier, raw_code, "
        "description, at, location, city, state, zip, country, facility, extra)",
    ]
    assert count(desk.db) == 0
    skipped = import_file(desk.db, path, kind="tracking", skip_bad_rows=True)
    assert (skipped.imported, skipped.already, skipped.bad) == (1, 1, 7)
    assert count(desk.db) == 1


def test_import_tracking_from_the_command_line(desk: Desk, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from disputedesk.cli import app

    path = tmp_path / "t.csv"
    path.write_text('order_id,description,location\nO1,Arrived,"{""city"": 1"\n')
    env = {"DISPUTEDESK_DATABASE_URL": desk.db.url}
    runner = CliRunner()
    bad = runner.invoke(app, ["import", "--kind", "tracking", str(path)], env=env)
    assert bad.exit_code == 1
    assert '2: location: not a JSON object, e.g. {"city": "Curitiba"}' in bad.output
    path.write_text("order_id,description,city\nO1,Arrived,Miami\n")
    ok = runner.invoke(app, ["import", "--kind", "tracking", str(path)], env=env)
    assert ok.exit_code == 0, ok.output
    assert "tracking: imported 1, already there 0, bad 0" in ok.output
    assert count(desk.db) == 1


# -- the desk's manual entry ----------------------------------------------------------------------


@pytest.fixture
def web(db: Database, tmp_path: Path) -> Any:
    w = make_web_desk(db, tmp_path)
    shipped_order(w, "W1")
    return w


def _rows_of(db: Database, order_id: str) -> list[dict[str, Any]]:
    return stored(db, order_id)


def test_the_seller_records_a_tracking_event_by_hand(web: Any) -> None:
    seller = web.login("seller", time_zone="Asia/Shanghai")
    page = seller.get("/desk/orders/W1")
    assert page.status_code == 200
    assert (
        'action="/desk/orders/W1/tracking"' in page.text and 'list="tracking-carriers"' in page.text
    )
    form = {
        "csrf_token": csrf_of(page.text),
        "carrier": "",  # the order's
        "description": "Arrived at the post office, notice left",
        "place": "Madrid",
        "at": "2026-03-01T14:30",
    }
    r = seller.post("/desk/orders/W1/tracking", data=form)
    assert r.status_code == 303
    assert r.headers["location"] == "/desk/orders/W1?done=add_tracking#tracking-entry"
    (row,) = _rows_of(web.db, "W1")
    assert (row["source"], row["carrier"], row["tracking_number"]) == ("manual", "Cainiao", "LPW1")
    assert row["at_text"] == "2026-03-01T14:30:00+08:00"  # typed in the seller's time zone
    assert row["at"].isoformat() == "2026-03-01T06:30:00+00:00"
    assert row["location"] == {"text": "Madrid"}
    done = seller.get(r.headers["location"])
    assert "Record the tracking event" in done.text
    # the same again: recognised, nothing stored
    again = seller.post("/desk/orders/W1/tracking", data=form)
    assert again.headers["location"] == "/desk/orders/W1?done=tracking_already#tracking-entry"
    assert len(_rows_of(web.db, "W1")) == 1


def test_refused_manual_entries_come_back_with_the_form_and_the_reason(web: Any) -> None:
    seller = web.login("seller", locale="zh_CN")
    page = seller.get("/desk/orders/W1")
    token = csrf_of(page.text)
    base = {"csrf_token": token, "carrier": "Correos", "place": "Vigo", "at": "2026-03-05T14:30"}
    cases = [
        ({**base, "description": "   "}, "请填写物流商的描述。"),
        ({**base, "description": "Entregado", "at": "yesterday"}, "请填写物流商显示的日期和时间。"),
        ({**base, "description": "Entregado", "at": "2027-01-01T00:00"}, "该时间晚于当前时间"),
    ]
    for data, reason in cases:
        r = seller.post("/desk/orders/W1/tracking", data=data)
        assert r.status_code == 422, data
        assert reason in r.text
        assert 'id="tracking-entry-error"' in r.text
        assert 'value="Vigo"' in r.text and 'value="Correos"' in r.text  # what was typed
    assert _rows_of(web.db, "W1") == []
    # without the form's CSRF token: refused, nothing stored
    forged = seller.post("/desk/orders/W1/tracking", data={**base, "csrf_token": "x"})
    assert forged.status_code == 403
    # a buyer, or another store's seller, may not
    buyer = web.login("buyer")
    b_token = csrf_of(buyer.get("/desk/orders/W1").text)
    r = buyer.post("/desk/orders/W1/tracking", data={**base, "csrf_token": b_token})
    assert r.status_code == 403
    other = web.login("seller2")
    o_token = csrf_of(other.get("/desk/orders").text)
    r = other.post(
        "/desk/orders/W1/tracking", data={**base, "description": "x", "csrf_token": o_token}
    )
    assert r.status_code == 404
    assert _rows_of(web.db, "W1") == []


def test_a_client_without_cookies_is_sent_to_sign_in(web: Any) -> None:
    anonymous = TestClient(web.app, base_url="https://testserver", follow_redirects=False)
    r = anonymous.post("/desk/orders/W1/tracking", data={"description": "x"})
    assert r.status_code == 303 and r.headers["location"].startswith("/desk/login")


def test_tracking_poll_from_the_command_line(desk: Desk) -> None:
    from typer.testing import CliRunner

    from disputedesk.cli import app

    pytest.importorskip("karrio.mappers.laposte", reason="karrio's La Poste connector")
    runner = CliRunner()
    env = {"DISPUTEDESK_DATABASE_URL": desk.db.url, "DISPUTEDESK_KARRIO_CARRIERS": ""}
    nothing = runner.invoke(app, ["tracking", "poll", "--once"], env=env)
    assert nothing.exit_code == 2 and "no carrier is configured" in nothing.output
    env["DISPUTEDESK_KARRIO_CARRIERS"] = '{"nosuchpost": {}}'
    unknown = runner.invoke(app, ["tracking", "poll", "--once"], env=env)
    assert unknown.exit_code == 2
    assert "karrio has no carrier 'nosuchpost' installed" in unknown.output
    # La Poste configured, no La Poste parcel on its way: nothing is asked (no request made)
    env["DISPUTEDESK_KARRIO_CARRIERS"] = '{"laposte": {"api_key": "k"}}'
    run = runner.invoke(app, ["tracking", "poll", "--once"], env=env)
    assert run.exit_code == 0, run.output
    assert "asked about 0 parcel(s): 0 event(s), stored 0, already there 0" in run.output
    assert "no credentials for USPS: 1 parcel(s) not asked about" in run.output
