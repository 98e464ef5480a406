"""The operator's console (`/desk/operator`, the `admin` role, shown as operator): the overview
with the audit trail, users, stores, the arbitration desk's health, red lines and penalties,
the policy in force, and malicious dispute reports; and the password link's own page
(`/desk/reset/<token>`, for the user it was made for).

Every figure and every rule is `services.operators` (users, stores, arbitration, policy),
`services.redlines` and `services.malicious`: the API's `/operator/...` calls the same. What
cannot be taken back (suspending, a password link, revoking tokens, a report's decision, a
red line) goes through a confirmation step without JavaScript; a form sent twice is told it
was already done. The console's navigation is one list (`templates/operator_nav.html`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from disputedesk.rules.redlines import DEFAULT_LINES_PPM, METRICS, PPM, Verdict
from disputedesk.services import malicious, operators
from disputedesk.services.accounts import ROLES, Principal
from disputedesk.services.commands import ServiceError
from disputedesk.services.redlines import parse_percent, set_red_line
from disputedesk.store import tables as t
from disputedesk.web import i18n, words
from disputedesk.web.carrier_pages import country_name
from disputedesk.web.render import (
    PageError,
    View,
    check_csrf,
    database,
    now_of,
    page,
    require_role,
    view_of,
)

router = APIRouter(prefix="/desk", include_in_schema=False)
BASE = "/desk/operator"
MAX_ID = 2**63 - 1
# what each of the console's form fields may hold (longer: refused in words, the form kept)
LIMITS = {
    "email": 320,
    "name": 200,
    "buyer_id": 64,
    "store_id": 64,
    "reason": operators.MAX_REASON,
    "note": malicious.MAX_REASON,
    "category": 200,
    "threshold": 12,
    "effective_from": 40,
    "q": 200,
    "prefix": 16,
}
BEHIND_SHOWN = 12  # disputes named under a penalty (then "and N more")
USERS_PAGE = 100  # users a page lists


# -- the reader and their forms ---------------------------------------------------------------


def _view(request: Request) -> View:
    view = view_of(request)
    require_role(view, "admin")
    return view


def _me(view: View) -> Principal:
    assert view.session is not None
    return view.session.principal


async def _form(request: Request, view: View) -> dict[str, str]:
    """The form's fields (text only), its CSRF token checked."""
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    check_csrf(view, values.get("csrf_token"))
    return values


def _too_long(view: View, values: dict[str, str]) -> str | None:
    for name, limit in LIMITS.items():
        length = len(values.get(name) or "")
        if length > limit:
            return view.t(
                "op.check.too_long",
                field=view.t(f"op.field.{name}"),
                limit=f"{limit:,}",
                length=f"{length:,}",
            )
    return None


def refusal_words(view: View, exc: ServiceError) -> str:
    """An operator action refused, in the reader's words: the rule's own sentence, else the
    words of the service's refusal (an email already taken, a password too short...)."""
    if isinstance(exc, operators.Refusal):
        key = f"op.refusal.{exc.rule}"
        if i18n.has(key):
            return view.t(key, **exc.params)
    message = exc.message
    for start, key in _MESSAGES:
        if message.startswith(start) and i18n.has(key):
            return view.t(key)
    if exc.code == "conflict":
        return view.t("op.refusal.conflict")
    return words.service_error(exc.code, message, locale=view.locale)


# the services' refusals without a rule of their own: the start of the message -> the words
_MESSAGES = (
    ("email:", "op.refusal.email"),
    ("a user with email", "op.refusal.user_exists"),
    ("name:", "op.refusal.name"),
    ("password:", "op.refusal.password"),
    ("buyer_id", "op.refusal.buyer_id"),
    ("role:", "op.refusal.role"),
    ("store_role:", "op.refusal.role"),
    ("store_id", "op.refusal.store_only_seller"),
    ("threshold:", "op.refusal.threshold"),
    ("category:", "op.refusal.category"),
    ("note:", "op.refusal.note"),
    ("report ", "op.refusal.report"),
)


def _row_id(value: str, what: str) -> int:
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise PageError(404, "error.not_found", "not_found", f"{what} {value!r}")
    return int(value)


def _go(path: str, *, done: str | None = None, already: str | None = None) -> Response:
    query = {"done": done} if done else {"already": already} if already else {}
    separator = "&" if "?" in path else "?"
    return RedirectResponse(path + (separator + urlencode(query) if query else ""), 303)


