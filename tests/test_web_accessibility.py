"""The demo marketplace's pages in Chromium: axe-core finds no serious or critical
accessibility violation on any kind of page, for any role, in either language; the countdowns
tick in words ("1 day", "overdue by 12 days"); the sign-in form stands one field under the
other; and the main pages of each role are kept as screenshots at phone and desktop width
(test-output/screenshots).

axe-core is the npm package, installed by `make browser` (or here, when missing) into a cache
folder with `npm install --no-save axe-core@4` and injected from that file into each page:
nothing is loaded from a CDN. One demo marketplace and one browser for the module."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from browser_support import CHROMIUM_ARGS, TIMEOUT_MS, chromium_path, serve, shot
from disputedesk.api.app import create_app
from disputedesk.api.settings import ApiSettings
from disputedesk.demo.mailbox import Mailbox
from disputedesk.demo.marketplace import build_demo
from disputedesk.services.notifications import Options, deliver_due
from disputedesk.store.db import Database
from web_support import KeepMail

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
BLOCKING = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

expect.set_options(timeout=TIMEOUT_MS)


def axe_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "disputedesk"
    return Path(os.environ.get("DISPUTEDESK_AXE_DIR", default / "axe-core"))


def axe_source() -> str:
    """axe-core's script, from the cache folder; installed there with npm when missing (a
    skip when it cannot be, a failure when DISPUTEDESK_REQUIRE_BROWSER is set)."""
    folder = axe_dir()
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists() and shutil.which("npm"):
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(folder), "--no-save", "--no-audit", "--no-fund",
             "--loglevel=error", "axe-core@4"],
            check=False, capture_output=True, timeout=180,
        )  # fmt: skip
    if script.exists():
        return script.read_text(encoding="utf-8")
    reason = f"axe-core is not in {folder} and npm could not install it (run `make browser`)"
    if os.environ.get("DISPUTEDESK_REQUIRE_BROWSER"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@dataclass
class Demo:
    url: str
    sessions: dict[str, Any]  # role -> the browser's storage state, signed in once


ROLES = ("seller", "buyer", "arbitrator", "admin")


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
def demo(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[Demo]:
    """The demo marketplace served on 127.0.0.1, and one signed-in session per role (the first
    demo login of each), kept as the browser's storage state for every test's contexts."""
    folder = tmp_path_factory.mktemp("axe-demo")
    db = Database(f"sqlite:///{folder}/demo.db")
    db.upgrade()
    summary = build_demo(db, now=NOW, seed=11, orders=80)
    app = create_app(db, ApiSettings(data_dir=folder / "data"), clock=lambda: NOW)
    app.state.demo_mailbox = Mailbox()  # the operator's page of caught mail (issue 13)
    deliver_due(db, NOW, Options(mailer=KeepMail(app.state.demo_mailbox, NOW)))  # type: ignore[arg-type]
    try:
        with serve(app) as url:
            sessions = {}
            for role in ROLES:
                login = next(x for x in summary.logins if x.role == role)
                context = browser.new_context(locale="en-US")
                page = context.new_page()
                page.goto(f"{url}/desk/login")
                page.fill("#email", login.email)
                page.fill("#password", login.password)
                with page.expect_navigation():
                    page.click("form[action='/desk/login'] button[type=submit]")
                assert "/desk/login" not in page.url
                sessions[role] = context.storage_state()
                context.close()
            yield Demo(url, sessions)
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


class Reader:
    """One person in the browser: a context of their own with the role's session (none for
    an anonymous reader); `axe` injects axe-core into every page it opens."""

    def __init__(
        self,
        browser: Any,
        demo: Demo,
        role: str | None = None,
        *,
        viewport: dict[str, int] = DESKTOP,
        axe: str | None = None,
    ) -> None:
        # axe is injected as an inline script: the desk's CSP (script-src 'self') would refuse
        # it, so the test's own context bypasses the CSP; the pages are served unchanged
        self.context = browser.new_context(
            viewport=viewport,
            locale="en-US",
            timezone_id="Asia/Shanghai",
            bypass_csp=True,
            storage_state=demo.sessions[role] if role else None,
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.set_default_navigation_timeout(TIMEOUT_MS)
        if axe is not None:
            self.context.add_init_script(script=axe)
        self.errors: list[str] = []
        self.context.on("weberror", lambda error: self.errors.append(str(error.error)))
        self.page = self.context.new_page()
        self.demo = demo

    def go(self, path: str) -> Any:
        return self.page.goto(self.demo.url + path)

    def speak(self, locale: str) -> Reader:
        """Switch the session's language with the footer's form, as a person would."""
        self.go("/desk/")
        if self.page.locator("html").get_attribute("lang") != locale.replace("_", "-"):
            self.page.select_option("#locale", locale)
            with self.page.expect_navigation():
                self.page.click("#apply-preferences")
        return self

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors  # no JavaScript error on any page


AXE_RUN = """() => {
    window.__axe = new Promise(resolve => setTimeout(() => resolve(
        axe.run(document, {resultTypes: ["violations"]}).then(result =>
            result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
            })))), 0));
}"""
TABS = 3  # pages audited at once: each tab's axe runs in its own renderer


def audit(reader: Reader, paths: list[tuple[str, str]], *, status: int = 200):
    """axe-core on each page (name, path), a few tabs at a time: {page: its serious and
    critical violations, in words}."""
    tabs = [reader.page] + [reader.context.new_page() for _ in range(min(TABS, len(paths)) - 1)]
    found: dict[str, list[str]] = {}
    for start in range(0, len(paths), len(tabs)):
        batch = list(zip(tabs, paths[start : start + len(tabs)], strict=False))
        for tab, (_name, path) in batch:
            response = tab.goto(reader.demo.url + path)
            assert response is not None and response.status == status, (path, response)
            tab.evaluate(AXE_RUN)  # started: the tabs work side by side
        for tab, (name, path) in batch:
            problems = [
                f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}"
                for v in tab.evaluate("() => window.__axe")
                if v["impact"] in BLOCKING
            ]
            if problems:
                found[f"{name} {path}"] = problems
    for tab in tabs[1:]:
        tab.close()
    return found


def hrefs(reader: Reader, selector: str) -> list[str]:
    return reader.page.locator(selector).evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def disputes_by_status(reader: Reader, list_path: str) -> dict[str, str]:
    """The reader's disputes from their list (inbox or queue): one page per status."""
    reader.go(list_path)
    rows = reader.page.locator("tr[data-dispute]").evaluate_all(
        """rows => rows.map(row => [
            (row.querySelector(".status").className.match(/s-([a-z_]+)/) || [])[1],
            row.querySelector("a[href^='/desk/disputes/']").getAttribute("href"),
        ])"""
    )
    found: dict[str, str] = {}
    for status, href in rows:
        found.setdefault(status, href)
    return found


