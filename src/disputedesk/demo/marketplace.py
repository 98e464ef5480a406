"""A generated demo marketplace: stores with staff, buyers, orders and disputes in every state.

Everything goes through the services (orders, accounts, commands, messages, and the deadline
worker's sweep at the end), so the event log, the projections and the deadlines are exactly what
a real desk would hold. Every instant is computed from `now`: commands are in the past, and each
open dispute's next deadline is still ahead. The same seed gives the same marketplace.

Each disputed order follows a recipe that aims at one dispute status; after the build, the final
statuses are checked against the recipes (a mismatch is a bug here, raised at once).

Every shipped order gets its carrier's tracking timeline (`demo.tracking`), told by its story: a
"not received, in transit" dispute's parcel is still moving, a "delivered but not received" one
has its delivery scan, goods the buyer has were delivered before; the other parcels go as the
transit model draws them. A shipment history of the last 90 days (mostly Shenzhen Electronics'
parcels to Brazil and the United States) gives the carrier advisor figures, and a few parcels
are there for the shipment watch to flag (no news, customs, duties, pickup, Brazil's deadline).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from disputedesk.demo import places
from disputedesk.demo import tracking as parcels
from disputedesk.rules.instants import format_instant
from disputedesk.rules.model import Dispute, State
from disputedesk.rules.money import format_money
from disputedesk.rules.vocabulary import Action, Actor, DisputeStatus, OrderStatus
from disputedesk.services import accounts, messages, queries, shipment_watch, worker
from disputedesk.services import orders as order_service
from disputedesk.services import tracking as tracking_service
from disputedesk.services.commands import CommandResult, execute
from disputedesk.store.db import Database

MIN_ORDERS = 40  # every recipe once, and an order per demo buyer to open a dispute on
MAX_DISPUTES = 120  # beyond 300 orders, the others are plain (the shipment history)


@dataclass(frozen=True)
class Login:
    """A demo user who can sign in to the web desk."""

    role: str
    email: str
    password: str
    what: str


@dataclass(frozen=True)
class DemoSummary:
    """What `build_demo` made: the logins, the number of orders, the disputes by status."""

    logins: list[Login]
    orders: int
    disputes_by_status: dict[str, int]
    tracking_events: int = 0
    alerts: int = 0


# --------------------------------------------------------------------------------------------
# The cast


@dataclass(frozen=True)
class _Category:
    name: str
    products: tuple[str, ...]
    low_cents: int
    high_cents: int


@dataclass(frozen=True)
class _Store:
    id: str
    name: str
    domain: str
    owner: str
    agent: str
    number: int
    categories: tuple[_Category, ...]
    nad_reasons: tuple[str, ...]
    carriers: tuple[tuple[str, int], ...]  # carrier, weight
    return_address: str
    # destination -> carriers and weights, where the store uses its own mix for a country
    lanes: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Buyer:
    id: str
    name: str
    country: str
    locale: str
    city: str
    email: str | None = None
    password: str | None = None


_NR = "not_received."
_NAD = "not_as_described."

STORES: tuple[_Store, ...] = (
    _Store(
        "S-SZ-ELEC",
        "Shenzhen Electronics Co.",
        "shenzhen-electronics.demo",
        "Li Wei",
        "Zhang Min",
        1,
        (
            _Category(
                "electronics/phone-accessories",
                ("USB-C fast charger 65W", "Magnetic phone holder", "Braided USB-C cable 2m"),
                299,
                2999,
            ),
            _Category(
                "electronics/earphones",
                ("Wireless earbuds ANC", "Bone conduction headphones", "Gaming headset 7.1"),
                999,
                6999,
            ),
            _Category(
                "electronics/smart-watches",
                ("Smart watch 1.96in AMOLED", "Fitness band with SpO2", "Kids GPS watch"),
                1599,
                8999,
            ),
            _Category(
                "computer/storage",
                ("NVMe SSD 1TB", "USB 3.2 flash drive 128GB", "microSD card 256GB"),
                699,
                9999,
            ),
        ),
        (
            "not_working",
            "damaged",
            "counterfeit",
            "wrong_item",
            "short_shipment",
            "quality_issue",
            "not_as_described",
        ),
        (("Cainiao", 5), ("AliExpress Standard Shipping", 4), ("Yanwen", 2), ("DHL", 1)),
        "Return centre, Bldg 3, 18 Bantian Road, Longgang, Shenzhen 518129, CN",
        {
            "BR": (("Cainiao", 10), ("AliExpress Standard Shipping", 8), ("Yanwen", 2), ("DHL", 1)),
            "US": (("Cainiao", 9), ("AliExpress Standard Shipping", 5), ("DHL", 3), ("Yanwen", 2)),
        },
    ),
    _Store(
        "S-YW-APPAREL",
        "Yiwu Apparel Trading",
        "yiwu-apparel.demo",
        "Chen Jing",
        "Wang Fang",
        2,
        (
            _Category(
                "apparel/dresses",
                ("Floral summer maxi dress", "Knitted midi dress", "Linen shirt dress"),
                899,
                4599,
            ),
            _Category(
                "apparel/shoes",
                ("Running sneakers mesh", "Leather ankle boots", "Canvas slip-ons"),
                1299,
                5999,
            ),
            _Category(
                "apparel/jackets",
                ("Waterproof hiking jacket", "Down puffer jacket", "Denim jacket oversized"),
                1999,
                7999,
            ),
            _Category(
                "apparel/accessories",
                ("Polarised sunglasses", "Cashmere-feel scarf", "Leather belt reversible"),
                299,
                2499,
            ),
        ),
        ("not_as_described", "quality_issue", "counterfeit", "wrong_item", "short_shipment"),
        (("Cainiao", 4), ("AliExpress Standard Shipping", 4), ("Yanwen", 3)),
        "Returns dept., 88 Chouzhou North Road, Yiwu, Zhejiang 322000, CN",
    ),
    _Store(
        "S-GZ-HOME",
        "Guangzhou Home & Garden",
        "guangzhou-home.demo",
        "Huang Lei",
        "Liu Yang",
        3,
        (
            _Category(
                "home/kitchen",
                ("Stainless knife set 6 pcs", "Silicone baking mats", "Electric milk frother"),
                499,
                3999,
            ),
            _Category(
                "home/lighting",
                ("LED strip 10m RGB", "Solar garden lights 8 pcs", "Bedside lamp touch dimmer"),
                599,
                4499,
            ),
            _Category(
                "home/storage",
                ("Vacuum storage bags 10 pcs", "Bamboo drawer organiser", "Shoe rack 5 tiers"),
                399,
                3499,
            ),
            _Category(
                "home/textiles",
                ("Blackout curtains 2 panels", "Cotton bed sheet set", "Waterproof sofa cover"),
                999,
                5999,
            ),
        ),
        ("damaged", "quality_issue", "short_shipment", "not_as_described", "wrong_item"),
        (("Cainiao", 4), ("Yanwen", 3), ("AliExpress Standard Shipping", 3)),
        "After-sales, 5F, 120 Huangpu Avenue West, Tianhe, Guangzhou 510620, CN",
    ),
    _Store(
        "S-NB-TOYS",
        "Ningbo Toys & Hobbies",
        "ningbo-toys.demo",
        "Zhou Tao",
        "Sun Li",
        4,
        (
            _Category(
                "toys/building-blocks",
                ("Technic race car 1200 pcs", "City train set", "Castle bricks 900 pcs"),
                1499,
                6999,
            ),
            _Category(
                "toys/rc-models",
                ("RC drone 4K camera", "RC off-road truck 1:16", "RC boat brushless"),
                1999,
                8999,
            ),
            _Category(
                "toys/dolls",
                ("Fashion doll with wardrobe", "Plush bear 60cm", "Wooden doll house"),
                799,
                4999,
            ),
        ),
        ("damaged", "not_working", "short_shipment", "counterfeit", "quality_issue", "wrong_item"),
        (("Cainiao", 3), ("Yanwen", 3), ("AliExpress Standard Shipping", 2), ("DHL", 1)),
        "Returns, 66 Jiangnan Road, Beilun, Ningbo 315800, CN",
    ),
)

_LOGIN_BUYER_TABLE = (
    ("B-US-EMILY", "Emily Carter", "US", "en-US", "Austin", "emily"),
    ("B-ES-LUCIA", "Lucía Fernández", "ES", "es-ES", "Madrid", "lucia"),
    ("B-FR-CAMILLE", "Camille Martin", "FR", "fr-FR", "Lyon", "camille"),
    ("B-BR-RAFAEL", "Rafael Souza", "BR", "pt-BR", "São Paulo", "rafael"),
    ("B-PL-KASIA", "Katarzyna Nowak", "PL", "pl-PL", "Kraków", "kasia"),
    ("B-RU-DMITRY", "Dmitry Ivanov", "RU", "ru-RU", "Kazan", "dmitry"),
    ("B-KR-MINJI", "Kim Min-ji", "KR", "ko-KR", "Busan", "minji"),
    ("B-NL-SANNE", "Sanne de Vries", "NL", "nl-NL", "Utrecht", "sanne"),
)
LOGIN_BUYERS: tuple[_Buyer, ...] = tuple(
    _Buyer(buyer_id, name, country, locale, city, f"{user}@buyer.demo", f"demo-buyer-{number}")
    for number, (buyer_id, name, country, locale, city, user) in enumerate(_LOGIN_BUYER_TABLE, 1)
)

OTHER_BUYERS: tuple[_Buyer, ...] = (
    _Buyer("B-US-0101", "Jacob Miller", "US", "en-US", "Denver"),
    _Buyer("B-US-0102", "Olivia Brown", "US", "en-US", "Columbus"),
    _Buyer("B-GB-0103", "Harry Wilson", "GB", "en-GB", "Leeds"),
    _Buyer("B-CA-0104", "Chloé Tremblay", "CA", "fr-CA", "Montréal"),
    _Buyer("B-AU-0105", "Jack Taylor", "AU", "en-AU", "Brisbane"),
    _Buyer("B-DE-0106", "Lukas Schneider", "DE", "de-DE", "Leipzig"),
    _Buyer("B-DE-0107", "Anna Becker", "DE", "de-DE", "Köln"),
    _Buyer("B-IT-0108", "Giulia Romano", "IT", "it-IT", "Torino"),
    _Buyer("B-MX-0109", "Diego Hernández", "MX", "es-MX", "Guadalajara"),
    _Buyer("B-CL-0110", "Valentina Rojas", "CL", "es-CL", "Santiago"),
    _Buyer("B-ES-0111", "Javier García", "ES", "es-ES", "Valencia"),
    _Buyer("B-FR-0112", "Hugo Bernard", "FR", "fr-FR", "Toulouse"),
    _Buyer("B-BE-0113", "Louise Dubois", "BE", "fr-BE", "Liège"),
    _Buyer("B-BR-0114", "Ana Oliveira", "BR", "pt-BR", "Curitiba"),
    _Buyer("B-BR-0115", "Lucas Pereira", "BR", "pt-BR", "Recife"),
    _Buyer("B-PT-0116", "Inês Costa", "PT", "pt-PT", "Porto"),
    _Buyer("B-PL-0117", "Piotr Kowalski", "PL", "pl-PL", "Gdańsk"),
    _Buyer("B-RU-0118", "Olga Smirnova", "RU", "ru-RU", "Novosibirsk"),
    _Buyer("B-RU-0119", "Sergey Popov", "RU", "ru-RU", "Yekaterinburg"),
    _Buyer("B-KR-0120", "Park Ji-hoon", "KR", "ko-KR", "Incheon"),
    _Buyer("B-NL-0121", "Daan Jansen", "NL", "nl-NL", "Rotterdam"),
    _Buyer("B-IL-0122", "Noa Levi", "IL", "en-IL", "Haifa"),
    _Buyer("B-SA-0123", "Omar Alharbi", "SA", "en-SA", "Riyadh"),
    _Buyer("B-UA-0124", "Oksana Shevchenko", "UA", "uk-UA", "Lviv"),
)

HISTORY_BUYERS: tuple[_Buyer, ...] = tuple(
    _Buyer(b.id, b.name, b.country, b.locale, b.city) for b in places.history_buyers()
)

_EURO = frozenset({"ES", "FR", "NL", "DE", "IT", "BE", "PT"})
_RETURN_CARRIERS = {
    "US": "USPS",
    "GB": "Royal Mail",
    "CA": "Canada Post",
    "AU": "Australia Post",
    "DE": "DHL Paket",
    "IT": "Poste Italiane",
    "MX": "Correos de México",
    "CL": "Correos de Chile",
    "ES": "Correos",
    "FR": "La Poste",
    "BE": "bpost",
    "BR": "Correios",
    "PT": "CTT",
    "PL": "Poczta Polska",
    "RU": "Russian Post",
    "KR": "Korea Post",
    "NL": "PostNL",
    "IL": "Israel Post",
    "SA": "SPL",
    "UA": "Ukrposhta",
}
_NR_REASONS = (
    "tracking_invalid",
    "customs_held",
    "returned_to_sender",
    "wrong_address",
    "delivered_not_received",
    "carrier_changed",
)

# The buyer's note on opening, by reason (English, as the desk's dispute form asks).
_NOTES = {
    "tracking_invalid": "The tracking number shows no information at all.",
    "in_transit": "The delivery date is close and the parcel is still in transit.",
    "customs_held": "The parcel is held by customs and they ask me for documents.",
    "returned_to_sender": "The tracking says the parcel was returned to the sender.",
    "wrong_address": "The parcel went to a wrong address, not the one on my order.",
    "delivered_not_received": "Tracking says delivered, but nothing arrived at my address.",
    "carrier_changed": "The seller shipped with a slower carrier than the one I paid for.",
    "not_as_described": "The size and the colour do not match the listing.",
    "quality_issue": "Poor workmanship: loose threads, glue marks, scratches.",
    "damaged": "The item arrived broken; the box was crushed.",
    "not_working": "It does not turn on; it stopped working after one day.",
    "short_shipment": "Only part of the order arrived; the accessories are missing.",
    "counterfeit": "This is a fake, not the brand shown in the listing.",
    "wrong_item": "I received a different model from the one I ordered.",
}

# What buyers write in the thread, in their own language (English when not listed).
_BUYER_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "open_nad": "Hello, there is a problem with the item I received (details in my dispute). "
        "Please help me solve it.",
        "open_nr": "Hello, I still have not received my order and the tracking has not changed "
        "for days. Where is my parcel?",
        "too_low": "Sorry, that offer is too low. The item is not usable, I want a full refund.",
        "escalate": "The seller is not helping, so I am asking the platform to decide.",
        "return_sent": "I have sent the item back. Return tracking number: {tracking}.",
        "thanks": "Thank you, the problem is solved.",
        "where": "Hello, when will my order be shipped?",
        "arrived": "The parcel has just arrived, so I am closing the dispute. Thanks!",
    },
    "es": {
        "open_nad": "Hola, hay un problema con el artículo que recibí (detalles en mi disputa). "
        "Por favor, ayúdenme a resolverlo.",
        "open_nr": "Hola, todavía no he recibido mi pedido y el seguimiento no cambia desde hace "
        "días. ¿Dónde está mi paquete?",
        "too_low": "Lo siento, esa oferta es demasiado baja. El artículo no se puede usar, "
        "quiero el reembolso completo.",
        "escalate": "El vendedor no me ayuda, así que pido a la plataforma que decida.",
        "return_sent": "He devuelto el artículo. Número de seguimiento de la devolución: "
        "{tracking}.",
        "thanks": "Gracias, el problema está resuelto.",
        "where": "Hola, ¿cuándo enviarán mi pedido?",
        "arrived": "El paquete acaba de llegar, así que cierro la disputa. ¡Gracias!",
    },
    "fr": {
        "open_nad": "Bonjour, il y a un problème avec l'article reçu (détails dans mon litige). "
        "Merci de m'aider à le résoudre.",
        "open_nr": "Bonjour, je n'ai toujours pas reçu ma commande et le suivi ne bouge plus "
        "depuis des jours. Où est mon colis ?",
        "too_low": "Désolé, cette offre est trop basse. L'article est inutilisable, "
        "je veux un remboursement complet.",
        "escalate": "Le vendeur ne m'aide pas, je demande donc à la plateforme de trancher.",
        "return_sent": "J'ai renvoyé l'article. Numéro de suivi du retour : {tracking}.",
        "thanks": "Merci, le problème est réglé.",
        "where": "Bonjour, quand ma commande sera-t-elle expédiée ?",
        "arrived": "Le colis vient d'arriver, je ferme donc le litige. Merci !",
    },
    "pt": {
        "open_nad": "Olá, há um problema com o produto que recebi (detalhes na minha disputa). "
        "Por favor, me ajudem a resolver.",
        "open_nr": "Olá, ainda não recebi meu pedido e o rastreamento não muda há dias. "
        "Onde está meu pacote?",
        "too_low": "Desculpe, essa oferta é muito baixa. O produto não pode ser usado, "
        "quero o reembolso total.",
        "escalate": "O vendedor não está ajudando, então peço à plataforma que decida.",
        "return_sent": "Devolvi o produto. Código de rastreio da devolução: {tracking}.",
        "thanks": "Obrigado, o problema foi resolvido.",
        "where": "Olá, quando meu pedido será enviado?",
        "arrived": "O pacote acabou de chegar, então estou encerrando a disputa. Obrigado!",
    },
    "pl": {
        "open_nad": "Dzień dobry, z otrzymanym produktem jest problem (szczegóły w sporze). "
        "Proszę o pomoc w jego rozwiązaniu.",
        "open_nr": "Dzień dobry, zamówienie nadal do mnie nie dotarło, a status przesyłki nie "
        "zmienia się od kilku dni. Gdzie jest moja paczka?",
        "too_low": "Przykro mi, ta oferta jest za niska. Produkt nie nadaje się do użytku, "
        "chcę pełnego zwrotu.",
        "escalate": "Sprzedawca nie pomaga, dlatego proszę platformę o rozstrzygnięcie.",
        "return_sent": "Produkt został odesłany. Numer przesyłki zwrotnej: {tracking}.",
        "thanks": "Dziękuję, problem rozwiązany.",
        "where": "Dzień dobry, kiedy moje zamówienie zostanie wysłane?",
        "arrived": "Paczka właśnie dotarła, więc zamykam spór. Dziękuję!",
    },
    "ru": {
        "open_nad": "Здравствуйте, с полученным товаром проблема (подробности в споре). "
        "Помогите, пожалуйста, её решить.",
        "open_nr": "Здравствуйте, заказ до сих пор не пришёл, а отслеживание не обновляется "
        "уже несколько дней. Где моя посылка?",
        "too_low": "Извините, это слишком мало. Товаром невозможно пользоваться, "
        "прошу полный возврат.",
        "escalate": "Продавец не помогает, поэтому прошу платформу принять решение.",
        "return_sent": "Товар отправлен обратно. Трек-номер возврата: {tracking}.",
        "thanks": "Спасибо, проблема решена.",
        "where": "Здравствуйте, когда будет отправлен мой заказ?",
        "arrived": "Посылка только что пришла, поэтому закрываю спор. Спасибо!",
    },
    "ko": {
        "open_nad": "안녕하세요, 받은 상품에 문제가 있습니다(자세한 내용은 분쟁 참고). "
        "해결을 도와주세요.",
        "open_nr": "안녕하세요, 아직 주문한 상품을 받지 못했고 배송 조회가 며칠째 그대로입니다. "
        "제 소포는 어디에 있나요?",
        "too_low": "죄송하지만 그 금액은 너무 적습니다. 상품을 사용할 수 없으니 전액 환불을 "
        "원합니다.",
        "escalate": "판매자가 도와주지 않아서 플랫폼에 판단을 요청합니다.",
        "return_sent": "상품을 반송했습니다. 반품 운송장 번호: {tracking}.",
        "thanks": "감사합니다, 문제가 해결되었습니다.",
        "where": "안녕하세요, 주문은 언제 발송되나요?",
        "arrived": "방금 소포가 도착해서 분쟁을 종료합니다. 감사합니다!",
    },
    "nl": {
        "open_nad": "Hallo, er is een probleem met het ontvangen artikel "
        "(details in mijn geschil). Help me alstublieft om het op te lossen.",
        "open_nr": "Hallo, ik heb mijn bestelling nog steeds niet ontvangen en de track-and-trace "
        "verandert al dagen niet. Waar is mijn pakket?",
        "too_low": "Sorry, dat bod is te laag. Het artikel is onbruikbaar, ik wil een volledige "
        "terugbetaling.",
        "escalate": "De verkoper helpt niet, daarom vraag ik het platform om een beslissing.",
        "return_sent": "Ik heb het artikel teruggestuurd. Trackingnummer van de retour: "
        "{tracking}.",
        "thanks": "Bedankt, het probleem is opgelost.",
        "where": "Hallo, wanneer wordt mijn bestelling verzonden?",
        "arrived": "Het pakket is net aangekomen, dus ik sluit het geschil. Bedankt!",
    },
    "de": {
        "open_nad": "Hallo, mit dem erhaltenen Artikel stimmt etwas nicht (Details im Streitfall). "
        "Bitte helfen Sie mir, das zu lösen.",
        "open_nr": "Hallo, meine Bestellung ist immer noch nicht angekommen und die "
        "Sendungsverfolgung ändert sich seit Tagen nicht. Wo ist mein Paket?",
        "too_low": "Tut mir leid, das Angebot ist zu niedrig. Der Artikel ist unbrauchbar, "
        "ich möchte die volle Erstattung.",
        "escalate": "Der Verkäufer hilft nicht, deshalb bitte ich die Plattform um eine "
        "Entscheidung.",
        "return_sent": "Ich habe den Artikel zurückgeschickt. Sendungsnummer: {tracking}.",
        "thanks": "Danke, das Problem ist gelöst.",
        "where": "Hallo, wann wird meine Bestellung verschickt?",
        "arrived": "Das Paket ist gerade angekommen, daher schließe ich den Streitfall. Danke!",
    },
    "it": {
        "open_nad": "Salve, c'è un problema con l'articolo ricevuto (dettagli nella controversia). "
        "Mi aiutate a risolverlo, per favore?",
        "open_nr": "Salve, non ho ancora ricevuto l'ordine e il tracciamento non si aggiorna da "
        "giorni. Dov'è il mio pacco?",
        "too_low": "Mi dispiace, l'offerta è troppo bassa. L'articolo è inutilizzabile, "
        "voglio il rimborso completo.",
        "escalate": "Il venditore non mi aiuta, quindi chiedo alla piattaforma di decidere.",
        "return_sent": "Ho rispedito l'articolo. Numero di tracciamento del reso: {tracking}.",
        "thanks": "Grazie, il problema è risolto.",
        "where": "Salve, quando verrà spedito il mio ordine?",
        "arrived": "Il pacco è appena arrivato, quindi chiudo la controversia. Grazie!",
    },
}

_SELLER_TEXTS = {
    "offer": "Hello {buyer}, we are sorry about this. We can offer a refund of {amount} "
    "{currency} and you keep the item.",
    "offer_return": "Hello {buyer}, please return the item and we will refund {amount} "
    "{currency} as soon as it arrives.",
    "offer_resend": "Hello {buyer}, we would rather send you a new one at our cost. "
    "Is that all right?",
    "reject_nr": "Hello, the carrier's record shows the parcel as delivered. Please ask your "
    "neighbours and your local post office; we attached the proof of delivery.",
    "reject_nad": "Hello, every item is checked before shipping. Please send a video that shows "
    "the problem, so we can help.",
    "reject_transit": "Hello, the parcel is still moving; international post is slow this "
    "month. Please wait a little longer.",
    "extend": "The parcel is waiting for customs clearance. We have extended the delivery time "
    "by {days} days.",
    "return_address": "Please send the item back to: {address}. Write the order number on the "
    "parcel. We refund as soon as it arrives.",
    "resend": "We will send you a replacement within a few days, with a new tracking number.",
    "shipped_again": "The replacement is on its way: {carrier} {tracking}.",
    "received_return": "We received the returned item and have refunded you.",
    "keep_item": "No need to send it back: keep the item, we have refunded you.",
    "evidence": "We have uploaded our shipping documents and the tracking record.",
    "return_wrong": "The returned parcel does not contain our item. We have escalated the case "
    "and uploaded photos of what we received.",
    "will_ship": "Hello, your order will be shipped within 2 days. Thank you for waiting!",
    "accept": "We are sorry for the trouble; we have accepted your request.",
}

_ARBITRATOR_TEXTS = {
    "intervene": "The platform has taken this case. Seller: please upload your evidence "
    "(delivery note, tracking record, photos) within 3 days. Buyer: you may add evidence too.",
    "ruling": "Ruling: {summary}",
}

_MINUTE = timedelta(minutes=1)


# --------------------------------------------------------------------------------------------
# The builder


class _Demo:
    """The build's shared state: the database, the clock, and the id and tracking counters."""

    def __init__(self, db: Database, now: datetime, rng: random.Random) -> None:
        self.db = db
        self.base = now.replace(second=0, microsecond=0)
        self.rng = rng
        self.order_ids: set[str] = set()
        self.arbitrator = "Marta Rossi"
        self.addresses: dict[str, dict[str, str]] = {}
        self.deals: list[_Deal] = []

    def address_of(self, buyer: _Buyer) -> dict[str, str]:
        """The buyer's address as parts, the same for all their orders."""
        if buyer.id not in self.addresses:
            self.addresses[buyer.id] = places.address(
                buyer.name, buyer.country, buyer.city, random.Random(f"{buyer.id}")
            )
        return self.addresses[buyer.id]

    def new_order_id(self) -> str:
        while True:
            order_id = f"81{self.rng.randrange(10**13, 10**14)}"
            if order_id not in self.order_ids:
                self.order_ids.add(order_id)
                return order_id


