"""Romanisation traditions and regional pronunciations, chosen by the candidate's country.

A Latin spelling of an Arab place name follows the tradition of the country it is in:
French-era spellings in the Maghreb and the other francophone members (Ouargla, Djelfa,
Nouakchott), Italian and then English ones in former Italian territories (Bengasi,
Tobruch, Chisimaio), English and BGN/PCGN ones in the Mashriq and the Gulf (Ar Riyāḑ,
Muscat), Somali orthography in Somalia (x for ح, c for ع: Xamar, Gaalkacyo). Spoken forms
differ by region too: ق is g in the Maghreb, the Gulf, Iraq, Bedouin and Upper-Egyptian
usage (Gafsa, Gurayat), ج is g in Egypt (Giza) and y in Gulf usage, and so on.

A gazetteer row's country is known even when a query has no country hint, so every pair
is scored with the readings, and the reading penalties, of the *candidate's* country:
a reading of another tradition is less likely (a higher penalty) or not available at all.
The learned transliteration model has a table per tradition for the same reason
(``learned/model.py``).
"""

from __future__ import annotations

from functools import lru_cache

from verifier.core.matching import phonetic, romanised

FRENCH = "french"
ENGLISH = "english"
ITALIAN = "italian"
SOMALI = "somali"

# The learned model's table for a country: the tradition its Latin spellings mostly follow.
# Countries of a tradition with no training data (Italian, Somali) use the all-traditions
# table (learned/model.py) and the rule readings below.
_PRIMARY = {
    **dict.fromkeys(("DZ", "MA", "TN", "MR", "DJ", "KM", "LB"), FRENCH),
    **dict.fromkeys(("LY", "SO"), ITALIAN),
    **dict.fromkeys(
        ("EG", "SD", "IQ", "JO", "PS", "SY", "SA", "YE", "AE", "BH", "KW", "OM", "QA"), ENGLISH
    ),
}

MAGHREB = frozenset({"DZ", "MA", "TN", "LY", "MR"})
GULF = frozenset({"AE", "BH", "KW", "OM", "QA", "SA"})
LEVANT_CITIES = frozenset({"LB", "SY", "PS"})  # urban ق is a glottal stop, rarely a g

# Readings that exist only for some countries (None: not available elsewhere).
JIM_AS_Y = "jim as y"
ITALIAN_SPELLING = romanised.ITALIAN_SPELLING
SOMALI_SPELLING = romanised.SOMALI_SPELLING
# Countries whose gazetteer names in Latin script are also read in these traditions.
REGIONAL_LATIN = frozenset({"LY", "SO"})

# Reading → {country: penalty}; a country not listed gets the reading's usual penalty
# (phonetic.VARIANT_PENALTY), or no such reading when the usual penalty is None.
_BY_COUNTRY: dict[str, tuple[dict[str, float | None], float | None]] = {
    # ق as g: Maghreb, Gulf, Iraq, Jordan's and Sudan's Bedouin usage, Yemen; Upper Egypt
    # less often; the Levant's cities rarely.
    "qaf as g": (
        {**dict.fromkeys(("EG",), 1.0), **dict.fromkeys(LEVANT_CITIES, 2.0)},
        0.0,
    ),
    # ج as g: Egypt (Giza); elsewhere a guess.
    "jim as g": ({"EG": 0.0}, 1.0),
    # ج as y: Gulf usage.
    JIM_AS_Y: (dict.fromkeys(GULF, 1.0), None),
    # ك as g: Moroccan spelling of a g (Agadir).
    "kaf as g": ({"MA": 1.0}, 2.0),
    # غ as r, word-initial rh for غ, the glued article: old French spellings.
    "french r": ({**dict.fromkeys(MAGHREB, 1.0), "DJ": 1.0, "KM": 1.0, "LB": 1.0}, 2.0),
    romanised.RH_AS_GH: ({**dict.fromkeys(MAGHREB, 1.0), "DJ": 1.0, "KM": 1.0}, 2.0),
    romanised.ARTICLE_GLUED: (
        {**dict.fromkeys(MAGHREB, 1.0), "DJ": 1.0, "KM": 1.0, "LB": 1.0},
        2.0,
    ),
    # ج said z beside س or ز: Maghrebi only.
    phonetic.SIBILANT_HARMONY: (dict.fromkeys(MAGHREB, 2.0), None),
    ITALIAN_SPELLING: ({"LY": 0.0, "SO": 0.0}, None),
    SOMALI_SPELLING: ({"SO": 0.0}, None),
}


def primary(country: str) -> str:
    """The tradition of a country's Latin spellings ("" when unknown)."""
    return _PRIMARY.get(country, "")


@lru_cache(maxsize=512)
def penalties(country: str) -> dict[str, float | None]:
    """Reading → penalty for a candidate of ``country`` (None: the reading does not apply
    there). Readings not listed keep phonetic.VARIANT_PENALTY."""
    table: dict[str, float | None] = {}
    for reading, (by_country, usual) in _BY_COUNTRY.items():
        table[reading] = by_country.get(country, usual)
    return table


def regional_readings(country: str) -> frozenset[str]:
    """The country-specific readings that apply to a candidate of ``country``."""
    return frozenset(
        reading
        for reading in (JIM_AS_Y, ITALIAN_SPELLING, SOMALI_SPELLING, phonetic.SIBILANT_HARMONY)
        if penalties(country).get(reading) is not None
    )


# The readings whose penalty depends on the country.
BY_COUNTRY = frozenset(_BY_COUNTRY)
