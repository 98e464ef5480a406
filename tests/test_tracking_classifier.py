"""The tracking classifier (issue 11) against real carrier events.

`tests/tracking/events.jsonl` is a copy of `../shared/tracking/events.jsonl`: 530 tracking events
from 37 carrier feeds, copied from public GitHub repositories (karrio, Shopify/active_shipping,
wantable/omniship, dir01/parcels, Correios clients ...) and hand-labelled with the 15 statuses.
Its README (`/work/shared/tracking/README.md`, "Real carrier tracking events, labelled (test
fixtures)") gives the provenance of every event, the labelling conventions and the pitfalls each
tested below; rows marked `unsure` name a defensible alternative label in `why`, which the lenient
score accepts.

Further wordings in other languages are real carrier texts as shown on the carriers' public
tracking pages or returned by their APIs, written down from memory of those pages (the comment
on each names the carrier and the page); none is invented carrier text.
"""

# The tables of real carrier texts keep one event per line, however long.
# ruff: noqa: E501

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from disputedesk.tracking import classifier
from disputedesk.tracking.classifier import classify, normalize
from disputedesk.tracking.rules import codes, phrases
from disputedesk.tracking.taxonomy import NOTICE_STATUSES, Classification, TrackingStatus

EVENTS_FILE = Path(__file__).parent / "tracking" / "events.jsonl"
EVENTS: list[dict[str, Any]] = [
    json.loads(line) for line in EVENTS_FILE.read_text(encoding="utf-8").splitlines()
]
LABELS = {status.name for status in TrackingStatus}
EXE = str(Path(sys.executable).with_name("disputedesk"))
S = TrackingStatus


