"""Sprints: deterministic splits, the lead's prerogative, and "assigned to me"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import ReviewEvent, SprintAssignment
from tests.conftest import MINI
from tests.review_data import import_review_items
from verifier.core.editions import load_edition
from verifier.core.errors import InvalidActionError, PermissionDeniedError
from verifier.core.review import queue
from verifier.core.review.decisions import set_status
from verifier.core.review.queue import QueueFilter
from verifier.core.review.sprint_calendar import current_sprint
from verifier.core.review.sprints import (
    SplitStrategy,
    create_sprint,
    list_sprints,
    parse_reviewers,
    split_items,
)
from verifier.core.workspace import Workspace

NOW = datetime.now(UTC)


@pytest.fixture
def items(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    load_edition(any_workspace, MINI, "layla")
    import_review_items(any_workspace, tmp_path / "review.csv")
    return any_workspace


def test_round_robin_deals_in_queue_order() -> None:
    items = [(n, 1) for n in range(1, 8)]
    split = split_items(items, ["omar", "sara"], SplitStrategy.ROUND_ROBIN)
    assert [split[n] for n in range(1, 8)] == ["omar", "sara"] * 3 + ["omar"]


def test_balanced_keeps_a_source_together_and_evens_the_load() -> None:
    items = [(1, 10), (2, 10), (3, 10), (4, 20), (5, 20), (6, 30), (7, 30), (8, 40)]
    split = split_items(items, ["omar", "sara"], SplitStrategy.BALANCED)
    by_source: dict[int, set[str]] = {}
    for item_id, source in items:
        by_source.setdefault(source, set()).add(split[item_id])
    assert all(len(who) == 1 for who in by_source.values())
    loads = [list(split.values()).count(name) for name in ("omar", "sara")]
    assert sorted(loads) == [4, 4]
    assert split == split_items(list(reversed(items)), ["omar", "sara"], SplitStrategy.BALANCED)
    # One document larger than a fair share is cut into consecutive runs.
    one_source = split_items([(n, 7) for n in range(1, 7)], ["a", "b", "c"], SplitStrategy.BALANCED)
    assert [one_source[n] for n in range(1, 7)] == ["a", "a", "b", "b", "c", "c"]


def test_reviewer_lists() -> None:
    assert parse_reviewers(" omar, sara ,") == ["omar", "sara"]
    with pytest.raises(InvalidActionError, match="twice"):
        parse_reviewers("omar,omar")
    with pytest.raises(InvalidActionError, match="at least one"):
        parse_reviewers(" , ")


def test_create_assigns_the_scope_and_logs_it(items: Workspace) -> None:
    with items.session() as session:
        line = create_sprint(
            session, 1, "week 41", NOW - timedelta(days=1), NOW + timedelta(days=4),
            QueueFilter(indicators=("TRD-WATER",)), ["omar", "sara"], "layla",
        )  # fmt: skip
    assert (line.name, line.assigned, line.decided) == ("week 41", 5, 0)
    assert line.reviewers == {"omar": (3, 0), "sara": (2, 0)}
    assert line.state(NOW) == "active"
    with items.reading() as session:
        assigned = session.exec(select(SprintAssignment.item_id, SprintAssignment.reviewer)).all()
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "sprint_create")).one()
    assert sorted(assigned) == [(1, "omar"), (2, "sara"), (6, "omar"), (7, "sara"), (8, "omar")]
    assert event.actor == "layla" and event.payload["reviewers"] == {"omar": 3, "sara": 2}


def test_assigned_to_me_follows_the_active_sprint(items: Workspace) -> None:
    with items.session() as session:
        create_sprint(session, 1, "last week", NOW - timedelta(days=9), NOW - timedelta(days=2),
                      QueueFilter(indicators=("TRD-DEATHS",)), ["omar"], "layla")  # fmt: skip
        create_sprint(session, 1, "this week", NOW - timedelta(days=1), NOW + timedelta(days=4),
                      QueueFilter(sources=("ministry-ar",)), ["omar", "sara"], "layla")  # fmt: skip
        set_status(session, 1, "verified", "omar")
    with items.reading() as session:
        sprint = current_sprint(session, 1, NOW)
        assert sprint is not None and sprint.name == "this week"
        mine = queue.item_ids(session, 1, QueueFilter(assigned_to="omar"))
        assert mine == [1, 6]  # ministry-ar items 1, 5, 6, 8 dealt to omar, sara, omar, sara
        assert queue.item_ids(session, 1, QueueFilter(assigned_to="nobody")) == []
        lines = {line.name: line for line in list_sprints(session, 1)}
        assert lines["this week"].reviewers["omar"] == (2, 1)
        assert lines["last week"].state(NOW) == "ended"


def test_without_an_active_sprint_the_latest_counts(items: Workspace) -> None:
    with items.session() as session:
        create_sprint(session, 1, "done", NOW - timedelta(days=9), NOW - timedelta(days=2),
                      QueueFilter(indicators=("TRD-DEATHS",)), ["omar"], "layla")  # fmt: skip
    with items.reading() as session:
        assert queue.item_ids(session, 1, QueueFilter(assigned_to="omar")) == [4, 5]


def test_refusals(items: Workspace) -> None:
    start, end = NOW, NOW + timedelta(days=1)
    with items.session() as session, pytest.raises(PermissionDeniedError, match="lead"):
        create_sprint(session, 1, "x", start, end, QueueFilter(), ["omar"], "omar")
    cases = [
        (("", start, end, QueueFilter()), "a name"),
        (("x", end, start, QueueFilter()), "end after"),
        (("x", start, end, QueueFilter(search="nothing matches this")), "selects no items"),
        (("x", start, end, QueueFilter(assigned_to="omar")), "another sprint"),
        (("x", start.replace(tzinfo=None), end, QueueFilter()), "time zone"),
    ]
    for (name, begins, ends, scope), message in cases:
        with items.session() as session, pytest.raises(InvalidActionError, match=message):
            create_sprint(session, 1, name, begins, ends, scope, ["omar"], "layla")
    with items.session() as session:
        create_sprint(session, 1, "x", start, end, QueueFilter(), ["omar"], "layla")
    with items.session() as session, pytest.raises(InvalidActionError, match="already"):
        create_sprint(session, 1, "x", start, end, QueueFilter(), ["omar"], "layla")
