"""Which items an evidence run or listing covers, and which stored results are stale, as
SQL. Kept apart from the run (``results.py``): the queue and the item view need only these,
and the review UI draws its first item without loading the check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func as sql_func
from sqlalchemy import or_
from sqlmodel import col

from db.models import Document, EvidenceCheck, Item, Source
from verifier.core.evidence.method import METHOD


@dataclass(frozen=True)
class Scope:
    """Which items: an edition's (every edition's with None), narrowed by item ids, a
    source key or an import batch."""

    edition_id: int | None
    item_ids: tuple[int, ...] = ()
    source_key: str | None = None
    batch_id: int | None = None


def scoped(query: Any, scope: Scope) -> Any:
    if scope.edition_id is not None:
        query = query.where(Item.edition_id == scope.edition_id)
    if scope.item_ids:
        query = query.where(col(Item.id).in_(scope.item_ids))
    if scope.source_key is not None:
        query = query.where(Source.key == scope.source_key)
    if scope.batch_id is not None:
        query = query.where(Item.batch_id == scope.batch_id)
    return query


def _current_document() -> Any:
    """The document an item's source names now, if it is stored (else NULL)."""
    return col(Document.sha256)


def stale_condition() -> Any:
    """SQL: the item has no result, or one for another document or another method."""
    return or_(
        col(EvidenceCheck.item_id).is_(None),
        col(EvidenceCheck.method) != METHOD,
        sql_func.coalesce(EvidenceCheck.sha256, "") != sql_func.coalesce(_current_document(), ""),
    )
