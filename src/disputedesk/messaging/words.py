"""The few words a message needs besides its template, in the seven languages: the dispute
reasons and the plans (filled into `{{ reason }}`, `{{ buyer_plan }}`, `{{ seller_plan }}`),
the email footer with its unsubscribe link, and the unsubscribe page."""

from __future__ import annotations

from babel import Locale

from disputedesk.messaging.languages import LANGUAGES

REASONS: dict[str, dict[str, str]] = {
    "not_received.tracking_invalid": {
        "en": "invalid tracking number or no tracking information",
        "zh_CN": "运单号无效或没有物流信息",
        "es": "número de seguimiento no válido o sin información de envío",
        "pt_BR": "código de rastreio inválido ou sem informações de envio",
        "ru": "неверный трек-номер или нет информации об отправлении",
        "fr": "numéro de suivi invalide ou aucune information de suivi",
        "pl": "nieprawidłowy numer przesyłki lub brak informacji o przesyłce",
    },
    "not_received.in_transit": {
        "en": "still in transit, delivery is late",
        "zh_CN": "仍在运输途中，物流延误",
        "es": "todavía en tránsito, la entrega se retrasa",
        "pt_BR": "ainda em trânsito, a entrega está atrasada",
        "ru": "посылка всё ещё в пути, доставка задерживается",
        "fr": "toujours en transit, la livraison est en retard",
        "pl": "przesyłka wciąż w drodze, dostawa się opóźnia",
    },
    "not_received.customs_held": {
        "en": "held by customs",
        "zh_CN": "被海关扣留",
        "es": "retenido en la aduana",
        "pt_BR": "retido na alfândega",
        "ru": "задержано на таможне",
        "fr": "retenu par la douane",
        "pl": "zatrzymane przez urząd celny",
    },
    "not_received.returned_to_sender": {
        "en": "parcel returned to the sender",
        "zh_CN": "包裹已被退回",
        "es": "paquete devuelto al remitente",
        "pt_BR": "pacote devolvido ao remetente",
        "ru": "посылка возвращена отправителю",
        "fr": "colis renvoyé à l'expéditeur",
        "pl": "paczka zwrócona do nadawcy",
    },
    "not_received.wrong_address": {
        "en": "wrong delivery address",
        "zh_CN": "收货地址有误",
        "es": "dirección de entrega incorrecta",
        "pt_BR": "endereço de entrega incorreto",
        "ru": "неверный адрес доставки",
        "fr": "adresse de livraison erronée",
        "pl": "błędny adres dostawy",
    },
    "not_received.delivered_not_received": {
        "en": "tracking says delivered, but the parcel never arrived",
        "zh_CN": "物流显示已妥投，但没有收到包裹",
        "es": "el seguimiento indica entregado, pero el paquete no llegó",
        "pt_BR": "o rastreio indica entregue, mas o pacote não chegou",
        "ru": "по данным отслеживания посылка вручена, но не получена",
        "fr": "le suivi indique « livré », mais le colis n'est jamais arrivé",
        "pl": "według śledzenia paczka została doręczona, ale nie dotarła",
    },
    "not_received.carrier_changed": {
        "en": "shipping method changed without consent",
        "zh_CN": "卖家未经同意更换了物流方式",
        "es": "se cambió el método de envío sin consentimiento",
        "pt_BR": "o método de envio foi trocado sem consentimento",
        "ru": "способ доставки изменён без согласия покупателя",
        "fr": "mode de livraison changé sans accord",
        "pl": "zmieniono sposób wysyłki bez zgody kupującego",
    },
    "not_as_described.not_as_described": {
        "en": "size, colour, material or style not as described",
        "zh_CN": "尺寸、颜色、材质或款式与描述不符",
        "es": "talla, color, material o estilo distintos de la descripción",
        "pt_BR": "tamanho, cor, material ou estilo diferentes do anúncio",
        "ru": "размер, цвет, материал или фасон не соответствуют описанию",
        "fr": "taille, couleur, matière ou style non conformes à la description",
        "pl": "rozmiar, kolor, materiał lub fason niezgodne z opisem",
    },
    "not_as_described.quality_issue": {
        "en": "poor quality or workmanship",
        "zh_CN": "质量或做工差",
        "es": "mala calidad o mal acabado",
        "pt_BR": "qualidade ou acabamento ruim",
        "ru": "низкое качество товара или изготовления",
        "fr": "mauvaise qualité ou mauvaise finition",
        "pl": "niska jakość lub złe wykonanie",
    },
    "not_as_described.damaged": {
        "en": "damaged in transit",
        "zh_CN": "运输途中损坏",
        "es": "dañado durante el envío",
        "pt_BR": "danificado no transporte",
        "ru": "повреждено при доставке",
        "fr": "endommagé pendant le transport",
        "pl": "uszkodzone w transporcie",
    },
    "not_as_described.not_working": {
        "en": "does not work properly",
        "zh_CN": "无法正常使用",
        "es": "no funciona correctamente",
        "pt_BR": "não funciona corretamente",
        "ru": "не работает как следует",
        "fr": "ne fonctionne pas correctement",
        "pl": "nie działa prawidłowo",
    },
    "not_as_described.short_shipment": {
        "en": "missing items, parts or promised gifts",
        "zh_CN": "少件、缺少配件或承诺的赠品",
        "es": "faltan artículos, piezas o regalos prometidos",
        "pt_BR": "faltam itens, peças ou brindes prometidos",
        "ru": "не хватает товаров, деталей или обещанных подарков",
        "fr": "articles, pièces ou cadeaux promis manquants",
        "pl": "brakuje produktów, części lub obiecanych gratisów",
    },
    "not_as_described.counterfeit": {
        "en": "counterfeit goods",
        "zh_CN": "假冒商品",
        "es": "producto falsificado",
        "pt_BR": "produto falsificado",
        "ru": "подделка",
        "fr": "contrefaçon",
        "pl": "podróbka",
    },
    "not_as_described.wrong_item": {
        "en": "wrong model or item",
        "zh_CN": "型号或商品与订单不符",
        "es": "modelo o artículo equivocado",
        "pt_BR": "modelo ou produto errado",
        "ru": "прислали не ту модель или не тот товар",
        "fr": "mauvais modèle ou mauvais article",
        "pl": "inny model lub inny produkt niż zamówiony",
    },
}

