"""Screens that fit a research assistant's day: #ID outside the filter, the footer at every
width and under dialogs, cells cut live at their logical end, typed Arabic, the stale-edit
message, and screenshots."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import update
from textual.widgets import Input, Label

from db.models import Item
from tests.importing_helpers import row, write_csv
from tests.tui.conftest import make_app, settle
from tests.tui.screen_text import screen_text, table_text
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review.decisions import set_status
from verifier.core.review.queue import QueueFilter
from verifier.core.review.saved_state import ReviewState, save_state
from verifier.core.workspace import Workspace
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.screens.text_prompt import TextPrompt
from verifier.tui.widgets.filter_line import FilterLine
from verifier.tui.widgets.item_panel import ItemPanel
from verifier.tui.widgets.plain_input import PlainInput
from verifier.tui.widgets.queue_table import QueueTable, column_widths
from verifier.tui.widgets.status_bar import StatusBar


def _queue(app: object) -> QueueScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, QueueScreen)
    return screen


def _start_with(app: object, flt: QueueFilter) -> None:
    save_state(app.state_path, ReviewState(flt, None))  # type: ignore[attr-defined]


def _footer(app: object) -> str:
    return screen_text(app).splitlines()[-1]  # type: ignore[arg-type]


async def _search(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash")
    search = _queue(pilot.app).query_one("#search", Input)
    search.value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_hash_id_opens_an_item_outside_the_filter_and_says_so(
    review_url: str, review_workspace: Workspace
) -> None:
    with review_workspace.session() as session:
        set_status(session, 2, "verified", "omar")
    app = make_app(review_url)
    _start_with(app, QueueFilter(statuses=("unverified",)))
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        queue = _queue(app)
        assert queue.current_id == 1 and 2 not in queue.rows
        await _search(pilot, "#2")
        assert queue.current_id == 2 and queue.view is not None and queue.view.id == 2
        assert "Item #2 is outside the filter (status unverified)" in app.notices[-1].message
        line = queue.query_one(FilterLine).content.plain  # type: ignore[union-attr]
        assert line.startswith("#2 outside the filter status unverified")
        await pilot.press("escape")  # back to the filter
        await settle(pilot)
        assert queue.filter == QueueFilter(statuses=("unverified",))
        assert queue.outside_of is None and 2 not in queue.rows
        await _search(pilot, "#3")  # inside the filter: just goes there
        assert queue.current_id == 3 and queue.outside_of is None
        await _search(pilot, "#999")
        assert app.notices[-1].message == "There is no item #999 in this edition."
        assert queue.current_id == 3


async def test_help_and_quit_stay_in_the_footer_at_every_width(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=(220, 60)) as pilot:
        await settle(pilot)
        for width, height in ((220, 60), (160, 45), (100, 30), (60, 24)):
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            footer = _footer(app)
            assert footer.lstrip().startswith("? Help  q Quit"), (width, footer)
            if width == 100:  # a narrow item panel: the compare key is offered
                assert "v Verify" in footer and "c Cities·values" in footer
        await pilot.resize_terminal(220, 60)
        await settle(pilot)
        assert "Cities·values" not in _footer(app)  # wide: both panes are on screen


async def test_a_dialog_shows_its_own_keys_not_the_queues(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        footer = _footer(app)
        assert "Cancel" in footer
        assert "Verify" not in footer and "Reject" not in footer and "Quit" not in footer


async def test_c_switches_a_narrow_item_panel_to_its_comparisons(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        panel = _queue(app).query_one(ItemPanel)
        assert "Snippet" in panel.text.plain and "City candidates" not in panel.text.plain
        await pilot.press("c")
        await settle(pilot)
        assert "City candidates for this label" in panel.text.plain
        assert "Same city, indicator and year" in panel.text.plain
        await pilot.press("c")
        await settle(pilot)
        assert "Snippet" in panel.text.plain


async def test_a_long_arabic_value_is_cut_live_keeping_its_number(
    review_url: str, review_workspace: Workspace
) -> None:
    value = "ميكروغرام لكل متر مكعب في المتوسط السنوي ١٢٫٥"
    with review_workspace.session() as session:
        session.exec(update(Item).where(Item.id == 1).values(value_text=value))  # type: ignore[call-overload]
    app = make_app(review_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = _queue(app).query_one(QueueTable)

        def value_cell() -> str:
            return table_text(table)[0].split(" | ")[4]

        narrow = value_cell()
        assert table.widths["value"] == column_widths(99)["value"]
        assert table.widths["value"] - 1 <= len(narrow) <= table.widths["value"]
        assert "١٢٫٥" in narrow and "…" in narrow
        # The beginning of the text (its right-hand end) is kept: "ميكر…", shaped (at 100
        # columns the value column has its least width, beside the evidence column).
        assert unicodedata.normalize("NFKC", narrow).endswith("ركيم")
        await pilot.resize_terminal(220, 60)
        await settle(pilot)
        wide = value_cell()
        assert table.widths["value"] > column_widths(99)["value"]
        assert table.widths["value"] - 1 <= len(wide) <= table.widths["value"]
        assert "١٢٫٥" in wide and len(unicodedata.normalize("NFKC", wide)) > len(narrow)


async def test_same_name_cities_are_told_apart_in_the_queue(
    review_url: str, review_workspace: Workspace
) -> None:
    with review_workspace.session() as session:
        session.exec(update(Item).where(Item.id == 5).values(city_id="lb-tripoli"))  # type: ignore[call-overload]
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        rows = table_text(_queue(app).query_one(QueueTable))
        assert "Tripoli LY" in rows[3] and "Tripoli LB" in rows[4]


async def test_arabic_typed_is_shown_in_visual_order_and_kept_logical(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        field = app.screen.query_one(PlainInput)
        field.insert_text_at_cursor("الرياض (2022)")
        await pilot.pause()
        assert field.value == "الرياض (2022)"
        assert unicodedata.normalize("NFKC", field.shown_text) == "(2022) ضايرلا"
        app.action_toggle_bidi()  # bidi off: the terminal lays it out itself
        await pilot.pause()
        assert field.shown_text == "الرياض (2022)"


async def test_the_empty_complaint_goes_as_soon_as_the_user_types(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("r", "enter")
        await pilot.pause()
        error = app.screen.query_one("#prompt-error", Label)
        assert str(error.content) == "This cannot be empty."
        await pilot.press("x")
        await pilot.pause()
        assert str(error.content) == ""


async def test_the_stale_edit_message_comes_once_and_the_counts_refresh(
    review_url: str, review_workspace: Workspace
) -> None:
    app = make_app(review_url)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        bar = _queue(app).query_one(StatusBar)
        assert bar.counts is not None and bar.counts.by_status["verified"] == 0
        with review_workspace.session() as session:
            set_status(session, 1, "verified", "omar")
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one(Input).value = "unclear"
        await pilot.press("enter")
        await settle(pilot)
        stale = [n.message for n in app.notices if "someone else changed" in n.message]
        assert stale == [
            "Not saved: someone else changed this item while you were looking at it. "
            "It has been reloaded; check it again and decide."
        ]
        assert bar.counts.by_status["verified"] == 1


async def test_a_screenshot_goes_to_the_configured_folder_and_says_where(
    review_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "shots"
    app = make_app(review_url, screenshot_dir=str(folder))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.action_screenshot(filename="queue.svg")
        assert (folder / "queue.svg").read_text(encoding="utf-8").startswith("<svg")
        assert app.notices[-1].message == f"Screenshot saved to {folder / 'queue.svg'}"
        blocked = tmp_path / "a-file"
        blocked.write_text("")
        app.action_screenshot(filename="x.svg", path=str(blocked))
        assert app.notices[-1].severity == "error"
        assert app.notices[-1].message.startswith(f"Cannot save the screenshot in {blocked}: ")


@pytest.mark.parametrize("size", [(100, 30), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_queue_fits_its_width_without_scrolling_sideways(
    review_url: str, review_workspace: Workspace, tmp_path: Path, size: tuple[int, int]
) -> None:
    """The columns are laid out to the room beside the vertical scrollbar, whatever its
    width: one cell more and a horizontal scrollbar takes a row under the queue."""
    more = [
        row("Riyadh", "TRD-WATER", f"{50 + n}%", "", str(2000 + n), "yearbook-2023",
            f"p. {n}", f"households with piped water {50 + n}%")
        for n in range(20)
    ]  # fmt: skip
    import_file(review_workspace, write_csv(tmp_path / "more.csv", more), ImportOptions("omar"))
    app = make_app(review_url)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = _queue(app).query_one(QueueTable)
        assert table.row_count > table.scrollable_content_region.height  # it scrolls down
        assert table.show_vertical_scrollbar and not table.show_horizontal_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert table.scrollable_content_region.width == size[0] - 1
