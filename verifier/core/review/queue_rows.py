"""The review queue's rows: what a line of the queue shows, read by primary key for a page
of ids (or fresh rows after a decision), with the evidence result and whether it is stale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from db.models import City, Document, EvidenceCheck, Indicator, Item, Source
from verifier.core.evidence.results import stale_condition
from verifier.core.review.filters import IN_LIMIT, QueueFilter, conditions


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue: enough to show and to decide (``version`` for the lock)."""

    id: int
    version: int
    status: str
    raw_label: str
    city_id: str | None
    city_name_en: str
    city_name_ar: str
    indicator_code: str
    value_text: str
    year: int
    source_key: str
    source_title: str
    status_changed_by: str | None
    match_band: str | None
    label_script: str
    city_country: str = ""  # ISO code of the matched city: tells same-name cities apart
    # The evidence check's stored result (None: never checked), and whether it was
    # computed against another document or by another version of the check.
    evidence_status: str | None = None
    evidence_stale: bool = False

    @property
    def city_shown(self) -> str:
        """The matched city's name, or the raw label when no city is matched."""
        if self.city_id is None:
            return self.raw_label
        return self.city_name_en or self.city_name_ar or self.city_id

    @property
    def city_with_country(self) -> str:
        """The matched city's name and country ("Tripoli LY"), or the raw label."""
        if self.city_id is None or not self.city_country:
            return self.city_shown
        return f"{self.city_shown} {self.city_country}"


def _columns() -> Sequence[Any]:
    return (
        col(Item.id),
        col(Item.version),
        col(Item.status),
        col(Item.raw_label),
        col(Item.city_id),
        func.coalesce(City.name_en, ""),
        func.coalesce(City.name_ar, ""),
        col(Indicator.code),
        col(Item.value_text),
        col(Item.year),
        col(Source.key),
        col(Source.title),
        col(Item.status_changed_by),
        col(Item.match_band),
        col(Item.label_script),
        func.coalesce(City.country, ""),
        col(EvidenceCheck.status),
        case((col(EvidenceCheck.item_id).is_not(None) & stale_condition(), True), else_=False),
    )


def _row_query(session: Session, edition_id: int, flt: QueueFilter | None) -> Any:
    # The rows of a page, by primary key: the evidence result and the source's stored
    # document (is the result stale?) are one lookup each.
    query = (
        select(*_columns())
        .select_from(Item)
        .join(Indicator, col(Indicator.id) == col(Item.indicator_id))
        .join(Source, col(Source.id) == col(Item.source_id))
        .outerjoin(City, col(City.id) == col(Item.city_id))
        .outerjoin(EvidenceCheck, col(EvidenceCheck.item_id) == col(Item.id))
        .outerjoin(Document, col(Document.sha256) == col(Source.file_sha256))
    )
    return query if flt is None else query.where(*conditions(session, edition_id, flt))


def _to_rows(result: Iterable[Any]) -> list[QueueRow]:
    return [QueueRow(*values) for values in result]


def rows_by_id(session: Session, edition_id: int, ids: Sequence[int]) -> list[QueueRow]:
    """Rows for given items, in id order, whatever the filter (a page, or fresh rows after
    a decision or an undo)."""
    rows: list[QueueRow] = []
    for start in range(0, len(ids), IN_LIMIT):
        chunk = list(ids[start : start + IN_LIMIT])
        # Looked up by primary key: "+ 0" keeps SQLite off the edition's indexes, which
        # its planner may otherwise walk whole to find a page of ids (every item).
        query = _row_query(session, edition_id, None).where(
            col(Item.id).in_(chunk), col(Item.edition_id) + 0 == edition_id
        )
        rows.extend(_to_rows(session.exec(query)))
    return sorted(rows, key=lambda row: row.id)