def _not_found(exc: ServiceError) -> PageError:
    return PageError(404, "error.not_found", "not_found", exc.message)


@dataclass(frozen=True, slots=True)
class Confirm:
    """The confirmation step of an operator's action (no JavaScript): what it will do, the
    form that sends it again with `confirm=yes`, and the way back."""

    sentences: list[str]
    action_url: str
    back_url: str
    label: str
    fields: dict[str, str]
    irreversible: bool = True
    primary: bool = False


def _confirm(view: View, confirm: Confirm) -> HTMLResponse:
    return page(view, "operator_confirm.html", c=confirm)


# -- words the templates share ----------------------------------------------------------------


class Say:
    """The console's figures in the reader's words (the templates' `say`)."""

    def __init__(self, view: View) -> None:
        self.view = view

    def number(self, n: int | None) -> str:
        return "—" if n is None else format_decimal(n, locale=_babel(self.view.locale))

    def rate(self, value: Fraction | float | None) -> str:
        """A rate as a percentage with up to 2 decimals ("7.14%"); "—" without a figure."""
        if value is None:
            return self.view.t("op.no_figure")
        percent = float(value) * 100
        text = format_decimal(round(percent, 2), format="#,##0.##", locale=_babel(self.view.locale))
        return f"{text}%"

    def ppm(self, value: int | None) -> str:
        return self.rate(None if value is None else Fraction(value, PPM))

    def metric(self, name: str | None) -> str:
        key = f"op.metric.{name}"
        return self.view.t(key) if name and i18n.has(key) else self.view.t("op.unknown")

    def category(self, category: str | None) -> str:
        return category if category else self.view.t("op.lines.every_category")

    def duration(self, value: timedelta | None) -> str:
        """ "2 days 5 hours", "3 hours 10 minutes", "12 minutes"; "—" when there is none."""
        if value is None:
            return self.view.t("op.no_figure")
        locale = self.view.locale
        seconds = max(0, int(value.total_seconds()))
        day_count, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes = rest // 60
        if day_count:
            parts = [i18n.plural(locale, "unit.day", day_count)]
            if hours:
                parts.append(i18n.plural(locale, "unit.hour", hours))
        elif hours:
            parts = [i18n.plural(locale, "unit.hour", hours)]
            if minutes:
                parts.append(i18n.plural(locale, "unit.minute", minutes))
        else:
            parts = [i18n.plural(locale, "unit.minute", minutes)]
        return " ".join(parts)

    def role(self, role: str) -> str:
        return self.view.role_word(role)

    def staff_role(self, role: str) -> str:
        key = f"staff.role.{role}"
        return self.view.t(key) if i18n.has(key) else role

    def level(self, level: str) -> str:
        return self.view.t(f"op.level.{level}")

    def verdict(self, v: Verdict) -> str:
        return self.view.t(
            "op.verdict",
            metric=self.metric(v.metric),
            category=v.category,
            figure=self.rate(v.figure),
            line=self.rate(v.line.threshold),
        )

    def country(self, code: str) -> str:
        return country_name(code, self.view.locale) if code != "?" else self.view.t("op.unknown")

    def policy_name(self, name: str) -> str:
        key = f"op.policy.name.{name}"
        return self.view.t(key) if i18n.has(key) else name

    def parameter(self, p: operators.PolicyParameter, value: int | str | None = None) -> str:
        value = p.value if value is None else value
        if p.unit == "calendar":
            return self.view.t("op.policy.calendar", country=self.country(str(value)))
        return i18n.plural(self.view.locale, f"op.unit.{p.unit}", int(value))

    def audit(self, entry: operators.AuditEntry) -> str:
        subject = entry.subject
        if entry.what == "red_line_set":
            subject = self.metric(entry.subject)
        return self.view.t(f"op.audit.{entry.what}", subject=subject)


def _babel(locale: str) -> str:
    return i18n.babel_locale(locale)


def _page(view: View, template: str, **context: Any) -> HTMLResponse:
    context.setdefault("done", view.done())
    context.setdefault("error", "")
    return page(view, template, say=Say(view), **context)


# -- the overview -----------------------------------------------------------------------------


