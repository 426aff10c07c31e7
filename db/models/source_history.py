"""The history of each source's metadata: one row per recorded state, never changed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow


class SourceVersion(SQLModel, table=True):
    """What a source said about its document from one recorded change to the next.

    Version 1 is the metadata the source was added with; each ``source change`` adds the
    next. ``event_id`` is the source_add / source_change event (hash-chained) whose
    ``after`` payload these columns repeat, so ``audit verify`` can tell a rewritten row.
    Reports of a publication read the version in force at its publish event, never the
    source row as it is now. Rows are append-only (triggers).
    """

    __tablename__ = "source_version"
    __table_args__ = (UniqueConstraint("source_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    version: int
    key: str = Field(max_length=200)
    title: str
    publisher: str = ""
    language: str = Field(default="", max_length=8)
    url: str = ""
    file_path: str = ""
    file_sha256: str = Field(default="", max_length=64)
    published_on: date | None = None
    retrieved_on: date | None = None
    origin: str = Field(max_length=16)
    # None only for the first version of a source that predates audited source changes
    # (written by the migration from the row as it was then).
    event_id: int | None = Field(default=None, foreign_key="review_event.id", index=True)
    recorded_by: str = Field(max_length=64)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
