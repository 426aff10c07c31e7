"""What colleagues did since a point of the log: the review UI's live updates.

Events are read by ``seq``, the chain position, which grows in commit order on both
backends (SQLite links under its write lock, PostgreSQL at COMMIT under the append lock),
so nothing committed is ever skipped. Unlinked rows (seq NULL) are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from db.models import ReviewEvent

LIMIT = 1_000


@dataclass(frozen=True)
class Change:
    seq: int
    event_id: int
    item_id: int | None
    actor: str
    action: str
    new_status: str | None
    at: datetime


def latest_seq(session: Session) -> int:
    value = session.exec(select(func.max(ReviewEvent.seq))).one()
    return int(value or 0)


def changes_since(session: Session, edition_id: int, seq: int) -> list[Change]:
    """Events of the edition (and of the whole workspace) after ``seq``, oldest first."""
    rows = session.exec(
        select(ReviewEvent)
        .where(
            col(ReviewEvent.seq) > seq,
            or_(col(ReviewEvent.edition_id) == edition_id, col(ReviewEvent.edition_id).is_(None)),
        )
        .order_by(col(ReviewEvent.seq))
        .limit(LIMIT)
    ).all()
    return [
        Change(e.seq or 0, e.id or 0, e.item_id, e.actor, e.action, e.new_status, e.created_at)
        for e in rows
    ]
