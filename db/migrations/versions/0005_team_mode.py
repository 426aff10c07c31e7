"""team mode: workspace-wide events, the analyst role, team roles, the server links events

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02 12:00:00

- ``review_event.edition_id`` may be NULL: role grants and source documents concern the
  whole workspace, not one edition.
- ``reviewer.role`` may be ``analyst`` (read-only).
- ``team_role`` names the database roles ``verifier team init`` creates (PostgreSQL).
- PostgreSQL links every review event into the hash chain at COMMIT (db/chain_sql.py).

On SQLite the first two are loosened constraints, which change nothing stored: the table
definitions are edited in place (SQLite's documented ``writable_schema`` procedure for such
changes) rather than copied, because a batch copy would drop the append-only triggers and
break the foreign keys that point at these tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from db.chain_sql import chain_sql, execute_plain, unchain_sql

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES_BEFORE = "role IN ('assistant', 'lead')"
ROLES_AFTER = "role IN ('assistant', 'lead', 'analyst')"
EDITION_BEFORE = "edition_id INTEGER NOT NULL"
EDITION_AFTER = "edition_id INTEGER"


def upgrade() -> None:
    op.create_table(
        "team_role",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("role_name", sqlmodel.sql.sqltypes.AutoString(length=63), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_team_role")),
        sa.UniqueConstraint("role_name", name=op.f("uq_team_role_role_name")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _edit_sqlite_table("review_event", EDITION_BEFORE, EDITION_AFTER)
        _edit_sqlite_table("reviewer", ROLES_BEFORE, ROLES_AFTER)
        return
    op.alter_column("review_event", "edition_id", existing_type=sa.Integer(), nullable=True)
    op.execute("ALTER TABLE reviewer DROP CONSTRAINT ck_reviewer_role")
    op.execute(f"ALTER TABLE reviewer ADD CONSTRAINT ck_reviewer_role CHECK ({ROLES_AFTER})")
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    execute_plain(bind, chain_sql(schema))


def downgrade() -> None:
    bind = op.get_bind()
    workspace_wide = bind.execute(
        sa.text("SELECT count(*) FROM review_event WHERE edition_id IS NULL")
    ).scalar_one()
    if workspace_wide:
        raise RuntimeError(
            f"{workspace_wide} workspace-wide event(s) (role grants, sources) cannot be kept "
            "by schema 0003; the log is append-only, so this downgrade is refused"
        )
    analysts = bind.execute(
        sa.text("SELECT count(*) FROM reviewer WHERE role = 'analyst'")
    ).scalar_one()
    if analysts:
        raise RuntimeError(f"{analysts} analyst(s) cannot be kept by schema 0003")
    if bind.dialect.name == "sqlite":
        _edit_sqlite_table("review_event", EDITION_AFTER, EDITION_BEFORE)
        _edit_sqlite_table("reviewer", ROLES_AFTER, ROLES_BEFORE)
    else:
        execute_plain(bind, unchain_sql())
        op.alter_column("review_event", "edition_id", existing_type=sa.Integer(), nullable=False)
        op.execute("ALTER TABLE reviewer DROP CONSTRAINT ck_reviewer_role")
        op.execute(f"ALTER TABLE reviewer ADD CONSTRAINT ck_reviewer_role CHECK ({ROLES_BEFORE})")
    op.drop_table("team_role")


def _edit_sqlite_table(table: str, before: str, after: str) -> None:
    """Change a constraint in the stored CREATE TABLE text, for changes that leave every
    stored row valid (https://sqlite.org/lang_altertable.html, "other kinds of changes")."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    if sql.count(before) != 1:
        raise RuntimeError(f"unexpected definition of {table}: cannot find '{before}'")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
        (sql.replace(before, after), table),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version={version + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")