def judge(
    description: str | None,
    carrier: str | None = None,
    raw_code: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Classification:
    return classify(
        {
            "carrier": carrier,
            "raw_code": raw_code,
            "description": description,
            "location": None,
            "at": None,
            "extra": extra,
        }
    )


def alternatives(row: dict[str, Any]) -> set[str]:
    """The labels an `unsure` row's `why` names besides its own (README: a fair scorer accepts
    them)."""
    if not row.get("unsure"):
        return set()
    return {word for word in re.findall(r"[A-Z_]{5,}", row.get("why") or "") if word in LABELS}


# --------------------------------------------------------------------------------------------
# The 530 labelled events


def test_the_copy_is_the_shared_set() -> None:
    assert len(EVENTS) == 530
    assert Counter(row["label"] for row in EVENTS)["IN_TRANSIT"] == 206
    assert len({row["carrier"] for row in EVENTS}) == 37


def test_label_agreement_strict_and_lenient() -> None:
    strict = lenient = 0
    disagreements = []
    for i, row in enumerate(EVENTS):
        got = classify(row).status.name
        strict += got == row["label"]
        ok = got == row["label"] or got in alternatives(row)
        lenient += ok
        if got != row["label"]:
            disagreements.append(f"{i}: {row['description']!r} label {row['label']}, got {got}")
    n = len(EVENTS)
    print(f"\nstrict {strict}/{n} = {strict / n:.1%}; lenient {lenient}/{n} = {lenient / n:.1%}")
    print("\n".join(disagreements))
    assert strict / n >= 0.95, disagreements
    assert lenient / n >= 0.95
    # the known, argued disagreements (see the issue note): nothing new may creep in
    assert len(disagreements) <= 6, disagreements


def test_notice_left_agrees_wherever_the_status_does() -> None:
    for row in EVENTS:
        judged = classify(row)
        if judged.status.name == row["label"]:
            assert judged.notice_left == row["notice_left"], row["description"]


def test_notice_left_is_only_said_of_pickups_and_attempts() -> None:
    for row in EVENTS:
        judged = classify(row)
        if judged.status not in NOTICE_STATUSES:
            assert judged.notice_left is None


def test_every_labelled_event_is_classified_by_some_rule() -> None:
    assert not [row["description"] for row in EVENTS if classify(row).unclassified]


# --------------------------------------------------------------------------------------------
# Every status and both notice cases, by a named real example (README / events.jsonl)

NAMED = [
    ("no_info", "Correios (Brazil)", None, "Objeto não encontrado na base de dados dos Correios.", S.NO_INFO, None),
    ("info_received", "UPS", "MP", "Shipper created a label, UPS has not received the package yet. ", S.INFO_RECEIVED, None),
    ("accepted", "Correios (Brazil)", "PO/01", "Objeto postado", S.ACCEPTED, None),
    ("in_transit", "USPS", "T1", "Departed USPS Regional Facility", S.IN_TRANSIT, None),
    ("arrived_dest_country", "La Poste (Colissimo)", "ET3", "Votre colis est arrivé dans le pays du destinataire.", S.ARRIVED_DEST_COUNTRY, None),
    ("in_customs", "Australia Post", None, "Item is in Customs", S.IN_CUSTOMS, None),
    ("action_required", "Correios (Brazil)", None, "Importação autorizada  pela autoridade competente - Aguardando pagamento", S.ACTION_REQUIRED, None),
    ("at_local_office", "USPS", "07", "Arrived at Post Office", S.AT_LOCAL_OFFICE, None),
    ("out_for_delivery", "DHL Paket (Germany)", "PO", "The shipment has been loaded onto the delivery vehicle", S.OUT_FOR_DELIVERY, None),
    ("available_for_pickup_silent", "Canada Post", "1701", "Item available for pickup at Post Office", S.AVAILABLE_FOR_PICKUP, None),
    ("available_for_pickup_notice", "Canada Post", "0156", "Final Notice; Item will be returned to sender if not collected within 10 days", S.AVAILABLE_FOR_PICKUP, True),
    ("delivery_attempted_silent", "Nationex (Canada)", "5", "Unavailable consignee - Delivery attempt on next business day", S.DELIVERY_ATTEMPTED, None),
    ("delivery_attempted_notice", "Canada Post", "1479", "Attempted delivery. Notice card left indicating where item can be picked up.", S.DELIVERY_ATTEMPTED, True),
    ("delivered", "Australia Post", None, "Delivered - Left in a safe place", S.DELIVERED, None),
    ("returning", "Correios (Brazil)", "OEC/09", "Objeto saiu para entrega ao remetente", S.RETURNING, None),
    ("returned", "Correios (Brazil)", "BDE/23", "Objeto devolvido ao remetente", S.RETURNED, None),
    ("exception", "TNT", "NR", "\n        Shipment Delayed In Transit Recovery Actions Underway\n      ", S.EXCEPTION, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("carrier", "code", "text", "status", "notice"),
    [case[1:] for case in NAMED],
    ids=[case[0] for case in NAMED],
)
def test_named_example(
    carrier: str, code: str | None, text: str, status: TrackingStatus, notice: bool | None
) -> None:
    judged = judge(text, carrier, code)
    assert (judged.status, judged.notice_left, judged.unclassified) == (status, notice, False)
    # and it is a labelled event of the shared set
    assert any(row["description"] == text and row["label"] == status.name for row in EVENTS)


def test_the_named_examples_cover_every_status_and_both_notice_cases() -> None:
    assert {case[4] for case in NAMED} == set(TrackingStatus)
    for status in NOTICE_STATUSES:
        assert {case[5] for case in NAMED if case[4] == status} == {None, True}


# --------------------------------------------------------------------------------------------
# The README's pitfalls, one test each


def test_canada_post_notice_card_left_is_an_attempt_with_notice() -> None:
    judged = judge("Attempted delivery. Notice card left indicating where item can be picked up.")
    assert (judged.status, judged.notice_left) == (S.DELIVERY_ATTEMPTED, True)


def test_canada_post_final_notice_waits_for_pickup_with_notice() -> None:
    judged = judge("Final Notice; Item will be returned to sender if not collected within 10 days")
    assert (judged.status, judged.notice_left) == (S.AVAILABLE_FOR_PICKUP, True)


def test_australia_post_carded_is_the_verb_of_a_notice() -> None:
    judged = judge("Attempted delivery - being carded to Australia\n\t\t\t\t\t\tPost outlet")
    assert (judged.status, judged.notice_left) == (S.DELIVERY_ATTEMPTED, True)


def test_usps_2001_notice_left_line() -> None:
    judged = judge("May 30 11:07 am NOTICE LEFT WILMINGTON DE 19801.", "USPS")
    assert (judged.status, judged.notice_left) == (S.DELIVERY_ATTEMPTED, True)


def test_fedex_puts_the_reason_of_a_failed_attempt_in_a_separate_field() -> None:
    extra = {"exceptionDescription": "Customer not available or business closed"}
    judged = judge("Delivery exception", "FedEx", "DE", extra)
    assert (judged.status, judged.notice_left) == (S.DELIVERY_ATTEMPTED, None)
    assert judge("Delivery exception", "FedEx", "DE").status == S.EXCEPTION  # no reason given


def test_correios_carteiro_nao_atendido_is_an_attempt_without_notice() -> None:
    judged = judge("A entrega não pode ser efetuada - Carteiro não atendido", "Correios")
    assert (judged.status, judged.notice_left) == (S.DELIVERY_ATTEMPTED, None)


def test_dpd_be_not_able_to_deliver_is_an_attempt_without_notice() -> None:
    judged = judge("Unfortunately we have not been able to deliver your parcel.", "DPD (Belgium)")
    assert (judged.status, judged.notice_left) == (S.DELIVERY_ATTEMPTED, None)


def test_nationex_unavailable_consignee_is_an_attempt_without_notice() -> None:
    judged = judge("Unavailable consignee - Delivery attempt on next business day")
    assert (judged.status, judged.notice_left) == (S.DELIVERY_ATTEMPTED, None)


def test_dpd_delivered_to_pickup_parcelshop_is_not_a_delivery_to_the_buyer() -> None:
    judged = judge("Delivered by driver to Pickup parcelshop", "DPD (Belgium)", "ParcelShop")
    assert (judged.status, judged.notice_left) == (S.AVAILABLE_FOR_PICKUP, None)


def test_usps_delivered_parcel_locker_is_delivered_as_labelled() -> None:
    # README: "put in the mailbox or parcel locker" is DELIVERED (unsure: pickup arguable)
    assert judge("Delivered, Parcel Locker", "USPS", "01").status == S.DELIVERED


def test_dpd_returning_from_delivery_means_back_to_the_depot_not_the_sender() -> None:
    judged = judge(
        "After an unsuccessful delivery attempt the parcel is back at the recipient depot.",
        "DPD (Belgium)",
        "ReturningFromDelivery",
    )
    assert judged.status == S.DELIVERY_ATTEMPTED


def test_correios_out_for_delivery_to_the_sender_is_a_return() -> None:
    assert judge("Objeto saiu para entrega ao remetente", "Correios").status == S.RETURNING
    assert judge("Objeto saiu para entrega ao destinatário").status == S.OUT_FOR_DELIVERY


def test_morneau_pick_up_available_is_freight_ready_at_the_shipper() -> None:
    judged = judge("PICK UP DISPONIBLE / AVAILABLE", "Groupe Morneau (freight, Canada)", "AVAIL")
    assert judged.status == S.INFO_RECEIVED


def test_landmark_parcel_collected_is_not_a_collection_by_the_buyer() -> None:
    judged = judge("Parcel collected", "Landmark Global", "200")
    assert judged.status == S.IN_TRANSIT  # code 200: "Item scanned at postal facility"
    assert judge("Parcel collected").status not in (S.DELIVERED, S.AVAILABLE_FOR_PICKUP)


def test_sendle_attempted_pickup_is_a_failed_pickup_at_the_sender() -> None:
    judged = judge("We attempted to pick up the parcel but were unsuccessful", "Sendle")
    assert judged.status == S.INFO_RECEIVED


def test_usps_awaiting_item_suffix_does_not_mean_nobody_holds_it() -> None:
    assert judge("Picked Up By Shipping Partner, USPS Awaiting Item", "USPS", "80").status == (
        S.ACCEPTED
    )
    assert judge("Arrived Shipping Partner Facility, USPS Awaiting Item", "USPS", "81").status == (
        S.IN_TRANSIT
    )
    assert judge("Shipping Label Created, USPS Awaiting Item", "USPS", "GX").status == (
        S.INFO_RECEIVED
    )


def test_cainiao_import_clearance_start_reads_as_customs() -> None:
    # logged before the parcel leaves China; a stateless reader goes by the words (as labelled)
    judged = judge("Import clearance start", "Cainiao (AliExpress)", "CC_IM_START")
    assert judged.status == S.IN_CUSTOMS


def test_cainiao_import_clearance_complete_is_in_transit_despite_its_group() -> None:
    extra = {"standerdDesc": "Import customs clearance complete", "group": "At customs"}
    judged = judge(
        "Import customs clearance complete", "Cainiao (AliExpress)", "CC_IM_SUCCESS", extra
    )
    assert judged.status == S.IN_TRANSIT


def test_ups_export_side_pending_release_is_in_customs() -> None:
    text = "Your package is pending release from a Government Agency. Once they release it, your package will be on its way."
    assert judge(text, "UPS", "RZ").status == S.IN_CUSTOMS


def test_ups_contact_with_the_sender_for_clearance_is_action_required() -> None:
    text = "UPS initiated contact with the sender to obtain clearance information. Once received, UPS will submit for clearance."
    assert judge(text, "UPS", "BB").status == S.ACTION_REQUIRED


def test_correios_asks_the_buyer_to_pay() -> None:
    text = "Importação autorizada  pela autoridade competente - Aguardando pagamento"
    assert judge(text, "Correios (Brazil)").status == S.ACTION_REQUIRED
    assert judge("Pagamento confirmado", "Correios (Brazil)").status == S.IN_CUSTOMS


def test_tnt_same_text_at_a_hub_and_at_the_delivering_depot() -> None:
    text = "\n        Shipment Received At Tnt Location\n      "
    assert judge(text, "TNT", "IR").status == S.AT_LOCAL_OFFICE
    assert judge(text, "TNT", "IS").status == S.IN_TRANSIT


def test_correios_same_text_retry_or_start_of_return() -> None:
    text = "A entrega não pode ser efetuada - Carteiro não atendido"
    retry = judge(
        text, "Correios (Brazil)", "BDE/20", {"detalhe": "Será realizada nova tentativa de entrega"}
    )
    back = judge(
        text, "Correios (Brazil)", "BDE/21", {"detalhe": "Objeto será devolvido ao remetente"}
    )
    assert (retry.status, back.status) == (S.DELIVERY_ATTEMPTED, S.RETURNING)
    # the detail alone tells it too, without the code
    assert (
        judge(text, None, None, {"detalhe": "Objeto será devolvido ao remetente"}).status
        == S.RETURNING
    )


def test_customs_cleared_or_released_counts_as_in_transit() -> None:
    for text in (
        "Customs cleared",  # Landmark
        "Item cleared by Customs",  # Australia Post
        "Your package was released by the customs agency.",  # UPS
        "Fiscalização aduaneira finalizada",  # Correios
        "Out customs authorities",  # Asendia
        "Leaving customs",  # Cainiao
    ):
        assert judge(text).status == S.IN_TRANSIT, text


def test_export_clearance_is_in_transit() -> None:
    assert judge("Export customs clearance started", "Cainiao (AliExpress)").status == S.IN_TRANSIT
    assert judge("Cleared and awaiting international departure").status == S.IN_TRANSIT


def test_newgistics_return_label_delivered_to_return_center_is_delivered() -> None:
    assert judge("Delivered to Return Center", "Newgistics (USPS return label)", "DRC").status == (
        S.DELIVERED
    )


def test_a_hand_over_to_another_carrier_mid_journey_is_in_transit() -> None:
    text = "The parcel was handed over to GLS."
    assert judge(text, "GLS (Germany)").status == S.ACCEPTED
    assert judge(text, "SEKO Omni Parcel").status == S.IN_TRANSIT
    assert judge("TENDERED TO USPS", "DHL eCommerce (Global Mail)").status == S.IN_TRANSIT


def test_a_generic_scan_in_the_destination_country_stays_in_transit() -> None:
    assert judge("Arrived at DHL facility in Bergamo -\n   Italy ", "DHL Express", "AF").status == (
        S.IN_TRANSIT
    )
    assert judge("Arrived in New Zealand", "Australia Post").status == S.ARRIVED_DEST_COUNTRY


# --------------------------------------------------------------------------------------------
# Precedence: the most specific meaning wins


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Returned to sender", S.RETURNED),  # beats "delivered"-like words
        ("Delivered, To Original Sender", S.RETURNED),  # USPS
        ("Item being returned to sender", S.RETURNING),
        ("Refused by recipient - returning to sender", S.RETURNING),
        ("Delivered by driver to Pickup parcelshop", S.AVAILABLE_FOR_PICKUP),
        ("Delivered to UPS Access Point™", S.AVAILABLE_FOR_PICKUP),
        ("Attempted delivery. Notice card left indicating where item can be picked up.", S.DELIVERY_ATTEMPTED),
        ("Held at FedEx location for recipient pickup", S.AVAILABLE_FOR_PICKUP),
        ("Awaiting Collection at CITY PARCEL DELIVERY", S.AVAILABLE_FOR_PICKUP),
        ("Item cleared by Customs", S.IN_TRANSIT),
        ("Item is in Customs", S.IN_CUSTOMS),
        ("Arrival at inward office of exchange", S.ARRIVED_DEST_COUNTRY),
        ("Departure from inward office of exchange", S.IN_TRANSIT),
        ("Arrived at Post Office", S.AT_LOCAL_OFFICE),
        ("Your shipment has arrived at the postal operator of the country of destination and will be delivered in the coming days.", S.ARRIVED_DEST_COUNTRY),
        ("The parcel is expected to be delivered during the day.", S.OUT_FOR_DELIVERY),
        ("Shipment Delayed In Transit Recovery Actions Underway", S.EXCEPTION),
        ("Customer addressing error found; attempting to correct. Possible delay", S.EXCEPTION),
        ("Shipment information sent to FedEx", S.INFO_RECEIVED),
        ("We have your parcel, and it's on its way to your nearest depot", S.ACCEPTED),
    ],
)  # fmt: skip
def test_precedence(text: str, status: TrackingStatus) -> None:
    assert judge(text).status == status


