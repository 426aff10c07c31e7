"""Steering a sprint: the burn-down read from the review log, throughput per reviewer per
day, what each reviewer still has, reassigning it, and the sprint report."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import ReviewEvent, SprintAssignment
from tests.conftest import MINI
from tests.review_data import import_review_items
from verifier.core.editions import load_edition
from verifier.core.errors import InvalidActionError, PermissionDeniedError
from verifier.core.qa.sprint import sprint_figures
from verifier.core.review.decisions import set_status, undo_last
from verifier.core.review.queue import QueueFilter
from verifier.core.review.sprint_reassign import reassign_remaining
from verifier.core.review.sprint_steering import sprint_overview
from verifier.core.review.sprints import create_sprint
from verifier.core.workspace import Workspace
from verifier.presentation.sprint_report import render_html, render_markdown

HOSTILE_NAME = "<script>alert(1)</script> [x](javascript:y)"


@pytest.fixture
def sprint(workspace: Workspace, tmp_path: Path) -> tuple[Workspace, datetime]:
    """Items 1-8 in a five-day sprint (two days ago to the end of the day after tomorrow,
    UTC), dealt round-robin: omar 1, 3, 5, 7 and sara 2, 4, 6, 8. Today omar verified 1 and
    3 and undid 3, sara rejected 2 and flagged 4."""
    load_edition(workspace, MINI, "layla")
    import_review_items(workspace, tmp_path / "items.csv", "layla")
    today = datetime.now(UTC).date()
    start = datetime.combine(today - timedelta(days=2), time(0), tzinfo=UTC)
    with workspace.session() as session:
        create_sprint(session, 1, HOSTILE_NAME, start, start + timedelta(days=5), QueueFilter(),
                      ["omar", "sara"], "layla")  # fmt: skip
        set_status(session, 1, "verified", "omar")
        set_status(session, 3, "verified", "omar")
        set_status(session, 2, "rejected", "sara", reason="other year")
        set_status(session, 4, "flagged", "sara", note="which Tripoli?")
    with workspace.session() as session:
        undo_last(session, 1, "omar")
    return workspace, start


def test_burn_down_throughput_and_loads(sprint: tuple[Workspace, datetime]) -> None:
    workspace, start = sprint
    with workspace.reading() as session:
        overview = sprint_overview(session, 1, HOSTILE_NAME, zone=UTC)
    day = start.date()
    assert [d.day for d in overview.days] == [day + timedelta(days=n) for n in range(5)]
    assert overview.today == day + timedelta(days=2)
    # Planned: 8 items left at the start, down to none at the end of the fifth day.
    assert [d.planned for d in overview.days] == [6.4, 4.8, 3.2, 1.6, 0.0]
    # Today 2 decided for good (1 verified, 2 rejected; 3 undone, 4 only flagged).
    assert [d.remaining for d in overview.days] == [8, 8, 6, None, None]
    assert [d.decided for d in overview.days] == [0, 0, 2, 0, 0]
    assert overview.at_start == 8 and overview.remaining == 6
    # Status decisions per reviewer and day: the undo is not a decision.
    assert overview.throughput == {"omar": {overview.today: 2}, "sara": {overview.today: 2}}
    loads = {load.reviewer: load for load in overview.loads}
    assert (loads["omar"].assigned, loads["omar"].decided, loads["omar"].remaining) == (
        4,
        1,
        [3, 5, 7],
    )
    assert (loads["sara"].decided, loads["sara"].remaining, loads["sara"].flagged) == (
        1,
        [4, 6, 8],
        1,
    )


def test_reassigning_a_reviewers_remaining_items(sprint: tuple[Workspace, datetime]) -> None:
    workspace, _ = sprint
    with workspace.session() as session:
        with pytest.raises(PermissionDeniedError, match="needs the lead role"):
            reassign_remaining(session, 1, HOSTILE_NAME, "sara", ["omar"], "omar")
        with pytest.raises(InvalidActionError, match="cannot take over their own"):
            reassign_remaining(session, 1, HOSTILE_NAME, "sara", ["sara"], "layla")
        shares = reassign_remaining(session, 1, HOSTILE_NAME, "sara", ["omar", "layla"], "layla")
        with pytest.raises(InvalidActionError, match="sara has no remaining item"):
            reassign_remaining(session, 1, HOSTILE_NAME, "sara", ["omar"], "layla")
    # Items 4 and 8 (yearbook-2023) and 6 (ministry-ar), split balanced: a source's items
    # stay with one reviewer.
    assert sum(shares.values()) == 3 and set(shares) == {"omar", "layla"}
    with workspace.reading() as session:
        assigned = dict(
            session.exec(select(SprintAssignment.item_id, SprintAssignment.reviewer)).all()
        )
        event = session.exec(
            select(ReviewEvent).where(ReviewEvent.action == "sprint_reassign")
        ).one()
    assert assigned[2] == "sara"  # decided items stay with who decided them
    assert {assigned[4], assigned[6], assigned[8]} <= {"omar", "layla"}
    assert [assigned[i] for i in (1, 3, 5, 7)] == ["omar"] * 4
    assert event.payload["from"] == "sara" and event.payload["items"] == 3
    assert event.payload["to"] == shares and event.actor == "layla"


def test_the_sprint_report_is_self_contained_and_escaped(
    sprint: tuple[Workspace, datetime],
) -> None:
    workspace, _ = sprint
    with workspace.reading() as session:
        overview = sprint_overview(session, 1, HOSTILE_NAME, zone=UTC)
        figures = sprint_figures(session, 1, overview.sprint.id)
    now = datetime.now(UTC)
    page = render_html(overview, figures, now)
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "</svg>" in page
    assert "<script" not in page and "src=" not in page and "<link" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<rect") >= 3  # background, two legend keys, and one bar per past day
    markdown = render_markdown(overview, figures, now)
    assert "# Sprint report: \\<script\\>alert(1)\\</script\\> \\[x\\](javascript\\:y)" in markdown
    assert "| omar | 0 | 0 | 2 | 2 |" in markdown
    assert "No item of this sprint is in a QA sample yet." in markdown
    assert "| sara | 4 | 1 | 3 | 1 | 4, 6, 8 |" in markdown
