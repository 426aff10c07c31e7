"""The append-only review log and conflict resolutions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow


class ReviewEvent(SQLModel, table=True):
    """One thing a person (or the engine) did. Rows are never updated or deleted."""

    __tablename__ = "review_event"
    __table_args__ = (Index("ix_review_event_actor_time", "actor", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    # None for what concerns the whole workspace: role grants, source documents.
    edition_id: int | None = Field(default=None, foreign_key="edition.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    actor: str = Field(max_length=64)
    # status, note, match, confirm_match, resolve_conflict, undo, publish, ...
    action: str = Field(max_length=32)
    old_status: str | None = Field(default=None, max_length=16)
    new_status: str | None = Field(default=None, max_length=16)
    note: str = ""
    reason: str = ""
    # Action-specific facts, e.g. {"old_city": ..., "new_city": ...} or {"undoes": 41}.
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The hash chain (docs/provenance.md): the event's position, the previous event's hash
    # and the sha256 over this event's content and that link. On SQLite record_event sets
    # them before the insert; on PostgreSQL the database links each event when its
    # transaction commits (db/chain_sql.py). NULL only on rows written behind its back.
    seq: int | None = Field(default=None, unique=True, index=True)
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class ConflictResolution(SQLModel, table=True):
    """A lead's choice among disagreeing same-year items. The latest row per key wins."""

    __tablename__ = "conflict_resolution"
    __table_args__ = (Index("ix_conflict_key", "edition_id", "city_id", "indicator_id", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id")
    city_id: str = Field(foreign_key="city.id")
    indicator_id: int = Field(foreign_key="indicator.id")
    year: int
    chosen_item_id: int = Field(foreign_key="item.id")
    reason: str
    resolved_by: str = Field(max_length=64)
    resolved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    event_id: int | None = Field(default=None, foreign_key="review_event.id")