class _Deal:
    """One demo order: its facts, and helpers that send its commands in time order."""

    def __init__(self, demo: _Demo, store: _Store, buyer: _Buyer, *, urgent: bool = False) -> None:
        self.demo = demo
        self.urgent = urgent  # an open dispute's next deadline within 48 hours
        self.db = demo.db
        self.base = demo.base
        self.rng = random.Random(demo.rng.getrandbits(64))
        self.id = demo.new_order_id()
        self.store = store
        self.buyer = buyer
        rng = self.rng
        self.category = rng.choice(store.categories)
        product = rng.choice(self.category.products)
        quantity = rng.choices([1, 2, 3], [8, 2, 1])[0]
        unit = rng.randint(self.category.low_cents, self.category.high_cents)
        self.items = [{"title": product, "quantity": quantity, "unit_price": _cents(unit)}]
        self.amount = unit * quantity
        names, weights = zip(*store.lanes.get(buyer.country, store.carriers), strict=True)
        self.carrier: str = rng.choices(names, weights)[0]
        if self.carrier == "DHL":
            self.shipping = rng.randint(1500, 3500)
        else:
            self.shipping = 0 if rng.random() < 0.55 else rng.randint(99, 1299)
        self.currency = "EUR" if buyer.country in _EURO and rng.random() < 0.5 else "USD"
        self.promised = 0
        self.last: datetime | None = None
        self.state: State | None = None
        self.address = demo.address_of(buyer)
        self.shipped_at: datetime | None = None
        self.tracking_number: str | None = None
        self.received_at: datetime | None = None  # when the buyer is known to have the goods
        self.story: parcels.Story | None = None  # the parcel's story, when a recipe tells it
        self.replacement: tuple[datetime, str] | None = None  # shipped at, tracking number
        self.expect: tuple[str, str | None] | None = None  # a plain order's dispute's outcome
        demo.deals.append(self)

    # -- time and money ------------------------------------------------------------------

    def ago(self, low: float, high: float, urgent: tuple[float, float] | None = None) -> datetime:
        """An instant between `high` and `low` days before now (whole minutes); for an urgent
        deal, within the `urgent` range instead (when given)."""
        if self.urgent and urgent is not None:
            low, high = urgent
        return self.base - self.span(low, high)

    def span(self, low: float, high: float) -> timedelta:
        """A duration from `low` to `high` days, in whole minutes."""
        return timedelta(minutes=self.rng.randint(round(low * 1440), round(high * 1440)))

    def soon(self, at: datetime, low: float = 0.002, high: float = 0.05) -> datetime:
        """A little after `at`, never after now."""
        return min(at + self.span(low, high), self.base)

    def between(self, start: datetime, end: datetime) -> datetime:
        """The whole minute halfway from `start` to `end`."""
        return (start + (end - start) / 2).replace(second=0, microsecond=0)

    def age(self, at: datetime) -> float:
        """How many days before now `at` is."""
        return (self.base - at).total_seconds() / 86400

    @property
    def total(self) -> int:
        return self.amount + self.shipping

    def full(self) -> str:
        return _cents(self.total)

    def part(self, low: float = 0.2, high: float = 0.7) -> str:
        return _cents(max(1, round(self.total * self.rng.uniform(low, high))))

    def refund_plan(self, full: bool | None = None) -> dict[str, Any]:
        if full is None:
            full = self.rng.random() < 0.6
        return {"type": "refund_only", "amount": self.full() if full else self.part(0.5, 0.9)}

    def return_plan(self) -> dict[str, Any]:
        return {"type": "return_and_refund", "amount": self.full()}

    # -- reasons ---------------------------------------------------------------------------

    def nad_reason(self, *among: str) -> str:
        pool = [r for r in self.store.nad_reasons if not among or r in among]
        return _NAD + self.rng.choice(pool or list(self.store.nad_reasons))

    def nr_reason(self) -> str:
        """A not-received reason this parcel's carriers can show in tracking."""
        country = self.buyer.country
        pool = [r for r in _NR_REASONS if parcels.can_show(r, self.carrier, country)]
        return _NR + self.rng.choice(pool)

    def any_reason(self) -> str:
        return self.nr_reason() if self.rng.random() < 0.35 else self.nad_reason()

    # -- the order -------------------------------------------------------------------------

    def create(self, placed_at: datetime, promised: int) -> None:
        raw = {
            "id": self.id,
            "store_id": self.store.id,
            "buyer_id": self.buyer.id,
            "amount": _cents(self.amount),
            "shipping": _cents(self.shipping),
            "currency": self.currency,
            "placed_at": format_instant(placed_at),
            "promised_delivery_days": promised,
            "items": self.items,
            "destination_address": places.one_line(self.address),
            "shipping_address": self.address,
            "destination_country": self.buyer.country,
            "category": self.category.name,
        }
        order_service.create_order(self.db, order_service.check_order(raw), now=placed_at)
        self.promised = promised

    def start(self, shipped_at: datetime, promised: int | None = None) -> None:
        """Create the order (placed a little before `shipped_at`) and ship it."""
        if promised is None:
            promised = self.rng.choice([20, 25, 30, 45, 60])
        self.create(shipped_at - self.span(0.2, 2.5), promised)
        self.ship(shipped_at)

    def start_before(
        self, opened: datetime, gap: tuple[float, float] = (5.5, 12), promised: int | None = None
    ) -> None:
        """Ship `gap` days before the dispute opens (the deadline comes after the opening)."""
        shipped = opened - self.span(*gap)
        if promised is None:
            lasting = (opened - shipped).days + 2
            promised = self.rng.choice([p for p in (20, 25, 30, 45, 60) if p > lasting])
        self.start(shipped, promised)

    def ship(self, at: datetime) -> None:
        number = _tracking_number(self.rng, self.carrier)
        self.do(Actor.SELLER, Action.SHIP, at, carrier=self.carrier, tracking_number=number)
        self.shipped_at, self.tracking_number = at, number

    def promise(self) -> int:
        """Delivery days promised to the buyer, as sellers do for the destination."""
        country = self.buyer.country
        if country == "BR":
            return self.rng.choice([45, 60])
        if country in ("RU", "UA", "MX", "CL"):
            return self.rng.choice([30, 45, 60])
        return self.rng.choice([20, 25, 30])

    def model_story(self) -> parcels.Story:
        """The parcel as the transit model draws it (nothing else known yet)."""
        assert self.shipped_at is not None
        return parcels.model_story(
            self.carrier, self.buyer.country, self.shipped_at, self.base, self.rng
        )

    def parcel_events(self) -> list[tuple[str, tracking_service.CarrierEvent]]:
        """The order's carrier events for `ingest_many`, told by its story."""
        if self.shipped_at is None or self.tracking_number is None:
            return []
        assert self.state is not None
        story = self.story
        if story is None:
            disputes = tuple(
                parcels.Opened(d.reason, d.opened_at, d.goods_received) for d in self.state.disputes
            )
            received = [d.at for d in disputes if d.goods_received]
            if self.received_at is not None:
                received.append(self.received_at)
            story = parcels.story_for(
                self.carrier,
                self.buyer.country,
                self.shipped_at,
                self.base,
                self.rng,
                disputes=disputes,
                received=min(received) if received else None,
            )
        parcel = parcels.Parcel(
            self.id,
            self.carrier,
            self.tracking_number,
            self.buyer.country,
            self.address,
            self.shipped_at,
            self.buyer.locale,
        )
        rng = random.Random(self.rng.getrandbits(64))
        events = [(self.id, e) for e in parcels.timeline(parcel, story, rng, self.base)]
        if self.replacement is not None:  # the replacement's own parcel, under its number
            shipped, number = self.replacement
            received = self.received_at if self.received_at and self.received_at > shipped else None
            again = parcels.story_for(
                self.carrier, self.buyer.country, shipped, self.base, rng, received=received
            )
            second = dataclasses.replace(parcel, number=number, shipped_at=shipped)
            events += [(self.id, e) for e in parcels.timeline(second, again, rng, self.base)]
        return events

    def do(self, actor: str, action: str, at: datetime, **fields: Any) -> CommandResult:
        """Send one command; a refusal is a bug in the demo's recipes."""
        if at > self.base:
            raise RuntimeError(f"demo order {self.id}: {action} at {at} is after now")
        if self.last is not None and at < self.last:
            raise RuntimeError(f"demo order {self.id}: {action} at {at} is before {self.last}")
        result = execute(self.db, self.id, actor, action, fields, at, recorded_at=at)
        refusal = result.refusal
        if refusal is not None:
            raise RuntimeError(
                f"demo order {self.id}: {actor} {action} at {at} refused: "
                f"{refusal.code} {refusal.message}"
            )
        self.last = at
        self.state = result.state
        if action == Action.CONFIRM_RECEIPT and self.received_at is None:
            self.received_at = at
        if action == Action.SHIP_REPLACEMENT:
            self.replacement = (at, fields["tracking_number"])
        return result

    # -- dispute steps ---------------------------------------------------------------------

    def open(
        self,
        at: datetime,
        reason: str,
        plan: dict[str, Any],
        *,
        goods_received: bool | None = None,
        say: bool = True,
    ) -> None:
        item = reason.split(".", 1)[1]
        if goods_received is None:
            goods_received = reason.startswith(_NAD) or item == "carrier_changed"
        self.do(
            Actor.BUYER,
            Action.OPEN_DISPUTE,
            at,
            reason=reason,
            plan=plan,
            goods_received=goods_received,
            note=_NOTES[item],
        )
        if say:
            self.buyer_says("open_nad" if reason.startswith(_NAD) else "open_nr", self.soon(at))

    def buyer_evidence(self, at: datetime) -> None:
        """Photos or a video of the problem, or the tracking page, as the reason suggests."""
        dispute = self._dispute()
        if dispute.reason.startswith(_NAD):
            if self.rng.random() < 0.4:
                self.evidence(
                    Actor.BUYER,
                    at,
                    "video",
                    "Unboxing video showing the problem",
                    f"https://video.example/demo/{self.id}-unboxing.mp4",
                )
            else:
                self.evidence(
                    Actor.BUYER,
                    at,
                    "photo",
                    "Photos of the item as received, with the label",
                    f"https://photos.example/demo/{self.id}-1.jpg",
                )
        elif dispute.reason.endswith("customs_held"):
            self.evidence(Actor.BUYER, at, "customs_receipt", "Customs notice asking for documents")
        else:
            kind = self.rng.choice(["tracking_record", "chat_log"])
            text = {
                "tracking_record": "Screenshot of the tracking page: no update for 12 days",
                "chat_log": "Chat with the local post office: no parcel for this number",
            }[kind]
            self.evidence(Actor.BUYER, at, kind, text)

    def seller_evidence(self, at: datetime) -> None:
        dispute = self._dispute()
        if dispute.reason.endswith("counterfeit"):
            self.evidence(
                Actor.SELLER, at, "brand_authorization", "Authorised reseller certificate, 2026"
            )
        elif dispute.reason.startswith(_NR):
            kind = self.rng.choice(["tracking_record", "proof_of_delivery", "delivery_note"])
            text = {
                "tracking_record": "Full carrier tracking record from acceptance to delivery",
                "proof_of_delivery": "Carrier's proof of delivery with the recipient's signature",
                "delivery_note": "Shipping label with barcode, address and customs declaration",
            }[kind]
            self.evidence(Actor.SELLER, at, kind, text)
        elif self.rng.random() < 0.5:
            self.evidence(
                Actor.SELLER,
                at,
                "video",
                "Packing video: the item tested and packed before shipping",
                f"https://video.example/demo/{self.id}-packing.mp4",
            )
        else:
            self.evidence(Actor.SELLER, at, "invoice", "Factory invoice and quality check sheet")

    def evidence(
        self, actor: str, at: datetime, kind: str, description: str, link: str | None = None
    ) -> None:
        fields: dict[str, Any] = {"kind": kind, "description": description}
        if link is not None:
            fields["attachment"] = {"link": link}
        self.do(actor, Action.SUBMIT_EVIDENCE, at, **fields)

    def _dispute(self) -> Dispute:
        assert self.state is not None and self.state.disputes
        return self.state.disputes[-1]

    def reject(self, at: datetime) -> None:
        reason = self._dispute().reason
        if reason == _NR + "in_transit":
            key = "reject_transit"
        else:
            key = "reject_nr" if reason.startswith(_NR) else "reject_nad"
        self.do(Actor.SELLER, Action.REJECT, at, note=_SELLER_TEXTS[key])
        self.seller_says(key, self.soon(at))

    def propose(self, at: datetime, plan: dict[str, Any]) -> None:
        self.do(Actor.SELLER, Action.PROPOSE, at, plan=plan)
        key = {"refund_only": "offer", "return_and_refund": "offer_return"}.get(
            plan["type"], "offer_resend"
        )
        self.seller_says(key, self.soon(at), amount=plan.get("amount", ""))

    def seller_accepts(self, at: datetime) -> None:
        self.do(Actor.SELLER, Action.ACCEPT, at)
        plan = self._dispute().buyer_plan
        key = {"return_and_refund": "return_address", "resend": "resend"}.get(plan.type, "accept")
        self.seller_says(key, self.soon(at))

    def buyer_accepts(self, at: datetime) -> None:
        self.do(Actor.BUYER, Action.ACCEPT, at)
        if self._dispute().status == DisputeStatus.AWAITING_RETURN_SHIPMENT:
            self.seller_says("return_address", self.soon(at))

    def agree(self, at: datetime, plan: dict[str, Any], opened: datetime) -> None:
        """Agreement on `plan` at `at`: the seller accepts the buyer's plan, or (sometimes)
        the seller proposes it after the opening and the buyer accepts."""
        if self.rng.random() < 0.65:
            self.seller_accepts(at)
        else:
            self.propose(self.between(opened, at), plan)
            self.buyer_accepts(at)

    def ship_return(self, at: datetime) -> None:
        tracking = f"RT{self.rng.randint(10**8, 10**9 - 1)}{self.buyer.country}"
        self.do(
            Actor.BUYER,
            Action.SHIP_RETURN,
            at,
            carrier=_RETURN_CARRIERS.get(self.buyer.country, "Local post"),
            tracking_number=tracking,
        )
        self.buyer_says("return_sent", self.soon(at), tracking=tracking)

    def escalate_after_reject(self, escalated: datetime, reason: str | None = None) -> datetime:
        """Open, the seller rejects, the buyer escalates at `escalated`; returns the opening."""
        reject = escalated - self.span(0.1, 1.5)
        opened = reject - self.span(0.05, 1.5)
        self.start_before(opened)
        self.open(opened, reason or self.any_reason(), self.refund_plan())
        self.reject(reject)
        self.do(Actor.BUYER, Action.ESCALATE, escalated, note="The seller refuses any refund.")
        self.buyer_says("escalate", self.soon(escalated))
        return opened

    def intervene(self, at: datetime) -> None:
        self.do(Actor.ARBITRATOR, Action.INTERVENE, at)
        self.arbitrator_says("intervene", self.soon(at, 0.001, 0.01))

    # -- messages --------------------------------------------------------------------------

    def buyer_says(self, key: str, at: datetime, **values: str) -> None:
        language = self.buyer.locale.split("-", 1)[0]
        if language in _BUYER_TEXTS and language != "en" and self.rng.random() < 0.7:
            text, locale = _BUYER_TEXTS[language][key], self.buyer.locale
        else:
            text, locale = _BUYER_TEXTS["en"][key], "en"
        self.say("buyer", self.buyer.name, text.format(**values), locale, at)

    def seller_says(self, key: str, at: datetime, **values: Any) -> None:
        values = {
            "buyer": self.buyer.name.split(" ")[0],
            "currency": self.currency,
            "address": self.store.return_address,
            **values,
        }
        name = self.store.agent if self.rng.random() < 0.6 else self.store.owner
        self.say("seller", name, _SELLER_TEXTS[key].format(**values), "en", at)

    def arbitrator_says(self, key: str, at: datetime, **values: str) -> None:
        text = _ARBITRATOR_TEXTS[key].format(**values)
        self.say("arbitrator", self.demo.arbitrator, text, "en", at)

    def say(self, role: str, name: str, body: str, locale: str, at: datetime) -> None:
        messages.post_message(
            self.db,
            self.id,
            sender_role=role,
            body=body,
            sender_name=name,
            locale=locale,
            at=min(at, self.base),
        )


