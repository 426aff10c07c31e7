"""A queue page of items with given evidence results, read in id order from the result
table's status index: bounded work however many items the workspace holds.

The index on ``evidence_check (status, item_id)`` holds, within one status, the item ids in
order, so a page of one status is a walk along it that stops once the page is full, each
item checked against the rest of the filter by its primary key.
Several statuses are several such walks merged (UNION ALL under ORDER BY: SQLite merges
ordered arms without sorting them). A filter on the whole item table (``IN`` a subquery)
would gather every item of those statuses on each page: 227,500 ids for ``match`` in a
250,000-item workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, union_all
from sqlmodel import Session, col, select

from db.models import EvidenceCheck, Item
from verifier.core.review.edition_span import Bound
from verifier.core.review.filters import UNCHECKED, QueueFilter


def walkable(flt: QueueFilter) -> bool:
    """Whether a page of ``flt`` is read along the status index: evidence statuses are
    chosen, and "unchecked" (no result row to walk) is not among them."""
    return bool(flt.evidence) and UNCHECKED not in flt.evidence


def page_ids(
    session: Session,
    statuses: Sequence[str],
    where: Sequence[ColumnElement[bool]],
    bounds: Bound,
    *,
    descending: bool,
    limit: int | None,
) -> list[int]:
    """Item ids with one of ``statuses`` that meet ``where`` (conditions on ``item``) and
    ``bounds`` (the keyset, applied to the result's item id), in id order (descending when
    asked), at most ``limit``."""
    arms: list[Any] = [
        select(col(EvidenceCheck.item_id).label("item_id"))
        .join(Item, col(Item.id) == col(EvidenceCheck.item_id))
        .where(col(EvidenceCheck.status) == status, *where, *bounds(col(EvidenceCheck.item_id)))
        for status in dict.fromkeys(statuses)
    ]
    if len(arms) == 1:
        key: Any = col(EvidenceCheck.item_id)
        query: Any = arms[0]
    else:
        query = union_all(*arms)
        key = query.selected_columns.item_id
    query = query.order_by(key.desc() if descending else key)
    if limit is not None:
        query = query.limit(limit)
    return [int(i) for (i,) in session.execute(query) if i is not None]
