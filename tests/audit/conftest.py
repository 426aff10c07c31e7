"""Workspaces with a history for the audit tests: the provenance scenario, published."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.provenance.scenario import build_published
from verifier.core.workspace import Workspace


@pytest.fixture
def history(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    """Edition load, import, matches, verifications, a rejection, a flag, a conflict
    resolution, a publication, and decisions after it; on SQLite and PostgreSQL."""
    build_published(any_workspace, tmp_path)
    return any_workspace
