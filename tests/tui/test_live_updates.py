"""A second instance sees a colleague's decision without a restart: the queue row changes,
and the item on screen is marked before any key is pressed (SQLite: PRAGMA data_version;
PostgreSQL: LISTEN/NOTIFY). The colleague decides through a backend of their own, the very
calls their app makes."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.conftest import MINI
from tests.tui.conftest import make_app, settle
from tests.tui.screen_text import panel_text
from verifier.config import Settings
from verifier.core.importing import ImportOptions, import_file
from verifier.tui import backend as backend_module
from verifier.tui.app import ReviewApp
from verifier.tui.backend import ReviewBackend
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.widgets.status_bar import StatusBar


async def _wait_for(pilot: Pilot[None], check: object, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        await pilot.pause(0.1)
    return False


async def _sees_colleague(app: ReviewApp, colleague: ReviewBackend, who: str) -> None:
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        current = screen.current_id
        assert current is not None and screen.rows[current].status == "unverified"
        version = screen.rows[current].version
        colleague.set_status(current, "verified", version)
        assert await _wait_for(pilot, lambda: screen.rows[current].status == "verified")
        assert await _wait_for(pilot, lambda: "while you were looking at it" in panel_text(app))
        text = panel_text(app)
        assert f"{who} decided this item (verified) at " in text
        assert screen.rows[current].status_changed_by == who
        assert any("while you were looking" in n.message for n in app.notices)


async def test_a_decision_by_a_colleague_shows_up_live_on_sqlite(review_url: str) -> None:
    colleague = ReviewBackend.open(Settings(), review_url, "omar", None)
    try:
        await _sees_colleague(make_app(review_url, user="sara"), colleague, "omar")
    finally:
        colleague.close()


@pytest.mark.postgres
async def test_a_decision_by_a_colleague_shows_up_live_on_postgresql(
    team: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.team_fixture import Team

    assert isinstance(team, Team)
    monkeypatch.delenv("VERIFIER_USER")
    workspace = team.workspace(team.assistant)
    import_file(workspace, MINI / "items.csv", ImportOptions(team.assistant, auto_match=False))
    workspace.close()
    colleague = ReviewBackend.open(Settings(), team.url(team.lead), None, None)
    try:
        app = make_app(team.url(team.assistant), user=None)  # type: ignore[arg-type]
        await _sees_colleague(app, colleague, team.lead)
    finally:
        colleague.close()


async def test_a_decision_made_before_the_watcher_starts_shows_up_too(
    review_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Colleagues are watched from the first item on, not from the screen's mount: what a
    # colleague commits after the first page was read, before the watcher listens, is read
    # when it starts.
    colleague = ReviewBackend.open(Settings(), review_url, "omar", None)
    read_page = ReviewBackend.page_around
    decided: list[int] = []

    def page_then_a_colleague_decides(self: ReviewBackend, flt: object, item_id: object):
        page = read_page(self, flt, item_id)  # type: ignore[arg-type]
        if self is not colleague and not decided:
            second = page.rows[1]  # not the item shown: its own read would see the change
            colleague.set_status(second.id, "verified", second.version)
            decided.append(second.id)
        return page

    monkeypatch.setattr(ReviewBackend, "page_around", page_then_a_colleague_decides)
    app = make_app(review_url, user="sara")
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            screen = app.screen
            assert isinstance(screen, QueueScreen)

            def shown_verified() -> bool:
                row = screen.rows.get(decided[0]) if decided else None
                return row is not None and row.status == "verified"

            # (No settle: the counts the colleague's change starts again cancel the first.)
            assert await _wait_for(pilot, shown_verified)
            assert screen.current_id != decided[0]
            assert screen.rows[decided[0]].status_changed_by == "omar"
    finally:
        colleague.close()


async def test_ones_own_decision_read_by_the_watcher_at_once_is_no_colleagues(
    review_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The watcher may wake the moment this reviewer's decision commits, before the app has
    # noted its event as its own: held there until the watcher has read the log and sorted
    # what it read (or a while, when the app keeps it from reading meanwhile), the decision
    # is still not taken for a colleague's, nor counted a second time.
    committed, read, sorted_out = threading.Event(), threading.Event(), threading.Event()
    read_log = backend_module.changes_since
    write = backend_module.with_retries
    watch = ReviewBackend.colleague_changes

    def reading(session: Any, edition_id: int, seq: int) -> Any:
        changes = read_log(session, edition_id, seq)
        if committed.is_set() and changes:
            read.set()
        return changes

    def watching(self: ReviewBackend, *args: Any, **kwargs: Any) -> Any:
        changes = watch(self, *args, **kwargs)
        if read.is_set():
            sorted_out.set()
        return changes

    def committing_then_held(workspace: Any, work: Any) -> Any:
        result = write(workspace, work)
        committed.set()
        sorted_out.wait(3.0)
        return result

    monkeypatch.setattr(backend_module, "changes_since", reading)
    monkeypatch.setattr(ReviewBackend, "colleague_changes", watching)
    monkeypatch.setattr(backend_module, "with_retries", committing_then_held)
    app = make_app(review_url, user="sara")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        bar = screen.query_one(StatusBar)
        assert bar.counts is not None and bar.counts.decided == 0
        await pilot.press("v")
        assert await _wait_for(pilot, sorted_out.is_set)
        await settle(pilot)
        assert not any("while you were looking" in n.message for n in app.notices)
        assert bar.counts.decided == 1