# --------------------------------------------------------------------------------------------
# More real wordings, in many languages (carrier, page; remembered from the public pages)

WORDINGS = [
    # Correios, rastreamento.correios.com.br (pt-BR)
    ("Correios", "Objeto em trânsito - por favor aguarde", S.IN_TRANSIT, None),
    ("Correios", "Objeto recebido na unidade de exportação no país de origem", S.IN_TRANSIT, None),
    ("Correios", "Encaminhado para fiscalização aduaneira", S.IN_CUSTOMS, None),
    ("Correios", "Aguardando pagamento", S.ACTION_REQUIRED, None),
    ("Correios", "Objeto não localizado no fluxo postal", S.EXCEPTION, None),
    ("Correios", "Objeto em correção de rota", S.EXCEPTION, None),
    ("Correios", "Objeto aguardando retirada no endereço indicado", S.AVAILABLE_FOR_PICKUP, None),
    # CTT Correios de Portugal, ctt.pt "Seguir objeto" (pt-PT)
    ("CTT", "Aceite", S.ACCEPTED, None),
    ("CTT", "Em trânsito", S.IN_TRANSIT, None),
    ("CTT", "Em distribuição", S.OUT_FOR_DELIVERY, None),
    ("CTT", "Entregue", S.DELIVERED, None),
    # Correos (Spain), correos.es "Localizador de envíos" (es)
    ("Correos", "Prerregistrado", S.INFO_RECEIVED, None),
    ("Correos", "Admitido", S.ACCEPTED, None),
    ("Correos", "En reparto", S.OUT_FOR_DELIVERY, None),
    ("Correos", "Entregado", S.DELIVERED, None),
    ("Correos", "En devolución", S.RETURNING, None),
    # SEUR, seur.com tracking (es)
    ("SEUR", "Disponible en tienda", S.AVAILABLE_FOR_PICKUP, None),
    # La Poste / Colissimo, laposte.fr "Suivre un envoi" (fr)
    ("La Poste", "Votre colis est pris en charge par La Poste", S.ACCEPTED, None),
    ("La Poste", "Votre colis est arrivé sur son site de distribution", S.AT_LOCAL_OFFICE, None),
    ("La Poste", "Votre colis est en cours de livraison", S.OUT_FOR_DELIVERY, None),
    ("La Poste", "Votre colis est disponible dans votre point de retrait", S.AVAILABLE_FOR_PICKUP, None),
    ("La Poste", "Votre colis est prêt à être expédié, il n'est pas encore pris en charge par La Poste.", S.INFO_RECEIVED, None),
    ("La Poste", "Votre colis a été dédouané", S.IN_TRANSIT, None),
    # Mondial Relay, mondialrelay.fr "Suivi de colis" (fr)
    ("Mondial Relay", "Colis disponible au Point Relais", S.AVAILABLE_FOR_PICKUP, None),
    ("Mondial Relay", "Colis livré au Point Relais", S.AVAILABLE_FOR_PICKUP, None),
    # Deutsche Post DHL, dhl.de Sendungsverfolgung (de)
    ("DHL", "Die Auftragsdaten zu dieser Sendung wurden vom Absender elektronisch an DHL übermittelt.", S.INFO_RECEIVED, None),
    ("DHL", "Die Sendung wurde vom Absender in der Filiale eingeliefert.", S.ACCEPTED, None),
    ("DHL", "Die Sendung wurde im Start-Paketzentrum bearbeitet.", S.IN_TRANSIT, None),
    ("DHL", "Die Sendung wurde im Ziel-Paketzentrum bearbeitet.", S.IN_TRANSIT, None),
    ("DHL", "Die Sendung wurde in das Zustellfahrzeug geladen.", S.OUT_FOR_DELIVERY, None),
    ("DHL", "Die Sendung wird voraussichtlich heute zugestellt.", S.OUT_FOR_DELIVERY, None),
    ("DHL", "Die Sendung wurde erfolgreich zugestellt.", S.DELIVERED, None),
    ("DHL", "Die Sendung konnte nicht zugestellt werden. Der Empfänger wurde benachrichtigt.", S.DELIVERY_ATTEMPTED, True),
    ("DHL", "Die Sendung liegt in der PACKSTATION 123 in 53113 Bonn zur Abholung bereit.", S.AVAILABLE_FOR_PICKUP, None),
    ("DHL", "Die Sendung ist im Zielland/Zielgebiet eingetroffen.", S.ARRIVED_DEST_COUNTRY, None),
    # Poste Italiane, poste.it "Cerca spedizioni"; BRT, brt.it tracking (it)
    ("Poste Italiane", "Presa in carico", S.ACCEPTED, None),
    ("Poste Italiane", "In transito", S.IN_TRANSIT, None),
    ("Poste Italiane", "In consegna", S.OUT_FOR_DELIVERY, None),
    ("Poste Italiane", "Consegnato", S.DELIVERED, None),
    ("Poste Italiane", "In giacenza presso l'Ufficio Postale", S.AVAILABLE_FOR_PICKUP, None),
    ("BRT", "Arrivata alla filiale di destinazione", S.AT_LOCAL_OFFICE, None),
    # Poczta Polska, emonitoring.poczta-polska.pl; InPost, inpost.pl "Śledź przesyłkę" (pl)
    ("Poczta Polska", "Nadanie", S.ACCEPTED, None),
    ("Poczta Polska", "Wydano do doręczenia", S.OUT_FOR_DELIVERY, None),
    ("Poczta Polska", "Awizo - przesyłka do odbioru w placówce", S.AVAILABLE_FOR_PICKUP, True),
    ("Poczta Polska", "Nieudana próba doręczenia", S.DELIVERY_ATTEMPTED, None),
    ("Poczta Polska", "Odebrano w placówce", S.DELIVERED, None),
    ("InPost", "Przygotowana przez Nadawcę", S.INFO_RECEIVED, None),
    ("InPost", "Odebrana od klienta", S.ACCEPTED, None),
    ("InPost", "W trasie", S.IN_TRANSIT, None),
    ("InPost", "Gotowa do odbioru", S.AVAILABLE_FOR_PICKUP, None),
    ("InPost", "Dostarczona", S.DELIVERED, None),
    # PostNL, postnl.nl Track & Trace (nl)
    ("PostNL", "Zending is aangemeld maar nog niet ontvangen door PostNL", S.INFO_RECEIVED, None),
    ("PostNL", "Zending is gesorteerd", S.IN_TRANSIT, None),
    ("PostNL", "Bezorger is onderweg", S.OUT_FOR_DELIVERY, None),
    ("PostNL", "Zending wordt vandaag bezorgd", S.OUT_FOR_DELIVERY, None),
    ("PostNL", "Zending is bezorgd", S.DELIVERED, None),
    ("PostNL", "Zending ligt klaar bij het PostNL-punt", S.AVAILABLE_FOR_PICKUP, None),
    # Почта России, pochta.ru/tracking (ru)
    ("Почта России", "Приём", S.ACCEPTED, None),
    ("Почта России", "Покинуло место приёма", S.IN_TRANSIT, None),
    ("Почта России", "Прибыло в сортировочный центр", S.IN_TRANSIT, None),
    ("Почта России", "Прибыло в место международного обмена", S.IN_TRANSIT, None),
    ("Почта России", "Импорт международной почты", S.ARRIVED_DEST_COUNTRY, None),
    ("Почта России", "Приём на таможню", S.IN_CUSTOMS, None),
    ("Почта России", "Выпущено таможней", S.IN_TRANSIT, None),
    ("Почта России", "Прибыло в место вручения", S.AVAILABLE_FOR_PICKUP, None),
    ("Почта России", "Передано почтальону", S.OUT_FOR_DELIVERY, None),
    ("Почта России", "Вручение адресату", S.DELIVERED, None),
    ("Почта России", "Неудачная попытка вручения", S.DELIVERY_ATTEMPTED, None),
    ("Почта России", "Доставлено извещение", S.AVAILABLE_FOR_PICKUP, True),
    ("Почта России", "Возврат", S.RETURNING, None),
    ("Почта России", "Вручение отправителю", S.RETURNED, None),
    # Nova Poshta, novaposhta.ua tracking; Ukrposhta, track.ukrposhta.ua (uk)
    ("Нова Пошта", "Відправник самостійно створив цю накладну, але ще не надав до відправки", S.INFO_RECEIVED, None),
    ("Нова Пошта", "Відправлення прямує до міста Київ", S.IN_TRANSIT, None),
    ("Нова Пошта", "Прибув у відділення", S.AT_LOCAL_OFFICE, None),
    ("Нова Пошта", "Відправлення отримано", S.DELIVERED, None),
    ("Нова Пошта", "Відмова від отримання", S.DELIVERY_ATTEMPTED, None),
    ("Укрпошта", "Відправлення прийняте", S.ACCEPTED, None),
    ("Укрпошта", "Прибуло до установи обміну призначення", S.ARRIVED_DEST_COUNTRY, None),
    # PTT, gonderitakip.ptt.gov.tr (tr)
    ("PTT", "Kabul Edildi", S.ACCEPTED, None),
    ("PTT", "Yurt Dışına Gönderildi", S.IN_TRANSIT, None),
    ("PTT", "Dağıtıma Çıkarıldı", S.OUT_FOR_DELIVERY, None),
    ("PTT", "Teslim Edildi", S.DELIVERED, None),
    # Israel Post, israelpost.co.il item tracking (he)
    ("Israel Post", "הפריט יצא לחלוקה", S.OUT_FOR_DELIVERY, None),
    ("Israel Post", "הפריט נמסר לנמען", S.DELIVERED, None),
    ("Israel Post", "נמסר ליעד", S.DELIVERED, None),
    # Japan Post, trackings.post.japanpost.jp; Yamato, toi.kuronekoyamato.co.jp (ja)
    ("Japan Post", "引受", S.ACCEPTED, None),
    ("Japan Post", "国際交換局に到着", S.IN_TRANSIT, None),
    ("Japan Post", "通関手続中", S.IN_CUSTOMS, None),
    ("Japan Post", "持ち出し中", S.OUT_FOR_DELIVERY, None),
    ("Japan Post", "ご不在のため持ち戻り", S.DELIVERY_ATTEMPTED, None),
    ("Japan Post", "保管", S.AVAILABLE_FOR_PICKUP, None),
    ("Japan Post", "お届け先にお届け済み", S.DELIVERED, None),
    ("Japan Post", "差出人に返送", S.RETURNING, None),
    ("Japan Post", "お問い合わせ番号が見つかりません", S.NO_INFO, None),
    ("Yamato", "荷物受付", S.ACCEPTED, None),
    ("Yamato", "輸送中", S.IN_TRANSIT, None),
    ("Yamato", "配達完了", S.DELIVERED, None),
    # CJ Logistics, cjlogistics.com tracking; Korea Post, service.epost.go.kr (ko)
    ("CJ", "집화처리", S.ACCEPTED, None),
    ("CJ", "간선상차", S.IN_TRANSIT, None),
    ("CJ", "배달출발", S.OUT_FOR_DELIVERY, None),
    ("CJ", "배달완료", S.DELIVERED, None),
    ("Korea Post", "접수", S.ACCEPTED, None),
    ("Korea Post", "수입신고수리", S.IN_TRANSIT, None),
    # China Post, yjcx.ems.com.cn; Cainiao, global.cainiao.com; SF Express, sf-express.com (zh)
    ("China Post", "已收寄", S.ACCEPTED, None),
    ("China Post", "离开【广州国际处理中心】，下一站【伦敦】", S.IN_TRANSIT, None),
    ("China Post", "未妥投", S.DELIVERY_ATTEMPTED, None),
    ("China Post", "已妥投", S.DELIVERED, None),
    ("China Post", "投递并签收，签收人：本人收", S.DELIVERED, None),
    ("Cainiao", "清关中", S.IN_CUSTOMS, None),
    ("Cainiao", "包裹已到达菜鸟驿站，请凭取件码取件", S.AVAILABLE_FOR_PICKUP, True),
    ("SF Express", "顺丰速运 已收取快件", S.ACCEPTED, None),
    ("SF Express", "快件到达 【深圳宝安中转场】", S.IN_TRANSIT, None),
    # Chunghwa Post, postserv.post.gov.tw; Hongkong Post, hongkongpost.hk (zh-Hant)
    ("Chunghwa Post", "投遞成功", S.DELIVERED, None),
    ("Hongkong Post", "郵件已派遞", S.DELIVERED, None),
    # Royal Mail, royalmail.com "Track your item"; Evri, evri.com tracking (en-GB)
    ("Royal Mail", "We've got it", S.ACCEPTED, None),
    ("Royal Mail", "We tried to deliver your item", S.DELIVERY_ATTEMPTED, None),
    ("Royal Mail", "Your item is ready to collect", S.AVAILABLE_FOR_PICKUP, None),
    ("Evri", "We've got your parcel", S.ACCEPTED, None),
    ("Evri", "Your parcel is at our local depot", S.AT_LOCAL_OFFICE, None),
    ("Evri", "We're sorry we missed you", S.DELIVERY_ATTEMPTED, True),
    # USPS, tools.usps.com tracking (en-US)
    ("USPS", "Notice Left (No Authorized Recipient Available)", S.DELIVERY_ATTEMPTED, True),
    ("USPS", "Delivered, Individual Picked Up at Post Office", S.DELIVERED, None),
    ("USPS", "Delivery Attempted - No Access to Delivery Location", S.DELIVERY_ATTEMPTED, None),
    ("USPS", "In Transit, Arriving Late", S.EXCEPTION, None),
    ("USPS", "Held at Post Office, At Customer Request", S.AVAILABLE_FOR_PICKUP, None),
    ("USPS", "Available for Pickup", S.AVAILABLE_FOR_PICKUP, None),
    ("USPS", "Return to Sender", S.RETURNING, None),
    ("USPS", "Moving Through Network", S.IN_TRANSIT, None),
    # FedEx, fedex.com tracking; UPS, ups.com tracking; DHL Express, dhl.com (en)
    ("FedEx", "International shipment release - Import", S.IN_TRANSIT, None),
    ("FedEx", "Clearance delay - Import", S.IN_CUSTOMS, None),
    ("UPS", "Order Processed: Ready for UPS", S.INFO_RECEIVED, None),
    ("UPS", "The receiver was not available for delivery. We'll make a second attempt the next business day.", S.DELIVERY_ATTEMPTED, None),
    ("UPS", "The package was refused by the receiver and will be returned to the sender.", S.RETURNING, None),
    ("DHL Express", "Shipment is out with courier for delivery", S.OUT_FOR_DELIVERY, None),
    ("DHL Express", "Awaiting collection by recipient as requested", S.AVAILABLE_FOR_PICKUP, None),
    ("DHL Express", "Payment of duties and taxes is required", S.ACTION_REQUIRED, None),
    # GLS, gls-group.eu track and trace (en)
    ("GLS", "The parcel could not be delivered as the consignee was absent.", S.DELIVERY_ATTEMPTED, None),
    ("GLS", "The parcel has been delivered at the ParcelShop (see ParcelShop information).", S.AVAILABLE_FOR_PICKUP, None),
    ("GLS", "The parcel is stored in the GLS parcel center. It cannot be delivered as further address information is needed.", S.ACTION_REQUIRED, None),
    # PostNord, postnord.se (sv); Česká pošta, postaonline.cz (cs); ELTA, elta.gr (el);
    # Magyar Posta, posta.hu (hu); FAN Courier, fancourier.ro (ro); Aramex, aramex.com (ar)
    ("PostNord", "Försändelsen har levererats", S.DELIVERED, None),
    ("Česká pošta", "Zásilka byla doručena", S.DELIVERED, None),
    ("ELTA", "Παραδόθηκε", S.DELIVERED, None),
    ("Magyar Posta", "Kézbesítve", S.DELIVERED, None),
    ("FAN Courier", "Livrat", S.DELIVERED, None),
    ("Aramex", "تم التسليم", S.DELIVERED, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("carrier", "text", "status", "notice"),
    WORDINGS,
    ids=[f"{carrier}:{text[:40]}" for carrier, text, _, _ in WORDINGS],
)
def test_real_wording(carrier: str, text: str, status: TrackingStatus, notice: bool | None) -> None:
    judged = judge(text, carrier)
    assert (judged.status, judged.notice_left, judged.unclassified) == (status, notice, False)


def test_the_wordings_span_the_required_languages() -> None:
    languages = {lang for meaning in phrases.MEANINGS for lang, _ in meaning.patterns}
    required = {"en", "es", "pt", "fr", "de", "it", "pl", "nl", "ru", "uk", "tr", "he", "ja", "ko", "zh"}  # fmt: skip
    assert required <= languages
    assert {"cs", "sv", "el", "ro", "hu", "ar"} <= languages


# --------------------------------------------------------------------------------------------
# Codes: trusted where the scheme is known


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("EMA", S.ACCEPTED),
        ("EMB", S.IN_TRANSIT),
        ("EMC", S.IN_TRANSIT),
        ("EMD", S.ARRIVED_DEST_COUNTRY),
        ("EME", S.IN_CUSTOMS),
        ("EMF", S.IN_TRANSIT),
        ("EMG", S.AT_LOCAL_OFFICE),
        ("EMH", S.DELIVERY_ATTEMPTED),
        ("EMI", S.DELIVERED),
        ("EDB", S.IN_CUSTOMS),
        ("EDC", S.IN_TRANSIT),
        ("EDG", S.OUT_FOR_DELIVERY),
        ("EDH", S.AVAILABLE_FOR_PICKUP),
        ("EXA", S.IN_TRANSIT),
        ("EXB", S.IN_CUSTOMS),
    ],
)
def test_upu_event_codes_need_no_carrier(code: str, status: TrackingStatus) -> None:
    judged = judge("", None, code)
    assert (judged.status, judged.rule) == (status, f"code:upu:{code}")


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("InfoReceived", S.INFO_RECEIVED),
        ("InTransit_002", S.ACCEPTED),
        ("InTransit_004", S.ARRIVED_DEST_COUNTRY),
        ("InTransit_005", S.IN_TRANSIT),
        ("InTransit_006", S.IN_CUSTOMS),
        ("OutForDelivery", S.OUT_FOR_DELIVERY),
        ("AttemptFail_002", S.DELIVERY_ATTEMPTED),
        ("AvailableForPickup", S.AVAILABLE_FOR_PICKUP),
        ("Delivered_002", S.DELIVERED),
        ("Exception_004", S.IN_CUSTOMS),
        ("Exception_006", S.ACTION_REQUIRED),
        ("Exception_010", S.RETURNING),
        ("Exception_011", S.RETURNED),
        ("Expired", S.EXCEPTION),
        ("Pending", S.NO_INFO),
    ],
)
def test_aftership_tags_and_subtags(code: str, status: TrackingStatus) -> None:
    assert judge(None, "AfterShip", code).status == status
    assert judge(None, None, code).status == status  # the shape names the scheme


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("NotFound", S.NO_INFO),
        ("InTransit_PickedUp", S.ACCEPTED),
        ("InTransit_CustomsProcessing", S.IN_CUSTOMS),
        ("InTransit_CustomsReleased", S.IN_TRANSIT),
        ("InTransit_CustomsRequiringInformation", S.ACTION_REQUIRED),
        ("DeliveryFailure_NoBody", S.DELIVERY_ATTEMPTED),
        ("Exception_Returning", S.RETURNING),
        ("Exception_Returned", S.RETURNED),
        ("Exception_Lost", S.EXCEPTION),
    ],
)
def test_17track_statuses_and_sub_statuses(code: str, status: TrackingStatus) -> None:
    assert judge(None, "17TRACK", code).status == status
    assert judge(None, None, code).status == status


