"""Transliteration of both scripts into one phonetic alphabet, so that an Arabic name and its
many Latin spellings meet.

The alphabet has one symbol per group of sounds that romanisations confuse:

    b: ب b        t: ت ط ث t th    d: د ض ذ ظ d dh    s: س ص s ç    z: ز z
    S: ش sh ch    j: ج j dj        g: غ g gh          k: ق ك k q c  x: خ kh x
    h: ح ه h      f: ف f ph        r l m n as written

Latin p and v keep their own symbols: no Arabic letter is romanised so, and a name spelled
with them (Patna, Vienna) is a foreign name, not a spelling of Batna or Fiyena.

and three vowels: ``a`` (ا ى ة ع ء, Latin a e), ``i`` (ي ئ إ, Latin i y) and ``u`` (و ؤ,
Latin u o w ou). The semivowels count as vowels because sources disagree on them (Ouahran /
Wahran, Riad / Riyadh). A repeated vowel collapses (Sanaa), and in Latin a diphthong before a
consonant becomes the vowel letter Arabic writes (Qurayn = قرين, Hawran = حوران). Latin
doubled consonants collapse (shadda is often unwritten); Arabic letters written twice are
two consonants (ببيلا) and stay. A word-final h is dropped on both sides (Jeddah, Rafah,
Wajh: it is silent, or spelled either way).

Three keys are derived from that spelling:

* the *phonetic key*: the whole name (Jeddah → ``jada``, Jiddah → ``jida``, جدة → ``jda``);
* the *skeleton*: consonants only (``jd``), robust to any vowel difference;
* the *coarse key*: the phonetic key with j/g/k/x, t/d and s/S/z merged and vowels dropped,
  used only to pick a shortlist cheaply.

Arabic names also get *variant* keys for the dialect and era spellings one rule cannot cover:
Egyptian g for ج (Giza), Maghrebi g for ق (Gafsa), s/z for ث ذ ظ ض (Levantine, Egyptian and
Gulf usage), the French r for غ, ى read as ي, and a final ه read as a dotless ة. Latin names
romanised with marked long vowels (BGN/PCGN, ALA-LC: Al Khārijah) get a second key without
their unmarked short vowels, which Arabic does not write (``xarja`` = الخارجة).
"""

from __future__ import annotations

import re
from operator import itemgetter

VOWELS = "aiu"
# re.sub with a C-level callable instead of the template r"\1": several times faster.
_FIRST_GROUP = itemgetter(1)

_ARABIC_STANDARD = {
    "ا": "a",
    "أ": "a",
    "آ": "a",
    "إ": "i",
    "ٱ": "a",
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "h",
    "خ": "x",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "S",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "d",
    "ع": "a",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "و": "u",
    "ي": "i",
    "ى": "a",
    "ة": "a",
    "ء": "a",
    "ئ": "i",
    "ؤ": "u",
}
ARABIC_STANDARD = str.maketrans(_ARABIC_STANDARD)

# Name of each variant → the letters it re-maps. A variant is produced only for names that
# contain one of its letters.
ARABIC_VARIANTS: dict[str, dict[int, str]] = {
    "egyptian g": str.maketrans({"ج": "g"}),
    "maghrebi g": str.maketrans({"ق": "g"}),
    "soft interdentals": str.maketrans({"ث": "s", "ذ": "z", "ظ": "z", "ض": "z"}),
    "french r": str.maketrans({"غ": "r"}),
    # Egyptian and older spellings write final ي as ى.
    "ya for maksura": str.maketrans({"ى": "i"}),
}

