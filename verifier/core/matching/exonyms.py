"""Spellings that no transliteration rule derives: exonyms, historic and colonial names,
and the local names behind them.

Each group lists, for one place, forms that all mean it. The list is written by hand and is
deliberately short: it bridges spellings (Cairo ↔ القاهرة, Philippeville ↔ Skikda), it is not
a list of cities, and a city absent from it is still found by the rules. A group applies only
to gazetteer cities of its own country, so "Tripoli" for Libya never lends its weight to a
Lebanese city.

A label is linked to a group when its normalised words equal a listed spelling, or when it
sounds like one (ترابلس, a misspelt طرابلس; موغادور, Mogador in Arabic letters); a link by
sound lends a score that stays below the auto band (scoring.EXONYM_LIKENESS_CAP).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from verifier.core.matching.forms import NameForm, analyse
from verifier.core.matching.scoring import pair_value


@dataclass(frozen=True)
class ExonymGroup:
    country: str
    forms: tuple[str, ...]


def _group(country: str, *forms: str) -> ExonymGroup:
    return ExonymGroup(country, forms)


EXONYMS: tuple[ExonymGroup, ...] = (
    # Algeria
    _group("DZ", "Algiers", "Alger", "Argel", "Algeri", "الجزائر", "El Djazair", "Al Jaza'ir"),
    _group("DZ", "Constantine", "Qusantina", "Ksantina", "قسنطينة"),
    _group("DZ", "Oran", "Wahran", "Ouahran", "وهران"),
    _group("DZ", "Annaba", "Bône", "عنابة"),
    _group("DZ", "Skikda", "Philippeville", "سكيكدة"),
    _group("DZ", "Béjaïa", "Bejaia", "Bougie", "Bugia", "بجاية"),
    _group("DZ", "Chlef", "Orléansville", "El Asnam", "الشلف", "الأصنام"),
    _group("DZ", "Ghazaouet", "Nemours", "الغزوات"),
    _group("DZ", "El Bayadh", "Géryville", "البيض"),
    _group("DZ", "Tamanrasset", "Fort Laperrine", "تمنراست"),
    # Djibouti, Mauritania
    _group("DJ", "Djibouti", "Djibouti City", "جيبوتي"),
    _group("MR", "Nouadhibou", "Port-Étienne", "نواذيبو"),
    # Egypt
    _group("EG", "Cairo", "Le Caire", "Kairo", "El Cairo", "Il Cairo", "القاهرة", "Al Qahirah"),
    _group("EG", "Alexandria", "Alexandrie", "Alessandria", "الإسكندرية", "Al Iskandariyah"),
    _group("EG", "Giza", "Gizeh", "Guizeh", "Al Jizah", "الجيزة"),
    _group("EG", "Port Said", "Bur Said", "بور سعيد", "بورسعيد"),
    _group("EG", "Suez", "As Suways", "السويس"),
    _group("EG", "Luxor", "Louxor", "Al Uqsur", "الأقصر"),
    _group("EG", "Asyut", "Assiut", "Assiout", "أسيوط"),
    _group("EG", "Damietta", "Damiette", "Dumyat", "دمياط"),
    _group("EG", "Rosetta", "Rosette", "Rashid", "رشيد"),
    _group("EG", "Sixth of October City", "6th of October", "السادس من أكتوبر"),
    _group("EG", "Hurghada", "Al Ghardaqah", "الغردقة"),
    # Iraq
    _group("IQ", "Erbil", "Arbil", "Irbil", "Hawler", "Hewlêr", "أربيل", "هولير"),
    _group("IQ", "Sulaymaniyah", "Slemani", "Sulaimani", "السليمانية"),
    _group("IQ", "Ctesiphon", "Al Mada'in", "المدائن"),
    # Lebanon
    _group("LB", "Beirut", "Beyrouth", "Bayrut", "بيروت"),
    _group("LB", "Tripoli", "Trablous", "Tarabulus", "Tripoli du Liban", "طرابلس"),
    _group("LB", "Sidon", "Saida", "Sayda", "Saïda", "صيدا"),
    _group("LB", "Tyre", "Sour", "صور"),
    _group("LB", "Byblos", "Jbeil", "Jubayl"),
    # Libya
    _group("LY", "Tripoli", "Tarabulus", "Tripoli of Libya", "Tarabulus al Gharb", "طرابلس"),
    # Morocco
    _group("MA", "Casablanca", "Dar el Beida", "Ad Dar al Bayda'", "الدار البيضاء"),
    _group("MA", "Fez", "Fès", "Fes", "Fas", "فاس"),
    _group("MA", "Tangier", "Tanger", "Tangiers", "Tanja", "Tangeri", "طنجة"),
    _group("MA", "Kenitra", "Port-Lyautey"),
    _group("MA", "El Jadida", "Mazagan"),
    _group("MA", "Essaouira", "Mogador"),
    _group("MA", "Laayoune", "El Aaiún", "El Aaiun"),
    _group("MA", "Dakhla", "Villa Cisneros"),
    _group("MA", "Ksar el Kebir", "Alcazarquivir"),
    _group("MA", "Larache", "Al Araish", "العرائش"),
    _group("MA", "Al Hoceima", "Alhucemas", "Villa Sanjurjo"),
    _group("MA", "Mohammedia", "Fedala", "Fédala"),
    # Palestine
    _group("PS", "Jerusalem", "Jérusalem", "Al Quds", "Al-Quds al-Sharif", "القدس"),
    _group("PS", "Hebron", "Al Khalil", "Hébron", "الخليل"),
    _group("PS", "Bethlehem", "Bayt Lahm", "Bethléem", "بيت لحم"),
    _group("PS", "Jericho", "Ariha", "Jéricho", "أريحا"),
    _group("PS", "Nablus", "Naplouse", "نابلس"),
    _group("PS", "Jaffa", "Yafa", "يافا"),
    _group("PS", "Nazareth", "An Nasira", "الناصرة"),
    _group("PS", "Acre", "Akko", "Saint-Jean-d'Acre", "عكا"),
    # Saudi Arabia
    _group("SA", "Mecca", "Makkah", "La Mecque", "Meca", "Mekka", "مكة", "مكة المكرمة"),
    _group(
        "SA",
        "Medina",
        "Madinah",
        "Médine",
        "Al Madinah al Munawwarah",
        "المدينة المنورة",
        "المدينة",
    ),
    _group("SA", "Hofuf", "Al Hufuf", "Al Hasa", "Al Ahsa", "الهفوف", "الأحساء"),
    # Somalia, Sudan
    _group("SO", "Mogadishu", "Muqdisho", "Mogadiscio", "مقديشو"),
    _group("SD", "Port Sudan", "Bur Sudan", "بورتسودان", "بور سودان"),
    # Syria
    _group("SY", "Damascus", "Damas", "Damasco", "Dimashq", "Ash Sham", "دمشق", "الشام"),
    _group("SY", "Aleppo", "Alep", "Halab", "حلب"),
    _group("SY", "Palmyra", "Palmyre", "Tadmur", "تدمر"),
    # Tunisia
    _group("TN", "Sfax", "Safaqis", "صفاقس"),
    _group("TN", "Bizerte", "Bizerta", "Banzart", "بنزرت"),
    _group("TN", "La Goulette", "Halq al Wadi", "حلق الوادي"),
    # Yemen
    _group("YE", "Sanaa", "Amanat al Asimah", "أمانة العاصمة", "صنعاء"),
    _group("YE", "Mocha", "Mokha", "Al Mukha", "المخا"),
)


@dataclass(frozen=True)
class ExonymLink:
    """A query form that is, or sounds like, a listed spelling: its group lends the query the
    group's other spellings."""

    group: ExonymGroup
    similarity: float = 1.0  # 1 for the same spelling, below 1 for a phonetic likeness


