"""Every decision key, driven through the app, checked on screen and in the database."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from sqlmodel import col, select

from db.models import Item, ReviewEvent
from tests.tui.conftest import answer, make_app, settle
from tests.tui.screen_text import panel_text, table_text
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.screens.text_prompt import TextPrompt
from verifier.tui.widgets.queue_table import QueueTable


def _item(workspace: Workspace, item_id: int) -> Item:
    with workspace.reading() as session:
        item = session.get(Item, item_id)
        assert item is not None
        return item


def _events(workspace: Workspace, item_id: int | None = None) -> list[ReviewEvent]:
    decisions = ("status", "note", "match", "undo")
    query = select(ReviewEvent).where(col(ReviewEvent.action).in_(decisions))
    if item_id is not None:
        query = query.where(ReviewEvent.item_id == item_id)
    with workspace.reading() as session:
        return list(session.exec(query.order_by(col(ReviewEvent.id))))


def _queue(app: object) -> QueueScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, QueueScreen)
    return screen


async def test_verify_saves_and_opens_the_next_item(review_url: str, review_workspace: Workspace):
    version = _item(review_workspace, 1).version
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        assert queue.current_id == 1 and queue.view is not None and queue.view.id == 1
        await pilot.press("v")
        await settle(pilot)
        assert queue.current_id == 2 and queue.view is not None and queue.view.id == 2
        assert "✓ verified" in table_text(queue.query_one(QueueTable))[0]
        assert "Item #2" in panel_text(app)
    item = _item(review_workspace, 1)
    assert (item.status, item.status_changed_by, item.version) == ("verified", "sara", version + 1)
    [event] = _events(review_workspace, 1)
    assert (event.actor, event.action, event.old_status, event.new_status) == (
        "sara", "status", "unverified", "verified",
    )  # fmt: skip


async def test_reject_asks_for_a_reason(review_url: str, review_workspace: Workspace):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # empty: refused, the dialog stays
        assert isinstance(app.screen, TextPrompt)
        await answer(pilot, "value is for 2019")
        await settle(pilot)
        assert _queue(app).current_id == 2
    item = _item(review_workspace, 1)
    assert item.status == "rejected"
    [event] = _events(review_workspace, 1)
    assert (event.new_status, event.reason) == ("rejected", "value is for 2019")


async def test_cancelling_the_reason_saves_nothing(review_url: str, review_workspace: Workspace):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("r", "x", "escape")
        await settle(pilot)
        assert _queue(app).current_id == 1
    assert _item(review_workspace, 1).status == "unverified"
    assert _events(review_workspace) == []


async def test_flag_asks_for_a_note(review_url: str, review_workspace: Workspace):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await answer(pilot, "page 12 missing")
        await settle(pilot)
    [event] = _events(review_workspace, 1)
    assert (event.new_status, event.note, event.reason) == ("flagged", "page 12 missing", "")
    assert _item(review_workspace, 1).status == "flagged"


async def test_note_keeps_the_status_and_shows_in_the_history(
    review_url: str, review_workspace: Workspace
):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await answer(pilot, "checked table 3")
        await settle(pilot)
        queue = _queue(app)
        assert queue.current_id == 1  # a note is not a decision: the item stays open
        assert "note: checked table 3" in panel_text(app)
    [event] = _events(review_workspace, 1)
    assert (event.action, event.note, event.new_status) == ("note", "checked table 3", "unverified")


async def test_changing_a_decision_asks_for_a_reason(review_url: str, review_workspace: Workspace):
    with review_workspace.session() as session:
        set_status(session, 1, "verified", "omar")
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        queue.apply_filter(queue.filter.without_status())
        await settle(pilot)
        assert queue.current_id == 1
        await pilot.press("r")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert "It was verified by omar" in prompt._explanation.plain
        await answer(pilot, "wrong table")
        await settle(pilot)
    events = _events(review_workspace, 1)
    assert [(e.actor, e.new_status, e.reason) for e in events] == [
        ("omar", "verified", ""),
        ("sara", "rejected", "wrong table"),
    ]


async def test_undo_reverts_the_last_decision_and_goes_back(
    review_url: str, review_workspace: Workspace
):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        queue = _queue(app)
        assert queue.current_id == 3
        await pilot.press("u")
        await settle(pilot)
        assert queue.current_id == 2  # back on the item whose decision was undone
        assert "· unverified" in table_text(queue.query_one(QueueTable))[1]
        assert any("Undone" in n.message for n in app.notices)
    assert _item(review_workspace, 2).status == "unverified"
    assert _item(review_workspace, 1).status == "verified"
    undo = _events(review_workspace, 2)[-1]
    assert (undo.action, undo.old_status, undo.new_status) == ("undo", "verified", "unverified")


async def test_a_concurrent_edit_is_reported_and_the_item_reloaded(
    review_url: str, review_workspace: Workspace
):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        queue = _queue(app)
        assert queue.current_id == 1
        # Someone else flags item 1 while sara looks at it.
        with review_workspace.session() as session:
            set_status(session, 1, "flagged", "omar", note="source unclear")
        await pilot.press("v")
        await settle(pilot)
        assert queue.current_id == 1  # not advanced: nothing was saved
        assert any("someone else changed this item" in n.message for n in app.notices)
        assert queue.view is not None and queue.view.status == "flagged"
        assert "⚑ flagged" in table_text(queue.query_one(QueueTable))[0]
        await pilot.press("v")  # now on what is shown: allowed (a flag is not a decision)
        await settle(pilot)
    assert _item(review_workspace, 1).status == "verified"
    assert [e.actor for e in _events(review_workspace, 1)] == ["omar", "sara"]


async def test_deciding_twice_quickly_never_decides_an_unseen_item(
    review_url: str, review_workspace: Workspace
):
    app = make_app(review_url)
    saving = threading.Event()
    release = threading.Event()
    bells: list[None] = []
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        original = app.backend.set_status

        def slow_set_status(*args: Any, **kwargs: Any) -> Any:
            saving.set()
            assert release.wait(30), "the test never released the decision"
            return original(*args, **kwargs)

        app.backend.set_status = slow_set_status  # type: ignore[method-assign]
        app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
        await pilot.press("v")
        assert await asyncio.to_thread(saving.wait, 30)
        # Item 1 is still being saved: both presses are refused with a bell, not queued.
        await pilot.press("v", "v")
        await pilot.pause()
        assert len(bells) == 2
        release.set()
        await settle(pilot)
        statuses = [_item(review_workspace, i).status for i in (1, 2, 3, 4)]
        assert statuses == ["verified", "unverified", "unverified", "unverified"]
        # Once it is saved, the next key decides the item now shown: item 2.
        assert "#2" in panel_text(app)
        await pilot.press("v")
        await settle(pilot)
    statuses = [_item(review_workspace, i).status for i in (1, 2, 3, 4)]
    assert statuses == ["verified", "verified", "unverified", "unverified"]
