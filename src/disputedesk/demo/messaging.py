"""The demo's messages (issue 13): each store's messaging settings (Shenzhen Electronics sends
its notices by email too, answers outside its working hours in Shanghai, and has rewritten a
reply and added one of its own), and the notices and reminders the marketplace calls for at
`now`, planned and released as the worker would: in-app ones are in the threads and the
notification lists at once, emails wait in the outbox in each reader's language for the demo's
mail server (`disputedesk demo` delivers them at its worker's first sweep)."""

from __future__ import annotations

from datetime import datetime

from disputedesk.services import messaging
from disputedesk.services import notifications as n
from disputedesk.services.mailer import Mailer, SmtpConfig
from disputedesk.store.db import Database

WEEKDAY_HOURS = ["09:00-12:00", "13:30-18:00"]
SETTINGS = {
    "S-SZ-ELEC": {
        "language": "zh_CN",
        "time_zone": "Asia/Shanghai",
        "triggers": {
            "shipped": {"channels": ["in_app", "email"]},
            "arrived_dest_country": {"channels": ["in_app", "email"]},
            "delivered": {"channels": ["in_app", "email"]},
            "dispute_opened": {"channels": ["in_app", "email"]},
        },
        "auto_reply": {
            "enabled": True,
            "working_hours": {
                **{day: WEEKDAY_HOURS for day in ("mon", "tue", "wed", "thu", "fri")},
                "sat": ["10:00-16:00"],
            },
        },
    },
    "S-YW-APPAREL": {
        "language": "zh_CN",
        "time_zone": "Asia/Shanghai",
        "triggers": {
            "shipped": {"channels": ["in_app", "email"]},
            "receipt_confirmed": {"delay_minutes": 2 * 24 * 60},
        },
    },
    "S-GZ-HOME": {"language": "zh_CN", "time_zone": "Asia/Shanghai"},
    "S-NB-TOYS": {"time_zone": "Asia/Shanghai", "reminders": {"channels": ["in_app"]}},
}
# Shenzhen Electronics' own words: its version of a shipped reply (English and Spanish
# rewritten, the other languages as shipped), and a reply of its own about its warranty.
EDITED = (
    "reply.not_working_video",
    {
        "texts": {
            "en": {
                "subject": "Let's get it working again (order {{ order_number }})",
                "body": "Hello {{ buyer_name }},\n\nSorry it does not work as it should. Please "
                "send us a short video of the problem here (a link is enough): our technician "
                "answers within one working day, and most problems are a setting away.\n\n"
                "{{ store_name }}, support team",
            },
            "es": {
                "subject": "Hagamos que vuelva a funcionar (pedido {{ order_number }})",
                "body": "Hola, {{ buyer_name }}:\n\nSentimos que no funcione como debería. "
                "Envíenos aquí un vídeo corto del problema (basta un enlace): nuestro técnico "
                "responde en un día laborable y casi todo se arregla con un ajuste.\n\n"
                "{{ store_name }}, equipo de soporte",
            },
        }
    },
)
OWN = (
    "szelec.warranty",
    {
        "purpose": "reply",
        "audience": "buyer",
        "situations": {
            "reasons": ["not_as_described.not_working", "not_as_described.quality_issue"]
        },
        "texts": {
            "en": {
                "subject": "A 12-month warranty for order {{ order_number }}",
                "body": "Hello {{ buyer_name }},\n\nEverything from {{ store_name }} has a "
                "12-month warranty. If the item from order {{ order_number }} cannot be fixed, "
                "we send a new one or refund {{ refund_amount }}: tell us which you prefer.\n\n"
                "{{ store_name }}",
            },
            "zh_CN": {
                "subject": "订单 {{ order_number }} 的商品享有 12 个月质保",
                "body": "{{ buyer_name }}，您好！\n\n"
                "{{ store_name }} 的所有商品均享有 12 个月质保。"
                "如果订单 {{ order_number }} 的商品无法修好，"
                "我们将为您补发新品或退款 "
                "{{ refund_amount }}，请告诉我们您的选择。\n\n{{ store_name }}",
            },
            "es": {
                "subject": "Garantía de 12 meses para el pedido {{ order_number }}",
                "body": "Hola, {{ buyer_name }}:\n\nTodo lo de {{ store_name }} tiene 12 meses "
                "de garantía. Si el artículo del pedido {{ order_number }} no tiene arreglo, le "
                "enviamos uno nuevo o le reembolsamos {{ refund_amount }}: díganos qué prefiere."
                "\n\n{{ store_name }}",
            },
        },
    },
)


def seed_messaging(db: Database, now: datetime) -> int:
    """The stores' settings and templates, then the notifications due at `now`: how many."""
    for store_id, raw in SETTINGS.items():
        messaging.save_settings(db, store_id, raw, by="demo", now=now)
    for store_id, (key, raw) in (("S-SZ-ELEC", EDITED), ("S-SZ-ELEC", OWN)):
        messaging.save_template(db, store_id, key, raw, by="demo", now=now)
    # Planned and released as the worker would, with a mailer set so that emails are queued
    # (without one they are logged as not sent); nothing is sent here.
    options = n.Options(mailer=Mailer(SmtpConfig(host="127.0.0.1")))
    report = n.plan_all(db, now, options)
    report.add(n.release_due(db, now, options))
    return report.created
