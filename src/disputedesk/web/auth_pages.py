"""Sign in, sign out, and the reader's language and time zone."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from disputedesk.services.accounts import AccountSuspended, authenticate_password
from disputedesk.services.commands import ServiceError
from disputedesk.services.sessions import end_session, set_preferences, start_session
from disputedesk.web.render import (
    HOME_BY_ROLE,
    check_csrf,
    database,
    error_page,
    now_of,
    page,
    view_of,
)
from disputedesk.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    cookies_dropped,
    new_token,
    same_token,
    secure_cookies,
)

router = APIRouter(prefix="/desk", include_in_schema=False)


def safe_next(value: str | None, default: str = "/desk/") -> str:
    """Only a path of this desk: never another site (an open redirect)."""
    if value and value.startswith("/desk/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _cookie_mode(request: Request) -> str:
    return request.app.state.web_settings.cookie_secure


def _cookie_secure(request: Request) -> bool:
    """`Secure` cookies: over HTTPS (DISPUTEDESK_COOKIE_SECURE=auto), or as the setting forces."""
    return secure_cookies(_cookie_mode(request), request.url.scheme)


def _https_needed(request: Request) -> HTMLResponse | None:
    """With DISPUTEDESK_COOKIE_SECURE=true, a sign-in over plain HTTP to a host that is not
    local cannot work (the browser drops the Secure cookies): say so, in place of the form."""
    host = request.url.hostname
    forwarded = request.headers.get("x-forwarded-proto", "")
    if not cookies_dropped(_cookie_mode(request), request.url.scheme, host, forwarded):
        return None
    view = view_of(request, required=False)
    https = str(request.url.replace(scheme="https", port=None))
    return error_page(view, 403, "login.https_needed", "forbidden", https)


def _login_page(
    request: Request,
    *,
    status: int = 200,
    message: str = "",
    email: str = "",
    next_path: str = "/desk/",
    signed_out: bool = False,
) -> HTMLResponse:
    view = view_of(request, required=False)
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_token()
    response = page(
        view,
        "login.html",
        status=status,
        message=message,
        email=email,
        next_path=next_path,
        login_csrf=token,
        signed_out=signed_out,
        done=None,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        secure=_cookie_secure(request),
        samesite="strict",
        path="/desk/login",
    )
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None, out: int = 0) -> Response:
    view = view_of(request, required=False)
    if view.session is not None:
        return RedirectResponse(safe_next(next, HOME_BY_ROLE[view.session.principal.role]), 303)
    return _https_needed(request) or _login_page(
        request, next_path=safe_next(next), signed_out=bool(out)
    )


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/desk/",
    time_zone: Annotated[str, Form(max_length=64)] = "UTC",
    locale: Annotated[str, Form(max_length=16)] = "en",
) -> Response:
    view = view_of(request, required=False)
    refused = _https_needed(request)
    if refused is not None:
        return refused
    kept = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not same_token(kept, csrf_token):
        # no cookie at all: the browser did not keep it (blocked, or Secure over plain HTTP);
        # a cookie that does not match: a stale form, or one from another site
        words = view.t("login.no_cookie") if not kept else view.t("error.csrf")
        return _login_page(request, status=403, message=words, email=email, next_path=next)
    throttle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    keys = (f"email:{email.strip().lower()}", f"client:{client}")
    wait = throttle.wait_seconds(*keys)
    if wait:
        return _login_page(
            request,
            status=429,
            message=view.t("login.throttled", seconds=wait),
            email=email,
            next_path=next,
        )
    db = database(request)
    try:
        principal = authenticate_password(db, email, password)
    except AccountSuspended as exc:  # the right password: an operator suspended the account
        message = view.t("login.suspended", reason=exc.reason)
        return _login_page(request, status=403, message=message, email=email, next_path=next)
    if principal is None:
        throttle.failed(*keys)
        return _login_page(
            request, status=401, message=view.t("login.failed"), email=email, next_path=next
        )
    throttle.succeeded(keys[0])
    token, session = start_session(
        db, principal, locale=locale, time_zone=time_zone, now=now_of(request)
    )
    home = HOME_BY_ROLE[principal.role]
    target = safe_next(next, home)
    response = RedirectResponse(home if target == "/desk/" else target, 303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int((session.expires_at - now_of(request)).total_seconds()),
        httponly=True,
        secure=_cookie_secure(request),
        samesite="lax",
        path="/",
    )
    response.delete_cookie(
        LOGIN_CSRF_COOKIE,
        path="/desk/login",
        secure=_cookie_secure(request),
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    assert view.session is not None
    end_session(database(request), view.session.id, now=now_of(request))
    response = RedirectResponse("/desk/login?out=1", 303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=_cookie_secure(request), httponly=True, samesite="lax"
    )
    return response


@router.post("/preferences")
def preferences(
    request: Request,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    locale: Annotated[str | None, Form(max_length=16)] = None,
    time_zone: Annotated[str | None, Form(max_length=64)] = None,
    next: Annotated[str, Form(max_length=2000)] = "/desk/",
) -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    assert view.session is not None
    # an unknown language or zone is ignored; the page shows what is in effect
    with contextlib.suppress(ServiceError):
        set_preferences(database(request), view.session.id, locale=locale, time_zone=time_zone)
    return RedirectResponse(safe_next(next), 303)


@router.get("/")
def home(request: Request) -> Response:
    view = view_of(request)
    assert view.session is not None
    return RedirectResponse(HOME_BY_ROLE[view.session.principal.role], 303)
