"""The blind second-review queue after a second decision: the reviewer sees their own
decision (never the first), and undo does not revert a decision outside the queue."""

from __future__ import annotations

from sqlmodel import select
from textual.pilot import Pilot

from db.models import Item, QaReview
from tests.qa.test_qa_ui import _first_decision_absent, _palette, _sample
from tests.tui.conftest import answer, make_app, settle
from tests.tui.screen_text import panel_text
from verifier.core.workspace import Workspace


async def _at_item_15_of_the_blind_queue(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await _palette(pilot, "blind second")
    pilot.app.screen._go_to(15)  # type: ignore[attr-defined]
    await settle(pilot)


async def _reject_it(pilot: Pilot[None]) -> None:
    """A blind second decision on the item shown: rejected, with its reason."""
    await pilot.press("r")
    await settle(pilot)
    await answer(pilot, "the value is the 2022 one")
    await settle(pilot)


async def test_undo_in_the_blind_queue_changes_nothing(qa_url: str, qa_workspace: Workspace):
    """Sara's last status decision was item 40 (verified, outside her sample). After a blind
    second decision, u used to revert item 40, unseen; now it says how to change the second
    decision and leaves every item as it was."""
    _sample(qa_workspace)
    app = make_app(qa_url, user="sara", bidi="off")
    async with app.run_test(size=(160, 50)) as pilot:
        await _at_item_15_of_the_blind_queue(pilot)
        await _reject_it(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert any("does not undo a second review" in n.message for n in app.notices)
    with qa_workspace.reading() as session:
        forty = session.get(Item, 40)
        reviews = session.exec(select(QaReview)).all()
    assert forty is not None and (forty.status, forty.status_changed_by) == ("verified", "sara")
    assert [(r.item_id, r.status) for r in reviews] == [(15, "rejected")]


async def test_the_item_shows_the_reviewers_own_second_decision(
    qa_url: str, qa_workspace: Workspace
):
    _sample(qa_workspace)
    app = make_app(qa_url, user="sara", bidi="off")
    async with app.run_test(size=(160, 50)) as pilot:
        await _at_item_15_of_the_blind_queue(pilot)
        assert "Your second decision" not in panel_text(app)
        await _reject_it(pilot)
        await pilot.press("k")
        await settle(pilot)
        panel = panel_text(app)
    assert "Item #15  ◌ hidden" in panel
    assert "Your second decision: ✗ rejected" in panel
    assert "stays hidden while the item is in your second review" in panel
    _first_decision_absent(panel)
