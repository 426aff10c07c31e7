"""The items' status index carries the item id: (edition_id, status, id)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 01:10:00

The review queue as it opens is the edition's unverified items in id order, a page at a
time. On SQLite the (edition_id, status) index already ended in the row id, so it is only
renamed in effect; on PostgreSQL equal keys are not kept in id order, so without
statistics the planner gathered every unverified item and sorted them for one page
(187,000 items, 0.44 s at 250,000). The new index replaces the old one on both.

On PostgreSQL the tables the review reads are then analysed: a server with autovacuum off
has no statistics after a large import, and the planner, taking the edition for a few
hundred rows, chose plans that read every item for one page. Migrations run as the
tables' owner, who alone may analyse them.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables the review UI's queue, item view and colleague feed read.
ANALYSED = ("item", "evidence_check", "review_event", "item_tally")


def upgrade() -> None:
    op.create_index("ix_item_edition_status_id", "item", ["edition_id", "status", "id"])
    op.drop_index("ix_item_edition_status", table_name="item")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ANALYZE {', '.join(ANALYSED)}")


def downgrade() -> None:
    op.create_index("ix_item_edition_status", "item", ["edition_id", "status"])
    op.drop_index("ix_item_edition_status_id", table_name="item")