def assistant_pages(reader: Reader) -> list[tuple[str, str]]:
    """The console's ruling agreement (its figures, and the cases behind one) and what-if: the
    form, and a run's report, started here as an operator starts one (issue 15)."""
    reader.go("/desk/operator/ruling-agreement")
    cases = hrefs(reader, "#by-principle a[href*='which=']")[0].split("#")[0]
    reader.go("/desk/operator/whatif")
    reader.page.fill("#p-seller_response_days", "3")
    with reader.page.expect_navigation():
        reader.page.click("#start-whatif")
    run = reader.page.url.split("?")[0].removeprefix(reader.demo.url)
    deadline = time.monotonic() + 60
    while reader.page.locator("#whatif-run").get_attribute("data-state") == "running":
        assert time.monotonic() < deadline, "the what-if did not finish in time"
        reader.go(run)  # a reader's refresh (the run goes on in the server's thread)
    return [
        ("agreement", "/desk/operator/ruling-agreement"),
        ("agreement-cases", cases),
        ("whatif", "/desk/operator/whatif"),
        ("whatifrun", run),
    ]


def console_pages(reader: Reader) -> list[tuple[str, str]]:
    """The operator's console (issue 14, item 4): each of its pages is a kind of its own."""
    reader.go("/desk/operator/users")
    user = hrefs(reader, "#users a[href^='/desk/operator/users/']")[0]
    return [
        ("console", "/desk/operator"),
        ("users", "/desk/operator/users"),
        ("user", user),
        ("stores", "/desk/operator/stores"),
        ("arbitration", "/desk/operator/arbitration"),
        ("redlines", "/desk/operator/red-lines"),
        ("policy", "/desk/operator/policy"),
        ("reports", "/desk/operator/reports"),
    ]


