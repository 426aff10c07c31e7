"""Status changes, notes, undo and concurrent edits, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import select

from db.models import Item, ReviewEvent, Status
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.editions import load_edition
from verifier.core.errors import InvalidActionError, NotFoundError, StaleItemError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review.decisions import add_note, set_status, undo_last
from verifier.core.workspace import Workspace


@pytest.fixture
def items(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    load_edition(any_workspace, MINI, "layla")
    rows = [row(locator=f"p. {n}") for n in range(1, 4)]
    import_file(
        any_workspace, write_csv(tmp_path / "a.csv", rows), ImportOptions("omar", auto_match=False)
    )
    return any_workspace


def _item(workspace: Workspace, item_id: int) -> Item:
    with workspace.reading() as session:
        item = session.get(Item, item_id)
        assert item is not None
        return item


def _events(workspace: Workspace, item_id: int) -> list[ReviewEvent]:
    with workspace.reading() as session:
        query = select(ReviewEvent).where(ReviewEvent.item_id == item_id).order_by(ReviewEvent.id)
        return list(session.exec(query))


def test_each_status_change_writes_one_event(items: Workspace) -> None:
    with items.session() as session:
        set_status(session, 1, Status.VERIFIED, "sara")
        set_status(session, 2, Status.REJECTED, "sara", reason="value is from 2019")
        set_status(session, 3, Status.FLAGGED, "sara", note="source page missing")
    item = _item(items, 1)
    assert (item.status, item.status_changed_by, item.version) == ("verified", "sara", 2)
    [event] = _events(items, 2)
    assert (event.actor, event.action, event.old_status, event.new_status) == (
        "sara", "status", "unverified", "rejected",
    )  # fmt: skip
    assert event.reason == "value is from 2019"
    assert event.created_at.utcoffset() is not None  # UTC, never naive


@pytest.mark.parametrize(
    ("status", "kwargs", "message"),
    [
        (Status.REJECTED, {}, "a rejection needs a reason"),
        (Status.FLAGGED, {}, "a flag needs a note"),
        (Status.UNVERIFIED, {}, "already unverified"),
    ],
)
def test_decisions_that_need_words(
    items: Workspace, status: Status, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidActionError, match=message), items.session() as session:
        set_status(session, 1, status, "sara", **kwargs)
    assert _events(items, 1) == []


def test_overriding_a_decision_needs_a_reason(items: Workspace) -> None:
    with items.session() as session:
        set_status(session, 1, Status.VERIFIED, "sara")
    with (
        pytest.raises(InvalidActionError, match="changing it needs a reason"),
        items.session() as s,
    ):
        set_status(s, 1, Status.FLAGGED, "omar", note="looks odd")
    with items.session() as session:
        set_status(session, 1, Status.FLAGGED, "omar", reason="value disagrees with ministry")
    assert [e.new_status for e in _events(items, 1)] == ["verified", "flagged"]


def test_a_decision_on_a_stale_view_is_refused(items: Workspace) -> None:
    seen = _item(items, 1).version
    with items.session() as session:
        set_status(session, 1, Status.VERIFIED, "sara", expected_version=seen)
    with pytest.raises(StaleItemError, match="changed by someone else"), items.session() as s:
        set_status(s, 1, Status.REJECTED, "omar", reason="wrong", expected_version=seen)
    assert _item(items, 1).status == "verified"


def test_concurrent_write_between_read_and_flush_raises(items: Workspace) -> None:
    """In team mode two sessions can interleave; the version column catches the loser.
    (On SQLite a write transaction holds the lock from its start, so they cannot.)"""
    if items.backend == "sqlite":
        pytest.skip("SQLite serialises write transactions from BEGIN IMMEDIATE")
    with pytest.raises(StaleDataError), items.session() as mine:
        item = mine.get(Item, 1)
        assert item is not None
        with items.session() as theirs:  # someone else commits first
            set_status(theirs, 1, Status.VERIFIED, "sara")
        item.status = Status.REJECTED
        mine.flush()
    assert _item(items, 1).status == "verified"


def test_notes_are_events_that_leave_the_status(items: Workspace) -> None:
    with items.session() as session:
        add_note(session, 1, "sara", "check table 3.2 again")
    [event] = _events(items, 1)
    assert (event.action, event.note, event.new_status) == (
        "note",
        "check table 3.2 again",
        "unverified",
    )


def test_undo_reverts_the_last_decision_with_a_new_event(items: Workspace) -> None:
    with items.session() as session:
        set_status(session, 1, Status.VERIFIED, "sara")
        set_status(session, 2, Status.FLAGGED, "sara", note="unclear")
    with items.session() as session:
        [undo] = undo_last(session, 1, "sara")
    assert (undo.item_id, undo.action, undo.new_status) == (2, "undo", "unverified")
    with items.session() as session:
        undo_last(session, 1, "sara")
    assert _item(items, 1).status == "unverified"
    assert [e.action for e in _events(items, 1)] == ["status", "undo"]
    with pytest.raises(NotFoundError, match="no decision left"), items.session() as session:
        undo_last(session, 1, "sara")


def test_undo_refuses_to_overwrite_someone_elses_later_decision(items: Workspace) -> None:
    with items.session() as session:
        set_status(session, 1, Status.VERIFIED, "sara")
    with items.session() as session:
        set_status(session, 1, Status.REJECTED, "omar", reason="wrong city")
    with pytest.raises(InvalidActionError, match="changed by omar"), items.session() as session:
        undo_last(session, 1, "sara")
    assert _item(items, 1).status == "rejected"
