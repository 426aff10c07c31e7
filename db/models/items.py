"""Import batches, the rows they rejected, and the extracted items."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, Table, UniqueConstraint, text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow
from db.vocab import Band, MatchMethod, Status, check_in


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    file_name: str
    file_path: str = ""
    file_sha256: str = Field(index=True, max_length=64)
    file_format: str = Field(max_length=8)
    encoding: str = Field(default="", max_length=32)
    column_map: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    imported_by: str
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    rows_total: int = 0
    accepted_count: int = 0
    rejected_count: int = 0
    # Rows already present from another file (same source, locator, indicator, label).
    duplicate_count: int = 0


class RejectedRow(SQLModel, table=True):
    __tablename__ = "rejected_row"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True, ondelete="CASCADE")
    # 1-based, counting the header as row 1 for tabular files and lines for JSONL.
    row_number: int
    # "invalid" (the row is wrong) or "duplicate" (its fact is already in the workspace).
    kind: str = Field(default="invalid", max_length=16)
    reason: str
    raw: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


# The matches a person made (confirmed, set by hand, confirmed in bulk), written out as SQL:
# a partial index serves only queries whose WHERE repeats its predicate word for word.
PERSON_MATCH_METHODS = (MatchMethod.BULK, MatchMethod.CONFIRMED, MatchMethod.MANUAL)
PERSON_MATCHED = "match_method IN ({})".format(
    ", ".join(f"'{method.value}'" for method in PERSON_MATCH_METHODS)
)


class Item(SQLModel, table=True):
    """One value extracted from a source, waiting for (or past) verification."""

    __table_args__ = (
        UniqueConstraint("edition_id", "fingerprint"),
        # The queue of one status, a page at a time in id order (PostgreSQL keeps equal keys
        # in no particular order, so the id is part of the key).
        Index("ix_item_edition_status_id", "edition_id", "status", "id"),
        Index("ix_item_edition_indicator", "edition_id", "indicator_id"),
        Index("ix_item_edition_city", "edition_id", "city_id"),
        # Same label and country hint: bulk confirmation, the item view, automatic matching.
        Index("ix_item_edition_label", "edition_id", "label_key", "country"),
        # Same city, indicator and year: the item view's peers, conflicts, the city filter.
        Index("ix_item_edition_city_value", "edition_id", "city_id", "indicator_id", "year"),
        # The labels people matched, which the matcher learns from each time it is built
        # (an import, the review UI after a city decision): partial, so that it holds those
        # items only and an import of automatically matched rows never writes to it.
        Index(
            "ix_item_person_match",
            "edition_id",
            "raw_label",
            "city_id",
            sqlite_where=text(PERSON_MATCHED),
            postgresql_where=text(PERSON_MATCHED),
        ),
        CheckConstraint(check_in("status", Status), name="status"),
        CheckConstraint(f"match_band IS NULL OR {check_in('match_band', Band)}", name="match_band"),
        CheckConstraint(
            f"match_method IS NULL OR {check_in('match_method', MatchMethod)}",
            name="match_method",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", ondelete="CASCADE")
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    row_number: int

    # The city label exactly as written, and derived keys (never shown as the label).
    raw_label: str
    label_key: str = ""
    label_script: str = Field(default="", max_length=8)
    country: str = Field(default="", max_length=2)

    # Matching: the engine's verdict, and the accepted city.
    suggested_city_id: str | None = Field(default=None, foreign_key="city.id")
    match_score: float | None = None
    match_band: str | None = Field(default=None, max_length=8)
    match_detail: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    city_id: str | None = Field(default=None, foreign_key="city.id")
    match_method: str | None = Field(default=None, max_length=16)
    match_confirmed_by: str | None = None
    match_confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    indicator_id: int = Field(foreign_key="indicator.id")
    value_text: str = ""
    value_number: float | None = None
    unit: str = ""
    # ``value_number`` converted into the indicator's unit; None when missing.
    value_normalized: float | None = None
    year: int

    source_id: int = Field(foreign_key="source.id", index=True)
    locator: str = ""
    snippet: str = ""
    language: str = Field(default="", max_length=8)
    source_url: str = ""
    # Folded text of label and snippet, for search in either script.
    search_key: str = ""

    extractor: str = ""
    extracted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    status: str = Field(default=Status.UNVERIFIED, max_length=16)
    status_changed_by: str | None = None
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    # sha256 over source, locator, indicator and label: one row per fact per edition.
    fingerprint: str = Field(max_length=64)
    # Tamper evidence (core.eventlog.import_digest): what the import wrote, and that with the
    # engine's match; each batch's digest of them is in the hash-chained log. None: written
    # before digests existed.
    import_digest: str | None = Field(default=None, max_length=32)
    match_digest: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Optimistic lock: a stale write raises StaleDataError instead of losing a decision.
    version: int = Field(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        table: Table = cls.__table__  # type: ignore[attr-defined]
        version: Column[int] = table.c.version
        return {"version_id_col": version}


class ItemTally(SQLModel, table=True):
    """How many items of an edition have each (indicator, city, country hint, band, status):
    the progress counts, kept by database triggers on ``item`` (migration 0010), so that a
    summary reads a few hundred rows instead of every item. ``city_id`` and ``band`` are ''
    for none; rows may hold 0."""

    __tablename__ = "item_tally"

    edition_id: int = Field(primary_key=True)
    indicator_id: int = Field(primary_key=True)
    city_id: str = Field(primary_key=True)
    country: str = Field(primary_key=True, max_length=2)
    band: str = Field(primary_key=True, max_length=8)
    status: str = Field(primary_key=True, max_length=16)
    n: int = 0


class ReviewerTally(SQLModel, table=True):
    """How many items of an edition each reviewer last set to each status (the dashboard's
    per-reviewer lines), kept by the same triggers."""

    __tablename__ = "reviewer_tally"

    edition_id: int = Field(primary_key=True)
    reviewer: str = Field(primary_key=True)
    status: str = Field(primary_key=True, max_length=16)
    n: int = 0
