"""tracking events, shipment alerts, orders.shipping_address

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 13:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import disputedesk.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = disputedesk.store.types.UTCDateTime
JSONDoc = disputedesk.store.types.JSONDoc


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipping_address", JSONDoc, nullable=True))
    op.create_index(op.f("ix_orders_tracking_number"), "orders", ["tracking_number"])
    op.create_table(
        "tracking_events",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("leg", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("carrier", sa.String(length=100), nullable=True),
        sa.Column("tracking_number", sa.String(length=100), nullable=True),
        sa.Column("raw_code", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("location", JSONDoc, nullable=True),
        sa.Column("at_text", sa.String(length=64), nullable=True),
        sa.Column("at", UTC(timezone=True), nullable=True),
        sa.Column("extra", JSONDoc, nullable=True),
        sa.Column("payload", JSONDoc, nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("notice_left", sa.Boolean(), nullable=True),
        sa.Column("unclassified", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("received_at", UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_tracking_events_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint(
            "order_id", "fingerprint", name=op.f("uq_tracking_events_order_id_fingerprint")
        ),
    )
    op.create_index(op.f("ix_tracking_events_order_id_at"), "tracking_events", ["order_id", "at"])
    op.create_table(
        "shipment_alerts",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("data", JSONDoc, nullable=False),
        sa.Column("raised_at", UTC(timezone=True), nullable=False),
        sa.Column("resolved_at", UTC(timezone=True), nullable=True),
        sa.Column("dismissed_at", UTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_shipment_alerts_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"], name=op.f("fk_shipment_alerts_store_id_stores")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_alerts")),
        sa.UniqueConstraint("order_id", "key", name=op.f("uq_shipment_alerts_order_id_key")),
    )
    op.create_index(
        op.f("ix_shipment_alerts_store_id_resolved_at"),
        "shipment_alerts",
        ["store_id", "resolved_at"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_shipment_alerts_store_id_resolved_at"), table_name="shipment_alerts")
    op.drop_table("shipment_alerts")
    op.drop_index(op.f("ix_tracking_events_order_id_at"), table_name="tracking_events")
    op.drop_table("tracking_events")
    op.drop_index(op.f("ix_orders_tracking_number"), table_name="orders")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("shipping_address")
