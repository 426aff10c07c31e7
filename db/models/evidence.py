"""The evidence check's result for each item: is its quote in the source document, with its
value, where the locator says?

One row per checked item, recomputed whenever it no longer describes the item's document
(``sha256`` differs from the source's ``file_sha256``) or the check itself changed
(``method``). Derived data: it can always be computed again from the item and the stored
document, so it is replaced rather than kept as history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow
from db.vocab import EvidenceStatus, check_in


class EvidenceCheck(SQLModel, table=True):
    __tablename__ = "evidence_check"
    __table_args__ = (
        CheckConstraint(check_in("status", EvidenceStatus), name="status"),
        # A status's items in id order: the evidence filter's pages and the queue's
        # disagreements first are walks along it (PostgreSQL does not keep equal keys of a
        # one-column index in item order; SQLite's rowid did so implicitly).
        Index("ix_evidence_check_status_item_id", "status", "item_id"),
    )

    item_id: int = Field(foreign_key="item.id", primary_key=True, ondelete="CASCADE")
    # The document checked against; None when the source had none stored.
    sha256: str | None = Field(default=None, max_length=64, index=True)
    status: str = Field(max_length=24)
    # Where the quote was found (page, sheet or section number); None when it was not.
    page: int | None = None
    # The number at that place, as a number (scale words applied) and as printed.
    found_value: float | None = None
    found_text: str = ""
    score: float = 0.0  # 0-100: how well the quote matched
    # Spans in the found page's stored text, for highlighting the quote and the number.
    quote_start: int | None = None
    quote_end: int | None = None
    value_start: int | None = None
    value_end: int | None = None
    # Where the locator points, in words ("page 14, table 3-2, line 1"; "the whole document
    # (the locator 'annex' was not understood)").
    place: str = ""
    # For a quote not found or a value that differs: where the item's value does appear.
    hint: str = ""
    # What computed it (the check's version and threshold): another method means recompute.
    method: str = Field(max_length=32)
    checked_by: str = Field(default="", max_length=64)
    checked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
