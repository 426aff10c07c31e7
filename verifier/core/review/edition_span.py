"""The span of item ids that hold an edition's items, for the queue's walks in id order.

On SQLite a queue page without a status filter walks the item table's primary key in id
order and checks each row's edition (``queue._where``), and the disagreements that lead the
review UI's queue (or an evidence filter) are walked along the evidence results' (status,
item id) index, each item checked by key: both stop once the page is full. But item ids
are numbered across the workspace, so without bounds those walks started at the
workspace's first item and ran through every row of the editions imported before (or,
paging backwards or past the end, after) the one shown: a page of a small edition in a
workspace of a million items read the million. Bounded by the edition's first and last
item id, a walk reads the edition's own span only.

Both ends are read from the (edition, status, id) index, one probe per status: the status
is a closed set (a check constraint), so a probe per status finds every item of the edition.

SQLite takes one lower and one upper bound of a key to delimit its walk and checks any
other on each row it reaches, so the page's own keyset (after an item, before it) is folded
into the span's ends (``bounds``): two lower bounds would make every page walk from the
edition's first item again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, union_all
from sqlmodel import col, select

from db.models import Item
from db.vocab import Status

Bound = Callable[[Any], list[ColumnElement[bool]]]


@dataclass(frozen=True)
class Span:
    """SQL expressions of an edition's first and last item id (NULL when it has none)."""

    first: Any
    last: Any


def of_edition(edition_id: Any) -> Span:
    return Span(_end(edition_id, func.min), _end(edition_id, func.max))


def _end(edition_id: Any, end: Callable[..., Any]) -> Any:
    probes = union_all(
        *(
            select(end(col(Item.id)).label("id")).where(
                col(Item.edition_id) == edition_id, col(Item.status) == status.value
            )
            for status in Status
        )
    ).subquery("status_ends")
    return select(end(probes.c.id)).scalar_subquery()


def bounds(
    span: Span | None, *, after: Any = None, from_id: Any = None, before: Any = None
) -> Bound:
    """The keyset of a walk (after item ``after``, from item ``from_id`` on, before item
    ``before``, or none), as conditions on the key it is given. Within ``span``, when there
    is one, they are exactly one lower and one upper bound."""

    def conditions(key: Any) -> list[ColumnElement[bool]]:
        if span is None:
            found = [] if after is None else [key > after]
            found += [] if from_id is None else [key >= from_id]
            return found + ([] if before is None else [key < before])
        low, high = span.first, span.last
        if after is not None:
            low = func.max(low, after + 1)
        if from_id is not None:
            low = func.max(low, from_id)
        if before is not None:
            high = func.min(high, before - 1)
        return [key >= low, key <= high]

    return conditions
