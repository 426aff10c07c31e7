"""Someone rewrites an item column the log records exactly (who confirmed its city and when,
its version, the engine's match explanation, when it was written, and who changed its
status and when, even by a minute) with raw SQL: ``audit verify`` names the item and the
column, and ``publish`` refuses naming it. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from db.models import Edition, Item, ReviewEvent, Status
from tests.audit.test_tamper_batches import findings, imported, refused_publish
from tests.audit.test_tamper_item_rows import forge, publications
from verifier.core.cities.automatic import rematch
from verifier.core.cities.decisions import set_item_city
from verifier.core.eventlog.item_state import recorded_time
from verifier.core.review.decisions import set_status, undo_last
from verifier.core.workspace import Workspace

__all__ = ["imported"]  # the fixture, used by name


@pytest.fixture
def decided(imported: Workspace) -> Workspace:
    """Besides item 1 verified (event #2... see ``seq``): item 3's city set by layla, an
    undone flag on item 2, and a rematch of the edition afterwards."""
    with imported.session() as session:
        set_item_city(session, 3, "ly-tripoli", "layla")
        set_status(session, 2, Status.FLAGGED, "omar", note="unclear")
        undo_last(session, 1, "omar")
        rematch(session, 1, "layla")
    return imported


def seq(workspace: Workspace, item_id: int) -> int:
    """The chain position of the item's latest status, undo or match event."""
    with workspace.reading() as session:
        event = session.exec(
            select(ReviewEvent)
            .where(ReviewEvent.item_id == item_id)
            .where(col(ReviewEvent.action).in_(("status", "undo", "match")))
            .order_by(col(ReviewEvent.id).desc())
        ).first()
    assert event is not None and event.seq is not None
    return event.seq


def import_seq(workspace: Workspace) -> int:
    with workspace.reading() as session:
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "import")).one()
    assert event.seq is not None
    return event.seq


def row(workspace: Workspace, item_id: int) -> Item:
    with workspace.reading() as session:
        item = session.get(Item, item_id)
        assert item is not None
        session.expunge(item)
        return item


def test_an_honest_history_agrees_with_every_recorded_column(decided: Workspace) -> None:
    assert findings(decided, "derived") == []
    versions = {i: row(decided, i).version for i in (1, 2, 3)}
    # 1: verified, then rematched (the engine's city); 2: flagged and undone; 3: a person's city.
    assert versions == {1: 3, 2: 4, 3: 2}


def test_a_forged_confirmation_is_named_and_blocks_publish(decided: Workspace) -> None:
    forge(decided, "UPDATE item SET match_confirmed_by = 'sara' WHERE id = 3")
    forge(decided, "UPDATE item SET match_confirmed_by = 'omar' WHERE id = 1")
    confirmed = recorded_time(row(decided, 3).match_confirmed_at)
    assert findings(decided, "derived") == [
        'item 1: its match_confirmed_by is "omar", where event #'
        f"{seq(decided, 1)} says null: changed without an event",
        f'item 3: its match_confirmed_by is "sara", where event #{seq(decided, 3)} says '
        '"layla": changed without an event',
    ]
    assert confirmed is not None and confirmed.endswith("Z")
    refused = refused_publish(decided)
    assert 'item 1: its match_confirmed_by is "omar"' in refused
    assert publications(decided) == 0


def test_a_confirmation_on_an_item_no_event_changed_is_named(imported: Workspace) -> None:
    forge(imported, "UPDATE item SET match_confirmed_at = '2001-01-01 00:00:00' WHERE id = 2")
    assert findings(imported, "derived") == [
        "item 2: its match_confirmed_at is 2001-01-01T00:00:00.000000Z, where no event (none "
        "changed it) says null: changed without an event"
    ]


