"""The document pane keeps the pages it showed: opened again on an item, the page is drawn
at once, with nothing read; an answer read for an earlier request never replaces the page
asked for after it; the page on the screen is the page in the database's document."""

from __future__ import annotations

from tests.tui.conftest import at_item, evidence_pane, make_app, settle
from tests.tui.screen_text import screen_text


async def test_a_page_shown_before_is_drawn_again_at_once(yearbook_url: str) -> None:
    app = make_app(yearbook_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        first = evidence_pane(app).text
        assert "page 2 of 3" in first
        await pilot.press("e")  # closed
        await settle(pilot)
        reads = queue._requested
        await pilot.press("e")  # no pause for a worker: the kept page is there already
        assert queue.evidence_open and evidence_pane(app).text == first
        assert "Reading the document" not in evidence_pane(app).text
        await pilot.pause()
        shown = screen_text(app)
        assert "Riyadh: households with piped water 98.7%" in shown
        assert queue._requested == reads + 1


async def test_an_earlier_request_never_replaces_a_later_one(yearbook_url: str) -> None:
    app = make_app(yearbook_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        # Page 3 is asked for (read in a worker), then at once the kept page 2: the answer
        # for page 3 arrives last and is dropped.
        queue._request(2, 3)
        assert queue._request(2, None)
        await settle(pilot)
        assert "page 2 of 3" in evidence_pane(app).text
        assert queue._passage is not None and queue._passage.number == 2