@router.get("/operator")
def overview(request: Request) -> HTMLResponse:
    """Every store's and the arbitration desk's health at a glance, and the latest actions."""
    view = _view(request)
    db = database(request)
    now = view.now
    stores = operators.list_stores(db, now=now)
    health = operators.arbitration_health(db, now=now)
    with db.engine.connect() as conn:
        pending = conn.scalar(
            select(func.count())
            .select_from(t.malicious_reports)
            .where(t.malicious_reports.c.status == "pending")
        )
        penalties = conn.scalar(
            select(func.count())
            .select_from(t.penalties)
            .where(t.penalties.c.created_at >= now - timedelta(days=30))
        )
    return _page(
        view,
        "operator_overview.html",
        users=operators.count_users(db),
        stores=stores,
        over=sum(1 for s in stores if s.level == "over"),
        near=sum(1 for s in stores if s.level == "near"),
        suspended_stores=sum(1 for s in stores if s.suspended),
        health=health,
        pending_reports=int(pending or 0),
        penalties=int(penalties or 0),
        trail=operators.audit(db, limit=25),
    )


# -- users ------------------------------------------------------------------------------------

EMPTY_USER = {
    "email": "",
    "name": "",
    "role": "seller",
    "store_id": "",
    "store_role": "owner",
    "buyer_id": "",
}


def _users_page(
    request: Request,
    view: View,
    *,
    error: str = "",
    status: int = 200,
    form: dict[str, str] | None = None,
    made: operators.NewUser | None = None,
) -> HTMLResponse:
    db = database(request)
    params = request.query_params
    q = (params.get("q") or "").strip()
    role = params.get("role") or ""
    state = params.get("state") or ""
    refused = _too_long(view, {"q": q})
    if refused:
        q, error, status = "", refused, 422
    offset = _offset(params.get("offset"))
    users = operators.list_users(
        db,
        search=q or None,
        role=role if role in ROLES else None,
        suspended={"suspended": True, "active": False}.get(state),
        limit=USERS_PAGE + 1,
        offset=offset,
    )
    kept = {k: v for k, v in params.items() if k != "offset" and v}
    link = ""
    if made is not None and made.reset is not None:
        link = str(request.base_url).rstrip("/") + made.reset.path()
    return _page(
        view,
        "operator_users.html",
        status=status,
        users=users[:USERS_PAGE],
        offset=offset,
        query_next=urlencode({**kept, "offset": offset + USERS_PAGE})
        if len(users) > USERS_PAGE
        else "",
        query_prev=urlencode({**kept, "offset": max(0, offset - USERS_PAGE)}),
        q=q,
        role=role if role in ROLES else "",
        state=state if state in ("suspended", "active") else "",
        roles=ROLES,
        store_ids=sorted(operators.store_names(db, _all_store_ids(db))),
        form=form or EMPTY_USER,
        made=made,
        link=link,
        error=error,
    )


