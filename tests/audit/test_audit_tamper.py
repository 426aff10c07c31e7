"""Someone with database access alters, deletes or inserts events behind the tool's back
(dropping the triggers first, and putting them back after): ``verifier audit verify`` names
what happened and where, and exits non-zero. Also a tampered publication."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import pytest
import typer
from sqlalchemy import insert, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select
from typer.testing import CliRunner

from db.immutability import allow_changes, forbid_changes
from db.models import Publication, ReviewEvent, table_of
from db.types import utcnow
from verifier.cli.app import VerifierGroup, root
from verifier.cli.commands import audit_cmds
from verifier.core.audit import AuditResult, parse_anchor, verify_audit
from verifier.core.eventlog.hashing import event_hash
from verifier.core.publishing import content_hash
from verifier.core.workspace import Workspace


def tamper(workspace: Workspace, *statements: Any, table: str = "review_event") -> None:
    """Run ``statements`` with the append-only triggers out of the way, then restore them.
    On PostgreSQL the owner disables every trigger of the table (the server also links new
    events itself: a forger who wants to write his own links switches that off too)."""
    dialect = workspace.engine.dialect.name
    with workspace.engine.begin() as connection:
        if dialect == "postgresql":
            connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for statement in allow_changes(dialect, table):
                connection.exec_driver_sql(statement)
        for statement in statements:
            connection.execute(text(statement) if isinstance(statement, str) else statement)
        if dialect == "postgresql":
            connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            for statement in forbid_changes(dialect, table):
                connection.exec_driver_sql(statement)


def audit(workspace: Workspace, *anchors: str) -> AuditResult:
    with workspace.reading() as session:
        return verify_audit(session, [parse_anchor(a) for a in anchors])


class Link(NamedTuple):
    id: int
    seq: int
    prev_hash: str


def status_event(workspace: Workspace, item_id: int) -> Link:
    """The first status event of an item: where it sits in the chain."""
    with workspace.reading() as session:
        query = select(ReviewEvent).where(
            ReviewEvent.item_id == item_id, ReviewEvent.action == "status"
        )
        event = session.exec(query.order_by(col(ReviewEvent.seq))).first()
    assert event is not None and event.id and event.seq and event.prev_hash
    return Link(event.id, event.seq, event.prev_hash)


def head(workspace: Workspace) -> ReviewEvent:
    with workspace.reading() as session:
        query = select(ReviewEvent).order_by(col(ReviewEvent.seq).desc()).limit(1)
        return session.exec(query).one()


def forged(workspace: Workspace, seq: int, prev_hash: str, **content: Any) -> dict[str, Any]:
    """An event row with a correctly computed hash over whatever it claims."""
    fields: dict[str, Any] = {
        "edition_id": 1, "item_id": 3, "actor": "mallory", "action": "status",
        "old_status": "verified", "new_status": "rejected", "note": "", "reason": "forged",
        "payload": {}, "created_at": utcnow(),
    }  # fmt: skip
    fields.update(content)
    digest = event_hash(seq=seq, prev_hash=prev_hash, **fields)
    return {**fields, "seq": seq, "prev_hash": prev_hash, "hash": digest}


def only_finding(result: AuditResult) -> str:
    """The one finding about the log and what refers to it. Deleting or forging a status
    event also leaves the item's row unlike its log: those findings are left out here
    (test_tamper_item_rows asserts on them)."""
    assert not result.intact
    findings = [f for f in result.findings if f.kind != "item_row"]
    assert len(findings) == 1, [f.message for f in findings]
    return findings[0].message


# --- the database refuses changes ---------------------------------------------------------


@pytest.mark.parametrize("statement", [
    "UPDATE review_event SET reason = 'rewritten'",
    "DELETE FROM review_event WHERE seq = 3",
])  # fmt: skip
def test_the_database_refuses_to_rewrite_the_log(history: Workspace, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"), history.engine.begin() as connection:
        connection.execute(text(statement))


def test_truncate_and_replace_are_refused_too(history: Workspace) -> None:
    if history.backend == "postgresql":
        statement = "TRUNCATE review_event CASCADE"
    else:  # a REPLACE deletes the old row first: the delete trigger fires (recursive_triggers)
        statement = (
            "INSERT OR REPLACE INTO review_event (id, edition_id, actor, action, note, reason, "
            "payload, created_at) VALUES (3, 1, 'x', 'note', '', '', '{}', '2026-01-01 00:00:00')"
        )
    with pytest.raises(DBAPIError, match="append-only"), history.engine.begin() as connection:
        connection.execute(text(statement))


# --- altered, deleted, inserted ------------------------------------------------------------


def test_an_altered_event_is_named(history: Workspace) -> None:
    target = status_event(history, 7)
    tamper(history, f"UPDATE review_event SET reason = 'right table' WHERE seq = {target.seq}")
    message = only_finding(audit(history))
    assert message.startswith(f"the content of event #{target.seq} (id {target.id}, status by omar")
    assert message.endswith("no longer matches its hash: it was changed after it was written")


def test_an_altered_and_rehashed_event_breaks_the_next_link(history: Workspace) -> None:
    target = status_event(history, 7)
    with history.reading() as session:
        row = session.get(ReviewEvent, target.id)
        assert row is not None and row.seq is not None and row.prev_hash is not None
        new_hash = event_hash(
            seq=row.seq, prev_hash=row.prev_hash, edition_id=row.edition_id, item_id=row.item_id,
            actor=row.actor, action=row.action, old_status=row.old_status,
            new_status=row.new_status, note=row.note, reason="right table", payload=row.payload,
            created_at=row.created_at,
        )  # fmt: skip
    tamper(
        history,
        f"UPDATE review_event SET reason = 'right table', hash = '{new_hash}' "
        f"WHERE seq = {target.seq}",
    )
    message = only_finding(audit(history))
    assert message.startswith(f"event #{target.seq + 1} (")
    assert f"does not link to event #{target.seq}: its link matches no event in the log" in message


def test_deleted_events_are_named(history: Workspace) -> None:
    target = status_event(history, 8)
    tamper(history, f"DELETE FROM review_event WHERE seq = {target.seq}")
    assert only_finding(audit(history)) == (
        f"event #{target.seq} is missing: deleted between event #{target.seq - 1} "
        f"and event #{target.seq + 1}"
    )
    first = status_event(history, 1)
    tamper(history, f"DELETE FROM review_event WHERE seq IN ({first.seq}, {first.seq + 1})")
    messages = [f.message for f in audit(history).findings]
    assert messages[0].startswith(f"events #{first.seq}–#{first.seq + 1} are missing")


def test_deleting_the_start_of_the_log_is_named(history: Workspace) -> None:
    # The source history refers to its events: a forger must delete those versions first.
    first_two = "SELECT id FROM review_event WHERE seq IN (1, 2)"
    tamper(history, f"DELETE FROM source_version WHERE event_id IN ({first_two})",
           table="source_version")  # fmt: skip
    tamper(history, "DELETE FROM review_event WHERE seq IN (1, 2)")
    message = audit(history).findings[0].message
    assert message.startswith("events #1–#2 are missing: the log starts at #3")


def test_an_event_inserted_behind_the_tools_back_is_named(history: Workspace) -> None:
    row = {k: v for k, v in forged(history, 0, "").items() if k not in ("seq", "prev_hash", "hash")}
    tamper(history, insert(table_of(ReviewEvent)).values(**row))
    message = only_finding(audit(history))
    assert "(status by mallory) has no place in the chain" in message
    assert "inserted behind the application's back" in message


def test_an_event_appended_with_a_forged_link_is_named(history: Workspace) -> None:
    last = head(history)
    assert last.seq is not None
    row = forged(history, last.seq + 1, "f" * 64)
    tamper(history, insert(table_of(ReviewEvent)).values(**row))
    message = only_finding(audit(history))
    assert f"event #{last.seq + 1} (" in message and "status by mallory" in message
    assert f"does not link to event #{last.seq}: its link matches no event" in message


def test_an_event_slipped_into_a_used_position_is_named(history: Workspace) -> None:
    target = status_event(history, 8)
    row = forged(history, target.seq, target.prev_hash)
    # The unique index on seq is in the way: the attacker drops it first.
    tamper(history, "DROP INDEX ix_review_event_seq", insert(table_of(ReviewEvent)).values(**row))
    message = only_finding(audit(history))
    assert message.startswith(f"events id {target.id} and id ")
    assert f"both claim position #{target.seq}: an extra event was inserted" in message


# --- what the chain alone cannot see, and what still catches it ------------------------------


def test_cutting_off_the_tail_is_caught_by_the_publication(history: Workspace) -> None:
    with history.reading() as session:
        publish = session.exec(select(ReviewEvent).where(ReviewEvent.action == "publish")).one()
    tamper(history, f"DELETE FROM review_event WHERE seq >= {publish.seq}")
    message = only_finding(audit(history))
    assert message.startswith("publication 1 (#1) has no 'publish' event in the log")


def test_a_rewritten_chain_is_caught_by_anchors(history: Workspace) -> None:
    before = audit(history)
    anchor = f"{before.head_seq}:{before.head_hash}"
    target = status_event(history, 7)
    with history.reading() as session:
        rows = list(session.exec(select(ReviewEvent).order_by(col(ReviewEvent.seq))))
    updates, previous = [], "0" * 64
    for row in rows:
        reason = "right table" if row.id == target.id else row.reason
        digest = event_hash(
            seq=row.seq, prev_hash=previous, edition_id=row.edition_id, item_id=row.item_id,
            actor=row.actor, action=row.action, old_status=row.old_status,
            new_status=row.new_status, note=row.note, reason=reason, payload=row.payload,
            created_at=row.created_at,
        )  # fmt: skip
        updates.append(
            f"UPDATE review_event SET reason = '{reason}', prev_hash = '{previous}', "
            f"hash = '{digest}' WHERE id = {row.id}"
        )
        previous = digest
    tamper(history, *updates)
    # A full rewrite is consistent with itself, but not with the head the publication
    # recorded when it was made...
    message = only_finding(audit(history))
    assert message.startswith("publication 1 (#1) anchors the log at event #")
    assert message.endswith("history before this publication was rewritten")
    # ...nor with a head kept elsewhere.
    findings = audit(history, anchor).findings
    assert [f.kind for f in findings] == ["publication", "anchor"]
    rewritten = findings[1].message
    assert rewritten.startswith(f"anchor #{before.head_seq}: the log has hash ")
    assert rewritten.endswith("history up to that event was rewritten")


# --- publications -------------------------------------------------------------------------


def test_a_tampered_publication_content_is_named(history: Workspace) -> None:
    tamper(
        history,
        "UPDATE publication SET content = replace(content, '99.1', '99.9')",
        table="publication",
    )
    message = only_finding(audit(history))
    assert message.startswith("publication 1 (#1): its stored content hashes to ")
    assert message.endswith("the content was altered")


def test_a_publication_rehashed_after_tampering_disagrees_with_its_event(
    history: Workspace,
) -> None:
    with history.reading() as session:
        publication = session.exec(select(Publication)).one()
        document = json.loads(publication.content)
    document["values"][0]["value"] = 12.5
    document["publication"]["sha256"] = digest = content_hash(document)
    stored = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    statement = text("UPDATE publication SET content = :content, content_sha256 = :digest")
    tamper(history, statement.bindparams(content=stored, digest=digest), table="publication")
    rows, event = (f.message for f in audit(history).findings)
    # The value rows still hold the true value: they no longer match the rewritten content.
    assert rows.startswith("publication 1 (#1): value row ")
    assert rows.endswith("says value 82.0, its hashed content says 12.5")
    assert event.startswith("publication 1 (#1): its publish event #")
    assert event.endswith("one of them was replaced")


# --- the command ----------------------------------------------------------------------------


def test_the_command_names_the_first_break_and_exits_non_zero(history: Workspace) -> None:
    app = typer.Typer(cls=VerifierGroup)
    app.callback()(root)
    audit_cmds.register(app)
    target = status_event(history, 7)
    tamper(history, f"UPDATE review_event SET note = 'x' WHERE seq = {target.seq}")
    result = CliRunner().invoke(app, ["--db", history.url, "audit", "verify"])
    assert result.exit_code == 1
    assert f"TAMPERING DETECTED: first break at event #{target.seq}." in result.stdout
    assert f"- [altered] the content of event #{target.seq}" in result.stdout
    result = CliRunner().invoke(app, ["--db", history.url, "audit", "verify", "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["intact"] is False and document["findings"][0]["seq"] == target.seq
