"""The evidence check's results: one row per item, tied to the document's sha256

Revision ID: 0011
Revises: 0008
Create Date: 2027-01-12 09:00:00

A new table; nothing existing is touched. Rows are derived (the check can always be run
again), so they cascade away with their item.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0011"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = (
    "no_document", "no_text", "snippet_not_found", "value_differs", "page_mismatch", "match",
)  # fmt: skip


def upgrade() -> None:
    allowed = ", ".join(f"'{status}'" for status in STATUSES)
    op.create_table(
        "evidence_check",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("found_value", sa.Float(), nullable=True),
        sa.Column("found_text", sa.String(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("quote_start", sa.Integer(), nullable=True),
        sa.Column("quote_end", sa.Integer(), nullable=True),
        sa.Column("value_start", sa.Integer(), nullable=True),
        sa.Column("value_end", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("hint", sa.String(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("checked_by", sa.String(length=64), nullable=False),
        sa.Column("checked_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"status IN ({allowed})", name=op.f("ck_evidence_check_status")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_evidence_check_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_evidence_check")),
    )  # fmt: skip
    op.create_index(op.f("ix_evidence_check_sha256"), "evidence_check", ["sha256"])
    op.create_index(op.f("ix_evidence_check_status"), "evidence_check", ["status"])


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_check_status"), table_name="evidence_check")
    op.drop_index(op.f("ix_evidence_check_sha256"), table_name="evidence_check")
    op.drop_table("evidence_check")
