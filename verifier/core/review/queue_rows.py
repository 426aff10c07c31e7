"""The review queue's rows: what a line of the queue shows, read by primary key for a page
of ids (or fresh rows after a decision), with the evidence result and whether it is stale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Integer, bindparam, case, func
from sqlmodel import Session, col, select

from db.id_sets import ID_SET, id_in, id_set
from db.models import City, Document, EvidenceCheck, Indicator, Item, Source
from verifier.core.evidence.scope import stale_condition
from verifier.core.review.city_labels import city_label, city_name


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
        return city_name(self.city_id, self.raw_label, self.city_name_en, self.city_name_ar)

    @property
    def city_with_country(self) -> str:
        """The matched city's name and country ("Tripoli LY"), or the raw label."""
        return city_label(
            self.city_id, self.raw_label, self.city_name_en, self.city_name_ar, self.city_country
        )


FIELDS = tuple(field.name for field in fields(QueueRow))


def _columns() -> Sequence[Any]:
    columns = (
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
    # Named as QueueRow's fields: a row of values reads like a QueueRow (row.city_id).
    return tuple(column.label(name) for column, name in zip(columns, FIELDS, strict=True))


def _row_query() -> Any:
    # The rows of a page, by primary key: the evidence result and the source's stored
    # document (is the result stale?) are one lookup each.
    return (
        select(*_columns())
        .select_from(Item)
        .join(Indicator, col(Indicator.id) == col(Item.indicator_id))
        .join(Source, col(Source.id) == col(Item.source_id))
        .outerjoin(City, col(City.id) == col(Item.city_id))
        .outerjoin(EvidenceCheck, col(EvidenceCheck.item_id) == col(Item.id))
        .outerjoin(Document, col(Document.sha256) == col(Source.file_sha256))
    )


def rows_by_id(session: Session, edition_id: int, ids: Sequence[int]) -> list[QueueRow]:
    """Rows for given items, in id order, whatever the filter (a page, or fresh rows after
    a decision or an undo)."""
    return [QueueRow(*values) for values in values_by_id(session, edition_id, ids)]


def values_by_id(session: Session, edition_id: int, ids: Sequence[int]) -> list[Any]:
    """What :func:`rows_by_id` gives, as rows of values in QueueRow's field order (each
    also readable by its name): a listing of every item makes no object per row."""
    if not ids:
        return []
    dialect = session.get_bind().dialect.name
    values = {ID_SET: id_set(ids, dialect), "edition_id": edition_id}
    return sorted(plain_rows(session, _by_id(dialect), values), key=itemgetter(0))


def by_id_query(dialect: str) -> Any:
    """The statement of :func:`values_by_id` (a listing without filters runs it compiled,
    ``listing_sql``)."""
    return _by_id(dialect)


@lru_cache(maxsize=4)
def _by_id(dialect: str) -> Any:
    # Looked up by primary key: "+ 0" keeps SQLite off the edition's indexes, which its
    # planner may otherwise walk whole to find a page of ids (every item). PostgreSQL
    # needs the plain condition to count the rows and join by index (4 ms, not 20).
    edition = bindparam("edition_id", type_=Integer)
    column: Any = col(Item.edition_id)
    same = column + 0 == edition if dialect == "sqlite" else column == edition
    return _row_query().where(id_in(col(Item.id), dialect), same)


def plain_rows(session: Session, query: Any, values: dict[str, Any] | None = None) -> list[Any]:
    """``query``'s rows as plain SQL rows, not through the ORM, whose work per row costs
    more than the query's; what the session changed is flushed first, as the ORM would."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(query, values).all()  # type: ignore[return-value]
