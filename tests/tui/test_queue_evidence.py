"""The evidence check in the review UI: the queue's evidence column, the filter (dialog and
palette) that takes the items whose value differs first, the item view's result with both
numbers; what is shown comes from the database, and decisions are recorded there."""

from __future__ import annotations

from db.models import Item
from tests.evidence.stored_results import plant_results
from tests.tui.conftest import make_app, settle
from tests.tui.screen_text import panel_text, screen_text, table_text
from verifier.core.review.saved_state import load_state
from verifier.core.workspace import Workspace
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.widgets.queue_table import QueueTable


def _queue(app: object) -> QueueScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, QueueScreen)
    return screen


async def test_the_queue_shows_each_items_evidence_result(
    review_url: str, review_workspace: Workspace
) -> None:
    plant_results(review_workspace)
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        rows = table_text(_queue(app).query_one(QueueTable))
        # Unfiltered, the queue takes the disagreements first: the items whose value
        # differs from their document, then the rest, each in id order.
        shown = [(row.split(" | ")[0], row.split(" | ")[6]) for row in rows]
        assert shown == [("2", "≠ value"), ("4", "≠ value"), ("1", "✓ match"),
                         ("3", "✗ quote"), ("5", "≈ page"), ("6", "– no doc"),
                         ("7", "∅ no text"), ("8", "·")]  # fmt: skip
        assert _queue(app).current_id == 2
        # On the screen too: the queue's lines, top to bottom.
        lines = screen_text(app).splitlines()
        at = [next(n for n, line in enumerate(lines) if mark in line)
              for mark in ("≠ value", "✓ match", "✗ quote", "∅ no text")]  # fmt: skip
        assert at == sorted(at) and lines[at[0]].split()[0] == "2"
        # At 100 columns every column, the evidence one included, fits on the screen.
        header = next(line for line in screen_text(app).splitlines() if "evidence" in line)
        assert header.split() == ["#", "status", "city", "indicator", "value", "year",
                                  "evidence", "source", "reviewer"]  # fmt: skip


async def test_the_palette_takes_the_open_items_whose_value_differs(
    review_url: str, review_workspace: Workspace
) -> None:
    plant_results(review_workspace)
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"value differs")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        queue = _queue(app)
        assert queue.filter.evidence == ("value_differs",)
        assert queue.filter.statuses == ("unverified", "flagged")
        assert [row.split(" | ")[0] for row in table_text(queue.query_one(QueueTable))] == [
            "2", "4",
        ]  # fmt: skip
        assert "evidence value_differs" in screen_text(app)
        # The item view: the item's number and the document's, the page and the score.
        shown = panel_text(app)
        assert "≠ value differs" in shown
        assert "item 98.7% (98.7)  ≠  document 97.7% (97.7) · page 12 · score 96.5" in shown
        assert "98.7 appears on page 13" in shown
        await pilot.press("v")  # decided: the next one whose value differs
        await settle(pilot)
        assert queue.current_id == 4
        assert "item 12.5 (12.5)  ≠  document 21.5 (21.5) · page 7 · score 100" in panel_text(app)
    with review_workspace.reading() as session:
        item = session.get(Item, 2)
        assert item is not None and (item.status, item.status_changed_by) == ("verified", "sara")
    assert load_state(queue.state_path).filter.evidence == ("value_differs",)


async def test_the_filter_dialog_offers_the_evidence_results_with_counts(
    review_url: str, review_workspace: Workspace
) -> None:
    from textual.widgets import Select

    plant_results(review_workspace)
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        select = app.screen.query_one("#filter-evidence", Select)
        labels = [str(prompt) for prompt, _ in select._options[1:]]  # [0]: "any"
        assert labels[:3] == [
            "any disagreement with the document  (4)",
            "no document stored for the source  (1)",
            "no text: the document has no text layer  (1)",
        ]
        assert "value differs: the document prints another number  (2)" in labels
        assert "not checked yet  (1)" in labels
        select.value = "value_differs,snippet_not_found,page_mismatch"
        await pilot.press("ctrl+s")
        await settle(pilot)
        queue = _queue(app)
        ids = [row.split(" | ")[0] for row in table_text(queue.query_one(QueueTable))]
        assert ids == ["2", "3", "4", "5"]


async def test_an_unchecked_item_says_so(review_url: str, review_workspace: Workspace) -> None:
    plant_results(review_workspace)
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        queue = _queue(app)
        queue._go_to(8)
        await settle(pilot)
        assert "Evidence" in panel_text(app)
        assert "not checked yet (verifier evidence check)" in panel_text(app)
        queue._go_to(5)
        await settle(pilot)
        assert "≈ page mismatch · page 10 · score 100" in panel_text(app)
        assert "the locator says page 9" in panel_text(app)