@pytest.mark.parametrize("code", ["8/2", "8.2", "8-2"])
def test_russian_post_operation_type_and_attribute(code: str) -> None:
    # oper 8 "Обработка", attr 2 "Прибыло в место вручения"
    assert judge("Обработка", "Почта России", code).status == S.AVAILABLE_FOR_PICKUP
    assert judge("", "Russian Post", "12").status == S.DELIVERY_ATTEMPTED  # неудачная попытка


def test_la_poste_codes_stand_in_for_a_missing_text() -> None:
    assert judge(None, "La Poste (Colissimo)", "DI1").status == S.DELIVERED
    assert judge(None, "Colissimo", "AG1").status == S.AVAILABLE_FOR_PICKUP


def test_correios_code_refines_a_vague_text() -> None:
    assert judge("Conferido", "Correios (Brazil)", "PAR/16").status == S.ARRIVED_DEST_COUNTRY
    assert judge("Conferido", "Correios (Brazil)", "PAR/18").status == S.IN_TRANSIT


def test_a_carrier_code_is_not_trusted_without_its_carrier() -> None:
    assert judge("", "FedEx", "DL").status == S.DELIVERED
    unknown = judge("", "Some Courier", "DL")
    assert (unknown.status, unknown.unclassified) == (S.EXCEPTION, True)


