"""Tamper evidence for imported items: each item's import and match digests

Revision ID: 0012
Revises: 0011
Create Date: 2027-01-20 09:00:00

Two nullable columns on ``item`` (ADD COLUMN: no table rebuild, the triggers stay). Items
imported before have none and are counted by ``audit verify`` as not covered; nothing is
backfilled, since a digest computed now would vouch for rows as they are, not as imported.
In team mode the assistants' column grant gains ``match_digest`` (a lead's rematch writes it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("item", sa.Column("import_digest", sa.String(length=32), nullable=True))
    op.add_column("item", sa.Column("match_digest", sa.String(length=32), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT role_name FROM team_role WHERE kind = 'assistant' LOOP
        EXECUTE format('GRANT UPDATE (match_digest) ON item TO %I', r.role_name);
    END LOOP;
END $$"""
        )


def downgrade() -> None:
    op.drop_column("item", "match_digest")
    op.drop_column("item", "import_digest")
