"""The demo's tracking timelines: for each shipped order, the carrier events a real feed would
have brought, stored through `services.tracking.ingest_many` like any feed's.

Every event text and code is a real carrier wording from the shared set of labelled events
(`../shared/tracking/events.jsonl`, see its README), used for the carrier that wrote it: Cainiao's
codes for Cainiao and AliExpress Standard Shipping parcels up to the hand-over in the destination
country, Yanwen's acceptance scan, DHL Express end to end, and the destination's last mile
(Correios, USPS, Canada Post, Australia Post, La Poste Colissimo, DHL Paket, bpost, DPD UK;
Asendia's delivery partners elsewhere). The instants, places, names and numbers are the
demo's; a wording that names a place ("Arrived at DHL facility in ...") names the demo's.

A parcel's journey has stages at fixed fractions of its transit time, which is drawn per
shipping method and destination (a log-normal spread around a median); its *fate* says where
the journey stops: delivered (to the address, to another city or zip code, or to someone else),
still moving, silent (stalled or lost), held in customs, waiting for duties to be paid, waiting
for pickup after an attempt (a notice card left where the carrier says so), on its way back or
returned, or unknown to the carrier. `marketplace` picks each order's fate from its story.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from disputedesk.demo.places import CITIES, City, city_of
from disputedesk.services.tracking import CarrierEvent

# -- the stages of a journey, at fractions of its transit time ----------------------------------

ACCEPTED, SORTED, HUB, EXPORT, DEPARTED = "accepted", "sorted", "hub", "export", "departed"
ARRIVED, CUSTOMS, DUTIES, PAID, RELEASED = "arrived", "customs", "duties", "paid", "released"
HANDOVER, LOCAL, OFFICE, OUT, DELIVERED = "handover", "local", "office", "out", "delivered"
ATTEMPT, PICKUP, RETURNING, RETURNED, NO_INFO = (
    "attempt",
    "pickup",
    "returning",
    "returned",
    "no_info",
)
JOURNEY = (
    ACCEPTED,
    SORTED,
    HUB,
    EXPORT,
    DEPARTED,
    ARRIVED,
    CUSTOMS,
    DUTIES,
    PAID,
    RELEASED,
    HANDOVER,
    LOCAL,
    OFFICE,
    OUT,
    DELIVERED,
)
FRACTION = {
    ACCEPTED: 0.01,
    SORTED: 0.04,
    HUB: 0.09,
    EXPORT: 0.13,
    DEPARTED: 0.2,
    ARRIVED: 0.46,
    CUSTOMS: 0.5,
    DUTIES: 0.56,
    PAID: 0.62,
    RELEASED: 0.66,
    HANDOVER: 0.72,
    LOCAL: 0.8,
    OFFICE: 0.9,
    OUT: 0.97,
    DELIVERED: 1.0,
}

# -- fates -------------------------------------------------------------------------------------

DELIVERED_OK = "delivered"  # to the address, a recipient the carrier names or none
DELIVERED_ELSEWHERE = "delivered_elsewhere"  # a scan in another city, with another zip code
DELIVERED_OTHER = "delivered_other_person"  # a neighbour or someone else signed
MOVING = "in_transit"
STALLED = "stalled"  # no news since an ordinary scan (the watch's "no news")
LOST = "lost"  # the same, long ago: the parcel never turns up
HELD = "customs"  # held in customs since its last scan
DUTIES_DUE = "duties"  # the buyer must pay import duties (Correios)
ATTEMPTED = "attempted"  # a failed delivery, another attempt to come
WAITING = "pickup"  # waiting at a post office or pickup point after an attempt
TURNED_BACK = "returning"
SENT_BACK = "returned"
UNKNOWN = "no_info"  # the carrier does not know the number
FATES = (
    DELIVERED_OK,
    DELIVERED_ELSEWHERE,
    DELIVERED_OTHER,
    MOVING,
    STALLED,
    LOST,
    HELD,
    DUTIES_DUE,
    ATTEMPTED,
    WAITING,
    TURNED_BACK,
    SENT_BACK,
    UNKNOWN,
)
DELIVERED_FATES = frozenset({DELIVERED_OK, DELIVERED_ELSEWHERE, DELIVERED_OTHER})


# -- wordings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """One real event wording: the code and text as the carrier writes them (a `{...}` field
    is the demo's place or name), the label the shared set gives it (documentation: the
    classifier decides), where the event happened and the side fields it carries."""

    code: str | None
    text: str
    label: str
    where: str = ""  # "", origin, hub, gateway, regional, local, delivery
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Feed:
    """A carrier's feed: its name on the events, its stages' wordings, how it writes instants
    and places."""

    carrier: str
    stages: dict[str, tuple[Wording, ...]]
    clock: Callable[[datetime, str], str | None]
    place: Callable[[str, Context], dict[str, str] | None]


@dataclass(frozen=True)
class Context:
    """What a wording may name: the buyer's city, the parcel's country, who signed."""

    country: str
    city: City
    recipient: str
    signer: str

    @property
    def city_caps(self) -> str:
        return self.city.carrier_name or self.city.name.upper()


def _w(code: str | None, text: str, label: str, where: str = "", **extra: Any) -> Wording:
    return Wording(code, text, label, where, extra)


# - instants, as each carrier writes them (a time without a zone is written in UTC)


def _naive(fmt: str) -> Callable[[datetime, str], str | None]:
    return lambda at, stage: at.strftime(fmt)


def _offset(hours: int) -> Callable[[datetime, str], str | None]:
    sign = "+" if hours >= 0 else "-"

    def clock(at: datetime, stage: str) -> str | None:
        local = at + timedelta(hours=hours)
        return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{abs(hours):02d}:00"

    return clock


def _cainiao_clock(at: datetime, stage: str) -> str | None:
    """China time for the origin's scans, GMT+0 for the destination's (as Cainiao writes)."""
    if JOURNEY.index(stage) <= JOURNEY.index(DEPARTED):
        return (at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S") + " GMT+8"
    return at.strftime("%Y-%m-%d %H:%M:%S") + " GMT+0"


def _eastern(at: datetime, stage: str) -> str | None:
    return (at - timedelta(hours=5)).strftime("%Y-%m-%d %H:%M:%S") + " EST"


# - places


def _nowhere(where: str, ctx: Context) -> dict[str, str] | None:
    return None


def _zip_digits(code: str) -> str:
    return "".join(c for c in code if c.isalnum())


def _correios_place(where: str, ctx: Context) -> dict[str, str] | None:
    city = ctx.city
    if where == "gateway":
        return {"text": "Curitiba / PR"}
    if where == "regional":
        return {
            "facility": f"CTE {ctx.city_caps}",
            "city": ctx.city_caps,
            "state": city.state or "",
        }
    if where in ("local", "delivery"):
        return {
            "facility": f"CDD {ctx.city_caps}",
            "city": ctx.city_caps,
            "state": city.state or "",
            "zip": _zip_digits(city.zip),
        }
    return None


def _usps_place(where: str, ctx: Context) -> dict[str, str] | None:
    if where == "gateway":
        return {"city": "GLENDALE HEIGHTS", "state": "IL", "zip": "60139"}
    if where == "regional":
        return {"city": f"{ctx.city_caps} {ctx.city.state} DISTRIBUTION CENTER"}
    if where in ("local", "delivery"):
        return {"city": ctx.city_caps, "state": ctx.city.state or "", "zip": ctx.city.zip}
    return None


def _canada_place(where: str, ctx: Context) -> dict[str, str] | None:
    if where == "regional":
        return {"city": "MISSISSAUGA", "state": "ON"}
    if where in ("local", "delivery"):
        return {"city": ctx.city_caps, "state": ctx.city.state or ""}
    return None


def _auspost_place(where: str, ctx: Context) -> dict[str, str] | None:
    if where == "gateway":
        return {"text": "SYDNEY NSW"}
    if where == "regional":
        return {"text": "CHULLORA NSW"}
    if where == "hub":
        return {"text": "Transit Scan"}
    if where in ("local", "delivery"):
        return {"text": f"{ctx.city_caps} {ctx.city.state}"}
    return None


def _dhl_paket_place(where: str, ctx: Context) -> dict[str, str] | None:
    if where in ("local", "delivery"):
        return {"city": ctx.city.name, "country": "Germany"}
    return None


def _dpd_place(where: str, ctx: Context) -> dict[str, str] | None:
    if where == "gateway":
        return {"text": "Hub 3 - Birmingham"}
    if where in ("local", "delivery"):
        return {"text": ctx.city.name}
    return None


def _asendia_place(where: str, ctx: Context) -> dict[str, str] | None:
    if where in ("gateway", "delivery"):
        return {"country": ctx.country}
    return None


def _dhl_place(where: str, ctx: Context) -> dict[str, str] | None:
    if where == "origin":
        return {"facility": "HKG", "text": "Hong Kong - Hong Kong "}
    if where == "hub":
        name = _dhl_hub(ctx.country)
        return {"text": f"{name} "}
    if where == "gateway":
        return {"text": f"{_dhl_gateway(ctx.country)} "}
    if where in ("local", "delivery"):
        return {"text": f"{ctx.city.name} - {_country_name(ctx.country)} "}
    return None


def _dhl_gateway(country: str) -> str:
    """Where DHL Express clears a country's parcels: its first demo city."""
    cities = CITIES.get(country)
    return f"{cities[0].name if cities else country} - {_country_name(country)}"