def messaging_pages(reader: Reader, role: str) -> list[tuple[str, str]]:
    """Messages (issue 13): everyone's notifications and own settings; the store's templates,
    a template's editor, the delivery log, a dispute page with a suggested reply in its message
    box; the operator's page of the mail the demo caught."""
    paths = [("notifications", "/desk/notifications"), ("me", "/desk/me")]
    if role == "admin":
        paths.append(("mail", "/desk/operator/mail"))
    if role == "seller":
        reader.go("/desk/store/templates")
        editor = hrefs(reader, "#templates-reply a[href^='/desk/store/templates/']")[0]
        paths += [
            ("msgtemplates", "/desk/store/templates"),
            ("msgtemplate", editor),
            ("msgdeliveries", "/desk/store/messaging/deliveries"),
        ]
        reader.go("/desk/inbox")
        for dispute in hrefs(reader, "tr[data-dispute] a[href^='/desk/disputes/']")[:5]:
            reader.go(dispute)
            use = hrefs(reader, "#suggested-replies a[href*='?reply=']")
            if use:
                paths.append(("msgreply", use[0]))
                break
    return paths


def pages_of(reader: Reader, role: str) -> list[tuple[str, str]]:
    """(name, path) of every kind of page a role sees, found by following its lists: the
    seller's dispute page in every status (each status has its own cards and forms)."""
    if role == "admin":
        return [
            ("queue", "/desk/queue"),
            ("inbox", "/desk/inbox"),
            *console_pages(reader),
            *assistant_pages(reader),
            *messaging_pages(reader, role),
        ]
    if role == "arbitrator":
        cases = disputes_by_status(reader, "/desk/queue")
        queue = [("queue", "/desk/queue")] + [(f"case-{s}", h) for s, h in cases.items()]
        return queue + messaging_pages(reader, role)
    paths = [("inbox", "/desk/inbox"), ("orders", "/desk/orders")]
    disputes = disputes_by_status(reader, "/desk/inbox")
    if role == "buyer":
        disputes = dict(list(disputes.items())[:1])
    paths += [(f"dispute-{status}", href) for status, href in disputes.items()]
    reader.go("/desk/orders")
    paths.append(("order", hrefs(reader, "tr[data-order] td:first-child a")[0]))
    if role == "seller":
        paths.append(("carriers", "/desk/carriers"))
        reader.go("/desk/")
        paths += [
            (f"store-{h.rsplit('/', 1)[-1]}", h)
            for h in hrefs(reader, "nav a[href^='/desk/store/']")
        ]
        # seller metrics (issue 14): the dashboard again (its own kind in Chinese), a list
        # behind a count, a dispute reported as malicious, the report form
        paths.append(("metrics-dashboard", "/desk/store/metrics?period=90d"))
        reader.go("/desk/store/metrics")
        paths.append(("metrics-behind", hrefs(reader, "a[href^='/desk/store/metrics/behind']")[0]))
        reported = hrefs(reader, "#malicious-reports a[href^='/desk/disputes/']")
        paths.append(("malicious-status", reported[0]))
        paths.append(("malicious-form", next(iter(disputes.values())) + "/malicious-report"))
    for href in disputes.values():  # a confirmation step, from a dispute page's button
        reader.go(href)
        steps = hrefs(reader, "a[href*='/confirm/']")
        if steps:
            paths.append(("confirm", steps[0]))
            break
    if role == "buyer":
        reader.go("/desk/orders")
        forms = hrefs(reader, "a[href$='/open-dispute']")
        if forms:
            paths.append(("open-dispute", forms[0]))
    return paths + messaging_pages(reader, role)


def test_no_serious_or_critical_violation_on_any_kind_of_page(demo, browser, axe):
    anonymous = Reader(browser, demo, axe=axe)
    found = audit(anonymous, [(f"login {lo}", f"/desk/login?lang={lo}") for lo in ("en", "zh_CN")])
    missing = [(f"404 {lo}", f"/desk/no-such-page?lang={lo}") for lo in ("en", "zh_CN")]
    found.update(audit(anonymous, missing, status=404))
    anonymous.close()
    for role in ROLES:
        reader = Reader(browser, demo, role, axe=axe)
        paths = pages_of(reader, role)
        assert len(paths) >= 2
        found.update({f"{role} en {k}": v for k, v in audit(reader, paths).items()})
        kinds: dict[str, tuple[str, str]] = {}  # Chinese: the same templates, one of each kind
        for name, path in paths:
            kinds.setdefault(name.split("-")[0], (name, path))
        reader.speak("zh_CN")
        found.update(
            {f"{role} zh_CN {k}": v for k, v in audit(reader, list(kinds.values())).items()}
        )
        reader.speak("en")
        reader.close()
    assert not found, "\n".join(f"{page}:\n  " + "\n  ".join(p) for page, p in found.items())


