"""The review queue: the items a filter selects, in id order, a page at a time.

The queue is ordered by item id (import order, so a source's items come together) and read
in keyset pages: a page starts after, before or around a given id, so paging costs the same
at item 40,000 as at item 1, and nothing is loaded that is not shown. Counts come from SQL.
The review UI's unfiltered queue puts the items whose value differs from their document
first (``queue_order``); listings (``item_ids``, ``iter_values``) stay in id order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import Item
from verifier.core.review import edition_span, evidence_walk, queue_order, tally
from verifier.core.review.filters import (
    BAND_CHOICES,
    DECIDED,
    EVIDENCE_CHOICES,
    NO_CITY,
    SCRIPT_CHOICES,
    STATUS_CHOICES,
    UNMATCHED,
    FilterContext,
    QueueFilter,
    conditions,
)
from verifier.core.review.listing import keyset_pages
from verifier.core.review.queue_rows import QueueRow, plain_rows, rows_by_id, values_by_id

__all__ = [
    "BAND_CHOICES",
    "DECIDED",
    "EVIDENCE_CHOICES",
    "NO_CITY",
    "SCRIPT_CHOICES",
    "STATUS_CHOICES",
    "UNMATCHED",
    "FilterContext",
    "Page",
    "QueueFilter",
    "QueueRow",
    "count",
    "count_before",
    "item_ids",
    "iter_values",
    "list_rows",
    "page_after",
    "page_around",
    "page_before",
    "rows_by_id",
    "status_counts",
]


@dataclass
class Page:
    rows: list[QueueRow]
    # How many filtered items come before the first row (its 0-based position); only
    # meaningful when ``counted``.
    offset: int
    has_before: bool
    has_after: bool
    total: int | None = None  # filtered items in all; None until counted
    cursor: int = 0  # the row to put the cursor on
    counted: bool = True

    @property
    def ids(self) -> list[int]:
        return [row.id for row in self.rows]


def count(session: Session, edition_id: int, flt: QueueFilter) -> int:
    return int(session.exec(count_query(session, edition_id, flt)).one())


def count_query(session: Session, edition_id: int, flt: QueueFilter) -> Any:
    """The statement :func:`count` runs (a listing without filters runs it compiled,
    ``listing_sql``)."""
    return select(func.count()).select_from(Item).where(*conditions(session, edition_id, flt))


def status_counts(session: Session, edition_id: int, flt: QueueFilter) -> dict[str, int]:
    """Items per status under the filter (every status present, zero when none)."""
    counts = dict.fromkeys(STATUS_CHOICES, 0)
    query = (
        select(col(Item.status), func.count())
        .where(*conditions(session, edition_id, flt))
        .group_by(col(Item.status))
    )
    for status, number in session.exec(query):
        counts[status] = int(number)
    return counts


def contains(session: Session, edition_id: int, flt: QueueFilter, item_id: int) -> bool | None:
    """Whether the filter selects item ``item_id``; None when the edition has no such item."""
    exists = session.exec(
        select(col(Item.id)).where(col(Item.id) == item_id, col(Item.edition_id) == edition_id)
    ).first()
    if exists is None:
        return None
    query = select(col(Item.id)).where(
        *conditions(session, edition_id, flt), col(Item.id) == item_id
    )
    return session.exec(query).first() is not None


def count_before(session: Session, edition_id: int, flt: QueueFilter, item_id: int) -> int:
    """How many items come before item ``item_id`` in the review UI's queue under ``flt``."""
    if queue_order.applies(flt):
        where = _where(session, edition_id, flt)
        return queue_order.count_before(
            session, where, walk_span(session, edition_id, flt), item_id
        )
    query = (
        select(func.count())
        .select_from(Item)
        .where(*conditions(session, edition_id, flt), col(Item.id) < item_id)
    )
    return int(session.exec(query).one())