def _dhl_hub(country: str) -> str:
    return (
        "Cincinnati Hub - USA" if country in ("US", "CA", "MX", "CL", "BR") else "Leipzig - Germany"
    )


_COUNTRY_NAMES = {
    "US": "USA",
    "BR": "Brazil",
    "ES": "Spain",
    "FR": "France",
    "PL": "Poland",
    "RU": "Russia",
    "KR": "Korea, Republic Of",
    "NL": "Netherlands, The",
    "GB": "United Kingdom",
    "CA": "Canada",
    "AU": "Australia",
    "DE": "Germany",
    "IT": "Italy",
    "MX": "Mexico",
    "CL": "Chile",
    "BE": "Belgium",
    "PT": "Portugal",
    "IL": "Israel",
    "SA": "Saudi Arabia",
    "UA": "Ukraine",
}


def _country_name(code: str) -> str:
    return _COUNTRY_NAMES.get(code, code)


# - the feeds (wordings copied from events.jsonl; its README says where each comes from)

CAINIAO = Feed(
    "Cainiao",
    {
        ACCEPTED: (
            _w(
                "PU_PICKUP_SUCCESS",
                "Accepted by carrier",
                "accepted",
                standerdDesc="Received by logistics company",
            ),
        ),
        SORTED: (
            _w("SC_INBOUND_SUCCESS", "Inbound in sorting center", "in_transit"),
            _w("SC_OUTBOUND_SUCCESS", "Outbound in sorting center", "in_transit"),
        ),
        HUB: (_w("LH_HO_IN_SUCCESS", "Arrived at departure transport hub", "in_transit"),),
        EXPORT: (
            _w("CC_EX_START", "Export customs clearance started", "in_transit"),
            _w(
                "CC_EX_SUCCESS",
                "Export clearance success",
                "in_transit",
                standerdDesc="Export customs clearance complete",
            ),
        ),
        DEPARTED: (
            _w("LH_HO_AIRLINE", "Leaving from departure country/region", "in_transit"),
            _w(
                "LH_DEPART",
                "Left from departure country/region",
                "in_transit",
                standerdDesc="Departed from departure country/region",
            ),
        ),
        ARRIVED: (
            _w(
                "LH_ARRIVE",
                "Arrived at linehual office",
                "arrived_dest_country",
                standerdDesc="Arrived at linehaul office",
            ),
        ),
        CUSTOMS: (
            _w(
                "CC_HO_IN_SUCCESS",
                "Arrived at customs",
                "in_customs",
                standerdDesc="Arrived at customs",
            ),
        ),
        RELEASED: (
            _w(
                "CC_HO_OUT_SUCCESS",
                "Leaving customs",
                "in_transit",
                standerdDesc="Departed from customs",
            ),
            _w(
                "CC_IM_SUCCESS",
                "Import customs clearance complete",
                "in_transit",
                standerdDesc="Import customs clearance complete",
            ),
        ),
        HANDOVER: (
            _w(
                "GTMS_ACCEPT",
                "Received by local  delivery company",
                "in_transit",
                standerdDesc="Received by local delivery company",
            ),
        ),
        NO_INFO: (
            _w(
                "SELLER_PREPARING",
                "No tracking updates yet",
                "no_info",
                statusDesc="Awaiting seller dispatch",
            ),
        ),
    },
    _cainiao_clock,
    _nowhere,
)

