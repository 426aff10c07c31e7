"""SQLite workspaces under a held write lock: readers carry on, a writer says it waits and
waits a bounded, configurable time, then gives up with one line, and an import holds the
lock only for its write. The lock is held by another process, as a long import would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import MINI
from verifier.cli.app import app
from verifier.core.errors import WorkspaceBusyError
from verifier.core.importing import ImportOptions, import_file, prepare
from verifier.core.review import decisions
from verifier.core.workspace import Workspace

HOLD_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE reviewer SET role = role")
print("locked", flush=True)
sys.stdin.read()  # until the test lets go
connection.execute("COMMIT")
"""


class LockHolder:
    """Another process holding the workspace's write lock, as a long import does."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD_LOCK, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline() == "locked\n"

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


@pytest.fixture
def items(mini: Workspace) -> Workspace:
    import_file(mini, MINI / "items.csv", ImportOptions("omar", auto_match=False))
    return mini


@pytest.fixture
def lock_held(items: Workspace) -> Iterator[LockHolder]:
    assert items.engine.url.database is not None
    holder = LockHolder(Path(items.engine.url.database))
    try:
        yield holder
    finally:
        holder.release()


def _cli(workspace: Workspace, *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(app, ["--db", workspace.url, *args], env=env)


def _statuses(workspace: Workspace) -> list[str]:
    with workspace.reading() as session:
        return list(session.execute(text("SELECT status FROM item ORDER BY id")).scalars())


def test_reading_commands_run_while_another_process_holds_the_write_lock(
    items: Workspace, lock_held: LockHolder
) -> None:
    env = {"VERIFIER_LOCK_TIMEOUT": "0"}  # any wait for the lock would fail at once
    status = _cli(items, "status", env=env)
    assert status.exit_code == 0, status.output
    assert "unverified" in status.stdout
    listing = _cli(items, "items", "--format", "json", env=env)
    assert listing.exit_code == 0, listing.output
    assert "waiting" not in status.stderr + listing.stderr


def test_checking_an_up_to_date_schema_takes_no_write_lock(
    items: Workspace, lock_held: LockHolder
) -> None:
    workspace = Workspace(items.url, lock_timeout=0)
    try:
        workspace.check_schema()
        before, after = workspace.initialise()  # nothing to migrate: only read
        assert before == after
    finally:
        workspace.close()


def test_a_writer_says_it_waits_then_gives_up_with_one_line(
    items: Workspace, lock_held: LockHolder
) -> None:
    result = _cli(
        items, "--user", "omar", "item", "set-status", "1", "2", "--status", "verified",
        env={"VERIFIER_LOCK_TIMEOUT": "1"},
    )  # fmt: skip
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    waiting = [line for line in lines if line.startswith("waiting for another writer")]
    assert waiting == [
        "waiting for another writer (an import?) to finish with the workspace; giving up "
        "after 1 s (setting lock_timeout, VERIFIER_LOCK_TIMEOUT)..."
    ]
    assert (
        "item 1: another writer (an import, or a colleague's command) kept the workspace "
        "locked for 1 s, so this gave up and saved nothing; run it again when that is done, "
        "or wait longer with the lock_timeout setting (VERIFIER_LOCK_TIMEOUT)"
    ) in lines
    # The next item is not made to wait the whole timeout again.
    assert (
        "item 2: not tried: the workspace is still locked by another writer; nothing saved" in lines
    )
    assert lines[-1] == "2 items: 0 decided, 2 failed."
    assert "Traceback" not in result.output and "OperationalError" not in result.output
    lock_held.release()
    assert _statuses(items)[:2] == ["unverified", "unverified"]


def test_the_timeout_comes_from_the_config_file(
    items: Workspace, lock_held: LockHolder, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("lock_timeout = 0\n", encoding="utf-8")
    result = _cli(
        items, "--user", "omar", "item", "note", "1", "seen",
        env={"VERIFIER_CONFIG": str(config)},
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("error: another writer (an import, or a colleague's")
    assert "locked for 0 s" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_waiting_import_goes_ahead_when_the_lock_is_released(
    mini: Workspace, tmp_path: Path
) -> None:
    """Two processes: the import says once that it waits, and imports when it may."""
    assert mini.engine.url.database is not None
    holder = LockHolder(Path(mini.engine.url.database))
    env = {**os.environ, "VERIFIER_DB": mini.url, "VERIFIER_USER": "omar",
           "VERIFIER_LOCK_TIMEOUT": "120"}  # fmt: skip
    importer = subprocess.Popen(
        [sys.executable, "-m", "verifier", "import", str(MINI / "items.csv"), "--no-match"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).parent.parent,
    )
    try:
        assert importer.stderr is not None
        first = importer.stderr.readline()
        assert first.startswith("waiting for another writer (an import?) to finish")
        assert "giving up after 120 s" in first
        holder.release()
        out, err = importer.communicate(timeout=120)
    finally:
        holder.release()
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == 0, err
    assert "waiting" not in err  # said once
    assert "items imported" in out
    assert len(_statuses(mini)) > 0


def test_an_import_prepares_without_the_write_lock(
    items: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a file is read, validated and matched, a colleague's decision is saved at
    once: the import takes the lock only to write."""
    colleague = Workspace(items.url, lock_timeout=0)  # must not wait at all
    real = prepare.existing_items
    decided: list[str] = []

    def colleague_decides_meanwhile(*args: Any) -> Any:
        with colleague.session() as session:
            decided.append(decisions.set_status(session, 1, "verified", "sara").new_status or "")
        return real(*args)

    monkeypatch.setattr(prepare, "existing_items", colleague_decides_meanwhile)
    source = (MINI / "items.csv").read_text(encoding="utf-8").splitlines()
    other = tmp_path / "more.csv"
    other.write_text(
        "\n".join([source[0], *(line.replace("p.", "page ", 1) for line in source[1:])]) + "\n",
        encoding="utf-8",
    )
    report = import_file(items, other, ImportOptions("omar", auto_match=True))
    colleague.close()
    assert decided == ["verified"]
    assert report.batch_id == 2 and report.accepted > 0
    assert _statuses(items)[0] == "verified"


def test_an_import_that_cannot_get_the_lock_saves_nothing(mini: Workspace, tmp_path: Path) -> None:
    assert mini.engine.url.database is not None
    holder = LockHolder(Path(mini.engine.url.database))
    impatient = Workspace(mini.url, lock_timeout=0)
    try:
        with pytest.raises(WorkspaceBusyError, match="saved nothing"):
            import_file(impatient, MINI / "items.csv", ImportOptions("omar"))
    finally:
        impatient.close()
        holder.release()
    assert _statuses(mini) == []
    report = import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    assert report.batch_id is not None and report.accepted > 0
