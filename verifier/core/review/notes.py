"""Why an item has its status: the note of the flag, or the reason of the rejection, from
the review log (the latest status event of each item)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import ReviewEvent

IN_LIMIT = 900


def status_notes(session: Session, item_ids: Sequence[int]) -> dict[int, str]:
    """For each item, the words its current status came with: the reason of the latest
    status change (a rejection, a changed decision), else its note (a flag). Items whose
    latest status change said nothing are left out."""
    notes: dict[int, str] = {}
    ids = list(item_ids)
    for start in range(0, len(ids), IN_LIMIT):
        chunk = ids[start : start + IN_LIMIT]
        latest = (
            select(func.max(ReviewEvent.id))
            .where(
                col(ReviewEvent.item_id).in_(chunk),
                col(ReviewEvent.action).in_(("status", "undo")),
            )
            .group_by(col(ReviewEvent.item_id))
        )
        rows = session.exec(
            select(ReviewEvent.item_id, ReviewEvent.reason, ReviewEvent.note).where(
                col(ReviewEvent.id).in_(latest)
            )
        )
        for item_id, reason, note in rows:
            words = (reason or note or "").strip()
            if item_id is not None and words:
                notes[item_id] = words
    return notes