YANWEN = Feed(
    "Yanwen",
    {ACCEPTED: (_w("PU10", "Yanwen Acceptance", "accepted", time_zone="+8"),)},
    _offset(8),
    _nowhere,
)

DHL_EXPRESS = Feed(
    "DHL Express",
    {
        ACCEPTED: (_w("PU", "Shipment picked up", "accepted", "origin"),),
        SORTED: (_w("PL", "Processed at Location {origin} ", "in_transit", "origin"),),
        DEPARTED: (
            _w("PO", "Departing origin", "in_transit", "origin"),
            _w("DF", "Departed from DHL facility in {origin} ", "in_transit", "origin"),
        ),
        ARRIVED: (
            _w("AF", "Arrived at DHL facility in {hub} ", "in_transit", "hub"),
            _w("PL", "Processed at Location {hub} ", "in_transit", "hub"),
            _w("DF", "Departed from DHL facility in {hub} ", "in_transit", "hub"),
        ),
        LOCAL: (
            _w("AF", "Arrived at DHL facility in {gateway} ", "in_transit", "gateway"),
            _w("PL", "Processed at Location {gateway} ", "in_transit", "gateway"),
            _w("DF", "Departed from DHL facility in {gateway} ", "in_transit", "gateway"),
        ),
        OFFICE: (
            _w(
                "AR",
                "Arrived at DHL facility in {city} - {country_name} ",
                "at_local_office",
                "local",
            ),
        ),
        OUT: (_w("WC", "With delivery courier", "out_for_delivery", "local"),),
        DELIVERED: (_w("OK", "Shipment delivered", "delivered", "delivery", signatory="{signer}"),),
        NO_INFO: (
            _w(
                "103",
                "No Shipments Found for AWBNumber {number}",
                "no_info",
                ActionStatus="No Shipments Found",
            ),
        ),
    },
    _naive("%Y-%m-%d %H:%M:%S"),
    _dhl_place,
)

CORREIOS = Feed(
    "Correios",
    {
        ARRIVED: (
            _w(
                None,
                "Objeto recebido pelos Correios do Brasil",
                "arrived_dest_country",
                "gateway",
                subStatus=["Local: Unidade de Logística Integrada - Curitiba / PR"],
            ),
        ),
        CUSTOMS: (
            _w(
                None,
                "Informações enviadas para análise da autoridade aduaneira/órgãos anuentes",
                "in_customs",
                "gateway",
                subStatus=["Local: Unidade de Logística Integrada - Curitiba / PR"],
            ),
            _w(
                None,
                "Análise concluída - importação autorizada",
                "in_customs",
                "gateway",
                subStatus=["Local: Unidade de Logística Integrada - Curitiba / PR"],
            ),
        ),
        DUTIES: (
            _w(
                None,
                "Importação autorizada  pela autoridade competente - Aguardando pagamento",
                "action_required",
                "gateway",
                subStatus=["Local: Unidade de Logística Integrada - Curitiba / PR"],
            ),
        ),
        PAID: (
            _w(
                None,
                "Pagamento confirmado",
                "in_customs",
                "gateway",
                subStatus=["Local: Unidade de Logística Integrada - Curitiba / PR"],
            ),
            _w(
                None,
                "Saída do Centro Internacional",
                "in_transit",
                "gateway",
                subStatus=["Local: Unidade de Logística Integrada - Curitiba / PR"],
            ),
        ),
        RELEASED: (_w(None, "Fiscalização aduaneira finalizada", "in_transit", "gateway"),),
        LOCAL: (
            _w(
                "RO/01",
                "Objeto encaminhado",
                "in_transit",
                "regional",
                destino="CDD {city_caps} / {city_caps} / {state}",
            ),
        ),
        OUT: (
            _w("OEC/01", "Objeto saiu para entrega ao destinatário", "out_for_delivery", "local"),
        ),
        DELIVERED: (_w("BDE/01", "Objeto entregue ao destinatário", "delivered", "delivery"),),
        ATTEMPT: (
            _w(
                "BDE/20",
                "A entrega não pode ser efetuada - Carteiro não atendido",
                "delivery_attempted",
                "local",
                detalhe="Será realizada nova tentativa de entrega",
            ),
        ),
        PICKUP: (
            _w(
                "LDI/01",
                "Objeto aguardando retirada no endereço indicado",
                "available_for_pickup",
                "local",
                detalhe="Para retirá-lo, é preciso informar o código do objeto.",
            ),
        ),
        RETURNING: (
            _w(
                "BDE/21",
                "A entrega não pode ser efetuada - Carteiro não atendido",
                "returning",
                "local",
                detalhe="Objeto será devolvido ao remetente",
            ),
            _w("OEC/09", "Objeto saiu para entrega ao remetente", "returning", "regional"),
        ),
        RETURNED: (_w("BDE/23", "Objeto devolvido ao remetente", "returned", "gateway"),),
        NO_INFO: (_w(None, "Objeto não encontrado na base de dados dos Correios.", "no_info"),),
    },
    _naive("%d/%m/%Y %H:%M"),
    _correios_place,
)

