"""Carrier and aggregator event codes, as tables.

A code is read only where its scheme is known: the carrier names it (`FAMILIES`: a substring of
the casefolded carrier name picks a table), or the code identifies its scheme by itself (UPU EDI
event codes such as `EMD`, AfterShip `tag`/`subtag` such as `Exception_004`, 17TRACK
`status`/`sub_status` such as `InTransit_CustomsProcessing`). A code refines a vague text ("In
transit", "Conferido", "Arrived at facility") and stands in for a missing one; a specific text
wins over a code unless the code is `decisive` (the same words mean different things and only
the code tells them apart, e.g. Correios `BDE/20` a retry, `BDE/21` the start of a return).

Keys are upper case. Correios SRO codes are `TIPO/STATUS` (a `TIPO` key alone matches every
status), Russian Post operations `TYPE/ATTR` (written `8/2`, `8.2` or `8-2`; `TYPE` alone too).

To add a carrier: a table below, its name fragments in `FAMILIES`, and a test with a real event.
"""

from __future__ import annotations

from dataclasses import dataclass

from disputedesk.tracking.taxonomy import TrackingStatus as S


@dataclass(frozen=True, slots=True)
class Code:
    status: S
    decisive: bool = False  # wins over the text (the text is the same for different meanings)
    notice: bool = False  # the code itself says a notice was left


def _table(decisive: bool = False, **entries: S) -> dict[str, Code]:
    return {key.upper(): Code(status, decisive) for key, status in entries.items()}


# UPU EDI tracking events (EMSEVT / IPS): unique across schemes, trusted for every carrier.
UPU: dict[str, Code] = _table(
    EMA=S.ACCEPTED,  # posting / collection
    EMB=S.IN_TRANSIT,  # arrival at outward office of exchange
    EMC=S.IN_TRANSIT,  # departure from outward office of exchange
    EMD=S.ARRIVED_DEST_COUNTRY,  # arrival at inward office of exchange
    EME=S.IN_CUSTOMS,  # held by import customs
    EMF=S.IN_TRANSIT,  # departure from inward office of exchange
    EMG=S.AT_LOCAL_OFFICE,  # arrival at delivery office
    EMH=S.DELIVERY_ATTEMPTED,  # attempted / unsuccessful delivery
    EMI=S.DELIVERED,  # final delivery
    EMJ=S.IN_TRANSIT,  # arrival at transit office of exchange
    EMK=S.IN_TRANSIT,  # departure from transit office of exchange
    EDA=S.IN_CUSTOMS,  # held at inward office of exchange (awaiting customs presentation)
    EDB=S.IN_CUSTOMS,  # item presented to import customs
    EDC=S.IN_TRANSIT,  # item returned from import customs (released)
    EDD=S.IN_TRANSIT,  # item into sorting centre
    EDE=S.IN_TRANSIT,  # item out of sorting centre
    EDF=S.AT_LOCAL_OFFICE,  # item held at delivery depot / office
    EDG=S.OUT_FOR_DELIVERY,  # item out for physical delivery
    EDH=S.AVAILABLE_FOR_PICKUP,  # item arrival at collection point for pick-up
    EXA=S.IN_TRANSIT,  # item presented to export customs (export clearance: in transit)
    EXB=S.IN_CUSTOMS,  # item held by export customs
    EXC=S.IN_TRANSIT,  # item returned from export customs
    EXD=S.IN_TRANSIT,  # item held at outward office of exchange
    EXX=S.EXCEPTION,  # export cancellation
)

