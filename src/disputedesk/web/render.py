"""Rendering pages: the Jinja2 environment, the viewer behind a request, and the errors that
become pages (sign-in needed, a form without its CSRF token, something not found)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from disputedesk.rules.errors import Refusal
from disputedesk.rules.model import Plan
from disputedesk.rules.money import parse_money
from disputedesk.services.desk import DisputeCase
from disputedesk.services.sessions import WebSession, session_for
from disputedesk.store.db import Database
from disputedesk.web import i18n, words
from disputedesk.web.security import SESSION_COOKIE, same_token

HOME_BY_ROLE = {
    "seller": "/desk/inbox",
    "buyer": "/desk/orders",
    "arbitrator": "/desk/queue",
    "admin": "/desk/queue",
}
TIME_ZONES = (
    "UTC",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Warsaw",
    "Europe/Amsterdam",
    "Europe/Moscow",
    "Europe/London",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Australia/Sydney",
)


class LoginRequired(Exception):
    """No live session: the page sends the reader to sign in, then back."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageError(Exception):
    """A request refused as a page: `key` is the catalog's words, `code` the error vocabulary."""

    def __init__(self, status: int, key: str, code: str, detail: str = "") -> None:
        super().__init__(detail or key)
        self.status = status
        self.key = key
        self.code = code
        self.detail = detail


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("disputedesk.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["quote"] = quote
    return env


@dataclass
class View:
    """What a page knows of its reader: the session (if any), language, time zone, and now."""

    request: Request
    session: WebSession | None
    locale: str
    time_zone: str
    now: datetime

    @property
    def role(self) -> str | None:
        return self.session.principal.role if self.session else None

    def t(self, key: str, **params: Any) -> str:
        return i18n.text(self.locale, key, **params)

    def money(self, amount: Decimal | None, currency: str) -> str:
        return i18n.money(amount, currency, self.locale)

    def when(self, value: datetime | None) -> str:
        return i18n.instant(value, self.time_zone, self.locale)

    def zone(self) -> str:
        return i18n.zone_label(self.now, self.time_zone)

    def left(self, at: datetime | None) -> str:
        if at is None:
            return ""
        return i18n.countdown((at - self.now).total_seconds(), self.locale)

    def hours_left(self, at: datetime | None) -> float | None:
        return None if at is None else (at - self.now).total_seconds() / 3600

    def plan(self, plan: Plan | dict[str, Any] | None, currency: str) -> str:
        """A plan in words: "Refund only $12.50", "Resend"."""
        if plan is None:
            return ""
        if isinstance(plan, dict):
            kind, amount = plan.get("type", ""), plan.get("amount")
        else:
            kind, amount = str(plan.type), plan.amount
        words_ = self.t(f"plan.{kind}") if i18n.has(f"plan.{kind}") else kind
        if kind == "resend" or amount is None:
            return words_
        return f"{words_} {self.amount(amount, currency)}"

    def amount(self, amount: Decimal | str | None, currency: str) -> str:
        if amount is None:
            return ""
        value = amount if isinstance(amount, Decimal) else parse_money(str(amount))
        return self.money(value, currency) if value is not None else str(amount)

    def countdown_html(self, at: datetime) -> Markup:
        """A live countdown (countdown.js ticks it; without JavaScript it shows the time left
        when the page was made)."""
        return Markup(
            '<span class="countdown" data-deadline="{}" data-now="{}" data-days="{}">{}</span>'
        ).format(
            int(at.timestamp() * 1000),
            int(self.now.timestamp() * 1000),
            self.t("countdown.days", days="{d}", clock="{c}"),
            self.left(at),
        )

    def reminder(self, case: DisputeCase) -> Markup:
        """The dispute page's sentence: what is awaited, the live countdown, what happens at
        zero (seed 002: "Respond within 3 days 23:12:12 ... otherwise the system will execute
        according to the buyer's refund amount")."""
        cd = case.countdown
        dispute = case.dispute
        if cd is None:
            return Markup("")
        status = str(dispute.status)
        currency = case.card.order.currency
        if status == "under_review" or cd.at is None:
            return Markup(escape(self.t("reminder.under_review")))
        countdown = self.countdown_html(cd.at)
        if status == "escalated":
            key = "reminder.escalated" if cd.at > self.now else "reminder.escalated.late"
            return self._markup(key, countdown=countdown, at=self.when(cd.at))
        side = "seller" if self.role == "seller" else "other"
        if status == "awaiting_seller_response" and cd.action == "seller_response_timeout":
            return self._markup(
                f"reminder.awaiting_seller_response.{side}",
                countdown=countdown,
                plan=self.plan(dispute.buyer_plan, currency),
            )
        if status == "awaiting_return_receipt":
            return self._markup(f"reminder.awaiting_return_receipt.{side}", countdown=countdown)
        if cd.action == "auto_escalated" and status != "awaiting_resend":
            # day 16, or an in-transit dispute at the delivery deadline
            return self._markup("reminder.negotiating", countdown=countdown)
        return self._markup(
            f"reminder.{status}", countdown=countdown, consequence=self.t(f"step.{cd.action}")
        )

    def stages(self, case: DisputeCase) -> list[tuple[str, str, bool]]:
        """Seed 002's progress strip: (words, when, reached) for opened, negotiation
        completed (an agreement, or a close, before any escalation), platform intervenes
        (or when it will, if nobody agrees), closed."""
        d, cd = case.dispute, case.countdown
        if d.escalated_at is None:
            agreed = d.agreed_at or d.closed_at
        elif d.agreed_at is not None and d.agreed_at < d.escalated_at:
            agreed = d.agreed_at  # a return or resend agreed, escalated later
        else:
            agreed = None
        strip = [(self.t("stage.opened"), self.when(d.opened_at), True)]
        if agreed:
            strip.append((self.t("stage.agreed"), self.when(agreed), True))
        if d.escalated_at:
            strip.append((self.t("stage.platform"), self.when(d.escalated_at), True))
        elif not agreed and cd is not None and cd.action == "auto_escalated":
            when = self.t("stage.platform_if", at=self.when(cd.at))
            strip.append((self.t("stage.platform"), when, False))
        strip.append((self.t("stage.closed"), self.when(d.closed_at), d.closed_at is not None))
        return strip

    def _markup(self, key: str, **params: Any) -> Markup:
        english, chinese = i18n.catalog()[key]
        template = chinese if self.locale == "zh_CN" else english
        return Markup(escape(template)).format(**params)

    def done(self) -> str | None:
        """What the last form did (`?done=<action>` after its redirect), in words."""
        action = self.request.query_params.get("done") or ""
        for key in (f"action.{action}", f"act.{action}"):
            if action and i18n.has(key) and not i18n.placeholders(i18n.catalog()[key][0]):
                return self.t(key)
        return None

    def reason(self, reason: str) -> str:
        return i18n.reason_text(self.locale, reason)

    def refusal(self, refusal: Refusal, currency: str) -> str:
        return words.refusal(
            refusal, locale=self.locale, time_zone=self.time_zone, currency=currency
        )


def database(request: Request) -> Database:
    return request.app.state.db


def now_of(request: Request) -> datetime:
    return request.app.state.clock()


def view_of(request: Request, *, required: bool = True) -> View:
    """The reader of this request; without a live session, `LoginRequired` (or an anonymous
    view when `required` is false)."""
    now = now_of(request)
    token = request.cookies.get(SESSION_COOKIE)
    session = session_for(database(request), token, now=now) if token else None
    if session is None:
        if required:
            raise LoginRequired(_return_path(request))
        locale = request.query_params.get("lang", "en")
        return View(request, None, locale if locale in i18n.LOCALES else "en", "UTC", now)
    return View(request, session, session.locale, session.time_zone, now)


def _return_path(request: Request) -> str:
    """Where to come back to after signing in: this page, or for a form sent after the session
    ended, the page the form was on (a form's own URL cannot be opened)."""
    if request.method == "GET":
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/desk/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return "/desk/"


def require_role(view: View, *roles: str) -> None:
    if view.role not in roles:
        raise PageError(403, "error.forbidden", "forbidden")


def check_csrf(view: View, given: str | None) -> None:
    """Every POST from a signed-in reader carries the session's CSRF token."""
    if view.session is None or not same_token(view.session.csrf_token, given):
        raise PageError(403, "error.csrf", "forbidden", "the form's CSRF token is missing or wrong")


def page(view: View, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("done", None)
    body = (
        environment()
        .get_template(template)
        .render(
            v=view,
            session=view.session,
            csrf=view.session.csrf_token if view.session else "",
            locales=i18n.LOCALE_NAMES,
            time_zones=TIME_ZONES,
            current_path=str(view.request.url.path)
            + (f"?{view.request.url.query}" if view.request.url.query else ""),
            **context,
        )
    )
    return HTMLResponse(body, status_code=status, headers=_SECURITY_HEADERS)


_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
}


def error_page(view: View, status: int, key: str, code: str, detail: str = "") -> HTMLResponse:
    return page(view, "error.html", status=status, message_key=key, code=code, detail=detail)