USPS = Feed(
    "USPS",
    {
        HANDOVER: (
            _w(
                "81",
                "Arrived Shipping Partner Facility, USPS Awaiting Item",
                "in_transit",
                "gateway",
            ),
            _w(
                "82",
                "Departed Shipping Partner Facility, USPS Awaiting Item",
                "in_transit",
                "gateway",
            ),
        ),
        LOCAL: (
            _w("AD", "Accepted at USPS Regional Destination Facility", "in_transit", "regional"),
            _w("T1", "Departed USPS Regional Facility", "in_transit", "regional"),
        ),
        OFFICE: (_w("07", "Arrived at Post Office", "at_local_office", "local"),),
        OUT: (_w("OF", "Out for Delivery", "out_for_delivery", "local"),),
        DELIVERED: (_w("01", "Delivered, In/At Mailbox", "delivered", "delivery"),),
        NO_INFO: (
            _w(
                "-2147219302",
                "The Postal Service could not locate the tracking information for "
                "your request. Please verify your tracking number and try again later.",
                "no_info",
            ),
        ),
    },
    _naive("%Y-%m-%dT%H:%M:%S"),
    _usps_place,
)
USPS_LOCKER = _w("01", "Delivered, Parcel Locker", "delivered", "delivery")

CANADA_POST = Feed(
    "Canada Post",
    {
        LOCAL: (_w("0100", "Item processed at postal facility", "in_transit", "regional"),),
        OUT: (_w("0174", "Item out for delivery", "out_for_delivery", "local"),),
        DELIVERED: (
            _w("1496", "Item successfully delivered", "delivered", "delivery"),
            _w(
                "20",
                "Signature image recorded for Online viewing",
                "delivered",
                "delivery",
                signatory_name="{signer}",
            ),
        ),
        ATTEMPT: (
            _w(
                "1479",
                "Attempted delivery. Notice card left indicating where item can be picked up.",
                "delivery_attempted",
                "local",
            ),
        ),
        PICKUP: (
            _w("1701", "Item available for pickup at Post Office", "available_for_pickup", "local"),
        ),
        NO_INFO: (_w("004", "No Pin History", "no_info"),),
    },
    _eastern,
    _canada_place,
)
# Canada Post in French, for buyers in Quebec (the same codes)
CANADA_POST_FR = {
    LOCAL: (_w("0100", "Article traité à l'installation postale", "in_transit", "regional"),),
    OUT: (_w("0174", "Article sorti pour livraison", "out_for_delivery", "local"),),
    DELIVERED: (
        _w("1496", "Article livré avec succès", "delivered", "delivery", signatory_name="{signer}"),
    ),
}
CANADA_FINAL_NOTICE = _w(
    "0156",
    "Final Notice; Item will be returned to sender if not collected within 10 days",
    "available_for_pickup",
    "local",
)

AUSTRALIA_POST = Feed(
    "Australia Post",
    {
        ARRIVED: (
            _w(None, "Arrived awaiting clearance (Inbound)", "arrived_dest_country", "gateway"),
        ),
        CUSTOMS: (_w(None, "Item is in Customs", "in_customs", "hub"),),
        RELEASED: (_w(None, "Item cleared by Customs", "in_transit", "hub"),),
        LOCAL: (
            _w(None, "Item processed at facility", "in_transit", "regional"),
            _w(None, "In transit to next facility in {city_caps} {state}", "in_transit"),
        ),
        OUT: (_w(None, "Onboard for delivery", "out_for_delivery", "local"),),
        DELIVERED: (_w(None, "Delivered - Left in a safe place", "delivered", "delivery"),),
        ATTEMPT: (
            _w(
                None,
                "Attempted delivery - being carded to Australia\n\t\t\t\t\t\tPost outlet",
                "delivery_attempted",
                "local",
            ),
        ),
        PICKUP: (
            _w(
                None,
                "Awaiting Collection at CITY PARCEL DELIVERY\n\t\t\t\t\t",
                "available_for_pickup",
                "local",
            ),
        ),
    },
    _offset(10),
    _auspost_place,
)

COLISSIMO = Feed(
    "La Poste (Colissimo)",
    {
        ARRIVED: (
            _w(
                "ET3",
                "Votre colis est arrivé dans le pays du destinataire.",
                "arrived_dest_country",
            ),
        ),
        LOCAL: (_w("ET1", "Votre colis est en cours d'acheminement.", "in_transit"),),
        OFFICE: (
            _w(
                "MD2",
                "Votre colis est dans le site de livraison qui dessert votre adresse. "
                "Nous le préparons pour le mettre en livraison.",
                "at_local_office",
            ),
        ),
        DELIVERED: (_w("DI1", "Votre colis est livré.", "delivered"),),
    },
    _offset(1),
    _nowhere,
)

DHL_PAKET = Feed(
    "DHL Paket",
    {
        HANDOVER: (
            _w(
                "EE",
                "The shipment has been processed in the destination parcel center",
                "in_transit",
                short_status="Destination parcel center",
            ),
        ),
        OUT: (
            _w(
                "PO",
                "The shipment has been loaded onto the delivery vehicle",
                "out_for_delivery",
                short_status="In delivery",
            ),
        ),
        DELIVERED: (
            _w(
                "ZU",
                "The shipment has been successfully delivered",
                "delivered",
                "delivery",
                short_status="Delivery successful",
                recipient_name="{signer}",
            ),
        ),
    },
    _naive("%d.%m.%Y %H:%M"),
    _dhl_paket_place,
)

BPOST = Feed(
    "bpost",
    {
        LOCAL: (_w("T00", "Sorted - sorted_out", "in_transit"),),
        OUT: (_w("L00", "BoundToRound - out_for_distribution", "out_for_delivery"),),
        DELIVERED: (_w("U01", "DistributedNormally - regular", "delivered"),),
    },
    _offset(1),
    _nowhere,
)

