"""Appending to the review log. Every event in the workspace is written by ``record_event``."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from db.models import ReviewEvent
from db.types import utcnow


def record_event(
    session: Session,
    *,
    edition_id: int,
    actor: str,
    action: str,
    item_id: int | None = None,
    old_status: str | None = None,
    new_status: str | None = None,
    note: str = "",
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> ReviewEvent:
    event = ReviewEvent(
        edition_id=edition_id,
        item_id=item_id,
        actor=actor,
        action=action,
        old_status=old_status,
        new_status=new_status,
        note=note,
        reason=reason,
        payload=payload or {},
        created_at=utcnow(),
    )
    session.add(event)
    session.flush()
    return event