# A plan in words; `{amount}` is already written in the reader's language and the currency.
PLANS: dict[str, dict[str, str]] = {
    "refund_only": {
        "en": "a refund of {amount}",
        "zh_CN": "退款 {amount}",
        "es": "un reembolso de {amount}",
        "pt_BR": "um reembolso de {amount}",
        "ru": "возврат денег в размере {amount}",
        "fr": "un remboursement de {amount}",
        "pl": "zwrot pieniędzy w wysokości {amount}",
    },
    "return_and_refund": {
        "en": "a return of the goods and a refund of {amount}",
        "zh_CN": "退货并退款 {amount}",
        "es": "la devolución del artículo y un reembolso de {amount}",
        "pt_BR": "a devolução do produto e um reembolso de {amount}",
        "ru": "возврат товара и денег в размере {amount}",
        "fr": "le retour de l'article et un remboursement de {amount}",
        "pl": "zwrot towaru i zwrot pieniędzy w wysokości {amount}",
    },
    "resend": {
        "en": "sending a replacement",
        "zh_CN": "重新发货",
        "es": "el envío de un artículo de reemplazo",
        "pt_BR": "o envio de um novo produto",
        "ru": "повторная отправка товара",
        "fr": "l'envoi d'un article de remplacement",
        "pl": "wysłanie nowego egzemplarza",
    },
}