def test_a_specific_text_wins_over_a_code_that_is_not_decisive() -> None:
    # La Poste MD2 is "mis en distribution", but this MD2 text says where it is
    text = "Votre colis est dans le site de livraison qui dessert votre adresse. Nous le préparons pour le mettre en livraison."
    assert judge(text, "La Poste (Colissimo)", "MD2").status == S.AT_LOCAL_OFFICE


def test_every_code_table_is_reachable_from_a_carrier_name() -> None:
    assert set(codes.TABLES) == {family for _, family in codes.FAMILIES}


# --------------------------------------------------------------------------------------------
# Normalisation, empty and unknown texts, odd input


def test_normalize() -> None:
    assert normalize("Arrived at DHL facility in Barcelona -\n      Spain ") == (
        "arrived at dhl facility in barcelona spain"
    )
    assert normalize("Ｄｅｌｉｖｅｒｅｄ\t\tOK") == "delivered ok"  # NFKC, tabs
    assert normalize("Votre colis est LIVRÉ.") == "votre colis est livre."
    assert normalize("Zustellung an Straße") == "zustellung an strasse"
    assert normalize("Przesyłka doręczona") == "przesylka doreczona"
    assert normalize("İADE EDİLDİ") == "iade edildi"
    assert normalize("DistributedNormally - regular") == "distributed normally regular"
    assert normalize("郵件已派遞") == "邮件已派递"  # Traditional read as Simplified
    assert normalize("FedEx") == "fedex"


