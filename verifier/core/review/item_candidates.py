"""The city candidates of the item view: the matcher's best cities for an item's label, with
each city's names and why it scored as it did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from db.models import City

if TYPE_CHECKING:
    from verifier.core.matching import MatchResult


@dataclass(frozen=True)
class CandidateLine:
    city_id: str
    name_en: str
    name_ar: str
    country: str
    score: float
    matched_field: str
    matched_name: str
    explanation: str
    is_current: bool  # the item's accepted city


def candidate_lines(
    session: Session, result: MatchResult, current: str | None
) -> list[CandidateLine]:
    """``result``'s candidates with their cities' names; ``current``: the item's city."""
    ids = [c.city_id for c in result.candidates]
    cities = {c.id: c for c in session.exec(select(City).where(col(City.id).in_(ids)))}
    lines = []
    for candidate in result.candidates:
        city = cities.get(candidate.city_id)
        lines.append(
            CandidateLine(
                city_id=candidate.city_id,
                name_en=city.name_en if city else "",
                name_ar=city.name_ar if city else "",
                country=candidate.country or (city.country if city else ""),
                score=candidate.score,
                matched_field=candidate.matched_field,
                matched_name=candidate.matched_name,
                explanation=candidate.explain(),
                is_current=candidate.city_id == current,
            )
        )
    return lines
