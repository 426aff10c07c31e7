"""What PostgreSQL refuses an assistant's login, whatever the client: raw SQL as psql would
send it. Each attempt fails with the server's permission error (SQLSTATE 42501)."""

from __future__ import annotations

import pytest
from psycopg import errors
from typer.testing import CliRunner

from tests.conftest import MINI
from tests.team_fixture import Team
from verifier.cli.app import app
from verifier.core.audit import verify_audit
from verifier.core.errors import PermissionDeniedError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review import decisions
from verifier.core.sources.registry import SourceFields, upsert_source


def _refused(team: Team, login: str, statement: str) -> str:
    with team.connect(login) as connection, pytest.raises(errors.InsufficientPrivilege) as refused:
        connection.execute(statement)
    return str(refused.value)


@pytest.fixture
def items(team: Team) -> Team:
    workspace = team.workspace(team.assistant)
    import_file(workspace, MINI / "items.csv", ImportOptions(team.assistant, auto_match=False))
    workspace.close()
    return team


ASSISTANT_REFUSED = [
    "INSERT INTO publication (edition_id, number, created_by, created_at, note, value_count, "
    "coverage, content_sha256, content) VALUES (1, 9, 'x', now(), '', 0, 0, 'x', '{}')",
    "UPDATE item SET status = 'verified' WHERE id = 1",
    "UPDATE item SET value_number = 1 WHERE id = 1",
    "UPDATE review_event SET reason = 'rewritten'",
    "DELETE FROM review_event",
    "ALTER TABLE review_event DISABLE TRIGGER review_event_no_change",
    "ALTER TABLE item DISABLE TRIGGER USER",
    "INSERT INTO source (key, title, publisher, language, url, file_path, file_sha256, "
    "origin, created_at) VALUES ('forged', 't', '', '', '', '', '', 'curated', now())",
    "INSERT INTO review_event (edition_id, actor, action, note, reason, payload, created_at) "
    "VALUES (1, 'x', 'publish', '', '', '{}', now())",
    # QA: only leads draw samples, adjudicate and reassign; nobody rewrites a second decision.
    "INSERT INTO qa_sample (edition_id, seed, size, population, scope, stratify, reviewers, "
    "created_by, created_at) VALUES (1, 1, 1, 1, '{}', '', '[]', 'x', now())",
    "INSERT INTO qa_adjudication (sample_id, item_id, status, reason, adjudicated_by, "
    "event_id, created_at) VALUES (1, 1, 'verified', 'x', 'x', 1, now())",
    "UPDATE sprint_assignment SET reviewer = 'x'",
    "DELETE FROM qa_review",
]


@pytest.mark.parametrize("statement", ASSISTANT_REFUSED)
def test_an_assistant_login_is_refused(items: Team, statement: str) -> None:
    _refused(items, items.assistant, statement)


def test_an_assistant_cannot_grant_itself_a_role(team: Team) -> None:
    _refused(team, team.assistant, f'GRANT "{team.prefix}_lead" TO "{team.assistant}"')
    _refused(team, team.assistant, f'GRANT "{team.prefix}_owner" TO "{team.assistant}"')


def test_an_analyst_only_reads(items: Team) -> None:
    with items.connect(items.analyst) as connection:
        assert connection.execute("SELECT count(*) FROM item").fetchone() == (4,)
    _refused(
        items,
        items.analyst,
        "INSERT INTO review_event (edition_id, actor, action, note, "
        "reason, payload, created_at) VALUES (1, 'x', 'note', '', '', '{}', now())",
    )


def test_an_events_actor_is_the_login_whatever_the_client_sends(items: Team) -> None:
    with items.connect(items.assistant) as connection:
        connection.execute(
            "INSERT INTO review_event (edition_id, item_id, actor, action, old_status, "
            "new_status, note, reason, payload, created_at) VALUES (1, 1, %s, 'note', "
            "'unverified', 'unverified', 'forged name', '', '{}', '2001-01-01T00:00Z')",
            (items.lead,),
        )
        actor, year = connection.execute(
            "SELECT actor, extract(year FROM created_at) FROM review_event "
            "WHERE note = 'forged name'"
        ).fetchone()
    assert actor == items.assistant and year > 2001
    workspace = items.workspace(items.lead)
    with workspace.reading() as session:
        assert verify_audit(session).intact  # the server linked it like any other event
    workspace.close()