# Latin spellings, longest first: a digraph must win over its letters.
_LATIN_DIGRAPHS = (
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
)
_LATIN_LETTERS = str.maketrans({"q": "k", "c": "k", "w": "u", "y": "i", "e": "a", "o": "u"})
_COARSE = str.maketrans(
    {
        **{"j": "k", "g": "k", "x": "k", "d": "t", "S": "s", "z": "s", "p": "b", "v": "f"},
        **dict.fromkeys("aiu"),
    }
)
_NO_VOWELS = str.maketrans(dict.fromkeys(VOWELS))
_DOUBLES = re.compile(r"(.)\1+")
_REPEATED_VOWEL = re.compile(r"([aiu])\1+")
# A Latin diphthong before a consonant is what Arabic writes as a long vowel letter:
# Qurayn / قرين, Hawran / حوران.
_DIPHTHONG = re.compile(r"a([iu])(?![aiu])")


def _drop_final_h(key: str) -> str:
    return key[:-1] if len(key) > 2 and key.endswith("h") else key


def latin_key(words: list[str]) -> str:
    """Phonetic key of normalised Latin words: doubled letters collapse (shadda)."""
    parts = []
    for word in words:
        for spelling, symbol in _LATIN_DIGRAPHS:
            if spelling in word:
                word = word.replace(spelling, symbol)
        key = _DOUBLES.sub(_FIRST_GROUP, word.translate(_LATIN_LETTERS))
        parts.append(
            _drop_final_h(_DIPHTHONG.sub(_FIRST_GROUP, _REPEATED_VOWEL.sub(_FIRST_GROUP, key)))
        )
    return "".join(parts)


_SHORT_VOWEL = re.compile("(?<=.)[aeiou]")
_MARKERS = str.maketrans({"A": "a", "I": "i", "U": "u", "Q": "a"})


def marked_latin_key(words: list[str], word_count: int) -> str:
    """Phonetic key of romanised words whose long vowels are marked (``fold_marked``): the
    unmarked, short vowels are dropped, as Arabic does not write them. A word-initial vowel
    stays (Arabic writes it on an alef), and so does the vowel of a final -ah or of a
    construct -at (teh marbuta: Madīnat an Naşr)."""
    parts = []
    for position, word in enumerate(words):
        for spelling, symbol in _LATIN_DIGRAPHS:
            if spelling in word:
                word = word.replace(spelling, symbol)
        if word.endswith("ah") or (word.endswith("at") and position + 1 < word_count):
            word = word[:-2] + "A"
        word = _SHORT_VOWEL.sub("", word).translate(_LATIN_LETTERS).translate(_MARKERS)
        parts.append(
            _drop_final_h(_REPEATED_VOWEL.sub(_FIRST_GROUP, _DOUBLES.sub(_FIRST_GROUP, word)))
        )
    return "".join(parts)


def _arabic_key(words: list[str], table: dict[int, str]) -> str:
    """Arabic letters written twice are two consonants (ببيلا), so only vowels collapse."""
    return "".join(
        _drop_final_h(_REPEATED_VOWEL.sub(_FIRST_GROUP, word.translate(table))) for word in words
    )


def arabic_keys(words: list[str]) -> list[tuple[str, str]]:
    """(variant name, phonetic key) pairs for cleaned Arabic words; the standard one first."""
    keys = [("standard", _arabic_key(words, ARABIC_STANDARD))]

    def add(name: str, key: str) -> None:
        if all(key != existing for _, existing in keys):
            keys.append((name, key))

    joined = "".join(words)
    for name, remap in ARABIC_VARIANTS.items():
        if any(chr(code) in joined for code in remap):
            add(name, _arabic_key(words, {**ARABIC_STANDARD, **remap}))
    # Final ه is a real h (الوجه, Wajh) or a teh marbuta written without its dots (تنوره).
    if any(len(word) > 2 and word.endswith("ه") for word in words):
        as_teh_marbuta = [word[:-1] + "ة" if word.endswith("ه") else word for word in words]
        add("ha as teh marbuta", _arabic_key(as_teh_marbuta, ARABIC_STANDARD))
    return keys


def skeleton(key: str) -> str:
    """Consonants only."""
    return key.translate(_NO_VOWELS)


def coarse(key: str) -> str:
    return _DOUBLES.sub(_FIRST_GROUP, key.translate(_COARSE))