DPD_UK = Feed(
    "DPD UK",
    {
        HANDOVER: (
            _w(
                None,
                "We have your parcel, and it's on its way to your nearest depot in {city}",
                "accepted",
                "gateway",
            ),
        ),
        OFFICE: (
            _w(
                None,
                "Your parcel is with your nearest delivery depot in {city}",
                "at_local_office",
                "local",
            ),
        ),
        OUT: (_w(None, "Your parcel will be with you today ", "out_for_delivery", "local"),),
        DELIVERED: (
            _w(
                None,
                "Your parcel has been delivered and signed for by {signer}",
                "delivered",
                "delivery",
            ),
        ),
        PICKUP: (
            _w(
                None,
                "Your parcel is at the local depot awaiting collection",
                "available_for_pickup",
                "local",
            ),
        ),
    },
    _naive("%Y-%m-%dT%H:%M:%S"),
    _dpd_place,
)
DPD_NEIGHBOUR = _w(
    None,
    "Your parcel has been delivered to your neighbour at number 30 and signed for by {signer}",
    "delivered",
    "delivery",
)

ASENDIA = Feed(
    "Asendia",
    {
        ARRIVED: (
            _w("ARRDEST", "Arrived at Destination Country", "arrived_dest_country", "gateway"),
        ),
        RELEASED: (_w("IMPCUSTOUT", "Out customs authorities", "in_transit"),),
        HANDOVER: (_w("LEAVHUB", "Handled by local carrier", "in_transit"),),
        OFFICE: (_w("INDELIVCENTER", "Arrived at delivery centre", "at_local_office"),),
        OUT: (_w("OUTDELIVCENTER", "Out for delivery", "out_for_delivery"),),
        DELIVERED: (_w("DELIVERY", "Delivered", "delivered", "delivery"),),
    },
    _offset(0),
    _asendia_place,
)

LAST_MILE = {
    "BR": CORREIOS,
    "US": USPS,
    "CA": CANADA_POST,
    "AU": AUSTRALIA_POST,
    "FR": COLISSIMO,
    "DE": DHL_PAKET,
    "BE": BPOST,
    "GB": DPD_UK,
}
# Where the destination's post takes a Cainiao parcel over at arrival and clears customs itself
_POST_CLEARS = frozenset({"BR", "AU"})
FEEDS = (
    CAINIAO,
    YANWEN,
    DHL_EXPRESS,
    CORREIOS,
    USPS,
    CANADA_POST,
    AUSTRALIA_POST,
    COLISSIMO,
    DHL_PAKET,
    BPOST,
    DPD_UK,
    ASENDIA,
)


def last_mile(country: str) -> Feed:
    return LAST_MILE.get(country, ASENDIA)


def route(method: str, country: str) -> list[tuple[str, Feed]]:
    """The journey's stages and the feed that reports each, for a shipping method (the order's
    carrier) and destination."""
    if method == "DHL":
        return [(s, DHL_EXPRESS) for s in JOURNEY if s in DHL_EXPRESS.stages]
    post = last_mile(country)
    if method == "Yanwen":
        first = [(ACCEPTED, YANWEN)]
        takeover = ARRIVED
    else:  # Cainiao's own feed (Cainiao, AliExpress Standard Shipping)
        first = [(s, CAINIAO) for s in JOURNEY[: JOURNEY.index(DEPARTED) + 1]]
        takeover = ARRIVED if country in _POST_CLEARS else LOCAL
        if takeover == LOCAL:
            first += [(s, CAINIAO) for s in (ARRIVED, CUSTOMS, RELEASED, HANDOVER)]
    rest = [
        (s, post)
        for s in JOURNEY[JOURNEY.index(takeover) :]
        if s in post.stages and s not in (DUTIES, PAID)
    ]
    if method == "Yanwen" and not any(s in post.stages for s in (ARRIVED, HANDOVER)):
        rest = [(HANDOVER, ASENDIA), *rest]  # who took it over, when the post says nothing
    return first + rest


def can_show(reason: str, method: str, country: str) -> bool:
    """Whether this parcel's feeds can tell the story of a `not_received.*` reason (customs
    holds need a customs scan; returns, Correios' return wordings; a wrong address, a delivery
    scan that names a place)."""
    stages = {s for s, _ in route(method, country)}
    if reason == "customs_held":
        return CUSTOMS in stages
    if reason == "returned_to_sender":
        return method != "DHL" and RETURNING in last_mile(country).stages
    if reason == "wrong_address":
        feed = DHL_EXPRESS if method == "DHL" else last_mile(country)
        return feed in (DHL_EXPRESS, CORREIOS, USPS, CANADA_POST, AUSTRALIA_POST, DHL_PAKET, DPD_UK)
    return True


def side_feed(method: str, country: str, stage: str) -> Feed | None:
    """The feed that reports a side stage (attempt, pickup, return, no information)."""
    if stage == NO_INFO:
        feed = DHL_EXPRESS if method == "DHL" else last_mile(country)
        if NO_INFO in feed.stages:
            return feed
        return CAINIAO if method != "DHL" and method != "Yanwen" else None
    feed = DHL_EXPRESS if method == "DHL" else last_mile(country)
    return feed if stage in feed.stages else None


# -- transit times -----------------------------------------------------------------------------

# Median days of a standard line from China to each country; each method runs faster or slower.
_BASE_DAYS = {
    "BR": 22.0,
    "RU": 17.0,
    "UA": 16.0,
    "MX": 18.0,
    "CL": 19.0,
    "US": 11.0,
    "CA": 12.0,
    "AU": 12.0,
    "GB": 9.0,
    "DE": 9.0,
    "FR": 10.0,
    "ES": 10.0,
    "IT": 11.0,
    "NL": 9.0,
    "BE": 9.0,
    "PL": 10.0,
    "PT": 11.0,
    "KR": 7.0,
    "IL": 13.0,
    "SA": 12.0,
}
# method -> (speed factor, log-normal spread, chance the parcel is lost on the way)
METHODS = {
    "Cainiao": (0.72, 0.22, 0.015),
    "AliExpress Standard Shipping": (0.95, 0.32, 0.045),
    "Yanwen": (1.2, 0.38, 0.07),
    "DHL": (0.28, 0.2, 0.004),
}