def item_ids(
    session: Session, edition_id: int, flt: QueueFilter, limit: int | None = None
) -> list[int]:
    """Ids of the filtered items in queue order (a sprint's scope, a CLI listing)."""
    return _ids(session, edition_id, flt, limit=limit)


def iter_values(
    session: Session,
    edition_id: int,
    flt: QueueFilter,
    limit: int | None = None,
    chunk: int = 1_000,
) -> Iterator[list[Any]]:
    """The filtered rows in queue order, ``chunk`` at a time (keyset pages: each starts
    after the last id of the one before), so a listing of every item holds one chunk; as
    rows of values, each field readable by QueueRow's name (``queue_rows.values_by_id``)."""
    for ids in _id_pages(session, edition_id, flt, limit, chunk):
        yield values_by_id(session, edition_id, ids)


def _id_pages(
    session: Session, edition_id: int, flt: QueueFilter, limit: int | None, chunk: int
) -> Iterator[list[int]]:
    def fetch(size: int, after: int | None) -> list[int]:
        return _ids(session, edition_id, flt, limit=size, after=after)

    return keyset_pages(fetch, limit, chunk)


def list_rows(
    session: Session, edition_id: int, flt: QueueFilter, limit: int | None = None
) -> list[QueueRow]:
    ids = _ids(session, edition_id, flt, limit=limit)
    return rows_by_id(session, edition_id, ids)


def _ids(
    session: Session,
    edition_id: int,
    flt: QueueFilter,
    *,
    limit: int | None,
    after: int | None = None,
    from_id: int | None = None,
    before: int | None = None,
    leading_first: bool = False,
) -> list[int]:
    """Ids in queue order (descending when ``before`` is given), without joins; with
    ``leading_first``, the review UI's order (see ``queue_order``)."""
    if not flt.is_empty and tally.answerable(flt) and not tally.selected(session, edition_id, flt):
        # Nothing to find, and an unindexed filter (a band) would read every item to see it.
        return []
    walk = evidence_walk.walkable(flt)
    where = _where(session, edition_id, flt)
    span = walk_span(session, edition_id, flt)
    if leading_first and queue_order.applies(flt):
        return queue_order.page_ids(
            session, where, span, limit=limit, after=after, from_id=from_id, before=before
        )
    bounds = edition_span.bounds(span, after=after, from_id=from_id, before=before)
    if walk:
        return evidence_walk.page_ids(
            session, flt.evidence, where, bounds, descending=before is not None, limit=limit
        )
    query = id_query(where, bounds(col(Item.id)), descending=before is not None, limit=limit)
    return [i for (i,) in plain_rows(session, query)]


def id_query(where: list[Any], keyset: list[Any], *, descending: bool, limit: int | None) -> Any:
    """Ids of the items ``where`` selects, past the keyset bounds, in id order (a listing
    without filters runs it compiled, ``listing_sql``)."""
    order = col(Item.id).desc() if descending else col(Item.id)
    query = select(Item.id).where(*where, *keyset).order_by(order)
    return query if limit is None else query.limit(limit)


def where_clauses(session: Session, edition_id: int, flt: QueueFilter) -> list[Any]:
    """What :func:`item_ids` and :func:`iter_values` select by, in the order that reads
    best on the workspace's backend."""
    return _where(session, edition_id, flt)


def _where(session: Session, edition_id: int, flt: QueueFilter) -> list[Any]:
    """The filter's conditions on ``item``, but evidence statuses, which are read along
    their index (see evidence_walk)."""
    walk = evidence_walk.walkable(flt)
    where = conditions(session, edition_id, replace(flt, evidence=()) if walk else flt)
    if not flt.statuses and session.get_bind().dialect.name == "sqlite":
        # Without a status, SQLite would take the (edition, status) index, gather every
        # matching row and sort them all; walking the primary key in order instead stops
        # as soon as the page is full (0.1 s against a few ms on 50,000 items); the walk
        # keeps within the edition's span of ids (``walk_span``).
        where[0] = col(Item.edition_id) + 0 == edition_id
    return where


