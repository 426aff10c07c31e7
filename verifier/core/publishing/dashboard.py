"""The publication facts the review dashboard shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from db.models import Publication
from verifier.core.publishing.conflicts import open_conflicts
from verifier.core.publishing.publish import latest_publication


@dataclass(frozen=True)
class PublicationSummary:
    latest: Publication | None
    open_conflicts: int


def publication_summary(session: Session, edition_id: int) -> PublicationSummary:
    return PublicationSummary(
        latest_publication(session, edition_id), len(open_conflicts(session, edition_id))
    )
