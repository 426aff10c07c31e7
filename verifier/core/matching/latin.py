"""Normalise Latin-script labels into comparable words.

Diacritics go (Ar Riyāḑ → ar riyad), hamza/ayn marks and apostrophes go (Şan‘ā’ → sanaa),
hyphens and punctuation separate words, case is folded. Then generic words (City of, Wilaya
d', Governorate) and the Arabic article in all its spellings (al-, el, ar r…, ech ch…) are
removed so that "Er Riad", "al-Riyāḍ" and "Riyadh City" reduce to one word.
"""

from __future__ import annotations

import re
import unicodedata

from verifier.core.matching.learned.alphabet import latin_letters

_APOSTROPHES = "ʿʾ‘’'`´ʼʻ′ʹ"
# Letters NFKD does not decompose into a base letter plus marks.
_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ħ": "h",
        "ç": "s",  # French cedilla is an s sound (Açores); BGN's ş/ţ decompose normally
        **dict.fromkeys(_APOSTROPHES, ""),
    }
)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]")
_NON_WORD = re.compile(r"[^a-z0-9]+")

# Arabic article spellings, and the French articles that stand for it in Maghrebi names
# (La Marsa = المرسى, Le Kram = الكرم).
ARTICLES = frozenset({"al", "el", "il", "ul", "l", "la", "le"})
# Assimilated article → the consonant spelling it doubles (ar Riyad, ech Chlef, adh Dhahran).
ASSIMILATED_ARTICLES = {
    f"{vowel}{cons}": cons
    for vowel in "ae"
    for cons in ("t", "th", "d", "dh", "r", "z", "s", "sh", "ch", "n")
}

GENERIC_PREFIXES = (
    "city of",
    "ville de",
    "ville d",
    "wilaya of",
    "wilaya de",
    "wilaya d",
    "wilaya",
    "wilayat",
    "vilayet",
    "governorate of",
    "gouvernorat de",
    "gouvernorat d",
    "gouvernorat",
    "muhafazat",
    "mohafazat",
    "emirate of",
    "emirat de",
    "municipality of",
    "municipalite de",
    "municipalite d",
    "commune de",
    "commune d",
    "province of",
    "province de",
    "prefecture de",
    "greater",
    "grand",
    "amanat",
    "nahiyat",
    "nahiyah",
    "nahia",
    "daira de",
    "daira d",
    "daira",
    "qaryat",
    "markaz",
    "qada",
    "qadaa",
    "baladiyat",
    "madinat",
    "medinet",
    "madinet",
)
GENERIC_SUFFIXES = (
    "city",
    "oasis",
    "village",
    "governorate",
    "province",
    "municipality",
    "emirate",
    "wilaya",
    "town",
    "ville",
)
_PREFIX_WORDS = sorted((p.split() for p in GENERIC_PREFIXES), key=len, reverse=True)
# Any of these in a name means there may be something to remove.
_SPECIAL_WORDS = frozenset(
    [*ARTICLES, *ASSIMILATED_ARTICLES, *GENERIC_SUFFIXES, *(p[0] for p in _PREFIX_WORDS)]
)


# Long vowels and the ayn/hamza marks of BGN/PCGN and ALA-LC romanisation, kept as upper-case
# markers by fold_marked: they say which vowels Arabic writes (Al Khārijah = الخارجة).
_LONG_VOWEL_MARKS = str.maketrans(
    {
        "ā": "A",
        "â": "A",
        "á": "A",
        "ī": "I",
        "î": "I",
        "ū": "U",
        "û": "U",
        "‘": "Q",
        "ʿ": "Q",
        "’": "Q",
        "ʾ": "Q",
    }
)
_BGN_SIGNS = re.compile("[āīūáḩḑşţḥḍṣṭẓ‘’ʿʾ]|z\u0327")
_NON_MARKED_WORD = re.compile(r"[^a-zAIUQ0-9]+")
# Any of the signs in either case, or a combining mark that could compose into one.
_MAYBE_MARKED = re.compile("[āīūáḩḑşţḥḍṣṭẓĀĪŪÁḨḐŞŢḤḌṢṬẒ‘’ʿʾ\u0300-\u036f]")


# French elision (Wilaya d'Oran, l'Ariana): the apostrophe separates words there, whereas
# inside a romanised word it marks a hamza or ayn and is dropped (Sana'a).
_ELISION = re.compile(r"\b([dl]|qu)['’](?=\w)", re.IGNORECASE)


# fold_latin's table without the apostrophes: the learned model reads them (ayn, hamza).
_SPECIAL_LETTERS = str.maketrans(
    {key: value for key, value in _SPECIAL.items() if chr(key) not in _APOSTROPHES}
)
_NON_LETTER_WORD = re.compile(r"[^a-z0-9āīūḩşţḑẓ‘’']+")


def has_letter_signs(text: str) -> bool:
    """False when ``text`` cannot have a sign the learned model reads (a quick test)."""
    return not text.isascii() or "'" in text or "`" in text