def _offset(text: str | None) -> int:
    """A list's offset from the query: whole, from 0; anything else is 0."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return 0
    return int(text)


def _all_store_ids(db: Any) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.scalars(select(t.stores.c.id)))


@router.get("/operator/users")
def users(request: Request) -> HTMLResponse:
    return _users_page(request, _view(request))


@router.post("/operator/users")
async def create_user(request: Request) -> Response:
    """A new user, and the link to set their password, shown this once (a refresh of this
    page does not show it again)."""
    view = _view(request)
    form = await _form(request, view)
    kept = {name: form.get(name, "") for name in EMPTY_USER}
    refused = _too_long(view, kept)
    if refused:
        return _users_page(request, view, error=refused, status=422, form=kept)
    role = kept["role"] if kept["role"] in ROLES else ""
    try:
        made = operators.create_user(
            database(request),
            _me(view),
            email=kept["email"],
            name=kept["name"],
            role=role or kept["role"],
            buyer_id=kept["buyer_id"] if role == "buyer" else None,
            store_id=kept["store_id"] if role == "seller" else None,
            store_role=kept["store_role"] if kept["store_role"] in ("owner", "agent") else "owner",
            now=now_of(request),
        )
    except ServiceError as exc:
        status = 409 if exc.code == "conflict" else 404 if exc.code == "not_found" else 422
        return _users_page(request, view, error=refusal_words(view, exc), status=status, form=kept)
    return _users_page(request, view, made=made, status=201)


def _user_page(
    request: Request,
    view: View,
    user_id: int,
    *,
    error: str = "",
    status: int = 200,
    reason: str = "",
    new_link: operators.NewReset | None = None,
) -> HTMLResponse:
    db = database(request)
    try:
        detail = operators.get_user(db, user_id, now=view.now)
    except ServiceError as exc:
        raise _not_found(exc) from None
    me = _me(view)
    last_operator = False
    if detail.user.role == "admin" and not detail.user.suspended:
        active = operators.list_users(db, role="admin", suspended=False)
        last_operator = len(active) <= 1
    return _page(
        view,
        "operator_user.html",
        status=status,
        d=detail,
        u=detail.user,
        is_me=user_id == me.user_id,
        last_operator=last_operator,
        reason=reason,
        link=str(request.base_url).rstrip("/") + new_link.path() if new_link else "",
        new_link=new_link,
        error=error,
    )


@router.get("/operator/users/{user_id}")
def user(request: Request, user_id: str) -> HTMLResponse:
    view = _view(request)
    return _user_page(request, view, _row_id(user_id, "user"))


def _user_name(request: Request, user_id: int) -> operators.UserLine:
    try:
        return operators.get_user(database(request), user_id).user
    except ServiceError as exc:
        raise _not_found(exc) from None


@router.post("/operator/users/{user_id}/suspend")
async def suspend_user(request: Request, user_id: str) -> Response:
    view = _view(request)
    form = await _form(request, view)
    number = _row_id(user_id, "user")
    back = f"{BASE}/users/{number}"
    reason = form.get("reason", "")
    refused = _too_long(view, {"reason": reason})
    if refused:
        return _user_page(request, view, number, error=refused, status=422, reason=reason)
    target = _user_name(request, number)
    if not reason.strip():
        words_ = view.t("op.refusal.reason_missing")
        return _user_page(request, view, number, error=words_, status=422, reason=reason)
    if form.get("confirm") != "yes":
        if target.suspended:
            return _go(back, already="op_user_suspended")
        return _confirm(
            view,
            Confirm(
                [
                    view.t("op.confirm.suspend_user", name=target.name, email=target.email),
                    view.t("op.confirm.reason", reason=reason.strip()),
                    view.t("op.confirm.suspend_user_then"),
                ],
                f"{back}/suspend",
                back,
                view.t("op.user.suspend"),
                {"reason": reason},
                irreversible=False,
            ),
        )
    try:
        operators.suspend_user(
            database(request), _me(view), number, reason=reason, now=now_of(request)
        )
    except operators.Refusal as exc:
        if exc.rule == "already_suspended":
            return _go(back, already="op_user_suspended")
        return _user_page(
            request, view, number, error=refusal_words(view, exc), status=409, reason=reason
        )
    except ServiceError as exc:
        return _user_page(
            request, view, number, error=refusal_words(view, exc), status=422, reason=reason
        )
    return _go(back, done="op_user_suspended")


@router.post("/operator/users/{user_id}/unsuspend")
async def unsuspend_user(request: Request, user_id: str) -> Response:
    view = _view(request)
    await _form(request, view)
    number = _row_id(user_id, "user")
    back = f"{BASE}/users/{number}"
    try:
        operators.unsuspend_user(database(request), _me(view), number, now=now_of(request))
    except operators.Refusal as exc:
        if exc.rule == "not_suspended":
            return _go(back, already="op_user_unsuspended")
        raise
    except ServiceError as exc:
        raise _not_found(exc) from None
    return _go(back, done="op_user_unsuspended")


@router.post("/operator/users/{user_id}/password-reset")
async def password_reset(request: Request, user_id: str) -> Response:
    """The link is on the page this answers with, once (kept only as its SHA-256)."""
    view = _view(request)
    form = await _form(request, view)
    number = _row_id(user_id, "user")
    back = f"{BASE}/users/{number}"
    target = _user_name(request, number)
    if form.get("confirm") != "yes":
        return _confirm(
            view,
            Confirm(
                [
                    view.t("op.confirm.reset", name=target.name, email=target.email),
                    view.t("op.confirm.reset_then"),
                ],
                f"{back}/password-reset",
                back,
                view.t("op.user.reset"),
                {},
            ),
        )
    made = operators.reset_password(database(request), _me(view), number, now=now_of(request))
    return _user_page(request, view, number, new_link=made)


@router.post("/operator/users/{user_id}/revoke-tokens")
async def revoke_tokens(request: Request, user_id: str) -> Response:
    view = _view(request)
    form = await _form(request, view)
    number = _row_id(user_id, "user")
    back = f"{BASE}/users/{number}"
    prefix = form.get("prefix", "").strip()
    if _too_long(view, {"prefix": prefix}):
        raise PageError(404, "error.not_found", "not_found", "token")
    target = _user_name(request, number)
    if form.get("confirm") != "yes":
        if not target.active_tokens:
            return _go(back, already="op_tokens_revoked")
        sentence = (
            view.t("op.confirm.revoke_one", prefix=prefix, name=target.name)
            if prefix
            else view.t("op.confirm.revoke_all", count=target.active_tokens, name=target.name)
        )
        return _confirm(
            view,
            Confirm(
                [sentence, view.t("op.confirm.revoke_then")],
                f"{back}/revoke-tokens",
                back,
                view.t("op.tokens.revoke_one" if prefix else "op.tokens.revoke_all"),
                {"prefix": prefix} if prefix else {},
            ),
        )
    try:
        count = operators.revoke_tokens(
            database(request), _me(view), number, prefix=prefix or None, now=now_of(request)
        )
    except operators.Refusal as exc:
        if exc.rule == "no_token":  # revoked by the first of two sends
            return _go(back, already="op_tokens_revoked")
        raise
    if not count:
        return _go(back, already="op_tokens_revoked")
    return _go(back, done="op_tokens_revoked")


# -- the password link ------------------------------------------------------------------------


def _reset_page(
    request: Request, token: str, *, error: str = "", status: int = 200
) -> HTMLResponse:
    view = view_of(request, required=False)
    try:
        link = operators.find_reset(database(request), token, now=now_of(request))
    except ServiceError as exc:
        expired = exc.code == "too_late"
        return page(
            view,
            "operator_reset.html",
            status=410 if expired else 404,
            link=None,
            problem=view.t("op.reset.expired" if expired else "op.reset.invalid"),
            token=token,
            error="",
        )
    return page(
        view, "operator_reset.html", status=status, link=link, problem="", token=token, error=error
    )


@router.get("/reset/{token}")
def reset_link(request: Request, token: str) -> HTMLResponse:
    """Whose password the link sets, until when, and the form (the sign-up rules)."""
    return _reset_page(request, token)


@router.post("/reset/{token}")
async def use_reset_link(request: Request, token: str) -> Response:
    """Set the new password: the link is used up and every session of the user ends; then
    the sign-in page. (The link's secret is what a forged form cannot know.)"""
    form = await request.form()
    password = form.get("password")
    again = form.get("password_again")
    view = view_of(request, required=False)
    if not isinstance(password, str) or not isinstance(again, str) or len(password) > 1000:
        return _reset_page(request, token, error=view.t("op.reset.password_rules"), status=422)
    if password != again:
        return _reset_page(request, token, error=view.t("op.reset.mismatch"), status=422)
    try:
        operators.use_reset(database(request), token, password, now=now_of(request))
    except ServiceError as exc:
        if exc.code == "invalid_input":
            words_ = view.t("op.reset.password_rules")
            return _reset_page(request, token, error=words_, status=422)
        return _reset_page(request, token)
    return RedirectResponse(f"/desk/reset-done?lang={view.locale}", 303)


@router.get("/reset-done")
def reset_done(request: Request) -> HTMLResponse:
    view = view_of(request, required=False)
    return page(view, "operator_reset.html", link=None, problem="", token="", error="", done_=True)


# -- stores -----------------------------------------------------------------------------------


def _stores_page(
    request: Request,
    view: View,
    *,
    error: str = "",
    status: int = 200,
    form: dict[str, str] | None = None,
    suspending: str = "",
) -> HTMLResponse:
    db = database(request)
    q = (request.query_params.get("q") or "").strip()
    if _too_long(view, {"q": q}):
        q = ""
    state = request.query_params.get("state") or ""
    stores = operators.list_stores(
        db,
        now=view.now,
        search=q or None,
        suspended={"suspended": True, "active": False}.get(state),
    )
    period = operators.metrics_period(view.now)
    return _page(
        view,
        "operator_stores.html",
        status=status,
        stores=stores,
        q=q,
        state=state if state in ("suspended", "active") else "",
        period=period,
        form=form or {"store_id": "", "name": "", "reason": ""},
        suspending=suspending,
        error=error,
    )


@router.get("/operator/stores")
def stores(request: Request) -> HTMLResponse:
    return _stores_page(request, _view(request))


@router.post("/operator/stores")
async def create_store(request: Request) -> Response:
    view = _view(request)
    form = await _form(request, view)
    kept = {
        "store_id": form.get("store_id", "").strip(),
        "name": form.get("name", ""),
        "reason": "",
    }
    refused = _too_long(view, kept)
    if refused:
        return _stores_page(request, view, error=refused, status=422, form=kept)
    try:
        operators.create_store(
            database(request),
            _me(view),
            store_id=kept["store_id"],
            name=kept["name"],
            now=now_of(request),
        )
    except ServiceError as exc:
        status = 409 if exc.code == "conflict" else 422
        return _stores_page(request, view, error=refusal_words(view, exc), status=status, form=kept)
    return _go(f"{BASE}/stores", done="op_store_created")


def _store_or_404(request: Request, store_id: str) -> operators.StoreLine:
    if len(store_id) > 64:
        raise PageError(404, "error.not_found", "not_found", "store")
    try:
        return operators.get_store(database(request), store_id, now=now_of(request))
    except ServiceError as exc:
        raise _not_found(exc) from None


@router.post("/operator/stores/{store_id}/suspend")
async def suspend_store(request: Request, store_id: str) -> Response:
    view = _view(request)
    form = await _form(request, view)
    store = _store_or_404(request, store_id)
    back = f"{BASE}/stores"
    reason = form.get("reason", "")
    kept = {"store_id": "", "name": "", "reason": reason}
    refused = _too_long(view, {"reason": reason})
    if refused:
        return _stores_page(
            request, view, error=refused, status=422, form=kept, suspending=store.id
        )
    if not reason.strip():
        words_ = view.t("op.refusal.reason_missing")
        return _stores_page(request, view, error=words_, status=422, suspending=store.id)
    if form.get("confirm") != "yes":
        if store.suspended:
            return _go(back, already="op_store_suspended")
        return _confirm(
            view,
            Confirm(
                [
                    view.t("op.confirm.suspend_store", name=store.name, store=store.id),
                    view.t("op.confirm.reason", reason=reason.strip()),
                    view.t("op.confirm.suspend_store_then"),
                ],
                f"{back}/{store.id}/suspend",
                back,
                view.t("op.store.suspend"),
                {"reason": reason},
                irreversible=False,
            ),
        )
    try:
        operators.suspend_store(
            database(request), _me(view), store.id, reason=reason, now=now_of(request)
        )
    except operators.Refusal as exc:
        if exc.rule == "already_suspended":
            return _go(back, already="op_store_suspended")
        raise
    return _go(back, done="op_store_suspended")


@router.post("/operator/stores/{store_id}/unsuspend")
async def unsuspend_store(request: Request, store_id: str) -> Response:
    view = _view(request)
    await _form(request, view)
    store = _store_or_404(request, store_id)
    try:
        operators.unsuspend_store(database(request), _me(view), store.id, now=now_of(request))
    except operators.Refusal as exc:
        if exc.rule == "not_suspended":
            return _go(f"{BASE}/stores", already="op_store_unsuspended")
        raise
    return _go(f"{BASE}/stores", done="op_store_unsuspended")


# -- the arbitration desk ---------------------------------------------------------------------


@router.get("/operator/arbitration")
def arbitration(request: Request) -> HTMLResponse:
    view = _view(request)
    db = database(request)
    health = operators.arbitration_health(db, now=view.now)
    names = operators.store_names(db, [case.store_id for case in health.late])
    return _page(view, "operator_arbitration.html", h=health, store_names=names)


# -- red lines and penalties ------------------------------------------------------------------

EMPTY_LINE = {
    "metric": "nad_rate",
    "category": "",
    "threshold": "",
    "effective_from": "",
    "note": "",
}


def _lines_page(
    request: Request,
    view: View,
    *,
    error: str = "",
    status: int = 200,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    db = database(request)
    now = view.now
    with db.engine.connect() as conn:
        categories = sorted(
            c
            for c in conn.scalars(select(t.orders.c.category).distinct())
            if isinstance(c, str) and c
        )
    penalties = operators.penalty_lines(db)
    return _page(
        view,
        "operator_red_lines.html",
        status=status,
        stores=operators.list_stores(db, now=now),
        period=operators.metrics_period(now),
        lines=operators.line_rows(db, now),
        defaults=DEFAULT_LINES_PPM,
        metrics=METRICS,
        categories=categories,
        penalties=penalties,
        store_names=operators.store_names(db, [p.store_id for p in penalties]),
        shown=BEHIND_SHOWN,
        form=form or {**EMPTY_LINE, "effective_from": _local_input(now, view.time_zone)},
        error=error,
    )


def _local_input(at: datetime, zone: str) -> str:
    """An instant as a `datetime-local` field shows it, in the reader's zone."""
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _from_local(text: str, zone: str) -> datetime | None:
    """A `datetime-local` field's value, read in the reader's zone, as UTC."""
    try:
        local = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


@router.get("/operator/red-lines")
def red_lines(request: Request) -> HTMLResponse:
    return _lines_page(request, _view(request))


@router.post("/operator/red-lines")
async def set_line(request: Request) -> Response:
    """A new version of a red line, from its instant on (rows are never edited: a later line
    replaces it), through a confirmation step."""
    view = _view(request)
    form = await _form(request, view)
    kept = {name: form.get(name, "") for name in EMPTY_LINE}
    refused = _too_long(view, kept)
    if refused:
        return _lines_page(request, view, error=refused, status=422, form=kept)
    metric = kept["metric"] if kept["metric"] in METRICS else ""
    effective = _from_local(kept["effective_from"], view.time_zone)
    try:
        if not metric:
            raise operators.Refusal("invalid_input", "metric", "metric")
        threshold = parse_percent(kept["threshold"])
        if effective is None:
            raise operators.Refusal("invalid_input", "effective_from", "effective_from")
    except ServiceError as exc:
        return _lines_page(request, view, error=refusal_words(view, exc), status=422, form=kept)
    category = kept["category"].strip() or None
    say = Say(view)
    if form.get("confirm") != "yes":
        return _confirm(
            view,
            Confirm(
                [
                    view.t(
                        "op.confirm.red_line",
                        metric=say.metric(metric),
                        category=say.category(category),
                        threshold=say.ppm(threshold),
                        at=view.when(effective),
                    ),
                    view.t("op.confirm.red_line_then"),
                ],
                f"{BASE}/red-lines",
                f"{BASE}/red-lines",
                view.t("op.lines.set"),
                dict(kept),
                primary=True,
            ),
        )
    try:
        set_red_line(
            database(request),
            metric=metric,
            threshold_ppm=threshold,
            category=category,
            effective_from=effective,
            by=_me(view).email,
            note=kept["note"].strip() or None,
            now=now_of(request),
        )
    except ServiceError as exc:
        return _lines_page(request, view, error=refusal_words(view, exc), status=422, form=kept)
    operators.log.info("operator %s: set red line %s %s", _me(view).email, metric, category)
    return _go(f"{BASE}/red-lines", done="op_red_line_set")


# -- the policy in force ----------------------------------------------------------------------


@router.get("/operator/policy")
def policy(request: Request) -> HTMLResponse:
    view = _view(request)
    return _page(view, "operator_policy.html", p=operators.policy_in_force(database(request)))


# -- malicious dispute reports ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportCard:
    report: malicious.Report
    store_name: str
    buyer_name: str
    buyer_upheld: int
    dispute_reason: str | None
    dispute_status: str | None
    evidence: list[Any]  # the evidence rows the seller points to
    links: list[str]  # links the seller points to


def _report_cards(db: Any, reports: list[malicious.Report]) -> list[ReportCard]:
    if not reports:
        return []
    buyer_ids = {r.buyer_id for r in reports}
    keys = {(r.order_id, r.dispute_seq) for r in reports}
    pointed = {e for r in reports for e in r.evidence if isinstance(e, int)}
    with db.engine.connect() as conn:
        flags = malicious.buyer_flags(conn, buyer_ids)
        buyers = dict(
            conn.execute(
                select(t.buyers.c.id, t.buyers.c.name).where(t.buyers.c.id.in_(buyer_ids))
            ).all()
        )
        d = t.disputes
        disputes = {
            (row.order_id, row.seq): row
            for row in conn.execute(
                select(d.c.order_id, d.c.seq, d.c.reason, d.c.status).where(
                    d.c.order_id.in_({k[0] for k in keys})
                )
            )
        }
        evidence = {
            row.id: row
            for row in (
                conn.execute(select(t.evidence).where(t.evidence.c.id.in_(pointed))).all()
                if pointed
                else []
            )
        }
    names = operators.store_names(db, [r.store_id for r in reports])
    cards = []
    for r in reports:
        dispute = disputes.get((r.order_id, r.dispute_seq))
        cards.append(
            ReportCard(
                r,
                names.get(r.store_id, r.store_id),
                buyers.get(r.buyer_id, r.buyer_id),
                flags.get(r.buyer_id, 0),
                dispute.reason if dispute else None,
                dispute.status if dispute else None,
                [evidence[e] for e in r.evidence if isinstance(e, int) and e in evidence],
                [e for e in r.evidence if isinstance(e, str)],
            )
        )
    return cards


STATUSES = malicious.STATUSES


def _reports_page(
    request: Request,
    view: View,
    *,
    error: str = "",
    status: int = 200,
    deciding: int | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    db = database(request)
    wanted = request.query_params.get("status") or ""
    wanted = wanted if wanted in STATUSES else ""
    if wanted:
        found = malicious.reports(db, status=wanted)
    else:  # pending first (the oldest first: waiting longest), then the latest decided
        pending = list(reversed(malicious.reports(db, status="pending")))
        decided = [r for r in malicious.reports(db) if r.status != "pending"]
        found = pending + decided
    return _page(
        view,
        "operator_reports.html",
        status=status,
        cards=_report_cards(db, found),
        wanted=wanted,
        statuses=STATUSES,
        deciding=deciding,
        form=form or {},
        error=error,
    )


@router.get("/operator/reports")
def reports(request: Request) -> HTMLResponse:
    return _reports_page(request, _view(request))


@router.post("/operator/reports/{report_id}/decide")
async def decide_report(request: Request, report_id: str) -> Response:
    """Uphold or reject a pending report with a note (required), through a confirmation
    step: an upheld report leaves the dispute out of the store's metrics and counts against
    the buyer."""
    view = _view(request)
    form = await _form(request, view)
    number = _row_id(report_id, "report")
    db = database(request)
    back = f"{BASE}/reports"
    decision = form.get("decision", "")
    note = form.get("note", "")
    kept = {"decision": decision, "note": note}
    refused = _too_long(view, {"note": note})
    try:
        report = malicious.get_report(db, number)
    except ServiceError as exc:
        raise _not_found(exc) from None
    if refused is None and decision not in malicious.DECISIONS:
        refused = view.t("op.refusal.decision")
    if refused is None and not note.strip():
        refused = view.t("op.refusal.note")
    if refused is not None:
        return _reports_page(request, view, error=refused, status=422, deciding=number, form=kept)
    if form.get("confirm") != "yes":
        if report.status != "pending":
            return _go(back, already=f"op_report_{report.status}")
        return _confirm(
            view,
            Confirm(
                [
                    view.t(f"op.confirm.report_{decision}", dispute=report.order_id),
                    view.t("op.confirm.note", note=note.strip()),
                    view.t(f"op.confirm.report_{decision}_then"),
                ],
                f"{back}/{number}/decide",
                back,
                view.t(f"op.report.{decision}"),
                kept,
                primary=True,
            ),
        )
    try:
        malicious.decide(
            db,
            number,
            decision=decision,
            note=note,
            decided_by=_me(view).email,
            now=now_of(request),
        )
    except ServiceError as exc:
        if exc.code == "invalid_state":  # decided meanwhile (by this form sent twice, or another)
            return _go(back, already=f"op_report_{malicious.get_report(db, number).status}")
        return _reports_page(
            request,
            view,
            error=refusal_words(view, exc),
            status=422,
            deciding=number,
            form=kept,
        )
    operators.log.info("operator %s: %s report %s", _me(view).email, decision, number)
    return _go(back, done=f"op_report_{decision}")
