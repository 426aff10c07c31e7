"""An analyst only reads: in the review UI the decision keys, the note and the city dialog
are refused at once, with a one-line notice naming the role needed, before any question is
asked (so nothing typed is lost) and before anything is written."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import ReviewEvent
from tests.conftest import MINI
from tests.tui.conftest import make_app, settle
from verifier.core.importing import ImportOptions, import_file
from verifier.core.people import roles
from verifier.core.people.reviewers import set_reviewer
from verifier.core.people.team import add_team_reviewer
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


# A lead may change a role while the reviewer's UI is open: the UI follows the role the
# workspace holds now, not the one read when it opened.


async def test_an_analyst_promoted_while_the_ui_is_open_is_asked_at_once(
    review_url: str, review_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
):
    with review_workspace.session() as session:
        set_reviewer(session, "nadia", "analyst", "Nadia", granted_by="layla")
    app = make_app(review_url, user="nadia")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)  # still an analyst: refused
        # Granted by a lead in another process: nothing tells this one's cache of roles.
        with monkeypatch.context() as elsewhere:
            elsewhere.setattr(roles, "roles_changed", lambda: None)
            with review_workspace.session() as session:
                set_reviewer(session, "nadia", "assistant", "Nadia", granted_by="layla")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)  # no restart needed


async def test_an_assistant_demoted_while_the_ui_is_open_is_then_refused_before_asking(
    review_url: str, review_workspace: Workspace
):
    app = make_app(review_url, user="sara")
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await settle(pilot)
        with review_workspace.session() as session:
            set_reviewer(session, "sara", "analyst", "Sara", granted_by="layla")
        with review_workspace.reading() as session:
            events_before = len(session.exec(select(ReviewEvent)).all())
        await pilot.press("v")  # refused by the workspace: the role changed under the UI
        await settle(pilot)
        assert "analyst" in app.notices[-1].message
        await pilot.press("r")  # now refused before the reason is asked
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.notices[-1].message == (
            "Rejecting needs the assistant role; 'sara' is an analyst and only reads."
        )
    with review_workspace.reading() as session:
        assert len(session.exec(select(ReviewEvent)).all()) == events_before


@pytest.mark.postgres
async def test_a_demotion_in_team_mode_is_enforced_by_postgresql_then_said_first(
    team: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.team_fixture import Team

    assert isinstance(team, Team)
    monkeypatch.delenv("VERIFIER_USER", raising=False)
    own = team.workspace(team.assistant)
    import_file(own, MINI / "items.csv", ImportOptions(team.assistant, auto_match=False))
    own.close()
    by_assistant = select(ReviewEvent).where(ReviewEvent.actor == team.assistant)
    admin = Workspace(team.admin_url)
    with admin.reading() as session:
        events_before = len(session.exec(by_assistant).all())
    app = make_app(team.url(team.assistant), user=None)  # type: ignore[arg-type]
    try:
        async with app.run_test(size=(140, 45), notifications=True) as pilot:
            await settle(pilot)
            add_team_reviewer(admin, team.assistant, "analyst", "Demoted")
            await pilot.press("v")
            await settle(pilot)
            refused = app.notices[-1].message  # the role is read again as it writes
            assert f"'{team.assistant}' is an analyst" in refused, refused
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, QueueScreen)
            assert app.notices[-1].message == (
                f"Rejecting needs the assistant role; '{team.assistant}' is an analyst "
                "and only reads."
            )
        with admin.reading() as session:
            assert len(session.exec(by_assistant).all()) == events_before
    finally:
        admin.close()