def test_decisions_go_through_and_the_log_stays_whole(items: Team) -> None:
    workspace = items.workspace(items.assistant)
    with workspace.session() as session:
        event = decisions.set_status(session, 1, "verified", items.assistant)
    assert event.actor == items.assistant
    with workspace.session() as session:
        decisions.undo_last(session, 1, items.assistant)
    with workspace.reading() as session:
        assert verify_audit(session).intact
    # Not as anyone else.
    refused = pytest.raises(PermissionDeniedError, match="you act as your database login")
    with refused, workspace.session() as session:
        decisions.set_status(session, 2, "verified", items.lead)
    workspace.close()


def test_an_assistant_cannot_load_an_edition_or_change_a_source(items: Team) -> None:
    from verifier.core.editions import load_edition

    workspace = items.workspace(items.assistant)
    with pytest.raises(PermissionDeniedError, match="loading an edition needs the lead role"):
        load_edition(workspace, MINI, items.assistant)
    refused = pytest.raises(PermissionDeniedError, match="needs the lead role")
    with refused, workspace.session() as session:
        upsert_source(session, SourceFields("x-1", "A title"), items.assistant)
    workspace.close()


def test_user_option_cannot_name_someone_else(items: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VERIFIER_USER")
    runner = CliRunner()
    url = items.url(items.assistant)
    result = runner.invoke(app, ["--db", url, "--user", items.lead, "item", "note", "1", "x"])
    assert result.exit_code == 1
    assert f"you act as your database login ('{items.assistant}')" in result.stderr
    result = runner.invoke(app, ["--db", url, "item", "note", "1", "checked page 4"])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["--db", url, "reviewer", "add", "newbie", "--role", "lead"])
    assert result.exit_code == 1
    assert f"'{items.assistant}' lacks CREATEROLE" in result.stderr
    result = runner.invoke(app, ["--db", url, "publish", "--note", "x"])
    assert result.exit_code == 1 and "publishing needs the lead role" in result.stderr


def test_raw_sql_from_a_lead_is_checked_too(items: Team) -> None:
    with items.connect(items.lead) as connection:
        with pytest.raises(
            errors.InsufficientPrivilege, match="can only change together with the event"
        ):
            connection.execute("UPDATE item SET status = 'verified' WHERE id = 2")
        with pytest.raises(errors.InsufficientPrivilege):
            connection.execute("UPDATE review_event SET note = 'x'")


def test_an_assistant_adds_and_removes_only_learned_aliases(items: Team) -> None:
    """The alias guard, on an added and on a removed alias: curated ones are the lead's."""
    insert = (
        "INSERT INTO city_alias (city_id, name, script, language, origin, added_by, added_at) "
        "VALUES ('sa-riyadh', %s, 'latin', '', %s, 'x', now())"
    )
    with items.connect(items.assistant) as connection:
        with pytest.raises(errors.InsufficientPrivilege, match="only a lead may add a curated"):
            connection.execute(insert, ("Ar Riyad", "curated"))
        connection.execute(insert, ("Ar Riyadh", "learned"))
        added_by = connection.execute(
            "SELECT added_by FROM city_alias WHERE name = 'Ar Riyadh'"
        ).fetchone()
        assert added_by == (items.assistant,)  # the login, not what the client wrote
        with pytest.raises(errors.InsufficientPrivilege, match="only a lead may remove a curated"):
            connection.execute("DELETE FROM city_alias WHERE origin = 'curated'")
        connection.execute("DELETE FROM city_alias WHERE name = 'Ar Riyadh'")
    with items.connect(items.lead) as connection:
        connection.execute(insert, ("Ar Riyad", "curated"))
        connection.execute("DELETE FROM city_alias WHERE name = 'Ar Riyad'")
