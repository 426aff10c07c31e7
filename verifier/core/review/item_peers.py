"""An item's peers: the other items for the same city, indicator and year (whether their
values agree, how a conflict among them was resolved) and the items sharing its label."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import ConflictResolution, Item, Source

SIBLINGS_SHOWN = 50
# Counts the item view shows stop here ("1,000+"): past it, reading an item costs the same
# however many items share its label or its city, indicator and year.
SIBLINGS_COUNTED = 1_000
SAME_LABEL_COUNTED = 1_000


@dataclass(frozen=True)
class SiblingLine:
    """Another item for the same city, indicator and year."""

    id: int
    value_text: str
    value_normalized: float | None
    status: str
    source_title: str
    locator: str
    disagrees: bool


@dataclass(frozen=True)
class Resolution:
    chosen_item_id: int
    resolved_by: str
    resolved_at: datetime
    reason: str


def same_value(a: float | None, b: float | None) -> bool:
    """Values agree when equal up to rounding noise (99.1 and 99.10000001)."""
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _count_up_to(session: Session, where: Any, cap: int) -> int:
    """How many items ``where`` selects, counting no further than ``cap``."""
    some = select(col(Item.id)).where(*where).limit(cap).subquery()
    return int(session.exec(select(func.count()).select_from(some)).one())


def same_label_count(session: Session, item: Item) -> int:
    """Items a bulk confirmation of ``item``'s label would touch, up to SAME_LABEL_COUNTED."""
    where = (
        Item.edition_id == item.edition_id,
        Item.label_key == item.label_key,
        Item.country == item.country,
    )
    return _count_up_to(session, where, SAME_LABEL_COUNTED)


def siblings(session: Session, item: Item) -> tuple[list[SiblingLine], int]:
    """The first SIBLINGS_SHOWN peers of ``item``, and how many there are (up to
    SIBLINGS_COUNTED)."""
    if item.city_id is None:
        return [], 0
    where = (
        Item.edition_id == item.edition_id,
        Item.city_id == item.city_id,
        Item.indicator_id == item.indicator_id,
        Item.year == item.year,
        Item.id != item.id,
    )
    total = _count_up_to(session, where, SIBLINGS_COUNTED)
    columns: tuple[Any, ...] = (
        Item.id,
        Item.value_text,
        Item.value_normalized,
        Item.status,
        Source.title,
        Item.locator,
    )
    rows = session.exec(
        select(*columns)
        .join(Source, col(Source.id) == col(Item.source_id))
        .where(*where)
        .order_by(col(Item.id))
        .limit(SIBLINGS_SHOWN)
    ).all()
    lines = [
        SiblingLine(
            id=sid or 0,
            value_text=text,
            value_normalized=value,
            status=status,
            source_title=title,
            locator=locator,
            disagrees=item.value_normalized is not None
            and value is not None
            and not same_value(item.value_normalized, value),
        )
        for sid, text, value, status, title, locator in rows
    ]
    return lines, total


def resolution(session: Session, item: Item) -> Resolution | None:
    """The latest resolution of the conflict among ``item`` and its peers, if any."""
    if item.city_id is None:
        return None
    chosen = session.exec(
        select(ConflictResolution)
        .where(
            ConflictResolution.edition_id == item.edition_id,
            ConflictResolution.city_id == item.city_id,
            ConflictResolution.indicator_id == item.indicator_id,
            ConflictResolution.year == item.year,
        )
        .order_by(col(ConflictResolution.id).desc())
    ).first()
    if chosen is None:
        return None
    return Resolution(chosen.chosen_item_id, chosen.resolved_by, chosen.resolved_at, chosen.reason)