def transit_days(method: str, country: str, rng: random.Random) -> float:
    """A parcel's door-to-door days, drawn around the method's median for the country."""
    factor, spread, _ = METHODS.get(method, (1.0, 0.3, 0.03))
    median = _BASE_DAYS.get(country, 12.0) * factor
    return max(2.5, median * math.exp(rng.gauss(0.0, spread)))


def loss_chance(method: str) -> float:
    return METHODS.get(method, (1.0, 0.3, 0.03))[2]


# -- a parcel's timeline -----------------------------------------------------------------------


@dataclass(frozen=True)
class Parcel:
    """A shipped order as its carrier sees it."""

    order_id: str
    method: str  # the order's carrier (shipping method)
    number: str
    country: str
    address: dict[str, str]
    shipped_at: datetime
    locale: str = "en"


@dataclass(frozen=True)
class Story:
    """Where the parcel's journey stops: the fate and its instant (delivered, held since, the
    last scan before the silence, the pickup notice ...). A moving parcel's `at` is now, and
    `days` its whole journey (beyond now)."""

    fate: str
    at: datetime
    days: float | None = None
    stop: str | None = None  # the last stage reached, for silences


def _signer(name: str, rng: random.Random, *, other: bool) -> str:
    """Who signed, as carriers write it: "J SILVA", "SILVA"; someone else's name when `other`."""
    words = name.split()
    if other:
        words = [rng.choice(["M", "A", "R", "K"]), rng.choice(["SMITH", "LEE", "COSTA", "NOWAK"])]
    surname = words[-1].upper()
    return surname if rng.random() < 0.5 else f"{words[0][0].upper()} {surname}"


def _elsewhere(country: str, city: City, rng: random.Random) -> City:
    others = [c for c in CITIES.get(country, ()) if c.name != city.name]
    return rng.choice(others) if others else City(f"{city.name} Norte", "00000")


def _fill(value: Any, fields: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**fields) if "{" in value else value
    if isinstance(value, list):
        return [_fill(v, fields) for v in value]
    return value


def _event(
    feed: Feed, wording: Wording, stage: str, at: datetime | None, ctx: Context, number: str
) -> CarrierEvent:
    fields = {
        "city": ctx.city.name,
        "city_caps": ctx.city_caps,
        "state": ctx.city.state or "",
        "signer": ctx.signer,
        "number": number,
        "country_name": _country_name(ctx.country),
        "hub": _dhl_hub(ctx.country),
        "gateway": _dhl_gateway(ctx.country),
        "origin": "Hong Kong - Hong Kong",
    }
    extra = {k: _fill(v, fields) for k, v in wording.extra.items()} or None
    return CarrierEvent(
        description=_fill(wording.text, fields),
        carrier=feed.carrier,
        raw_code=wording.code,
        location=feed.place(wording.where, ctx) if wording.where else None,
        at=None if at is None else feed.clock(at, stage),
        tracking_number=number,
        extra=extra,
    )


def _stop_stage(fate: str) -> str | None:
    """The stage where the journey stops for a fate (None: where `now` or the silence says)."""
    if fate in DELIVERED_FATES:
        return DELIVERED
    if fate in (ATTEMPTED, WAITING, TURNED_BACK, SENT_BACK):
        return OUT
    if fate == HELD:
        return CUSTOMS
    if fate == DUTIES_DUE:
        return DUTIES
    return None


def stages_for(parcel: Parcel, story: Story) -> list[tuple[str, Feed]]:
    """The stages this parcel passes, for its story (BR duties when the story has them)."""
    path = route(parcel.method, parcel.country)
    if story.fate == DUTIES_DUE or (story.stop == PAID and parcel.country == "BR"):
        i = next(i for i, (s, _) in enumerate(path) if s == CUSTOMS)
        path = (
            path[: i + 1]
            + [(DUTIES, CORREIOS), (PAID, CORREIOS)]
            + [(s, f) for s, f in path[i + 1 :] if s != RELEASED]
        )
    return path


def timeline(parcel: Parcel, story: Story, rng: random.Random, now: datetime) -> list[CarrierEvent]:
    """The parcel's carrier events, oldest first, none after `now`."""
    city = city_of(parcel.country, parcel.address.get("city", ""))
    recipient = parcel.address.get("recipient", "")
    ctx = Context(
        parcel.country,
        _elsewhere(parcel.country, city, rng) if story.fate == DELIVERED_ELSEWHERE else city,
        recipient,
        _signer(recipient, rng, other=story.fate == DELIVERED_OTHER),
    )
    if story.fate == UNKNOWN:
        feed = side_feed(parcel.method, parcel.country, NO_INFO)
        if feed is None:
            return []
        return [_event(feed, feed.stages[NO_INFO][0], NO_INFO, None, ctx, parcel.number)]
    path = stages_for(parcel, story)
    names = [s for s, _ in path]
    stop = _stop_stage(story.fate)
    if story.fate in (STALLED, LOST) and story.stop in names:
        stop = story.stop
    shipped = parcel.shipped_at
    if story.fate == MOVING:
        total = timedelta(days=story.days or 30)
    else:
        if stop not in names:  # the story's stage is not in this route: stop at its last one
            stop = names[-1] if story.fate in DELIVERED_FATES else _last_before(names, stop)
        share = FRACTION[stop] if stop else 1.0
        total = (story.at - shipped) / share
    cap = min(now, story.at) if story.fate != MOVING else now
    events: list[tuple[datetime, CarrierEvent]] = []
    for stage, feed in path:
        at = shipped + total * FRACTION[stage]
        if story.fate in DELIVERED_FATES and stage == DELIVERED:
            at = story.at
        if at > cap + timedelta(minutes=1):
            break
        wordings = feed.stages[stage]
        if stage == DELIVERED:
            wordings = _delivered_wordings(parcel, feed, story, rng)
            if story.fate in DELIVERED_FATES and rng.random() < 0.08:
                events += _attempt_first(parcel, ctx, story.at, rng)
        elif parcel.country == "CA" and parcel.locale.startswith("fr") and stage in CANADA_POST_FR:
            wordings = CANADA_POST_FR[stage]
        elif stage == stop and story.fate == HELD:
            wordings = wordings[:1]  # sent for analysis, and nothing since
        for k, wording in enumerate(wordings):
            when = min(at + timedelta(minutes=k * rng.randint(12, 50)), cap)
            events.append((when, _event(feed, wording, stage, when, ctx, parcel.number)))
        if stage == stop:
            break
    events += _after_out(parcel, story, ctx, rng, now, events)
    events.sort(key=lambda pair: pair[0])
    return [event for _, event in events]