def _cents(cents: int) -> str:
    return format_money(Decimal(cents) / 100)


def _tracking_number(rng: random.Random, carrier: str) -> str:
    digits = rng.randint(10**11, 10**12 - 1)
    if carrier == "Yanwen":
        return f"UG{digits % 10**9:09d}YP"
    if carrier == "DHL":
        return f"{digits % 10**10:010d}"
    return f"LP00{digits:012d}"


# --------------------------------------------------------------------------------------------
# Recipes: each aims at one dispute status (and resolution); the deadlines are chosen so that
# an open dispute's next one is still ahead of now.

_AS = DisputeStatus
Recipe = Callable[[_Deal], None]


def _asr_new(d: _Deal) -> None:
    """A fresh dispute the seller has not answered yet (the 5-day clock runs)."""
    opened = d.ago(0.1, 4.8, urgent=(3.2, 4.8))
    d.start_before(opened)
    plan = d.rng.choice([d.refund_plan(), d.return_plan()])
    d.open(opened, d.nad_reason(), plan)
    d.buyer_evidence(opened + d.span(0.01, 0.09))


def _asr_not_received(d: _Deal) -> None:
    opened = d.ago(0.5, 4.6, urgent=(3.2, 4.6))
    d.start_before(opened, gap=(9, 20))
    d.open(opened, d.nr_reason(), d.refund_plan(True))
    if d.rng.random() < 0.5:
        d.buyer_evidence(opened + d.span(0.02, 0.3))


