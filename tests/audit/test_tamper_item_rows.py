"""Someone changes item rows with no event (an ``UPDATE item`` behind the application's back)
and then publishes: publishing refuses and names the item, and ``audit verify`` reports every
item whose row disagrees with its log. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import select
from typer.testing import CliRunner

from db.models import Edition, Publication
from tests.audit.test_audit_tamper import audit, tamper
from verifier.cli.app import app
from verifier.core.publishing import PublishRefusedError, publish, resolve_conflict
from verifier.core.workspace import Workspace


def run(workspace: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", workspace.url, *args])
    return result.exit_code, result.stdout, result.stderr


def forge(workspace: Workspace, statement: str) -> None:
    with workspace.engine.begin() as connection:
        connection.execute(text(statement))


def ready_to_publish(workspace: Workspace) -> None:
    """The scenario's open Tripoli conflict resolved: a second publication can be made."""
    with workspace.session() as session:
        resolve_conflict(session, 13, "layla", "the ministry's figure")


def publications(workspace: Workspace) -> int:
    with workspace.reading() as session:
        return len(session.exec(select(Publication)).all())


def item_findings(workspace: Workspace) -> list[str]:
    return [f.message for f in audit(workspace).findings if f.kind == "item_row"]


def test_an_honest_workspace_has_no_item_disagreements(history: Workspace) -> None:
    result = audit(history)
    assert result.intact and result.items == 14


def test_a_forged_verification_blocks_publishing_and_is_named(history: Workspace) -> None:
    ready_to_publish(history)
    # Item 9 (Tripoli, 65) was never decided: someone marks it verified with another value.
    forge(
        history,
        "UPDATE item SET status = 'verified', value_number = 1, value_normalized = 1 WHERE id = 9",
    )
    code, out, err = run(history, "--user", "layla", "publish", "--note", "forged")
    assert code == 1
    assert "1 item disagrees with the review log (changed without an event); not published" in (err)
    assert 'item 9: its row says status "verified", the log says "unverified"' in err
    assert publications(history) == 1
    findings = item_findings(history)
    assert findings[0].startswith('item 9: its row says status "verified", the log says ')
    assert any(
        f.startswith("item 9: its row says value_number 1.0, the log says 65.0 (event #")
        for f in findings
    )
    assert all(f.endswith(": changed without an event") for f in findings)
    code, out, _ = run(history, "audit", "verify")
    assert code == 1 and "- [item_row] item 9: its row says status" in out


def test_a_forged_value_of_a_verified_item_blocks_publishing(history: Workspace) -> None:
    ready_to_publish(history)
    forge(history, "UPDATE item SET value_normalized = 12345 WHERE id = 5")
    with history.session() as session, pytest.raises(PublishRefusedError) as refused:
        publish(session, session.exec(select(Edition)).one(), "layla", "forged")
    assert "item 5: its row says value_normalized 12345.0, the log says 82.0 (event #" in str(
        refused.value
    )
    assert item_findings(history) == [
        f"item 5: its row says value_normalized 12345.0, the log says 82.0 (event #{seq}): "
        "changed without an event"
        for seq in [audit_seq(history, 5)]
    ]


def test_a_forged_city_and_a_forged_rejection_are_named(history: Workspace) -> None:
    forge(history, "UPDATE item SET city_id = 'eg-cairo' WHERE id = 1")
    forge(history, "UPDATE item SET status = 'rejected' WHERE id = 2")
    findings = item_findings(history)
    assert len(findings) == 2, findings
    assert findings[0].startswith('item 1: its row says city_id "eg-cairo", the log says ')
    assert '"sa-riyadh"' in findings[0]
    assert findings[1].startswith('item 2: its row says status "rejected", the log says "verified"')


def test_the_log_also_vouches_for_undone_decisions(history: Workspace) -> None:
    from verifier.core.review.decisions import undo_last

    with history.session() as session:
        undo_last(session, 1, "omar")  # item 12's verification, after the publication
    assert audit(history).intact
    forge(history, "UPDATE item SET status = 'verified' WHERE id = 12")
    (finding,) = item_findings(history)
    assert finding.startswith('item 12: its row says status "verified", the log says "unverified"')


def test_deleting_an_items_decision_leaves_its_row_unlike_the_log(history: Workspace) -> None:
    seq = audit_seq(history, 8)  # item 8 was flagged
    tamper(history, f"DELETE FROM review_event WHERE seq = {seq}")
    messages = [f.message for f in audit(history).findings]
    assert messages[0].startswith(f"event #{seq} is missing")
    assert (
        'item 8: its row says status "flagged", the log says "unverified" (no event): changed '
        "without an event"
    ) in messages


def audit_seq(workspace: Workspace, item_id: int) -> int:
    """The position of the item's latest state-changing event."""
    with workspace.engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT max(seq) FROM review_event WHERE item_id = :item "
                    "AND action IN ('status', 'undo', 'match')"
                ),
                {"item": item_id},
            ).scalar_one()
        )
