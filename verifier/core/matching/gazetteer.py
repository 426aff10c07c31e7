"""The gazetteer the matcher searches: canonical cities with their names and aliases."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GazetteerEntry:
    """One canonical city as the matcher sees it."""

    city_id: str
    country: str  # ISO 3166-1 alpha-2, upper case; "" when unknown
    name_en: str = ""
    name_ar: str = ""
    aliases: tuple[str, ...] = ()
