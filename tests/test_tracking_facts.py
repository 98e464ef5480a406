"""Delivery facts, the delivery match and the shipment watch's rules, pure (no database, no
clock): RULES.md section 9 principles 1-4 and 6 read these facts, and seed 002's Brazil advice is
one of the watch's rules. Carrier wordings in the examples are from ../shared/tracking/events.jsonl
(Correios, UPS, GEODIS, DPD UK, FedEx, DHL, Canada Post, USPS)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from disputedesk.tracking.facts import (
    Shipment,
    TrackEvent,
    action_of,
    delivery_facts,
    place_text,
)
from disputedesk.tracking.match import (
    MATCHED,
    MISMATCHED,
    UNKNOWN,
    compact_zip,
    fold,
    match_city,
    match_delivery,
    match_recipient,
    match_time,
    match_zip,
)
from disputedesk.tracking.taxonomy import TrackingStatus as S
from disputedesk.tracking.watch import WatchOrder, WatchPolicy, alerts_for

SHIPPED = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
DEADLINE = SHIPPED + timedelta(days=30)
SECOND = timedelta(seconds=1)
ADDRESS = {
    "recipient": "John Smith",
    "line1": "Av. Paulista 1000",
    "city": "São Paulo",
    "state": "SP",
    "zip": "01310-100",
    "country": "BR",
}


def day(n: float) -> datetime:
    """`n` days after shipment."""
    return SHIPPED + timedelta(days=n)


def ev(status: S, n: float | None, **kw) -> TrackEvent:
    return TrackEvent(status=status, at=day(n) if n is not None else None, **kw)


def shipment(**kw) -> Shipment:
    values = {
        "shipped_at": SHIPPED,
        "delivery_deadline": DEADLINE,
        "shipping_address": ADDRESS,
        "destination_country": "BR",
        "tracking_number": "NC823688148BR",
    }
    values.update(kw)
    return Shipment(**values)


# -- normalising ---------------------------------------------------------------------------------


def test_fold_and_compact_zip_normalise_case_accents_spaces_and_separators():
    assert fold("  SÃO   Paulo - SP ") == "sao paulo sp"
    assert fold("Zürich") == fold("ZURICH") == "zurich"
    assert compact_zip("01310-100") == compact_zip("01310100") == "01310100"
    assert compact_zip("sw1a 1aa") == compact_zip("SW1A1AA")
    assert compact_zip("K1A 0B1") == "K1A0B1"


# -- the delivery match: city --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "description", "result", "rule"),
    [
        ({"city": "SAO PAULO", "state": "SP"}, None, MATCHED, "same_city"),
        ({"city": "são paulo"}, None, MATCHED, "same_city"),
        ({"city": "SAO PAULO SP"}, None, MATCHED, "city_within_place"),
        ({"city": "Guarulhos"}, None, MISMATCHED, "different_city"),
        ({"text": "SAO PAULO - SP"}, None, MATCHED, "city_in_place_text"),
        ({"facility": "AC CENTRAL DE SAO PAULO"}, None, MATCHED, "city_in_facility"),
        (None, "Objeto entregue em São Paulo", MATCHED, "city_in_description"),
        ({"text": "Curitiba / PR"}, None, UNKNOWN, "city_not_named"),
        (None, "Delivered", UNKNOWN, "no_place"),
        (None, None, UNKNOWN, "no_place"),
    ],
)
def test_city_matched_mismatched_or_unknown(location, description, result, rule):
    judged = match_city("São Paulo", location, description)
    assert (judged.result, judged.rule) == (result, rule)


def test_city_unknown_when_the_order_has_none():
    judged = match_city(None, {"city": "SAO PAULO"})
    assert (judged.result, judged.rule) == (UNKNOWN, "order_has_no_city")


def test_a_city_field_of_a_larger_place_does_not_match_a_word_inside_another_word():
    assert match_city("Paulo", {"city": "SAO PAULOS"}).result == MISMATCHED


# -- the delivery match: zip code ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("order_zip", "location", "description", "result", "rule"),
    [
        ("01310-100", {"zip": "01310100"}, None, MATCHED, "same_zip"),
        ("01310100", {"zip": "01310-100"}, None, MATCHED, "same_zip"),
        ("SW1A 1AA", {"zip": "sw1a1aa"}, None, MATCHED, "same_zip"),
        ("K1A 0B1", {"zip": "K1A-0B1"}, None, MATCHED, "same_zip"),
        ("10001-1234", {"zip": "10001"}, None, MATCHED, "zip_plus4"),
        ("10001", {"zip": "100011234"}, None, MATCHED, "zip_plus4"),
        ("10001-1234", {"zip": "10001-9999"}, None, MISMATCHED, "different_zip"),
        ("01310-100", {"zip": "01009972"}, None, MISMATCHED, "different_zip"),
        ("K1A 0B1", {"zip": "K1A"}, None, UNKNOWN, "partial_zip"),
        ("01310-100", {"text": "SAO PAULO 01310-100"}, None, MATCHED, "zip_in_place_text"),
        ("01310-100", {"text": "SAO PAULO 01310 100"}, None, MATCHED, "zip_in_place_text"),
        ("19801", None, "delivered in Wilmington DE 19801.", MATCHED, "zip_in_description"),
        ("19801-2222", None, "delivered in Wilmington DE 19801.", MATCHED, "zip_in_description"),
        ("19801", None, "delivered in Wilmington DE 198012.", UNKNOWN, "no_zip"),
        ("01310-100", {"city": "SAO PAULO"}, "Entregue", UNKNOWN, "no_zip"),
        (None, {"zip": "01310100"}, None, UNKNOWN, "order_has_no_zip"),
    ],
)
def test_zip_formats(order_zip, location, description, result, rule):
    judged = match_zip(order_zip, location, description)
    assert (judged.result, judged.rule) == (result, rule)


# -- the delivery match: recipient ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "result", "rule"),
    [
        ("John Smith", MATCHED, "same_name"),
        ("JOHN SMITH", MATCHED, "same_name"),
        ("Mr. John  Smith", MATCHED, "same_name"),
        ("SMITH JOHN", MATCHED, "name_reordered"),
        ("J SMITH", MATCHED, "initial_and_surname"),
        ("J.SMITH", MATCHED, "initial_and_surname"),
        ("JSMITH", MATCHED, "initial_and_surname"),
        ("SMITH", MATCHED, "name_part"),
        ("M SMITH", MISMATCHED, "different_name"),
        ("Jane Doe", MISMATCHED, "different_name"),
        ("NEIGHBOUR", MISMATCHED, "handed_to_someone_else"),
        ("Signature not required", UNKNOWN, "no_name_given"),
        ("FRONT DOOR", UNKNOWN, "no_name_given"),
    ],
)
def test_recipient_names_from_a_signature_field(said, result, rule):
    judged = match_recipient("John Smith", {"receivedByName": said})
    assert (judged.result, judged.rule) == (result, rule)
    if result != UNKNOWN:
        assert judged.tracking_value in (said, None)


@pytest.mark.parametrize(
    "key", ["signatory", "receivedByName", "DeliverySignatureName", "signed_by", "signatory_name"]
)
def test_recipient_is_read_from_every_signature_field(key):
    judged = match_recipient("John Smith", {key: "J SMITH", "tracking_number": "X1"})
    assert (judged.result, judged.tracking_value) == (MATCHED, "J SMITH")


def test_recipient_accents_and_case_do_not_matter():
    judged = match_recipient("José Álvarez", {"signatory": "JOSE ALVAREZ"})
    assert (judged.result, judged.rule) == (MATCHED, "same_name")
    assert match_recipient("José Álvarez", {"signatory": "J ALVAREZ"}).result == MATCHED


def test_recipient_from_the_carriers_words():
    said = "The parcel has been delivered, signed for by SMITH"  # DPD UK
    judged = match_recipient("John Smith", None, said)
    assert (judged.result, judged.rule, judged.tracking_value) == (MATCHED, "name_part", "SMITH")


def test_a_neighbour_or_a_different_person_is_not_the_recipient():
    said = "Your parcel has been delivered to your neighbour at number 30 and signed for by J SMITH"
    assert match_recipient("John Smith", None, said).rule == "handed_to_someone_else"
    dhl = {"recipient_name": "Brown", "recipient_id_text": "different person present"}
    judged = match_recipient("John Smith", dhl)
    assert (judged.result, judged.rule) == (MISMATCHED, "handed_to_someone_else")


def test_recipient_unknown_when_nobody_is_named_or_the_order_names_nobody():
    assert match_recipient("John Smith", None, "Delivered").rule == "no_recipient_named"
    assert match_recipient("John Smith", {"tracking_number": "X"}).result == UNKNOWN
    judged = match_recipient(None, {"signatory": "J SMITH"})
    assert (judged.result, judged.rule) == (UNKNOWN, "order_has_no_recipient")


# -- the delivery match: time window -------------------------------------------------------------


@pytest.mark.parametrize(
    ("delivered", "result", "rule"),
    [
        (SHIPPED - SECOND, MISMATCHED, "before_shipment"),
        (SHIPPED, MATCHED, "in_window"),
        (SHIPPED + timedelta(days=12), MATCHED, "in_window"),
        (DEADLINE, MATCHED, "in_window"),
        (DEADLINE + SECOND, MISMATCHED, "after_deadline"),
        (None, UNKNOWN, "no_delivery_time"),
    ],
)
def test_time_window_edges(delivered, result, rule):
    judged = match_time(delivered, SHIPPED, DEADLINE)
    assert (judged.result, judged.rule) == (result, rule)


def test_time_without_a_deadline_is_unknown():
    assert match_time(day(3), SHIPPED, None).rule == "no_order_window"


def test_the_overall_match_needs_every_part():
    kwargs = {
        "address": ADDRESS,
        "description": "Objeto entregue ao destinatário",
        "shipped_at": SHIPPED,
        "deadline": DEADLINE,
    }
    full = match_delivery(
        location={"city": "SAO PAULO", "zip": "01310100"},
        extra={"signatory": "J SMITH"},
        delivered_at=day(20),
        **kwargs,
    )
    assert full.overall == MATCHED
    assert full.to_json()["recipient"] == {
        "result": MATCHED,
        "rule": "initial_and_surname",
        "order": "John Smith",
        "tracking": "J SMITH",
    }
    unsigned = match_delivery(
        location={"city": "SAO PAULO", "zip": "01310100"},
        extra=None,
        delivered_at=day(20),
        **kwargs,
    )
    assert unsigned.overall == UNKNOWN
    late = match_delivery(
        location={"city": "SAO PAULO", "zip": "01310100"},
        extra=None,
        delivered_at=DEADLINE + SECOND,
        **kwargs,
    )
    assert late.overall == MISMATCHED


# -- the facts -----------------------------------------------------------------------------------

JOURNEY = [
    ev(S.INFO_RECEIVED, -1, id=1, description="Shipping label created"),
    ev(S.ACCEPTED, 0.5, id=2, description="Objeto postado", location={"city": "Shenzhen"}),
    ev(S.IN_TRANSIT, 2, id=3),
    ev(S.ARRIVED_DEST_COUNTRY, 8, id=4),
    ev(
        S.IN_CUSTOMS,
        9,
        id=5,
        description="Informações enviadas para análise da autoridade aduaneira",
    ),
]


def test_first_valid_scan_skips_label_data_no_info_and_unrecognised_text():
    events = [
        ev(S.NO_INFO, None, id=9),
        ev(S.INFO_RECEIVED, 0, id=1),
        ev(S.EXCEPTION, 0.2, id=2, unclassified=True),
        ev(S.ACCEPTED, 1, id=3),
        ev(S.IN_TRANSIT, 2, id=4),
    ]
    facts = delivery_facts(events, shipment(), day(3))
    assert facts.first_valid_scan is not None and facts.first_valid_scan.id == 3
    assert facts.last_event is not None and facts.last_event.id == 4
    assert facts.stage == "in_transit"


def test_no_scan_at_all_counts_as_tracking_not_found():
    facts = delivery_facts([ev(S.INFO_RECEIVED, 0)], shipment(), day(12))
    assert facts.first_valid_scan is None
    assert facts.reading.kind == "no_tracking" and facts.reading.principle == 1
    none = delivery_facts([], shipment(), day(12))
    assert none.stage == "no_events" and none.days_without_news == 12
    assert none.silence_rule == "since_shipment" and none.silent_since == SHIPPED
    nothing = delivery_facts([ev(S.NO_INFO, None)], shipment(), day(1))
    assert nothing.stage == "no_info"


def test_days_without_news_since_the_last_event_and_never_negative():
    facts = delivery_facts(JOURNEY[:3], shipment(), day(9.5))
    assert facts.silent_since == day(2) and facts.days_without_news == 7
    assert facts.silence_rule == "since_last_event"
    ahead = delivery_facts([ev(S.ACCEPTED, 5)], shipment(), day(4))  # a carrier's clock ahead
    assert ahead.days_without_news == 0


def test_in_customs_since_the_start_of_the_current_hold():
    correios = [
        *JOURNEY,
        ev(S.IN_CUSTOMS, 10, id=6, description="Análise concluída - importação autorizada"),
        ev(
            S.ACTION_REQUIRED,
            11,
            id=7,
            description="Importação autorizada pela autoridade competente - Aguardando pagamento",
        ),
        ev(S.EXCEPTION, 12, id=8, description="Atraso"),
    ]
    facts = delivery_facts(correios, shipment(), day(15))
    assert facts.in_customs_since == day(9) and facts.customs_days == 6
    released = delivery_facts([*correios, ev(S.IN_TRANSIT, 13)], shipment(), day(15))
    assert released.in_customs_since is None
    # Cainiao's "Import clearance start" before the parcel leaves China is no current hold
    early = [ev(S.ACCEPTED, 0), ev(S.IN_CUSTOMS, 1), ev(S.IN_TRANSIT, 2)]
    assert delivery_facts(early, shipment(), day(3)).in_customs_since is None


def test_action_required_buyer_to_pay_duties_reads_as_principle_6():
    events = [
        *JOURNEY,
        ev(
            S.ACTION_REQUIRED,
            11,
            id=7,
            description="Importação autorizada  pela autoridade competente - Aguardando pagamento",
        ),
    ]
    facts = delivery_facts(events, shipment(), day(12))
    action = facts.action_required
    assert action is not None
    assert (action.what, action.by, action.rule) == ("pay_duties", "buyer", "buyer_asked_to_pay")
    assert action.since == day(11)
    assert (facts.reading.kind, facts.reading.principle) == ("duties_due_from_buyer", 6)
    moved_on = delivery_facts([*events, ev(S.OUT_FOR_DELIVERY, 13)], shipment(), day(14))
    assert moved_on.action_required is None
    paid = delivery_facts(
        [*events, ev(S.IN_CUSTOMS, 12, description="Pagamento confirmado")], shipment(), day(13)
    )
    assert paid.action_required is None and paid.in_customs_since == day(9)


@pytest.mark.parametrize(
    ("text", "what", "by"),
    [
        (
            "UPS initiated contact with the sender to obtain clearance information. Once "
            "received, UPS will submit for clearance.",
            "clearance_data",
            "seller",
        ),
        (
            "Les informations communiquées dans votre contrat de transport ne permettent pas "
            "d'organiser la livraison. Des informations complémentaires nous sont nécessaires "
            "pour livrer (nom, rue, téléphone, ...).",
            "address_data",
            "unknown",
        ),
        ("Please pay the import duties online", "pay_duties", "buyer"),
        ("Awaiting collection by the addressee", "collect", "buyer"),
        ("Contact us", "unknown", "unknown"),
    ],
)
def test_who_must_act(text, what, by):
    assert action_of(ev(S.ACTION_REQUIRED, 1, description=text))[:2] == (what, by)


def test_pickup_with_a_written_notice_is_the_buyers_responsibility():
    events = [
        *JOURNEY[:4],
        ev(S.AT_LOCAL_OFFICE, 10, id=6),
        ev(
            S.DELIVERY_ATTEMPTED,
            11,
            id=7,
            notice_left=True,
            description="Attempted delivery. Notice card left indicating where item can be "
            "picked up.",
        ),
        ev(S.AVAILABLE_FOR_PICKUP, 12, id=8, description="Item available for pickup"),
    ]
    facts = delivery_facts(events, shipment(), day(13))
    assert facts.pickup_notice is not None and facts.pickup_notice.id == 7
    assert (facts.reading.kind, facts.reading.principle) == ("pickup_notice_left", 2)
    assert facts.action_required is not None
    assert (facts.action_required.what, facts.action_required.by) == ("collect", "buyer")


def test_a_local_office_without_notice_or_an_import_office_is_still_in_transit():
    local = delivery_facts([*JOURNEY[:4], ev(S.AT_LOCAL_OFFICE, 10)], shipment(), day(11))
    assert local.pickup_notice is None
    assert (local.reading.kind, local.reading.rule) == ("in_transit", "local_office_without_notice")
    waiting = delivery_facts([*JOURNEY[:4], ev(S.AVAILABLE_FOR_PICKUP, 10)], shipment(), day(11))
    assert (waiting.reading.kind, waiting.reading.rule) == ("in_transit", "pickup_without_notice")
    assert waiting.action_required is not None
    assert waiting.action_required.rule == "waiting_at_pickup_point"
    arrived = delivery_facts(JOURNEY[:4], shipment(), day(9))
    assert arrived.reading.rule == "at_import_exchange_office"


def test_delivered_with_the_match_and_its_reading():
    delivered = ev(
        S.DELIVERED,
        20,
        id=9,
        description="Objeto entregue ao destinatário",
        location={"city": "SAO PAULO", "state": "SP", "zip": "01310100"},
        extra={"signatory": "J SMITH"},
    )
    facts = delivery_facts([*JOURNEY, delivered], shipment(), day(21))
    assert facts.stage == "delivered" and not facts.is_open
    assert facts.delivered is not None and facts.delivered.at == day(20)
    assert facts.delivered.recipient == "J SMITH"
    assert facts.delivered.recipient_source == "extra.signatory"
    assert (facts.reading.kind, facts.reading.principle) == ("delivered_matching", 3)
    elsewhere = TrackEvent(
        S.DELIVERED, day(20), location={"city": "JUNDIAI", "zip": "13211970"}, id=9
    )
    facts = delivery_facts([*JOURNEY, elsewhere], shipment(), day(21))
    assert (facts.reading.kind, facts.reading.principle) == ("delivered_not_matching", 4)
    bare = delivery_facts([*JOURNEY, ev(S.DELIVERED, 20)], shipment(), day(21))
    assert bare.reading.kind == "delivered_match_unconfirmed"


def test_a_delivery_scan_stays_delivered_when_later_scans_are_out_of_order():
    events = [ev(S.ACCEPTED, 0), ev(S.DELIVERED, 5), ev(S.IN_TRANSIT, 6)]  # Landmark multi-leg
    assert delivery_facts(events, shipment(), day(7)).stage == "delivered"


def test_returning_and_returned():
    back = [
        *JOURNEY[:4],
        ev(S.DELIVERY_ATTEMPTED, 10),
        ev(S.RETURNING, 11, id=20, description="Objeto saiu para entrega ao remetente"),
    ]
    facts = delivery_facts(back, shipment(), day(12))
    assert facts.stage == "returning" and facts.returning is not None
    assert facts.returning.id == 20 and facts.reading.kind == "returning"
    done = delivery_facts(
        [*back, ev(S.RETURNED, 15, id=21, description="Objeto devolvido ao remetente")],
        shipment(),
        day(16),
    )
    assert done.stage == "returned" and done.returned is not None and done.returned.id == 21
    assert done.reading.kind == "returned" and not done.is_open


def test_the_facts_read_the_current_shipment_not_the_first_parcel_nor_the_return():
    events = [
        ev(S.DELIVERED, 3, tracking_number="OLD1", id=1),
        ev(S.IN_TRANSIT, 4, tracking_number="NEW1", id=2),
        ev(S.DELIVERED, 6, tracking_number="RET1", leg="return", id=3),
    ]
    facts = delivery_facts(events, shipment(tracking_number="new1 "), day(7))
    assert facts.stage == "in_transit" and facts.events == 1 and facts.ignored == 2
    assert facts.scope_rule == "current_tracking_number"
    unnumbered = delivery_facts(events, shipment(tracking_number="ELSE"), day(7))
    assert unnumbered.scope_rule == "outbound_events" and unnumbered.ignored == 1


def test_a_row_of_an_unknown_status_reads_as_unclassified():
    row = SimpleNamespace(
        status="weird",
        at=day(1),
        notice_left=None,
        description="?",
        location=None,
        extra=None,
        id=4,
        leg=None,
    )
    event = TrackEvent.of(row)
    assert event.status == S.EXCEPTION and event.unclassified and event.leg == "outbound"


def test_place_text_in_one_line():
    assert place_text({"city": "Curitiba", "state": "PR", "zip": "80000-000"}) == (
        "Curitiba, PR 80000-000"
    )
    assert place_text({"facility": "AC SAO JOSE DE UBA", "city": "Sao Jose de Uba"}) == (
        "Sao Jose de Uba · AC SAO JOSE DE UBA"
    )
    assert place_text(None) == ""


def test_the_json_names_every_fact():
    facts = delivery_facts(JOURNEY, shipment(), day(12))
    body = facts.to_json()
    assert set(body) >= {
        "stage",
        "first_valid_scan",
        "last_event",
        "days_without_news",
        "in_customs_since",
        "action_required",
        "pickup_notice_left",
        "delivered",
        "returning",
        "returned",
        "reading",
    }
    assert body["first_valid_scan"]["at"] == "2026-03-03T22:00:00Z"
    assert body["in_customs_since"] == "2026-03-12T10:00:00Z" and body["customs_days"] == 3


# -- the watch's rules ---------------------------------------------------------------------------


def order(**kw) -> WatchOrder:
    values = {
        "id": "O1",
        "status": "shipped",
        "delivery_deadline": DEADLINE,
        "destination_country": "ES",
        "carrier": "China Post",
        "extension_days_left": 90,
    }
    values.update(kw)
    return WatchOrder(**values)


def kinds(events, now, policy=None, **order_kw) -> dict[str, object]:
    facts = delivery_facts(events, shipment(), now)
    alerts = alerts_for(facts, order(**order_kw), now, policy or WatchPolicy())
    return {a.kind: a for a in alerts}


def test_no_news_for_n_days_one_below_at_and_above():
    events = [ev(S.ACCEPTED, 0, id=1), ev(S.IN_TRANSIT, 2, id=2)]
    policy = WatchPolicy(silence_days=7)
    assert "no_news" not in kinds(events, day(9) - SECOND, policy)
    at = kinds(events, day(9), policy)["no_news"]
    assert at.key == "no_news:e2" and at.figures["days"] == 7 and at.action == "ask_carrier"
    assert at.figures["limit_basis"] == "default"
    above = kinds(events, day(10), policy)["no_news"]
    assert above.key == at.key  # the same silence: the same alert
    after_news = kinds([*events, ev(S.IN_TRANSIT, 9.5, id=3)], day(10), policy)
    assert "no_news" not in after_news


def test_no_news_since_shipment_when_no_carrier_event_came():
    found = kinds([], day(10), WatchPolicy(silence_days=10))["no_news"]
    assert found.key == "no_news:shipment:2026-03-03T10:00:00Z"
    assert found.figures["since_rule"] == "since_shipment"


def test_no_news_limit_per_destination_and_carrier():
    policy = WatchPolicy(
        silence_days=7, silence_days_by_country={"BR": 20}, silence_days_by_carrier={"UPS": 3}
    )
    events = [ev(S.IN_TRANSIT, 1, id=1)]
    assert "no_news" not in kinds(events, day(9), policy, destination_country="BR")
    br = kinds(events, day(21), policy, destination_country="BR")["no_news"]
    assert (br.figures["limit"], br.figures["limit_basis"], br.figures["limit_for"]) == (
        20,
        "country",
        "BR",
    )
    ups = kinds(events, day(4), policy, destination_country="BR", carrier=" ups ")["no_news"]
    assert (ups.figures["limit"], ups.figures["limit_basis"]) == (3, "carrier")
    assert policy.silence_limit("es", None) == (7, "default", "")


def test_held_in_customs_for_more_than_m_days():
    events = [ev(S.ACCEPTED, 0), ev(S.IN_CUSTOMS, 4)]
    policy = WatchPolicy(customs_days=5, silence_days=60)
    assert "held_in_customs" not in kinds(events, day(9) - SECOND, policy)
    assert "held_in_customs" not in kinds(events, day(9), policy)  # 5 days: not more than 5
    above = kinds(events, day(9) + SECOND, policy)["held_in_customs"]
    assert above.key == f"held_in_customs:{'2026-03-07T10:00:00Z'}"
    assert above.figures == {"days": 5, "limit": 5, "since": "2026-03-07T10:00:00Z"}
    assert above.action == "check_customs"


def test_action_required_alerts_suggest_what_to_do():
    ups = ev(
        S.ACTION_REQUIRED,
        5,
        id=7,
        description="UPS initiated contact with the sender to obtain clearance information.",
    )
    found = kinds([ev(S.ACCEPTED, 0), ups], day(6))["action_required"]
    assert found.key == "action_required:clearance_data:e7"
    assert found.action == "supply_clearance_data" and found.figures["by"] == "seller"
    pickup = kinds([ev(S.ACCEPTED, 0), ev(S.AVAILABLE_FOR_PICKUP, 5, id=8)], day(6))
    assert pickup["action_required"].action == "ask_buyer_to_collect"


def test_returning_and_returned_alerts():
    back = [ev(S.ACCEPTED, 0), ev(S.RETURNING, 5, id=4)]
    found = kinds(back, day(6))
    assert found["returning"].key == "returning:e4" and "deadline_close" not in found
    assert found["returning"].action == "contact_buyer"
    done = kinds([*back, ev(S.RETURNED, 8, id=5)], day(9))
    assert "returning" not in done and done["returned"].key == "returned:e5"


def test_close_to_the_deadline_under_k_days_and_not_delivered():
    events = [ev(S.IN_TRANSIT, 20, id=1)]
    policy = WatchPolicy(deadline_days=7)
    seven_left = DEADLINE - timedelta(days=7)
    assert "deadline_close" not in kinds(events, seven_left, policy)
    found = kinds(events, seven_left + SECOND, policy)["deadline_close"]
    assert found.key == "deadline_close:2026-04-02T10:00:00Z"
    assert found.figures["days_left"] == 6 and found.action == "extend_delivery"
    assert "deadline_close" not in kinds([*events, ev(S.DELIVERED, 21)], seven_left + SECOND)
    assert "deadline_close" not in kinds(events, DEADLINE, policy)  # the worker's to complete
    capped = kinds(events, seven_left + SECOND, policy, extension_days_left=0)
    assert capped["deadline_close"].action == "contact_buyer"


def test_brazil_under_5_days_left_extend_delivery_by_30_days():
    events = [ev(S.IN_TRANSIT, 20, id=1)]
    five_left = DEADLINE - timedelta(days=5)
    at_five = kinds(events, five_left, destination_country="BR")
    assert "extend_delivery" not in at_five and "deadline_close" in at_five
    found = kinds(events, five_left + SECOND, destination_country="BR")
    assert "deadline_close" not in found
    advice = found["extend_delivery"]
    assert advice.key == "extend_delivery:2026-04-02T10:00:00Z"
    assert (advice.action, advice.action_days) == ("extend_delivery", 30)
    assert advice.figures["country"] == "BR" and advice.figures["limit"] == 5
    assert advice.data() == {
        "figures": advice.figures,
        "action": "extend_delivery",
        "action_days": 30,
    }
    spain = kinds(events, five_left + SECOND, destination_country="ES")
    assert "extend_delivery" not in spain and "deadline_close" in spain
    room = kinds(events, five_left + SECOND, destination_country="br", extension_days_left=12)
    assert room["extend_delivery"].action_days == 12
    full = kinds(events, five_left + SECOND, destination_country="BR", extension_days_left=0)
    assert "extend_delivery" not in full and full["deadline_close"].action == "contact_buyer"
    chile = WatchPolicy(structural_delay_countries=frozenset({"CL"}))
    assert "extend_delivery" in kinds(events, five_left + SECOND, chile, destination_country="CL")


def test_only_shipped_orders_are_watched():
    assert kinds([], day(40), status="completed") == {}
    assert kinds([], day(40), status="awaiting_shipment") == {}
