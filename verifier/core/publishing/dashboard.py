"""The publication facts the review dashboard shows, and the dashboard with them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from db.models import Publication
from verifier.core.publishing.conflicts import open_conflicts
from verifier.core.publishing.publish import latest_publication
from verifier.core.review.progress import Dashboard, dashboard


@dataclass(frozen=True)
class PublicationSummary:
    latest: Publication | None
    open_conflicts: int


def publication_summary(session: Session, edition_id: int) -> PublicationSummary:
    return PublicationSummary(
        latest_publication(session, edition_id), len(open_conflicts(session, edition_id))
    )


def review_dashboard(session: Session, edition_id: int, now: datetime | None = None) -> Dashboard:
    """The review dashboard with the latest publication and the open conflicts."""
    board = dashboard(session, edition_id, now)
    # Last: on PostgreSQL a failed query ends the transaction for everything after it.
    try:
        board.publication = publication_summary(session, edition_id)
    except Exception as error:  # another module's failure must not take the dashboard down
        board.publication_error = f"publication summary failed: {type(error).__name__}: {error}"
    return board
