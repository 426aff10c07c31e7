"""The migrations and the models describe the same schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

import db.models  # noqa: F401
from db import migrate
from db.engine import create_workspace_engine
from verifier.core.workspace import Workspace


def test_there_is_a_single_head() -> None:
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1


def test_the_head_read_without_alembic_is_alembics() -> None:
    """Commands read the head from the migration files without loading Alembic."""
    [head] = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert migrate.head_revision() == head


def test_upgraded_schema_matches_the_models(any_url: str) -> None:
    engine = create_workspace_engine(any_url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": migrate.include_name}
            )
            diff = compare_metadata(context, SQLModel.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_init_creates_then_reports_up_to_date(sqlite_url: str) -> None:
    workspace = Workspace(sqlite_url)
    assert workspace.initialise() == (None, migrate.head_revision())
    assert workspace.initialise() == (migrate.head_revision(), migrate.head_revision())
    assert "item" in inspect(workspace.engine).get_table_names()
    workspace.check_schema()
    workspace.close()


def test_an_uninitialised_workspace_says_what_to_run(sqlite_url: str) -> None:
    import pytest

    from verifier.core.errors import WorkspaceError

    workspace = Workspace(sqlite_url)
    with pytest.raises(WorkspaceError, match="verifier init"):
        workspace.check_schema()
    workspace.close()
