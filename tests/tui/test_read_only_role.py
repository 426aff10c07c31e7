"""An analyst only reads: in the review UI the decision keys, the note and the city dialog
are refused at once, with a one-line notice naming the role needed, before any question is
asked (so nothing typed is lost) and before anything is written."""

from __future__ import annotations

from sqlmodel import select

from db.models import ReviewEvent
from tests.tui.conftest import make_app, settle
from verifier.core.people.reviewers import set_reviewer
from verifier.core.workspace import Workspace
from verifier.tui.screens.match_dialog import MatchDialog
from verifier.tui.screens.queue_screen import QueueScreen
from verifier.tui.screens.text_prompt import TextPrompt

NEEDED = {"r": "Rejecting", "f": "Flagging", "v": "Verifying", "m": "Changing the city",
          "n": "Adding a note", "a": "Confirming a city"}  # fmt: skip


async def test_an_analyst_is_refused_before_being_asked(
    review_url: str, review_workspace: Workspace
):
    with review_workspace.session() as session:
        set_reviewer(session, "nadia", "analyst", "Nadia", granted_by="layla")
    with review_workspace.reading() as session:
        events_before = len(session.exec(select(ReviewEvent)).all())
    app = make_app(review_url, user="nadia")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen) and app.screen.current_id == 1
        for key, doing in NEEDED.items():
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, QueueScreen), key  # no prompt, no dialog
            assert not any(isinstance(s, (TextPrompt, MatchDialog)) for s in app.screen_stack)
            notice = app.notices[-1].message
            assert notice == (
                f"{doing} needs the assistant role; 'nadia' is an analyst and only reads."
            ), key
            assert "\n" not in notice
        assert app.screen.current_id == 1  # nothing decided, nothing skipped
    with review_workspace.reading() as session:
        assert len(session.exec(select(ReviewEvent)).all()) == events_before


async def test_an_assistant_is_still_asked_for_a_reason(review_url: str):
    app = make_app(review_url, user="sara")
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
