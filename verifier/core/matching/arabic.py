"""Normalise Arabic-script labels into comparable words.

Character clean-up comes from camel-tools: its ``arclean`` map folds presentation forms and
Persian/Urdu letter variants and removes harakat and tatweel; ``normalize_alef_ar``,
``normalize_alef_maksura_ar`` and ``normalize_teh_marbuta_ar`` fold the letters whose
spelling varies between sources. ``arclean`` is applied through a table built from the
mapper once, because calling the mapper per string is too slow for a gazetteer of tens of
thousands of names, and only where a pattern of the characters it changes finds one: most
text has none, and ``str.translate`` looks up every character of non-ASCII text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from verifier.core.matching.cleanup import is_arabic_char

ARTICLE = "ال"
# Words that say what kind of place follows; compared without them. Only the bare
# (article-less) noun is generic: المدينة on its own is the name of Medina.
GENERIC_WORDS = frozenset(
    {
        "مدينه",  # city (teh marbuta already folded)
        "ولايه",  # wilaya / province
        "محافظه",  # governorate
        "اماره",  # emirate
        "بلديه",  # municipality
        "امانه",  # municipal secretariat ("Greater ...")
        "منطقه",  # region
        "مركز",  # district centre
        "قضاء",  # district (Iraq, Lebanon)
        "مقاطعه",  # province (Maghreb, Mauritania)
        "عماله",  # prefecture (Morocco)
        "اقليم",  # province (Morocco)
        "ناحيه",  # sub-district (Iraq, Syria)
        "دائره",  # daïra, district (Algeria)
        "قريه",  # village
        "بلده",  # small town
        "واحه",  # oasis (واحة سيوة)
    }
)


@lru_cache(maxsize=1)
def _clean_table() -> dict[int, str | None]:
    """camel-tools' ``arclean`` as a ``str.translate`` table over the Arabic blocks."""
    from camel_tools.utils.charmap import CharMapper

    mapper = CharMapper.builtin_mapper("arclean")
    table: dict[int, str | None] = {}
    for code in [*range(0x0600, 0x0780), *range(0x08A0, 0x0900), *range(0xFB50, 0xFF00)]:
        ch = chr(code)
        if not is_arabic_char(ch):
            continue
        mapped = mapper(ch)
        if mapped != ch:
            table[code] = mapped or None
    table.update(_G_LETTERS)
    return table


@lru_cache(maxsize=1)
def _fold_letters() -> Callable[[str], str]:
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
    )

    def fold(text: str) -> str:
        return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(text)))

    return fold


# Letters for a g sound (Moroccan ݣ and ڭ, Algerian/Tunisian ڨ and ڤ, Persian گ): read as ق,
# whose Maghrebi variant key is g, rather than dropped or read as ك or ف. ڤ is a v in Levantine
# spellings of foreign words, but in League city names it is the Maghrebi g (ڤابس = Gabès).
_G_LETTERS = {ord(ch): "ق" for ch in "ݣڭڨگڤ"}


@lru_cache(maxsize=1)
def _clean_pattern() -> tuple[re.Pattern[str], Callable[[re.Match[str]], str]]:
    """The characters :func:`_clean_table` changes, and what each becomes."""
    replacements = {chr(code): mapped or "" for code, mapped in _clean_table().items()}
    pattern = re.compile("[" + "".join(re.escape(ch) for ch in sorted(replacements)) + "]")
    return pattern, lambda match: replacements[match[0]]


def clean_arabic(text: str) -> str:
    """Presentation forms folded, harakat/tatweel dropped, Persian variants mapped; Latin
    letters and digits kept (the Latin normaliser deals with them)."""
    pattern, replace = _clean_pattern()
    return pattern.sub(replace, text)


