"""The review UI's QA: a blind second review shows the first decision nowhere (item, queue,
status line, help, palette, provenance), the same keys record second decisions, a lead
adjudicates from the disagreements queue, and the sprint dashboard reassigns."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import select
from textual.widgets import Input, Select, Static

from db.models import Item, QaAdjudication, QaReview, SprintAssignment
from tests.qa.test_second_review import DRAWN, SECOND
from tests.tui.conftest import answer, make_app, settle
from tests.tui.screen_text import panel_text, rendered, screen_text, table_text
from verifier.core.qa.reviews import record_second_review
from verifier.core.qa.sampling import draw_sample
from verifier.core.review.decisions import add_note
from verifier.core.review.queue import QueueFilter
from verifier.core.review.sprints import create_sprint
from verifier.core.workspace import Workspace
from verifier.tui.screens.help_screen import HelpScreen
from verifier.tui.screens.provenance_screen import ProvenanceScreen
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.screens.reassign_dialog import ReassignDialog
from verifier.tui.screens.sprint_screen import SprintScreen
from verifier.tui.widgets.queue_table import QueueTable

SARAS = sorted(i for i, who in SECOND.items() if who == "sara")  # 3, 6, 9, 13, 15, 16, 24
SECRET_NOTE = "NOTE-7Q first reviewer was sure"


def _sample(workspace: Workspace) -> None:
    with workspace.session() as session:
        assert draw_sample(session, 1, size=10, seed=8, reviewers=["omar", "sara"],
                           actor="layla").item_ids == DRAWN  # fmt: skip
        add_note(session, 15, "omar", SECRET_NOTE)


def _first_decision_absent(text: str) -> None:
    """Item 15 was verified by omar, with notes; none of it may show."""
    assert "omar" not in text
    assert "checked p. 15" not in text and "NOTE-7Q" not in text
    assert "History —" not in text


async def _palette(pilot, words: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*words)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_blind_second_review_hides_the_first_decision(qa_url: str, qa_workspace: Workspace):
    _sample(qa_workspace)
    app = make_app(qa_url, user="sara", bidi="off")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await _palette(pilot, "blind second")
        queue = app.screen
        assert isinstance(queue, QueueScreen) and queue.filter == QueueFilter(qa_for="sara")
        rows = table_text(queue.query_one(QueueTable))
        assert [int(r.split(" | ")[0]) for r in rows] == SARAS
        assert all(" | ◌ QA | " in r and not r.endswith("omar") for r in rows)
        queue._go_to(15)
        await settle(pilot)
        panel = panel_text(app)
        assert (
            "Item #15  ◌ hidden" in panel
            and "History: hidden during a blind second review." in panel
        )
        assert "the first decision (its status, who made it" in panel
        assert "Tarabulus" in panel and "p. 15" in panel  # the evidence stays
        screen = screen_text(app)
        _first_decision_absent(screen)
        assert "blind second review 0/7 reviewed by you" in screen
        # Help, palette and provenance show nothing of it either.
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        _first_decision_absent(screen_text(app))
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"QA")
        await settle(pilot)
        palette = screen_text(app)
        assert "QA: my blind second reviews" in palette
        _first_decision_absent(palette)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProvenanceScreen)
        provenance = screen_text(app)
        assert "Provenance of item 15 (blind second review)" in provenance
        assert "hadi" in provenance  # the extractor is evidence
        _first_decision_absent(provenance)
        assert "qa" not in provenance.lower().replace("qa sample", "")  # no review event shown
        await pilot.press("escape")
        await settle(pilot)
        # m is refused; v records a second decision and opens the next item.
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert queue.current_id == 16
        await pilot.press("r")
        await settle(pilot)
        await answer(pilot, "the value is the 2022 one")
        await settle(pilot)
        rows = table_text(queue.query_one(QueueTable))
        assert " | ✓ QA | " in rows[SARAS.index(15)]
        assert " | ✗ QA | " in rows[SARAS.index(16)]
        assert "2/7 reviewed by you" in screen_text(app)
        assert any("leaves the item as it is" in n.message for n in app.notices)
    with qa_workspace.reading() as session:
        reviews = session.exec(select(QaReview).order_by(QaReview.id)).all()
        fifteen, sixteen = session.get(Item, 15), session.get(Item, 16)
    assert [(r.item_id, r.reviewer, r.status, r.reason) for r in reviews] == [
        (15, "sara", "verified", ""), (16, "sara", "rejected", "the value is the 2022 one"),
    ]  # fmt: skip
    # The items are exactly as the first reviewer left them.
    assert fifteen is not None and (fifteen.status, fifteen.status_changed_by, fifteen.version) == (
        "verified", "omar", 2,
    )  # fmt: skip
    assert sixteen is not None and (sixteen.status, sixteen.status_changed_by) == (
        "verified",
        "omar",
    )


async def test_a_lead_adjudicates_in_the_disagreements_queue(qa_url: str, qa_workspace: Workspace):
    _sample(qa_workspace)
    with qa_workspace.session() as session:
        record_second_review(session, 15, "rejected", "sara", reason="the 2022 table")
    app = make_app(qa_url, user="layla", bidi="off")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await _palette(pilot, "disagreements to adjudicate")
        queue = app.screen
        assert isinstance(queue, QueueScreen) and queue.filter == QueueFilter(qa_disputed=True)
        assert [r.split(" | ")[0] for r in table_text(queue.query_one(QueueTable))] == ["15"]
        panel = panel_text(app)
        assert (
            "QA sample 1: first ✓ verified by omar · second ✗ rejected by sara — the 2022" in panel
        )
        await pilot.press("r")
        await settle(pilot)
        await answer(pilot, "p. 15 gives 2022")
        await settle(pilot)
    with qa_workspace.reading() as session:
        item = session.get(Item, 15)
        verdict = session.exec(select(QaAdjudication)).one()
    assert item is not None and (item.status, item.status_changed_by) == ("rejected", "layla")
    assert (verdict.status, verdict.adjudicated_by, verdict.reason) == (
        "rejected", "layla", "p. 15 gives 2022",
    )  # fmt: skip


async def test_the_sprint_dashboard_reassigns(qa_url: str, qa_workspace: Workspace):
    start = datetime.combine(date.today() - timedelta(days=1), time(0)).astimezone()
    with qa_workspace.session() as session:
        create_sprint(session, 1, "wk", start, start + timedelta(days=3), QueueFilter(),
                      ["omar", "sara"], "layla")  # fmt: skip
        from verifier.core.review.decisions import set_status

        set_status(session, 1, "flagged", "omar", reason="unsure")
        set_status(session, 3, "flagged", "omar", reason="unsure")
    app = make_app(qa_url, user="layla", bidi="off")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SprintScreen)
        text = rendered(app.screen.query_one("#sprint-body", Static).content, width=150)
        assert (
            "Sprint wk" in text and "Burn-down" in text and "What each reviewer still has" in text
        )
        assert "38 of 40 items decided · 2 left" in text
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ReassignDialog)
        dialog.query_one("#reassign-from", Select).value = "omar"
        dialog.query_one("#reassign-to", Input).value = "sara"
        dialog.query_one("#reassign-to", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SprintScreen)
        assert any("2 items of omar reassigned: sara 2." in n.message for n in app.notices)
    with qa_workspace.reading() as session:
        owners = dict(
            session.exec(select(SprintAssignment.item_id, SprintAssignment.reviewer)).all()
        )
    assert (owners[1], owners[3]) == ("sara", "sara")


async def test_the_dashboards_do_not_open_from_the_blind_queue(
    qa_url: str, qa_workspace: Workspace
):
    """Their counts by status per indicator, city and reviewer would tell a sampled item's
    first decision (an indicator's only item counted verified): refused with a notice."""
    from verifier.tui.screens.dashboard_screen import DashboardScreen

    _sample(qa_workspace)
    app = make_app(qa_url, user="sara", bidi="off")
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        await _palette(pilot, "blind second")
        queue = app.screen
        assert isinstance(queue, QueueScreen) and queue.filter.blind
        for key, board in (("d", "progress dashboard"), ("s", "sprint dashboard")):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is queue, key
            assert app.notices[-1].message == (
                f"The {board} is not shown during a blind second review: its counts by status "
                "would reveal first decisions. Leave the blind queue (ctrl+p) to open it."
            )
        await _palette(pilot, "blind second")  # leaving it: the dashboard opens again
        assert not queue.filter.blind
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
