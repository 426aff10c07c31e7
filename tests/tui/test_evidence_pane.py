"""The document pane: the item's stored document at its quote, paged, a workbook's cells as
a grid; decisions keep their keys; ``o`` falls back to it; a document's text is literal."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db.models import Item
from tests.evidence.documents import make_xlsx
from tests.tui.conftest import at_item, attach_document, evidence_pane, make_app, settle
from tests.tui.screen_text import screen_text
from verifier.core.workspace import Workspace
from verifier.tui.widgets.evidence_pane import EvidencePane
from verifier.tui.widgets.queue_table import QueueTable

HOSTILE_PAGE = ["[@click=app.quit]boom[/] [b]bold[/b] [link=http://x]y[/]"]


def _styles_of(pane: EvidencePane, words: str) -> set[str]:
    """The styles the body gives the characters of ``words`` (where they first occur)."""
    body = pane.page.content
    start = body.plain.index(words)
    return {
        str(span.style)
        for span in body.spans
        if span.start < start + len(words) and span.end > start
    }


async def test_the_pane_shows_the_quoted_page_highlighted_and_pages_through(
    yearbook_url: str,
) -> None:
    app = make_app(yearbook_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        pane = evidence_pane(app)
        assert queue.evidence_open
        assert "page 2 of 3" in screen_text(app) and "Item #2" not in screen_text(app)
        shown = pane.text
        assert "page 2 of 3" in shown
        assert "The quote is on this page." in shown
        assert "Cairo: households with piped water 97.5%" in shown
        assert "bold black on yellow" in _styles_of(pane, "Riyadh: households")
        assert "bold white on red" in _styles_of(pane, "98.7")
        assert "bold white on red" not in _styles_of(pane, "97.5")
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "page 3 of 3" in pane.text
        assert "Water figures are for households." in pane.text
        assert "The quote is on page 2, not on this page." in pane.text
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert "page 1 of 3" in pane.text and "Chapter 1: water" in pane.text
        await pilot.press("escape")
        await settle(pilot)
        assert not queue.evidence_open
        assert "Item #2" in screen_text(app) and "page 1 of 3" not in screen_text(app)


async def test_a_workbook_shows_the_cells_around_the_located_one(
    review_url: str, review_workspace: Workspace, tmp_path: Path
) -> None:
    attach_document(review_workspace, make_xlsx(tmp_path / "indicators.xlsx"),
            locator="Broadband!D10", value_text="88.2%", snippet="")  # fmt: skip
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        pane = evidence_pane(app)
        shown = pane.text
        assert "sheet 'Broadband' (2 of 2)" in shown
        assert "cell D10 highlighted" in shown
        riyadh = next(line for line in shown.splitlines() if "Riyadh" in line)
        assert riyadh.split()[0] == "10" and "88.2%" in riyadh and "25.4" in riyadh
        grid = pane.page.content
        column_d = grid.columns[[c.header for c in grid.columns].index("D")]
        cells = list(column_d.cells)
        focus_row = [str(c.source.plain) for c in cells].index("88.2%")
        assert cells[focus_row].style == "bold black on yellow"


async def test_decisions_keep_their_keys_in_the_pane(
    yearbook_url: str, review_workspace: Workspace
) -> None:
    app = make_app(yearbook_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.focused, QueueTable)  # the focus stays: v is the queue's key
        await pilot.press("v")
        await settle(pilot)
        assert queue.evidence_open and queue.current_id == 3
        # Item 3 has the same source, and a quote that is not in it: the pane follows.
        assert "The quote was not found word for word" in evidence_pane(app).text
    with review_workspace.reading() as session:
        item = session.get(Item, 2)
        assert item is not None and item.status == "verified" and item.status_changed_by == "sara"


async def test_o_falls_back_to_the_pane_without_a_desktop(
    yearbook_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    app = make_app(yearbook_url, bidi="off")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        queue = await at_item(app, pilot, 2)
        await pilot.press("o")
        await settle(pilot)
        assert opened == []
        assert queue.evidence_open and "page 2 of 3" in evidence_pane(app).text
        assert any("no desktop opener" in n.message for n in app.notices)


async def test_a_source_without_a_document_says_so_in_the_pane(
    review_url: str, review_workspace: Workspace
) -> None:
    with review_workspace.engine.begin() as connection:
        connection.execute(text("UPDATE source SET file_sha256 = '' WHERE key = 'yearbook-2023'"))
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        assert "has no document stored in the workspace" in evidence_pane(app).text


async def test_hostile_text_in_a_document_shows_literally(
    review_url: str, review_workspace: Workspace, tmp_path: Path
) -> None:
    document = tmp_path / "hostile.txt"
    document.write_text("\n".join(HOSTILE_PAGE) + "\nvalue 98.7\x1b[31m red\x1b[0m\n")
    attach_document(review_workspace, document, snippet="[b]bold[/b]")
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        assert app.is_running
        shown = evidence_pane(app).text
        assert "[@click=app.quit]boom[/] [b]bold[/b] [link=http://x]y[/]" in shown
        assert "\x1b" not in shown
        assert "bold black on yellow" in _styles_of(evidence_pane(app), "[b]bold[/b]")


async def test_the_palette_offers_the_pane(review_url: str) -> None:
    from verifier.tui.commands import ReviewCommands

    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        provider = ReviewCommands(app.screen)
        names = [name for name, _help, _run in provider._commands()]
        assert "Document" in names