# AfterShip `tag` and `subtag` (aftership.com/docs/tracking/enum/delivery-statuses, -sub-statuses).
AFTERSHIP: dict[str, Code] = _table(
    Pending=S.NO_INFO,
    InfoReceived=S.INFO_RECEIVED,
    InTransit=S.IN_TRANSIT,
    OutForDelivery=S.OUT_FOR_DELIVERY,
    AttemptFail=S.DELIVERY_ATTEMPTED,
    Delivered=S.DELIVERED,
    AvailableForPickup=S.AVAILABLE_FOR_PICKUP,
    Exception=S.EXCEPTION,
    Expired=S.EXCEPTION,  # no news for a month: a stall
    InfoReceived_001=S.INFO_RECEIVED,
    InTransit_001=S.IN_TRANSIT,
    InTransit_002=S.ACCEPTED,  # acceptance scan
    InTransit_003=S.IN_TRANSIT,  # arrival scan at a hub
    InTransit_004=S.ARRIVED_DEST_COUNTRY,  # arrived at the destination country
    InTransit_005=S.IN_TRANSIT,  # customs clearance completed
    InTransit_006=S.IN_CUSTOMS,  # customs clearance started
    InTransit_007=S.IN_TRANSIT,  # departure scan
    InTransit_008=S.IN_TRANSIT,  # problem resolved
    InTransit_009=S.IN_TRANSIT,  # forwarded to a different delivery address
    OutForDelivery_001=S.OUT_FOR_DELIVERY,
    OutForDelivery_003=S.OUT_FOR_DELIVERY,  # customer contacted
    OutForDelivery_004=S.OUT_FOR_DELIVERY,  # delivery appointment scheduled
    AttemptFail_001=S.DELIVERY_ATTEMPTED,
    AttemptFail_002=S.DELIVERY_ATTEMPTED,  # recipient not available
    AttemptFail_003=S.DELIVERY_ATTEMPTED,  # business closed
    Delivered_001=S.DELIVERED,
    Delivered_002=S.DELIVERED,  # picked up by the customer
    Delivered_003=S.DELIVERED,  # signed by the customer
    Delivered_004=S.DELIVERED,  # cash on delivery collected
    Delivered_005=S.DELIVERED,  # delivered to a neighbour
    AvailableForPickup_001=S.AVAILABLE_FOR_PICKUP,
    Exception_001=S.EXCEPTION,
    Exception_002=S.EXCEPTION,  # customer moved
    Exception_003=S.DELIVERY_ATTEMPTED,  # customer refused delivery
    Exception_004=S.IN_CUSTOMS,  # delayed in customs clearance
    Exception_005=S.EXCEPTION,  # delayed, external factors
    Exception_006=S.ACTION_REQUIRED,  # held for payment
    Exception_007=S.EXCEPTION,  # incorrect address
    Exception_008=S.INFO_RECEIVED,  # pick up missed (at the sender)
    Exception_009=S.EXCEPTION,  # rejected by the carrier
    Exception_010=S.RETURNING,  # returning to sender
    Exception_011=S.RETURNED,  # returned to sender
    Exception_012=S.EXCEPTION,  # shipment damage
    Exception_013=S.EXCEPTION,  # shipment lost
    Exception_016=S.EXCEPTION,  # delayed, processing issue
    Exception_017=S.EXCEPTION,  # delayed, extreme weather
    Exception_018=S.ACTION_REQUIRED,  # incorrect or missing documents
    Expired_001=S.EXCEPTION,
)

# 17TRACK `status` and `sub_status` (API v2).
SEVENTEEN_TRACK: dict[str, Code] = _table(
    NotFound=S.NO_INFO,
    NotFound_Other=S.NO_INFO,
    NotFound_InvalidCode=S.NO_INFO,
    InfoReceived=S.INFO_RECEIVED,
    InTransit=S.IN_TRANSIT,
    InTransit_PickedUp=S.ACCEPTED,
    InTransit_Other=S.IN_TRANSIT,
    InTransit_Departure=S.IN_TRANSIT,
    InTransit_Arrival=S.IN_TRANSIT,
    InTransit_CustomsProcessing=S.IN_CUSTOMS,
    InTransit_CustomsReleased=S.IN_TRANSIT,
    InTransit_CustomsRequiringInformation=S.ACTION_REQUIRED,
    Expired=S.EXCEPTION,
    Expired_Other=S.EXCEPTION,
    AvailableForPickup=S.AVAILABLE_FOR_PICKUP,
    AvailableForPickup_Other=S.AVAILABLE_FOR_PICKUP,
    OutForDelivery=S.OUT_FOR_DELIVERY,
    OutForDelivery_Other=S.OUT_FOR_DELIVERY,
    DeliveryFailure=S.DELIVERY_ATTEMPTED,
    DeliveryFailure_Other=S.DELIVERY_ATTEMPTED,
    DeliveryFailure_NoBody=S.DELIVERY_ATTEMPTED,
    DeliveryFailure_Security=S.DELIVERY_ATTEMPTED,
    DeliveryFailure_Rejected=S.DELIVERY_ATTEMPTED,
    DeliveryFailure_InvalidAddress=S.EXCEPTION,  # address errors are exceptions (README)
    Delivered=S.DELIVERED,
    Delivered_Other=S.DELIVERED,
    Exception=S.EXCEPTION,
    Exception_Other=S.EXCEPTION,
    Exception_Returning=S.RETURNING,
    Exception_Returned=S.RETURNED,
    Exception_NoBody=S.DELIVERY_ATTEMPTED,
    Exception_Security=S.EXCEPTION,
    Exception_Damage=S.EXCEPTION,
    Exception_Rejected=S.DELIVERY_ATTEMPTED,
    Exception_Delayed=S.EXCEPTION,
    Exception_Lost=S.EXCEPTION,
    Exception_Destroyed=S.EXCEPTION,
    Exception_Cancel=S.EXCEPTION,
)

