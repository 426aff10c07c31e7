"""The status line's counts after a decision: moved by the one item decided, never counted
again over the scope (a GROUP BY over every item of the edition on each decision is what
made deciding slower as a workspace grew)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func
from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.pilot import Pilot

from db.models import Item
from tests.tui.conftest import answer, make_app, settle
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace
from verifier.tui.backend import ReviewBackend
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.widgets.status_bar import StatusBar


@contextmanager
def statements() -> Iterator[list[str]]:
    """SQL the app runs meanwhile, on any thread but the colleagues' watcher (whose polls
    follow the clock, not the reviewer)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if threading.current_thread().name != "colleagues":
            seen.append(" ".join(sql.split()))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def _queue(app: object) -> QueueScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, QueueScreen)
    return screen


def _status_counts(sql: list[str]) -> list[str]:
    return [s for s in sql if "GROUP BY item.status" in s]


def _items(workspace: Workspace) -> int:
    with workspace.reading() as session:
        return int(session.exec(select(func.count()).select_from(Item)).one())


async def _wait_for(pilot: Pilot[None], check: Callable[[], bool], seconds: float = 20.0) -> bool:
    """Wait for what worker threads and the colleagues' watcher do (a bound, not a time)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        await pilot.pause(0.1)
    return False


def _line(decided: int, total: int) -> str:
    return f"{decided}/{total} decided · {decided / total:.1%}"


async def test_a_decision_moves_the_counts_without_counting_again(
    review_url: str, review_workspace: Workspace
):
    total = _items(review_workspace)
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        bar = queue.query_one(StatusBar)
        assert bar.counts is not None and bar.counts.line() == _line(0, total)
        with statements() as sql:
            await pilot.press("v")
            await settle(pilot)
            await pilot.press("r")
            await answer(pilot, "the value is for 2019")
            await settle(pilot)
        assert queue.current_id == 3
        assert bar.counts.line() == _line(2, total)
        assert bar.counts.by_status["verified"] == 1 and bar.counts.by_status["rejected"] == 1
        assert _status_counts(sql) == []


async def test_a_status_filter_shortens_the_queue_by_the_item_decided(
    review_url: str, review_workspace: Workspace
):
    total = _items(review_workspace)
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        queue.apply_filter(queue.filter.__class__(statuses=("unverified",)))
        await settle(pilot)
        bar = queue.query_one(StatusBar)
        assert bar.total == total
        with statements() as sql:
            await pilot.press("v")
            await settle(pilot)
        assert bar.total == total - 1 and bar.counts is not None
        assert bar.counts.line() == _line(1, total)
        assert _status_counts(sql) == []


async def test_counts_follow_a_colleague_by_counting_again(
    review_url: str, review_workspace: Workspace
):
    """What others decide is not known item by item here: the scope is counted again."""
    total = _items(review_workspace)
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        bar = queue.query_one(StatusBar)
        with review_workspace.session() as session:
            set_status(session, 5, "verified", "omar")
        for _ in range(40):  # the watcher wakes within half a second
            await pilot.pause(0.1)
            await settle(pilot)
            if bar.counts is not None and bar.counts.decided == 1:
                break
        assert bar.counts is not None and bar.counts.line() == _line(1, total)
        # and this reviewer's own decision is added to the recount, not counted twice
        await pilot.press("v")
        await settle(pilot)
        assert bar.counts.line() == _line(2, total)


async def test_a_count_answered_while_a_decision_is_saved_is_not_moved_by_it_again(
    review_url: str, review_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    """A colleague's decision is counted while this reviewer's is being saved: that count
    may already hold this reviewer's decision, so the scope is counted again rather than
    moved by it a second time."""
    total = _items(review_workspace)
    committed, release = threading.Event(), threading.Event()
    read_after = ReviewBackend.after_decision

    def held_after_the_commit(self: ReviewBackend, *args: Any) -> Any:
        committed.set()
        release.wait(30)
        return read_after(self, *args)

    monkeypatch.setattr(ReviewBackend, "after_decision", held_after_the_commit)
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        bar = _queue(app).query_one(StatusBar)
        await pilot.press("v")  # item 1, committed, then held before it is reported
        assert await _wait_for(pilot, committed.is_set)
        with review_workspace.session() as session:
            set_status(session, 5, "verified", "omar")
        # The colleague's decision is counted with this reviewer's, which is not saved yet.
        assert await _wait_for(pilot, lambda: bar.counts is not None and bar.counts.decided == 2)
        release.set()
        await settle(pilot)
        assert bar.counts.line() == _line(2, total)
