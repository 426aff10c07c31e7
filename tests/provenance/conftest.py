"""Published workspaces for the provenance tests (see scenario.py for what each item is)."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.models import Publication
from tests.provenance.scenario import build_published
from verifier.core.workspace import Workspace


@pytest.fixture
def published(workspace: Workspace, tmp_path: Path) -> Workspace:
    """The scenario on SQLite, published once."""
    build_published(workspace, tmp_path)
    return workspace


@pytest.fixture
def any_published(any_workspace: Workspace, tmp_path: Path) -> tuple[Workspace, Publication]:
    """The scenario on SQLite and on PostgreSQL."""
    return any_workspace, build_published(any_workspace, tmp_path)