# Correios (Brazil) SRO `tipo/status`.
CORREIOS: dict[str, Code] = {
    **_table(
        PO=S.ACCEPTED,  # postado
        CO=S.ACCEPTED,  # coletado
        RO=S.IN_TRANSIT,  # encaminhado
        DO=S.IN_TRANSIT,  # encaminhado
        LDI=S.AVAILABLE_FOR_PICKUP,  # aguardando retirada
        OEC=S.OUT_FOR_DELIVERY,  # saiu para entrega
        **{"BDE/00": S.DELIVERED, "BDI/00": S.DELIVERED, "BDR/00": S.DELIVERED},
        **{"BDE/01": S.DELIVERED, "BDI/01": S.DELIVERED, "BDR/01": S.DELIVERED},
        **{"BDE/20": S.DELIVERY_ATTEMPTED, "BDI/20": S.DELIVERY_ATTEMPTED},
        **{"BDR/20": S.DELIVERY_ATTEMPTED},
        **{"BDE/23": S.RETURNED, "BDI/23": S.RETURNED, "BDR/23": S.RETURNED},
        **{"PAR/16": S.ARRIVED_DEST_COUNTRY},  # conferido, in Brazil (import)
        **{"PAR/18": S.IN_TRANSIT},  # conferido, in the country of origin
    ),
    # the same failed-attempt text, but the return to the sender starts here
    **_table(True, **{"BDE/21": S.RETURNING, "BDI/21": S.RETURNING, "BDR/21": S.RETURNING}),
    **_table(True, **{"OEC/09": S.RETURNING}),  # saiu para entrega ao remetente
}

# Cainiao / AliExpress `actionCode`.
CAINIAO: dict[str, Code] = {
    **_table(
        PU_PICKUP_SUCCESS=S.ACCEPTED,
        SC_INBOUND_SUCCESS=S.IN_TRANSIT,
        SC_OUTBOUND_SUCCESS=S.IN_TRANSIT,
        LH_HO_IN_SUCCESS=S.IN_TRANSIT,
        LH_HO_AIRLINE=S.IN_TRANSIT,
        LH_DEPART=S.IN_TRANSIT,
        LH_ARRIVE=S.ARRIVED_DEST_COUNTRY,  # linehaul arrival in the destination
        CC_EX_START=S.IN_TRANSIT,
        CC_EX_SUCCESS=S.IN_TRANSIT,
        CC_IM_START=S.IN_CUSTOMS,
        CC_HO_IN_SUCCESS=S.IN_CUSTOMS,
        CC_HO_OUT_SUCCESS=S.IN_TRANSIT,
        CC_IM_SUCCESS=S.IN_TRANSIT,
        CUSTOMS_ARRIVED_IN_AREA_CALLBACK=S.IN_CUSTOMS,
        TRANSIT_PORT_REROUTE_CALLBACK=S.IN_TRANSIT,
        GTMS_ACCEPT=S.IN_TRANSIT,  # handed to the last-mile carrier
        GTMS_SIGNED=S.DELIVERED,
        SELLER_PREPARING=S.NO_INFO,
    ),
    # the seller's (or fulfilment) warehouse: no carrier holds the parcel yet, whatever the words
    **_table(
        True,
        GWMS_ACCEPT=S.INFO_RECEIVED,
        GWMS_PACKAGE=S.INFO_RECEIVED,
        GWMS_OUTBOUND=S.INFO_RECEIVED,
        WMS_CONFIRMED=S.INFO_RECEIVED,
    ),
}