def _asr_in_transit(d: _Deal) -> None:
    """In transit and late, before the delivery deadline (which escalates it)."""
    opened = d.ago(0.3, 4.0, urgent=(3.2, 4.0))
    d.start_before(opened, gap=(18, 30), promised=d.rng.choice([45, 60]))
    d.open(opened, _NR + "in_transit", d.refund_plan(True))


def _asr_modified(d: _Deal) -> None:
    """The seller rejected, the buyer changed the plan: the seller's clock restarted."""
    opened = d.ago(6, 11)
    d.start_before(opened)
    d.open(opened, d.nad_reason(), d.refund_plan(True))
    d.reject(opened + d.span(0.2, 1.5))
    plan = d.rng.choice([d.return_plan(), d.refund_plan(False)])
    d.do(Actor.BUYER, Action.MODIFY_DISPUTE, d.ago(0.2, 4.5), plan=plan)


def _neg_propose(d: _Deal) -> None:
    """The seller offered a partial refund; the buyer thinks it too low."""
    opened = d.ago(1, 14.6, urgent=(13.2, 14.6))
    d.start_before(opened)
    d.open(opened, d.nad_reason(), d.rng.choice([d.refund_plan(True), d.return_plan()]))
    proposed = opened + d.span(0.05, 0.9)
    d.propose(proposed, {"type": "refund_only", "amount": d.part(0.15, 0.5)})
    d.buyer_says("too_low", d.soon(proposed, 0.01, 0.1))


