"""The QA figures of a sprint: every drawn item that the sprint assigns, whichever sample
drew it."""

from __future__ import annotations

from sqlmodel import Session

from verifier.core.qa.figures import Figures, figures_of, load_pairs


def sprint_figures(session: Session, edition_id: int, sprint_id: int) -> Figures:
    return figures_of(load_pairs(session, edition_id, sprint_id=sprint_id))
