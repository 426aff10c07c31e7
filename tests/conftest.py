"""Shared fixtures: isolated settings, SQLite and PostgreSQL workspaces, the mini edition."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.pg_schemas import SchemaOwner
from tests.workspace_templates import (
    Builder,
    TemplateCopy,
    WorkspaceTemplates,
    build_nothing,
    open_copy,
    schema_owner_for,
    templates_for,
)
from verifier.core.workspace import Workspace

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "las2024"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own config, state or environment must never leak into a test."""
    for name in list(os.environ):
        if name.startswith("VERIFIER_") and name not in ("VERIFIER_TEST_PG", "VERIFIER_REQUIRE_PG"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("VERIFIER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("VERIFIER_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("VERIFIER_USER", "tester")


def _pg_url() -> str:
    return os.environ.get("VERIFIER_TEST_PG", DEFAULT_PG)


def _pg_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    url = make_url(_pg_url()).set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # any failure to reach the server means "skip, and say why"
        return f"PostgreSQL at {_pg_url()} is not reachable ({type(error).__name__})"
    return None


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish() -> None:
    """Collect the garbage and freeze the rest before an xdist worker reports its end.
    After that report pytest collects five times over (for unraisable exceptions) while
    the controller allows the worker 5 s before sending it SIGINT; over a worker's large
    heap on a loaded machine those passes took longer, and the interrupt landed in a
    collection callback as an unraisable KeyboardInterrupt. Frozen, they are quick."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def pg_reason() -> str | None:
    return _pg_unavailable()


def _require_pg(reason: str | None) -> None:
    """Skip (or, when VERIFIER_REQUIRE_PG is set, fail) a test that needs PostgreSQL."""
    if reason is not None:
        if os.environ.get("VERIFIER_REQUIRE_PG"):
            pytest.fail(f"VERIFIER_REQUIRE_PG is set but {reason}")
        pytest.skip(f"{reason}; set VERIFIER_TEST_PG to run the team-mode tests")


@pytest.fixture(scope="session", autouse=True)
def schema_owner(pg_reason: str | None) -> Iterator[SchemaOwner | None]:
    """Names this process's PostgreSQL schemas. Every run sweeps those of killed runs at
    start, whether or not its own tests use the server."""
    yield from schema_owner_for(_pg_url(), pg_reason)


@pytest.fixture
def pg_url(pg_reason: str | None, schema_owner: SchemaOwner | None) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    _require_pg(pg_reason)
    assert schema_owner is not None
    with schema_owner.fresh_schema() as url:
        yield url


@pytest.fixture(scope="session")
def templates(
    tmp_path_factory: pytest.TempPathFactory, schema_owner: SchemaOwner | None
) -> Iterator[WorkspaceTemplates]:
    """Workspaces built once per test process; see tests/workspace_templates.py."""
    yield from templates_for(tmp_path_factory, schema_owner)


@pytest.fixture
def template_copy(
    request: pytest.FixtureRequest, templates: WorkspaceTemplates, tmp_path: Path
) -> TemplateCopy:
    """``template_copy(backend, key, build)``: the URL of this test's own copy."""

    def copy(backend: str, key: str, build: Builder) -> str:
        if backend == "sqlite":
            return templates.sqlite(key, build, tmp_path)
        _require_pg(request.getfixturevalue("pg_reason"))
        url, drop = templates.postgresql(key, build, tmp_path)
        request.addfinalizer(drop)
        return url

    return copy


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'workspace.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest) -> str:
    """Both backends: for behaviour that must hold in solo and in team mode."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def workspace(template_copy: TemplateCopy) -> Iterator[Workspace]:
    """An empty, initialised SQLite workspace (at ``sqlite_url``)."""
    yield from open_copy(template_copy("sqlite", "empty", build_nothing))


@pytest.fixture(params=["sqlite", "postgresql"])
def any_workspace(
    request: pytest.FixtureRequest, template_copy: TemplateCopy
) -> Iterator[Workspace]:
    """An empty, initialised workspace on each backend."""
    yield from open_copy(template_copy(request.param, "empty", build_nothing))


def load_mini(workspace: Workspace, folder: Path) -> None:
    from verifier.core.editions import load_edition

    load_edition(workspace, MINI, "layla")


@pytest.fixture
def mini(template_copy: TemplateCopy) -> Iterator[Workspace]:
    """The four-city test edition, loaded (no items), on SQLite (at ``sqlite_url``)."""
    yield from open_copy(template_copy("sqlite", "mini", load_mini))
