"""Which sprint is running: the lookup that the "assigned to me" filter and sprints share."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from db.models import Sprint
from db.types import utcnow


def current_sprint(session: Session, edition_id: int, now: datetime | None = None) -> Sprint | None:
    """The sprint running now (the latest to start, if several overlap), else the latest."""
    now = now or utcnow()
    base = select(Sprint).where(Sprint.edition_id == edition_id)
    latest_first = (col(Sprint.starts_at).desc(), col(Sprint.id).desc())
    active = session.exec(
        base.where(col(Sprint.starts_at) <= now, col(Sprint.ends_at) > now).order_by(*latest_first)
    ).first()
    if active is not None:
        return active
    return session.exec(base.order_by(*latest_first)).first()