def _last_before(names: list[str], stop: str | None) -> str:
    if stop is None:
        return names[-1]
    order = JOURNEY.index(stop) if stop in JOURNEY else len(JOURNEY)
    earlier = [s for s in names if JOURNEY.index(s) <= order]
    return earlier[-1] if earlier else names[0]


def _delivered_wordings(
    parcel: Parcel, feed: Feed, story: Story, rng: random.Random
) -> tuple[Wording, ...]:
    if feed is CANADA_POST and parcel.locale.startswith("fr"):
        return CANADA_POST_FR[DELIVERED]
    if feed is DPD_UK and story.fate == DELIVERED_OTHER:
        return (DPD_NEIGHBOUR,)
    if feed is USPS and rng.random() < 0.2:
        return (USPS_LOCKER,)
    if feed is DHL_PAKET and story.fate == DELIVERED_OTHER:
        wording = feed.stages[DELIVERED][0]
        return (
            Wording(
                wording.code,
                wording.text,
                wording.label,
                wording.where,
                {**wording.extra, "recipient_id_text": "different person present"},
            ),
        )
    return feed.stages[DELIVERED]


def _attempt_first(
    parcel: Parcel, ctx: Context, delivered: datetime, rng: random.Random
) -> list[tuple[datetime, CarrierEvent]]:
    """A failed attempt the day before the delivery (where the carrier says so)."""
    feed = side_feed(parcel.method, parcel.country, ATTEMPT)
    if feed is None or OUT not in feed.stages or delivered - parcel.shipped_at < timedelta(days=6):
        return []
    out = delivered - timedelta(days=1, minutes=rng.randint(60, 300))
    tried = out + timedelta(minutes=rng.randint(90, 360))
    if tried <= parcel.shipped_at:
        return []
    return [
        (out, _event(feed, feed.stages[OUT][0], OUT, out, ctx, parcel.number)),
        (tried, _event(feed, feed.stages[ATTEMPT][0], ATTEMPT, tried, ctx, parcel.number)),
    ]


def _after_out(
    parcel: Parcel,
    story: Story,
    ctx: Context,
    rng: random.Random,
    now: datetime,
    events: list[tuple[datetime, CarrierEvent]],
) -> list[tuple[datetime, CarrierEvent]]:
    """The side stages after going out for delivery: an attempt, a pickup notice, a return."""
    if story.fate not in (ATTEMPTED, WAITING, TURNED_BACK, SENT_BACK):
        return []
    out: list[tuple[datetime, CarrierEvent]] = []
    last = events[-1][0] if events else parcel.shipped_at
    at = max(story.at, last + timedelta(minutes=30))
    attempt = side_feed(parcel.method, parcel.country, ATTEMPT)
    if attempt is not None:
        out.append(
            (at, _event(attempt, attempt.stages[ATTEMPT][0], ATTEMPT, at, ctx, parcel.number))
        )
    if story.fate == WAITING:
        feed = side_feed(parcel.method, parcel.country, PICKUP)
        if feed is not None:
            later = min(at + timedelta(minutes=rng.randint(5, 240)), now)
            out.append(
                (later, _event(feed, feed.stages[PICKUP][0], PICKUP, later, ctx, parcel.number))
            )
            if feed is CANADA_POST and (now - later).days >= 8:
                final = later + timedelta(days=7, minutes=rng.randint(0, 600))
                out.append(
                    (final, _event(feed, CANADA_FINAL_NOTICE, PICKUP, final, ctx, parcel.number))
                )
    if story.fate in (TURNED_BACK, SENT_BACK):
        feed = side_feed(parcel.method, parcel.country, RETURNING)
        if feed is not None:
            back = at + timedelta(days=rng.randint(2, 4), minutes=rng.randint(0, 300))
            for k, wording in enumerate(feed.stages[RETURNING]):
                when = back + timedelta(days=2 * k, minutes=rng.randint(0, 200))
                if when > now:
                    break
                out.append((when, _event(feed, wording, RETURNING, when, ctx, parcel.number)))
            if story.fate == SENT_BACK and out and out[-1][0] < now:
                done = min(out[-1][0] + timedelta(days=rng.randint(3, 9)), now)
                wording = feed.stages[RETURNED][0]
                out.append((done, _event(feed, wording, RETURNED, done, ctx, parcel.number)))
    return [pair for pair in out if pair[0] <= now]


# -- stories: the fate that fits what else is known of the order -------------------------------

# Chances, per destination, that a parcel nothing else is known about is held in customs (the
# hold began within the last month), asked for duties (Brazil), or left for pickup.
_HOLD_CHANCE = {"BR": 0.08, "RU": 0.1, "UA": 0.06, "MX": 0.05}
_DUTIES_CHANCE = {"BR": 0.12}
_PICKUP_CHANCE = {"CA": 0.15, "AU": 0.15, "BR": 0.05, "GB": 0.05}
_RECIPIENT_NAMED = frozenset(
    {DHL_EXPRESS.carrier, CANADA_POST.carrier, DHL_PAKET.carrier, DPD_UK.carrier}
)


@dataclass(frozen=True)
class Opened:
    """A dispute as the story needs it."""

    reason: str  # "not_received.customs_held", "not_as_described.damaged", ...
    at: datetime
    goods_received: bool


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400


