"""Delivery facts and shipment alerts where people see them: the API's order and dispute views
(`delivery_facts`), `/stores/{id}/alerts`, the desk's dispute, case and order pages (in words, in
English and Simplified Chinese, never a raw status code), and the seller's inbox (alerts above
the disputes, the one-click "extend delivery by 30 days", dismiss)."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select

from api_support import make_desk
from disputedesk.services import commands, shipment_watch
from disputedesk.services.orders import check_order, create_order
from disputedesk.store import tables as t
from disputedesk.store.db import Database
from disputedesk.tracking.watch import WatchPolicy
from web_support import csrf_of, make_web_desk, post_form

# The taxonomy's codes that are not also plain English words: none may reach a page.
RAW_CODES = re.compile(
    r"\b(no_info|info_received|in_transit|arrived_dest_country|in_customs|action_required|"
    r"at_local_office|out_for_delivery|available_for_pickup|delivery_attempted)\b"
)
CORREIOS_PAY = "Importação autorizada pela autoridade competente - Aguardando pagamento"
POLICY = WatchPolicy(silence_days=7, silence_days_by_country={})


def add_event(
    db: Database, order_id: str, status: str, at: datetime, description: str, **kw: Any
) -> None:
    """A classified carrier event, stored as `services.tracking` stores one."""
    identity = f"{order_id}|{status}|{at.isoformat()}|{description}"
    row = {
        "order_id": order_id,
        "leg": "outbound",
        "source": "api",
        "carrier": "Correios",
        "tracking_number": f"NC{order_id}BR",
        "raw_code": kw.get("raw_code"),
        "description": description,
        "location": kw.get("location"),
        "at_text": at.isoformat(),
        "at": at,
        "extra": kw.get("extra"),
        "payload": {"description": description},
        "status": status,
        "notice_left": kw.get("notice_left"),
        "unclassified": kw.get("unclassified", False),
        "fingerprint": hashlib.sha256(identity.encode()).hexdigest(),
        "received_at": at,
    }
    with db.begin() as conn:
        conn.execute(insert(t.tracking_events), [row])


def brazil_order(
    db: Database, now: datetime, order_id: str, *, days_ago: int = 12, promised: int = 30
) -> datetime:
    """A shop1 order of buyer B1 to São Paulo, shipped `days_ago` days before `now`."""
    shipped = now - timedelta(days=days_ago)
    create_order(
        db,
        check_order(
            {
                "id": order_id,
                "store_id": "shop1",
                "buyer_id": "B1",
                "amount": "40.00",
                "shipping": "5.00",
                "currency": "USD",
                "placed_at": (shipped - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "promised_delivery_days": promised,
                "destination_country": "BR",
                "shipping_address": {
                    "recipient": "John Smith",
                    "line1": "Av. Paulista 1000",
                    "city": "São Paulo",
                    "zip": "01310-100",
                    "country": "BR",
                },
                "items": [{"title": "Bluetooth speaker", "quantity": 1}],
            }
        ),
        now=shipped - timedelta(hours=3),
    )
    assert commands.ship(
        db, order_id, carrier="Correios", tracking_number=f"NC{order_id}BR", at=shipped
    ).ok
    return shipped


def held_for_duties(db: Database, order_id: str, shipped: datetime) -> None:
    add_event(db, order_id, "accepted", shipped + timedelta(hours=5), "Objeto postado")
    add_event(db, order_id, "in_transit", shipped + timedelta(days=2), "Objeto em trânsito")
    add_event(
        db,
        order_id,
        "in_customs",
        shipped + timedelta(days=6),
        "Informações enviadas para análise da autoridade aduaneira/órgãos anuentes",
        location={"text": "Curitiba / PR"},
    )
    add_event(
        db,
        order_id,
        "action_required",
        shipped + timedelta(days=7),
        CORREIOS_PAY,
        location={"text": "Curitiba / PR"},
    )


def delivered(db: Database, order_id: str, shipped: datetime) -> None:
    add_event(db, order_id, "accepted", shipped + timedelta(hours=5), "Objeto postado")
    add_event(
        db,
        order_id,
        "delivered",
        shipped + timedelta(days=9, hours=2),
        "Objeto entregue ao destinatário",
        location={"city": "SAO PAULO", "state": "SP", "zip": "01310100"},
        extra={"signatory": "J SMITH"},
    )


def no_raw_codes(html: str) -> None:
    """No status code in what the page says (its text; form values such as the reason filter's
    `not_received.in_transit` are the form's, not words)."""
    found = RAW_CODES.findall(re.sub(r"<[^>]*>", " ", html))
    assert not found, f"raw tracking codes on the page: {sorted(set(found))}"


# -- the API ---------------------------------------------------------------------------------------


@pytest.fixture
def api(db, tmp_path):
    return make_desk(db, tmp_path)


def test_the_api_order_view_has_delivery_facts(api):
    shipped = brazil_order(api.db, api.clock.now, "A-1")
    held_for_duties(api.db, "A-1", shipped)
    response = api.get("seller", "/orders/A-1")
    assert response.status_code == 200
    facts = response.json()["delivery_facts"]
    assert facts["stage"] == "action_required"
    assert facts["as_of"] == "2026-03-02T08:00:00Z"
    assert facts["first_valid_scan"]["description"] == "Objeto postado"
    assert facts["in_customs_since"] == "2026-02-24T08:00:00Z" and facts["customs_days"] == 6
    assert facts["days_without_news"] == 5
    assert facts["action_required"]["what"] == "pay_duties"
    assert facts["action_required"]["by"] == "buyer"
    assert facts["reading"] == {
        "kind": "duties_due_from_buyer",
        "principle": 6,
        "rule": "buyer_asked_to_pay",
    }
    listed = api.get("seller", "/orders").json()["items"]
    assert listed and "delivery_facts" not in listed[0]  # lists leave them out
    api.clock.advance(days=1)
    later = api.get("buyer", "/orders/A-1").json()["delivery_facts"]
    assert later["days_without_news"] == 6  # at the app's clock


def test_the_api_dispute_view_has_delivery_facts_with_the_match(api):
    shipped = brazil_order(api.db, api.clock.now, "A-2")
    delivered(api.db, "A-2", shipped)
    opened = api.post(
        "buyer",
        "/orders/A-2/disputes",
        {
            "reason": "not_received.tracking_invalid",
            "goods_received": False,
            "plan": {"type": "refund_only", "amount": "45.00"},
        },
    )
    assert opened.status_code == 201, opened.text
    facts = opened.json()["delivery_facts"]
    assert facts["stage"] == "delivered"
    match = facts["delivered"]["match"]
    assert match["overall"] == "matched"
    assert match["zip"] == {
        "result": "matched",
        "rule": "same_zip",
        "order": "01310-100",
        "tracking": "01310100",
    }
    assert match["recipient"]["rule"] == "initial_and_surname"
    assert facts["reading"]["kind"] == "delivered_matching" and facts["reading"]["principle"] == 3
    again = api.get("seller", "/disputes/A-2-D1").json()["delivery_facts"]
    assert again == facts


def test_an_earlier_disputes_facts_are_as_of_its_end(api):
    shipped = brazil_order(api.db, api.clock.now, "A-4")
    add_event(api.db, "A-4", "accepted", shipped + timedelta(hours=5), "Objeto postado")
    plan = {"type": "refund_only", "amount": "45.00"}
    first = {"reason": "not_received.in_transit", "goods_received": False, "plan": plan}
    assert api.post("buyer", "/orders/A-4/disputes", first).status_code == 201
    assert api.post("buyer", "/disputes/A-4-D1/cancel").status_code == 200
    closed_at = api.clock.now
    api.clock.advance(days=2)
    add_event(api.db, "A-4", "in_customs", api.clock.now, "Arrived at customs")
    assert api.post("buyer", "/orders/A-4/disputes", first).status_code == 201
    earlier = api.get("seller", "/disputes/A-4-D1").json()["delivery_facts"]
    assert earlier["as_of"] == closed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert earlier["events"] == 1 and earlier["stage"] == "accepted"
    latest = api.get("seller", "/disputes/A-4-D2").json()["delivery_facts"]
    assert latest["events"] == 2 and latest["stage"] == "in_customs"


def test_the_api_lists_and_dismisses_a_stores_alerts(api):
    brazil_order(api.db, api.clock.now, "A-3", days_ago=26)
    shipment_watch.sweep(api.db, api.clock.now, POLICY)
    listed = api.get("seller", "/stores/shop1/alerts")
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert {a["kind"] for a in items} == {"no_news", "extend_delivery"}
    advice = next(a for a in items if a["kind"] == "extend_delivery")
    assert advice["action"] == "extend_delivery" and advice["action_days"] == 30
    assert advice["figures"]["country"] == "BR" and advice["open"] is True
    assert api.get("agent", "/stores/shop1/alerts").status_code == 200
    assert api.get("seller2", "/stores/shop1/alerts").status_code == 404
    assert api.get("buyer", "/stores/shop1/alerts").status_code == 403
    assert api.get("seller", "/stores/no such/alerts").status_code == 404
    assert api.get("seller", "/stores/shop1/alerts?state=closed").status_code == 422
    path = f"/stores/shop1/alerts/{advice['id']}/dismiss"
    assert api.post("seller2", f"/stores/shop2/alerts/{advice['id']}/dismiss").status_code == 404
    dismissed = api.post("seller", path)
    assert dismissed.status_code == 200 and dismissed.json()["dismissed_at"] == (
        "2026-03-02T08:00:00Z"
    )
    assert dismissed.json()["open"] is False
    left = api.get("seller", "/stores/shop1/alerts").json()["items"]
    assert [a["kind"] for a in left] == ["no_news"]
    every = api.get("seller", "/stores/shop1/alerts?state=all").json()["items"]
    assert len(every) == 2
    assert api.post("seller", f"/stores/shop1/alerts/{2**63}/dismiss").status_code == 422
    assert api.post("seller", "/stores/shop1/alerts/999/dismiss").status_code == 404


def test_the_alerts_endpoints_are_in_the_openapi_document(api):
    spec = api.client.get("/openapi.json").json()
    listing = spec["paths"]["/stores/{store_id}/alerts"]["get"]
    assert {"200", "401", "404", "422"} <= set(listing["responses"])
    dismiss = spec["paths"]["/stores/{store_id}/alerts/{alert_id}/dismiss"]["post"]
    alert_id = next(p for p in dismiss["parameters"] if p["name"] == "alert_id")
    assert alert_id["schema"]["minimum"] == 1
    assert alert_id["schema"]["maximum"] == 2**63 - 1


# -- the desk ------------------------------------------------------------------------------------


@pytest.fixture
def web(db, tmp_path):
    return make_web_desk(db, tmp_path)


def test_the_dispute_page_shows_the_facts_in_words_in_both_languages(web):
    shipped = brazil_order(web.db, web.clock.now, "D-1")
    held_for_duties(web.db, "D-1", shipped)
    # an old-style carrier update in the order's event log, its status a taxonomy code
    assert commands.record_tracking(
        web.db,
        "D-1",
        details={"status": "in_transit", "description": "Departed", "location": "Shenzhen"},
        at=shipped + timedelta(days=1),
    ).ok
    assert commands.open_dispute(
        web.db,
        "D-1",
        reason="not_received.customs_held",
        plan={"type": "refund_only", "amount": "45.00"},
        goods_received=False,
        at=web.clock.now,
    ).ok
    seller = web.login("seller")
    page = seller.get("/desk/disputes/D-1-D1")
    assert page.status_code == 200
    html = page.text
    facts = html.split('id="delivery-facts"')[1].split("</div>")[0]
    assert "Delivery facts" in facts
    assert "In customs since" in facts and "24 Feb 2026 08:00 (6 days)" in facts
    assert "The buyer must pay import duties or taxes (asked 25 Feb 2026 08:00)" in facts
    assert f"“{CORREIOS_PAY}”" in facts  # the carrier's own words beside
    assert "Held for duties the buyer must pay (principle 6" in facts
    assert "No written notice is recorded" in facts and "Not delivered" in facts
    assert "Objeto postado" in facts  # the first scan
    timeline = html.split('id="carrier-events"')[1].split("</ol>")[0]
    assert "In customs" in timeline and "Curitiba / PR" in timeline
    assert "Action required" in timeline
    shipments = html.split('id="tracking"')[1]
    assert "Carrier update" in shipments and "In transit" in shipments
    no_raw_codes(html)
    chinese = web.login("seller", locale="zh_CN", time_zone="Asia/Shanghai").get(
        "/desk/disputes/D-1-D1"
    )
    assert chinese.status_code == 200
    zh = chinese.text
    assert "物流事实" in zh and "清关开始时间" in zh and "2026年2月24日 16:00（6 天）" in zh
    assert "买家需缴纳进口关税或税费" in zh and "海关清关中" in zh and "运输途中" in zh
    no_raw_codes(zh)


def test_the_order_page_shows_the_timeline_and_the_match_in_words(web):
    shipped = brazil_order(web.db, web.clock.now, "D-2")
    delivered(web.db, "D-2", shipped)
    add_event(
        web.db,
        "D-2",
        "exception",
        shipped + timedelta(days=3),
        "Zásilka je na cestě",
        unclassified=True,
    )
    seller = web.login("seller", time_zone="Asia/Shanghai")
    page = seller.get("/desk/orders/D-2")
    assert page.status_code == 200
    html = page.text
    timeline = html.split('id="carrier-events"')[1].split("</ol>")[0]
    # each event: its status in words, the carrier's words beside, the place, the reader's time
    assert "Delivered" in timeline and "“Objeto entregue ao destinatário”" in timeline
    assert "SAO PAULO, SP 01310100" in timeline
    assert "27 Feb 2026 18:00" in timeline  # 10:00 UTC, in Shanghai
    assert "Carrier&#39;s words not recognised" in timeline and "Zásilka je na cestě" in timeline
    assert "Accepted by the carrier" in timeline
    match = html.split('id="match-overall"')[1].split("</table>")[0]
    assert "An accurate match" in match
    recipient = html.split('id="match-recipient"')[1].split("</tr>")[0]
    assert 'data-result="matched"' in recipient
    assert "signed by J SMITH: initial and surname of John Smith" in recipient
    zip_row = html.split('id="match-zip"')[1].split("</tr>")[0]
    assert "matches" in zip_row
    assert "Delivered, and an accurate match" in html
    no_raw_codes(html)
    zh = web.login("seller", locale="zh_CN").get("/desk/orders/D-2").text
    assert "物流轨迹" in zh and "已妥投" in zh and "准确匹配" in zh and "一致" in zh
    no_raw_codes(zh)
    buyer_view = web.login("buyer").get("/desk/orders/D-2")
    assert buyer_view.status_code == 200 and "Delivery facts" in buyer_view.text


def test_the_arbitrators_case_page_shows_the_facts(web):
    shipped = brazil_order(web.db, web.clock.now, "D-3")
    delivered(web.db, "D-3", shipped)
    assert commands.open_dispute(
        web.db,
        "D-3",
        reason="not_as_described.damaged",
        plan={"type": "refund_only", "amount": "45.00"},
        goods_received=True,
        at=web.clock.now,
    ).ok
    assert commands.reject(web.db, "D-3", note="Not ours", at=web.clock.now).ok
    assert commands.escalate(web.db, "D-3", actor="buyer", at=web.clock.now).ok
    page = web.login("arbitrator").get("/desk/disputes/D-3-D1")
    assert page.status_code == 200
    assert "Delivery facts" in page.text and "An accurate match" in page.text
    assert "the buyer is asked to confirm" in page.text
    no_raw_codes(page.text)


def test_the_inbox_shows_alerts_and_extends_delivery_in_one_click(web):
    brazil_order(web.db, web.clock.now, "I-1", days_ago=26)  # 4 days left, Brazil
    brazil_order(web.db, web.clock.now, "I-2", days_ago=9)
    shipment_watch.sweep(web.db, web.clock.now - timedelta(days=2), POLICY)  # no news (both)
    shipment_watch.sweep(web.db, web.clock.now, POLICY)  # I-1: 4 days left
    seller = web.login("seller")
    inbox = seller.get("/desk/inbox")
    assert inbox.status_code == 200
    html = inbox.text
    alerts = html.split('id="alerts"')[1].split("</section>")[0]
    assert html.index('id="alerts"') < html.index('class="filters"')  # above the disputes
    assert "Extend delivery by 30 days" in alerts
    assert "Deliveries to BR have structural delays" in alerts
    assert "No carrier event at all in the 9 days since shipment" in alerts
    assert "Ask the carrier for the latest information" in alerts
    order = [m.group(1) for m in re.finditer(r'data-alert="(\d+)"', alerts)]
    assert order == sorted(order, key=int, reverse=True)  # newest first
    assert alerts.index('data-kind="no-news"') > alerts.index('data-kind="extend-delivery"')
    no_raw_codes(html)
    advice = next(a for a in shipment_watch.list_alerts(web.db, ["shop1"]) if a.order_id == "I-1")
    form = alerts.split(f'id="extend-{advice.id}"')[0].rsplit("<form", 1)[1]
    assert 'action="/desk/orders/I-1/extend-delivery"' in form
    assert 'name="days" value="30"' in form and 'name="next" value="/desk/inbox"' in form
    with web.db.engine.connect() as conn:
        before = conn.scalar(select(t.orders.c.delivery_deadline).where(t.orders.c.id == "I-1"))
    clicked = seller.post(
        "/desk/orders/I-1/extend-delivery",
        data={"csrf_token": csrf_of(html), "days": "30", "next": "/desk/inbox"},
    )
    assert clicked.status_code == 303
    assert clicked.headers["location"] == "/desk/inbox?done=extend_delivery"
    with web.db.engine.connect() as conn:
        after = conn.scalar(select(t.orders.c.delivery_deadline).where(t.orders.c.id == "I-1"))
    assert after - before == timedelta(days=30)
    back = seller.get(clicked.headers["location"]).text
    assert "Extend delivery by 30 days" not in back  # not offered twice
    shipment_watch.sweep(web.db, web.clock.now, POLICY)
    still = {(a.order_id, a.kind) for a in shipment_watch.list_alerts(web.db, ["shop1"])}
    assert still == {("I-1", "no_news"), ("I-2", "no_news")}  # the advice resolved
    zh = web.login("seller", locale="zh_CN").get("/desk/inbox").text
    assert "物流预警" in zh and "向物流商查询最新信息" in zh and "忽略" in zh
    no_raw_codes(zh)


def test_the_inbox_dismisses_an_alert(web):
    brazil_order(web.db, web.clock.now, "I-3", days_ago=9)
    shipment_watch.sweep(web.db, web.clock.now, POLICY)
    [alert] = shipment_watch.list_alerts(web.db, ["shop1"])
    other = web.login("seller2")
    page = other.get("/desk/inbox")
    assert 'id="alerts"' not in page.text  # not that seller's store
    refused = other.post(
        f"/desk/alerts/{alert.id}/dismiss", data={"csrf_token": csrf_of(page.text)}
    )
    assert refused.status_code == 404
    seller = web.login("seller")
    assert seller.post(f"/desk/alerts/{alert.id}/dismiss", data={}).status_code == 403
    dismissed = post_form(seller, "/desk/inbox", f"/desk/alerts/{alert.id}/dismiss")
    assert dismissed.status_code == 303
    assert dismissed.headers["location"] == "/desk/inbox?done=dismiss_alert#alerts"
    back = seller.get("/desk/inbox?done=dismiss_alert")
    assert 'id="alerts"' not in back.text and "Alert dismissed" in back.text
    [stored] = shipment_watch.list_alerts(web.db, ["shop1"], open_only=False)
    assert stored.dismissed_at == web.clock.now
    assert post_form(seller, "/desk/inbox", "/desk/alerts/abc/dismiss").status_code == 404
    buyer = web.login("buyer")
    assert post_form(buyer, "/desk/orders", f"/desk/alerts/{alert.id}/dismiss").status_code == 403
