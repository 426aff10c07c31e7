"""Why an item has its status: the note of the flag, or the reason of the rejection, from
the review log (the latest status event of each item)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.id_sets import ID_SET, id_in, id_set
from db.models import ReviewEvent
from verifier.core.review.listing import notes_of
from verifier.core.review.queue_rows import plain_rows


def status_notes(session: Session, item_ids: Sequence[int]) -> dict[int, str]:
    """For each item, the words its current status came with: the reason of the latest
    status change (a rejection, a changed decision), else its note (a flag). Items whose
    latest status change said nothing are left out."""
    if not item_ids:
        return {}
    dialect = session.get_bind().dialect.name
    return notes_of(plain_rows(session, _latest(dialect), {ID_SET: id_set(item_ids, dialect)}))


def latest_query(dialect: str) -> Any:
    """The statement of :func:`status_notes` (a listing without filters runs it compiled,
    ``listing_sql``)."""
    return _latest(dialect)


@lru_cache(maxsize=4)
def _latest(dialect: str) -> Any:
    latest = (
        select(func.max(ReviewEvent.id))
        .where(
            id_in(col(ReviewEvent.item_id), dialect),
            col(ReviewEvent.action).in_(("status", "undo")),
        )
        .group_by(col(ReviewEvent.item_id))
    )
    return select(ReviewEvent.item_id, ReviewEvent.reason, ReviewEvent.note).where(
        col(ReviewEvent.id).in_(latest)
    )
