"""Every event is a link of a hash chain, written by record_event before the insert."""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, select

from db.models import ReviewEvent, Status
from tests.conftest import MINI
from verifier.core.audit import verify_audit
from verifier.core.editions import load_edition
from verifier.core.errors import InvalidActionError
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.hashing import GENESIS
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace


def documented_hash(row: ReviewEvent) -> str:
    """The recipe of docs/provenance.md, written out independently of the code."""
    content: dict[str, Any] = {
        "scheme": 1,
        "seq": row.seq,
        "prev_hash": row.prev_hash,
        "edition_id": row.edition_id,
        "item_id": row.item_id,
        "actor": row.actor,
        "action": row.action,
        "old_status": row.old_status,
        "new_status": row.new_status,
        "note": row.note,
        "reason": row.reason,
        "payload": row.payload,
        "created_at": row.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _events(workspace: Workspace) -> list[ReviewEvent]:
    with workspace.reading() as session:
        return list(session.exec(select(ReviewEvent).order_by(col(ReviewEvent.seq))))


def test_events_form_a_chain_the_documentation_describes(history: Workspace) -> None:
    events = _events(history)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    assert all(e.hash == documented_hash(e) for e in events)
    actions = {e.action for e in events}
    assert {"edition_load", "import", "match", "status", "resolve_conflict", "publish"} <= actions
    with history.reading() as session:
        result = verify_audit(session)
    assert result.intact, result.findings
    assert (result.events, result.head_seq, result.head_hash) == (
        len(events), events[-1].seq, events[-1].hash,
    )  # fmt: skip
    assert result.publications == 1 and result.resolutions == 1


def test_a_bulk_action_reads_the_head_once(any_workspace: Workspace) -> None:
    load_edition(any_workspace, MINI, "layla")
    heads: list[str] = []

    def watch(*args: Any) -> None:
        statement = str(args[2]).lower()
        if "from review_event" in statement and "order by review_event.seq desc" in statement:
            heads.append(statement)

    event.listen(any_workspace.engine, "before_cursor_execute", watch)
    try:
        with any_workspace.session() as session:
            for n in range(50):
                record_event(session, edition_id=1, actor="layla", action="note", note=f"n{n}")
    finally:
        event.remove(any_workspace.engine, "before_cursor_execute", watch)
    # SQLite: read once, then kept. PostgreSQL: never read by the client (the server links
    # the events at commit).
    assert len(heads) == (1 if any_workspace.backend == "sqlite" else 0)
    with any_workspace.reading() as session:
        assert verify_audit(session).intact


def test_a_rolled_back_savepoint_does_not_leave_a_stale_head(workspace: Workspace) -> None:
    load_edition(workspace, MINI, "layla")
    with workspace.session() as session:
        record_event(session, edition_id=1, actor="layla", action="note", note="kept")
        savepoint = session.begin_nested()
        record_event(session, edition_id=1, actor="layla", action="note", note="rolled back")
        savepoint.rollback()
        record_event(session, edition_id=1, actor="layla", action="note", note="after")
    with workspace.reading() as session:
        result = verify_audit(session)
    assert result.intact, result.findings
    assert [e.note for e in _events(workspace)][-2:] == ["kept", "after"]


def test_an_event_needs_an_actor(mini: Workspace) -> None:
    with (
        pytest.raises(InvalidActionError, match="needs the name of who did it"),
        mini.session() as s,
    ):
        record_event(s, edition_id=1, actor="  ", action="note")


def test_payloads_are_hashed_as_stored(mini: Workspace) -> None:
    # Callers may hand over what JSON turns into something else: tuples, non-string keys.
    payload: dict[Any, Any] = {"tuple": (1, 2), 3: "int key", "nested": {"b": 1.5, "a": None}}
    with mini.session() as session:
        record_event(session, edition_id=1, actor="layla", action="note", payload=payload)
    [*_, last] = _events(mini)
    assert last.payload == {"tuple": [1, 2], "3": "int key", "nested": {"b": 1.5, "a": None}}
    assert last.hash == documented_hash(last)


def test_rejections_and_overrides_carry_their_reason_in_the_trail(history: Workspace) -> None:
    """The domain refuses a rejection or an override without a reason; the trail keeps it."""
    with pytest.raises(InvalidActionError, match="needs a reason"), history.session() as session:
        set_status(session, 9, Status.REJECTED, "omar")
    with pytest.raises(InvalidActionError, match="needs a reason"), history.session() as session:
        set_status(session, 1, Status.FLAGGED, "omar", note="look again")
    with history.session() as session:
        set_status(session, 1, Status.REJECTED, "layla", reason="the table is for 2022")
    by_item: dict[int | None, list[ReviewEvent]] = {}
    for e in _events(history):
        if e.action == "status":
            by_item.setdefault(e.item_id, []).append(e)
    rejection = by_item[7][-1]
    assert (rejection.actor, rejection.new_status, rejection.reason) == (
        "omar", "rejected", "wrong table",
    )  # fmt: skip
    override = by_item[1][-1]
    assert (override.actor, override.old_status, override.new_status, override.reason) == (
        "layla", "verified", "rejected", "the table is for 2022",
    )  # fmt: skip
    assert all(e.actor for events in by_item.values() for e in events)
    # And the provenance of the item shows them, with who and when (UTC, Z).
    from verifier.core.provenance import build_report, render

    with history.reading() as session:
        text = render(build_report(session, item_id=1), "md")
    assert "layla · status · verified → rejected · reason: the table is for 2022" in text
