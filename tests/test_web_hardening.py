"""Issue 10's hardening of the web desk: cookies that suit the request's scheme
(DISPUTEDESK_COOKIE_SECURE auto / true / false), a sign-in whose cookie was not kept said in
plain words, and numbers typed into forms or query strings that are refused as pages, never a
500. TestClient opens no sockets: the host names below never leave the process."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from disputedesk.store import repository
from disputedesk.web.app import WebSettings
from web_support import PASSWORDS, WebDesk, csrf_of, make_web_desk, shipped_order, sign_in

PLAIN = "http://desk.example.test"
TLS = "https://desk.example.test"


@pytest.fixture
def desk(db, tmp_path):
    return make_web_desk(db, tmp_path)


def client_at(desk: WebDesk, base_url: str, **options: Any) -> TestClient:
    return TestClient(desk.app, base_url=base_url, follow_redirects=False, **options)


def set_cookie(response: Any, name: str) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}="))


def cookie_mode(desk: WebDesk, mode: str) -> None:
    desk.app.state.web_settings = WebSettings(cookie_secure=mode)


def test_plain_http_on_a_named_host_signs_in_under_auto(desk):
    """The reported bug: over http://desk.example.test the Secure CSRF cookie was dropped and
    the form said "out of date". Under `auto` the cookies are not Secure over plain HTTP."""
    client = client_at(desk, PLAIN)
    form = client.get("/desk/login")
    assert form.status_code == 200 and 'name="password"' in form.text
    assert "Secure" not in set_cookie(form, "dd_login_csrf")
    response = sign_in(client, *PASSWORDS["seller"])
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/desk/inbox"
    session = set_cookie(response, "dd_session")
    assert "Secure" not in session and "HttpOnly" in session and "SameSite=lax" in session
    inbox = client.get("/desk/inbox")
    assert inbox.status_code == 200
    out = client.post("/desk/logout", data={"csrf_token": csrf_of(inbox.text)})
    assert out.status_code == 303 and client.get("/desk/inbox").status_code == 303


def test_https_gets_secure_cookies_under_auto(desk):
    client = client_at(desk, TLS)
    assert "Secure" in set_cookie(client.get("/desk/login"), "dd_login_csrf")
    response = sign_in(client, *PASSWORDS["buyer"])
    assert response.status_code == 303
    assert "Secure" in set_cookie(response, "dd_session")
    assert client.get("/desk/orders").status_code == 200


def test_an_untrusted_forwarded_proto_does_not_make_cookies_secure_under_auto(desk):
    """X-Forwarded-Proto counts only through uvicorn's proxy headers (a trusted proxy): the app
    itself never reads it to decide the cookie flags."""
    client = client_at(desk, PLAIN)
    form = client.get("/desk/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in set_cookie(form, "dd_login_csrf")


def test_cookie_secure_true_over_plain_http_says_https_is_needed(desk):
    cookie_mode(desk, "true")
    client = client_at(desk, PLAIN)
    page = client.get("/desk/login?next=/desk/inbox")
    assert page.status_code == 403
    assert 'name="password"' not in page.text and "dd_login_csrf" not in str(page.headers)
    assert "This desk must be opened over HTTPS" in page.text
    assert "https://desk.example.test/desk/login?next=/desk/inbox" in page.text
    chinese = client.get("/desk/login?lang=zh_CN")
    assert chinese.status_code == 403 and "本系统必须通过 HTTPS 访问" in chinese.text
    sent = client.post("/desk/login", data={"email": "a@b.test", "password": "x"})
    assert sent.status_code == 403 and "must be opened over HTTPS" in sent.text
    # over HTTPS, and on hosts that browsers treat as secure over plain HTTP, the form is there
    # and its cookie is Secure
    for base_url in (TLS, "http://localhost", "http://127.0.0.1:8000", "http://[::1]:8000"):
        form = client_at(desk, base_url).get("/desk/login")
        assert form.status_code == 200 and 'name="password"' in form.text, base_url
        assert "Secure" in set_cookie(form, "dd_login_csrf"), base_url
    response = sign_in(client_at(desk, TLS), *PASSWORDS["seller"])
    assert response.status_code == 303 and "Secure" in set_cookie(response, "dd_session")


def test_cookie_secure_true_behind_an_untrusted_https_proxy_still_shows_the_form(desk):
    """A proxy that says the browser is on HTTPS but is not trusted: the cookies stay Secure and
    the form is shown (the browser may well be on HTTPS); the scheme is not believed."""
    cookie_mode(desk, "true")
    form = client_at(desk, PLAIN).get("/desk/login", headers={"X-Forwarded-Proto": "https"})
    assert form.status_code == 200 and 'name="password"' in form.text
    assert "Secure" in set_cookie(form, "dd_login_csrf")


def test_cookie_secure_false_never_marks_cookies_secure(desk):
    cookie_mode(desk, "false")
    client = client_at(desk, TLS)
    assert "Secure" not in set_cookie(client.get("/desk/login"), "dd_login_csrf")
    response = sign_in(client, *PASSWORDS["seller"])
    assert response.status_code == 303 and "Secure" not in set_cookie(response, "dd_session")
    plain = client_at(desk, PLAIN)
    assert sign_in(plain, *PASSWORDS["buyer"]).status_code == 303
    assert plain.get("/desk/orders").status_code == 200


def test_cookie_secure_setting_words(monkeypatch):
    monkeypatch.delenv("DISPUTEDESK_COOKIE_SECURE", raising=False)
    assert WebSettings().cookie_secure == "auto"
    for word, mode in {
        "auto": "auto",
        "AUTO": "auto",
        "true": "true",
        "1": "true",
        "yes": "true",
        "false": "false",
        "0": "false",
        " off ": "false",
    }.items():
        monkeypatch.setenv("DISPUTEDESK_COOKIE_SECURE", word)
        assert WebSettings().cookie_secure == mode, word
    assert WebSettings(cookie_secure=True).cookie_secure == "true"
    monkeypatch.setenv("DISPUTEDESK_COOKIE_SECURE", "sometimes")
    with pytest.raises(ValidationError):
        WebSettings()


def test_a_sign_in_whose_cookie_was_not_kept_says_so(desk):
    token = csrf_of(client_at(desk, TLS).get("/desk/login").text)
    email, password = PASSWORDS["seller"]
    data = {"email": email, "password": password, "csrf_token": token, "next": "/desk/"}
    cookieless = client_at(desk, TLS)  # a browser that blocks cookies
    refused = cookieless.post("/desk/login", data=data)
    assert refused.status_code == 403
    assert "did not keep this site&#39;s sign-in cookie" in refused.text
    assert "out of date" not in refused.text
    zh = client_at(desk, TLS).post("/desk/login?lang=zh_CN", data=data)
    assert "您的浏览器没有保留本网站的登录 Cookie" in zh.text
    # a cookie that is there but does not match the form: the form is stale, as before
    stale = client_at(desk, TLS)
    stale.get("/desk/login")
    mismatch = stale.post("/desk/login", data=data)
    assert mismatch.status_code == 403 and "out of date" in mismatch.text
    assert "did not keep" not in mismatch.text


def _version(desk: WebDesk, order_id: str) -> int:
    with desk.db.engine.connect() as conn:
        loaded = repository.load(conn, order_id)
    assert loaded is not None
    return loaded.version


@pytest.mark.parametrize(
    "days", ["²", "٣", "１", "99999999999999999999", "-1", "", "0", "3651", "1e3", "+5", "2.5"]
)
def test_extend_delivery_refuses_days_that_are_not_a_plain_number(desk, days):
    shipped_order(desk, "O1")
    client = desk.login("seller")
    tolerant = client_at(desk, "https://testserver", raise_server_exceptions=False)
    tolerant.cookies = client.cookies
    before = _version(desk, "O1")
    token = csrf_of(tolerant.get("/desk/orders/O1").text)
    response = tolerant.post(
        "/desk/orders/O1/extend-delivery", data={"csrf_token": token, "days": days}
    )
    assert response.status_code == 422, response.text
    assert "Please check the form: days: a whole number from 1 to 3650" in response.text
    assert 'action="/desk/orders/O1/extend-delivery"' in response.text  # the form is back
    assert _version(desk, "O1") == before  # nothing recorded


def test_extend_delivery_still_takes_a_plain_number(desk):
    shipped_order(desk, "O1")
    client = desk.login("seller")
    before = _version(desk, "O1")
    token = csrf_of(client.get("/desk/orders/O1").text)
    response = client.post(
        "/desk/orders/O1/extend-delivery", data={"csrf_token": token, "days": " 5 "}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/desk/orders/O1?done=extend_delivery"
    assert _version(desk, "O1") == before + 1
    # a refused form still needs its CSRF token and the seller's role
    forged = client.post("/desk/orders/O1/extend-delivery", data={"csrf_token": "x", "days": "²"})
    assert forged.status_code == 403
    buyer = desk.login("buyer")
    token = csrf_of(buyer.get("/desk/orders/O1").text)
    other = buyer.post("/desk/orders/O1/extend-delivery", data={"csrf_token": token, "days": "²"})
    assert other.status_code == 403
    assert _version(desk, "O1") == before + 1


@pytest.mark.parametrize("path", ["/desk/inbox", "/desk/orders"])
def test_list_offsets_beyond_any_list_are_refused_as_pages(desk, path):
    client = desk.login("seller")
    tolerant = client_at(desk, "https://testserver", raise_server_exceptions=False)
    tolerant.cookies = client.cookies
    for offset in ("99999999999999999999", "1000000001", "²"):
        response = tolerant.get(f"{path}?offset={offset}")
        assert response.status_code == 422, (offset, response.text[:300])
        assert "text/html" in response.headers["content-type"]
    assert tolerant.get(f"{path}?offset=1000000000").status_code == 200
    assert tolerant.get(f"{path}?offset=-5").status_code == 200


def test_desk_forms_with_text_no_database_holds_are_refused_as_pages(desk):
    """A NUL character (PostgreSQL's text and jsonb cannot hold one) or an impossible id in
    every desk form and address: a 4xx page, never a 500, and nothing recorded."""
    shipped_order(desk, "W1")
    nul = "a\x00b"

    def person(role: str) -> TestClient:
        signed_in = desk.login(role)
        return client_at(
            desk, "https://testserver", raise_server_exceptions=False, cookies=signed_in.cookies
        )

    buyer, seller = person("buyer"), person("seller")
    token = csrf_of(buyer.get("/desk/orders/W1/open-dispute").text)
    opened = {
        "csrf_token": token,
        "reason": "not_as_described.damaged",
        "goods_received": "yes",
        "plan_type": "refund_only",
        "amount": "5.00",
    }
    refused = [buyer.post("/desk/orders/W1/open-dispute", data={**opened, "note": nul})]
    refused.append(
        buyer.post("/desk/orders/W1/open-dispute", data={**opened, "reason": nul, "amount": nul})
    )
    assert buyer.post("/desk/orders/W1/open-dispute", data=opened).status_code == 303
    version = repository_version(desk)
    token = csrf_of(seller.get("/desk/orders/W1").text)
    refused += [
        seller.post("/desk/orders/W1/messages", data={"csrf_token": token, "body": nul}),
        seller.post(
            "/desk/orders/W1/ship",
            data={"csrf_token": token, "carrier": nul, "tracking_number": nul},
        ),
    ]
    token = csrf_of(seller.get("/desk/disputes/W1-D1").text)
    refused += [
        seller.post("/desk/disputes/W1-D1/reject", data={"csrf_token": token, "note": nul}),
        seller.post(
            "/desk/disputes/W1-D1/propose",
            data={"csrf_token": token, "plan_type": "refund_only", "amount": nul},
        ),
        seller.post(
            "/desk/disputes/W1-D1/evidence",
            data={"csrf_token": token, "kind": "photo", "description": nul},
        ),
        seller.get("/desk/inbox?status=%00"),
        seller.get("/desk/disputes/W1-D99999999999999999999999"),
        seller.get("/desk/disputes/W1-D%C2%B2"),
        seller.get("/desk/evidence/99999999999999999999"),
    ]
    anonymous = client_at(desk, TLS, raise_server_exceptions=False)
    token = csrf_of(anonymous.get("/desk/login").text)
    refused.append(
        anonymous.post(
            "/desk/login",
            data={"csrf_token": token, "email": f"{nul}@shop.test", "password": nul},
        )
    )
    statuses = [response.status_code for response in refused]
    assert all(400 <= status < 500 for status in statuses), statuses
    assert all(r.headers["content-type"].startswith("text/html") for r in refused)
    assert repository_version(desk) == version


def repository_version(desk: WebDesk) -> int:
    with desk.db.engine.connect() as conn:
        loaded = repository.load(conn, "W1")
    assert loaded is not None
    return loaded.version
