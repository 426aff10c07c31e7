"""Latin spellings of Arab names read into the phonetic alphabet of ``phonetic.py``.

Spelling conventions applied to every word: digraphs (dj kh gh sh ch th dh ph ck ee), the
silent u of gu (Guelma = قالمة), a word-initial e, i or u read
as a (the vowel of a written hamza or ayn is spelled every way: Idlib / ادلب), doubled
letters collapsed (shadda is often unwritten), and a diphthong before a consonant read as the
long vowel Arabic writes (Qurayn = قرين), except at the start of a word where the a is an
alef or ayn (Aïn = عين).

Other readings of a word, for spellings no single rule covers:

* vowels apart: ai and au as two vowels (Taif = الطائف, Taourirt = تاوريرت);
* short vowels dropped: a, e, o between consonants may spell short vowels, which Arabic does
  not write (Khobar = الخبر, Mohammedia = المحمدية); only for names without long-vowel marks;
* article glued: French spellings glue the article to the word, assimilated (Essaouira =
  الصويرة, Errachidia) or as a bare l (Laghouat = الأغواط, Lahraouyine = الهراويين);
* rh as gh: French spellings write a word-initial غ as rh (Rhennouch = غنوش);
* soft c: c before e, i or y is an s in French and English (Kacem = قاسم, Hoceïma =
  الحسيمة), but mostly a k misspelt in labels (Casablance), hence a reading of its own;
* p and v as b and f: Arabic has neither letter (Tipasa = تيبازة), for comparisons across
  scripts only.

Names romanised with marked long vowels (BGN/PCGN, ALA-LC: Al Khārijah) are also read without
their unmarked short vowels (``xarja`` = الخارجة), and then reading every vowel as written is
the less likely reading ("marks ignored").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress, count
from operator import ne

from verifier.core.matching.phonetic import (
    DOUBLES,
    REPEATED_VOWEL,
    STANDARD,
    WordReadings,
    assemble,
    collapse,
    drop_final_h,
)

VOWELS_APART = "vowels apart"
SHORT_VOWELS_DROPPED = "short vowels dropped"
ARTICLE_GLUED = "article glued"
RH_AS_GH = "rh as gh"
P_AND_V = "p and v as b and f"
MARKED = "long vowels marked"
MARKS_IGNORED = "marks ignored"
SOFT_C = "soft c"
LATIN_READINGS = (STANDARD, VOWELS_APART, SHORT_VOWELS_DROPPED, ARTICLE_GLUED, RH_AS_GH, SOFT_C)

# Latin spellings, longest first: a digraph must win over its letters.
_DIGRAPHS = (
    ("sch", "S"),
    ("tch", "S"),
    ("dj", "j"),
    ("kh", "x"),
    ("gh", "g"),
    ("sh", "S"),
    ("ch", "S"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("ck", "k"),
    ("ee", "i"),  # English long i
)
_LETTERS = str.maketrans({"q": "k", "c": "k", "w": "u", "y": "i", "e": "a", "o": "u"})
_P_AND_V = str.maketrans({"p": "b", "v": "f"})
# The patterns work on one word or on many joined by newlines (_latin_readings).
_INITIAL_VOWEL = re.compile("^[eiu]", re.MULTILINE)
_SOFT_C = re.compile("c(?=[eiy])")
_SILENT_U = re.compile("(?<=g)u(?=[eiy])")
# Not at the start of a word, where the a is the vowel of a written alef or ayn.
_DIPHTHONG = re.compile(r"(?<=.)a([iu])(?![aiu])")
_SHORT_VOWEL_LETTER = re.compile("(?<=[b-df-hj-np-tv-z])[aeo](?=[b-df-hj-np-tv-xz])")
_GLUED_ARTICLE = re.compile(r"^(?:[ae]([tdrzsn])(?=\1[aeiouy])|l(?=[aeiou][a-z]{3}))", re.MULTILINE)


def _spell(text: str, soft_c: bool = False) -> str:
    """Latin words with their spelling conventions resolved, letters not yet mapped; with
    ``soft_c``, c before e, i, y is read as s."""
    text = _INITIAL_VOWEL.sub("a", text)
    if "gu" in text:
        text = _SILENT_U.sub("", text)
    for spelling, symbol in _DIGRAPHS:
        if spelling in text:
            text = text.replace(spelling, symbol)
    if soft_c and "c" in text:
        text = _SOFT_C.sub("s", text)
    return text


def _spelled(words: list[str], soft_c: bool = False) -> str:
    """Many words joined by newlines, spelled in the phonetic alphabet with ai and au still
    two vowels: one pass of each rule for all of them."""
    text = _spell("\n".join(words), soft_c).translate(_LETTERS)
    return collapse(REPEATED_VOWEL, collapse(DOUBLES, text))


def _keys(spelled: str) -> list[str]:
    """The keys of words :func:`_spelled` together."""
    return drop_final_h(collapse(_DIPHTHONG, spelled)).split("\n")


def _changed(changed: list[str], words: list[str]) -> list[int]:
    """Positions where ``changed`` differs from ``words``."""
    return list(compress(count(), map(ne, changed, words)))


def _latin_readings(words: list[str]) -> list[tuple[str, ...]]:
    """The keys of folded Latin words under each of LATIN_READINGS, all words at once."""
    spelled = _spelled(words)
    standard = _keys(spelled)
    apart = drop_final_h(spelled).split("\n")
    # One column per reading, the standard key where a reading changes nothing.
    columns = [standard, apart, *(list(standard) for _ in LATIN_READINGS[2:])]
    joined = "\n".join(words)
    short = _SHORT_VOWEL_LETTER.sub("", joined).split("\n")
    glued = _GLUED_ARTICLE.sub("", joined).split("\n")
    variants = [(2, short, _changed(short, words)), (3, glued, _changed(glued, words))]
    if joined.startswith("rh") or "\nrh" in joined:
        rh = ["gh" + word[2:] if word.startswith("rh") else word for word in words]
        variants.append((4, rh, _changed(rh, words)))
    if _SOFT_C.search(joined):
        variants.append((5, words, list(compress(count(), map(_SOFT_C.search, words)))))
    for column, changed, at in variants:
        if at:
            keys = _keys(_spelled([changed[n] for n in at], soft_c=column == 5))
            for number, key in zip(at, keys, strict=True):
                columns[column][number] = key
    return list(zip(*columns, strict=True))


# The key of one folded Latin word under each of LATIN_READINGS.
latin_word_readings = WordReadings(_latin_readings)


def latin_key(words: Sequence[str]) -> str:
    """Standard phonetic key of folded Latin words."""
    return "".join(latin_word_readings(word)[0] for word in words)


# Keys of one-word names without marks, by word: most names are one word.
_ONE_WORD_KEYS: dict[str, tuple[tuple[str, str], ...]] = {}
_ONE_WORD_LIMIT = 500_000


def latin_keys(
    words: Sequence[str], marked_words: Sequence[str] = ()
) -> tuple[tuple[str, str], ...]:
    """(reading, key) pairs of folded Latin words, the standard reading first; ``marked_words``
    are the same words with long vowels kept as markers (``latin.fold_marked``), if any."""
    if len(words) == 1 and not marked_words:
        found = _ONE_WORD_KEYS.get(words[0])
        if found is not None:
            return found
        return one_word_keys(words[0], latin_word_readings(words[0]))
    return _latin_keys(words, marked_words)


def one_word_keys(word: str, readings: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """:func:`latin_keys` of one word without marks, given its readings (cached): what
    :func:`_latin_keys` gives, by a shorter way (most names are one word)."""
    found = _ONE_WORD_KEYS.get(word)
    if found is not None:
        return found
    if len(_ONE_WORD_KEYS) > _ONE_WORD_LIMIT:
        _ONE_WORD_KEYS.clear()
    standard = readings[0]
    distinct = dict.fromkeys(readings)
    if len(distinct) == 1:
        keys = [(STANDARD, standard)]
    else:
        keys = [(LATIN_READINGS[readings.index(key)], key) for key in distinct]
    if "p" in standard or "v" in standard:
        arabic_letters = standard.translate(_P_AND_V)
        if arabic_letters not in distinct:
            keys.append((P_AND_V, arabic_letters))
    found = _ONE_WORD_KEYS[word] = tuple(keys)
    return found


def _latin_keys(words: Sequence[str], marked_words: Sequence[str]) -> tuple[tuple[str, str], ...]:
    per_word = [latin_word_readings(word) for word in words]
    if marked_words:  # the marks say which vowels are short: no guessing needed
        per_word = [(*pieces[:2], pieces[0], *pieces[3:]) for pieces in per_word]
    keys = assemble(LATIN_READINGS, per_word)
    standard = keys[0][1]
    if marked_words:
        marked = marked_latin_key(marked_words)
        if marked != standard:
            others = [(reading, key) for reading, key in keys[1:] if key != marked]
            keys = [(MARKS_IGNORED, standard), (MARKED, marked), *others]
    if "p" in standard or "v" in standard:
        arabic_letters = standard.translate(_P_AND_V)
        if all(arabic_letters != key for _, key in keys):
            keys.append((P_AND_V, arabic_letters))
    return tuple(keys)


_SHORT_VOWEL = re.compile("(?<=.)[aeiou]")
_MARKERS = str.maketrans({"A": "a", "I": "i", "U": "u", "Q": "a"})


@lru_cache(maxsize=50_000)
def _marked_piece(word: str, construct: bool) -> str:
    word = collapse(DOUBLES, _spell(word))
    if not word:
        return word
    if word.endswith("ah") or (construct and word.endswith("at")):
        word = word[:-2] + "A"
    word = _SHORT_VOWEL.sub("", word).translate(_LETTERS).translate(_MARKERS)
    return drop_final_h(collapse(REPEATED_VOWEL, word))


def marked_latin_key(words: Sequence[str]) -> str:
    """Phonetic key of romanised words whose long vowels are marked (``fold_marked``): the
    unmarked, short vowels are dropped, as Arabic does not write them. A word-initial vowel
    stays (Arabic writes it on an alef), and so does the vowel of a final -ah or of a
    construct -at (teh marbuta: Madīnat an Naşr). Doubled letters collapse before the short
    vowels go, so that two consonants a vowel apart stay two (Babīlā = ببيلا)."""
    last = len(words) - 1
    return "".join(_marked_piece(word, index < last) for index, word in enumerate(words))


# Spellings of other traditions, respelled the English way before keying (traditions.py
# decides where they apply): Italian ch for k, gh for g, gi/ge for j, sc before e/i for sh
# (Bengasi, Tobruch, Giarabub, Chisimaio); Somali x for ح and c for ع (Xamar, Gaalkacyo).
ITALIAN_SPELLING = "italian spelling"
SOMALI_SPELLING = "somali spelling"
_ITALIAN = (
    (re.compile("sc(?=[ei])"), "sh"),
    (re.compile("ch"), "k"),
    (re.compile("gi(?=[aou])"), "j"),
    (re.compile("g(?=[ei])"), "j"),
)
_SOMALI = ((re.compile("x"), "h"), (re.compile("c"), ""))


def _respelled(words: Sequence[str], rules: tuple[tuple[re.Pattern[str], str], ...]) -> list[str]:
    result = []
    for word in words:
        for pattern, replacement in rules:
            word = pattern.sub(replacement, word)
        result.append(word)
    return result


def regional_keys(words: Sequence[str], known: Sequence[str]) -> list[tuple[str, str]]:
    """(reading, key) of folded Latin words read in the Italian and Somali traditions, for
    the keys not already in ``known``."""
    found: list[tuple[str, str]] = []
    seen = set(known)
    for reading, rules in ((ITALIAN_SPELLING, _ITALIAN), (SOMALI_SPELLING, _SOMALI)):
        respelled = _respelled(words, rules)
        if respelled != list(words) and all(respelled):
            key = latin_key(respelled)
            if key and key not in seen:
                seen.add(key)
                found.append((reading, key))
    return found
