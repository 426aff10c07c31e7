"""Workspaces built once per test process and copied for each test.

Migrating an empty schema and replaying a scenario cost far more than copying the result, and
most tests only need *a* workspace in a known state. A template is built the first time a
test asks for it (with the same code a test would run), then each test gets its own copy:

- SQLite: the template file, copied with SQLite's backup API;
- PostgreSQL: a fresh schema into which the template schema's dump (``pg_dump -n``) is
  replayed, dropped after the test (a database per test would cost a checkpoint to drop).
  Schema names carry the process's owner tag, so a killed run's are swept by the next one
  (tests/pg_schemas.py).

The folder the scenario was built from (edition copies, CSV files) is copied into the test's
``tmp_path`` too, so a test may change "its" files as if it had built the workspace itself.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from db.engine import create_workspace_engine
from tests.pg_schemas import SchemaOwner
from verifier.core.workspace import Workspace

Builder = Callable[[Workspace, Path], object]
TemplateCopy = Callable[[str, str, Builder], str]
"""``(backend, key, build)`` to the URL of a test's own copy of template ``key``."""


class WorkspaceTemplates:
    """Per-process store of built workspaces, keyed by the scenario's name."""

    def __init__(self, root: Path, owner: SchemaOwner | None) -> None:
        self.root = root
        self.owner = owner
        self._built: set[str] = set()
        self._dumps: dict[str, tuple[str, str]] = {}  # key: (template schema, its dump)

    # SQLite --------------------------------------------------------------------------------

    def sqlite(self, key: str, build: Builder, tmp_path: Path) -> str:
        folder = self.root / "sqlite" / key
        template = folder.parent / f"{key}.db"
        if f"sqlite:{key}" not in self._built:
            self._build(f"sqlite:///{template}", folder, build)
            self._built.add(f"sqlite:{key}")
        _copy_folder(folder, tmp_path)
        target = tmp_path / "workspace.db"
        source, copy = sqlite3.connect(template), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        return f"sqlite:///{target}"

    # PostgreSQL ----------------------------------------------------------------------------

    def postgresql(
        self, key: str, build: Builder, tmp_path: Path
    ) -> tuple[str, Callable[[], None]]:
        """A fresh schema holding a copy of template ``key``, and what drops it."""
        assert self.owner is not None
        owner = self.owner
        template = owner.schema_name(key)
        folder = self.root / "postgresql" / key
        if key not in self._dumps:
            owner.execute(f'CREATE SCHEMA "{template}"')
            self._build(owner.url(template), folder, build)
            self._dumps[key] = (template, _dump_schema(owner.url(template), template))
        _copy_folder(folder, tmp_path)
        schema = owner.schema_name()
        name, dump = self._dumps[key]
        _replay(owner.url(schema), dump.replace(name, schema))
        return owner.url(schema), lambda: owner.execute(f'DROP SCHEMA "{schema}" CASCADE')

    # Both ----------------------------------------------------------------------------------

    def _build(self, url: str, folder: Path, build: Builder) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        workspace = Workspace(url, create_workspace_engine(url))
        try:
            workspace.initialise()
            build(workspace, folder)
        finally:
            workspace.close()

    def close(self) -> None:
        """Drop the template schemas this process built."""
        for name, _ in self._dumps.values():
            with suppress(Exception):  # a server gone at exit leaves nothing to drop
                assert self.owner is not None
                self.owner.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def _client(program: str) -> str:
    """A PostgreSQL client program, on PATH or beside the server's."""
    found = shutil.which(program)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"))
    if not candidates:
        pytest.fail(f"{program} (the PostgreSQL client) is needed to copy test workspaces")
    return str(candidates[-1])


def _libpq_arguments(url: str) -> list[str]:
    parsed = make_url(url)
    return [
        "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432),
        "-U", parsed.username or "postgres", "-d", parsed.database or "postgres",
    ]  # fmt: skip


def _dump_schema(url: str, schema: str) -> str:
    command = [
        _client("pg_dump"),
        *_libpq_arguments(url),
        "-n",
        schema,
        "--no-owner",
        "--no-privileges",
    ]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _replay(url: str, dump: str) -> None:
    command = [_client("psql"), *_libpq_arguments(url), "-q", "-1", "-v", "ON_ERROR_STOP=1"]
    done = subprocess.run(command, input=dump, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"copying a template workspace failed: {done.stderr[:2000]}")


def _copy_folder(source: Path, target: Path) -> None:
    if source.exists():
        shutil.copytree(source, target, dirs_exist_ok=True)


def open_copy(url: str) -> Iterator[Workspace]:
    workspace = Workspace(url, create_workspace_engine(url))
    workspace.initialise()  # already current: only reads the revision
    try:
        yield workspace
    finally:
        workspace.close()


def templates_for(
    tmp_path_factory: pytest.TempPathFactory, owner: SchemaOwner | None
) -> Iterator[WorkspaceTemplates]:
    store = WorkspaceTemplates(tmp_path_factory.mktemp("templates"), owner)
    try:
        yield store
    finally:
        store.close()


def schema_owner_for(pg_url: str, pg_reason: str | None) -> Iterator[SchemaOwner | None]:
    """This process's owner of test schemas, after sweeping those of runs that are gone."""
    if pg_reason is not None:
        yield None
        return
    owner = SchemaOwner(make_url(pg_url).set(drivername="postgresql+psycopg"))
    try:
        owner.sweep()
        yield owner
    finally:
        owner.close()


def build_nothing(workspace: Workspace, folder: Path) -> None:
    """The empty, initialised workspace."""
