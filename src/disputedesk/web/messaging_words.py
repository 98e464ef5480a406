"""Messaging in the desk's words: a template's title, kind, readers and situations; channels,
triggers, reminders and notification kinds; the problems of a text in the editor (each naming
its placeholder); why a delivery was not made. Every code the messaging services speak is said
here in words (the web/i18n.py block "messages, reminders and email")."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from babel import Locale

from disputedesk.messaging import languages
from disputedesk.messaging.catalog import Template
from disputedesk.messaging.render import PLACEHOLDERS, RenderError, render
from disputedesk.web import i18n
from disputedesk.web.render import View

# The situations a template may fit, in the order the editor lists them.
SITUATION_KINDS = ("reasons", "statuses", "tracking", "stages", "triggers", "deadlines")


@cache
def language_name(code: str, locale: str) -> str:
    """A message language in the reader's words: "Spanish", "西班牙语"."""
    shown = {"zh_CN": "zh_Hans"}.get(code, code)  # the script is what a reader chooses by
    try:
        name = Locale.parse(shown).get_display_name(Locale.parse(locale if locale else "en"))
    except (ValueError, TypeError):
        name = None
    return name or languages.NAMES.get(code, code)


def language_choices(locale: str) -> list[tuple[str, str]]:
    return [(code, language_name(code, locale)) for code in languages.LANGUAGES]


def html_lang(code: str) -> str:
    """A language code as HTML's `lang` wants it ("pt-BR")."""
    return code.replace("_", "-")


def placeholder_words(view: View, name: str) -> str:
    key = f"msg.ph.{name}"
    return view.t(key) if i18n.has(key) else name


def placeholder_list(view: View) -> list[tuple[str, str]]:
    """(name, meaning in words) of every placeholder a text may use."""
    return [(name, placeholder_words(view, name)) for name in PLACEHOLDERS]


def template_title(template: Template, locale: str) -> tuple[str, str]:
    """A template's title in words, and its language: its subject (else its first line) in the
    reader's language when the template has it (else English, else any), with each
    placeholder said by what it holds ("Order ‹order number› is on its way")."""
    language = locale if locale in template.texts else None
    if language is None:
        language = "en" if "en" in template.texts else next(iter(template.texts), "en")
    text = template.texts.get(language)
    if text is None:
        return template.key, "en"
    source = text.subject or text.body.strip().splitlines()[0]
    words_locale = locale if locale in i18n.LOCALES else "en"
    marks = {
        name: "‹" + i18n.text(words_locale, f"msg.ph.{name}") + "›"
        for name in PLACEHOLDERS
        if i18n.has(f"msg.ph.{name}")
    }
    try:
        title = render(source, marks)
    except RenderError:
        title = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "…", source)
    title = " ".join(title.split())
    if len(title) > 120:
        title = title[:119] + "…"
    return title or template.key, language


def situations_words(view: View, situations: dict[str, list[str]]) -> list[str]:
    """What a template fits, each kind in words: "Reason: Broken in transit, Fake goods"."""
    out = []
    for kind in SITUATION_KINDS:
        names = situations.get(kind) or []
        if names:
            said = ", ".join(situation_word(view, kind, name) for name in names)
            out.append(view.t(f"msg.fits.{kind}", names=said))
    return out


def situation_word(view: View, kind: str, name: str) -> str:
    if kind == "reasons":
        if name in ("not_received", "not_as_described"):
            return view.t(f"category.{name}")
        return view.reason(name)
    key = {
        "statuses": f"status.{name}",
        "tracking": f"msg.fact.{name}",
        "stages": f"order_status.{name}",
        "triggers": f"msg.trigger.{name}",
        "deadlines": f"msg.deadline.{name}",
    }[kind]
    return view.t(key) if i18n.has(key) else name


def channel_words(view: View, channels: list[str] | tuple[str, ...]) -> str:
    return ", ".join(view.t(f"msg.channel.{c}") for c in channels) or view.t("msg.channel.none")