def _neg_reject(d: _Deal) -> None:
    opened = d.ago(1, 13.5)
    d.start_before(opened)
    reason = d.rng.choice([_NR + "delivered_not_received", d.nad_reason()])
    d.open(opened, reason, d.refund_plan(True))
    rejected = opened + d.span(0.05, 0.9)
    d.reject(rejected)
    d.seller_evidence(rejected + _MINUTE * 5)


def _neg_in_transit(d: _Deal) -> None:
    """In transit: the seller asks to wait and (often) extends the delivery time."""
    opened = d.ago(2, 6)
    d.start_before(opened, gap=(15, 20), promised=30)
    d.open(opened, _NR + "in_transit", d.refund_plan(True))
    rejected = opened + d.span(0.05, 0.5)
    d.reject(rejected)
    if d.rng.random() < 0.6:
        days = d.rng.choice([10, 15, 20])
        d.do(Actor.SELLER, Action.EXTEND_DELIVERY, rejected + _MINUTE * 3, days=days)
        d.seller_says("extend", rejected + _MINUTE * 4, days=str(days))


def _return_shipment(d: _Deal) -> None:
    """Agreed on a return: the buyer has 10 days to send it."""
    agreed = d.ago(0.2, 9.6, urgent=(8.2, 9.6))
    opened = agreed - d.span(0.1, 4.5)
    d.start_before(opened)
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)


def _return_receipt(d: _Deal) -> None:
    """The buyer sent the return: the seller has 30 days to confirm it."""
    shipped_back = d.ago(0.5, 29, urgent=(28.1, 29))
    agreed = shipped_back - d.span(0.5, 7)
    opened = agreed - d.span(0.1, 4)
    d.start_before(opened, gap=(5.5, 9))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    d.ship_return(shipped_back)


def _resend(d: _Deal) -> None:
    """Agreed on a replacement: the seller has 7 days to ship it."""
    agreed = d.ago(0.2, 6.8, urgent=(5.2, 6.8))
    opened = agreed - d.span(0.1, 3)
    d.start_before(opened)
    reason = d.nad_reason("short_shipment", "wrong_item", "damaged", "not_working")
    if d.rng.random() < 0.6:
        d.open(opened, reason, {"type": "resend"})
        d.seller_accepts(agreed)
    else:
        d.open(opened, reason, d.refund_plan(True))
        d.propose(d.between(opened, agreed), {"type": "resend"})
        d.buyer_accepts(agreed)


def _esc_buyer(d: _Deal) -> None:
    """The buyer escalated: after a rejection, or from day 4 after a low offer."""
    escalated = d.ago(0.3, 20)
    if d.rng.random() < 0.5:
        opened = d.escalate_after_reject(escalated)
    else:
        opened = escalated - d.span(3.1, 10)
        d.start_before(opened)
        d.open(opened, d.any_reason(), d.refund_plan(True))
        d.propose(opened + d.span(0.1, 1), {"type": "refund_only", "amount": d.part(0.1, 0.3)})
        d.do(Actor.BUYER, Action.ESCALATE, escalated, note="The offer does not cover the loss.")
        d.buyer_says("escalate", d.soon(escalated))
    d.buyer_evidence(d.soon(escalated, 0.01, 0.2))


