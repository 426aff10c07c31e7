"""`p` opens the item's provenance; it says when an item is not published, and why."""

from __future__ import annotations

from textual.widgets import Static

from tests.tui.conftest import make_app, settle
from tests.tui.screen_text import rendered
from verifier.tui.screens.provenance_screen import ProvenanceScreen
from verifier.tui.screens.queue_screen import QueueScreen


def _markdown_source(app: object) -> str:
    """What the provenance screen shows, as text."""
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ProvenanceScreen)
    return rendered(screen.query_one("#provenance-text", Static).content, width=140)


async def test_p_shows_the_items_provenance_and_escape_returns(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        text = _markdown_source(app)
        assert "Item 1" in text
        assert "not published" in text.lower()  # nothing is published in this workspace
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_arabic_in_the_provenance_follows_the_bidi_setting(review_url: str) -> None:
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        logical = _markdown_source(app)
        await pilot.press("b")
        await settle(pilot)
        visual = _markdown_source(app)
    assert "الرياض" in logical
    assert "الرياض" not in visual and "ﺽﺎﻳﺮﻟﺍ" in visual  # shaped, in visual order
