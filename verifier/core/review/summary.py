"""The workspace summary behind ``verifier status``: items by status, indicator, city and
batch, and the rows imports refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import City, Edition, ImportBatch, Indicator, RejectedRow
from verifier.core.review import tally
from verifier.core.review.filters import QueueFilter


@dataclass
class BatchLine:
    id: int
    file_name: str
    imported_by: str
    imported_at: str
    accepted: int
    rejected: int
    duplicates: int


@dataclass
class EditionSummary:
    edition: Edition
    total: int
    by_status: dict[str, int]
    by_indicator: list[tuple[str, dict[str, int]]]
    by_city: list[tuple[str, dict[str, int]]]
    by_band: dict[str, int]
    batches: list[BatchLine] = field(default_factory=list)
    rejected_rows: list[tuple[str, int, str]] = field(default_factory=list)
    rejected_total: int = 0


def summarise(session: Session, edition: Edition, rejected_limit: int = 20) -> EditionSummary:
    """Read from the tallies the database keeps (verifier.core.review.tally): the cost does
    not grow with the number of items."""
    assert edition.id is not None
    by_status = tally.status_counts(session, edition.id, QueueFilter())
    by_band = {
        band or "unmatched": sum(counts.values())
        for band, counts in tally.pivot(session, edition.id, "band").items()
    }
    return EditionSummary(
        edition=edition,
        total=sum(by_status.values()),
        by_status=by_status,
        by_indicator=_by_indicator(session, edition.id),
        by_city=_by_city(session, edition.id),
        by_band=by_band,
        batches=_batches(session, edition.id),
        rejected_rows=_rejected(session, edition.id, rejected_limit),
        rejected_total=_rejected_total(session, edition.id),
    )


def _by_indicator(session: Session, edition_id: int) -> list[tuple[str, dict[str, int]]]:
    """Indicators holding items, in the edition's order."""
    counts = tally.pivot(session, edition_id, "indicator_id")
    indicators = session.exec(
        select(Indicator.id, Indicator.code)
        .where(Indicator.edition_id == edition_id)
        .order_by(col(Indicator.position), col(Indicator.code))
    )
    return [
        (code, counts[indicator_id]) for indicator_id, code in indicators if indicator_id in counts
    ]


def _by_city(session: Session, edition_id: int) -> list[tuple[str, dict[str, int]]]:
    """Grouped by city id, named with the country: two cities may share a name (Tripoli LY,
    Tripoli LB)."""
    by_id = tally.pivot(session, edition_id, "city_id")  # '' is "no city"
    ids = [city_id for city_id in by_id if city_id]
    names = {
        city_id: f"{name or city_id} {country}".strip()
        for city_id, name, country in session.exec(
            select(City.id, City.name_en, City.country).where(col(City.id).in_(ids))
        )
    }
    named = [
        (names.get(city_id, city_id) if city_id else "(unmatched)", counts)
        for city_id, counts in by_id.items()
    ]
    return sorted(named, key=lambda row: (-sum(row[1].values()), row[0]))


def _batches(session: Session, edition_id: int) -> list[BatchLine]:
    batches = session.exec(
        select(ImportBatch)
        .where(ImportBatch.edition_id == edition_id)
        .order_by(col(ImportBatch.id))
    )
    return [
        BatchLine(
            b.id or 0,
            b.file_name,
            b.imported_by,
            b.imported_at.strftime("%Y-%m-%d %H:%M UTC"),
            b.accepted_count,
            b.rejected_count,
            b.duplicate_count,
        )
        for b in batches
    ]


def _rejected(session: Session, edition_id: int, limit: int) -> list[tuple[str, int, str]]:
    rows = session.exec(
        select(ImportBatch.file_name, RejectedRow.row_number, RejectedRow.reason)
        .join(ImportBatch, col(ImportBatch.id) == col(RejectedRow.batch_id))
        .where(ImportBatch.edition_id == edition_id, RejectedRow.kind == "invalid")
        .order_by(col(RejectedRow.batch_id), col(RejectedRow.row_number))
        .limit(limit)
    )
    return [(f, n, r) for f, n, r in rows]


def _rejected_total(session: Session, edition_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(RejectedRow)
        .join(ImportBatch, col(ImportBatch.id) == col(RejectedRow.batch_id))
        .where(ImportBatch.edition_id == edition_id, RejectedRow.kind == "invalid")
    ).one()