def fold_arabic(text: str) -> str:
    """Alef, alef maksura and teh marbuta folded, on :func:`clean_arabic` text: hamza seats on
    alef and alef wasla become a plain alef, ``ى`` becomes ``ي``, ``ة`` becomes ``ه``, as
    sources spell these letters either way. Used for exact keys; the phonetic keys read the
    unfolded letters, which still tell إ (i) from أ (a) and ة (a vowel) from ه."""
    return _fold_letters()(text)


def strip_article(word: str) -> str:
    """``الرياض`` → ``رياض``. Two-letter remainders are kept whole: ``الف`` is not an article."""
    if word.startswith(ARTICLE) and len(word) > 3:
        return word[2:]
    return word


def name_words(cleaned: str) -> list[str]:
    """Words of a cleaned Arabic name with articles and leading generic words removed.

    Generic words are removed only while another word follows, so a label that *is* a
    generic word keeps it.
    """
    return name_words_with_articles(cleaned)[0]


def name_words_with_articles(cleaned: str) -> tuple[list[str], list[bool]]:
    """:func:`name_words`, and for each word whether it carried the article."""
    raw = cleaned.split()
    words = [strip_article(word) for word in raw]
    while len(words) > 1 and _bare_generic(raw[0]):
        words, raw = words[1:], raw[1:]
    return words, [len(word) < len(whole) for word, whole in zip(words, raw, strict=True)]


@lru_cache(maxsize=4096)
def _bare_generic(word: str) -> bool:
    return fold_arabic(word) in GENERIC_WORDS


def is_generic(word: str) -> bool:
    """A word that only says what kind of place is meant: مدينة, البلدية."""
    return fold_arabic(strip_article(word)) in GENERIC_WORDS


def split_glued_article(word: str) -> list[str] | None:
    """A word with the next word's article glued to it (غورالصافي = غور الصافي), as two words;
    None when there is no such article inside the word. At least two letters must precede
    it and three follow, so that words merely containing ال (جمالية) are left alone."""
    at = word.find(ARTICLE, 2)
    if at < 2 or len(word) - at - 2 < 3:
        return None
    return [word[:at], word[at:]]


# Harakat: the short vowels, sukun, shadda, tanween and the dagger alef. Labels rarely carry
# them, but when one does they say which vowels the name has.
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
_HAS_HARAKAT = re.compile(f"[{HARAKAT}]")
_VOWEL_SIGNS = {
    "\u064e": "a",  # fatha
    "\u0650": "i",  # kasra
    "\u064f": "u",  # damma
    "\u064b": "a",  # tanween: its n is a case ending, not part of the name
    "\u064d": "i",
    "\u064c": "u",
    "\u0670": "a",  # dagger alef
    "\u0652": "",  # sukun: no vowel
    "\u0651": "",  # shadda: the letter doubled, which Latin spellings often do not show
}
_MARKED_ARABIC_WORD = re.compile(f"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3{HARAKAT}]+")
_ARTICLE_WITH_MARKS = re.compile(f"^ا[{HARAKAT}]*ل[{HARAKAT}]*")


def has_harakat(text: str) -> bool:
    return _HAS_HARAKAT.search(text) is not None


def vowelled_words(text: str) -> list[tuple[str, str]]:
    """(cleaned word, vowelled spelling) for each word of a label with harakat, article
    removed: letters in the phonetic alphabet's spelling (phonetic.py) with the written
    short vowels in place (مُحَمَّدِيَّة → muhammadiyya before keying). Empty without
    harakat."""
    if not has_harakat(text):
        return []
    pattern, replace = _clean_pattern()
    kept = {ord(ch): None for ch in HARAKAT}
    table = {code: mapped for code, mapped in _clean_table().items() if code not in kept}
    words = _MARKED_ARABIC_WORD.findall(text.translate(table))
    found = []
    for word in words:
        bare = pattern.sub(replace, word)
        if len(bare) > 3 and bare.startswith(ARTICLE):
            word = _ARTICLE_WITH_MARKS.sub("", word)
            bare = bare[2:]
        found.append((bare, "".join(_VOWEL_SIGNS.get(ch, ch) for ch in word)))
    return found
