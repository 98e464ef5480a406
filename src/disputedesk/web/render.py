"""Rendering pages: the Jinja2 environment, the viewer behind a request, and the errors that
become pages (sign-in needed, a form without its CSRF token, something not found)."""

from __future__ import annotations

import json
import re
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

from disputedesk.messaging import languages
from disputedesk.rules.errors import Refusal
from disputedesk.rules.instants import days
from disputedesk.rules.lifecycle import Option
from disputedesk.rules.model import Dispute, Plan
from disputedesk.rules.money import parse_money
from disputedesk.rules.policy import Policy
from disputedesk.rules.vocabulary import IN_TRANSIT, NEGOTIATION_STATUSES, RULING_STATUSES
from disputedesk.services import desk, permissions
from disputedesk.services.desk import DisputeCase, OrderCard
from disputedesk.services.sessions import WebSession, session_for
from disputedesk.store.db import Database
from disputedesk.web import i18n, words
from disputedesk.web.security import SESSION_COOKIE, same_token

HOME_BY_ROLE = {
    "seller": "/desk/inbox",
    "buyer": "/desk/orders",
    "arbitrator": "/desk/queue",
    "admin": "/desk/operator",  # the operator's console
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


@dataclass(frozen=True, slots=True)
class Offers:
    """What the reader may do on one order now, as the rules core answers it
    (`desk.options_for`): the pages offer a form only for an allowed action, say the reason and
    instant of an action that is not possible *yet* (`too_early`), and offer nothing else."""

    options: dict[str, Option]

    def allows(self, action: str) -> bool:
        option = self.options.get(action)
        return option is not None and option.allowed

    def not_yet(self, action: str) -> Option | None:
        option = self.options.get(action)
        return option if option is not None and option.not_yet else None

    @property
    def allowed(self) -> list[str]:
        return [a for a, o in self.options.items() if o.allowed]


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of seed 002's progress strip: its words, its instant (or what it waits for),
    and where the dispute is: `done`, `current`, `pending` or `skipped`."""

    words: str
    when: str
    state: str

    @property
    def reached(self) -> bool:
        return self.state == "done"


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
    env.globals["sees_metrics"] = sees_metrics  # the nav's "Metrics" (issue 14)
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

    def unread_notifications(self) -> int:
        """The reader's unread notifications (the header's bell; issue 13)."""
        if self.session is None:
            return 0
        from disputedesk.services.messaging import unread_count

        return unread_count(database(self.request), self.session.principal.user_id)

    def t(self, key: str, **params: Any) -> str:
        return i18n.text(self.locale, key, **params)

    @property
    def html_lang(self) -> str:
        return i18n.html_lang(self.locale)

    def money(self, amount: Decimal | None, currency: str) -> str:
        return i18n.money(amount, currency, self.locale)

    def when(self, value: datetime | None) -> str:
        return i18n.instant(value, self.time_zone, self.locale)

    def zone(self) -> str:
        return i18n.zone_label(self.now, self.time_zone)

    def left(self, at: datetime | None) -> str:
        """Time left to `at` ("1 day 00:50:00"), or past it ("overdue by 12 days")."""
        if at is None:
            return ""
        return i18n.countdown((at - self.now).total_seconds(), self.locale)

    def overdue(self, at: datetime | None) -> bool:
        return at is not None and at <= self.now

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
        """A live countdown (countdown.js ticks it, in the words of the page's
        `countdown-words`; without JavaScript it shows the time left when the page was made).
        Past its deadline it says by how much: "overdue by 12 days"."""
        return Markup(
            '<span class="countdown{}" data-deadline="{}" data-now="{}">{}</span>'
        ).format(
            " expired" if at <= self.now else "",
            int(at.timestamp() * 1000),
            int(self.now.timestamp() * 1000),
            self.left(at),
        )

    def countdown_words(self) -> str:
        """The countdown's words for countdown.js (JSON): each plural entry's forms in this
        language with "{n}" and "{c}" (the clock) to fill in, and the form each plural category
        of the browser's `Intl.PluralRules` takes."""
        return json.dumps(i18n.countdown_words(self.locale), ensure_ascii=False)

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
        if cd.at <= self.now:  # past due, the automatic step not yet applied
            return self._markup(
                "reminder.overdue",
                at=self.when(cd.at),
                overdue=countdown,
                consequence=self.t(f"step.{cd.action}"),
            )
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

    def stages(self, case: DisputeCase) -> list[Stage]:
        """Seed 002's progress strip, the same four steps in every status, each with its
        instant: opened; negotiation completed (an agreement, or a close, before any
        escalation; "no agreement" when it was escalated without one); platform intervenes
        (when it was escalated, or when it will be if nobody agrees; "not needed" when the
        dispute closed without it); closed."""
        d = case.dispute
        policy = case.card.policy
        status = str(d.status)
        if d.escalated_at is None:
            agreed = d.agreed_at or d.closed_at
        elif d.agreed_at is not None and d.agreed_at < d.escalated_at:
            agreed = d.agreed_at  # a return or resend agreed, escalated later
        else:
            agreed = None
        strip = [Stage(self.t("stage.opened"), self.when(d.opened_at), "done")]
        if agreed is not None:
            strip.append(Stage(self.t("stage.agreed"), self.when(agreed), "done"))
        elif status in NEGOTIATION_STATUSES:
            strip.append(Stage(self.t("stage.agreed"), self.t("stage.negotiating"), "current"))
        else:
            strip.append(Stage(self.t("stage.agreed"), self.t("stage.no_agreement"), "skipped"))
        platform = self.t("stage.platform")
        if d.escalated_at is not None:
            with_platform = status == "escalated" or status in RULING_STATUSES
            state = "current" if with_platform else "done"  # done: ruled, or the seller withdrew
            strip.append(Stage(platform, self.when(d.escalated_at), state))
        elif d.closed_at is not None:
            strip.append(Stage(platform, self.t("stage.not_needed"), "skipped"))
        else:
            strip.append(Stage(platform, self._platform_when(d, case.card, policy), "pending"))
        closed = d.closed_at is not None
        strip.append(
            Stage(
                self.t("stage.closed"),
                self.when(d.closed_at) if closed else self.t("stage.not_yet"),
                "done" if closed else "pending",
            )
        )
        return strip

    def _platform_when(self, d: Dispute, card: OrderCard, policy: Policy) -> str:
        """When the platform steps in by itself, for a dispute not (yet) escalated."""
        status = str(d.status)
        if status in NEGOTIATION_STATUSES:
            if d.reason == IN_TRANSIT and card.order.delivery_deadline is not None:
                at = card.order.delivery_deadline
            else:
                at = d.opened_at + days(policy.auto_escalation_after_days)
            return self.t("stage.platform_if", at=self.when(at))
        if status == "awaiting_resend" and d.agreed_at is not None:
            at = d.agreed_at + days(policy.resend_ship_days)
            return self.t("stage.platform_if_resend", at=self.when(at))
        return self.t("stage.platform_on_escalation")

    def offers(self, card: OrderCard) -> Offers:
        """What this reader may do on the order now: the one question every page asks."""
        assert self.session is not None
        return Offers(desk.options_for(self.session.principal, card, self.now))

    def not_yet_text(self, option: Option, currency: str) -> str:
        assert option.refusal is not None
        return self.refusal(option.refusal, currency)

    def evidence_due(self, case: DisputeCase) -> dict[str, Any] | None:
        """Awaiting the seller's evidence: what is required, by when, which evidence period,
        and what happens at zero (a further period, or the automatic ruling), in words."""
        d, cd = case.dispute, case.countdown
        if str(d.status) != "awaiting_seller_evidence" or cd is None or cd.at is None:
            return None
        policy = case.card.policy
        order = case.card.order
        currency = order.currency
        side = "seller" if self.role == "seller" else "other"
        required = self._markup(
            f"evidence_due.{side}", at=self.when(cd.at), countdown=self.countdown_html(cd.at)
        )
        count, number = policy.evidence_periods, d.evidence_period
        if number >= count:
            period = self.t("evidence_due.period_last", number=number, count=count)
        elif number == 1:
            period = self.t(
                "evidence_due.period_first", count=count, days=policy.evidence_period_days
            )
        else:
            period = self.t("evidence_due.period_middle", number=number, count=count)
        if cd.action == "evidence_period_extended":
            key = "evidence_due.then_last" if number + 1 >= count else "evidence_due.then_further"
            then = self.t(key, days=policy.evidence_period_days)
        else:
            plan = d.buyer_plan
            refundable = order.refundable
            amount = refundable if plan.amount is None else min(plan.amount, refundable)
            then = self.t("evidence_due.then_ruled", amount=self.money(amount, currency))
        return {"required": required, "period": period, "then": then}

    def already(self) -> str | None:
        """A form sent twice (`?already=<action>` after its redirect): the first one did it."""
        action = self.request.query_params.get("already") or ""
        key = f"action.{action}"
        if action and i18n.has(key) and not i18n.placeholders(i18n.english_text(key)):
            return self.t("already_done", what=self.t(key))
        return None

    def address(self, text: str | None, country: str | None) -> str:
        """An address with its country once: "Calle Mayor 1, Santiago, CL", never "... CL CL"."""
        text = (text or "").strip()
        country = (country or "").strip()
        if not country or re.search(rf"(^|[\s,]){re.escape(country)}$", text, re.IGNORECASE):
            return text
        return f"{text}, {country}" if text else country

    def role_word(self, actor: str) -> str:
        """Who acted, in words (an unknown actor as it was logged)."""
        key = f"role.{actor}"
        return self.t(key) if i18n.has(key) else actor

    def escalation(self, escalation: str | None) -> str:
        key = f"escalation.{escalation}"
        return self.t(key) if escalation and i18n.has(key) else (escalation or "")

    def _markup(self, key: str, **params: Any) -> Markup:
        return Markup(escape(i18n.template_of(self.locale, key))).format(**params)

    def done(self) -> str | None:
        """What the last form did (`?done=<action>` after its redirect), in words."""
        action = self.request.query_params.get("done") or ""
        for key in (f"action.{action}", f"act.{action}"):
            if action and i18n.has(key) and not i18n.placeholders(i18n.english_text(key)):
                return self.t(key)
        return None

    def reason(self, reason: str) -> str:
        return i18n.reason_text(self.locale, reason)

    def refusal(self, refusal: Refusal, currency: str) -> str:
        return words.refusal(
            refusal, locale=self.locale, time_zone=self.time_zone, currency=currency
        )


