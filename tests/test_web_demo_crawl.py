"""Every page of the demo marketplace renders for every role: sign in with each printed login,
follow every /desk/ link from the lists (bounded), and find no broken page or dead link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from disputedesk.api.app import create_app
from disputedesk.api.settings import ApiSettings
from disputedesk.demo.marketplace import build_demo
from disputedesk.store.db import Database
from web_support import sign_in

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
LINK = re.compile(r'href="(/desk/[^"#]*)"')
MAX_PAGES = 120


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    db = Database(f"sqlite:///{folder}/demo.db")
    db.upgrade()
    summary = build_demo(db, now=NOW, seed=11, orders=80)
    app = create_app(db, ApiSettings(data_dir=folder / "data"), clock=lambda: NOW)
    yield app, summary
    db.dispose()


def crawl(client: TestClient, start: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or path.startswith(("/desk/static", "/desk/evidence")):
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code == 200 and "text/html" in response.headers["content-type"]:
            queue.extend(p.replace("&amp;", "&") for p in LINK.findall(response.text))
    return seen


@pytest.mark.parametrize("role", ["seller", "buyer", "arbitrator", "admin"])
def test_every_linked_page_renders_for_every_role(demo, role):
    app, summary = demo
    logins = [login for login in summary.logins if login.role == role]
    assert logins
    for login in logins[:2]:
        client = TestClient(app, base_url="https://testserver", follow_redirects=True)
        assert sign_in(client, login.email, login.password).status_code == 200
        for locale in ("en", "zh_CN"):
            client.cookies.clear()
            sign_in(client, login.email, login.password, locale=locale, time_zone="Asia/Shanghai")
            seen = crawl(client, "/desk/")
            broken = {path: status for path, status in seen.items() if status != 200}
            assert not broken, broken
            assert len(seen) > 3