def test_accents_case_and_whitespace_do_not_change_the_meaning() -> None:
    for text in (
        "Objeto entregue ao destinatário",
        "OBJETO ENTREGUE AO DESTINATARIO",
        "objeto\n entregue\tao destinatário ",
    ):
        assert judge(text).status == S.DELIVERED


def test_empty_answers_are_no_info() -> None:
    assert judge("").status == S.NO_INFO
    assert judge(None).status == S.NO_INFO
    assert judge("No tracking updates yet").status == S.NO_INFO
    assert judge("No Shipments Found for AWBNumber 123456789").status == S.NO_INFO


def test_an_unknown_text_is_an_unclassified_exception() -> None:
    judged = judge("Lorem ipsum dolor sit amet")
    assert (judged.status, judged.unclassified, judged.notice_left) == (S.EXCEPTION, True, None)
    assert judge("Delivered").unclassified is False


def test_odd_input_types_do_not_break_it() -> None:
    assert classify({"description": "Delivered", "raw_code": 1, "extra": "x"}).status == S.DELIVERED
    assert classify({"description": 42}).unclassified
    assert classify({}).status == S.NO_INFO


def test_the_rule_that_decided_is_named() -> None:
    assert judge("Objeto entregue ao destinatário").rule == "text:delivered:pt"
    assert judge("", None, "EMI").rule == "code:upu:EMI"


