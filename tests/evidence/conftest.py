"""The review workspace with a stored evidence result of each kind, on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.evidence.stored_results import plant_results
from tests.review_data import import_review_items
from tests.workspace_templates import TemplateCopy, open_copy
from verifier.core.editions import load_edition
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace


def build_checked(workspace: Workspace, folder: Path) -> None:
    load_edition(workspace, MINI, "layla")
    import_review_items(workspace, folder / "review.csv")
    plant_results(workspace)
    with workspace.session() as session:
        set_status(session, 4, "verified", "sara")


@pytest.fixture(params=["sqlite", "postgresql"])
def checked(request: pytest.FixtureRequest, template_copy: TemplateCopy) -> Iterator[Workspace]:
    """Items 1-8 of tests/review_data.py with tests/evidence/stored_results.py's results
    (2 and 4 differ from their document), item 4 verified."""
    yield from open_copy(template_copy(request.param, "checked", build_checked))
