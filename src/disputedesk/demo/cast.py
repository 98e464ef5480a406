"""The demo's cast: product categories, the four stores and their staff, the buyers (the
ones who sign in and the others), and the words they write."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from disputedesk.demo import places

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


# Where each store takes returns (services.returns): a default ("*") for every store, and the
# first seller's bonded return warehouses for its two big lanes, Brazil and the United States.
RETURN_ADDRESSES: dict[str, tuple[tuple[str, dict[str, str]], ...]] = {
    "S-SZ-ELEC": (
        (
            "*",
            {
                "recipient": "Shenzhen Electronics Co., return centre",
                "line1": "Bldg 3, 18 Bantian Road, Longgang",
                "city": "Shenzhen",
                "state": "Guangdong",
                "zip": "518129",
                "country": "CN",
                "phone": "+86 755 2888 0101",
            },
        ),
        (
            "BR",
            {
                "recipient": "Shenzhen Electronics - Devoluções",
                "line1": "Rodovia Anhanguera, km 26, Galpão 4",
                "line2": "Jardim Jaraguá",
                "city": "São Paulo",
                "state": "SP",
                "zip": "05275-000",
                "country": "BR",
                "phone": "+55 11 3090 4400",
            },
        ),
        (
            "US",
            {
                "recipient": "Shenzhen Electronics Returns",
                "line1": "1450 Valley Blvd, Unit B",
                "city": "Ontario",
                "state": "CA",
                "zip": "91761",
                "country": "US",
                "phone": "+1 909 555 0142",
            },
        ),
    ),
    "S-YW-APPAREL": (
        (
            "*",
            {
                "recipient": "Yiwu Apparel Trading, returns dept.",
                "line1": "88 Chouzhou North Road",
                "city": "Yiwu",
                "state": "Zhejiang",
                "zip": "322000",
                "country": "CN",
            },
        ),
    ),
    "S-GZ-HOME": (
        (
            "*",
            {
                "recipient": "Guangzhou Home & Garden, after-sales",
                "line1": "5F, 120 Huangpu Avenue West, Tianhe",
                "city": "Guangzhou",
                "state": "Guangdong",
                "zip": "510620",
                "country": "CN",
            },
        ),
    ),
    "S-NB-TOYS": (
        (
            "*",
            {
                "recipient": "Ningbo Toys & Hobbies, returns",
                "line1": "66 Jiangnan Road, Beilun",
                "city": "Ningbo",
                "state": "Zhejiang",
                "zip": "315800",
                "country": "CN",
            },
        ),
    ),
}


def return_address_text(store_id: str, country: str | None) -> str:
    """The address a buyer in `country` sends a return to, on one line (for messages)."""
    addresses = dict(RETURN_ADDRESSES[store_id])
    parts = addresses.get(country or "") or addresses["*"]
    line = [parts["recipient"], parts["line1"], parts.get("line2")]
    line += [" ".join(p for p in (parts["city"], parts.get("zip")) if p), parts["country"]]
    return ", ".join(p for p in line if p)
