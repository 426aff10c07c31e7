"""Labels that name only part of a gazetteer name: الكردي for Kafr al Kurdī, طوز for Ţūz
Khūrmātū, Miliana for Khemis Miliana.

Each word of a multi-word gazetteer name is filed under its consonant skeleton. A one-word
label looks its skeleton up and is scored against that single word of the name; the score
then loses NAME_PART_PENALTY, and NAME_WORD_PENALTY per further word of the name it did not
cover (scoring.py), which keeps such matches out of the auto band. This is a fallback: it
runs only for labels whose own reading found no city at auto level.
"""

from __future__ import annotations

from collections.abc import Sequence

from verifier.core.matching import phonetic, romanised
from verifier.core.matching.forms import ARABIC, LATIN, NameForm, analyse

# A word shared by more names than this (كفر, Ain, Sidi) says too little to search by.
MAX_NAMES_PER_WORD = 60
# Words shorter than this, in letters, are particles or initials, not names.
MIN_WORD_LETTERS = 3


def _skeletons(words: list[str], script: str) -> list[str]:
    """Consonant skeletons of the standard keys of many words of one script (for Arabic,
    words of a name's folded form: folding changes no consonant)."""
    if script == ARABIC:
        phonetic.arabic_word_readings.prepare(words)
        keys = [phonetic.arabic_word_readings(word)[0] for word in words]
    else:
        romanised.latin_word_readings.prepare(words)
        keys = [romanised.latin_word_readings(word)[0] for word in words]
    return phonetic.skeleton("\n".join(keys)).split("\n") if keys else []


class WordIndex:
    """The words of multi-word gazetteer names, by consonant skeleton."""

    def __init__(self, texts: Sequence[str], forms: Sequence[NameForm]) -> None:
        """``texts`` and ``forms``: the name text and the form of each gazetteer record, by
        record id."""
        self._texts = texts
        self._words: dict[str, list[tuple[int, int]]] = {}
        # Per script: word → (record id, position of the word in the name).
        found: dict[str, dict[str, list[tuple[int, int]]]] = {ARABIC: {}, LATIN: {}}
        for record_id in [number for number, form in enumerate(forms) if " " in form.plain]:
            form = forms[record_id]
            of_script = found[form.script]
            for position, word in enumerate(form.plain.split()):
                if len(word) >= MIN_WORD_LETTERS:
                    owners = of_script.get(word)
                    if owners is None:
                        of_script[word] = [(record_id, position)]
                    else:
                        owners.append((record_id, position))
        for script, of_script in found.items():
            words = list(of_script)
            for word, skeleton in zip(words, _skeletons(words, script), strict=True):
                if skeleton:
                    owners = self._words.get(skeleton)
                    if owners is None:
                        self._words[skeleton] = of_script[word]
                    else:
                        owners.extend(of_script[word])
        self._spans: dict[tuple[int, int], NameForm | None] = {}

    def _span(self, record_id: int, position: int) -> NameForm | None:
        """The one-word form of a name at ``position``, with the other words counted out."""
        if (record_id, position) in self._spans:
            return self._spans[record_id, position]
        forms = analyse(self._texts[record_id], guess_order=False, spans=True)
        whole = forms[0].plain.split() if forms else []
        span = None
        if position < len(whole):
            span = next(
                (
                    form
                    for form in forms
                    if form.plain == whole[position] and form.dropped_words == len(whole) - 1
                ),
                None,
            )
        self._spans[(record_id, position)] = span
        return span

    def lookup(self, form: NameForm) -> list[tuple[int, NameForm]]:
        """(record id, one-word name form) for the names with a word that sounds like the
        one-word query ``form``."""
        if " " in form.plain or len(form.plain) < MIN_WORD_LETTERS:
            return []
        found: dict[tuple[int, int], None] = {}
        for skeleton in dict.fromkeys(form.skeletons):
            owners = self._words.get(skeleton, [])
            if len(owners) <= MAX_NAMES_PER_WORD:
                found.update(dict.fromkeys(owners))
        spans = []
        for record_id, position in found:
            span = self._span(record_id, position)
            if span is not None:
                spans.append((record_id, span))
        return spans
