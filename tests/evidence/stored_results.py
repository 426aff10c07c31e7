"""Evidence check results planted on the review workspace's items (tests/review_data.py),
one of each status, for the queue's evidence filter and column and the item view."""

from __future__ import annotations

from sqlalchemy import text

from db.models import EvidenceStatus
from verifier.core.evidence.check import Outcome
from verifier.core.evidence.results import store
from verifier.core.workspace import Workspace

# Item -> its stored result; item 8 is never checked.
RESULTS = {
    1: Outcome(EvidenceStatus.MATCH, page=4, found_value=99.1, found_text="٩٩٫١٪", score=100),
    2: Outcome(EvidenceStatus.VALUE_DIFFERS, page=12, found_value=97.7, found_text="97.7%",
               score=96.5, hint="98.7 appears on page 13"),
    3: Outcome(EvidenceStatus.SNIPPET_NOT_FOUND, score=41.0),
    4: Outcome(EvidenceStatus.VALUE_DIFFERS, page=7, found_value=21.5, found_text="21.5",
               score=100),
    5: Outcome(EvidenceStatus.PAGE_MISMATCH, page=10, found_value=9.1, found_text="٩٫١",
               score=100, place="page 9"),
    6: Outcome(EvidenceStatus.NO_DOCUMENT),
    7: Outcome(EvidenceStatus.NO_TEXT),
}  # fmt: skip


def plant_results(workspace: Workspace) -> None:
    """Replace the stored results by RESULTS, each against the document its item's source
    names now (so none is stale)."""
    with workspace.session() as session:
        session.execute(text("DELETE FROM evidence_check"))
        current = dict(session.execute(text(
            "SELECT i.id, d.sha256 FROM item i JOIN source s ON s.id = i.source_id "
            "LEFT JOIN document d ON d.sha256 = s.file_sha256"
        )).all())  # fmt: skip
        store(session, [(i, current[i], outcome) for i, outcome in RESULTS.items()], "omar")
