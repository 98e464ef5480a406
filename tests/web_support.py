"""Shared builders for the web desk tests: users with passwords, a shipped order, and a signed-in
TestClient (HTTPS, so the Secure cookies travel)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api_support import START, Clock
from disputedesk.api.app import create_app
from disputedesk.api.settings import ApiSettings
from disputedesk.services import commands
from disputedesk.services.accounts import create_user
from disputedesk.services.orders import check_order, create_order
from disputedesk.store.db import Database

PASSWORDS = {
    "seller": ("seller@shop1.test", "seller-pass-1"),
    "seller2": ("seller@shop2.test", "seller-pass-2"),
    "buyer": ("buyer@b1.test", "buyer-pass-1"),
    "buyer2": ("buyer@b2.test", "buyer-pass-2"),
    "arbitrator": ("arb@platform.test", "arb-pass-1"),
    "admin": ("admin@platform.test", "admin-pass-1"),
}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class WebDesk:
    db: Database
    app: Any
    clock: Clock

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="https://testserver", follow_redirects=False)

    def login(self, role: str, *, locale: str = "en", time_zone: str = "UTC") -> TestClient:
        client = self.client()
        email, password = PASSWORDS[role]
        response = sign_in(client, email, password, locale=locale, time_zone=time_zone)
        assert response.status_code == 303, response.text
        return client


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def sign_in(
    client: TestClient, email: str, password: str, *, locale: str = "en", time_zone: str = "UTC"
) -> Any:
    form = client.get("/desk/login")
    return client.post(
        "/desk/login",
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_of(form.text),
            "locale": locale,
            "time_zone": time_zone,
            "next": "/desk/",
        },
    )


def post_form(client: TestClient, page_path: str, action_path: str, **data: str) -> Any:
    """POST a form the way a browser does: the CSRF token from the page it is on."""
    page = client.get(page_path)
    assert page.status_code == 200, page.text
    return client.post(action_path, data={"csrf_token": csrf_of(page.text), **data})


def make_web_desk(db: Database, tmp_path: Path) -> WebDesk:
    clock = Clock(START)
    create_user(
        db,
        email="seller@shop1.test",
        name="Li Wei",
        role="seller",
        store_id="shop1",
        password="seller-pass-1",
    )
    create_user(
        db,
        email="seller@shop2.test",
        name="Wang",
        role="seller",
        store_id="shop2",
        password="seller-pass-2",
    )
    create_user(
        db, email="buyer@b1.test", name="Ana", role="buyer", buyer_id="B1", password="buyer-pass-1"
    )
    create_user(
        db, email="buyer@b2.test", name="Jean", role="buyer", buyer_id="B2", password="buyer-pass-2"
    )
    create_user(db, email="arb@platform.test", name="Arb", role="arbitrator", password="arb-pass-1")
    create_user(db, email="admin@platform.test", name="Ops", role="admin", password="admin-pass-1")
    settings = ApiSettings(data_dir=tmp_path / "data", max_upload_bytes=64 * 1024)
    app = create_app(db, settings, clock=clock)
    return WebDesk(db, app, clock)


def shipped_order(
    desk: WebDesk, order_id: str, *, buyer: str = "B1", store: str = "shop1", days_ago: int = 6
) -> None:
    """An order of `buyer` at `store`, placed and shipped `days_ago` days before the clock."""
    placed = desk.clock.now - timedelta(days=days_ago, hours=1)
    create_order(
        desk.db,
        check_order(
            {
                "id": order_id,
                "store_id": store,
                "buyer_id": buyer,
                "amount": "40.00",
                "shipping": "5.00",
                "currency": "USD",
                "placed_at": placed.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "promised_delivery_days": 20,
                "destination_country": "ES",
                "items": [{"title": "Bluetooth speaker", "quantity": 1}],
            }
        ),
        now=placed,
    )
    commands.ship(
        desk.db,
        order_id,
        carrier="Cainiao",
        tracking_number=f"LP{order_id}",
        at=desk.clock.now - timedelta(days=days_ago),
    )


class KeepMail:
    """A mailer that hands each message to a demo mailbox (`demo.mailbox.Mailbox`) as the demo's
    SMTP server would, without a connection: for pages that show caught mail (issue 13)."""

    def __init__(self, box: Any, at: Any) -> None:
        self.box = box
        self.at = at

    def send(self, message: Any) -> Any:
        from disputedesk.services.mailer import Outcome

        self.box.keep(message.as_bytes(), str(message["From"]), [str(message["To"])], self.at)
        return Outcome("delivered", 250)
