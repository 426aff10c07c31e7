"""Opening the document pane leaves the focus on the queue: the pane's keys scroll its page
before the queue's own, the panel out of view takes no focus, and the pane fills the
item's place at any size, before and after the terminal is resized."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import func, select

from db.models import ReviewEvent
from tests.tui.conftest import at_item, evidence_pane, make_app, settle
from tests.tui.screen_text import screen_text
from verifier.core.workspace import Workspace
from verifier.tui.widgets.item_panel import ItemPanel
from verifier.tui.widgets.queue_table import QueueTable

# The quote near the top of a page longer than the pane (fpdf2 carries what does not fit
# on to the next page).
LONG_PAGE = [
    "Table 4: piped water",
    "Riyadh: households with piped water 98.7%",
    *(f"filler line {n} on the water supply" for n in range(1, 41)),
]
HEADER = "Source yearbook-2023  ·  yb.pdf  ·  page 2 of"


def _events(workspace: Workspace) -> int:
    with workspace.reading() as session:
        return session.exec(select(func.count()).select_from(ReviewEvent)).one()


async def test_the_keys_scroll_the_page_while_the_queue_keeps_the_focus(
    review_url: str,
    review_workspace: Workspace,
    quoted_pdf: Callable[[list[list[str]]], None],
) -> None:
    quoted_pdf([["Yearbook 2023"], LONG_PAGE, ["Chapter 3: notes"]])
    events = _events(review_workspace)
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(120, 30)) as pilot:  # a page taller than the pane
        queue = await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        shown = screen_text(app)
        assert HEADER in shown and "Item #2" not in shown
        assert isinstance(app.focused, QueueTable)
        page = evidence_pane(app).page
        await pilot.press("home")
        await settle(pilot)
        assert page.scroll_y == 0 and "Table 4: piped water" in screen_text(app)
        await pilot.press("down", "down")
        await settle(pilot)
        assert page.scroll_y == 2 and queue.current_id == 2
        await pilot.press("pagedown")
        await settle(pilot)
        assert page.scroll_y > 2 and queue.current_id == 2
        assert "Table 4: piped water" not in screen_text(app)
        # Tab goes round the screen without ever landing in the item panel out of view.
        for _ in range(6):
            await pilot.press("tab")
            assert app.focused is None or ItemPanel not in map(
                type, app.focused.ancestors_with_self
            )
        await pilot.press("escape")
        await settle(pilot)
        assert not queue.evidence_open and queue.current_id == 2
        assert isinstance(app.focused, QueueTable)
        shown = screen_text(app)
        assert "Item #2" in shown and HEADER not in shown
        # Closed, the pane's page is out of reach of Tab; the arrows are the queue's again.
        for _ in range(6):
            await pilot.press("tab")
            assert app.focused is not page
        app.screen.query_one(QueueTable).focus()
        await pilot.press("down")
        await settle(pilot)
        assert queue.current_id == 3
    assert _events(review_workspace) == events  # scrolling and moving decided nothing


async def test_j_and_k_move_between_items_while_the_arrows_stay_in_the_page(
    yearbook_url: str,
) -> None:
    app = make_app(yearbook_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("down", "end", "pagedown")  # a short page: nothing to scroll
        await settle(pilot)
        assert queue.current_id == 2 and "page 2 of 3" in screen_text(app)
        await pilot.press("j")
        await settle(pilot)
        assert queue.evidence_open and queue.current_id == 3
        assert "The quote was not found word for word" in screen_text(app)
        await pilot.press("k")
        await settle(pilot)
        assert queue.current_id == 2 and "The quote is on this page." in screen_text(app)


async def test_the_pane_fills_the_items_place_after_a_resize(yearbook_url: str) -> None:
    app = make_app(yearbook_url, bidi="off")
    async with app.run_test(size=(100, 30)) as pilot:
        queue = await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        assert any(line.startswith(HEADER) for line in screen_text(app).splitlines())
        await pilot.resize_terminal(150, 40)
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert any(line.startswith(HEADER) for line in lines)
        assert "Riyadh: households with piped water 98.7%" in "\n".join(lines)
        assert not any("Item #2" in line for line in lines)
        await pilot.press("e")
        await settle(pilot)
        assert not queue.evidence_open
        lines = screen_text(app).splitlines()
        assert any(line.startswith("Item #2") for line in lines)
        assert not any(HEADER in line for line in lines)
