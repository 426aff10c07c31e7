"""Which verified items become which published values, and where they disagree.

An item is eligible only if it is verified, its city match is confirmed (the engine's auto
band, or a person), and it has a number. Per city and indicator the latest reference year
wins; items of that year that agree after unit normalisation are one value with all of them
as evidence; items that disagree are a conflict until a lead chooses one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Executable, Select
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from db.models import ConflictResolution, Item, MatchMethod, Status

CONFIRMED_METHODS = tuple(m.value for m in MatchMethod)  # auto (band auto) or a person
VALUE_DIGITS = 9  # values equal to 9 significant digits are the same value
STREAM = 5_000  # rows read at a time


@dataclass(frozen=True, slots=True)
class Evidence:
    item_id: int
    value: float  # in the indicator's unit


@dataclass
class Candidate:
    """One distinct value of a (city, indicator, year), with the items that give it."""

    value: float
    items: list[Evidence]


@dataclass
class ValueGroup:
    city_id: str
    indicator_id: int
    year: int
    candidates: list[Candidate]
    resolution: ConflictResolution | None = None

    @property
    def in_conflict(self) -> bool:
        return len(self.candidates) > 1

    @property
    def chosen(self) -> Candidate | None:
        """The value to publish, or None while an unresolved conflict stands."""
        if not self.in_conflict:
            return self.candidates[0]
        if self.resolution is None:
            return None
        for candidate in self.candidates:
            if any(e.item_id == self.resolution.chosen_item_id for e in candidate.items):
                return candidate
        return None  # the chosen item is no longer eligible: the conflict is open again


@dataclass
class Eligibility:
    groups: list[ValueGroup] = field(default_factory=list)

    @property
    def conflicts(self) -> list[ValueGroup]:
        return [g for g in self.groups if g.chosen is None]

    @property
    def values(self) -> list[tuple[ValueGroup, Candidate]]:
        return [(g, chosen) for g in self.groups if (chosen := g.chosen) is not None]


def same_value(value: float) -> float:
    return float(f"{value:.{VALUE_DIGITS}g}")


def eligible_items_query(edition_id: int) -> Executable:
    """The one query that decides what can reach the scorer."""
    columns = [
        Item.id,
        Item.city_id,
        Item.indicator_id,
        Item.year,
        Item.value_normalized,
    ]
    return sa_select(*(col(c) for c in columns)).where(
        col(Item.edition_id) == edition_id,
        col(Item.status) == Status.VERIFIED.value,
        col(Item.city_id).is_not(None),
        col(Item.match_method).in_(CONFIRMED_METHODS),
        col(Item.value_normalized).is_not(None),
    )


def compute_eligibility(session: Session, edition_id: int) -> Eligibility:
    """Streamed in (city, indicator, year from the latest) order, keeping only the latest
    year's items of each city and indicator: memory holds what can be published, not every
    verified item of every year."""
    resolutions = _latest_resolutions(session, edition_id)
    groups: list[ValueGroup] = []
    key: tuple[str, int] | None = None
    year = 0
    evidence: list[Evidence] = []

    def close() -> None:
        if key is not None:
            groups.append(_group(key[0], key[1], year, evidence, resolutions))

    for item_id, city_id, indicator_id, item_year, value in _ordered_rows(session, edition_id):
        assert item_id is not None and city_id is not None and value is not None
        if (city_id, indicator_id) != key:
            close()
            key, year, evidence = (city_id, indicator_id), item_year, []
        if item_year == year:
            evidence.append(Evidence(item_id, value))
    close()
    groups.sort(key=lambda g: (g.city_id, g.indicator_id))
    return Eligibility(groups)


def _ordered_rows(session: Session, edition_id: int) -> Iterator[Any]:
    """The eligible items, each city and indicator together, its latest year first; read
    in slices (a server-side cursor on PostgreSQL)."""
    query = eligible_items_query(edition_id)
    assert isinstance(query, Select)
    ordered = query.order_by(
        col(Item.city_id), col(Item.indicator_id), col(Item.year).desc(), col(Item.id)
    ).execution_options(stream_results=True, yield_per=STREAM)
    yield from session.connection().execute(ordered)


def _group(
    city_id: str,
    indicator_id: int,
    year: int,
    evidence: list[Evidence],
    resolutions: dict[tuple[str, int, int], ConflictResolution],
) -> ValueGroup:
    distinct: dict[float, list[Evidence]] = defaultdict(list)
    for item in sorted(evidence, key=lambda e: e.item_id):
        distinct[same_value(item.value)].append(item)
    candidates = [Candidate(value, items) for value, items in sorted(distinct.items())]
    resolution = resolutions.get((city_id, indicator_id, year))
    return ValueGroup(city_id, indicator_id, year, candidates, resolution)


def _latest_resolutions(
    session: Session, edition_id: int
) -> dict[tuple[str, int, int], ConflictResolution]:
    found: dict[tuple[str, int, int], ConflictResolution] = {}
    query = (
        select(ConflictResolution)
        .where(ConflictResolution.edition_id == edition_id)
        .order_by(col(ConflictResolution.id))
    )
    for resolution in session.exec(query):
        found[(resolution.city_id, resolution.indicator_id, resolution.year)] = resolution
    return found
