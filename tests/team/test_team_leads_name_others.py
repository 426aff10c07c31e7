"""In team mode a lead acts as their own login but names colleagues: the second reviewers of
a QA sample, the reviewers a sprint's items go to. Naming someone else is not acting as
them (it was refused with "you act as your database login")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from db.models import QaReview, SprintAssignment
from tests.conftest import MINI
from tests.team_fixture import Team
from verifier.core.errors import PermissionDeniedError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.qa.reviews import record_second_review
from verifier.core.qa.sampling import draw_sample
from verifier.core.review import decisions
from verifier.core.review.queue import QueueFilter
from verifier.core.review.sprint_reassign import reassign_remaining
from verifier.core.review.sprints import create_sprint


@pytest.fixture
def imported(team: Team) -> Team:
    workspace = team.workspace(team.assistant)
    import_file(workspace, MINI / "items.csv", ImportOptions(team.assistant, auto_match=False))
    workspace.close()
    return team


def test_a_lead_draws_a_sample_for_an_assistant(imported: Team) -> None:
    lead = imported.workspace(imported.lead)
    with lead.session() as session:
        for item_id in (1, 2, 3):
            decisions.set_status(session, item_id, "verified", imported.lead)
    with lead.session() as session:
        drawn = draw_sample(
            session, 1, size=2, seed=1, reviewers=[imported.assistant], actor=imported.lead
        )
    lead.close()
    assistant = imported.workspace(imported.assistant)
    with assistant.session() as session:
        record_second_review(session, drawn.item_ids[0], "rejected", imported.assistant,
                             reason="the table gives 2019")  # fmt: skip
    with assistant.reading() as session:
        reviews = session.exec(select(QaReview.reviewer, QaReview.status)).all()
    assistant.close()
    assert reviews == [(imported.assistant, "rejected")]


def test_a_lead_gives_a_sprints_remaining_items_to_an_assistant(imported: Team) -> None:
    start = datetime.now(UTC)
    lead = imported.workspace(imported.lead)
    with lead.session() as session:
        create_sprint(session, 1, "week", start, start + timedelta(days=3), QueueFilter(),
                      [imported.lead], imported.lead)  # fmt: skip
    with lead.session() as session:
        moved = reassign_remaining(
            session, 1, "week", imported.lead, [imported.assistant], imported.lead
        )
    with lead.reading() as session:
        holders = set(session.exec(select(SprintAssignment.reviewer)).all())
    lead.close()
    assert moved and set(moved) == {imported.assistant} and holders == {imported.assistant}


def test_an_analysts_import_is_refused_as_an_import(team: Team) -> None:
    workspace = team.workspace(team.analyst)
    with pytest.raises(PermissionDeniedError, match=r"^importing items needs the assistant role"):
        import_file(workspace, MINI / "items.csv", ImportOptions(team.analyst, auto_match=False))
    workspace.close()
