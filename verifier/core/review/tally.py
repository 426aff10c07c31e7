"""Progress read from the tallies the database keeps (``item_tally``, ``reviewer_tally``,
maintained by triggers on ``item``): a few hundred rows per edition whatever its number of
items, so the status line, the dashboard and ``verifier status`` cost the same at 1,000
items as at 1,000,000.

The item tally is keyed by indicator, city, country hint, match band and status, so any
filter built only from those (and statuses) is answered from it; other filters (search,
source, batch, year, script, reviewer, sprint, QA) are counted over the items they select.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from db.models import City, ItemTally, ReviewerTally
from verifier.core.review.filters import (
    NO_CITY,
    STATUS_CHOICES,
    UNMATCHED,
    QueueFilter,
    indicator_selections,
)

# Fields of a filter the item tally can answer (statuses are its last key column).
TALLIED_FIELDS = ("statuses", "indicators", "domains", "cities", "countries", "bands")


def answerable(flt: QueueFilter) -> bool:
    """Whether the tally answers counts under ``flt``: it filters on tallied fields only."""
    return flt.without_status() == QueueFilter(
        indicators=flt.indicators,
        domains=flt.domains,
        cities=flt.cities,
        countries=flt.countries,
        bands=flt.bands,
    )


def _conditions(edition_id: int, flt: QueueFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [col(ItemTally.edition_id) == edition_id]
    for indicator_ids in indicator_selections(edition_id, flt):
        where.append(col(ItemTally.indicator_id).in_(indicator_ids))
    if flt.cities:
        # '' is how the tally writes "no city", the filter's NO_CITY.
        cities = ["" if c == NO_CITY else c for c in flt.cities]
        where.append(col(ItemTally.city_id).in_(cities))
    if flt.countries:
        countries = [c.upper() for c in flt.countries]
        in_country = select(City.id).where(col(City.country).in_(countries))
        where.append(
            or_(
                col(ItemTally.city_id).in_(in_country),
                and_(col(ItemTally.city_id) == "", col(ItemTally.country).in_(countries)),
            )
        )
    if flt.bands:
        bands = ["" if b == UNMATCHED else b for b in flt.bands]
        where.append(col(ItemTally.band).in_(bands))
    return where


def _by_status(rows: Iterable[Any]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_CHOICES, 0)
    for status, number in rows:
        counts[status] = counts.get(status, 0) + int(number or 0)
    return counts


def status_counts(session: Session, edition_id: int, flt: QueueFilter) -> dict[str, int]:
    """Items per status in the scope of ``flt`` (its statuses set aside); only for a
    filter the tally can answer (:func:`answerable`)."""
    if not answerable(flt):
        raise ValueError(f"the tally cannot count under the filter {flt.describe()}")
    query = (
        select(col(ItemTally.status), func.sum(ItemTally.n))
        .where(*_conditions(edition_id, flt.without_status()))
        .group_by(col(ItemTally.status))
    )
    return _by_status(session.exec(query))


def selected(session: Session, edition_id: int, flt: QueueFilter) -> int:
    """How many items ``flt`` selects, statuses included (for an answerable filter)."""
    counts = status_counts(session, edition_id, flt)
    return sum(counts[s] for s in flt.statuses) if flt.statuses else sum(counts.values())


def pivot(session: Session, edition_id: int, by: str) -> dict[Any, dict[str, int]]:
    """Items per status for each value of one tally column (``indicator_id``,
    ``city_id`` ('' for no city), ``band`` ('' for unmatched) or ``country``)."""
    column = col(getattr(ItemTally, by))
    query = (
        select(column, col(ItemTally.status), func.sum(ItemTally.n))
        .where(col(ItemTally.edition_id) == edition_id)
        .group_by(column, col(ItemTally.status))
    )
    table: dict[Any, dict[str, int]] = {}
    for key, status, number in session.exec(query):
        if number:
            table.setdefault(key, dict.fromkeys(STATUS_CHOICES, 0))[status] = int(number)
    return table


def reviewer_pivot(session: Session, edition_id: int) -> dict[str, dict[str, int]]:
    """Items per status for each reviewer who last set their status."""
    query = select(ReviewerTally.reviewer, ReviewerTally.status, ReviewerTally.n).where(
        ReviewerTally.edition_id == edition_id, col(ReviewerTally.n) != 0
    )
    table: dict[str, dict[str, int]] = {}
    for reviewer, status, number in session.exec(query):
        table.setdefault(reviewer, dict.fromkeys(STATUS_CHOICES, 0))[status] = int(number)
    return table