def main_pages(reader: Reader, role: str) -> list[tuple[str, str]]:
    """Each role's main pages: its home list, and a dispute (or case) page."""
    if role == "admin":
        return [("console", "/desk/operator"), ("queue", "/desk/queue")]
    if role == "arbitrator":
        cases = disputes_by_status(reader, "/desk/queue")
        return [("queue", "/desk/queue"), ("case", next(iter(cases.values())))]
    first = next(iter(disputes_by_status(reader, "/desk/inbox").values()))
    home = "/desk/inbox" if role == "seller" else "/desk/orders"
    return [(home.rsplit("/", 1)[-1], home), ("dispute", first)]


def test_the_main_pages_of_each_role_at_phone_and_desktop_width(demo, browser):
    for role in ROLES:
        reader = Reader(browser, demo, role)
        pages = main_pages(reader, role)
        for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            reader.page.set_viewport_size(viewport)
            chinese = role == "seller" and width_name == "phone"  # a seller in China, on a phone
            for locale in ("en", "zh_CN") if chinese else ("en",):
                reader.speak(locale)
                for name, path in pages:
                    reader.go(path)
                    expect(reader.page.locator("main h1")).to_be_visible()
                    widths = reader.page.evaluate(
                        "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
                    )
                    assert widths[0] <= widths[1] + 1, f"{path}: wider than a {width_name}"
                    image = shot(reader.page, f"{role}-{name}-{width_name}-{locale}")
                    assert image.stat().st_size > 1000
        reader.speak("en")
        reader.close()


COUNTDOWN_EN = re.compile(r"^(\d+ days? \d\d:\d\d:\d\d|overdue by \d+ (days?|hours?|minutes?))$")
COUNTDOWN_ZH = re.compile(r"^(\d+ 天 \d\d:\d\d:\d\d|已超时 \d+ (天|小时|分钟))$")


def test_countdowns_tick_in_words(demo, browser):
    reader = Reader(browser, demo, "seller")
    for locale, pattern in (("en", COUNTDOWN_EN), ("zh_CN", COUNTDOWN_ZH)):
        reader.speak(locale)
        reader.go("/desk/inbox")
        spans = reader.page.locator(".countdown")
        expect(spans.first).to_be_visible()
        reader.page.wait_for_timeout(1_100)  # countdown.js has ticked
        texts = spans.all_inner_texts()
        assert texts and all(pattern.match(text) for text in texts), texts
        if locale == "en":
            assert any(text.startswith("overdue by") for text in texts), texts
            assert any(text.startswith("1 day ") for text in texts), texts
            assert not any("1 days" in text or "0 days 00:00:00" in text for text in texts)
        live = spans.filter(has_not_text=re.compile("overdue|已超时")).first
        before = live.inner_text()
        reader.page.wait_for_timeout(1_100)
        assert live.inner_text() != before, "the countdown did not tick"
    reader.speak("en")
    reader.close()


def test_the_sign_in_form_has_one_field_under_the_other_on_a_desktop(demo, browser):
    reader = Reader(browser, demo)
    reader.go("/desk/login")
    email = reader.page.locator("#email").bounding_box()
    password = reader.page.locator("#password").bounding_box()
    button = reader.page.locator("form.login button[type=submit]").bounding_box()
    assert email and password and button
    assert password["y"] >= email["y"] + email["height"], (email, password)
    assert button["y"] >= password["y"] + password["height"]
    assert email["width"] >= 300 and abs(email["width"] - password["width"]) < 2
    icon = reader.page.locator("link[rel=icon]").get_attribute("href")
    assert icon == "/desk/static/favicon.svg"
    assert reader.page.request.get(demo.url + icon).status == 200
    shot(reader.page, "login-desktop")
    reader.close()
