"""Transliteration of both scripts into one phonetic alphabet, so that an Arabic name and its
many Latin spellings meet. Arabic is read here; Latin in ``romanised.py``.

The alphabet has one symbol per group of sounds that romanisations confuse:

    b: ب b        t: ت ط ث t th    d: د ض ذ ظ d dh    s: س ص s ç    z: ز z
    S: ش sh ch    j: ج j dj        g: غ g gh          k: ق ك k q c  x: خ kh x
    h: ح ه h      f: ف f ph        r l m n as written

and three vowels: ``a`` (ا أ إ آ ى ة ع ء, Latin a e), ``i`` (ي ئ, Latin i y) and ``u`` (و ؤ,
Latin u o w ou). The semivowels count as vowels because sources disagree on them (Ouahran /
Wahran, Riad / Riyadh). A repeated vowel collapses (Sanaa). Arabic letters written twice are
two consonants (ببيلا) and stay. A word-final h is dropped on both sides (Jeddah, Rafah,
Wajh: it is silent, or spelled either way). Latin p and v keep their own symbols (a name
spelled with them, Patna, is a foreign name, not a spelling of Batna) except in one reading
against Arabic, which has neither letter.

Three keys are derived from that spelling:

* the *phonetic key*: the whole name (Jeddah → ``jada``, Jiddah → ``jida``, جدة → ``jda``);
* the *skeleton*: consonants only (``jd``), robust to any vowel difference;
* the *coarse key*: the phonetic key with j/g/k/x, t/d, s/S/z, p/b and v/f merged and vowels
  dropped, used only to pick a shortlist cheaply.

A name has one key per *reading*: the standard one, and readings for the dialect and era
spellings no single rule covers (Egyptian g for ج, Maghrebi g for ق, ...). Readings are
computed word by word and cached, as the same words recur across a gazetteer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter

VOWELS = "aiu"
STANDARD = "standard"
# re.sub with a C-level callable instead of the template r"\1": several times faster.
_FIRST_GROUP = itemgetter(1)

_ARABIC_STANDARD = {
    "ا": "a",
    "أ": "a",
    "آ": "a",
    # The vowel of a word-initial hamza or ayn is spelled every way (Idlib / ادلب, Esna /
    # إسنا), so إ is an a like the others; romanised.py reads a Latin initial e, i, u so too.
    "إ": "a",
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

# Readings of Arabic letters that one rule cannot settle, by name: the letters each re-maps.
# Regional pronunciations (ق and ج as g, ج as y) apply by the candidate's country, with the
# penalties of traditions.py.
ARABIC_VARIANTS: dict[str, dict[int, str]] = {
    "jim as g": str.maketrans({"ج": "g"}),  # Egypt: Giza = الجيزة
    "qaf as g": str.maketrans({"ق": "g"}),  # Maghreb, Gulf, Iraq: Gafsa = قفصة
    "jim as y": str.maketrans({"ج": "i"}),  # Gulf usage
    # Moroccan spelling writes the g of Agadir, Khouribga, Goulmima with ك.
    "kaf as g": str.maketrans({"ك": "g"}),
    # Levantine, Egyptian and Gulf usage: ث as s, ذ ظ ض as z.
    "soft interdentals": str.maketrans({"ث": "s", "ذ": "z", "ظ": "z", "ض": "z"}),
    # English spellings often write ذ as th, like ث (Al Mithnab = المذنب).
    "dhal as th": str.maketrans({"ذ": "t"}),
    "french r": str.maketrans({"غ": "r"}),  # Rhennouch = غنوش
    # Egyptian and older spellings write final ي as ى.
    "ya for maksura": str.maketrans({"ى": "i"}),
}
_VARIANT_TABLES = {name: {**ARABIC_STANDARD, **remap} for name, remap in ARABIC_VARIANTS.items()}
# Readings of whole words: a final ه as a teh marbuta written without its dots (تنوره), and
# Maghrebi sibilant harmony, ج said z beside a س or ز in one word (جرجيس = Zarzis).
HA_AS_TEH_MARBUTA = "ha as teh marbuta"
SIBILANT_HARMONY = "sibilant harmony"
ARABIC_READINGS = (STANDARD, *ARABIC_VARIANTS, HA_AS_TEH_MARBUTA, SIBILANT_HARMONY)
_HAS_SIBILANT = re.compile("[سز]")

# Readings that only make sense against the other script: Latin to Latin, p and Patna stay
# apart from b and Batna.
CROSS_SCRIPT_VARIANTS = frozenset({"p and v as b and f"})

# Points taken off a pair scored through a reading that is less usual than the standard one,
# so that between two otherwise equal candidates the plainer reading wins.
VARIANT_PENALTY = {
    "p and v as b and f": 4.0,
    "rh as gh": 1.0,
    "vowels apart": 1.0,
    # غ is gh or g in nearly every romanisation; r only in old French spellings.
    "french r": 1.0,
    # A guess at which unmarked vowels are short: never enough for the auto band alone.
    "short vowels dropped": 5.0,
    "marks ignored": 1.0,
    # Moroccan usage only; elsewhere ك is a k and reading it as g finds false friends.
    "kaf as g": 2.0,
    "article glued": 1.0,
    SIBILANT_HARMONY: 2.0,
    # A letter the workspace's confirmations respell (learned/respelling.py).
    "learned spelling": 1.0,
}

_COARSE = str.maketrans(
    {
        **{"j": "k", "g": "k", "x": "k", "d": "t", "S": "s", "z": "s", "p": "b", "v": "f"},
        **dict.fromkeys(VOWELS),
    }
)
_NO_VOWELS = str.maketrans(dict.fromkeys(VOWELS))
DOUBLES = re.compile(r"(.)\1+")
REPEATED_VOWEL = re.compile(r"([aiu])\1+")


def collapse(pattern: re.Pattern[str], text: str) -> str:
    """``pattern.sub(r"\\1", text)``, faster."""
    return pattern.sub(_FIRST_GROUP, text)


# A final h after at least two letters, in one key or in many joined by newlines.
_FINAL_H = re.compile("(?<=[^\n][^\n])h$", re.MULTILINE)


def drop_final_h(keys: str) -> str:
    return _FINAL_H.sub("", keys)


def _arabic_pieces(words: list[str], table: dict[int, str]) -> list[str]:
    """Keys of many words under one reading, over the words joined by newlines. Arabic
    letters written twice are two consonants (ببيلا), so only vowels collapse."""
    return drop_final_h(collapse(REPEATED_VOWEL, "\n".join(words).translate(table))).split("\n")


class WordReadings:
    """The readings of words, computed for many words at once (``compute`` takes a list) and
    kept, since the same words recur across names and batches. Cleared when it grows past
    ``limit`` words. Safe to share between threads: a missing word is computed on the spot."""

    def __init__(
        self, compute: Callable[[list[str]], list[tuple[str, ...]]], limit: int = 500_000
    ) -> None:
        self._compute = compute
        self._limit = limit
        self._readings: dict[str, tuple[str, ...]] = {}

    def prepare(self, words: Iterable[str]) -> None:
        """Compute the readings of the words not seen yet, all together."""
        new = [word for word in dict.fromkeys(words) if word not in self._readings]
        if new:
            if len(self._readings) + len(new) > self._limit:
                self._readings.clear()
            self._readings.update(zip(new, self._compute(new), strict=True))

    def __call__(self, word: str) -> tuple[str, ...]:
        found = self._readings.get(word)
        if found is None:
            found = self._readings[word] = self._compute([word])[0]
        return found

    def clear(self) -> None:
        self._readings.clear()


def _arabic_readings(words: list[str]) -> list[tuple[str, ...]]:
    """The keys of cleaned Arabic words under each of ARABIC_READINGS, all words at once."""
    standard = _arabic_pieces(words, ARABIC_STANDARD)
    columns = [standard]
    for name, letters in _VARIANT_LETTERS.items():
        read = [word if letters.search(word) else None for word in words]
        columns.append(_column(standard, read, _VARIANT_TABLES[name]))
    as_teh_marbuta = [
        word[:-1] + "ة" if len(word) > 2 and word.endswith("ه") else None for word in words
    ]
    harmonised = [
        word.replace("ج", "ز") if "ج" in word and _HAS_SIBILANT.search(word) else None
        for word in words
    ]
    columns.append(_column(standard, as_teh_marbuta, ARABIC_STANDARD))
    columns.append(_column(standard, harmonised, ARABIC_STANDARD))
    return list(zip(*columns, strict=True))


def _column(standard: list[str], read: list[str | None], table: dict[int, str]) -> list[str]:
    """Keys of one reading: ``read`` holds the word to key under ``table`` where the reading
    changes it, None where the standard key stands."""
    column = list(standard)
    at = [number for number, word in enumerate(read) if word is not None]
    if at:
        keys = _arabic_pieces([read[number] or "" for number in at], table)
        for number, key in zip(at, keys, strict=True):
            column[number] = key
    return column


_VARIANT_LETTERS = {
    name: re.compile("[" + "".join(chr(code) for code in remap) + "]")
    for name, remap in ARABIC_VARIANTS.items()
}
# The key of one cleaned Arabic word under each of ARABIC_READINGS.
arabic_word_readings = WordReadings(_arabic_readings)


def assemble(readings: Sequence[str], per_word: Sequence[tuple[str, ...]]) -> list[tuple[str, str]]:
    """(reading, key) for a name from its words' readings: the standard key first, then each
    reading that gives a key not seen yet."""
    if not per_word:
        return [(readings[0], "")]
    keys = per_word[0] if len(per_word) == 1 else tuple(map("".join, zip(*per_word, strict=True)))
    return [(readings[keys.index(key)], key) for key in dict.fromkeys(keys)]


def arabic_keys(words: Sequence[str]) -> list[tuple[str, str]]:
    """(reading, phonetic key) pairs for cleaned Arabic words; the standard one first."""
    return assemble(ARABIC_READINGS, [arabic_word_readings(word) for word in words])


HARAKAT_READING = "harakat"


def vowelled_key(spellings: Sequence[str]) -> str:
    """The phonetic key of Arabic words spelled with their written short vowels
    (arabic.vowelled_words): consonants as in the standard reading, vowels as written,
    doubled letters collapsed as in Latin keys."""
    text = "\n".join(spellings).translate(ARABIC_STANDARD)
    text = collapse(DOUBLES, text)
    return "".join(drop_final_h(collapse(REPEATED_VOWEL, text)).split("\n"))


def skeleton(key: str) -> str:
    """Consonants only."""
    return key.translate(_NO_VOWELS)


def coarse(key: str) -> str:
    return collapse(DOUBLES, key.translate(_COARSE))
