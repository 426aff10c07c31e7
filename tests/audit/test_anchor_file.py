"""Anchors kept outside the workspace: ``verifier audit anchor`` prints and records the head,
``publish`` appends it to the configured anchor file, and ``audit verify`` reads the file by
itself, so that cutting or rewriting the newest events is caught; it says plainly when no
anchor covers them. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import col, select
from typer.testing import CliRunner

from db.models import ReviewEvent
from tests.audit.test_audit_tamper import audit, tamper
from verifier.cli.app import app
from verifier.core.eventlog.hashing import event_hash
from verifier.core.publishing import resolve_conflict
from verifier.core.workspace import Workspace

HEAD = re.compile(r"^(\d+):([0-9a-f]{64})$")


def run(workspace: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", workspace.url, *args])
    return result.exit_code, result.stdout, result.stderr


def last_publish_seq(workspace: Workspace) -> int:
    with workspace.reading() as session:
        query = select(ReviewEvent.seq).where(ReviewEvent.action == "publish")
        return max(s or 0 for s in session.exec(query))


def anchor_lines(path: Path) -> list[list[str]]:
    files = sorted(path.glob("verifier-*.anchors")) if path.is_dir() else [path]
    return [line.split("\t") for f in files for line in f.read_text().splitlines()]


def publish_again(workspace: Workspace) -> tuple[int, str, str]:
    """Publication 2 through the command line (the scenario's open conflict resolved)."""
    with workspace.session() as session:
        resolve_conflict(session, 13, "layla", "the ministry's figure")
    return run(workspace, "--user", "layla", "publish", "--note", "second release")


def test_without_an_anchor_file_the_newest_events_are_said_to_be_uncovered(
    history: Workspace,
) -> None:
    published = last_publish_seq(history)
    head = audit(history).head_seq
    assert head == published + 2  # the scenario decides twice after publishing
    code, out, _ = run(history, "audit", "verify")
    assert code == 0 and "The audit trail is intact." in out
    assert (
        "No anchor file is configured (the `anchor` setting); the newest 2 events "
        f"(#{published + 1}–#{head}) are covered by no anchor or publication: deleting or "
        "rewriting them would go unnoticed. Record the head with `verifier audit anchor`."
    ) in out


def test_audit_anchor_prints_the_head_and_appends_it(
    history: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = audit(history)
    code, out, err = run(history, "audit", "anchor")
    assert code == 0 and out == f"{expected.head_seq}:{expected.head_hash}\n"
    assert "no anchor file is configured" in err
    anchors = tmp_path / "anchors.txt"
    monkeypatch.setenv("VERIFIER_ANCHOR", str(anchors))
    code, out, err = run(history, "audit", "anchor")
    assert code == 0 and out == f"{expected.head_seq}:{expected.head_hash}\n"
    assert f"appended to {anchors}" in err
    ((head, stamp, log, what),) = anchor_lines(anchors)
    assert head == f"{expected.head_seq}:{expected.head_hash}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
    assert re.fullmatch(r"log=[0-9a-f]{16}", log) and what == "audit anchor"
    code, out, _ = run(history, "audit", "anchor", "--no-record")
    assert code == 0 and len(anchor_lines(anchors)) == 1
    code, out, _ = run(history, "audit", "verify")
    assert code == 0
    assert (
        f"Anchor file {anchors}: 1 anchor of this log; every event up to the head "
        f"#{expected.head_seq} is covered."
    ) in out


def test_publish_appends_the_head_to_the_anchor_directory(
    history: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "anchors"
    folder.mkdir()
    monkeypatch.setenv("VERIFIER_ANCHOR", str(folder))
    code, out, err = publish_again(history)
    assert code == 0, err
    assert out.startswith("Published mini #2 (id 2)")
    result = audit(history)
    ((head, _, log, what),) = anchor_lines(folder)
    assert head == f"{result.head_seq}:{result.head_hash}"  # the publish event itself
    assert what == "publish mini #2 (id 2)"
    assert (folder / f"verifier-{log.removeprefix('log=')}.anchors").is_file()
    assert f"anchor appended to {folder}" in err


def test_publish_refuses_an_anchor_file_it_cannot_write_before_publishing(
    history: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERIFIER_ANCHOR", str(tmp_path / "missing" / "anchors.txt"))
    code, _, err = publish_again(history)
    assert code == 1
    assert f"anchor file {tmp_path / 'missing' / 'anchors.txt'}: its directory" in err
    assert "does not exist" in err
    with history.reading() as session:
        assert session.exec(select(ReviewEvent).where(ReviewEvent.action == "publish")).all()
        publishes = session.exec(select(ReviewEvent).where(ReviewEvent.action == "publish"))
        assert len(list(publishes)) == 1  # nothing was published


def test_deleting_the_events_after_the_last_publication_is_caught_by_the_anchor_file(
    history: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    anchors = tmp_path / "anchors.txt"
    monkeypatch.setenv("VERIFIER_ANCHOR", str(anchors))
    published = last_publish_seq(history)
    code, out, _ = run(history, "audit", "anchor")  # after the decisions that followed it
    anchored = int(out.split(":")[0])
    assert anchored == published + 2
    tamper(history, f"DELETE FROM review_event WHERE seq > {published}")
    # The chain alone is consistent; the items whose decisions went with the deleted
    # events now disagree with it (their status, and who changed it), but only the
    # anchor file says events were cut off.
    assert {f.kind for f in audit(history).findings} == {"item_row", "derived"}
    code, out, _ = run(history, "audit", "verify")
    assert code == 1
    assert "TAMPERING DETECTED" in out
    assert (
        f"- [anchor] anchor #{anchored} is beyond the end of the log (head #{published}): "
        "events were cut off the end"
    ) in out


def test_rewriting_the_events_after_the_last_publication_is_caught_by_the_anchor_file(
    history: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    anchors = tmp_path / "anchors.txt"
    monkeypatch.setenv("VERIFIER_ANCHOR", str(anchors))
    published = last_publish_seq(history)
    assert run(history, "audit", "anchor")[0] == 0
    with history.reading() as session:
        query = select(ReviewEvent).where(col(ReviewEvent.seq) > published)
        rows = list(session.exec(query.order_by(col(ReviewEvent.seq))))
    previous = rows[0].prev_hash
    updates = []
    for row in rows:
        digest = event_hash(
            seq=row.seq, prev_hash=previous, edition_id=row.edition_id, item_id=row.item_id,
            actor=row.actor, action=row.action, old_status=row.old_status,
            new_status=row.new_status, note=row.note, reason="never happened", payload=row.payload,
            created_at=row.created_at,
        )  # fmt: skip
        updates.append(
            f"UPDATE review_event SET reason = 'never happened', prev_hash = '{previous}', "
            f"hash = '{digest}' WHERE id = {row.id}"
        )
        previous = digest
    tamper(history, *updates)
    assert audit(history).intact  # consistent with itself
    code, out, _ = run(history, "audit", "verify", "--format", "json")
    assert code == 1
    assert "history up to that event was rewritten" in out


def test_a_damaged_anchor_file_and_other_logs_are_said(
    history: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    anchors = tmp_path / "anchors.txt"
    result = audit(history)
    anchors.write_text(
        "# kept by the release manager\n"
        f"{result.head_seq}:{result.head_hash}\t2026-01-01T00:00:00Z\tlog=0123456789abcdef\tx\n"
        "12:not-a-hash\n"
    )
    monkeypatch.setenv("VERIFIER_ANCHOR", str(anchors))
    code, out, _ = run(history, "audit", "verify")
    assert code == 1
    assert f"- [anchor] anchor file {anchors}: line 3: anchor '12:not-a-hash' is not" in out
    assert "0 anchors of this log (1 of other logs: another workspace's, or this log was " in out