# USPS event codes (Track & Confirm / Tracking API v3).
USPS: dict[str, Code] = {
    **_table(
        **{"01": S.DELIVERED, "03": S.ACCEPTED, "04": S.DELIVERY_ATTEMPTED, "05": S.EXCEPTION},
        **{"06": S.EXCEPTION, "07": S.AT_LOCAL_OFFICE, "08": S.EXCEPTION, "09": S.RETURNING},
        **{"10": S.IN_TRANSIT, "14": S.AVAILABLE_FOR_PICKUP, "15": S.EXCEPTION},
        **{"16": S.AVAILABLE_FOR_PICKUP, "17": S.DELIVERED, "21": S.EXCEPTION, "22": S.EXCEPTION},
        **{"23": S.EXCEPTION, "24": S.EXCEPTION, "25": S.EXCEPTION, "26": S.EXCEPTION},
        **{"43": S.DELIVERED, "44": S.EXCEPTION, "51": S.DELIVERY_ATTEMPTED},
        **{"80": S.ACCEPTED, "81": S.IN_TRANSIT, "82": S.IN_TRANSIT},
        A1=S.IN_TRANSIT,
        AD=S.IN_TRANSIT,  # accepted at the destination facility: a hand-over mid-journey
        EF=S.IN_TRANSIT,
        GX=S.INFO_RECEIVED,
        L1=S.IN_TRANSIT,
        MA=S.INFO_RECEIVED,
        NT=S.IN_TRANSIT,
        OA=S.ACCEPTED,
        OF=S.OUT_FOR_DELIVERY,
        PC=S.AT_LOCAL_OFFICE,  # sorting complete at the delivery unit
        SF=S.IN_TRANSIT,
        T1=S.IN_TRANSIT,
        TL=S.IN_TRANSIT,
        TM=S.ACCEPTED,
        U1=S.IN_TRANSIT,
    ),
    "02": Code(S.DELIVERY_ATTEMPTED, notice=True),  # notice left
}

# FedEx event types.
FEDEX: dict[str, Code] = _table(
    AA=S.IN_TRANSIT,
    AE=S.IN_TRANSIT,
    AF=S.AT_LOCAL_OFFICE,  # at local FedEx facility
    AO=S.IN_TRANSIT,
    AR=S.IN_TRANSIT,  # arrived at a FedEx location
    AX=S.IN_TRANSIT,
    CA=S.EXCEPTION,  # shipment cancelled
    CC=S.IN_TRANSIT,  # cleared customs
    CD=S.IN_CUSTOMS,  # clearance delay
    CP=S.IN_CUSTOMS,  # clearance in progress
    DD=S.EXCEPTION,  # delivery delay
    DE=S.EXCEPTION,  # delivery exception (the detail tells more)
    DL=S.DELIVERED,
    DP=S.IN_TRANSIT,
    DY=S.EXCEPTION,
    EA=S.IN_TRANSIT,
    ED=S.OUT_FOR_DELIVERY,  # enroute to delivery
    EO=S.IN_TRANSIT,
    EP=S.INFO_RECEIVED,  # enroute to pickup
    HL=S.AVAILABLE_FOR_PICKUP,  # hold at location
    HP=S.AVAILABLE_FOR_PICKUP,  # ready for recipient pickup
    IP=S.ACCEPTED,  # in FedEx possession
    IT=S.IN_TRANSIT,
    IX=S.IN_TRANSIT,
    LO=S.IN_TRANSIT,
    OC=S.INFO_RECEIVED,  # shipment information sent to FedEx
    OD=S.OUT_FOR_DELIVERY,
    OF=S.IN_TRANSIT,
    OX=S.IN_TRANSIT,
    PD=S.EXCEPTION,  # pickup delay
    PF=S.IN_TRANSIT,
    PL=S.IN_TRANSIT,
    PU=S.ACCEPTED,
    PX=S.ACCEPTED,
    RR=S.IN_TRANSIT,  # delivery option requested
    RS=S.RETURNING,  # return to shipper
    SE=S.EXCEPTION,
    SF=S.IN_TRANSIT,
    SP=S.IN_TRANSIT,
    TR=S.IN_TRANSIT,
)