# Under every email: what it is about and the way out (RFC 8058 one-click link, also in the
# List-Unsubscribe header).
FOOTER: dict[str, str] = {
    "en": "This message is about order {order} at {store}. To stop receiving these emails: {url}",
    "zh_CN": "此邮件与 {store} 的订单 {order} 有关。如不想再收到此类邮件，请打开：{url}",
    "es": "Este mensaje se refiere al pedido {order} de {store}. "
    "Para dejar de recibir estos correos: {url}",
    "pt_BR": "Esta mensagem se refere ao pedido {order} da loja {store}. "
    "Para deixar de receber estes e-mails: {url}",
    "ru": "Это сообщение касается заказа {order} в магазине {store}. "
    "Чтобы больше не получать такие письма: {url}",
    "fr": "Ce message concerne la commande {order} chez {store}. "
    "Pour ne plus recevoir ces e-mails : {url}",
    "pl": "Ta wiadomość dotyczy zamówienia {order} w sklepie {store}. "
    "Aby nie otrzymywać więcej takich e-maili: {url}",
}

UNSUBSCRIBE_PAGE: dict[str, dict[str, str]] = {
    "en": {
        "title": "Unsubscribe",
        "question": "Stop receiving these emails?",
        "button": "Unsubscribe",
        "done": "Done: you will not receive these emails any more.",
    },
    "zh_CN": {
        "title": "退订",
        "question": "不再接收此类邮件？",
        "button": "退订",
        "done": "已完成：您将不再收到此类邮件。",
    },
    "es": {
        "title": "Darse de baja",
        "question": "¿Dejar de recibir estos correos?",
        "button": "Darme de baja",
        "done": "Listo: ya no recibirás estos correos.",
    },
    "pt_BR": {
        "title": "Cancelar inscrição",
        "question": "Deixar de receber estes e-mails?",
        "button": "Cancelar inscrição",
        "done": "Pronto: você não receberá mais estes e-mails.",
    },
    "ru": {
        "title": "Отписка",
        "question": "Больше не получать такие письма?",
        "button": "Отписаться",
        "done": "Готово: вы больше не будете получать такие письма.",
    },
    "fr": {
        "title": "Désabonnement",
        "question": "Ne plus recevoir ces e-mails ?",
        "button": "Me désabonner",
        "done": "C'est fait : vous ne recevrez plus ces e-mails.",
    },
    "pl": {
        "title": "Rezygnacja",
        "question": "Nie chcesz już otrzymywać tych e-maili?",
        "button": "Wypisz mnie",
        "done": "Gotowe: nie będziesz już otrzymywać tych e-maili.",
    },
}


def reason(code: str, language: str) -> str:
    words = REASONS.get(code)
    if words is None:
        return code
    return words.get(language) or words["en"]


def plan(plan_type: str, amount: str | None, language: str) -> str:
    words = PLANS.get(plan_type)
    if words is None:
        return plan_type
    return (words.get(language) or words["en"]).format(amount=amount or "")


def country(code: str, language: str) -> str | None:
    """The country's name in the reader's language (Babel's CLDR names)."""
    try:
        return Locale.parse(language).territories.get(code.upper())
    except (ValueError, TypeError):
        return None


def missing_words() -> list[str]:
    """Every (table, key, language) without words: a test keeps this empty."""
    gaps = [
        f"{name}.{key}.{lang}"
        for name, table in (("reasons", REASONS), ("plans", PLANS))
        for key, words in table.items()
        for lang in LANGUAGES
        if not words.get(lang)
    ]
    gaps += [f"footer.{lang}" for lang in LANGUAGES if not FOOTER.get(lang)]
    gaps += [
        f"unsubscribe.{lang}.{part}"
        for lang in LANGUAGES
        for part in UNSUBSCRIBE_PAGE["en"]
        if not UNSUBSCRIBE_PAGE.get(lang, {}).get(part)
    ]
    return gaps
