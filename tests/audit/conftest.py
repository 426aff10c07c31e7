"""Workspaces with a history for the audit tests: the provenance scenario, published."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.provenance.scenario import build_published
from tests.workspace_templates import TemplateCopy, open_copy
from verifier.core.workspace import Workspace


@pytest.fixture(params=["sqlite", "postgresql"])
def history(request: pytest.FixtureRequest, template_copy: TemplateCopy) -> Iterator[Workspace]:
    """Edition load, import, matches, verifications, a rejection, a flag, a conflict
    resolution, a publication, and decisions after it; on SQLite and PostgreSQL. Built once
    per test process; each test has its own copy (the scenario's files in its tmp_path)."""
    yield from open_copy(template_copy(request.param, "history", build_published))
