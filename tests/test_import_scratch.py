"""An import killed outright (``kill -9``) leaves its stage folder in the temporary directory;
the next import removes it, and never the stage of an import that is still running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MINI
from verifier.core.importing import ImportOptions, import_file
from verifier.core.importing.stage import STAGE_PREFIX
from verifier.core.scratch import OWNER_FILE, UNCLAIMED_AGE, remove_abandoned
from verifier.core.workspace import Workspace

# A process that opens an import's stage, says where, and waits (as an import does while
# it validates a large file) until it is killed or its input closes.
HOLDER = """
import sys
from sqlalchemy.dialects import sqlite
from verifier.core.importing.stage import Stage
stage = Stage(("row_number", "value"), sqlite.dialect())
print(stage.folder, flush=True)
sys.stdin.read()
"""


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary directory of the test's own, for this process and the ones it starts."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


@pytest.fixture
def holders() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def _hold_a_stage(holders: list[subprocess.Popen[str]]) -> tuple[subprocess.Popen[str], Path]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    holders.append(process)
    assert process.stdout is not None
    return process, Path(process.stdout.readline().strip())


def _stages(folder: Path) -> set[Path]:
    return set(folder.glob(f"{STAGE_PREFIX}*"))


def test_the_stage_of_a_killed_import_is_removed_by_the_next(
    mini: Workspace, scratch: Path, holders: list[subprocess.Popen[str]]
) -> None:
    killed, left = _hold_a_stage(holders)
    running, held = _hold_a_stage(holders)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert killed.returncode == -signal.SIGKILL
    assert (left / "stage.db").exists() and (left / OWNER_FILE).exists()  # what kill -9 leaves
    assert _stages(scratch) == {left, held}

    report = import_file(mini, MINI / "items.csv", ImportOptions("omar"))

    assert report.accepted > 0
    assert _stages(scratch) == {held}  # the killed one's is gone, the running one's kept
    assert (held / "stage.db").exists()
    assert running.poll() is None


def test_only_abandoned_folders_are_removed(scratch: Path) -> None:
    young = scratch / f"{STAGE_PREFIX}being-made"  # made, not yet locked: left alone
    young.mkdir()
    old = scratch / f"{STAGE_PREFIX}never-claimed"
    old.mkdir()
    past = old.stat().st_mtime - UNCLAIMED_AGE - 60
    os.utime(old, (past, past))
    elsewhere = scratch / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep").write_text("x", encoding="utf-8")
    link = scratch / f"{STAGE_PREFIX}link"
    link.symlink_to(elsewhere)
    other = scratch / "someone-else-123"
    other.mkdir()
    stray = scratch / f"{STAGE_PREFIX}file"
    stray.write_text("x", encoding="utf-8")

    assert remove_abandoned(STAGE_PREFIX) == [old]
    assert young.is_dir() and link.is_symlink() and (elsewhere / "keep").exists()
    assert other.is_dir() and stray.exists() and not old.exists()
