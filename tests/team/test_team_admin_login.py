"""Team set-up as the README says: an administrator login with CREATEROLE that is not a
superuser (the team fixture's administrator is the server's superuser, whom PostgreSQL asks
for no privilege at all)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.pg_schemas import SchemaOwner
from tests.team_fixture import _drop_roles
from verifier.cli.app import app
from verifier.core.people.team import add_team_reviewer, init_team
from verifier.core.workspace import Workspace


def test_team_init_by_an_administrator_who_is_not_a_superuser(
    pg_url: str, schema_owner: SchemaOwner
) -> None:
    suffix = schema_owner.role_suffix()
    prefix, admin, assistant = f"vt_{suffix}", f"lead_{suffix}", f"asst_{suffix}"  # swept names
    schema = make_url(pg_url).query["options"].removeprefix("-csearch_path=")
    schema_owner.execute(f'CREATE ROLE "{admin}" LOGIN CREATEROLE')
    schema_owner.execute(f'ALTER SCHEMA "{schema}" OWNER TO "{admin}"')
    url = make_url(pg_url).set(username=admin).render_as_string(hide_password=False)
    workspace = Workspace(url)
    try:
        workspace.initialise()
        init_team(workspace, prefix)  # was: permission denied for schema
        add_team_reviewer(workspace, assistant, "assistant", "")
        with workspace.reading() as session:
            owners = set(
                session.execute(
                    text("SELECT tableowner FROM pg_tables WHERE schemaname = :s"), {"s": schema}
                ).scalars()
            )
        assert owners == {f"{prefix}_owner"}
    finally:
        workspace.close()
        schema_owner.execute(f'ALTER SCHEMA "{schema}" OWNER TO CURRENT_USER')  # kept, to drop
        _drop_roles(pg_url, prefix, [assistant, admin])


def test_team_init_by_a_login_that_does_not_own_the_tables_is_one_line(
    pg_url: str, schema_owner: SchemaOwner
) -> None:
    """The server's refusal of a statement run on the driver's own cursor reached the
    terminal as a traceback."""
    suffix = schema_owner.role_suffix()
    admin = f"lead_{suffix}"
    Workspace(pg_url).initialise()  # the tables belong to someone else
    schema_owner.execute(f'CREATE ROLE "{admin}" LOGIN CREATEROLE')
    schema = make_url(pg_url).query["options"].removeprefix("-csearch_path=")
    schema_owner.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{admin}"')
    schema_owner.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{admin}"')
    url = make_url(pg_url).set(username=admin).render_as_string(hide_password=False)
    try:
        result = CliRunner().invoke(app, ["--db", url, "team", "init"])
    finally:
        _drop_roles(pg_url, f"vt_{suffix}", [admin])
    assert result.exit_code == 1, result.exception
    assert result.output.startswith("error: the database refused: permission denied for schema")
    assert "Your login's role does not allow this" in result.output
