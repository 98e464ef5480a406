"""the ruling assistant: the advice at each ruling and whether the arbitrator followed it

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 16:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import disputedesk.store.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = disputedesk.store.types.UTCDateTime
JSONDoc = disputedesk.store.types.JSONDoc


def upgrade() -> None:
    op.create_table(
        "ruling_advice",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("dispute_seq", sa.Integer(), nullable=False),
        sa.Column("principle", sa.Integer(), nullable=True),
        sa.Column("advice", JSONDoc, nullable=False),
        sa.Column("followed", sa.Boolean(), nullable=False),
        sa.Column("why_not", sa.Text(), nullable=True),
        sa.Column("ruled_by", sa.String(length=320), nullable=False),
        sa.Column("ruled_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id", "dispute_seq"],
            ["disputes.order_id", "disputes.seq"],
            name=op.f("fk_ruling_advice_order_id_disputes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ruling_advice")),
        sa.UniqueConstraint(
            "order_id", "dispute_seq", name=op.f("uq_ruling_advice_order_id_dispute_seq")
        ),
    )
    op.create_index(op.f("ix_ruling_advice_ruled_at"), "ruling_advice", ["ruled_at"])
    op.create_index(
        op.f("ix_ruling_advice_ruled_by_ruled_at"), "ruling_advice", ["ruled_by", "ruled_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_ruling_advice_ruled_by_ruled_at"), table_name="ruling_advice")
    op.drop_index(op.f("ix_ruling_advice_ruled_at"), table_name="ruling_advice")
    op.drop_table("ruling_advice")
