"""The queue: filters, search, paging, the saved position, keys, help, palette, bidi."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select, Static

from db.models import Item
from tests.importing_helpers import row, write_csv
from tests.tui.conftest import make_app, settle
from tests.tui.screen_text import panel_text, rendered, screen_text, table_text
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace
from verifier.presentation.display import shown
from verifier.tui.screens.dashboard_screen import DashboardScreen
from verifier.tui.screens.filter_dialog import FilterDialog
from verifier.tui.screens.help_screen import HelpScreen
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.widgets.queue_table import QueueTable
from verifier.tui.widgets.status_bar import StatusBar


def _queue(app: object) -> QueueScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, QueueScreen)
    return screen


def _ids(queue: QueueScreen) -> list[int]:
    return [row.id for row in queue.page.rows] if queue.page else []


async def test_filter_dialog_narrows_the_queue(review_url: str):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        assert _ids(queue) == [1, 2, 3, 4, 5, 6, 7, 8]
        await pilot.press("ctrl+f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#filter-indicators", Select).value = "TRD-DEATHS"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _ids(queue) == [4, 5]
        assert queue.current_id == 4
        assert "indicator TRD-DEATHS" in screen_text(app)
        assert "item 1 of 2" in screen_text(app)


async def test_search_finds_items_in_either_script(review_url: str):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        await pilot.press("slash", *"riyadh", "enter")
        await settle(pilot)
        # Item 1 is labelled الرياض: found through its city's names.
        assert _ids(queue) == [1, 2, 3]
        await pilot.press("slash")
        await pilot.pause()
        queue.query_one("#search").value = "طرابلس"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        # 5 and 6 by their label; 4 (Tarabulus) by its city's Arabic name.
        assert _ids(queue) == [4, 5, 6]
        queue.apply_filter(QueueFilter(search="zzzz"))
        await settle(pilot)
        assert _ids(queue) == []
        assert "No item matches the filter." in panel_text(app)
        await pilot.press("v")  # nothing to decide: refused quietly
        await settle(pilot)


@pytest.fixture
def many_items(mini: Workspace, tmp_path: Path) -> str:
    rows = [row(locator=f"p. {n}", snippet=f"row {n} 99.1%") for n in range(1, 46)]
    import_file(mini, write_csv(tmp_path / "many.csv", rows), ImportOptions("omar"))
    return mini.url


async def test_paging_and_the_position_survive_a_restart(many_items: str):
    app = make_app(many_items, page_size=20)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        table = queue.query_one(QueueTable)
        assert _ids(queue) == list(range(1, 21))
        table.move_cursor(row=19)
        await settle(pilot)
        await pilot.press("j")  # past the last row: the next page
        await settle(pilot)
        assert _ids(queue)[0] == 21 and queue.current_id == 21
        assert queue.query_one(StatusBar).position == 21
        await pilot.press("k")  # before the first row: the previous page
        await settle(pilot)
        assert queue.current_id == 20 and _ids(queue)[-1] == 20
        await pilot.press("down", "down")
        await settle(pilot)
        assert queue.current_id == 22
        queue.apply_filter(queue.filter.without_status())
        await settle(pilot)
        table.move_cursor(row=9)
        await settle(pilot)
        assert queue.current_id == 10

    again = make_app(many_items, page_size=20)
    async with again.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(again)
        assert queue.current_id == 10
        assert queue.filter.statuses == ()
        assert queue.query_one(StatusBar).position == 10


async def test_remapped_keys_work_and_help_shows_them(review_url: str, review_workspace: Workspace):
    app = make_app(review_url, keymap={"verify": "x", "nonsense": "z"})
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        assert any("nonsense" in n.message for n in app.notices)
        await pilot.press("v")  # no longer verify
        await settle(pilot)
        assert _queue(app).current_id == 1
        await pilot.press("x")
        await settle(pilot)
        assert _queue(app).current_id == 2
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_lines = rendered(app.screen.query_one("#help-table", Static).content).splitlines()
        keys = {line.split("│")[1].strip(): line.split("│")[0].strip()
                for line in help_lines if line.count("│") >= 2}  # fmt: skip
        assert keys["verify"] == "x" and keys["reject"] == "r" and keys["help"] == "?  f1"
        assert {"match", "confirm_label", "undo", "search", "toggle_bidi", "quit"} <= set(keys)
        await pilot.press("escape")
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
    with review_workspace.reading() as session:
        item = session.get(Item, 1)
        assert item is not None and item.status == "verified"


async def test_the_command_palette_offers_the_actions(review_url: str, review_workspace: Workspace):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"verify")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert _queue(app).current_id == 2
    with review_workspace.reading() as session:
        item = session.get(Item, 1)
        assert item is not None and item.status == "verified"


async def test_bidi_toggle_changes_only_the_display(review_url: str, review_workspace: Workspace):
    label = "الرياض"
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        visual = shown(label, bidi=True)
        assert visual != label
        assert visual in panel_text(app) and label not in panel_text(app)
        await pilot.press("b")
        await settle(pilot)
        assert app.bidi is False
        assert label in panel_text(app)
        assert "bidi off" in app.sub_title
        source_cell = table_text(queue.query_one(QueueTable))[0]
        assert "التقرير السنوي" in source_cell  # logical order, for a terminal that reorders
    off = make_app(review_url, bidi="off")
    async with off.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        assert off.bidi is False and label in panel_text(off)
    with review_workspace.reading() as session:
        item = session.get(Item, 1)
        assert item is not None and item.raw_label == label


async def test_the_dashboard_opens_and_closes(review_url: str):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("v", "d")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        text = screen_text(app)
        assert "1/8 decided" in text
        assert "No publication yet." in text and "Open conflicts: 0" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_q_is_a_letter_in_dialogs_and_quits_elsewhere(review_url: str):
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("n", "q")
        await settle(pilot)
        assert app.is_running and app.screen.query_one("#prompt-input").value == "q"  # type: ignore[attr-defined]
        await pilot.press("escape", "q")
        await settle(pilot)
        assert not app.is_running
