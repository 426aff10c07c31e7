"""The QA workflow on both backends (SQLite alone, PostgreSQL in team mode): draw, second
review, adjudication, the gate's coverage check, and the append-only QA tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from db.models import Edition
from tests.conftest import MINI
from tests.importing_helpers import write_csv
from tests.qa.conftest import decide_all, qa_rows
from tests.qa.test_second_review import DRAWN, SECOND
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.publishing import publish
from verifier.core.qa.adjudication import adjudicate
from verifier.core.qa.reviews import record_second_review
from verifier.core.qa.sampling import draw_sample
from verifier.core.workspace import Workspace


def test_the_qa_workflow_on_each_backend(any_workspace: Workspace, tmp_path: Path) -> None:
    load_edition(any_workspace, MINI, "layla")
    import_file(any_workspace, write_csv(tmp_path / "items.csv", qa_rows()), ImportOptions("layla"))
    decide_all(any_workspace)
    with any_workspace.session() as session:
        assert draw_sample(session, 1, size=10, seed=8, reviewers=["omar", "sara"],
                           actor="layla").item_ids == DRAWN  # fmt: skip
    with any_workspace.session() as session:
        for item_id, who in SECOND.items():
            status = "flagged" if item_id == 24 else "verified"
            record_second_review(
                session, item_id, status, who, note="unsure" if item_id == 24 else ""
            )
        adjudicate(session, 24, "verified", "layla", "the table says so")
    with any_workspace.session() as session:
        edition = session.get(Edition, 1)
        assert edition is not None
        publication = publish(session, edition, "layla", "qa", max_error_rate=0.4)
        qa = json.loads(publication.content)["qa"]
    # Every published item is covered: the frame's decision times equal the items' own.
    assert (qa["errors"], qa["verified_reviewed"], qa["items"], qa["items_covered"]) == (
        0,
        10,
        37,
        37,
    )
    for table in ("qa_sample", "qa_frame_item", "qa_sample_item", "qa_review", "qa_adjudication"):
        with (
            pytest.raises(DBAPIError, match="append-only"),
            any_workspace.engine.begin() as connection,
        ):
            connection.execute(text(f"DELETE FROM {table}"))
