"""Items and rejected rows imported before import digests existed: ``audit verify`` counts
them and says how to seal them; a lead's ``audit seal`` records their digests as they stand
(saying so), after which they are checked like any later import. A seal never blesses a
row changed after the log recorded its digest. On SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from db.engine import create_workspace_engine
from db.models import Edition, ImportBatch, ReviewEvent, Status
from tests.audit.test_audit_tamper import audit
from tests.audit.test_tamper_item_rows import forge, run
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.audit.seal import ATTESTS, seal
from verifier.core.editions import load_edition
from verifier.core.errors import PermissionDeniedError
from verifier.core.eventlog.batch_records import batch_record
from verifier.core.importing import ImportOptions, import_file
from verifier.core.publishing import PublishRefusedError, publish
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

ROWS = [
    row(city="Riyadh", locator="p. 1"),
    row(city="Cairo", locator="p. 2", value="80"),
    row(city="Riyadh", indicator="NO-SUCH", locator="p. 3"),  # rejected
]
OLD_PAYLOAD = ("file", "sha256", "accepted", "rejected", "duplicates")
writer = importlib.import_module("verifier.core.importing.writer")


def old_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """Import events as before digests (``strip_digests`` then clears the items')."""

    def old_payload(stage: Any, batch: ImportBatch) -> dict[str, Any]:
        return {k: v for k, v in batch_record(batch).items() if k in OLD_PAYLOAD}

    monkeypatch.setattr(writer, "digests_of_import", old_payload)


def strip_digests(url: str) -> None:
    """Items as imported before digests existed: none (as the database owner)."""
    engine = create_workspace_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE item SET import_digest = NULL, match_digest = NULL"))
    engine.dispose()


@pytest.fixture
def legacy(any_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    load_edition(any_workspace, MINI, "layla")
    with monkeypatch.context() as patched:
        old_import(patched)
        import_file(any_workspace, write_csv(tmp_path / "old.csv", ROWS), ImportOptions("omar"))
    strip_digests(any_workspace.url)
    with any_workspace.session() as session:
        set_status(session, 1, Status.VERIFIED, "omar")
    return any_workspace


def test_unsealed_items_are_counted_and_the_way_to_seal_them_is_said(legacy: Workspace) -> None:
    result = audit(legacy)
    assert result.intact
    assert (result.items_without_digest, result.batches_unsealed) == (2, 1)
    code, out, _ = run(legacy, "audit", "verify")
    assert code == 0
    assert (
        "2 items and the rejected rows of 1 import batch were imported before import "
        "digests existed: not covered. A lead can record their digests as they stand now "
        "with `verifier audit seal` (it attests their state at sealing, not at import)."
    ) in " ".join(out.split())
    forge(legacy, "UPDATE item SET value_number = 1 WHERE id = 2")
    assert audit(legacy).intact  # what the seal is for


def test_only_a_lead_seals(legacy: Workspace) -> None:
    with legacy.session() as session, pytest.raises(PermissionDeniedError):
        seal(session, "omar")
    code, _, err = run(legacy, "--user", "omar", "audit", "seal")
    assert code == 1 and "sealing imported items needs the lead role" in err
    assert audit(legacy).items_without_digest == 2


def test_a_seal_records_the_digests_and_then_they_are_checked(legacy: Workspace) -> None:
    code, out, _ = run(legacy, "--user", "layla", "audit", "seal")
    assert code == 0, out
    flat = " ".join(out.split())
    assert "sealed 2 items in 1 batch, and the rejected rows of 1 batch" in flat
    assert "This attests their state now, at sealing, not what their import wrote" in flat
    with legacy.reading() as session:
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "seal")).one()
    assert event.actor == "layla" and event.payload["attests"] == ATTESTS
    assert event.payload["items_sealed"] == 2
    assert sorted(event.payload["batch_digests"]) == sorted(event.payload["rejected_digests"])
    result = audit(legacy)
    assert result.intact, result.findings
    assert (result.items_without_digest, result.batches_unsealed) == (0, 0)
    code, out, _ = run(legacy, "--user", "layla", "audit", "seal")
    assert code == 0 and "Nothing to seal" in out

    forge(legacy, "UPDATE item SET value_number = 1 WHERE id = 2")
    forge(legacy, "UPDATE rejected_row SET reason = 'fine after all'")
    found = [(f.kind, f.message) for f in audit(legacy).findings]
    assert found[0][0] == "imported" and found[0][1].startswith("item 2 (batch 1): its imported")
    assert found[1][0] == "batch" and found[1][1].startswith(
        "import batch 1: its rejected rows no longer hash to the digest event #"
    )
    with legacy.session() as session, pytest.raises(PublishRefusedError) as refused:
        publish(session, session.exec(select(Edition)).one(), "layla", "forged")
    assert "item 2 (batch 1): its imported fields" in str(refused.value)


def test_a_seal_does_not_bless_a_batch_the_log_already_covers(
    legacy: Workspace, tmp_path: Path
) -> None:
    import_file(legacy, write_csv(tmp_path / "new.csv", [row(city="Tripoli", locator="q")]),
                ImportOptions("omar"))  # fmt: skip
    forge(legacy, "UPDATE item SET value_number = 5, import_digest = NULL, "
                  "match_digest = NULL WHERE batch_id = 2")  # fmt: skip
    with legacy.session() as session:
        sealed = seal(session, "layla")
    assert [sorted(e.batches) for e in sealed.editions] == [[1]]
    (finding,) = [f.message for f in audit(legacy).findings]
    assert finding.startswith("import batch 2: event #")
    assert "recorded its items' digest" in finding