# DHL Express checkpoint codes.
DHL_EXPRESS: dict[str, Code] = _table(
    AF=S.IN_TRANSIT,  # arrived at facility
    AR=S.AT_LOCAL_OFFICE,  # arrived at the delivery facility
    BA=S.EXCEPTION,  # bad address
    BN=S.IN_CUSTOMS,  # customer broker notified
    CA=S.DELIVERY_ATTEMPTED,  # closed on arrival
    CC=S.AVAILABLE_FOR_PICKUP,  # awaiting collection by the recipient
    CD=S.IN_CUSTOMS,  # clearance delay
    CM=S.EXCEPTION,  # customer moved
    CR=S.IN_TRANSIT,  # clearance release
    DD=S.DELIVERED,  # delivered damaged
    DF=S.IN_TRANSIT,
    DS=S.EXCEPTION,  # destroyed
    HP=S.ACTION_REQUIRED,  # held for payment
    IC=S.IN_CUSTOMS,  # in clearance processing
    MC=S.EXCEPTION,  # missed connection
    MS=S.EXCEPTION,  # mis-sort
    NH=S.DELIVERY_ATTEMPTED,  # not home
    OH=S.EXCEPTION,  # on hold
    OK=S.DELIVERED,
    PD=S.DELIVERED,  # partial delivery
    PL=S.IN_TRANSIT,
    PO=S.IN_TRANSIT,
    PU=S.ACCEPTED,
    RD=S.DELIVERY_ATTEMPTED,  # refused delivery
    RR=S.IN_CUSTOMS,  # customs status updated
    RT=S.RETURNING,  # returned to consignor
    SA=S.INFO_RECEIVED,  # shipment acknowledged
    SS=S.EXCEPTION,  # shipment stopped
    TD=S.EXCEPTION,  # transport delay
    TP=S.IN_TRANSIT,  # forwarded to a third party
    TR=S.IN_TRANSIT,  # transferred through
    UD=S.IN_CUSTOMS,  # uncontrollable clearance delay
    WC=S.OUT_FOR_DELIVERY,  # with delivery courier
)

# DHL eCommerce (Global Mail) event codes.
DHL_ECOMMERCE: dict[str, Code] = _table(
    **{"99": S.INFO_RECEIVED, "132": S.INFO_RECEIVED, "200": S.ACCEPTED, "220": S.IN_TRANSIT},
    **{"300": S.IN_TRANSIT, "350": S.IN_TRANSIT, "400": S.IN_TRANSIT, "520": S.AT_LOCAL_OFFICE},
    **{"526": S.IN_TRANSIT, "539": S.AT_LOCAL_OFFICE, "540": S.IN_TRANSIT},
    **{"598": S.OUT_FOR_DELIVERY, "600": S.DELIVERED},
)

# DHL Paket (Germany) standard event codes.
DHL_PAKET: dict[str, Code] = _table(
    ES=S.ACCEPTED,  # Einlieferung
    AE=S.ACCEPTED,  # Abholung erfolgreich
    AA=S.IN_TRANSIT,
    EE=S.IN_TRANSIT,
    PO=S.OUT_FOR_DELIVERY,
    ZU=S.DELIVERED,
)

# La Poste / Colissimo (Suivi API v2) event codes.
LA_POSTE: dict[str, Code] = _table(
    DR1=S.INFO_RECEIVED,  # déclaratif réceptionné
    PC1=S.ACCEPTED,  # pris en charge
    PC2=S.ACCEPTED,  # pris en charge dans le pays d'expédition
    ET1=S.IN_TRANSIT,
    ET2=S.IN_TRANSIT,
    ET3=S.ARRIVED_DEST_COUNTRY,  # en cours de traitement dans le pays de destination
    ET4=S.IN_TRANSIT,  # dans un pays de transit
    EP1=S.IN_TRANSIT,  # en attente de présentation
    DO1=S.IN_CUSTOMS,  # entrée en douane
    DO2=S.IN_TRANSIT,  # sortie de douane
    DO3=S.IN_CUSTOMS,  # retenu en douane
    PB1=S.EXCEPTION,  # problème en cours
    PB2=S.IN_TRANSIT,  # problème résolu
    MD2=S.OUT_FOR_DELIVERY,  # mis en distribution
    ND1=S.EXCEPTION,  # non distribuable
    AG1=S.AVAILABLE_FOR_PICKUP,  # en attente d'être retiré au guichet
    RE1=S.RETURNING,  # retourné à l'expéditeur
    DI1=S.DELIVERED,
    DI2=S.RETURNED,  # distribué à l'expéditeur
)

