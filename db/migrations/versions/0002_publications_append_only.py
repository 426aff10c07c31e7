"""publications and conflict resolutions are append-only

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 16:00:00
"""

from collections.abc import Sequence

from alembic import op

from db.immutability import PG_FUNCTION, allow_changes, forbid_changes, pg_function_sql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("publication", "publication_value", "publication_evidence", "conflict_resolution")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(pg_function_sql())
    for table in TABLES:
        for statement in forbid_changes(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for statement in allow_changes(dialect, table):
            op.execute(statement)
    if dialect == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
