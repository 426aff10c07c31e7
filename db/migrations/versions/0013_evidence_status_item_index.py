"""The evidence results' status index carries the item id: (status, item_id)

Revision ID: 0013
Revises: 0012
Create Date: 2027-01-24 09:00:00

A page of the queue under the evidence filter, and the disagreements that lead the
unfiltered queue, are walks along one status in item id order. On SQLite the one-column
index on ``status`` already ended in the row id (the item id), so it is only renamed in
effect; on PostgreSQL equal keys are not kept in item order, so the planner had to sort
every item of the status. The new index replaces the old one on both.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_evidence_check_status_item_id"), "evidence_check", ["status", "item_id"]
    )
    op.drop_index(op.f("ix_evidence_check_status"), table_name="evidence_check")


def downgrade() -> None:
    op.create_index(op.f("ix_evidence_check_status"), "evidence_check", ["status"])
    op.drop_index(op.f("ix_evidence_check_status_item_id"), table_name="evidence_check")
