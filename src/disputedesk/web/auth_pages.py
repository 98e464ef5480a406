"""Sign in, sign out, and the reader's language and time zone."""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from disputedesk.services.accounts import authenticate_password
from disputedesk.services.commands import ServiceError
from disputedesk.services.sessions import end_session, set_preferences, start_session
from disputedesk.web.render import (
    HOME_BY_ROLE,
    check_csrf,
    database,
    now_of,
    page,
    view_of,
)
from disputedesk.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, new_token, same_token

router = APIRouter(prefix="/desk", include_in_schema=False)


def safe_next(value: str | None, default: str = "/desk/") -> str:
    """Only a path of this desk: never another site (an open redirect)."""
    if value and value.startswith("/desk/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _cookie_secure(request: Request) -> bool:
    return request.app.state.web_settings.cookie_secure


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
    return _login_page(request, next_path=safe_next(next), signed_out=bool(out))


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
    if not same_token(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        return _login_page(
            request, status=403, message=view.t("error.csrf"), email=email, next_path=next
        )
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
    principal = authenticate_password(db, email, password)
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
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/desk/login")
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    view = view_of(request)
    check_csrf(view, csrf_token)
    assert view.session is not None
    end_session(database(request), view.session.id, now=now_of(request))
    response = RedirectResponse("/desk/login?out=1", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
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
