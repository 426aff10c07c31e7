"""Workspaces built once per test process and copied for each test.

Migrating an empty schema and replaying a scenario cost far more than copying the result, and
most tests only need *a* workspace in a known state. A template is built the first time a
test asks for it (with the same code a test would run), then each test gets its own copy:

- SQLite: the template file, copied with SQLite's backup API;
- PostgreSQL: a fresh schema into which the template schema's dump (``pg_dump -n``) is
  replayed, dropped after the test (a database per test would cost a checkpoint to drop).

The folder the scenario was built from (edition copies, CSV files) is copied into the test's
``tmp_path`` too, so a test may change "its" files as if it had built the workspace itself.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

from db.engine import create_workspace_engine
from verifier.core.workspace import Workspace

Builder = Callable[[Workspace, Path], object]
TemplateCopy = Callable[[str, str, Builder], str]
"""``(backend, key, build)`` to the URL of a test's own copy of template ``key``."""


class WorkspaceTemplates:
    """Per-process store of built workspaces, keyed by the scenario's name."""

    def __init__(self, root: Path, pg_base: URL | None) -> None:
        self.root = root
        self.pg_base = pg_base
        self.tag = uuid.uuid4().hex[:8]
        self._built: set[str] = set()
        self._dumps: dict[str, tuple[str, str]] = {}  # key: (template schema, its dump)
        self._admin: Engine | None = None

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
        template = f"tmpl_{self.tag}_{key}"
        folder = self.root / "postgresql" / key
        if key not in self._dumps:
            self._execute(f'CREATE SCHEMA "{template}"')
            self._build(self._url(template), folder, build)
            self._dumps[key] = (template, _dump_schema(self._url(template), template))
        _copy_folder(folder, tmp_path)
        schema = f"t_{uuid.uuid4().hex[:12]}"
        name, dump = self._dumps[key]
        _replay(self._url(schema), dump.replace(name, schema))
        return self._url(schema), lambda: self._execute(f'DROP SCHEMA "{schema}" CASCADE')

    def _url(self, schema: str) -> str:
        assert self.pg_base is not None
        url = self.pg_base.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        assert self.pg_base is not None
        if self._admin is None:
            self._admin = create_engine(self.pg_base, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as connection:
            connection.execute(text(statement))

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
                self._execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        if self._admin is not None:
            self._admin.dispose()


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
    tmp_path_factory: pytest.TempPathFactory, pg_url: str, pg_reason: str | None
) -> Iterator[WorkspaceTemplates]:
    base = None if pg_reason else make_url(pg_url).set(drivername="postgresql+psycopg")
    store = WorkspaceTemplates(tmp_path_factory.mktemp("templates"), base)
    try:
        yield store
    finally:
        store.close()


def build_nothing(workspace: Workspace, folder: Path) -> None:
    """The empty, initialised workspace."""
