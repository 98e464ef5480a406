"""Templates as data (issue 13): every shipped template renders in every language with sample
data, with no placeholder left and none missing; the translations use the placeholders English
uses; the sandbox refuses internals; a missing placeholder is an error naming it; languages,
time zones, working hours, which templates fit a case, and the reminder plan (pure, no
database)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from disputedesk.messaging import catalog, languages, plan, words
from disputedesk.messaging.context import SAMPLE, SAMPLE_DATA, SAMPLE_NOW, sample_values, values
from disputedesk.messaging.render import PLACEHOLDERS, RenderError, problems_of, render
from disputedesk.messaging.settings import SettingsError, settings_from, working_hours_from
from disputedesk.messaging.situations import Case, score, suggested
from disputedesk.rules.lifecycle import Command, handle
from disputedesk.rules.model import Order, State
from disputedesk.rules.policy import policy_from
from disputedesk.services.messaging import make_token, read_token, render_preview

LANGS = languages.LANGUAGES
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|Undefined")


def test_the_shipped_catalog_has_every_language_and_matching_placeholders() -> None:
    assert catalog.catalog_problems() == []
    assert words.missing_words() == []
    shipped = catalog.shipped()
    assert len(shipped) >= 40
    for template in shipped.values():
        assert set(template.texts) == set(LANGS), template.key
    purposes = {t.purpose for t in shipped.values()}
    assert purposes == {"reply", "notice", "reminder", "auto_reply"}
    triggers = {tr for t in shipped.values() for tr in t.situations.triggers}
    assert triggers == set(catalog.TRIGGERS)
    deadlines = {d for t in shipped.values() for d in t.situations.deadlines}
    assert deadlines == set(catalog.DEADLINES)
    reasons = {r for t in shipped.values() for r in t.situations.reasons}
    for code in (
        "not_received.tracking_invalid",
        "not_received.in_transit",
        "not_received.customs_held",
        "not_received.returned_to_sender",
        "not_received.delivered_not_received",
        "not_received.carrier_changed",
        "not_as_described.not_as_described",
        "not_as_described.quality_issue",
        "not_as_described.damaged",
        "not_as_described.not_working",
        "not_as_described.short_shipment",
        "not_as_described.counterfeit",
        "not_as_described.wrong_item",
    ):
        assert code in reasons, f"no reply for {code}"


@pytest.mark.parametrize("language", LANGS)
def test_every_shipped_template_renders_in_every_language_with_sample_data(language: str) -> None:
    sample = sample_values(language)
    assert set(sample) == set(PLACEHOLDERS)  # the sample fills every placeholder
    for template in catalog.shipped().values():
        text = template.texts[language]
        subject, body = render(text.subject, sample), render(text.body, sample)
        for part in (subject, body):
            assert part.strip(), template.key
            assert not LEFTOVER.search(part), (template.key, language, part)
        assert "\n" not in subject, template.key
        if "order_number" in catalog.placeholders_in(text.body):
            assert SAMPLE.order_id in body
    # money in the order's currency as the reader writes it, instants with the zone's offset
    assert (
        sample["order_total"]
        in {
            "R$221.49",
            "R$ 221,49",
            "221,49\xa0R$",
            "221,49 R$",
            "R$\xa0221,49",
            "221,49\xa0BRL",
        }
        or "221" in sample["order_total"]
    )
    assert sample["deadline"].endswith("(UTC-03:00)")


def test_a_translation_names_the_same_placeholders_as_english() -> None:
    english = catalog.shipped()["notice.shipped"].texts["en"]
    for language in LANGS:
        text = catalog.shipped()["notice.shipped"].texts[language]
        assert catalog.placeholders_in(text.body) == catalog.placeholders_in(english.body)


@pytest.mark.parametrize(
    "source",
    [
        "{{ order.__class__ }}",
        "{{ ''.__class__.__mro__ }}",
        "{{ order_number.__class__.__base__.__subclasses__() }}",
        "{{ buyer_name.__init__.__globals__ }}",
        "{{ 'a' * 100000 }}",
        "{{ 9 ** 9 ** 9 }}",
        "{% for x in range(10**9) %}{% endfor %}",
    ],
)
def test_the_sandbox_refuses_attribute_access_to_internals(source: str) -> None:
    with pytest.raises(RenderError) as refused:
        render(source, sample_values("en"))
    assert refused.value.kind == "unsafe"


def test_a_missing_placeholder_is_an_error_naming_it_never_a_blank() -> None:
    values_ = sample_values("en")
    del values_["tracking_link"]
    with pytest.raises(RenderError) as missing:
        render(catalog.shipped()["notice.shipped"].texts["en"].body, values_)
    assert missing.value.kind == "missing" and missing.value.name == "tracking_link"
    unknown = problems_of("Hi {{ buyer_nmae }}")
    assert [(p.kind, p.name) for p in unknown] == [("unknown", "buyer_nmae")]
    preview = render_preview("Re: {{ order_number }}", "Hi {{ buyr }}", "fr")
    assert not preview.ok and preview.subject == "Re: 8123456789" and preview.body is None
    assert preview.problems == [
        {
            "part": "body",
            "kind": "unknown",
            "placeholder": "buyr",
            "message": "{{ buyr }} is not a placeholder",
        }
    ]
    unsafe = render_preview("", "{{ ''.__class__ }}", "fr")
    assert [p["kind"] for p in unsafe.problems] == ["unsafe"]
    looping = render_preview("", "{% for c in buyer_name %}{{ c }}{% endfor %}", "en")
    assert "for" in looping.problems[0]["message"]
    ok = render_preview("", "Bonjour {{ buyer_name }}", "fr")
    assert ok.ok and ok.body == "Bonjour Ana Souza"


def test_an_order_without_a_fact_leaves_its_placeholder_out() -> None:
    from dataclasses import replace

    bare = replace(SAMPLE, tracking_number=None, carrier=None, dispute=None, buyer_name=None)
    filled = values(bare, {}, language="en", time_zone="UTC", now=SAMPLE_NOW)
    for name in ("tracking_number", "tracking_link", "carrier", "reason", "deadline", "buyer_name"):
        assert name not in filled
    full = values(SAMPLE, SAMPLE_DATA, language="ru", time_zone="Europe/Moscow", now=SAMPLE_NOW)
    assert full["time_left"] == "2 дня" and full["deadline"].endswith("(UTC+03:00)")
    assert full["buyer_plan"].startswith("возврат товара")


def test_the_readers_language_and_time_zone() -> None:
    assert languages.normalize("pt-BR") == "pt_BR" and languages.normalize("pt") == "pt_BR"
    assert languages.normalize("es-MX") == "es" and languages.normalize("zh-Hans-CN") == "zh_CN"
    assert languages.normalize("zh-TW") is None and languages.normalize("de") is None
    assert languages.choose(None, "ru", country="BR") == "ru"  # the account's setting first
    assert languages.choose(None, None, country="BR") == "pt_BR"
    assert languages.choose(None, country="PL") == "pl"
    assert languages.choose(None, country="MX") == "es"
    assert languages.choose(None, country="DE") == "en"  # a language we do not write
    assert languages.choose(None, country=None) == "en"
    assert languages.choose_zone(None, country="BR") == "America/Sao_Paulo"
    assert languages.choose_zone(None, country="PL") == "Europe/Warsaw"
    assert languages.choose_zone("Not/AZone", country=None) == "UTC"
    assert words.country("BR", "fr") == "Brésil"


def test_working_hours_and_the_auto_reply_key() -> None:
    hours = working_hours_from(
        {"mon": ["09:00-18:00"], "sat": ["10:00-24:00"]}, "Asia/Shanghai", "h"
    )
    monday_noon = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai, a Monday
    assert hours.is_open(monday_noon)
    evening = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 20:00
    assert not hours.is_open(evening)
    assert hours.next_opening(evening) == datetime(2026, 3, 7, 2, 0, tzinfo=UTC)  # Sat 10:00
    first = plan.auto_reply("O1", evening, hours)
    later = plan.auto_reply("O1", evening + timedelta(hours=3), hours)
    assert first is not None and later is not None and first.key == later.key  # one per stretch
    assert plan.auto_reply("O1", monday_noon, hours) is None
    with pytest.raises(SettingsError) as bad:
        settings_from({"auto_reply": {"working_hours": {"mon": ["18:00-09:00"]}}})
    assert bad.value.field == "auto_reply.working_hours.mon"
    with pytest.raises(SettingsError):
        settings_from({"time_zone": "Mars/Olympus"})
    assert settings_from({}).auto_reply.enabled is False  # off by default


def test_which_templates_fit_a_case() -> None:
    shipped = catalog.shipped().values()
    customs = Case(
        "shipped",
        frozenset({"in_customs", "arrived_dest_country"}),
        "not_received.customs_held",
        "awaiting_seller_response",
    )
    keys = [t.key for t, _ in suggested(shipped, customs)]
    assert keys[0] in ("reply.customs_clearance", "reply.customs_duties")
    assert "reply.customs_clearance" in keys
    assert "reply.not_working_video" not in keys
    assert all(t.purpose == "reply" for t, _ in suggested(shipped, customs))
    thread = Case("awaiting_shipment", frozenset())
    assert [t.key for t, _ in suggested(shipped, thread)][:1] == ["reply.order_thanks"]
    video = catalog.shipped()["reply.not_working_video"]
    assert score(
        video, Case("completed", frozenset(), "not_as_described.not_working", "negotiating")
    )
    assert (
        score(video, Case("completed", frozenset(), "not_as_described.damaged", "negotiating"))
        is None
    )


def test_unsubscribe_tokens_are_signed() -> None:
    key = b"k" * 32
    token = make_token(key, "buyer", "B1", "email", "pl")
    found = read_token(key, token)
    assert found is not None and (found.subject, found.subject_id, found.channel) == (
        "buyer",
        "B1",
        "email",
    )
    assert found.language == "pl"
    assert read_token(b"other" * 8, token) is None
    _payload, _, signature = token.partition(".")
    forged = make_token(key, "buyer", "B2", "email", "pl").partition(".")[0]
    assert read_token(key, f"{forged}.{signature}") is None
    assert read_token(key, "nonsense") is None


# -- the reminder plan, pure -----------------------------------------------------------------


def _state(*commands: tuple[float, str, str, dict]) -> State:
    """An order placed at T0 (promised 30 days, shipped on day 1) after the commands; each
    command (days after T0, actor, action, fields)."""
    policy = policy_from("aliexpress")
    state = State(
        order=Order(
            id="O1",
            amount=Decimal("100.00"),
            shipping=Decimal("20.00"),
            currency="USD",
            placed_at=T0,
            promised_delivery_days=30,
        )
    )
    steps = [(1, "seller", "ship", {"carrier": "CP", "tracking_number": "RR1"}), *commands]
    for offset, actor, action, fields in steps:
        state, entries = handle(
            state, Command(T0 + timedelta(days=offset), actor, action, fields), policy
        )
        assert all(e.ok for e in entries), entries
    return state


OPEN = (
    7,
    "buyer",
    "open_dispute",
    {
        "reason": "not_as_described.damaged",
        "goods_received": True,
        "plan": {"type": "return_and_refund", "amount": "50.00"},
    },
)
RESEND = (
    7,
    "buyer",
    "open_dispute",
    {"reason": "not_as_described.damaged", "goods_received": True, "plan": {"type": "resend"}},
)


@pytest.mark.parametrize(
    ("commands", "kind", "audience", "deadline_days"),
    [
        ([OPEN], "seller_response", "store", 7 + 5),
        ([OPEN, (8, "seller", "accept", {})], "return_shipment", "buyer", 8 + 10),
        (
            [
                OPEN,
                (8, "seller", "accept", {}),
                (9, "buyer", "ship_return", {"carrier": "CP", "tracking_number": "R1"}),
            ],
            "return_receipt",
            "store",
            9 + 30,
        ),
        (
            [
                OPEN,
                (8, "seller", "reject", {"note": "no"}),
                (8.5, "buyer", "escalate", {}),
                (9, "arbitrator", "intervene", {}),
            ],
            "evidence_period",
            "store",
            9 + 3,
        ),
        ([RESEND, (8, "seller", "accept", {})], "resend", "store", 8 + 7),
    ],
)
def test_reminders_48_and_12_hours_before_each_deadline(
    commands: list, kind: str, audience: str, deadline_days: float
) -> None:
    state = _state(*commands)
    policy = policy_from("aliexpress")
    deadline = T0 + timedelta(days=deadline_days)
    assert plan.reminder(state, policy, deadline - timedelta(hours=49)) is None
    first = plan.reminder(state, policy, deadline - timedelta(hours=48))
    assert first is not None and first.kind == f"reminder.{kind}" and first.audience == audience
    assert first.lead_hours == 48 and first.deadline_at == deadline
    again = plan.reminder(state, policy, deadline - timedelta(hours=20))
    assert again is not None and again.key == first.key  # the same reminder: created once
    second = plan.reminder(state, policy, deadline - timedelta(hours=12))
    assert second is not None and second.lead_hours == 12 and second.key != first.key
    assert plan.reminder(state, policy, deadline) is None  # the deadline itself: too late
    moved = plan.Snapshot(
        "shipped",
        "RR1",
        deadline + timedelta(days=1),
        first.data["expect"]["due_action"],
        len(state.disputes),
        None,
    )
    assert plan.still_holds(first.data["expect"], moved) == "the deadline moved"