@pytest.mark.parametrize(
    ("item_id", "version", "where"),
    [(1, 3, "event #{seq} and 1 later rematch"), (3, 2, "event #{seq}")],
    ids=["engine's city, rematched since", "a person's city"],
)
def test_a_forged_version_is_named_and_blocks_publish(
    decided: Workspace, item_id: int, version: int, where: str
) -> None:
    forge(decided, f"UPDATE item SET version = 9 WHERE id = {item_id}")
    source = where.format(seq=seq(decided, item_id))
    message = f"item {item_id}: its version is 9, where {source} says {version}"
    assert findings(decided, "derived") == [f"{message}: changed without an event"]
    assert message in refused_publish(decided)


def test_a_forged_version_of_an_item_no_event_changed_counts_its_rematches(
    imported: Workspace,
) -> None:
    forge(imported, "UPDATE item SET version = 1 WHERE id = 2")
    assert findings(imported, "derived") == []
    with imported.session() as session:
        rematch(session, 1, "layla")
    forge(imported, "UPDATE item SET version = 1 WHERE id = 2")
    (found,) = findings(imported, "derived")
    assert found == (
        f"item 2: its version is 1, where its import (event #{import_seq(imported)}) and 1 "
        "rematch says 2: changed without an event"
    )


def test_a_forged_match_explanation_beyond_its_city_is_named(decided: Workspace) -> None:
    detail = row(decided, 3).match_detail
    assert isinstance(detail, dict) and detail["city_id"] == row(decided, 3).suggested_city_id
    forged = {**detail, "matched_field": "forged"}
    value = "CAST(:d AS json)" if decided.engine.dialect.name == "postgresql" else ":d"
    with decided.engine.begin() as connection:
        connection.execute(
            text(f"UPDATE item SET match_detail = {value} WHERE id = 3").bindparams(
                d=json.dumps(forged)
            )
        )
    (found,) = findings(decided, "derived")
    assert found.startswith('item 3: its match_detail is {"city_id": ')
    assert f"where event #{seq(decided, 3)} says " in found
    assert '"matched_field": "forged"' in found
    assert "item 3: its match_detail is" in refused_publish(decided)


def test_a_forged_creation_time_is_named(imported: Workspace) -> None:
    written = recorded_time(row(imported, 2).created_at)
    forge(imported, "UPDATE item SET created_at = '2001-01-01 00:00:00' WHERE id = 2")
    assert findings(imported, "derived") == [
        "item 2: its created_at is 2001-01-01T00:00:00.000000Z, where event "
        f"#{import_seq(imported)} says "
        f"{written}: changed without an event"
    ]
    assert "item 2: its created_at is 2001" in refused_publish(imported)


def test_a_status_time_moved_by_one_minute_is_named(imported: Workspace) -> None:
    """Within the slack older events are compared with: now exact."""
    before = row(imported, 1).status_changed_at
    assert before is not None
    with imported.engine.begin() as connection:
        connection.execute(
            text("UPDATE item SET status_changed_at = :t WHERE id = 1").bindparams(
                t=before - timedelta(minutes=1)
            )
        )
    moved = recorded_time(before - timedelta(minutes=1))
    assert findings(imported, "derived") == [
        f'item 1: its status was changed by "omar" at "{moved}", says its row; event '
        f'#{seq(imported, 1)} says by "omar" at "{recorded_time(before)}": changed without an '
        "event"
    ]
    assert publications(imported) == 0
    assert "item 1: its status was changed by" in refused_publish(imported)


def test_events_record_what_they_wrote(decided: Workspace) -> None:
    with decided.reading() as session:
        event = session.exec(
            select(ReviewEvent).where(ReviewEvent.item_id == 3, ReviewEvent.action == "match")
        ).one()
        item = session.get(Item, 3)
        assert item is not None
        state = event.payload["state"]
        assert (state["match_confirmed_by"], state["version"]) == ("layla", 2)
        assert state["match_confirmed_at"] == recorded_time(item.match_confirmed_at)
        assert state["match_detail"] == item.match_detail
    assert Edition  # the model is imported for the fixtures' publish
