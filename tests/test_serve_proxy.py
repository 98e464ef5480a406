"""`disputedesk serve` believes X-Forwarded-For / X-Forwarded-Proto only from the proxies it is
told to trust (--forwarded-allow-ips, or DISPUTEDESK_FORWARDED_ALLOW_IPS); by default nobody,
so a request cannot pose as another client to the per-address sign-in throttle. The servers
listen on 127.0.0.1 only, and every request goes there."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from disputedesk.cli import app as cli_app
from disputedesk.web.security import FREE_FAILURES
from serve_support import EXE, serve

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PROXY_VARIABLES = ("DISPUTEDESK_FORWARDED_ALLOW_IPS", "FORWARDED_ALLOW_IPS")


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    env["DISPUTEDESK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'desk.db'}"
    env["DISPUTEDESK_DATA_DIR"] = str(tmp_path / "data")
    env.pop("DISPUTEDESK_COOKIE_SECURE", None)
    return env


@contextmanager
def served(tmp_path: Path, *options: str) -> Iterator[str]:
    """`disputedesk serve` on a free loopback port; yields its base URL."""
    env = _environment(tmp_path)
    upgraded = subprocess.run(
        [EXE, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=60
    )
    assert upgraded.returncode == 0, upgraded.stderr
    with serve(env, *options) as server:
        yield server.url


class SignIns:
    """Failed sign-ins against a served desk, each as if from `forwarded_for`: one form's CSRF
    token and its cookie (sent by hand, whatever its flags), a new email every time so that
    only the per-address key of the throttle can stop them."""

    def __init__(self, base: str) -> None:
        self.base = base
        form = httpx.get(f"{base}/desk/login", timeout=10)
        match = _CSRF.search(form.text)
        assert form.status_code == 200 and match
        self.token = match.group(1)
        self.count = 0

    def fail(self, forwarded_for: str) -> httpx.Response:
        self.count += 1
        return httpx.post(
            f"{self.base}/desk/login",
            data={
                "email": f"nobody{self.count}@example.test",
                "password": "not-the-password",
                "csrf_token": self.token,
                "next": "/desk/",
            },
            headers={"Cookie": f"dd_login_csrf={self.token}", "X-Forwarded-For": forwarded_for},
            timeout=10,
        )

    def until_throttled(self, forwarded_for: Iterator[str]) -> httpx.Response:
        """Failed sign-ins until the throttle answers: the free ones, then the first wait
        (1 s, then 2 s, ...: a few more tries make a slow machine's pauses harmless)."""
        for n in range(FREE_FAILURES + 4):
            response = self.fail(next(forwarded_for))
            if response.status_code == 429:
                assert n > FREE_FAILURES, "a free failure was held back"
                return response
            assert response.status_code == 401, response.text
        raise AssertionError("the throttle never answered")


def _login_cookie(base: str, **headers: str) -> str:
    form = httpx.get(f"{base}/desk/login", headers=headers, timeout=10)
    return next(h for h in form.headers.get_list("set-cookie") if h.startswith("dd_login_csrf="))


def test_serve_keys_the_throttle_by_the_peer_whatever_x_forwarded_for_says(tmp_path):
    with served(tmp_path) as base:
        # every attempt "from" another address: all of them 127.0.0.1 to the throttle
        addresses = (f"203.0.113.{n}" for n in range(1, 255))
        throttled = SignIns(base).until_throttled(addresses)
        assert "Too many failed sign-ins. Try again in" in throttled.text
        # nor is X-Forwarded-Proto believed: plain HTTP, so no Secure cookie under `auto`
        assert "Secure" not in _login_cookie(base, **{"X-Forwarded-Proto": "https"})


def test_serve_believes_a_trusted_proxy(tmp_path):
    with served(tmp_path, "--forwarded-allow-ips", "127.0.0.1") as base:
        attempts = SignIns(base)
        throttled = attempts.until_throttled(itertools.repeat("203.0.113.7"))
        assert "Too many failed sign-ins. Try again in" in throttled.text
        # another client behind the same proxy is not held back
        assert attempts.fail("198.51.100.9").status_code == 401
        assert "Secure" in _login_cookie(base, **{"X-Forwarded-Proto": "https"})
        assert "Secure" not in _login_cookie(base)


@pytest.fixture
def captured(monkeypatch, tmp_path) -> dict[str, Any]:
    """`uvicorn.run` replaced: what `serve` and `demo` would have started it with."""
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: seen.update(options))
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    monkeypatch.setenv("DISPUTEDESK_DATABASE_URL", url)
    from disputedesk.store.db import Database

    db = Database(url)
    db.upgrade()
    db.dispose()
    return seen


def _serve(*args: str, **env: str) -> Any:
    return CliRunner().invoke(cli_app, ["serve", *args], env=env or None)


def test_serve_trusts_no_proxy_unless_told(captured, monkeypatch):
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")  # uvicorn's own variable: ignored
    assert _serve().exit_code == 0
    assert captured["proxy_headers"] is False
    captured.clear()
    ran = _serve("--forwarded-allow-ips", " 10.0.0.0/8, 192.0.2.1 ,::1")
    assert ran.exit_code == 0, ran.output
    assert captured["proxy_headers"] is True
    assert captured["forwarded_allow_ips"] == "10.0.0.0/8,192.0.2.1,::1"
    captured.clear()
    assert _serve(DISPUTEDESK_FORWARDED_ALLOW_IPS="fd00::/8").exit_code == 0
    assert (captured["proxy_headers"], captured["forwarded_allow_ips"]) == (True, "fd00::/8")
    captured.clear()
    assert _serve(DISPUTEDESK_FORWARDED_ALLOW_IPS="*").exit_code == 0
    assert captured["forwarded_allow_ips"] == "*"


@pytest.mark.parametrize("value", ["10.0.0.1/8", "proxy.internal", "*,10.0.0.1", "[::1]"])
def test_serve_refuses_a_proxy_list_uvicorn_would_silently_misread(captured, value):
    ran = _serve("--forwarded-allow-ips", value)
    assert ran.exit_code == 2
    assert "forwarded-allow-ips" in ran.output and "is not an IP address" in ran.output
    assert not captured


def test_demo_trusts_no_proxy_unless_told(captured, tmp_path):
    folder = str(tmp_path / "demo")
    bad = CliRunner().invoke(
        cli_app, ["demo", "--folder", folder, "--forwarded-allow-ips", "nonsense"]
    )
    assert bad.exit_code == 2 and not (tmp_path / "demo").exists()  # refused before building
    ran = CliRunner().invoke(
        cli_app, ["demo", "--folder", folder, "--orders", "50", "--interval", "60"]
    )
    assert ran.exit_code == 0, ran.output
    assert captured["proxy_headers"] is False
