"""The unfiltered queue's order (nothing chosen but a review status): items whose value
differs from their document first, then every other item, each part in item id order.

Reviewers should spend their time where the document and the extraction disagree, so an
unfiltered queue opens on those items. The order's key is (leads, id), and each part is read
along an index in that order, so a page is a keyset walk that stops once it is full:

- the items whose evidence result is ``value_differs``: the results' (status, item_id)
  index, each item checked against the filter by its primary key (see ``evidence_walk``);
- the others: the item table's primary key, each row's result looked up by its key to
  leave out the ones already shown first.

A page that starts in one part and runs past its end continues in the other. An item's
part is read by its primary key (one lookup), so callers keep paging by item id.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, func
from sqlmodel import Session, col, select

from db.models import EvidenceCheck, EvidenceStatus, Item
from verifier.core.review import edition_span, evidence_walk
from verifier.core.review.edition_span import Bound
from verifier.core.review.filters import QueueFilter

LEADING = EvidenceStatus.VALUE_DIFFERS.value

Where = Sequence[ColumnElement[bool]]


def applies(flt: QueueFilter) -> bool:
    """Whether the queue under ``flt`` puts the disagreements first: when nothing narrows
    it but the review status (the queue as it opens: every item, or the unverified ones).
    Any other filter is a reviewer's own choice of what to see, shown in id order."""
    return flt.without_status().is_empty


def leads(session: Session, item_id: int) -> bool:
    """Whether item ``item_id`` is in the leading part (its value differs)."""
    status = session.exec(
        select(col(EvidenceCheck.status)).where(col(EvidenceCheck.item_id) == item_id)
    ).first()
    return status == LEADING


def _leading(
    session: Session, where: Where, bound: Bound, descending: bool, limit: int | None
) -> list[int]:
    return evidence_walk.page_ids(
        session, (LEADING,), where, bound, descending=descending, limit=limit
    )


def _not_leading() -> ColumnElement[bool]:
    return ~exists().where(
        col(EvidenceCheck.item_id) == col(Item.id), col(EvidenceCheck.status) == LEADING
    )


def _others(
    session: Session, where: Where, bound: Bound, descending: bool, limit: int | None
) -> list[int]:
    key = col(Item.id)
    query = (
        select(key)
        .where(*where, *bound(key), _not_leading())
        .order_by(key.desc() if descending else key)
    )
    if limit is not None:
        query = query.limit(limit)
    return [int(i) for i in session.exec(query) if i is not None]


def _left(limit: int | None, found: list[int]) -> int | None:
    return None if limit is None else limit - len(found)


def page_ids(
    session: Session,
    where: Where,
    span: edition_span.Span | None,
    *,
    limit: int | None,
    after: int | None = None,
    from_id: int | None = None,
    before: int | None = None,
) -> list[int]:
    """Ids in this order (reversed when ``before`` is given) that meet ``where``, within
    ``span`` (see ``edition_span``): after item ``after``, from item ``from_id`` on, or
    before item ``before``; at most ``limit``."""
    anchor = next((i for i in (after, from_id, before) if i is not None), None)
    whole = edition_span.bounds(span)
    if anchor is None:
        found = _leading(session, where, whole, False, limit)
        left = _left(limit, found)
        return found if left == 0 else found + _others(session, where, whole, False, left)
    bound = edition_span.bounds(span, after=after, from_id=from_id, before=before)
    leading = leads(session, anchor)
    if before is not None:
        if leading:
            return _leading(session, where, bound, True, limit)
        found = _others(session, where, bound, True, limit)
        left = _left(limit, found)
        return found if left == 0 else found + _leading(session, where, whole, True, left)
    if not leading:
        return _others(session, where, bound, False, limit)
    found = _leading(session, where, bound, False, limit)
    left = _left(limit, found)
    return found if left == 0 else found + _others(session, where, whole, False, left)


def count_before(
    session: Session, where: Where, span: edition_span.Span | None, item_id: int
) -> int:
    """How many items meeting ``where`` (within ``span``) come before item ``item_id`` in
    this order."""
    leading_before = (
        select(func.count())
        .select_from(EvidenceCheck)
        .join(Item, col(Item.id) == col(EvidenceCheck.item_id))
        .where(col(EvidenceCheck.status) == LEADING, *where)
    )
    if leads(session, item_id):
        before = edition_span.bounds(span, before=item_id)(col(EvidenceCheck.item_id))
        return int(session.exec(leading_before.where(*before)).one())
    whole = edition_span.bounds(span)(col(EvidenceCheck.item_id))
    before = edition_span.bounds(span, before=item_id)(col(Item.id))
    others = select(func.count()).select_from(Item).where(*where, *before, _not_leading())
    return int(session.exec(leading_before.where(*whole)).one()) + int(session.exec(others).one())