def _esc_auto(d: _Deal) -> None:
    """No agreement by day 16: the platform steps in (fired by the worker's sweep)."""
    opened = d.ago(16, 26)
    d.start_before(opened)
    d.open(opened, d.any_reason(), d.refund_plan(True))
    proposed = opened + d.span(0.2, 2)
    d.propose(proposed, {"type": "refund_only", "amount": d.part(0.1, 0.4)})
    d.buyer_says("too_low", d.soon(proposed, 0.05, 0.5))
    d.buyer_evidence(opened + d.span(2.1, 4))


def _esc_seller(d: _Deal) -> None:
    """The seller escalated a return that was not the right goods."""
    escalated = d.ago(0.5, 15)
    shipped_back = escalated - d.span(2, 12)
    agreed = shipped_back - d.span(0.5, 5)
    opened = agreed - d.span(0.1, 3)
    d.start_before(opened, gap=(5.5, 9))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    d.ship_return(shipped_back)
    d.do(Actor.SELLER, Action.ESCALATE, escalated, note="The return is not our item.")
    d.seller_says("return_wrong", d.soon(escalated))
    d.evidence(
        Actor.SELLER,
        escalated + _MINUTE * 10,
        "photo",
        "Photos of the returned parcel and its contents",
        f"https://photos.example/demo/{d.id}-return.jpg",
    )


def _esc_resend_missed(d: _Deal) -> None:
    """The seller agreed to resend and did not ship in 7 days."""
    agreed = d.ago(8, 18)
    opened = agreed - d.span(0.1, 3)
    d.start_before(opened)
    d.open(opened, d.nad_reason("short_shipment", "wrong_item", "damaged"), {"type": "resend"})
    d.seller_accepts(agreed)
    d.buyer_says("escalate", agreed + d.span(7.1, 7.9))


def _esc_in_transit(d: _Deal) -> None:
    """In transit past the delivery deadline: escalated automatically at the deadline."""
    deadline = d.ago(1, 12)
    shipped = deadline - timedelta(days=30)
    opened = shipped + d.span(15, 24)
    d.start(shipped, 30)
    d.open(opened, _NR + "in_transit", d.refund_plan(True))
    d.reject(opened + d.span(0.1, 2))


def _awaiting_evidence(d: _Deal) -> None:
    """The arbitrator took the case; the seller's evidence period runs."""
    intervened = d.ago(0.2, 5.8, urgent=(1.2, 2.8))
    d.escalate_after_reject(intervened - d.span(0.3, 2.5))
    d.intervene(intervened)
    d.buyer_evidence(intervened + d.span(0.02, 0.15))


def _under_review(d: _Deal) -> None:
    """The seller answered with evidence: the arbitrator reviews the case."""
    intervened = d.ago(1, 12)
    d.escalate_after_reject(intervened - d.span(0.3, 2.5))
    d.intervene(intervened)
    submitted = intervened + d.span(0.1, min(5.9, d.age(intervened) - 0.05))
    d.seller_evidence(submitted)
    d.seller_says("evidence", d.soon(submitted))
    if d.rng.random() < 0.5:
        d.buyer_evidence(d.soon(submitted, 0.01, 0.3))


def _closed_refund_accepted(d: _Deal) -> None:
    opened = d.ago(3, 40)
    d.start_before(opened)
    d.open(opened, d.any_reason(), d.refund_plan())
    accepted = opened + d.span(0.05, 3)
    d.seller_accepts(accepted)
    d.buyer_says("thanks", d.soon(accepted, 0.05, 0.5))


def _closed_refund_timeout(d: _Deal) -> None:
    """The seller never answered: the buyer's plan was executed after 5 days."""
    opened = d.ago(6, 40)
    d.start_before(opened)
    d.open(opened, d.any_reason(), d.refund_plan())
    d.buyer_evidence(opened + d.span(0.02, 0.5))


def _closed_buyer_accepts(d: _Deal) -> None:
    opened = d.ago(3, 45)
    d.start_before(opened)
    d.open(opened, d.nad_reason(), d.refund_plan(True))
    proposed = opened + d.span(0.05, 1)
    d.propose(proposed, {"type": "refund_only", "amount": d.part(0.4, 0.8)})
    accepted = proposed + d.span(0.05, 1.5)
    d.buyer_accepts(accepted)
    d.buyer_says("thanks", d.soon(accepted))


def _closed_return_confirmed(d: _Deal) -> None:
    confirmed = d.ago(0.5, 20)
    shipped_back = confirmed - d.span(4, 15)
    agreed = shipped_back - d.span(0.5, 6)
    opened = agreed - d.span(0.1, 4)
    d.start_before(opened, gap=(5.5, 8))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    d.ship_return(shipped_back)
    d.do(Actor.SELLER, Action.CONFIRM_RETURN_RECEIVED, confirmed)
    d.seller_says("received_return", d.soon(confirmed))


def _closed_return_given_up(d: _Deal) -> None:
    """The seller refunded without the goods (before or after the buyer sent them)."""
    gave_up = d.ago(0.5, 30)
    sent = d.rng.random() < 0.3
    shipped_back = gave_up - d.span(1, 5)
    agreed = (shipped_back if sent else gave_up) - d.span(0.05, 3)
    opened = agreed - d.span(0.1, 4)
    d.start_before(opened, gap=(5.5, 8))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    if sent:
        d.ship_return(shipped_back)
    d.do(Actor.SELLER, Action.GIVE_UP_RETURN, gave_up)
    d.seller_says("keep_item", d.soon(gave_up))


def _closed_return_receipt_timeout(d: _Deal) -> None:
    """The seller never confirmed the return: refunded after 30 days (by the sweep)."""
    shipped_back = d.ago(31, 35)
    agreed = shipped_back - d.span(0.5, 3)
    opened = agreed - d.span(0.1, 2)
    d.start_before(opened, gap=(5.5, 8))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)
    d.ship_return(shipped_back)


def _closed_return_not_shipped(d: _Deal) -> None:
    """The buyer never sent the return: closed without a refund after 10 days (the sweep)."""
    agreed = d.ago(11, 30)
    opened = agreed - d.span(0.1, 4)
    d.start_before(opened, gap=(5.5, 10))
    plan = d.return_plan()
    d.open(opened, d.nad_reason(), plan)
    d.agree(agreed, plan, opened)


def _closed_cancelled(d: _Deal) -> None:
    """The buyer cancelled: the parcel turned up, or the problem was solved another way."""
    if d.rng.random() < 0.6:
        opened = d.ago(3, 30)
        d.start_before(opened, gap=(15, 25), promised=d.rng.choice([45, 60]))
        d.open(opened, _NR + "in_transit", d.refund_plan(True))
        cancelled = opened + d.span(0.3, min(4.5, d.age(opened) - 0.05))
        d.do(Actor.BUYER, Action.CANCEL_DISPUTE, cancelled)
        d.received_at = cancelled  # the parcel turned up
        d.buyer_says("arrived", d.soon(cancelled))
        assert d.state is not None
        if d.state.order.status == OrderStatus.SHIPPED:
            d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, cancelled + _MINUTE * 2)
    else:
        opened = d.ago(3, 40)
        d.start_before(opened)
        d.open(opened, d.nad_reason(), d.refund_plan())
        rejected = opened + d.span(0.05, 1)
        d.reject(rejected)
        d.do(Actor.BUYER, Action.CANCEL_DISPUTE, rejected + d.span(0.1, 2))


def _cancelled_then_reopened(d: _Deal) -> None:
    """A first dispute cancelled, a second one opened: awaiting the seller's response."""
    first = d.ago(6, 12)
    d.start_before(first, promised=d.rng.choice([30, 45, 60]))
    d.open(first, d.nr_reason(), d.refund_plan(True), say=False)
    d.do(Actor.BUYER, Action.CANCEL_DISPUTE, first + d.span(0.2, 1.5))
    second = d.ago(0.3, 4.5)
    d.open(second, d.nad_reason(), d.rng.choice([d.refund_plan(), d.return_plan()]))


def _closed_resent(d: _Deal) -> None:
    replaced = d.ago(1, 30)
    agreed = replaced - d.span(0.3, 5)
    opened = agreed - d.span(0.1, 3)
    d.start_before(opened)
    d.open(opened, d.nad_reason("short_shipment", "wrong_item", "damaged"), {"type": "resend"})
    d.seller_accepts(agreed)
    tracking = _tracking_number(d.rng, d.carrier)
    d.do(
        Actor.SELLER,
        Action.SHIP_REPLACEMENT,
        replaced,
        carrier=d.carrier,
        tracking_number=tracking,
    )
    d.seller_says("shipped_again", d.soon(replaced), carrier=d.carrier, tracking=tracking)
    age = d.age(replaced)
    if age > 9 and d.rng.random() < 0.6:
        d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, replaced + d.span(7, min(age, d.promised) - 0.5))


def _to_review(d: _Deal, ruled: datetime) -> None:
    """Escalated after a rejection, taken by the arbitrator, answered by the seller."""
    submitted = ruled - d.span(0.2, 4)
    intervened = submitted - d.span(0.1, 2.8)
    d.escalate_after_reject(intervened - d.span(0.2, 2.5))
    d.intervene(intervened)
    d.buyer_evidence(intervened + d.span(0.01, 0.08))
    d.seller_evidence(submitted)


