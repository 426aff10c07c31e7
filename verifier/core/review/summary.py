"""The workspace summary behind ``verifier status``: items by status, indicator, city and
batch, and the rows imports refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import City, Edition, ImportBatch, Indicator, Item, RejectedRow, Status


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
    assert edition.id is not None
    where = Item.edition_id == edition.id
    by_status = {s.value: 0 for s in Status}
    for status, count in session.exec(
        select(Item.status, func.count()).where(where).group_by(col(Item.status))
    ):
        by_status[status] = count
    by_band: dict[str, int] = {}
    for band, count in session.exec(
        select(Item.match_band, func.count()).where(where).group_by(col(Item.match_band))
    ):
        by_band[band or "unmatched"] = count
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
    rows = session.exec(
        select(Indicator.code, Item.status, func.count())
        .join(Item, col(Item.indicator_id) == col(Indicator.id))
        .where(Item.edition_id == edition_id)
        .group_by(col(Indicator.code), col(Item.status), col(Indicator.position))
        .order_by(col(Indicator.position))
    )
    return _pivot(rows)


def _by_city(session: Session, edition_id: int) -> list[tuple[str, dict[str, int]]]:
    """Grouped by city id, named with the country: two cities may share a name (Tripoli LY,
    Tripoli LB)."""
    rows = session.exec(
        select(Item.city_id, Item.status, func.count())
        .where(Item.edition_id == edition_id)
        .group_by(col(Item.city_id), col(Item.status))
    )
    by_id = _pivot(rows)
    ids = [city_id for city_id, _ in by_id if city_id is not None]
    names = {
        city_id: f"{name or city_id} {country}".strip()
        for city_id, name, country in session.exec(
            select(City.id, City.name_en, City.country).where(col(City.id).in_(ids))
        )
    }
    named = [
        (names.get(city_id, city_id) if city_id else "(unmatched)", counts)
        for city_id, counts in by_id
    ]
    return sorted(named, key=lambda row: (-sum(row[1].values()), row[0]))


def _pivot(rows: object) -> list[tuple[str, dict[str, int]]]:
    table: dict[str, dict[str, int]] = {}
    for name, status, count in rows:  # type: ignore[attr-defined]
        table.setdefault(name, {s.value: 0 for s in Status})[status] = count
    return list(table.items())


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
