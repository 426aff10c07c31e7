"""A partial index of the items whose city a person set

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 17:20:00

Whenever the matcher is built (each import, and the review UI after a city decision) it
reads the (label, city) pairs people confirmed. Without an index of those it read every
item of the edition that has a city. The index holds only the items a person matched, so
that read no longer grows with the workspace, and imports of automatically matched rows do
not write to it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# As the model states it (db.models.items.PERSON_MATCHED), frozen here.
PERSON_MATCHED = "match_method IN ('bulk', 'confirmed', 'manual')"
revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_item_person_match", "item", ["edition_id", "raw_label", "city_id"],
        sqlite_where=sa.text(PERSON_MATCHED), postgresql_where=sa.text(PERSON_MATCHED),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_item_person_match", table_name="item")
