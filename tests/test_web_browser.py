"""The web desk in a real browser (Debian's Chromium through Playwright): people click and type,
the worker runs on the test's clock, and every main page is kept as a screenshot.

Only SQLite: the pages and the database are already tested on both backends without a browser
(test_web_pages.py); here the browser, its cookies and the page's JavaScript are the subject."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from browser_support import (
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    LiveDesk,
    chromium_path,
    desk_from_template,
    serve,
    shot,
    template_database,
)
from disputedesk.services import worker
from disputedesk.web import i18n
from web_support import shipped_order

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True, timeout=15_000
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return template_database(tmp_path_factory.mktemp("template"))


@pytest.fixture
def live(browser: Any, template: Path, tmp_path: Path) -> Iterator[LiveDesk]:
    desk = desk_from_template(template, tmp_path)
    try:
        with serve(desk.app) as url:
            live = LiveDesk(desk, url, browser, [], [])
            try:
                yield live
            finally:
                live.close()
        assert not live.page_errors, live.page_errors  # no JavaScript error on any page
    finally:
        desk.db.dispose()


def open_dispute(buyer: Any, order_id: str, amount: str, *, shots: bool = False):
    """The buyer goes My orders → the order → Open a dispute, fills the form and sends it."""
    buyer.click("header nav a[href='/desk/orders']")
    expect(buyer.locator(f"tr[data-order='{order_id}']")).to_be_visible()
    if shots:
        shot(buyer, "buyer-orders")
    buyer.click(f"tr[data-order='{order_id}'] a[href='/desk/orders/{order_id}']")
    buyer.click("#open-dispute")
    buyer.wait_for_url(f"**/desk/orders/{order_id}/open-dispute")
    buyer.select_option("#reason", "not_as_described.damaged")
    buyer.check("input[name=goods_received][value=yes]")
    buyer.select_option("#plan_type", "refund_only")
    buyer.fill("#amount", amount)
    buyer.fill("#note", "The box arrived crushed")
    if shots:
        shot(buyer, "open-dispute-form")
    buyer.click("#submit-dispute")
    buyer.wait_for_url(f"**/desk/disputes/{order_id}-D1**")


def test_a_dispute_from_opening_to_the_sellers_refund(live: LiveDesk) -> None:
    shipped_order(live.desk, "O-1")
    login = live.page()
    live.goto(login, "/desk/login")
    expect(login.locator("#email")).to_be_visible()
    shot(login, "login")

    buyer = live.sign_in("buyer")
    open_dispute(buyer, "O-1", "45.00", shots=True)
    expect(buyer.locator("h1")).to_have_text("Dispute details")
    expect(buyer.locator("#buyer-plan")).to_contain_text("Refund only $45.00")
    expect(buyer.locator("#reminder .countdown")).to_be_visible()
    shot(buyer, "buyer-dispute")

    seller = live.sign_in("seller")
    expect(seller).to_have_url(f"{live.url}/desk/inbox")
    row = seller.locator("tr[data-dispute='O-1-D1']")
    expect(row).to_be_visible()
    shot(seller, "seller-inbox")
    row.locator("a").first.click()
    seller.wait_for_url("**/desk/disputes/O-1-D1")
    expect(seller.locator("#reminder")).to_contain_text("Respond within")
    shot(seller, "seller-dispute-en")
    if not seller.locator("#propose-amount").is_visible():
        seller.click("#show-propose")
    seller.select_option("#propose-plan_type", "refund_only")
    seller.fill("#propose-amount", "20.00")
    seller.click("#submit-propose")
    expect(seller.locator("#seller-plan")).to_contain_text("$20.00")

    buyer.reload()
    expect(buyer.locator("#seller-plan")).to_contain_text("Refund only $20.00")
    buyer.click("#act-accept-seller-plan")  # irreversible: a confirmation step first
    expect(buyer.locator("#confirm")).to_contain_text("This cannot be undone.")
    shot(buyer, "buyer-confirm-accept")
    buyer.click("#confirm-yes")
    expect(buyer.locator("#resolution")).to_have_text("refunded")
    expect(buyer.locator("#refund-amount")).to_have_text("$20.00")
    expect(buyer.locator("#dispute-status")).to_have_text("Closed")
    buyer.click("dl.facts a[href='/desk/orders/O-1']")
    expect(buyer.locator("#refunded-total")).to_have_text("$20.00")
    shot(buyer, "buyer-order-refunded")

    seller.click("header nav a[href='/desk/orders']")
    expect(seller.locator("tr[data-order='O-1']")).to_contain_text(i18n.text("en", "status.closed"))
    shot(seller, "seller-orders")


def test_the_buyers_plan_runs_when_the_seller_misses_the_window(live: LiveDesk) -> None:
    shipped_order(live.desk, "O-1")
    buyer = live.sign_in("buyer")
    open_dispute(buyer, "O-1", "30.00")
    live.desk.clock.advance(days=5)
    worker.sweep(live.desk.db, now=live.desk.clock.now)

    seller = live.sign_in("seller")
    live.goto(seller, "/desk/inbox")
    seller.click("tr[data-dispute='O-1-D1'] a")
    seller.wait_for_url("**/desk/disputes/O-1-D1")
    expect(seller.locator("#history")).to_contain_text("Seller did not respond in time")
    expect(seller.locator("#resolution")).to_have_text("refunded")
    expect(seller.locator("#refund-amount")).to_have_text("$30.00")
    shot(seller, "seller-dispute-timed-out")


def test_an_arbitrator_steps_in_and_rules(live: LiveDesk) -> None:
    shipped_order(live.desk, "O-1")
    buyer = live.sign_in("buyer")
    open_dispute(buyer, "O-1", "45.00")

    seller = live.sign_in("seller")
    live.goto(seller, "/desk/disputes/O-1-D1")
    seller.click("#show-reject")
    seller.fill("#reject-note", "Not ours")
    seller.click("#submit-reject")
    expect(seller.locator("#history")).to_contain_text("Not ours")

    buyer.reload()
    buyer.click("#show-escalate")
    buyer.fill("#escalate-note", "Please look at the photos")
    buyer.click("#submit-escalate")
    expect(buyer.locator("#dispute-status")).to_have_text(i18n.text("en", "status.escalated"))

    arbitrator = live.sign_in("arbitrator")
    expect(arbitrator).to_have_url(f"{live.url}/desk/queue")
    row = arbitrator.locator("tr[data-dispute='O-1-D1']")
    expect(row).to_be_visible()
    shot(arbitrator, "arbitrator-queue")
    row.locator("a").click()
    arbitrator.wait_for_url("**/desk/disputes/O-1-D1")
    arbitrator.click("#act-intervene")
    expect(arbitrator.locator("#rule-amount")).to_be_visible()
    arbitrator.fill("#rule-amount", "40.00")
    arbitrator.select_option("#rule-responsibility", "seller")
    arbitrator.fill("#rule-reason", "The seller sent no proof of delivery.")
    shot(arbitrator, "arbitrator-case")
    arbitrator.click("#submit-rule")
    expect(arbitrator.locator("#resolution")).to_have_text("ruled by the platform")
    expect(arbitrator.locator("#refund-amount")).to_have_text("$40.00")


def test_a_form_without_its_csrf_token_is_refused(live: LiveDesk) -> None:
    shipped_order(live.desk, "O-1")
    buyer = live.sign_in("buyer")
    live.goto(buyer, "/desk/orders/O-1/open-dispute")
    buyer.fill("#amount", "10.00")
    buyer.check("input[name=goods_received][value=yes]")
    removed = buyer.evaluate(
        """() => {
            const field = document.querySelector(
                "form[action$='/open-dispute'] input[name=csrf_token]");
            field.remove();
            return document.querySelectorAll("form[action$='/open-dispute'] "
                + "input[name=csrf_token]").length;
        }"""
    )
    assert removed == 0
    with buyer.expect_navigation() as navigation:
        buyer.click("#submit-dispute")
    assert navigation.value.status == 403
    expect(buyer.locator("main")).to_contain_text(i18n.text("en", "error.csrf"))
    live.goto(buyer, "/desk/orders/O-1")
    expect(buyer.locator("#open-dispute")).to_be_visible()  # nothing was opened


def test_a_buyer_cannot_open_another_buyers_order(live: LiveDesk) -> None:
    shipped_order(live.desk, "O-1", buyer="B1")
    shipped_order(live.desk, "O-2", buyer="B2")
    buyer = live.sign_in("buyer")
    live.goto(buyer, "/desk/orders")
    expect(buyer.locator("tr[data-order='O-1']")).to_be_visible()
    expect(buyer.locator("tr[data-order='O-2']")).to_have_count(0)
    response = live.goto(buyer, "/desk/orders/O-2")
    assert response.status == 404
    expect(buyer.locator("main")).to_contain_text(i18n.text("en", "error.not_found"))
    expect(buyer.locator("main")).not_to_contain_text("Bluetooth speaker")


def test_the_seller_reads_the_dispute_in_chinese_with_a_live_countdown(live: LiveDesk) -> None:
    shipped_order(live.desk, "O-1")
    open_dispute(live.sign_in("buyer"), "O-1", "45.00")

    seller = live.sign_in("seller", time_zone="Asia/Shanghai")
    live.goto(seller, "/desk/disputes/O-1-D1")
    seller.select_option("#locale", "zh_CN")
    seller.click("#apply-preferences")
    seller.wait_for_url("**/desk/disputes/O-1-D1")
    expect(seller.locator("h1")).to_have_text("纠纷详情")
    expect(seller.locator("#plans")).to_contain_text("买家方案（默认方案）")
    expect(seller.locator("#reminder")).to_contain_text("买家已发起纠纷")
    expect(seller.locator("#buyer-plan")).to_contain_text("US$45.00")
    assert seller.locator("html").get_attribute("lang") == "zh-CN"
    shot(seller, "seller-dispute-zh")

    countdown = seller.locator("#reminder .countdown")
    first = countdown.inner_text()
    seller.wait_for_timeout(1_300)
    second = countdown.inner_text()
    assert first != second, "the countdown did not tick"
    assert "天" in second


def test_the_countdown_counts_in_russian_as_the_server_does(live: LiveDesk) -> None:
    """Russian has three forms: 4 days left is "4 дня" (few), ticked by the browser with
    Intl.PluralRules exactly as the server wrote it."""
    shipped_order(live.desk, "O-1")
    open_dispute(live.sign_in("buyer"), "O-1", "45.00")
    seller = live.sign_in("seller")
    live.goto(seller, "/desk/disputes/O-1-D1")
    seller.select_option("#locale", "ru")
    seller.click("#apply-preferences")
    seller.wait_for_url("**/desk/disputes/O-1-D1")
    assert seller.locator("html").get_attribute("lang") == "ru"
    countdown = seller.locator("#reminder .countdown")
    first = countdown.inner_text()
    seller.wait_for_timeout(1_300)
    second = countdown.inner_text()
    assert first != second, "the countdown did not tick"
    assert second.startswith("4 дня "), second


def no_sideways_scroll(page: Any) -> None:
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, f"{page.url}: scrollWidth {widths[0]} > {widths[1]}"


def test_the_inbox_fits_a_phone_screen(live: LiveDesk) -> None:
    for order_id in ("O-1", "O-2"):
        shipped_order(live.desk, order_id)
    buyer = live.sign_in("buyer", width=390, height=844)
    live.goto(buyer, "/desk/orders/O-1/open-dispute")
    expect(buyer.locator("#reason")).to_be_visible()
    shot(buyer, "phone-open-dispute-form")
    no_sideways_scroll(buyer)
    open_dispute(buyer, "O-1", "45.00")

    phone = live.sign_in("seller", width=390, height=844)
    expect(phone.locator("tr[data-dispute='O-1-D1']")).to_be_visible()
    shot(phone, "phone-inbox")
    no_sideways_scroll(phone)
    live.goto(phone, "/desk/disputes/O-1-D1")
    expect(phone.locator("#reminder .countdown")).to_be_visible()
    shot(phone, "phone-seller-dispute")
    no_sideways_scroll(phone)


def test_the_api_docs_render_offline(live: LiveDesk) -> None:
    """/docs draws every operation with assets served by the app itself: no request leaves
    127.0.0.1 (FastAPI's default page loads Swagger UI from a CDN and is blank offline)."""
    page = live.page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    live.goto(page, "/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() >= 30
    expect(page.get_by_text("/disputes/{dispute_id}/accept", exact=True)).to_be_visible()
    shot(page, "api-docs")
    assert requested and all(url.startswith(live.url) for url in requested), requested