def _between(start: datetime, end: datetime, rng: random.Random) -> datetime:
    """A whole minute strictly between `start` and `end` (`start` + 1 minute when too close)."""
    minutes = int((end - start).total_seconds() // 60)
    if minutes <= 2:
        return start + timedelta(minutes=1)
    return start + timedelta(minutes=rng.randint(1, minutes - 1))


def _stage_in(method: str, country: str, wanted: tuple[str, ...]) -> str:
    stages = [s for s, _ in route(method, country)]
    found = [s for s in wanted if s in stages]
    return found[0] if found else stages[0]


def delivery_fate(method: str, country: str, rng: random.Random, *, other: float = 0.05) -> str:
    """Delivered, and to whom: mostly to the address; now and then to someone else (where the
    carrier names who signed) or in another city (where it names the place)."""
    feed = DHL_EXPRESS if method == "DHL" else last_mile(country)
    roll = rng.random()
    if feed.carrier in _RECIPIENT_NAMED and roll < other:
        return DELIVERED_OTHER
    if can_show("wrong_address", method, country) and roll > 1 - other / 2:
        return DELIVERED_ELSEWHERE
    return DELIVERED_OK


def delivered_by(
    method: str,
    country: str,
    shipped: datetime,
    by: datetime,
    rng: random.Random,
    fate: str = DELIVERED_OK,
) -> Story:
    """Delivered before `by` (the buyer had it then): after the drawn transit time when that
    fits, else shortly before `by`."""
    drawn = shipped + timedelta(days=transit_days(method, country, rng))
    latest = by - timedelta(minutes=rng.randint(90, 1800))
    if latest <= shipped + timedelta(days=1):
        latest = shipped + (by - shipped) * 0.9
    at = drawn if drawn <= latest else _between(shipped + (latest - shipped) * 0.75, latest, rng)
    return Story(fate, at.replace(second=0, microsecond=0))


def model_story(
    method: str, country: str, shipped: datetime, now: datetime, rng: random.Random
) -> Story:
    """A parcel nothing else is known about: its journey as the transit model draws it."""
    days = transit_days(method, country, rng)
    arrival = (shipped + timedelta(days=days)).replace(second=0, microsecond=0)
    if rng.random() < loss_chance(method):
        stop = _stage_in(method, country, (rng.choice((DEPARTED, ARRIVED, HANDOVER)), ACCEPTED))
        at = (shipped + timedelta(days=days * FRACTION[stop])).replace(second=0, microsecond=0)
        if at <= now:
            return Story(LOST, at, stop=stop)
        return Story(MOVING, now, days)
    if CUSTOMS in {s for s, _ in route(method, country)}:
        hold = (shipped + timedelta(days=days * FRACTION[CUSTOMS])).replace(second=0)
        if (
            rng.random() < _HOLD_CHANCE.get(country, 0.02)
            and now - timedelta(days=30) < hold <= now
        ):
            return Story(HELD, hold)
        if method != "DHL" and rng.random() < _DUTIES_CHANCE.get(country, 0.0):
            asked = (shipped + timedelta(days=days * FRACTION[DUTIES])).replace(second=0)
            paid_late = arrival + timedelta(days=rng.uniform(3, 9))
            if asked <= now < paid_late:
                return Story(DUTIES_DUE, asked)
            if paid_late <= now:
                return Story(DELIVERED_OK, paid_late.replace(second=0, microsecond=0), stop=PAID)
    if arrival > now:
        return Story(MOVING, now, days)
    if rng.random() < _PICKUP_CHANCE.get(country, 0.0) and side_feed(method, country, PICKUP):
        if now - arrival < timedelta(days=9):
            return Story(WAITING, arrival)
        collected = arrival + timedelta(days=rng.uniform(1, 6))
        if collected <= now:
            return Story(DELIVERED_OK, collected.replace(second=0, microsecond=0))
    if country == "BR" and method != "DHL" and rng.random() < 0.02:
        return Story(SENT_BACK if now - arrival > timedelta(days=12) else TURNED_BACK, arrival)
    return Story(delivery_fate(method, country, rng), arrival)


def story_for(
    method: str,
    country: str,
    shipped: datetime,
    now: datetime,
    rng: random.Random,
    *,
    disputes: tuple[Opened, ...] = (),
    received: datetime | None = None,
) -> Story:
    """The parcel's story as the order's own tells it: a `not_received.*` dispute opened
    before the buyer had the goods decides what tracking showed then; the goods in the buyer's
    hands (a confirmation, a dispute about the goods themselves) mean a delivery before; else
    the transit model's draw."""
    unreceived = [
        d for d in disputes if d.reason.startswith("not_received.") and not d.goods_received
    ]
    first = unreceived[0] if unreceived else None
    if first is not None and (received is None or received > first.at):
        item = first.reason.split(".", 1)[1]
        opened = first.at
        if item == "tracking_invalid":  # the number never told anything, arrived or not
            return Story(UNKNOWN, opened)
        if received is not None:  # the parcel turned up during or after the dispute
            return Story(DELIVERED_OK, _between(first.at, received, rng))
        if item == "customs_held" and can_show(item, method, country):
            low = shipped + max((opened - shipped) * 0.45, timedelta(days=2))
            return Story(
                HELD,
                _between(min(low, opened - timedelta(hours=13)), opened - timedelta(hours=12), rng),
            )
        if item == "returned_to_sender" and can_show(item, method, country):
            out = opened - timedelta(days=rng.uniform(5.5, 8.5))
            out = max(out, shipped + (opened - shipped) * 0.4)
            fate = SENT_BACK if now - opened > timedelta(days=9) else TURNED_BACK
            return Story(fate, out.replace(second=0, microsecond=0))
        if item == "wrong_address" and can_show(item, method, country):
            return delivered_by(method, country, shipped, opened, rng, DELIVERED_ELSEWHERE)
        if item == "delivered_not_received":
            return delivered_by(
                method,
                country,
                shipped,
                opened,
                rng,
                delivery_fate(method, country, rng, other=0.4),
            )
        days = max(transit_days(method, country, rng), _days(now - shipped) + rng.uniform(3, 12))
        return Story(MOVING, now, days)
    if received is not None:
        return delivered_by(method, country, shipped, received, rng)
    return model_story(method, country, shipped, now, rng)
