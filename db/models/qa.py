"""Quality assurance: blind second reviews of seeded samples of decided items, and the
leads' adjudications of the disagreements. Every table here is append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow

# The decisions a second reviewer or a lead can give (not "unverified").
QA_STATUSES = ("verified", "rejected", "flagged")
_QA_CHECK = "status IN ('verified', 'rejected', 'flagged')"


class QaSample(SQLModel, table=True):
    """One seeded draw of decided items for a blind second review."""

    __tablename__ = "qa_sample"

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True)
    # The sprint the draw was limited to, if any.
    sprint_id: int | None = Field(default=None, foreign_key="sprint.id")
    seed: int
    size: int  # items drawn
    population: int  # decided items the draw was made from (the frame)
    # The queue filter that chose the population (verifier.core.review.filters.QueueFilter).
    scope: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    stratify: str = Field(default="", max_length=16)  # "", reviewer, source or extractor
    reviewers: list[str] = Field(default_factory=list, sa_type=JSON)
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class QaFrameItem(SQLModel, table=True):
    """An item of a sample's population, with its decision when the sample was drawn: what
    the sample speaks for (the publishing gate's coverage)."""

    __tablename__ = "qa_frame_item"

    sample_id: int = Field(foreign_key="qa_sample.id", primary_key=True)
    item_id: int = Field(foreign_key="item.id", primary_key=True, index=True)
    status: str = Field(max_length=16)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class QaSampleItem(SQLModel, table=True):
    """A drawn item: its first decision as it stood at the draw, and who reviews it again."""

    __tablename__ = "qa_sample_item"
    __table_args__ = (Index("ix_qa_sample_item_second", "second_reviewer", "sample_id"),)

    sample_id: int = Field(foreign_key="qa_sample.id", primary_key=True)
    item_id: int = Field(foreign_key="item.id", primary_key=True, index=True)
    position: int  # 1, 2, 3... in the order drawn
    stratum: str = ""
    first_status: str = Field(max_length=16)
    first_reviewer: str = Field(max_length=64)
    second_reviewer: str = Field(foreign_key="reviewer.username", max_length=64)


class QaReview(SQLModel, table=True):
    """A second decision. Never changes the item; the latest row per (sample, item) counts."""

    __tablename__ = "qa_review"
    __table_args__ = (
        Index("ix_qa_review_sample_item", "sample_id", "item_id"),
        CheckConstraint(_QA_CHECK, name="status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sample_id: int = Field(foreign_key="qa_sample.id")
    item_id: int = Field(foreign_key="item.id")
    reviewer: str = Field(max_length=64)
    status: str = Field(max_length=16)
    reason: str = ""
    note: str = ""
    event_id: int = Field(foreign_key="review_event.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class QaAdjudication(SQLModel, table=True):
    """A lead's verdict on a disagreement; the latest row per (sample, item) counts."""

    __tablename__ = "qa_adjudication"
    __table_args__ = (
        Index("ix_qa_adjudication_sample_item", "sample_id", "item_id"),
        CheckConstraint(_QA_CHECK, name="status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    sample_id: int = Field(foreign_key="qa_sample.id")
    item_id: int = Field(foreign_key="item.id")
    status: str = Field(max_length=16)
    reason: str
    adjudicated_by: str = Field(max_length=64)
    # The item's status_changed_at once adjudicated: while it is unchanged, the item's
    # decision is the lead's.
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    event_id: int = Field(foreign_key="review_event.id")
    # The normal status change the adjudication made, if the status changed.
    status_event_id: int | None = Field(default=None, foreign_key="review_event.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