def _closed_ruled(d: _Deal) -> None:
    ruled = d.ago(0.5, 30)
    _to_review(d, ruled)
    responsibility, amount = d.rng.choice(
        [("seller", d.full()), ("seller", d.part()), ("buyer", "0.00"), ("none", d.part())]
    )
    summary = {
        "seller": f"the seller is responsible; {amount} {d.currency} refunded to the buyer.",
        "buyer": "the evidence supports the seller; no refund.",
        "none": f"no one is at fault; {amount} {d.currency} refunded as a goodwill split.",
    }[responsibility]
    d.arbitrator_says("ruling", ruled - _MINUTE, summary=summary)
    d.do(
        Actor.ARBITRATOR,
        Action.RULE,
        ruled,
        refund_amount=amount,
        responsibility=responsibility,
        return_required=False,
    )


def _closed_ruled_return(d: _Deal) -> None:
    """Ruled with a return required: the buyer sent it back and was refunded."""
    refunded = d.ago(0.5, 12)
    shipped_back = refunded - d.span(2, 8)
    ruled = shipped_back - d.span(0.5, 5)
    _to_review(d, ruled)
    amount = d.full()
    summary = f"return the item; {amount} {d.currency} refunded when the seller receives it."
    d.arbitrator_says("ruling", ruled - _MINUTE, summary=summary)
    d.do(
        Actor.ARBITRATOR,
        Action.RULE,
        ruled,
        refund_amount=amount,
        responsibility="seller",
        return_required=True,
    )
    d.ship_return(shipped_back)
    d.do(Actor.SELLER, Action.CONFIRM_RETURN_RECEIVED, refunded)


def _closed_auto_ruled(d: _Deal) -> None:
    """The seller sent no evidence in two periods: ruled for the buyer automatically."""
    intervened = d.ago(6.2, 20)
    reason = d.nad_reason("counterfeit") if d.rng.random() < 0.6 else d.any_reason()
    d.escalate_after_reject(intervened - d.span(0.2, 2.5), reason)
    d.intervene(intervened)
    d.buyer_evidence(intervened + d.span(0.01, 0.3))


_CLOSED = str(_AS.CLOSED)
# (recipe, expected status, expected resolution, weight for the recipes after the first pass)
_RECIPES: tuple[tuple[Recipe, str, str | None, int], ...] = (
    (_asr_new, _AS.AWAITING_SELLER_RESPONSE, None, 3),
    (_neg_propose, _AS.NEGOTIATING, None, 3),
    (_return_shipment, _AS.AWAITING_RETURN_SHIPMENT, None, 2),
    (_return_receipt, _AS.AWAITING_RETURN_RECEIPT, None, 2),
    (_resend, _AS.AWAITING_RESEND, None, 2),
    (_esc_buyer, _AS.ESCALATED, None, 2),
    (_awaiting_evidence, _AS.AWAITING_SELLER_EVIDENCE, None, 2),
    (_under_review, _AS.UNDER_REVIEW, None, 2),
    (_closed_refund_accepted, _CLOSED, "refunded", 5),
    (_closed_cancelled, _CLOSED, "cancelled", 3),
    (_closed_resent, _CLOSED, "resent", 2),
    (_closed_ruled, _CLOSED, "ruled", 2),
    (_asr_in_transit, _AS.AWAITING_SELLER_RESPONSE, None, 1),
    (_neg_reject, _AS.NEGOTIATING, None, 2),
    (_closed_return_not_shipped, _CLOSED, "return_not_shipped", 1),
    (_esc_auto, _AS.ESCALATED, None, 1),
    (_closed_refund_timeout, _CLOSED, "refunded", 3),
    (_closed_return_confirmed, _CLOSED, "refunded", 2),
    (_asr_not_received, _AS.AWAITING_SELLER_RESPONSE, None, 2),
    (_neg_in_transit, _AS.NEGOTIATING, None, 1),
    (_esc_seller, _AS.ESCALATED, None, 1),
    (_closed_auto_ruled, _CLOSED, "ruled", 1),
    (_closed_buyer_accepts, _CLOSED, "refunded", 3),
    (_closed_return_given_up, _CLOSED, "refunded", 1),
    (_asr_modified, _AS.AWAITING_SELLER_RESPONSE, None, 1),
    (_esc_resend_missed, _AS.ESCALATED, None, 1),
    (_esc_in_transit, _AS.ESCALATED, None, 1),
    (_closed_return_receipt_timeout, _CLOSED, "refunded", 1),
    (_cancelled_then_reopened, _AS.AWAITING_SELLER_RESPONSE, None, 1),
    (_closed_ruled_return, _CLOSED, "refunded", 1),
)


# --------------------------------------------------------------------------------------------
# Orders without a dispute


def _plain_awaiting_shipment(d: _Deal) -> None:
    placed = d.ago(0.05, 3.5)
    d.create(placed, d.rng.choice([15, 20, 30]))
    if d.rng.random() < 0.3:
        asked = d.soon(placed, 0.05, 0.5)
        d.buyer_says("where", asked)
        d.seller_says("will_ship", d.soon(asked, 0.02, 0.3))


def _plain_in_transit(d: _Deal) -> None:
    """Shipped less than 5 days ago: too early for a dispute."""
    d.start(d.ago(0.1, 4.9))


def _plain_shipped(d: _Deal) -> None:
    """Shipped 5.5 to 30 days ago, deadline ahead: the buyer may open a dispute now."""
    shipped = d.ago(5.5, 30)
    age = (d.base - shipped).days
    promised = d.rng.choice([p for p in (20, 25, 30, 45, 60) if p >= age + 3])
    d.start(shipped, promised)
    if d.rng.random() < 0.15:
        assert d.last is not None
        extended = d.between(d.last, d.base)
        days = d.rng.choice([10, 15, 30])
        d.do(Actor.SELLER, Action.EXTEND_DELIVERY, extended, days=days)
        d.seller_says("extend", d.soon(extended), days=str(days))


def _plain_confirmed(d: _Deal, recent: bool = False) -> None:
    """Delivered, then receipt confirmed; when `recent`, within the last 12 days (a dispute is
    still possible). The shipment is dated back from the delivery by a drawn transit time."""
    confirmed = d.ago(0.5, 12) if recent else d.ago(1, 50)
    delivered = confirmed - d.span(0.1, 3)
    days = parcels.transit_days(d.carrier, d.buyer.country, d.rng)
    shipped = (delivered - timedelta(days=days)).replace(second=0, microsecond=0)
    promised = next((p for p in (20, 25, 30, 45, 60) if p > days + 4), 60)
    if (confirmed - shipped).days + 1 >= promised:  # a very slow parcel: an earlier shipment
        shipped = confirmed - timedelta(days=promised - 2)
    d.start(shipped, promised)
    d.story = parcels.Story(parcels.delivery_fate(d.carrier, d.buyer.country, d.rng), delivered)
    d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, confirmed)


def _plain_auto_completed(d: _Deal) -> None:
    """The delivery deadline passed without a dispute: completed by the worker's sweep."""
    shipped = d.ago(22, 58)
    d.start(shipped, d.rng.choice([15, 20]))


def _plain_history(d: _Deal) -> None:
    """The shipment history: shipped 20 to 88 days ago, the parcel went as the transit model
    draws it; the buyer mostly confirmed receipt a little after the delivery (before the
    deadline), else the worker completed the order at its deadline."""
    shipped = d.ago(20, 88)
    promised = d.promise()
    d.start(shipped, promised)
    story = d.story = d.model_story()
    deadline = shipped + timedelta(days=promised)
    slow = story.fate in parcels.DELIVERED_FATES and story.at - shipped > deadline - story.at
    if slow and d.rng.random() < 0.5:
        # a slow parcel: the buyer asks the platform, the parcel turns up, the buyer cancels
        opened = story.at - d.span(0.5, 3.5)
        cancelled = story.at + d.span(0.1, 0.9)
        if shipped + timedelta(days=6) < opened and cancelled < min(deadline, d.base):
            d.open(opened, _NR + "in_transit", d.refund_plan(True))
            d.do(Actor.BUYER, Action.CANCEL_DISPUTE, cancelled)
            d.buyer_says("arrived", d.soon(cancelled))
            d.expect = (_CLOSED, "cancelled")
            confirmed = cancelled + d.span(0.01, 0.2)
            if confirmed < min(deadline, d.base):
                d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, confirmed)
    elif story.fate in parcels.DELIVERED_FATES and d.rng.random() < 0.8:
        confirmed = story.at + d.span(0.2, 4)
        if confirmed < min(deadline, d.base):
            d.do(Actor.BUYER, Action.CONFIRM_RECEIPT, confirmed)
    elif story.fate == parcels.LOST and d.rng.random() < 0.75:
        # no news for weeks: the buyer disputes, and the seller refunds
        opened = max(story.at + d.span(12, 18), shipped + timedelta(days=20))
        if opened < min(deadline, d.base) - timedelta(days=4):
            d.open(opened, _NR + "in_transit", d.refund_plan(True))
            d.seller_accepts(opened + d.span(0.2, 3))
            d.expect = (_CLOSED, "refunded")


_PLAIN: tuple[tuple[Recipe, int], ...] = (
    (_plain_awaiting_shipment, 8),
    (_plain_in_transit, 10),
    (_plain_shipped, 15),
    (_plain_confirmed, 12),
    (_plain_auto_completed, 10),
    (_plain_history, 45),
)


def _plain_recent(d: _Deal) -> None:
    _plain_confirmed(d, recent=True)


# --------------------------------------------------------------------------------------------
# Parcels the shipment watch flags (each still shipped, with its deadline ahead)


def _watch_silent(d: _Deal) -> None:
    """The last scan weeks ago: no news for longer than the watch allows."""
    shipped = d.ago(34, 42)
    d.start(shipped, 60)
    stop = parcels.ARRIVED if d.buyer.country == "BR" else parcels.ACCEPTED
    d.story = parcels.Story(parcels.STALLED, shipped + d.span(5, 9), stop=stop)


