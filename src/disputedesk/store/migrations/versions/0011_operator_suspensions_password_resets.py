"""the operator's console: users and stores suspended (when, by whom, why) and password
reset links (kept as their SHA-256, one use, an expiry)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 16:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import disputedesk.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = disputedesk.store.types.UTCDateTime


def upgrade() -> None:
    for table in ("users", "stores"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("suspended_at", UTC(), nullable=True))
            batch.add_column(sa.Column("suspended_by", sa.String(length=320), nullable=True))
            batch.add_column(sa.Column("suspended_reason", sa.Text(), nullable=True))
    op.create_table(
        "password_resets",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("expires_at", UTC(), nullable=False),
        sa.Column("used_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    op.create_index(op.f("ix_password_resets_user_id"), "password_resets", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_password_resets_user_id"), table_name="password_resets")
    op.drop_table("password_resets")
    for table in ("stores", "users"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("suspended_reason")
            batch.drop_column("suspended_by")
            batch.drop_column("suspended_at")
