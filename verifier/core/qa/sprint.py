"""The QA figures of a sprint: every drawn item that the sprint assigns, whichever sample
drew it."""

from __future__ import annotations

from sqlmodel import Session, select

from db.models import SprintAssignment
from verifier.core.qa.figures import Figures, figures_of, load_pairs


def sprint_figures(session: Session, edition_id: int, sprint_id: int) -> Figures:
    assigned = session.exec(
        select(SprintAssignment.item_id).where(SprintAssignment.sprint_id == sprint_id)
    ).all()
    return figures_of(load_pairs(session, edition_id, item_ids=assigned))