def kind_words(view: View, kind: str) -> str:
    """A notification's kind: a trigger, a reminder before a deadline, the automatic reply."""
    if kind.startswith("reminder."):
        deadline = kind.partition(".")[2]
        key = f"msg.deadline.{deadline}"
        return view.t("msg.kind.reminder", deadline=view.t(key) if i18n.has(key) else deadline)
    key = f"msg.trigger.{kind}"
    if i18n.has(key):
        return view.t(key)
    return view.t("msg.kind.auto_reply") if kind == "auto_reply" else kind


def status_words(view: View, status: str) -> str:
    key = f"msg.delivery.{status}"
    return view.t(key) if i18n.has(key) else status


def recipient_words(view: View, delivery: dict[str, Any], names: dict[int, str]) -> str:
    """Whom a delivery was for: an address, the order's thread, someone's notification list,
    a webhook subscription, nobody (no address)."""
    recipient = str(delivery.get("recipient") or "")
    if recipient == "thread":
        return view.t("msg.to.thread")
    if recipient.startswith("user:"):
        number = recipient.partition(":")[2]
        name = names.get(int(number)) if number.isdigit() else None
        return view.t("msg.to.user", name=name or number)
    if recipient.startswith("webhook:"):
        return view.t("msg.to.webhook", id=recipient.partition(":")[2])
    if recipient in ("", "-"):
        return view.t("msg.to.nobody")
    return recipient


# The desk's own reasons for not sending (services/notifications.py), by how they begin.
_ERRORS = (
    ("opted out", "msg.error.opted_out"),
    ("no SMTP server configured", "msg.error.no_smtp"),
    ("no email address", "msg.error.no_address"),
    ("no webhook subscription", "msg.error.no_subscription"),
    ("no webhook sender", "msg.error.no_subscription"),
    ("the webhook subscription was removed", "msg.error.subscription_removed"),
    ("the deadline moved", "msg.error.deadline_moved"),
    ("the action was taken", "msg.error.action_taken"),
    ("the order is gone", "msg.error.order_gone"),
    ("the order was shipped again", "msg.error.shipped_again"),
    ("the order is ", "msg.error.order_changed"),
    ("the dispute is ", "msg.error.dispute_changed"),
    ("a dispute was opened since", "msg.error.dispute_opened"),
    ("the server does not offer STARTTLS", "msg.error.no_starttls"),
    ("template ", "msg.error.template"),
)
_SMTP_REPLY = re.compile(r"^([2-5]\d\d)\b")


def error_words(view: View, error: str | None) -> tuple[str, str]:
    """Why a delivery was not made (or not yet), in words, and what the other side said as it
    said it (an SMTP reply, an HTTP status, a connection error: shown as written)."""
    if not error:
        return "", ""
    for start, key in _ERRORS:
        if error.startswith(start):
            return view.t(key), ""
    if _SMTP_REPLY.match(error):
        return view.t("msg.error.smtp"), error
    if error.startswith("HTTP "):
        return view.t("msg.error.http"), error
    return view.t("msg.error.other"), error


def problem_words(view: View, problem: dict[str, Any]) -> str:
    """One problem of a text in the editor (`render_preview`), in words, naming its
    placeholder."""
    kind = str(problem.get("kind") or "error")
    name = problem.get("placeholder") or ""
    part = view.t(f"msg.part.{problem.get('part', 'body')}")
    message = str(problem.get("message") or "")
    if kind in ("unknown", "missing") and name:
        return view.t(f"msg.problem.{kind}", part=part, name=name)
    if kind == "syntax":
        line = re.match(r"line (\d+)", message)
        return view.t("msg.problem.syntax", part=part, line=line.group(1) if line else "1")
    if kind == "too_long":
        return view.t("msg.problem.too_long", part=part)
    if kind == "unsafe":
        return view.t("msg.problem.unsafe", part=part)
    return view.t("msg.problem.error", part=part)


def render_error_words(view: View, exc: RenderError, part: str) -> str:
    return problem_words(view, {"part": part, **exc.to_json()})
