"""Changing an item's city from the review app: a candidate, a gazetteer search in either
script, and confirming a city for every item with the same label."""

from __future__ import annotations

from sqlmodel import col, select

from db.models import Item, ReviewEvent
from tests.tui.conftest import make_app, settle
from tests.tui.screen_text import panel_text
from verifier.core.workspace import Workspace
from verifier.tui.app import ReviewApp
from verifier.tui.backend import ReviewBackend
from verifier.tui.screens.confirm_dialog import ConfirmDialog
from verifier.tui.screens.match_dialog import MatchDialog
from verifier.tui.screens.queue_screen import QueueScreen


def _cities(workspace: Workspace, *ids: int) -> list[tuple[str | None, str | None]]:
    with workspace.reading() as session:
        items = [session.get(Item, i) for i in ids]
        return [(i.city_id, i.match_method) for i in items if i is not None]


def _match_events(workspace: Workspace) -> list[ReviewEvent]:
    with workspace.reading() as session:
        query = select(ReviewEvent).where(col(ReviewEvent.action).in_(("match", "undo")))
        return list(session.exec(query.order_by(col(ReviewEvent.id))))


async def _open_item(app: ReviewApp, pilot: object, item_id: int) -> QueueScreen:
    await settle(pilot)  # type: ignore[arg-type]
    queue = app.screen
    assert isinstance(queue, QueueScreen)
    queue._go_to(item_id)
    await settle(pilot)  # type: ignore[arg-type]
    assert queue.view is not None and queue.view.id == item_id
    return queue


async def test_pick_the_second_candidate(review_url: str, review_workspace: Workspace):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await _open_item(app, pilot, 5)
        assert queue.view is not None
        candidates = [c.city_id for c in queue.view.candidates]
        assert set(candidates[:2]) == {"lb-tripoli", "ly-tripoli"}  # same name, no country
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MatchDialog)
        await pilot.press("down", "down", "enter")  # to the list, to the second candidate
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert queue.current_id == 5  # choosing a city does not decide the item
        assert f"({candidates[1]}" in panel_text(app)
    [(city, method)] = _cities(review_workspace, 5)
    assert (city, method) == (candidates[1], "manual")  # not the suggestion: chosen by hand
    [event] = _match_events(review_workspace)
    assert (event.item_id, event.actor, event.payload["new_city"]) == (5, "sara", candidates[1])


async def test_search_the_gazetteer_in_latin_and_in_arabic(
    review_url: str, review_workspace: Workspace
):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await _open_item(app, pilot, 5)
        await pilot.press("m")
        await pilot.press(*"Trablous")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MatchDialog)
        options = dialog.query_one("#match-options")
        first = options.get_option_at_index(0)  # type: ignore[attr-defined]
        assert first.id == "lb-tripoli"
        await pilot.press("enter")
        await settle(pilot)
        assert _cities(review_workspace, 5)[0][0] == "lb-tripoli"

        await _open_item(app, pilot, 6)
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MatchDialog)
        dialog.query_one("#match-search").value = "طرابلس الغرب"  # type: ignore[attr-defined]
        await settle(pilot)
        first = dialog.query_one("#match-options").get_option_at_index(0)  # type: ignore[attr-defined]
        assert first.id == "ly-tripoli"
        await pilot.press("enter")
        await settle(pilot)
    assert _cities(review_workspace, 6)[0][0] == "ly-tripoli"


async def test_confirm_a_city_for_every_item_with_the_label_and_undo_it(
    review_url: str, review_workspace: Workspace
):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await _open_item(app, pilot, 5)
        assert queue.view is not None
        suggested = queue.view.suggested_city_id
        assert suggested is not None and queue.view.same_label_count == 2
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert _cities(review_workspace, 5, 6) == [(suggested, "bulk"), (suggested, "bulk")]
        events = _match_events(review_workspace)
        assert {e.item_id for e in events} == {5, 6}
        assert len({e.payload["bulk"] for e in events}) == 1  # one decision
        await pilot.press("u")
        await settle(pilot)
        assert any("2 items" in n.message for n in app.notices)
    assert _cities(review_workspace, 5, 6) == [(None, None), (None, None)]


async def test_saying_no_to_the_bulk_confirmation_changes_nothing(
    review_url: str, review_workspace: Workspace
):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await _open_item(app, pilot, 5)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
    assert _cities(review_workspace, 5, 6) == [(None, None), (None, None)]
    assert _match_events(review_workspace) == []


async def test_the_city_dialog_waits_for_the_candidates(review_url: str, monkeypatch):
    # The first item is drawn before the matcher is built, its candidates follow; when they
    # cannot be found the reviewer is told, and m opens no dialog without them.
    def unreadable(_backend: ReviewBackend, _shown: object) -> None:
        raise OSError("the gazetteer cannot be read")

    monkeypatch.setattr(ReviewBackend, "with_candidates", unreadable)
    app = make_app(review_url)
    async with app.run_test(size=(220, 60)) as pilot:
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        assert queue.view is not None and queue.view.candidates_pending
        assert "finding the candidates…" in panel_text(app)
        assert [n.severity for n in app.notices] == ["error"]
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.notices[-1].message == (
            "The city candidates are still being found; try again in a moment."
        )
