"""Sealing items imported before import digests: in team mode, a lead may write their digest

Revision ID: 0014
Revises: 0013
Create Date: 2027-01-27 09:00:00

No schema change. ``verifier audit seal`` gives items imported before 0012 their import and
match digests and records them in a ``seal`` event, a lead's action. In team mode the lead
group gains ``UPDATE (import_digest)`` on ``item`` and the event guard learns that a ``seal``
is a lead's (the guard functions are installed again from db/team.py). Elsewhere nothing.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _for_each_lead_group(statement: str) -> None:
    """Run ``statement`` (with ``%I`` standing for the group) once per lead group."""
    op.execute(
        f"""
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT role_name FROM team_role WHERE kind = 'lead' LOOP
        EXECUTE format('{statement}', r.role_name);
    END LOOP;
END $$"""
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from db.team import refresh_guards

    _for_each_lead_group("GRANT UPDATE (import_digest) ON item TO %I")
    refresh_guards(bind, bind.execute(text("SELECT current_schema()")).scalar_one())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _for_each_lead_group("REVOKE UPDATE (import_digest) ON item FROM %I")
