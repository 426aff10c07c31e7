"""Sources recorded with the absolute path of their document (as edition loads and source add
did before they kept only its file name) still verify, and loading again records the change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.audit.test_audit_tamper import audit
from tests.audit.test_source_history import KEY, source_events, versions
from tests.conftest import MINI
from tests.older_sources import record_source_paths_as_before
from verifier.core.editions import load_edition
from verifier.core.workspace import Workspace


def test_an_older_log_recording_paths_stays_intact_and_a_new_load_records_the_name(
    any_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    path = str((folder / "documents" / "yearbook.txt").resolve())
    with monkeypatch.context() as before:
        record_source_paths_as_before(before)
        load_edition(any_workspace, folder, "layla")
    [added] = source_events(any_workspace)
    assert added.payload["after"]["file_path"] == path
    result = audit(any_workspace)
    assert result.intact, result.findings

    load_edition(any_workspace, folder, "layla")  # as loads are now
    events = source_events(any_workspace)
    assert [e.action for e in events] == ["source_add", "source_change"]
    change = events[-1].payload
    assert change["changed"] == ["file_path"]
    assert (change["before"]["file_path"], change["after"]["file_path"]) == (path, "yearbook.txt")
    assert [v.file_path for v in versions(any_workspace, KEY)] == [path, "yearbook.txt"]
    result = audit(any_workspace)
    assert result.intact, result.findings

    load_edition(any_workspace, folder, "layla")
    assert len(source_events(any_workspace)) == 2  # the name stays; nothing more to record