def sees_metrics(session: WebSession | None) -> bool:
    """Whether the reader may see some store's metrics: its owner, or an agent with the
    `see_metrics` permission (issue 14)."""
    if session is None or session.principal.role != "seller":
        return False
    principal = session.principal
    return any(permissions.may(principal, s, permissions.SEE_METRICS) for s in principal.stores)


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
        return View(request, None, anonymous_locale(request), "UTC", now)
    return View(request, session, session.locale, session.time_zone, now)


def anonymous_locale(request: Request) -> str:
    """The language of a reader who is not signed in: the page's `?lang=`, else the first of
    the browser's languages (Accept-Language) the desk speaks, else English."""
    asked = request.query_params.get("lang")
    if asked in i18n.LOCALES:
        return asked
    return browser_locale(request.headers.get("accept-language", ""))


def browser_locale(header: str) -> str:
    """The browser's most preferred language (by `q`, then order) that the desk speaks:
    "pt-BR,pt;q=0.9" -> pt_BR, "es-MX" -> es, "de-DE,fr;q=0.5" -> fr; else English."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:32]):
        tag, _, rest = part.strip().partition(";")
        weight = 1.0
        if rest.strip().startswith("q="):
            try:
                weight = float(rest.strip()[2:])
            except ValueError:
                continue
        if weight > 0 and tag:
            ranked.append((-weight, position, tag))
    for _, _, tag in sorted(ranked):
        ours = languages.normalize(tag)
        if ours is not None:
            return ours
    return "en"


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


def confirm_page(
    view: View,
    *,
    sentences: list[str],
    action_url: str,
    back_url: str,
    label: str,
    primary: bool = True,
    fields: dict[str, str] | None = None,
) -> HTMLResponse:
    """The confirmation step of an irreversible action, without JavaScript: what it will do,
    "this cannot be undone", a form that sends it again with `confirm=yes` (and the page's
    version, so a second click is told it was already done), and the way back."""
    return page(
        view,
        "confirm.html",
        sentences=sentences,
        action_url=action_url,
        back_url=back_url,
        label=label,
        primary=primary,
        fields=fields or {},
    )


_LOGGED_AS = re.compile(r"logged as ([0-9a-f]{8,32})")


def error_page(view: View, status: int, key: str, code: str, detail: str = "") -> HTMLResponse:
    """An error in the reader's words: the catalog's sentence and the HTTP status; the services'
    detail (English, for developers) stays off the page, but the reference an unexpected error
    was logged under is shown, for the operator, and an HTTPS address to go to instead (the
    sign-in page reached over plain HTTP) as a link."""
    logged = _LOGGED_AS.search(detail or "")
    link = detail if (detail or "").startswith("https://") else ""
    return page(
        view,
        "error.html",
        status=status,
        message_key=key,
        code=code,
        response_status=status,
        reference=logged.group(1) if logged else "",
        link=link,
    )