# Russian Post operation type / attribute (oper type `OperType`, `OperAttr`).
RUSSIAN_POST: dict[str, Code] = _table(
    **{"1": S.ACCEPTED, "2": S.DELIVERED, "2/1": S.DELIVERED, "2/2": S.RETURNED},
    **{"3": S.RETURNING, "4": S.EXCEPTION, "5": S.EXCEPTION, "6": S.AVAILABLE_FOR_PICKUP},
    **{"7": S.EXCEPTION, "8": S.IN_TRANSIT, "8/2": S.AVAILABLE_FOR_PICKUP},
    **{"8/9": S.AVAILABLE_FOR_PICKUP, "8/13": S.ARRIVED_DEST_COUNTRY},
    **{"8/14": S.AVAILABLE_FOR_PICKUP, "9": S.ARRIVED_DEST_COUNTRY, "10": S.IN_TRANSIT},
    **{"11": S.IN_CUSTOMS, "12": S.DELIVERY_ATTEMPTED, "13": S.INFO_RECEIVED},
    **{"14": S.IN_CUSTOMS, "14/1": S.IN_TRANSIT, "14/2": S.RETURNING, "14/4": S.EXCEPTION},
    **{"15": S.EXCEPTION, "16": S.EXCEPTION, "17": S.EXCEPTION, "18": S.EXCEPTION},
    **{"19": S.IN_CUSTOMS, "20": S.INFO_RECEIVED, "27": S.INFO_RECEIVED, "28": S.INFO_RECEIVED},
    **{"29": S.IN_TRANSIT, "31": S.IN_TRANSIT},
)

# TNT status codes: the same "Shipment received at TNT location" is a hub (IS) or the
# delivering depot (IR).
TNT: dict[str, Code] = _table(
    CI=S.ACCEPTED,
    IR=S.AT_LOCAL_OFFICE,
    IS=S.IN_TRANSIT,
    AS=S.IN_TRANSIT,
    TR=S.IN_TRANSIT,
    OD=S.OUT_FOR_DELIVERY,
    OK=S.DELIVERED,
    NR=S.EXCEPTION,
    MLA=S.EXCEPTION,
)

# Asendia USA milestones (s1 ... s10).
ASENDIA: dict[str, Code] = _table(
    S1=S.INFO_RECEIVED,
    S2A=S.ACCEPTED,  # first scan at Asendia
    S2B=S.IN_TRANSIT,
    S2C=S.IN_TRANSIT,
    S2D=S.IN_TRANSIT,
    S4=S.IN_TRANSIT,
    S5=S.ARRIVED_DEST_COUNTRY,
    S7=S.IN_TRANSIT,
    S8=S.AT_LOCAL_OFFICE,
    S10=S.DELIVERED,
)

# GEODIS (France) `type/status`: the arrival at the destination agency reads "prise en charge
# ou arrivage", which elsewhere is a first acceptance.
GEODIS: dict[str, Code] = {
    **_table(
        **{"ECH/CFM": S.ACCEPTED, "EML/CFM": S.INFO_RECEIVED, "EPC/CFM": S.INFO_RECEIVED},
        **{"EXP/CFM": S.IN_TRANSIT, "RST/CAD": S.ACTION_REQUIRED, "SOL/REO": S.RETURNING},
    ),
    **_table(True, AAR=S.AT_LOCAL_OFFICE, **{"AAR/CFM": S.AT_LOCAL_OFFICE}),
}