def _watch_customs(d: _Deal) -> None:
    """Held in customs for more than a week."""
    d.carrier = "Cainiao"
    shipped = d.ago(20, 28)
    d.start(shipped, 60 if d.buyer.country == "BR" else 45)
    d.story = parcels.Story(parcels.HELD, shipped + d.span(9, 12))


def _watch_duties(d: _Deal) -> None:
    """Correios waits for the buyer to pay the import duties."""
    d.carrier = "AliExpress Standard Shipping"
    shipped = d.ago(18, 24)
    d.start(shipped, 60)
    d.story = parcels.Story(parcels.DUTIES_DUE, shipped + d.span(10, 13))


def _watch_brazil_deadline(d: _Deal) -> None:
    """To Brazil, still on its way, under 5 days before the delivery deadline (seed 002:
    extend by 30 days)."""
    d.carrier = "AliExpress Standard Shipping"
    left = d.span(1.2, 4.6)
    shipped = d.base + left - timedelta(days=45)
    d.start(shipped, 45)
    days = (d.base - shipped).total_seconds() / 86400 + d.rng.uniform(4, 9)
    d.story = parcels.Story(parcels.MOVING, d.base, days)


def _watch_pickup(d: _Deal) -> None:
    """A delivery attempt left a notice card; the parcel waits at the post office."""
    d.carrier = "Cainiao"
    d.start(d.ago(12, 18), 30)
    d.story = parcels.Story(parcels.WAITING, d.ago(1, 4))


def _watch_returning(d: _Deal) -> None:
    """Nobody was home; Correios is sending the parcel back."""
    d.carrier = "Cainiao"
    d.start(d.ago(28, 34), 60)
    d.story = parcels.Story(parcels.TURNED_BACK, d.ago(7.5, 9))


_WATCH: tuple[tuple[Recipe, str], ...] = (
    (_watch_silent, "BR"),
    (_watch_customs, "BR"),
    (_watch_duties, "BR"),
    (_watch_brazil_deadline, "BR"),
    (_watch_brazil_deadline, "BR"),
    (_watch_pickup, "CA"),
    (_watch_customs, "RU"),
    (_watch_silent, "US"),
    (_watch_pickup, "AU"),
    (_watch_returning, "BR"),
)

# Who buys the plain orders: where (Brazil and the United States above all) ...
_DESTINATIONS = {
    "BR": 45,
    "US": 22,
    "FR": 6,
    "ES": 6,
    "RU": 5,
    "DE": 4,
    "GB": 4,
    "CA": 4,
    "AU": 4,
    "PL": 3,
    "NL": 2,
    "KR": 2,
    "IT": 2,
    "BE": 1,
    "MX": 1,
    "CL": 1,
    "PT": 1,
    "IL": 1,
    "SA": 1,
    "UA": 1,
}
# ... and from which store (Shenzhen Electronics, the first seller's, ships 60% of them).
_STORE_WEIGHTS = (9, 2, 2, 2)


def _buyer_in(rng: random.Random, country: str, *, login: float = 0.3) -> _Buyer:
    """A buyer in `country`: a demo login now and then, else one of the others."""
    mine = [b for b in LOGIN_BUYERS if b.country == country]
    if mine and rng.random() < login:
        return rng.choice(mine)
    others = [b for b in (*OTHER_BUYERS, *HISTORY_BUYERS) if b.country == country]
    return rng.choice(others or list(OTHER_BUYERS))


# --------------------------------------------------------------------------------------------
# Accounts


def _accounts(db: Database, at: datetime) -> list[Login]:
    logins = [
        Login("admin", "admin@disputedesk.demo", "demo-admin-1", "admin (operator)"),
        Login(
            "arbitrator",
            "arbitrator@disputedesk.demo",
            "demo-arbitrator-1",
            "platform arbitrator (takes escalated cases)",
        ),
    ]
    for login, name in zip(logins, ("Desk Admin", "Marta Rossi"), strict=True):
        accounts.create_user(
            db, email=login.email, name=name, role=login.role, password=login.password, now=at
        )
    for store in STORES:
        order_service.create_store(db, store.id, store.name, now=at)
        for staff_role, name in (("owner", store.owner), ("agent", store.agent)):
            word = "seller" if staff_role == "owner" else "agent"
            login = Login(
                "seller",
                f"{staff_role}@{store.domain}",
                f"demo-{word}-{store.number}",
                f"seller {staff_role} of store {store.id} ({store.name})",
            )
            accounts.create_user(
                db,
                email=login.email,
                name=name,
                role="seller",
                store_id=store.id,
                store_role=staff_role,
                password=login.password,
                now=at,
            )
            logins.append(login)
    for buyer in (*LOGIN_BUYERS, *OTHER_BUYERS, *HISTORY_BUYERS):
        email = buyer.email or f"{buyer.id.lower()}@buyers.example"
        order_service.create_buyer(
            db,
            buyer.id,
            buyer.name,
            email=email,
            country=buyer.country,
            locale=buyer.locale,
            now=at,
        )
        if buyer.email and buyer.password:
            accounts.create_user(
                db,
                email=buyer.email,
                name=buyer.name,
                role="buyer",
                buyer_id=buyer.id,
                password=buyer.password,
                now=at,
            )
            logins.append(
                Login(
                    "buyer",
                    buyer.email,
                    buyer.password,
                    f"buyer {buyer.id}, {buyer.name} ({buyer.country}, {buyer.locale})",
                )
            )
    return logins


# --------------------------------------------------------------------------------------------
# The build


def build_demo(db: Database, *, now: datetime, seed: int = 7, orders: int = 500) -> DemoSummary:
    """Fill an empty database with the demo marketplace as it stands at `now` (UTC)."""
    if orders < MIN_ORDERS:
        raise ValueError(f"orders: at least {MIN_ORDERS}, to show every dispute status")
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    rng = random.Random(seed)
    demo = _Demo(db, now, rng)
    logins = _accounts(db, demo.base - timedelta(days=120))

    # The plan: which recipe, store and buyer each order gets.
    plans: list[tuple[Recipe, _Store, _Buyer, tuple[str, str | None] | None, bool]] = []
    n_disputes = max(len(_RECIPES), min(round(orders * 0.4), MAX_DISPUTES))
    # Every recipe once, then the recipes in proportion to their weights, in a shuffled cycle.
    weighted = [entry for entry in _RECIPES for _ in range(entry[3])]
    rng.shuffle(weighted)
    for k in range(n_disputes):
        extra = k - len(_RECIPES)
        recipe, status, resolution, _ = (
            _RECIPES[k] if extra < 0 else weighted[extra % len(weighted)]
        )
        store = STORES[(k + k // len(LOGIN_BUYERS)) % len(STORES)]
        if k < 3 * len(LOGIN_BUYERS) or rng.random() < 0.3:
            buyer = LOGIN_BUYERS[k % len(LOGIN_BUYERS)]
        else:
            buyer = rng.choice(OTHER_BUYERS)
        urgent = (k < len(_RECIPES) and k % 2 == 0) or rng.random() < 0.3
        plans.append((recipe, store, buyer, (str(status), resolution), urgent))
    # Orders each demo buyer can open a dispute on right now (3, when there is room).
    room = min(3, (orders - n_disputes) // len(LOGIN_BUYERS))
    for k, buyer in enumerate(LOGIN_BUYERS):
        for i, recipe in enumerate((_plain_recent, _plain_shipped, _plain_shipped)[:room]):
            plans.append((recipe, STORES[(k + i) % len(STORES)], buyer, None, False))
    # Parcels for the shipment watch to flag (as many as there is room for).
    for i, (recipe, country) in enumerate(_WATCH[: max(0, orders - len(plans))]):
        store = STORES[0] if i < 6 else STORES[i % len(STORES)]
        plans.append((recipe, store, _buyer_in(rng, country, login=0), None, False))
    plain, plain_weights = zip(*_PLAIN, strict=True)
    countries, country_weights = zip(*_DESTINATIONS.items(), strict=True)
    while len(plans) < orders:
        buyer = _buyer_in(rng, rng.choices(countries, country_weights)[0])
        plain_recipe = rng.choices(plain, plain_weights)[0]
        plans.append((plain_recipe, rng.choices(STORES, _STORE_WEIGHTS)[0], buyer, None, False))
    rng.shuffle(plans)

    expected: dict[str, tuple[str, str | None]] = {}
    for recipe, store, buyer, expect, urgent in plans:
        deal = _Deal(demo, store, buyer, urgent=urgent)
        recipe(deal)
        expect = expect or deal.expect
        if expect is not None:
            expected[deal.id] = expect

    # Every shipped parcel's tracking, stored as a feed's events are; then the deadlines that
    # fell due before now fire as the worker would fire them, and the shipment watch looks.
    events = [pair for deal in demo.deals for pair in deal.parcel_events()]
    stored = tracking_service.ingest_many(db, events, source="import", now=demo.base)
    worker.sweep(db, now, recorded_at=now)
    alerts = shipment_watch.sweep(db, now).raised

    by_status = {str(status): 0 for status in DisputeStatus}
    for order_id, (status, resolution) in expected.items():
        last = queries.order_outcome(db, order_id)["disputes"][-1]
        if last["status"] != status or (resolution and last["resolution"] != resolution):
            raise RuntimeError(
                f"demo order {order_id}: the dispute ended {last['status']}/"
                f"{last['resolution']}, not {status}/{resolution}"
            )
        by_status[status] += 1
    return DemoSummary(logins, len(plans), by_status, stored.stored, alerts)
