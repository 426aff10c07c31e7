"""Spellings a workspace's confirmations teach the rules.

When an edition's sources write an Arabic letter with a Latin letter the rules read as
another sound (x for ش, in Spanish- and Portuguese-era spellings: Xauen, Xarqiya), the
transliteration model adapted to the confirmed labels learns the correspondence
(``training.adapt``). Scoring the few best candidates again is not enough when the rules'
reading puts the right city far behind, so a correspondence the confirmations show
consistently also becomes a reading of every label ("learned spelling"): the letter is
respelled the usual way (x → sh) before the label is keyed, and the rules find the city.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verifier.core.matching.learned.alphabet import ARABIC, LATIN
from verifier.core.matching.learned.model import TransliterationModel
from verifier.core.matching.learned.training import Pair, expectation
from verifier.core.matching.phonetic import ARABIC_STANDARD, VOWELS
from verifier.core.matching.romanised import latin_key

LEARNED_SPELLING = "learned spelling"
# A correspondence is learned when at least this many confirmed labels show it...
MIN_LABELS = 2.0
# ...and the Latin letter writes that Arabic letter in at least this share of them.
MIN_SHARE = 0.6
# The usual Latin spelling of each sound of the phonetic alphabet (phonetic.py).
_SPELLING = {"S": "sh", "x": "kh", "g": "gh", "t": "t", "d": "d", "k": "q", "j": "j", "h": "h"}


def respellings(model: TransliterationModel, pairs: Sequence[Pair]) -> tuple[tuple[str, str], ...]:
    """(Latin letter, respelling) for each consonant correspondence the confirmed ``pairs``
    show consistently and the rules read otherwise, strongest first."""
    if not pairs:
        return ()
    channel = model.to_arabic
    found = expectation(channel, pairs, 0.9)
    contexts, codes = channel.contexts, channel.counts.codes
    per_symbol = found.table[0].reshape(LATIN.size, contexts, len(codes)).sum(axis=1)
    single = {
        column: ARABIC.segment_text(int(code))
        for column, code in enumerate(codes.tolist())
        if 0 < code < (1 << 6)
    }
    learned: list[tuple[float, str, str]] = []
    for letter in "abcdefghijklmnopqrstuvwxyz":
        counts = per_symbol[LATIN.index[letter]]
        total = float(counts.sum())
        if total < MIN_LABELS:
            continue
        column = int(np.argmax(counts))
        arabic = single.get(column)
        if arabic is None or counts[column] < MIN_LABELS or counts[column] / total < MIN_SHARE:
            continue
        sound = arabic.translate(ARABIC_STANDARD)
        if sound in VOWELS or sound == latin_key([letter]):
            continue
        learned.append((float(counts[column]), letter, _SPELLING.get(sound, sound)))
    learned.sort(key=lambda item: (-item[0], item[1]))
    return tuple((letter, spelling) for _, letter, spelling in learned)


def respelled_key(words: Sequence[str], rules: Sequence[tuple[str, str]]) -> str | None:
    """The standard key of folded Latin words with the learned letters respelled, or None
    when no rule applies."""
    changed = False
    respelled = []
    for word in words:
        for letter, spelling in rules:
            if letter in word:
                word = word.replace(letter, spelling)
                changed = True
        respelled.append(word)
    return latin_key(respelled) if changed else None
