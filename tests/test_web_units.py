"""The web desk's small parts on their own: sessions (expiry, sign-out, preferences), the sign-in
throttle's waits, refusals in words, Babel formatting, the countdown, the page's actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from disputedesk.rules.errors import ErrorCode, Refusal
from disputedesk.rules.lifecycle import Option
from disputedesk.services.accounts import create_user
from disputedesk.services.commands import ServiceError
from disputedesk.services.sessions import (
    SESSION_LIFETIME,
    check_time_zone,
    end_session,
    session_for,
    set_preferences,
    start_session,
)
from disputedesk.web import i18n, words
from disputedesk.web.dispute_pages import actions_for, not_yet_for
from disputedesk.web.render import Offers
from disputedesk.web.security import LoginThrottle

T0 = datetime(2026, 3, 8, 10, 0, tzinfo=UTC)


def test_a_session_lives_its_lifetime_then_is_gone(db):
    user = create_user(
        db, email="s@x.test", name="S", role="seller", store_id="x", password="p" * 8
    )
    token, session = start_session(db, user, locale="zh_CN", time_zone="Asia/Shanghai", now=T0)
    found = session_for(db, token, now=T0 + SESSION_LIFETIME - timedelta(seconds=1))
    assert found is not None and found.principal.stores == {"x": "owner"}
    assert (found.locale, found.time_zone, found.csrf_token) == (
        "zh_CN",
        "Asia/Shanghai",
        session.csrf_token,
    )
    assert session_for(db, token, now=T0 + SESSION_LIFETIME) is None
    assert session_for(db, token + "x", now=T0) is None


def test_sign_out_ends_the_session_and_preferences_are_checked(db):
    user = create_user(db, email="b@x.test", name="B", role="buyer", password="p" * 8)
    token, session = start_session(db, user, locale="klingon", time_zone="Mars/Base", now=T0)
    assert (session.locale, session.time_zone) == ("en", "UTC")  # unknown: safe defaults
    set_preferences(db, session.id, locale="zh_CN", time_zone="Europe/Madrid")
    found = session_for(db, token, now=T0)
    assert found is not None and (found.locale, found.time_zone) == ("zh_CN", "Europe/Madrid")
    with pytest.raises(ServiceError):
        set_preferences(db, session.id, time_zone="Nowhere/Else")
    end_session(db, session.id, now=T0)
    assert session_for(db, token, now=T0) is None


def test_check_time_zone():
    assert check_time_zone("Asia/Shanghai") == "Asia/Shanghai"
    assert check_time_zone("../../etc/passwd") == "UTC"
    assert check_time_zone(None) == "UTC"


def test_the_throttle_waits_double_after_three_failures_and_success_clears_it():
    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(3):
        throttle.failed("email:a", "client:1")
    assert throttle.wait_seconds("email:a", "client:1") == 0
    throttle.failed("email:a", "client:1")
    assert throttle.wait_seconds("email:a") == 1
    throttle.failed("email:a")
    assert throttle.wait_seconds("email:a") == 2
    throttle.failed("email:a")
    assert throttle.wait_seconds("email:a") == 4
    now[0] += 4
    assert throttle.wait_seconds("email:a") == 0
    for _ in range(40):
        throttle.failed("email:a")
    assert throttle.wait_seconds("email:a") == 300  # capped
    throttle.succeeded("email:a")
    assert throttle.wait_seconds("email:a") == 0
    assert throttle.wait_seconds("client:1") == 0  # its wait (1 s) is over


def test_refusals_in_words_in_both_languages_with_local_instants_and_money():
    early = Refusal(ErrorCode.TOO_EARLY, "…", "open.too_early", {"days": 5, "at": T0})
    assert words.refusal(early, locale="en", time_zone="UTC", currency="USD") == (
        "Disputes can be opened from 5 days after shipment: from 8 Mar 2026 10:00 (UTC+00:00)."
    )
    assert words.refusal(early, locale="zh_CN", time_zone="Asia/Shanghai", currency="USD") == (
        "发货 5 天后才能发起纠纷：从 2026年3月8日 18:00 (UTC+08:00) 起。"
    )
    much = Refusal(
        ErrorCode.INVALID_AMOUNT,
        "…",
        "amount.too_large",
        {"value": Decimal("99.00"), "high": Decimal("45.00")},
    )
    assert words.refusal(much, locale="en", time_zone="UTC", currency="EUR") == (
        "The amount €99.00 is more than the €45.00 still refundable."
    )
    state = Refusal(
        ErrorCode.INVALID_STATE, "…", "dispute.status", {"doing": "x", "status": "escalated"}
    )
    assert "Escalated to the platform" in words.refusal(
        state, locale="en", time_zone="UTC", currency="USD"
    )
    unnamed = Refusal(ErrorCode.INVALID_INPUT, "plan.amount: required")
    assert words.refusal(unnamed, locale="zh_CN", time_zone="UTC", currency="USD") == (
        "plan.amount: required"
    )


def test_babel_money_times_and_the_countdown():
    assert i18n.money(Decimal("221.49"), "USD", "en") == "$221.49"
    assert i18n.money(Decimal("221.49"), "USD", "zh_CN") == "US$221.49"
    assert i18n.money(Decimal("8"), "EUR", "en") == "€8.00"
    assert i18n.instant(T0, "America/Sao_Paulo", "en") == "8 Mar 2026 07:00"
    assert i18n.zone_label(T0, "Asia/Kolkata") == "UTC+05:30"
    left = timedelta(days=3, hours=23, minutes=12, seconds=12).total_seconds()
    assert i18n.countdown(left, "en") == "3 days 23:12:12"
    assert i18n.countdown(left, "zh_CN") == "3 天 23:12:12"
    assert i18n.countdown(-5, "en") == "overdue by 1 minute"  # never "0 days 00:00:00"
    assert i18n.countdown(-12 * 86400, "en") == "overdue by 12 days"


@pytest.mark.parametrize(
    ("role", "status", "allowed", "paths"),
    [
        ("seller", "awaiting_seller_response", {"accept", "propose", "reject"},
         ["accept", "propose", "reject"]),
        ("seller", "awaiting_return_receipt",
         {"confirm_return_received", "give_up_return", "escalate"},
         ["confirm-return-received", "give-up-return", "escalate-return"]),
        ("seller", "escalated", {"confirm_return_received"}, ["withdraw-escalation"]),
        ("seller", "awaiting_return_shipment", {"give_up_return"}, ["give-up-return"]),
        ("seller", "awaiting_resend", {"ship_replacement"}, ["ship-replacement"]),
        ("seller", "escalated", set(), []),
        ("buyer", "negotiating", {"accept", "modify_dispute", "escalate", "cancel_dispute"},
         ["accept-seller-plan", "modify", "escalate", "cancel"]),
        ("buyer", "negotiating", {"modify_dispute", "cancel_dispute"}, ["modify", "cancel"]),
        ("buyer", "awaiting_return_shipment", {"ship_return", "cancel_dispute"},
         ["ship-return", "cancel"]),
        ("buyer", "closed", set(), []),
        ("arbitrator", "escalated", {"intervene"}, ["intervene"]),
        ("arbitrator", "under_review", {"rule"}, ["rule"]),
        ("admin", "escalated", {"intervene", "rule"}, []),
    ],
)  # fmt: skip
def test_the_dispute_page_offers_what_the_rules_allow(role, status, allowed, paths):
    offers = Offers({action: Option(action) for action in allowed})
    assert [a.path for a in actions_for(role, status, offers)] == paths


def test_what_is_not_possible_yet_is_named_not_offered():
    early = Refusal(ErrorCode.TOO_EARLY, "…", "escalate.too_early", {"at": T0, "day": 4})
    offers = Offers(
        {
            "escalate": Option("escalate", early),
            "cancel_dispute": Option("cancel_dispute"),
            "accept": Option("accept", Refusal(ErrorCode.INVALID_STATE, "…", "x")),
        }
    )
    assert [a.path for a in actions_for("buyer", "negotiating", offers)] == ["cancel"]
    assert [a.path for a in not_yet_for("buyer", "negotiating", offers)] == ["escalate"]
