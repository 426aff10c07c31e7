"""A team workspace made before migration 0014, with data, upgraded: the lead gains the
seal (the import digest column and the lead-only ``seal`` event), and ``audit verify`` and
the lead's seal work on what was there. On the real PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alembic import command
from psycopg import errors
from sqlalchemy import text
from typer.testing import CliRunner

import db.team_guards
from db import migrate
from db.revision import head_revision
from db.team import refresh_guards
from tests.audit.test_seal import old_import, strip_digests
from tests.conftest import MINI
from tests.team_fixture import Team
from verifier.cli.app import app
from verifier.core.audit.seal import seal
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

SEAL_EVENT = (
    "INSERT INTO review_event (edition_id, actor, action, note, reason, payload, created_at) "
    "VALUES (1, 'x', 'seal', '', '', '{\"batch_digests\": {\"1\": \"ab\"}}', now())"
)


def revision(url: str) -> str:
    workspace = Workspace(url)
    try:
        with workspace.engine.connect() as connection:
            return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())
    finally:
        workspace.close()


@pytest.fixture
def at_0013(team: Team, monkeypatch: pytest.MonkeyPatch) -> Team:
    """Items imported and decided as before digests, then the workspace taken back to what
    0013 had: no import digest grant for leads, and an event guard that knows no seal."""
    assistant = team.workspace(team.assistant)
    with monkeypatch.context() as patched:
        old_import(patched)
        import_file(assistant, MINI / "items.csv", ImportOptions(team.assistant, auto_match=False))
    with assistant.session() as session:
        set_status(session, 1, "verified", team.assistant)
    assistant.close()
    strip_digests(team.admin_url)
    admin = Workspace(team.admin_url)
    try:
        command.downgrade(migrate.alembic_config(admin.engine), "0013")
        with monkeypatch.context() as patched, admin.engine.begin() as connection:
            before = tuple(a for a in db.team_guards.LEAD_ACTIONS if a != "seal")
            patched.setattr(db.team_guards, "LEAD_ACTIONS", before)
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            refresh_guards(connection, schema)
    finally:
        admin.close()
    assert revision(team.admin_url) == "0013"
    return team


def test_before_the_upgrade_a_leads_seal_is_refused_and_an_assistants_seal_event_is_not(
    at_0013: Team,
) -> None:
    with (
        at_0013.connect(at_0013.lead) as connection,
        pytest.raises(errors.InsufficientPrivilege),
    ):
        connection.execute("UPDATE item SET import_digest = 'ab' WHERE id = 1")
    with at_0013.connect(at_0013.assistant) as connection:
        connection.execute("BEGIN")
        connection.execute(SEAL_EVENT)  # 0013 did not know seals: nothing stopped it
        connection.execute("ROLLBACK")


def test_the_upgrade_keeps_the_data_verifiable_and_gives_the_lead_the_seal(
    at_0013: Team,
) -> None:
    runner = CliRunner()
    upgraded = runner.invoke(app, ["--db", at_0013.admin_url, "init"])
    assert upgraded.exit_code == 0, upgraded.output
    assert revision(at_0013.admin_url) == head_revision()

    lead_url = at_0013.url(at_0013.lead)
    before = audit(lead_url)
    assert (before["intact"], before["findings"]) == (True, [])
    assert (before["items"], before["items_without_digest"], before["batches_unsealed"]) == (
        4,
        4,
        1,
    )

    with (
        at_0013.connect(at_0013.assistant) as connection,
        pytest.raises(errors.InsufficientPrivilege),
    ):
        connection.execute(SEAL_EVENT)
    lead = at_0013.workspace(at_0013.lead)
    try:
        with lead.session() as session:
            sealed = seal(session, at_0013.lead)
        assert sealed.items == 4
    finally:
        lead.close()
    after = audit(lead_url)
    assert (after["intact"], after["findings"]) == (True, [])
    assert (after["items_without_digest"], after["batches_unsealed"]) == (0, 0)


def audit(url: str) -> dict[str, Any]:
    # In team mode who acts is the login: the tests' VERIFIER_USER would name someone else.
    result = CliRunner(env={"VERIFIER_USER": None}).invoke(
        app, ["--db", url, "audit", "verify", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document
