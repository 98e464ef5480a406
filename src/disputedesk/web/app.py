"""Putting the web desk on the API's FastAPI app: its routes under /desk, its static files,
and the handlers that turn errors on /desk pages into pages (not problem+json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from disputedesk.web import auth_pages, claim_pages, desk_pages, dispute_pages, staff_pages
from disputedesk.web.advice_pages import router as advice_router
from disputedesk.web.carrier_pages import router as carrier_router
from disputedesk.web.messaging_pages import router as messaging_router
from disputedesk.web.metrics_pages import router as metrics_router
from disputedesk.web.notification_pages import router as notification_router
from disputedesk.web.operator_pages import router as operator_router
from disputedesk.web.render import LoginRequired, PageError, error_page, view_of
from disputedesk.web.security import LoginThrottle
from disputedesk.web.store_pages import router as store_router
from disputedesk.web.template_pages import router as template_router
from disputedesk.web.tracking_pages import router as tracking_entry_router
from disputedesk.web.whatif_pages import router as whatif_router

STATIC = Path(__file__).with_name("static")
PREFIX = "/desk"


class WebSettings(BaseSettings):
    """DISPUTEDESK_COOKIE_SECURE: when the desk's cookies are `Secure`.

    - `auto` (the default): exactly when the request came over HTTPS (the scheme an HTTPS proxy
      forwards counts only when `disputedesk serve --forwarded-allow-ips` trusts that proxy).
      Plain HTTP to any host then works; browsers keep Secure cookies for http://localhost and
      http://127.0.0.1 anyway.
    - `true`: always; a sign-in page served over plain HTTP to any other host says the desk must
      be opened over HTTPS instead of showing a form that cannot succeed.
    - `false`: never.

    The older boolean spellings (1/0, yes/no, on/off) still mean `true` and `false`."""

    model_config = SettingsConfigDict(env_prefix="DISPUTEDESK_", extra="ignore")

    cookie_secure: Literal["auto", "true", "false"] = "auto"

    @field_validator("cookie_secure", mode="before")
    @classmethod
    def _cookie_secure_words(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            word = value.strip().lower()
            return _COOKIE_SECURE_WORDS.get(word, word)
        return value


_COOKIE_SECURE_WORDS = {
    **dict.fromkeys(("1", "yes", "on", "always"), "true"),
    **dict.fromkeys(("0", "no", "off", "never"), "false"),
}


def is_page(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


def page_for_error(request: Request, status: int, code: str, detail: str = "") -> Response:
    """An error on a /desk path, as a page in the reader's language."""
    key = {404: "error.not_found", 403: "error.forbidden"}.get(status, "error.title")
    view = view_of(request, required=False)
    return error_page(view, status, key, code, detail)


def install_web(app: FastAPI, settings: WebSettings | None = None) -> None:
    app.state.web_settings = settings or WebSettings()
    if getattr(app.state, "login_throttle", None) is None:  # the API's shared one, if set
        app.state.login_throttle = LoginThrottle()
    app.state.page_for_error = page_for_error
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="desk-static")
    app.include_router(auth_pages.router)
    app.include_router(desk_pages.router)
    app.include_router(staff_pages.router)  # staff, invitations
    app.include_router(claim_pages.router)  # case claims: before the dispute page's actions
    app.include_router(metrics_router)  # seller metrics, malicious reports: before them too
    app.include_router(dispute_pages.router)
    app.include_router(tracking_entry_router)  # the seller's manual tracking entry
    app.include_router(carrier_router)
    app.include_router(store_router)  # return addresses, inbox export, bulk accept
    app.include_router(messaging_router)  # messaging settings, delivery log (issue 13)
    app.include_router(template_router)  # the template editor
    app.include_router(notification_router)  # notifications, /desk/me, the demo's mail
    app.include_router(operator_router)  # the operator's console, password links
    app.include_router(advice_router)  # the console's ruling agreement (issue 15)
    app.include_router(whatif_router)  # the console's what-if (issue 15)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"{PREFIX}/login?next={quote(exc.next_path, safe='/')}", 303)

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> Response:
        view = view_of(request, required=False)
        return error_page(view, exc.status, exc.key, exc.code, exc.detail)

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return RedirectResponse(f"{PREFIX}/", 303)