# Phonetic score (scoring.py) from which a query form counts as a spelling of a listed form
# it does not equal (ترابلس for طرابلس, موغادور for Mogador, فيليبفيل for Philippeville).
LOOKUP_MIN_SCORE = 88.0
# First, vectorised pass over the listed spellings: key-and-skeleton ratio worth a full score.
_LOOKUP_CUTOFF = 82.0


@lru_cache(maxsize=1024)
def spelling_forms(spelling: str) -> tuple[NameForm, ...]:
    """The analysed forms of one listed spelling."""
    return tuple(analyse(spelling, guess_order=False))


@lru_cache(maxsize=1)
def _by_plain() -> dict[str, list[ExonymGroup]]:
    index: dict[str, list[ExonymGroup]] = {}
    for group in EXONYMS:
        for spelling in group.forms:
            for form in spelling_forms(spelling):
                groups = index.setdefault(form.plain, [])
                if group not in groups:
                    groups.append(group)
    return index


@lru_cache(maxsize=1)
def _by_sound() -> tuple[list[str], list[tuple[ExonymGroup, NameForm]]]:
    """Key-and-skeleton strings of every listed spelling's readings, and their owners."""
    quick: list[str] = []
    owners: list[tuple[ExonymGroup, NameForm]] = []
    for group in EXONYMS:
        for spelling in group.forms:
            for form in spelling_forms(spelling):
                for key, key_skeleton in zip(form.key_strings, form.skeletons, strict=True):
                    quick.append(f"{key}|{key_skeleton}")
                    owners.append((group, form))
    return quick, owners


def lookup(plain: str) -> list[ExonymGroup]:
    """Groups with a form whose normalised words equal ``plain``."""
    return _by_plain().get(plain, [])


def links(forms: Sequence[NameForm]) -> list[list[ExonymLink]]:
    """For each query form, the groups it names: by equal normalised words, or by sounding
    like a listed spelling (then ``similarity`` is that phonetic score over 100)."""
    found = [{group: ExonymLink(group) for group in lookup(form.plain)} for form in forms]
    quick, owners = _by_sound()
    rows = [
        (n, f"{key}|{sk}")
        for n, f in enumerate(forms)
        for key, sk in zip(f.key_strings, f.skeletons, strict=True)
    ]
    if not rows:
        return [list(links.values()) for links in found]
    scores = process.cdist(
        [row for _, row in rows], quick, scorer=fuzz.ratio, score_cutoff=_LOOKUP_CUTOFF, workers=-1
    )
    hit_rows, hit_columns = np.divmod(np.flatnonzero(scores), scores.shape[1])  # row by row
    for row, column in zip(hit_rows.tolist(), hit_columns.tolist(), strict=True):
        number = rows[row][0]
        group, listed = owners[column]
        known = found[number].get(group)
        if known is not None and known.similarity == 1.0:
            continue
        similarity = pair_value(forms[number], listed) / 100.0
        if similarity * 100.0 >= LOOKUP_MIN_SCORE and (
            known is None or similarity > known.similarity
        ):
            found[number][group] = ExonymLink(group, similarity)
    return [list(links.values()) for links in found]
