"""``verify_audit`` on item rows, imported items and import batches changed behind the log's
back: the first 50 disagreements (or as many as asked) are named, the rest counted in one
finding (verifier.core.audit.verify)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from db.models import Item, Status
from tests.audit.test_audit_tamper import tamper
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.audit.findings import Finding
from verifier.core.audit.verify import verify_audit
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace


def _items(mini: Workspace, tmp_path: Path, count: int) -> None:
    rows = [row(city="Cairo", value=str(n), locator=f"p. {n}") for n in range(1, count + 1)]
    import_file(mini, write_csv(tmp_path / "items.csv", rows), ImportOptions("omar"))


def _forge(workspace: Workspace, statement: str) -> None:
    with workspace.engine.begin() as connection:
        connection.execute(text(statement))


def _change_every_row(mini: Workspace) -> None:
    with mini.engine.begin() as connection:
        connection.execute(text("UPDATE item SET status = 'verified'"))


def test_beyond_fifty_the_disagreeing_items_are_counted(mini: Workspace, tmp_path: Path) -> None:
    _items(mini, tmp_path, 53)
    _change_every_row(mini)
    with mini.reading() as session:
        result = verify_audit(session)
        ids = sorted(session.execute(select(Item.id)).scalars())
    item_rows = [f for f in result.findings if f.kind == "item_row"]
    assert len(item_rows) == 51
    assert all(f.message.endswith(": changed without an event") for f in item_rows[:50])
    assert item_rows[0].message == (
        f'item {ids[0]}: its row says status "verified", the log says "unverified" (no event): '
        "changed without an event"
    )
    assert item_rows[50] == Finding(
        "item_row", "… and 3 more items whose row disagrees with the log"
    )
    assert result.items == 53


def test_fifty_disagreeing_items_are_all_named_and_nothing_more(
    mini: Workspace, tmp_path: Path
) -> None:
    _items(mini, tmp_path, 50)
    _change_every_row(mini)
    with mini.reading() as session:
        result = verify_audit(session)
    item_rows = [f for f in result.findings if f.kind == "item_row"]
    assert len(item_rows) == 50
    assert item_rows[-1].message.endswith(": changed without an event")


def test_a_batch_of_one_event_is_the_smallest(mini: Workspace) -> None:
    with mini.reading() as session:
        whole = verify_audit(session)
        one_by_one = verify_audit(session, batch_size=1)
        with pytest.raises(ValueError) as refused:
            verify_audit(session, batch_size=0)
    assert str(refused.value) == "batch_size must be at least 1, not 0"
    assert (one_by_one.events, one_by_one.head_hash, one_by_one.findings) == (
        whole.events, whole.head_hash, [],
    )  # fmt: skip
    assert whole.events == 6
    # the edition's two sources, no publication or resolution yet
    assert (whole.sources, whole.publications, whole.resolutions) == (2, 0, 0)


def test_an_item_row_finding_points_at_the_event_it_contradicts(
    mini: Workspace, tmp_path: Path
) -> None:
    _items(mini, tmp_path, 1)
    with mini.session() as session:
        event = set_status(session, 1, Status.VERIFIED, "omar")
        seq = event.seq
    with mini.engine.begin() as connection:
        connection.execute(text("UPDATE item SET status = 'rejected' WHERE id = 1"))
    with mini.reading() as session:
        result = verify_audit(session)
    assert result.findings == [
        Finding(
            "item_row",
            f'item 1: its row says status "rejected", the log says "verified" (event #{seq}): '
            "changed without an event",
            seq,
            item_id=1,
        )
    ]


def _named(workspace: Workspace, kind: str, limit: int | None) -> list[str]:
    with workspace.reading() as session:
        return [f.message for f in verify_audit(session, limit=limit).findings if f.kind == kind]


def test_the_limit_given_applies_to_imported_items(mini: Workspace) -> None:
    # Items 3 and 4 of the mini edition: imported, nobody decided on them.
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    _forge(mini, "UPDATE item SET value_number = 1, value_normalized = 1 WHERE id IN (3, 4)")
    imported = (
        "(batch 1): its imported fields (value, unit, year, label, source, locator, snippet…) "
        "no longer hash to the digest written at import: changed without an event"
    )
    assert _named(mini, "imported", 1) == [
        f"item 3 {imported}",
        "… and 1 more item or batch whose rows no longer hash to their import digests",
    ]
    assert _named(mini, "imported", None) == [f"item 3 {imported}", f"item 4 {imported}"]


def test_the_limit_given_applies_to_import_batches(mini: Workspace) -> None:
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    _forge(mini, "UPDATE import_batch SET accepted_count = 99, rows_total = 98")
    one, more = _named(mini, "batch", 1)
    assert one.startswith("import batch 1: ") and one.endswith(": changed without an event")
    assert more == "… and 1 more disagreement of import batches with the log"
    every = _named(mini, "batch", None)
    assert len(every) == 2 and all(m.startswith("import batch 1: ") for m in every)
    assert {m.split(",")[0] for m in every} == {
        "import batch 1: accepted_count 99",
        "import batch 1: rows_total 98",
    }


def test_the_limit_given_applies_to_item_rows(mini: Workspace) -> None:
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    _forge(mini, "UPDATE item SET status = 'verified' WHERE id IN (3, 4)")
    forged = 'its row says status "verified", the log says "unverified" (no event)'
    assert _named(mini, "item_row", 1) == [
        f"item 3: {forged}: changed without an event",
        "… and 1 more item whose row disagrees with the log",
    ]
    assert _named(mini, "item_row", None) == [
        f"item 3: {forged}: changed without an event",
        f"item 4: {forged}: changed without an event",
    ]


def _where(workspace: Workspace, kind: str) -> list[tuple[int | None, int | None, int | None]]:
    """The (position, item, batch) each finding of ``kind`` points at."""
    with workspace.reading() as session:
        found = verify_audit(session).findings
    return [(f.seq, f.item_id, f.batch_id) for f in found if f.kind == kind]


# The mini edition's load is events #1-#6 (test_a_batch_of_one_event_is_the_smallest); an
# import then records #7 (the import, batch 1: the items.csv rows become items 1-4) and #8
# (the engine's matching), so the first decision after it is #9.


def test_an_imported_item_finding_names_the_item_and_its_batch(mini: Workspace) -> None:
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    _forge(mini, "UPDATE item SET value_number = 1, value_normalized = 1 WHERE id = 4")
    # An item's own digest is not in the log: no position, the item and its batch.
    assert _where(mini, "imported") == [(None, 4, 1)]


def test_an_imported_batch_finding_points_at_the_import_event(mini: Workspace) -> None:
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    _forge(mini, "UPDATE item SET import_digest = NULL, match_digest = NULL WHERE id = 3")
    # The batch's digest is in event #7; no single item is named.
    assert _where(mini, "imported") == [(7, None, 1)]


def test_an_import_batch_finding_points_at_the_import_event(mini: Workspace) -> None:
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    _forge(mini, "UPDATE import_batch SET accepted_count = 99")
    assert _where(mini, "batch") == [(7, None, 1)]


def test_a_derived_column_finding_points_at_the_event_it_contradicts(mini: Workspace) -> None:
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    with mini.session() as session:
        set_status(session, 2, Status.VERIFIED, "omar")  # event #9
    _forge(mini, "UPDATE item SET status_changed_by = 'sara' WHERE id = 2")
    assert _where(mini, "derived") == [(9, 2, None)]


def test_an_imported_batch_finding_ends_with_what_happened(mini: Workspace) -> None:
    # Only an item's finding adds "changed without an event"; a batch's says what happened.
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    _forge(mini, "UPDATE item SET import_digest = NULL, match_digest = NULL WHERE id = 3")
    (message,) = _named(mini, "imported", None)
    assert message.startswith(
        "import batch 1: its items' digests no longer hash to the digest event #7 recorded ("
    )
    assert message.endswith(
        "…): digests were rewritten with the items, or items were added, moved or deleted"
    )


def test_on_a_broken_log_who_changed_a_status_is_not_compared(mini: Workspace) -> None:
    # Once the log is broken, the items its events touched would only repeat its finding.
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    with mini.session() as session:
        set_status(session, 2, Status.VERIFIED, "omar")  # event #9
    tamper(mini, "UPDATE review_event SET note = 'rewritten' WHERE seq = 9")
    _forge(mini, "UPDATE item SET status_changed_by = 'sara' WHERE id = 2")
    with mini.reading() as session:
        found = verify_audit(session).findings
    assert [(f.kind, f.seq) for f in found] == [("altered", 9)]


def test_more_than_one_imported_item_left_unnamed_is_counted_in_the_plural(
    mini: Workspace,
) -> None:
    import_file(mini, MINI / "items.csv", ImportOptions("omar"))
    _forge(mini, "UPDATE item SET value_number = 1, value_normalized = 1 WHERE id IN (2, 3, 4)")
    named = _named(mini, "imported", 1)
    assert named[1:] == [
        "… and 2 more items or batches whose rows no longer hash to their import digests"
    ]
