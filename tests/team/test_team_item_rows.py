"""Team mode: an item row forged by the database owner (the one login the grants do not
stop) blocks a lead's publish, and an analyst's ``audit verify`` names it, as do a
publication row rewritten with the triggers out of the way and the triggers left off."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tests.conftest import MINI
from tests.team_fixture import Team
from verifier.cli.app import app
from verifier.core.cities.decisions import set_item_city
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review import decisions


def run(team: Team, login: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", team.url(login), *args])
    return result.exit_code, result.stdout, result.stderr


def owner(team: Team, *statements: str) -> None:
    engine = create_engine(team.admin_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def test_forged_rows_block_a_leads_publish_and_an_analyst_sees_them(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VERIFIER_USER")  # in team mode, who acts is the login
    workspace = team.workspace(team.assistant)
    import_file(workspace, MINI / "items.csv", ImportOptions(team.assistant, auto_match=False))
    with workspace.session() as session:
        set_item_city(session, 1, "sa-riyadh", team.assistant)
        decisions.set_status(session, 1, "verified", team.assistant)
    workspace.close()
    code, out, err = run(team, team.lead, "publish", "--note", "first")
    assert code == 0, err
    assert run(team, team.analyst, "audit", "verify")[0] == 0
    owner(team, "UPDATE item SET value_normalized = 12345 WHERE id = 1")
    code, out, err = run(team, team.lead, "publish", "--note", "forged")
    assert code == 1
    assert "item 1: its row says value_normalized 12345.0, the log says 99.1 (event #" in err
    code, out, _ = run(team, team.analyst, "audit", "verify")
    assert code == 1
    assert "- [item_row] item 1: its row says value_normalized 12345.0, the log says 99.1" in out
    owner(
        team,
        "UPDATE item SET value_normalized = 99.1 WHERE id = 1",
        "ALTER TABLE publication_value DISABLE TRIGGER USER",
        "UPDATE publication_value SET value = 1",
    )
    code, out, _ = run(team, team.analyst, "audit", "verify")
    assert code == 1
    assert "- [guard] table publication_value is no longer append-only" in out
    assert (
        "- [published_rows] publication 1 (#1): value row sa-riyadh · TRD-WATER says value "
        "1.0, its hashed content says 99.1"
    ) in out
    code, out, _ = run(team, team.analyst, "publication", "show", "1")
    assert code == 1 and "(verified)" not in out