def test_every_pattern_compiled_and_is_prefiltered() -> None:
    assert len(classifier._RULES) == sum(len(m.patterns) for m in phrases.MEANINGS)
    assert not classifier._ALWAYS  # every pattern names the literal words it needs


def test_patterns_never_expect_what_normalisation_removes() -> None:
    # outside character classes a pattern must not need a hyphen or an underscore (the text
    # has spaces there), nor upper case (the text is casefolded)
    for meaning in phrases.MEANINGS:
        for _, pattern in meaning.patterns:
            outside = re.sub(r"\[[^\]]*\]|\\.|\(\?P<\w+>", "", pattern)
            assert "-" not in outside and "_" not in outside, pattern


# --------------------------------------------------------------------------------------------
# The command


def test_cli_classifies_the_shared_set_and_reports_a_bad_line(tmp_path: Path) -> None:
    lines = EVENTS_FILE.read_text(encoding="utf-8").splitlines()
    source = tmp_path / "events.jsonl"
    source.write_text("\n".join([*lines[:100], "not json", "[1, 2]", "", *lines[100:]]) + "\n")
    proc = subprocess.run(
        [EXE, "tracking", "classify", str(source)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "101: not JSON (Expecting value: line 1 column 1 (char 0))",
        "102: not a JSON object (list)",
    ]
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(EVENTS)
    for got, row in zip(out, EVENTS, strict=True):
        judged = classify(row)
        assert got.pop("status") == judged.status.value
        assert got.pop("notice_left") == judged.notice_left
        assert got.pop("unclassified", False) == judged.unclassified
        # the input object, unchanged (its own `notice_left`, the label's, is replaced)
        assert got == {key: value for key, value in row.items() if key != "notice_left"}


def test_cli_reads_standard_input() -> None:
    event = {"carrier": "PTT", "description": "Teslim Edildi", "status": "stale"}
    proc = subprocess.run(
        [EXE, "tracking", "classify", "-"],
        input=json.dumps(event) + "\n{}\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first == {
        "carrier": "PTT",
        "description": "Teslim Edildi",
        "status": "delivered",
        "notice_left": None,
    }
    assert second == {"status": "no_info", "notice_left": None}
