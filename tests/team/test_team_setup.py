"""``verifier team init`` and role grants on the real PostgreSQL."""

from __future__ import annotations

from sqlmodel import SQLModel, col, select

import db.models  # noqa: F401
from db.models import ReviewEvent
from db.team import TABLE_GRANTS
from tests.team_fixture import Team
from verifier.core.audit import verify_audit


def test_every_table_has_its_team_grants() -> None:
    """Adding a table? Give it a line in db/team_policy.py TABLE_GRANTS (team init refuses
    without one)."""
    tables = set(SQLModel.metadata.tables) | {"alembic_version"}
    assert sorted(tables - set(TABLE_GRANTS)) == []


def test_the_team_workspace_is_set_up(team: Team) -> None:
    workspace = team.workspace(team.lead)
    with workspace.reading() as session:
        events = session.exec(select(ReviewEvent).order_by(col(ReviewEvent.seq))).all()
        assert verify_audit(session).intact
    workspace.close()
    grants = [e for e in events if e.action == "role_grant"]
    assert [
        (e.payload["reviewer"], e.payload["old_role"], e.payload["new_role"]) for e in grants
    ] == [
        (team.lead, None, "lead"),
        (team.assistant, None, "assistant"),
        (team.analyst, None, "analyst"),
    ]
    assert {e.actor for e in grants} == {"postgres"}
    load = [e for e in events if e.action == "edition_load"]
    assert [e.actor for e in load] == [team.lead]
    assert {e.actor for e in events if e.action == "source_add"} == {team.lead}