def letter_words(text: str, count: int) -> list[str]:
    """The words of ``text`` as the learned transliteration model reads them (BGN/PCGN
    letters and the ayn and hamza signs kept: learned/alphabet.py), if ``text`` has any
    such sign and splits into ``count`` words as :func:`fold_latin` does; else []."""
    if not has_letter_signs(text):
        return []
    lowered = _ELISION.sub(r"\1 ", text).lower().translate(_SPECIAL_LETTERS)
    words = _NON_LETTER_WORD.sub(" ", latin_letters(lowered)).split()
    return words if len(words) == count else []


def fold_latin(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces; everything else folded or dropped."""
    text = _ELISION.sub(r"\1 ", text).lower().translate(_SPECIAL)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NON_WORD.sub(" ", text).split())


_NON_WORD_OR_LINE = re.compile(r"[^a-z0-9\n]+")


def fold_latin_lines(texts: list[str]) -> list[str]:
    """:func:`fold_latin` of many texts (without newlines) at once: one pass over their
    joined text instead of one per text, for gazetteers."""
    text = _ELISION.sub(r"\1 ", "\n".join(texts)).lower().translate(_SPECIAL)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NON_WORD_OR_LINE.sub(" ", text).split("\n")


def may_be_marked(text: str) -> bool:
    """False when ``text`` cannot have long-vowel or ayn/hamza marks (a quick test)."""
    return not text.isascii() and _MAYBE_MARKED.search(text) is not None


def fold_marked(text: str) -> str | None:
    """Like :func:`fold_latin` but long vowels and ayn/hamza kept as markers A I U Q; None
    when the label shows no sign of a scholarly romanisation (then plain vowels may be long
    or short and nothing can be read from them)."""
    if not may_be_marked(text):  # quick test before normalising
        return None
    text = unicodedata.normalize("NFC", _ELISION.sub(r"\1 ", text).lower())
    if not _BGN_SIGNS.search(text):
        return None
    text = text.translate(_LONG_VOWEL_MARKS).translate(_SPECIAL)
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NON_MARKED_WORD.sub(" ", text).split())


_NON_MARKED_WORD_OR_LINE = re.compile(r"[^a-zAIUQ0-9\n]+")


def fold_marked_lines(texts: list[str]) -> list[str | None]:
    """:func:`fold_marked` of many texts (without newlines) at once, for gazetteers: the
    foldings work character by character, so one pass over the joined texts does."""
    result: list[str | None] = [None] * len(texts)
    at = [number for number, text in enumerate(texts) if may_be_marked(text)]
    if not at:
        return result
    joined = "\n".join(texts[number] for number in at)
    lowered = unicodedata.normalize("NFC", _ELISION.sub(r"\1 ", joined).lower())
    signed = [_BGN_SIGNS.search(line) is not None for line in lowered.split("\n")]
    folded = lowered.translate(_LONG_VOWEL_MARKS).translate(_SPECIAL)
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    lines = _NON_MARKED_WORD_OR_LINE.sub(" ", folded).split("\n")
    for number, has_signs, line in zip(at, signed, lines, strict=True):
        if has_signs:
            result[number] = " ".join(line.split())
    return result


def _drop_generic(words: list[str]) -> list[str]:
    changed = True
    while changed and len(words) > 1:
        changed = False
        for prefix in _PREFIX_WORDS:
            if len(words) > len(prefix) and words[: len(prefix)] == prefix:
                words = words[len(prefix) :]
                changed = True
                break
        if len(words) > 1 and words[-1] in GENERIC_SUFFIXES:
            words = words[:-1]
            changed = True
    return words


def _is_article(word: str, following: str) -> bool:
    if word in ARTICLES:
        return True
    doubled = ASSIMILATED_ARTICLES.get(word)
    return doubled is not None and following.startswith(doubled)


def _without_articles(words: list[str]) -> list[int]:
    """Positions of the words that are not an article preceding another word."""
    kept = [
        index
        for index, word in enumerate(words)
        if index + 1 >= len(words) or not _is_article(word, words[index + 1])
    ]
    return kept or list(range(len(words)))


def name_positions(folded: str) -> list[int]:
    """Positions, among the words of ``folded``, of those left once generic words and
    articles are removed (El Oued → oued, Ar Riyad → riyad, Wilaya d'Oran → oran)."""
    return word_positions(folded.split())


def word_positions(words: list[str]) -> list[int]:
    """:func:`name_positions` of words already split."""
    if _SPECIAL_WORDS.isdisjoint(words):
        return list(range(len(words)))
    specific = _drop_generic(words)
    offset = next(
        start
        for start in range(len(words) - len(specific) + 1)
        if words[start : start + len(specific)] == specific
    )
    return [offset + index for index in _without_articles(specific)]


def follows_article(words: list[str], index: int) -> bool:
    """Whether the word at ``index`` comes right after an article (Al Başrah, El Oued)."""
    return index > 0 and _is_article(words[index - 1], words[index])


# Words that only say what kind of place a qualifier names: "Algiers (city)".
GENERIC_WORDS = frozenset({*GENERIC_SUFFIXES, "commune", "municipalite", "district", "capital"})


def name_words(folded: str) -> list[str]:
    """Words of a folded Latin name with generic words and articles removed."""
    words = folded.split()
    return [words[index] for index in name_positions(folded)]
