"""Team mode: the source history is written by leads with their change, never rewritten by
anyone, and a lead's raw rewrite of a source row is found by ``audit verify``."""

from __future__ import annotations

import pytest
from psycopg import errors
from sqlmodel import col, select
from typer.testing import CliRunner

from db.models import SourceVersion
from tests.team_fixture import Team
from verifier.cli.app import app
from verifier.core.audit import verify_audit

KEY = "yearbook-2023"
VERSION_ROW = (
    "INSERT INTO source_version (source_id, version, key, title, publisher, language, url, "
    "file_path, file_sha256, origin, recorded_by, recorded_at) "
    "SELECT id, 9, key, 'Forged', '', '', '', '', '', 'curated', 'x', now() FROM source"
)


def test_a_leads_source_change_is_a_version_recorded_as_the_login(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VERIFIER_USER")
    url = team.url(team.lead)
    result = CliRunner().invoke(app, ["--db", url, "source", "add", KEY, "--title", "New"])
    assert result.exit_code == 0, result.stderr
    workspace = team.workspace(team.analyst)
    with workspace.reading() as session:
        query = select(SourceVersion).where(SourceVersion.key == KEY)
        rows = session.exec(query.order_by(col(SourceVersion.version))).all()
        audited = verify_audit(session)
    workspace.close()
    assert [(v.version, v.title, v.recorded_by) for v in rows] == [
        (1, "Statistical Yearbook 2023", team.lead),
        (2, "New", team.lead),
    ]
    assert audited.intact, audited.findings


@pytest.mark.parametrize(
    ("login", "statement", "message"),
    [
        ("assistant", VERSION_ROW, "permission denied for table source_version"),
        ("assistant", "UPDATE source SET title = 'Forged'", "permission denied for table source"),
        ("lead", "UPDATE source_version SET title = 'Forged'",
         "permission denied for table source_version"),
        ("lead", "DELETE FROM source_version", "permission denied for table source_version"),
        ("lead", "ALTER TABLE source_version DISABLE TRIGGER USER",
         "must be owner of table source_version"),
    ],
)  # fmt: skip
def test_the_history_cannot_be_rewritten(
    team: Team, login: str, statement: str, message: str
) -> None:
    # Only the owner has these privileges: the server refuses before any trigger runs.
    refused = pytest.raises(errors.InsufficientPrivilege, match=f"^{message}$")
    with team.connect(getattr(team, login)) as connection, refused:
        connection.execute(statement)


def test_a_leads_raw_rewrite_of_a_source_is_detected(team: Team) -> None:
    with team.connect(team.lead) as connection:
        connection.execute(f"UPDATE source SET title = 'Forged' WHERE key = '{KEY}'")
        connection.execute(VERSION_ROW + f" WHERE key = '{KEY}'")
    workspace = team.workspace(team.analyst)
    with workspace.reading() as session:
        messages = [f.message for f in verify_audit(session).findings]
    workspace.close()
    assert any(f"source '{KEY}': its row differs from its last recorded version 9" in m
               for m in messages)  # fmt: skip
    assert any(f"source '{KEY}' version 9 has no event in the log" in m for m in messages)
