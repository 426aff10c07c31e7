"""The document pane's header stays while its page scrolls (at 100×30 too); the pane is
offered in the command palette; while it is open every decision is still one key, and the
decisions land in the database."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import col, select

from db.models import Item, ReviewEvent
from tests.evidence.stored_results import plant_results
from tests.tui.conftest import answer, at_item, evidence_pane, make_app, settle
from tests.tui.screen_text import screen_text
from verifier.core.workspace import Workspace

# A long page 2: the quote after 15 lines, and 15 more after it.
LONG_PAGE = [
    "Table 4: piped water",
    *(f"filler line {n} on the water supply" for n in range(1, 16)),
    "Riyadh: households with piped water 98.7%",
    *(f"closing line {n}" for n in range(1, 16)),
]
PAGES = [["Yearbook 2023", "Chapter 1: water"], LONG_PAGE, ["Chapter 3: notes"]]
# (fpdf2 breaks the long page in two: the document has 4 pages.)
HEADER = "Source yearbook-2023  ·  yb.pdf  ·  page 2 of 4"


async def test_the_header_stays_while_the_page_scrolls_at_100_by_30(
    review_url: str,
    review_workspace: Workspace,
    quoted_pdf: Callable[[list[list[str]]], None],
) -> None:
    quoted_pdf(PAGES)
    plant_results(review_workspace)  # item 2: its value differs from the document's
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(100, 30)) as pilot:
        await at_item(app, pilot, 2)
        await pilot.press("e")
        await settle(pilot)
        shown = screen_text(app)
        # Opened at the quote: the page's first lines are scrolled away, the header is not;
        # it names the item's evidence result.
        assert f"{HEADER}  ·  ≠ value" in shown
        assert "Riyadh: households with piped water 98.7%" in shown
        assert "Table 4: piped water" not in shown
        for _ in range(4):
            await pilot.press("pagedown")
        await settle(pilot)
        shown = screen_text(app)
        body = evidence_pane(app).page.content.plain  # type: ignore[attr-defined]
        last = body.splitlines()[-1]
        assert last.startswith("closing line") and last in shown.splitlines()
        assert HEADER in shown
        assert evidence_pane(app).page.scroll_y == evidence_pane(app).page.max_scroll_y > 0
        await pilot.press("home")
        await settle(pilot)
        shown = screen_text(app)
        assert HEADER in shown and "Table 4: piped water" in shown
        assert evidence_pane(app).page.scroll_y == 0
        # The header's line comes before the page's first line on the screen.
        lines = shown.splitlines()
        header_at = next(i for i, line in enumerate(lines) if HEADER in line)
        assert header_at < next(i for i, line in enumerate(lines) if "Table 4" in line)


async def test_the_palette_opens_the_pane_and_decisions_stay_one_key(
    review_url: str,
    review_workspace: Workspace,
    quoted_pdf: Callable[[list[list[str]]], None],
) -> None:
    quoted_pdf(PAGES)
    app = make_app(review_url, bidi="off")
    async with app.run_test(size=(140, 45)) as pilot:
        queue = await at_item(app, pilot, 2)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Document")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert queue.evidence_open and HEADER in evidence_pane(app).text
        await pilot.press("r")  # one key: the reason dialog, then the next item
        await answer(pilot, "the page says 97.7")
        await settle(pilot)
        assert queue.evidence_open and queue.current_id == 3
        await pilot.press("f")
        await answer(pilot, "ask the ministry")
        await settle(pilot)
        assert queue.evidence_open and queue.current_id == 4
        await pilot.press("u")  # undo the flag: back on item 3, the pane still open
        await settle(pilot)
        assert queue.evidence_open and queue.current_id == 3
        await pilot.press("v")
        await settle(pilot)
        assert queue.evidence_open and queue.current_id == 4
    with review_workspace.reading() as session:
        two, three = session.get(Item, 2), session.get(Item, 3)
        assert two is not None and three is not None
        assert (two.status, three.status) == ("rejected", "verified")
        events = session.exec(
            select(ReviewEvent.item_id, ReviewEvent.action, ReviewEvent.new_status)
            .where(col(ReviewEvent.actor) == "sara")
            .order_by(col(ReviewEvent.id))
        ).all()
    assert [tuple(e) for e in events] == [
        (2, "status", "rejected"),
        (3, "status", "flagged"),
        (3, "undo", "unverified"),
        (3, "status", "verified"),
    ]
