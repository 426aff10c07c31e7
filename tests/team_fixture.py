"""The team fixture (imported by tests/team and tests/tui conftests). A team workspace on the real PostgreSQL: a fresh copy of an empty workspace, ``team init`` with roles of a
unique prefix (roles belong to the whole server, other developers' tests run beside these),
a lead and an assistant login, the mini edition loaded by the lead. Everything dropped after."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import MINI
from tests.pg_schemas import SchemaOwner
from tests.workspace_templates import TemplateCopy, build_nothing
from verifier.core.editions import load_edition
from verifier.core.people.team import add_team_reviewer, init_team
from verifier.core.workspace import Workspace


@dataclass
class Team:
    admin_url: str
    prefix: str
    lead: str
    assistant: str
    analyst: str

    def url(self, login: str) -> str:
        return make_url(self.admin_url).set(username=login).render_as_string(hide_password=False)

    def workspace(self, login: str) -> Workspace:
        return Workspace(self.url(login))

    def connect(self, login: str) -> psycopg.Connection:  # type: ignore[type-arg]
        """A plain libpq connection as ``login``, as psql would open it."""
        url = make_url(self.url(login))
        return psycopg.connect(
            host=url.host,
            port=url.port,
            user=login,
            dbname=url.database,
            options=url.query["options"],
            autocommit=True,
        )


@pytest.fixture
def team(template_copy: TemplateCopy, schema_owner: SchemaOwner | None) -> Iterator[Team]:
    pg_url = template_copy("postgresql", "empty", build_nothing)
    assert schema_owner is not None  # the copy above needs the server
    suffix = schema_owner.role_suffix()  # tagged: a killed run's roles are swept
    prefix = f"vt_{suffix}"
    names = Team(pg_url, prefix, f"lead_{suffix}", f"asst_{suffix}", f"anal_{suffix}")
    admin = Workspace(pg_url)
    admin.initialise()
    try:
        init_team(admin, prefix)
        add_team_reviewer(admin, names.lead, "lead", "Lead")
        add_team_reviewer(admin, names.assistant, "assistant", "Assistant")
        add_team_reviewer(admin, names.analyst, "analyst", "")
        lead = names.workspace(names.lead)
        load_edition(lead, MINI, names.lead)
        lead.close()
        yield names
    finally:
        admin.close()
        _drop_roles(pg_url, prefix, [names.lead, names.assistant, names.analyst])


def _drop_roles(url: str, prefix: str, logins: list[str]) -> None:
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    groups = [f"{prefix}_{kind}" for kind in ("lead", "assistant", "analyst", "owner")]
    with engine.begin() as connection:
        for role in [*logins, *groups]:
            exists = connection.execute(
                text("SELECT count(*) FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).scalar_one()
            if exists:
                connection.execute(text(f'DROP OWNED BY "{role}" CASCADE'))
                connection.execute(text(f'DROP ROLE "{role}"'))
    engine.dispose()
