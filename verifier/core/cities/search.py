"""Finding a city in the edition's gazetteer from typed text, in either script: the matcher's
scored candidates first, then cities whose name or alias contains the text."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.core.matching import Matcher
from verifier.core.text import search_fold


@dataclass(frozen=True)
class CityHit:
    city_id: str
    name_en: str
    name_ar: str
    country: str
    score: float | None  # the matcher's score; None for a name that merely contains the text
    why: str


def search_cities(matcher: Matcher, text: str, limit: int = 12) -> list[CityHit]:
    text = text.strip()
    if not text:
        return []
    entries = {entry.city_id: entry for entry in matcher.entries}
    hits: list[CityHit] = []
    seen: set[str] = set()
    for candidate in matcher.match(text, None, limit).candidates:
        entry = entries.get(candidate.city_id)
        if entry is None or candidate.city_id in seen:
            continue
        seen.add(candidate.city_id)
        hits.append(
            CityHit(
                entry.city_id,
                entry.name_en,
                entry.name_ar,
                entry.country,
                candidate.score,
                candidate.explain(),
            )
        )
    folded = search_fold(text)
    for entry in matcher.entries:
        if len(hits) >= limit:
            break
        if entry.city_id in seen or not folded:
            continue
        names = (entry.name_en, entry.name_ar, *entry.aliases, entry.city_id)
        found = next((name for name in names if folded in search_fold(name)), None)
        if found is not None:
            seen.add(entry.city_id)
            hits.append(
                CityHit(
                    entry.city_id,
                    entry.name_en,
                    entry.name_ar,
                    entry.country,
                    None,
                    f"name contains the text: {found!r}",
                )
            )
    return hits[:limit]