def walk_span(session: Session, edition_id: Any, flt: QueueFilter) -> edition_span.Span | None:
    """The span of ids the queue's walks keep within on SQLite: the edition's own, not the
    whole workspace's. Walks along the primary key (no status chosen) and along the
    evidence results' index (the disagreements first, an evidence filter) would otherwise
    read every edition's rows; a walk along the (edition, status, id) index is within the
    edition already, and its id bounds are then folded into the span's. PostgreSQL's
    planner is left to its statistics."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    return edition_span.of_edition(edition_id)


def _page(
    session: Session,
    edition_id: int,
    ids: list[int],
    has_before: bool,
    has_after: bool,
    cursor: int,
    flt: QueueFilter,
    counted: bool,
) -> Page:
    place = {item_id: n for n, item_id in enumerate(ids)}
    rows = sorted(rows_by_id(session, edition_id, ids), key=lambda row: place[row.id])
    offset = count_before(session, edition_id, flt, ids[0]) if counted and ids else 0
    return Page(rows, offset, has_before, has_after, cursor=cursor, counted=counted)


def page_after(
    session: Session,
    edition_id: int,
    flt: QueueFilter,
    after_id: int | None,
    limit: int,
    *,
    counted: bool = True,
) -> Page:
    """The ``limit`` items after ``after_id`` (from the start when None). ``counted=False``
    leaves ``offset`` to a later :func:`count_before` (it may need a full scan)."""
    ids = _ids(session, edition_id, flt, limit=limit + 1, after=after_id, leading_first=True)
    has_after = len(ids) > limit
    ids = ids[:limit]
    page = _page(
        session,
        edition_id,
        ids,
        after_id is not None,
        has_after,
        0,
        flt,
        counted and after_id is not None,
    )
    if after_id is None:
        page.counted, page.has_before = True, False
    return page


def page_before(
    session: Session,
    edition_id: int,
    flt: QueueFilter,
    before_id: int,
    limit: int,
    *,
    counted: bool = True,
) -> Page:
    """The ``limit`` items before ``before_id``; the cursor goes on the last of them."""
    newest_first = _ids(
        session, edition_id, flt, limit=limit + 1, before=before_id, leading_first=True
    )
    has_before = len(newest_first) > limit
    ids = list(reversed(newest_first[:limit]))
    cursor = max(0, len(ids) - 1)
    page = _page(session, edition_id, ids, has_before, True, cursor, flt, counted and has_before)
    if not has_before:
        page.counted = True
    return page


def page_around(
    session: Session,
    edition_id: int,
    flt: QueueFilter,
    item_id: int | None,
    limit: int,
    *,
    counted: bool = True,
) -> Page:
    """A page holding ``item_id`` (or the first item after it, when the filter no longer
    selects it), with the cursor on it: how a saved position or an undo is shown."""
    if item_id is None:
        return page_after(session, edition_id, flt, None, limit, counted=counted)
    half = limit // 2
    earlier = _ids(session, edition_id, flt, limit=half + 1, before=item_id, leading_first=True)
    has_before = len(earlier) > half
    earlier = list(reversed(earlier[:half]))
    later = _ids(
        session,
        edition_id,
        flt,
        limit=limit - len(earlier) + 1,
        from_id=item_id,
        leading_first=True,
    )
    has_after = len(later) > limit - len(earlier)
    later = later[: limit - len(earlier)]
    if not later:  # the item and everything after it left the filter: show the end
        page = page_before(session, edition_id, flt, item_id, limit, counted=counted)
        page.has_after = False
        return page
    ids = earlier + later
    page = _page(
        session, edition_id, ids, has_before, has_after, len(earlier), flt, counted and has_before
    )
    if not has_before:
        page.counted = True
    return page
