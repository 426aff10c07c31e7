"""Generic words that are translated, not transliterated, in multi-word names.

القاهرة الجديدة is "New Cairo", not "Al Qahirah al Jadidah", in many English sources, and the
adjective moves to the front. A short hand-written lexicon lists, for a few such words, their
Arabic forms and the Latin words that stand for them: English, French and Italian
translations, and the common transliterations (Jadida, Gedida). It shares the exonym list's
budget (a test keeps the two together under 300 entries): it bridges words, it is not a list
of places.

A name of two or more words with one of these words among others gets one more reading,
"generic words translated": the keys of its other words, followed by one symbol per concept
(upper-case letters the phonetic alphabet does not use), so that "New Cairo" and القاهرة
الجديدة, or Kafr ash Shaykh Gharb and كفر الشيخ الغربية, compare word for word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TRANSLATED = "generic words translated"


@dataclass(frozen=True)
class Concept:
    symbol: str  # an upper-case letter unused by the phonetic alphabet (not S)
    arabic: frozenset[str]  # folded, article removed (arabic.fold_arabic)
    latin: frozenset[str]  # folded (latin.fold_latin)


def _concept(symbol: str, arabic: str, latin: str) -> Concept:
    return Concept(symbol, frozenset(arabic.split()), frozenset(latin.split()))


LEXICON: tuple[Concept, ...] = (
    _concept(
        "N",
        "جديد جديده",
        "new nouvelle nouveau nuova nuovo jadid jadida jadidah jdid jdida jedid jedida gedid"
        " gedida djedid djedida",
    ),
    _concept(
        "O",
        "قديم قديمه",
        "old vieux vieille ancienne ancien vecchia vecchio qadim qadima qadimah qdim qdima"
        " kadim kadima gadim",
    ),
    _concept(
        "R",
        "شمال شمالي شماليه بحري",
        "north northern nord settentrionale shamal shamali shamaliyah shamaliya chamali bahri"
        " bahary bahari",
    ),
    _concept(
        "T",
        "جنوب جنوبي جنوبيه قبلي",
        "south southern sud meridionale janub janubi janubiyah janoubi qibli kebli gebli qebli",
    ),
    _concept(
        "E",
        "شرق شرقي شرقيه",
        "east eastern est orientale sharq sharqi sharqiyah sharqiya charki cherqui",
    ),
    _concept(
        "W",
        "غرب غربي غربيه",
        "west western ouest occidentale gharb gharbi gharbiyah gharbiya rharb",
    ),
    _concept("U", "عليا اعلي", "upper haut haute superiore ulya olya aala"),
    _concept("L", "سفلي اسفل", "lower bas basse inferiore sufla sofla asfal"),
    _concept(
        "G",
        "كبير كبيره كبري",
        "great big grande kabir kabira kebir kebira kubra kobra kbir kbira",
    ),
    _concept(
        "M",
        "صغير صغيره صغري",
        "little lesser small petit petite saghir saghira sghir sghira soghra sughra seghir",
    ),
    _concept("C", "وسطي اوسط", "middle central centrale wusta wosta ousta awsat"),
)

_BY_WORD: dict[str, str] = {
    word: concept.symbol for concept in LEXICON for word in (*concept.arabic, *concept.latin)
}


def split(words: Sequence[str]) -> tuple[list[int], str] | None:
    """(positions of the words that are not lexicon words, the concepts' symbols in order)
    for a name of two or more words with at least one of each kind; None otherwise."""
    if len(words) < 2:
        return None
    symbols = [_BY_WORD.get(word, "") for word in words]
    if not any(symbols) or all(symbols):
        return None
    kept = [position for position, symbol in enumerate(symbols) if not symbol]
    return kept, "".join(sorted(symbol for symbol in symbols if symbol))


def with_translated(
    keys: tuple[tuple[str, str], ...], words: Sequence[str], word_keys: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """``keys`` with the translated reading added, when the name (normalised ``words``, the
    standard key of each in ``word_keys``) has one."""
    found = split(words)
    if found is None:
        return keys
    kept, symbols = found
    key = "".join(word_keys[position] for position in kept) + symbols
    if any(key == known for _, known in keys):
        return keys
    return (*keys, (TRANSLATED, key))


def might_translate(words: Sequence[str]) -> bool:
    """A quick test: whether the name could have a translated reading."""
    return len(words) > 1 and any(word in _BY_WORD for word in words)
