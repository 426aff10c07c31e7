"""The review UI on a 100×30 terminal: dialogs keep their buttons and hints in view, every
key of the help can be scrolled to, and tables keep their numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from textual.widgets import Button, Select

from tests.tui.conftest import at_item, make_app, settle
from tests.tui.screen_text import screen_text
from verifier.core.eventlog.feed import Change
from verifier.core.review.queue import QueueFilter
from verifier.core.review.sprints import create_sprint
from verifier.core.workspace import Workspace
from verifier.tui.screens.colleagues import ColleagueUpdates
from verifier.tui.screens.dashboard_screen import DashboardScreen
from verifier.tui.screens.filter_dialog import FilterDialog
from verifier.tui.screens.help_screen import HelpScreen
from verifier.tui.screens.sprint_screen import SprintScreen
from verifier.tui.widgets.item_panel import ItemPanel

SMALL = (100, 30)


def _in_view(app: object, widget: object) -> bool:
    """Whether the widget is drawn inside the screen and inside its dialog."""
    region = widget.region  # type: ignore[attr-defined]
    screen = app.screen.region  # type: ignore[attr-defined]
    dialog = app.screen.query_one(".dialog").region  # type: ignore[attr-defined]
    return region.height > 0 and screen.contains_region(region) and dialog.contains_region(region)


async def test_the_help_scrolls_to_its_last_key_on_a_small_terminal(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("end")
        await settle(pilot)
        shown = screen_text(app)
        # The last rows of the table (the "Everywhere" keys) and the closing hint.
        assert "Reorder and shape Arabic" in shown
        assert "Escape to close" in shown


async def test_the_filter_dialog_keeps_its_buttons_on_a_small_terminal(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        for button in dialog.query(Button):
            assert _in_view(app, button), button.id
        assert _in_view(app, dialog.query_one("#filter-error"))
        assert "ctrl+s or Enter in Search: apply" in screen_text(app)


async def test_a_colleagues_change_is_said_in_full_on_a_small_terminal(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=SMALL) as pilot:
        queue = await at_item(app, pilot, 2)
        change = Change(
            1, 1, 2, "omar", "status", "verified", datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
        )
        queue.query_one(ItemPanel).mark(2, ColleagueUpdates._describe(change))
        await settle(pilot)
        shown = " ".join(screen_text(app).split())
        assert "omar decided this item (verified) at" in shown
        assert "while you were looking at it. Check it again before deciding." in shown


async def test_the_sprint_dashboard_starts_under_its_sprint_line(
    review_url: str, review_workspace: Workspace
) -> None:
    start = datetime.combine(date.today() - timedelta(days=1), time(0)).astimezone()
    with review_workspace.session() as session:
        create_sprint(session, 1, "wk", start, start + timedelta(days=3), QueueFilter(),
                      ["omar", "sara"], "layla")  # fmt: skip
    app = make_app(review_url, user="layla")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SprintScreen)
        bar, board = app.screen.query_one("#sprint-bar"), app.screen.query_one("#sprint-board")
        assert bar.region.height == 1  # the choice of sprint, one line
        assert board.region.y == bar.region.bottom  # the board right below it
        lines = screen_text(app).splitlines()
        assert any(line.startswith("Burn-down") for line in lines)
        footer = lines[-1].split()
        assert footer[:4] == ["?", "Help", "q", "Quit"]
        assert "queue" not in lines[-1]  # it goes back to the dashboard here
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_typing_arabic_finds_an_arabic_option_with_bidi_on(review_url: str) -> None:
    app = make_app(review_url, bidi="on")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        select = app.screen.query_one("#filter-sources", Select)
        select.focus()
        await pilot.press("enter")  # open the list
        for character in "وزارة":  # a word inside the title, typed in logical order
            await pilot.press(character)
        await pilot.press("enter")
        await settle(pilot)
        assert select.value == "ministry-ar"
        await pilot.press("enter")
        for character in "yearbook":  # Latin as before
            await pilot.press(character)
        await pilot.press("enter")
        await settle(pilot)
        assert select.value == "yearbook-2023"


async def test_reassign_without_a_sprint_says_why(review_url: str) -> None:
    app = make_app(review_url, user="layla")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SprintScreen)
        await pilot.press("r")
        await settle(pilot)
        assert app.notices[-1].message.startswith("No sprint to reassign from yet")
