"""Reference data: editions, the gazetteer, indicators, experts' weights and sources."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow
from db.vocab import AliasOrigin, Direction, SourceOrigin, check_in


class Edition(SQLModel, table=True):
    """One ranking, e.g. LAS 2024. A workspace may hold several."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=64)
    name: str
    name_ar: str = ""
    description: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The publishing gate: the highest QA error rate (upper end of its 95 % interval) a
    # publication may rest on; None: no gate unless ``publish --max-error-rate`` asks.
    qa_max_error_rate: float | None = None


class City(SQLModel, table=True):
    """A canonical city. Cities are shared by editions; ``EditionCity`` says which rank."""

    id: str = Field(primary_key=True, max_length=64)
    name_en: str = ""
    name_ar: str = ""
    country: str = Field(index=True, max_length=2)


class EditionCity(SQLModel, table=True):
    __tablename__ = "edition_city"

    edition_id: int = Field(foreign_key="edition.id", primary_key=True, ondelete="CASCADE")
    city_id: str = Field(foreign_key="city.id", primary_key=True)


class CityAlias(SQLModel, table=True):
    __tablename__ = "city_alias"
    __table_args__ = (
        UniqueConstraint("city_id", "name"),
        CheckConstraint(check_in("origin", AliasOrigin), name="origin"),
    )

    id: int | None = Field(default=None, primary_key=True)
    city_id: str = Field(foreign_key="city.id", index=True, ondelete="CASCADE")
    name: str
    script: str = Field(max_length=8)
    language: str = Field(default="", max_length=8)
    origin: str = Field(default=AliasOrigin.CURATED, max_length=16)
    added_by: str = ""
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Domain(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("edition_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=64)
    name_en: str = ""
    name_ar: str = ""
    position: int = 0


class Indicator(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("edition_id", "code"),
        CheckConstraint(check_in("direction", Direction), name="direction"),
    )

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    domain_id: int = Field(foreign_key="domain.id", index=True)
    code: str = Field(max_length=64)
    name_en: str = ""
    name_ar: str = ""
    unit: str = ""
    # Other ways sources write the unit, each with the factor into ``unit``:
    # [{"unit": "Gbps", "factor": 1000}, {"unit": "٪", "factor": 1}]
    unit_aliases: list[dict[str, object]] = Field(default_factory=list, sa_type=JSON)
    direction: str = Field(default=Direction.HIGHER, max_length=8)
    min_value: float | None = None
    max_value: float | None = None
    description: str = ""
    position: int = 0


class Expert(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("edition_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=64)
    name: str = ""
    affiliation: str = ""


class ExpertDomainWeight(SQLModel, table=True):
    """An expert's raw weight for a domain, as given (normalised only when scoring)."""

    __tablename__ = "expert_domain_weight"

    expert_id: int = Field(foreign_key="expert.id", primary_key=True, ondelete="CASCADE")
    domain_id: int = Field(foreign_key="domain.id", primary_key=True, ondelete="CASCADE")
    weight: float


class ExpertIndicatorWeight(SQLModel, table=True):
    """An expert's raw weight for an indicator within its domain."""

    __tablename__ = "expert_indicator_weight"

    expert_id: int = Field(foreign_key="expert.id", primary_key=True, ondelete="CASCADE")
    indicator_id: int = Field(foreign_key="indicator.id", primary_key=True, ondelete="CASCADE")
    weight: float


class Source(SQLModel, table=True):
    """A document data is extracted from. ``key`` is what import rows name it by."""

    __table_args__ = (CheckConstraint(check_in("origin", SourceOrigin), name="origin"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True, max_length=200)
    title: str
    publisher: str = ""
    language: str = Field(default="", max_length=8)
    url: str = ""
    file_path: str = ""
    file_sha256: str = Field(default="", max_length=64)
    published_on: date | None = None
    retrieved_on: date | None = None
    origin: str = Field(default=SourceOrigin.CURATED, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
