"""Publications: immutable, versioned snapshots of verified values."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow


class Publication(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("edition_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True)
    # 1, 2, 3... within the edition.
    number: int
    parent_id: int | None = Field(default=None, foreign_key="publication.id")
    created_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str = ""
    value_count: int = 0
    coverage: float = 0.0
    content_sha256: str = Field(max_length=64)
    # The canonical JSON snapshot the scorer reads; hashed as stored.
    content: str = Field(sa_type=Text)


class PublicationValue(SQLModel, table=True):
    __tablename__ = "publication_value"
    __table_args__ = (UniqueConstraint("publication_id", "city_id", "indicator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="publication.id", index=True)
    city_id: str = Field(foreign_key="city.id")
    indicator_id: int = Field(foreign_key="indicator.id")
    value: float
    year: int
    unit: str = ""


class PublicationEvidence(SQLModel, table=True):
    __tablename__ = "publication_evidence"

    value_id: int = Field(foreign_key="publication_value.id", primary_key=True)
    item_id: int = Field(foreign_key="item.id", primary_key=True, index=True)
