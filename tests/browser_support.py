"""Real-browser support: Debian's Chromium found (or the run skipped, or failed when
DISPUTEDESK_REQUIRE_BROWSER is set), the real app served by uvicorn on 127.0.0.1 in a thread,
sign-in through the login form, and full-page screenshots under the run's output folder."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api_support import START, Clock
from disputedesk.api.app import create_app
from disputedesk.api.settings import ApiSettings
from disputedesk.store.db import Database
from web_support import PASSWORDS, WebDesk, make_web_desk

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 5_000  # every Playwright wait is bounded by this
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


def chromium_path() -> str:
    """Debian's Chromium, or a skip (a failure when DISPUTEDESK_REQUIRE_BROWSER is set)."""
    found = shutil.which("chromium")
    if not found and os.access("/usr/bin/chromium", os.X_OK):
        found = "/usr/bin/chromium"
    if found:
        return found
    reason = "no Chromium found (looked for `chromium` on PATH and /usr/bin/chromium)"
    if os.environ.get("DISPUTEDESK_REQUIRE_BROWSER"):
        pytest.fail(f"{reason}, and DISPUTEDESK_REQUIRE_BROWSER is set", pytrace=False)
    pytest.skip(f"{reason}; install Debian's chromium to run the browser tests")


def screenshot_dir() -> Path:
    folder = Path(os.environ.get("DISPUTEDESK_TEST_OUTPUT", "test-output")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(page: Any, name: str) -> Path:
    """A full-page PNG of what the browser shows now."""
    path = screenshot_dir() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def template_database(folder: Path) -> Path:
    """A migrated SQLite file with the web desk's users (argon2 hashes are slow on purpose, and
    migrations take a while: built once, then copied for each test)."""
    path = folder / "template.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    make_web_desk(db, folder)
    db.dispose()
    return path


def desk_from_template(template: Path, tmp_path: Path) -> WebDesk:
    """A desk on a fresh copy of the template (SQLite's backup API: WAL-safe), with its own
    clock and data folder, the same way `make_web_desk` builds one."""
    path = tmp_path / "web.db"
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    db = Database(f"sqlite:///{path}")
    clock = Clock(START)
    settings = ApiSettings(data_dir=tmp_path / "data", max_upload_bytes=64 * 1024)
    return WebDesk(db, create_app(db, settings, clock=clock), clock)


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """The app on 127.0.0.1 at a free port (the socket is bound before the server starts, so
    no other process can take the port); yields the base URL and stops the server after."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT_S)
        sock.close()
        assert not thread.is_alive(), "the test server did not stop"


@dataclass
class LiveDesk:
    """The web desk served for a browser: the desk (db, clock) and where it listens."""

    desk: WebDesk
    url: str
    browser: Any
    contexts: list[Any]
    page_errors: list[str]

    def page(self, *, width: int = 1280, height: int = 900, time_zone: str = "UTC") -> Any:
        """A fresh page in its own browser context (its own cookies: one person)."""
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            timezone_id=time_zone,
            locale="en-US",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return page

    def goto(self, page: Any, path: str) -> Any:
        return page.goto(self.url + path)

    def sign_in(self, role: str, **page_options: Any) -> Any:
        """A page signed in as `role` by typing into the login form."""
        page = self.page(**page_options)
        email, password = PASSWORDS[role]
        self.goto(page, "/desk/login")
        page.fill("#email", email)
        page.fill("#password", password)
        with page.expect_navigation():
            page.click("form[action='/desk/login'] button[type=submit]")
        assert "/desk/login" not in page.url, page.content()
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()
