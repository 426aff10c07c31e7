"""PostgreSQL workspaces under a held lock: every session waits for a row, table or advisory
lock at most ``lock_timeout`` seconds (the same setting as SQLite's), then gives up with the
same one-line WorkspaceBusyError, and nothing is saved. The lock is held by another
connection, as a colleague's long transaction would."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, create_engine, text
from typer.testing import CliRunner

from db.engine import create_workspace_engine, normalize_url
from tests.conftest import MINI
from verifier.cli.app import app
from verifier.core.editions import load_edition
from verifier.core.errors import WorkspaceBusyError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review import decisions
from verifier.core.workspace import Workspace

BUSY = (
    "another writer (an import, or a colleague's command) kept the workspace locked for "
    "{s} s, so this gave up and saved nothing; run it again when that is done, or wait longer "
    "with the lock_timeout setting (VERIFIER_LOCK_TIMEOUT)"
)


@pytest.fixture
def items(pg_url: str) -> Iterator[Workspace]:
    workspace = Workspace(pg_url, lock_timeout=0.5)
    workspace.initialise()
    load_edition(workspace, MINI, "layla")
    import_file(workspace, MINI / "items.csv", ImportOptions("omar", auto_match=False))
    try:
        yield workspace
    finally:
        workspace.close()


@pytest.fixture
def holder(pg_url: str) -> Iterator[Connection]:
    """Another connection, in an open transaction (rolled back at the end)."""
    engine = create_engine(normalize_url(pg_url))
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield connection
    finally:
        if transaction.is_active:
            transaction.rollback()
        connection.close()
        engine.dispose()


def _statuses(workspace: Workspace) -> list[str]:
    with workspace.reading() as session:
        return list(session.execute(text("SELECT status FROM item ORDER BY id")).scalars())


def test_every_session_has_the_lock_timeout(pg_url: str) -> None:
    engine = create_workspace_engine(pg_url, lock_timeout=2.5)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW lock_timeout")).scalar_one() == "2500ms"
    finally:
        engine.dispose()
    engine = create_workspace_engine(pg_url, lock_timeout=0)  # "do not wait", not "forever"
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW lock_timeout")).scalar_one() == "1ms"
    finally:
        engine.dispose()


def test_a_decision_on_a_locked_row_gives_up_after_the_timeout(
    items: Workspace, holder: Connection
) -> None:
    holder.execute(text("SELECT id FROM item WHERE id = 1 FOR UPDATE"))
    started = time.monotonic()
    with pytest.raises(WorkspaceBusyError) as busy, items.session() as session:
        decisions.set_status(session, 1, "verified", "omar")
    waited = time.monotonic() - started
    assert str(busy.value) == BUSY.format(s="0.5")
    assert 0.4 < waited < 20  # bounded: not the server's default of waiting forever
    holder.rollback()
    assert _statuses(items)[0] == "unverified"


def test_a_locked_table_makes_the_command_line_say_busy_in_one_line(
    items: Workspace, holder: Connection
) -> None:
    holder.execute(text("LOCK TABLE review_event IN ACCESS EXCLUSIVE MODE"))
    result = CliRunner().invoke(
        app,
        ["--db", items.url, "--user", "omar", "item", "set-status", "1", "2",
         "--status", "verified"],
        env={"VERIFIER_LOCK_TIMEOUT": "1"},
    )  # fmt: skip
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"item 1: {BUSY.format(s='1')}" in lines
    assert (
        "item 2: not tried: the workspace is still locked by another writer; nothing saved" in lines
    )
    assert lines[-1] == "2 items: 0 decided, 2 failed."
    assert "Traceback" not in result.output and "LockNotAvailable" not in result.output
    holder.rollback()
    assert _statuses(items)[:2] == ["unverified", "unverified"]


def test_a_reader_waiting_on_a_migration_lock_says_busy(
    items: Workspace, holder: Connection
) -> None:
    holder.execute(text("LOCK TABLE item IN ACCESS EXCLUSIVE MODE"))
    result = CliRunner().invoke(
        app, ["--db", items.url, "items", "--format", "csv"], env={"VERIFIER_LOCK_TIMEOUT": "1"}
    )
    assert result.exit_code == 1
    assert result.stderr == f"error: {BUSY.format(s='1')}\n"
