"""Someone rewrites an import batch's row, its rejected rows, or an item column derived from
covered data (who changed a status and when, the search key, the match explanation) with
raw SQL: ``audit verify`` names it, and ``publish`` refuses where the published snapshot
depends on it. And ``audit verify --all`` / ``--format json`` name every item found. On
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import Edition, ImportBatch, ReviewEvent, Status
from tests.audit.test_audit_tamper import audit
from tests.audit.test_tamper_item_rows import forge, publications, run
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.audit import verify_audit
from verifier.core.editions import load_edition
from verifier.core.eventlog.batch_records import REJECTED_KEY, rejected_digest
from verifier.core.importing import ImportOptions, import_file
from verifier.core.publishing import PublishRefusedError, publish
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

ROWS = [
    row(city="Riyadh", locator="p. 1"),
    row(city="Cairo", locator="p. 2", value="80"),
    row(city="Riyadh", indicator="NO-SUCH", locator="p. 3"),  # rejected: unknown indicator
    row(city="Riyadh", locator="p. 1"),  # a duplicate of the first row
    row(city="Tripoli", locator="p. 4", value="70"),
]


@pytest.fixture
def imported(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    """The mini edition, one batch of three items, one rejected and one duplicate row;
    item 1 verified (something to publish)."""
    load_edition(any_workspace, MINI, "layla")
    import_file(any_workspace, write_csv(tmp_path / "a.csv", ROWS), ImportOptions("omar"))
    with any_workspace.session() as session:
        set_status(session, 1, Status.VERIFIED, "omar")
    return any_workspace


def findings(workspace: Workspace, kind: str) -> list[str]:
    return [f.message for f in audit(workspace).findings if f.kind == kind]


def refused_publish(workspace: Workspace) -> str:
    with workspace.session() as session, pytest.raises(PublishRefusedError) as refused:
        publish(session, session.exec(select(Edition)).one(), "layla", "forged")
    return str(refused.value)


def test_the_import_event_records_the_batch_row_and_its_rejected_rows(
    imported: Workspace, tmp_path: Path
) -> None:
    with imported.reading() as session:
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "import")).one()
    payload = event.payload
    assert (payload["accepted"], payload["rejected"], payload["duplicates"]) == (3, 1, 1)
    assert payload["rows_total"] == 5 and payload["format"] == "csv"
    assert payload["file"] == "a.csv" and len(payload["sha256"]) == 64
    # The importer's folders are nowhere in the log, nor in the batch row.
    assert "file_path" not in payload and str(tmp_path) not in json.dumps(payload)
    with imported.reading() as session:
        assert session.exec(select(ImportBatch.file_path)).one() == ""
    assert len(payload[REJECTED_KEY]) == 64
    result = audit(imported)
    assert result.intact, result.findings
    assert (result.batches, result.rejected_rows, result.batches_unsealed) == (1, 2, 0)


@pytest.mark.parametrize(
    ("statement", "shown"),
    [
        ("UPDATE import_batch SET accepted_count = 99", "accepted_count 99"),
        ("UPDATE import_batch SET file_name = 'other.csv'", 'file_name "other.csv"'),
        ("UPDATE import_batch SET file_sha256 = 'ab'", 'file_sha256 "ab"'),
        ("UPDATE import_batch SET imported_by = 'mallory'", 'imported by "mallory"'),
        ("UPDATE import_batch SET rows_total = 4", "rows_total 4"),
        ("UPDATE import_batch SET file_path = '/home/x/a.csv'", 'file_path "/home/x/a.csv"'),
    ],
)
def test_a_rewritten_batch_row_is_named(imported: Workspace, statement: str, shown: str) -> None:
    forge(imported, statement)
    (finding,) = findings(imported, "batch")
    assert finding.startswith(f"import batch 1: {shown}, not what event #")
    assert finding.endswith("recorded: changed without an event")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE rejected_row SET reason = 'looked fine' WHERE kind = 'invalid'",
        "UPDATE rejected_row SET raw = '{\"city\": \"forged\"}' WHERE kind = 'invalid'",
        "UPDATE rejected_row SET row_number = 9 WHERE kind = 'duplicate'",
        "DELETE FROM rejected_row WHERE kind = 'duplicate'",
        "INSERT INTO rejected_row (batch_id, row_number, kind, reason, raw) "
        "VALUES (1, 7, 'invalid', 'planted', '{}')",
    ],
)
def test_rewritten_rejected_rows_are_named(imported: Workspace, statement: str) -> None:
    forge(imported, statement)
    (finding,) = findings(imported, "batch")
    assert finding.startswith(
        "import batch 1: its rejected rows no longer hash to the digest event #"
    )
    assert "rows were edited, added, deleted or moved" in finding


def test_a_rejected_rows_digest_is_the_canonical_rows(imported: Workspace) -> None:
    """Key order inside the raw cells is not content: only what the rows say is hashed."""
    rows = [(4, "invalid", "why", {"b": 1, "a": "x"})]
    assert rejected_digest(rows) == rejected_digest([(4, "invalid", "why", {"a": "x", "b": 1})])
    assert rejected_digest(rows) != rejected_digest([(4, "invalid", "why?", {"a": "x", "b": 1})])


def test_a_forged_status_author_or_time_is_named_and_blocks_publish(imported: Workspace) -> None:
    assert audit(imported).intact
    forge(imported, "UPDATE item SET status_changed_by = 'layla' WHERE id = 1")
    forge(
        imported,
        "UPDATE item SET status_changed_at = '2001-01-01 00:00:00' WHERE id = 1",
    )
    forge(imported, "UPDATE item SET status_changed_by = 'omar' WHERE id = 2")  # no decision
    found = findings(imported, "derived")
    assert len(found) == 2
    assert found[0].startswith(
        'item 1: its status was changed by "layla" at "2001-01-01T00:00:00.000000Z", says its '
        "row; event #"
    )
    assert 'says by "omar" at ' in found[0]
    assert found[1] == (
        'item 2: its status was changed by "omar" at null, says its row, but no event changed '
        "its status: changed without an event"
    )
    assert "item 1: its status was changed by" in refused_publish(imported)
    assert publications(imported) == 0


def test_a_forged_search_key_or_match_explanation_is_named(imported: Workspace) -> None:
    forge(imported, "UPDATE item SET search_key = 'hidden' WHERE id = 2")
    forge(imported, 'UPDATE item SET match_detail = \'{"city_id": "sa-riyadh"}\' WHERE id = 2')
    assert findings(imported, "derived") == [
        'item 2: its match explanation names city "sa-riyadh", where the engine suggested '
        '"eg-cairo": changed without an event',
        "item 2: its search key is not its folded label and snippet (searches find it by "
        '"hidden"): changed without an event',
    ]
    with imported.session() as session:  # not what is published: publish goes on
        publish(session, session.exec(select(Edition)).one(), "layla", "first")


def test_every_item_found_is_named_with_all_or_json(
    any_workspace: Workspace, tmp_path: Path
) -> None:
    load_edition(any_workspace, MINI, "layla")
    rows = [row(city="Riyadh", locator=f"p. {n}") for n in range(60)]
    import_file(any_workspace, write_csv(tmp_path / "many.csv", rows), ImportOptions("omar"))
    forge(any_workspace, "UPDATE item SET search_key = 'x'")
    with any_workspace.reading() as session:
        short = verify_audit(session)
        whole = verify_audit(session, limit=None)
    derived = [f for f in short.findings if f.kind == "derived"]
    assert len(derived) == 51 and derived[-1].message == (
        "… and 10 more items whose derived columns disagree"
    )
    assert sorted(f.item_id for f in whole.findings if f.kind == "derived") == list(range(1, 61))
    code, out, _ = run(any_workspace, "audit", "verify")
    assert code == 1 and out.count("[derived]") == 50
    assert "--all or --format json names every" in out
    code, out, _ = run(any_workspace, "audit", "verify", "--all")
    assert code == 1 and out.count("[derived]") == 60
    code, out, _ = run(any_workspace, "audit", "verify", "--format", "json")
    document = json.loads(out)
    assert code == 1 and document["item_ids"] == list(range(1, 61))
    assert len(document["findings"]) == 60


def test_an_older_import_event_recording_the_path_is_still_checked(
    any_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Imports used to record the absolute path in the row and the event: those still verify,
    and a path rewritten since is named."""
    from verifier.core.eventlog.batch_records import CREATED_KEY
    from verifier.core.importing import writer

    recorded = writer.digests_of_import

    def as_before(*args: object) -> dict[str, object]:
        payload = recorded(*args)  # type: ignore[arg-type]
        del payload[CREATED_KEY]
        return {**payload, "file_path": "/data/a.csv"}

    monkeypatch.setattr(writer, "digests_of_import", as_before)
    load_edition(any_workspace, MINI, "layla")
    import_file(any_workspace, write_csv(tmp_path / "a.csv", ROWS), ImportOptions("omar"))
    forge(any_workspace, "UPDATE import_batch SET file_path = '/data/a.csv'")  # as written then
    assert findings(any_workspace, "batch") == []
    forge(any_workspace, "UPDATE import_batch SET file_path = '/data/b.csv'")
    (finding,) = findings(any_workspace, "batch")
    assert finding.startswith('import batch 1: file_path "/data/b.csv", not what event #')