# Landmark Global event codes (karrio's landmark connector, providers/landmark/units.py).
LANDMARK: dict[str, Code] = _table(
    **{"50": S.INFO_RECEIVED, "60": S.IN_TRANSIT, "75": S.IN_TRANSIT, "80": S.IN_TRANSIT},
    **{"90": S.ACTION_REQUIRED, "100": S.IN_TRANSIT, "125": S.IN_TRANSIT, "135": S.IN_CUSTOMS},
    **{"150": S.IN_TRANSIT, "155": S.IN_TRANSIT, "200": S.IN_TRANSIT, "225": S.IN_TRANSIT},
    **{"250": S.IN_TRANSIT, "275": S.IN_TRANSIT, "300": S.OUT_FOR_DELIVERY},
    **{"400": S.DELIVERY_ATTEMPTED, "410": S.AVAILABLE_FOR_PICKUP, "450": S.EXCEPTION},
    **{"500": S.DELIVERED, "510": S.DELIVERED, "900": S.DELIVERY_ATTEMPTED},
)

# Groupe Morneau (freight): "PICK UP DISPONIBLE / AVAILABLE" is freight ready for the CARRIER to
# pick up at the shipper.
MORNEAU: dict[str, Code] = _table(True, AVAIL=S.INFO_RECEIVED, PICKD=S.ACCEPTED)

# DTDC (India).
DTDC: dict[str, Code] = _table(
    BKD=S.ACCEPTED,
    OBMD=S.IN_TRANSIT,
    OPMF=S.IN_TRANSIT,
    IBMD=S.IN_TRANSIT,
    IPMF=S.IN_TRANSIT,
    CDOUT=S.IN_TRANSIT,
    CDIN=S.IN_TRANSIT,
    OUTDLV=S.OUT_FOR_DELIVERY,
    DLV=S.DELIVERED,
)

TABLES: dict[str, dict[str, Code]] = {
    "correios": CORREIOS,
    "cainiao": CAINIAO,
    "usps": USPS,
    "fedex": FEDEX,
    "dhl_express": DHL_EXPRESS,
    "dhl_ecommerce": DHL_ECOMMERCE,
    "dhl_paket": DHL_PAKET,
    "laposte": LA_POSTE,
    "russian_post": RUSSIAN_POST,
    "tnt": TNT,
    "asendia": ASENDIA,
    "geodis": GEODIS,
    "morneau": MORNEAU,
    "landmark": LANDMARK,
    "dtdc": DTDC,
    "aftership": AFTERSHIP,
    "17track": SEVENTEEN_TRACK,
}

# Casefolded fragments of a carrier's name, first match wins (so "Asendia USA" is Asendia, and
# "DHL eCommerce" is not DHL Express).
FAMILIES: tuple[tuple[str, str], ...] = (
    ("correios", "correios"),
    ("cainiao", "cainiao"),
    ("aliexpress", "cainiao"),
    ("asendia", "asendia"),
    ("russian post", "russian_post"),
    ("почта россии", "russian_post"),
    ("pochta", "russian_post"),
    ("dhl express", "dhl_express"),
    ("dhl ecommerce", "dhl_ecommerce"),
    ("global mail", "dhl_ecommerce"),
    ("dhl paket", "dhl_paket"),
    ("dhl parcel", "dhl_paket"),
    ("deutsche post", "dhl_paket"),
    ("fedex", "fedex"),
    ("la poste", "laposte"),
    ("colissimo", "laposte"),
    ("tnt", "tnt"),
    ("geodis", "geodis"),
    ("morneau", "morneau"),
    ("landmark", "landmark"),
    ("dtdc", "dtdc"),
    ("aftership", "aftership"),
    ("17track", "17track"),
    ("usps", "usps"),
)

# Codes that name their own scheme (case-sensitive, as the aggregators write them).
AFTERSHIP_CODE = (
    r"(?:Pending|InfoReceived|InTransit|OutForDelivery|AttemptFail|Delivered|"
    r"AvailableForPickup|Exception|Expired)(?:_\d{3})?"
)
SEVENTEEN_TRACK_CODE = (
    r"(?:NotFound|InfoReceived|InTransit|Expired|AvailableForPickup|OutForDelivery|"
    r"DeliveryFailure|Delivered|Exception)(?:_[A-Z][A-Za-z]+)?"
)
