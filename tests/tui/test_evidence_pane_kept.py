"""The document pane keeps the pages it showed: opened again on an item, the page is drawn
at once, with nothing read; an answer read for an earlier request never replaces the page
asked for after it; the page on the screen is the page in the database's document."""

from __future__ import annotations

from pathlib import Path

from tests.evidence.documents import make_pdf
from tests.tui.conftest import make_app, settle
from tests.tui.screen_text import screen_text
from tests.tui.test_evidence_pane import PAGES, _at_item, _attach, _pane
from verifier.core.workspace import Workspace


async def test_a_page_shown_before_is_drawn_again_at_once(
    review_url: str, review_workspace: Workspace, tmp_path: Path
) -> None:
    _attach(review_workspace, make_pdf(tmp_path / "yb.pdf", PAGES, align="L"), locator="p. 2")
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await _at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        first = _pane(app).text
        assert "page 2 of 3" in first
        await pilot.press("e")  # closed
        await settle(pilot)
        reads = queue._requested
        await pilot.press("e")  # no pause for a worker: the kept page is there already
        assert queue.evidence_open and _pane(app).text == first
        assert "Reading the document" not in _pane(app).text
        await pilot.pause()
        shown = screen_text(app)
        assert "Riyadh: households with piped water 98.7%" in shown
        assert queue._requested == reads + 1


async def test_an_earlier_request_never_replaces_a_later_one(
    review_url: str, review_workspace: Workspace, tmp_path: Path
) -> None:
    _attach(review_workspace, make_pdf(tmp_path / "yb.pdf", PAGES, align="L"), locator="p. 2")
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await _at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        # Page 3 is asked for (read in a worker), then at once the kept page 2: the answer
        # for page 3 arrives last and is dropped.
        queue._request(2, 3)
        assert queue._request(2, None)
        await settle(pilot)
        assert "page 2 of 3" in _pane(app).text
        assert queue._passage is not None and queue._passage.number == 2
