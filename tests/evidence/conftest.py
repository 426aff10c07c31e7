"""The review workspace with a stored evidence result of each kind, on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.evidence.stored_results import plant_results
from tests.review_data import import_review_items
from verifier.core.editions import load_edition
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace


@pytest.fixture
def checked(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    """Items 1-8 of tests/review_data.py with tests/evidence/stored_results.py's results
    (2 and 4 differ from their document), item 4 verified."""
    load_edition(any_workspace, MINI, "layla")
    import_review_items(any_workspace, tmp_path / "review.csv")
    plant_results(any_workspace)
    with any_workspace.session() as session:
        set_status(session, 4, "verified", "sara")
    return any_workspace
