"""From a raw label to the forms the scorer compares.

A label can yield several forms: a reversed-order reading of PDF Arabic, a separate form for
each script of a mixed label ("Luxor - الأقصر"), and, for queries, the shorter word spans of
a long label ("كربلاء المقدسة", "Algiers (capital)") in case only part of it is the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from verifier.core.matching import arabic, latin, phonetic
from verifier.core.matching.cleanup import readings, strip_invisibles

ARABIC = "arabic"
LATIN = "latin"
# Longest label, in words, whose sub-spans are tried; longer ones are not place names.
MAX_SPAN_WORDS = 5


@dataclass(frozen=True)
class NameForm:
    """One comparable reading of a label."""

    script: str  # ARABIC or LATIN
    plain: str  # normalised words, article and generic words removed: the exact-match key
    keys: tuple[tuple[str, str], ...]  # (variant, phonetic key); standard first
    reversed: bool = False
    speculative: bool = False
    dropped_words: int = 0  # words of the label left out of this form

    @property
    def key(self) -> str:
        return self.keys[0][1]

    @cached_property
    def key_strings(self) -> tuple[str, ...]:
        return tuple(key for _, key in self.keys)

    @cached_property
    def skeletons(self) -> tuple[str, ...]:
        return tuple(phonetic.skeleton(key) for _, key in self.keys)

    @cached_property
    def coarse(self) -> str:
        return phonetic.coarse(self.key)


_ARABIC_RUN = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]+")
# Punctuation (، ؛ ؟), digits and anything else between Arabic letters separates words.
_NOT_ARABIC_LETTER = re.compile("[^\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+")


def _split_scripts(text: str) -> tuple[str, str]:
    """(Arabic-script part, rest). Words keep their order within each part."""
    if text.isascii():
        return "", text
    arabic_part = " ".join(_ARABIC_RUN.findall(text))
    latin_part = _ARABIC_RUN.sub(" ", text)
    return arabic_part, latin_part.strip()


def _spans(count: int, with_spans: bool) -> list[tuple[int, int]]:
    whole = [(0, count)]
    if not with_spans or count < 2 or count > MAX_SPAN_WORDS:
        return whole
    return whole + [
        (start, start + size)
        for size in range(count - 1, 0, -1)
        for start in range(count - size + 1)
    ]


def _arabic_forms(
    reading_text: str, reversed_: bool, speculative: bool, spans: bool
) -> Iterator[NameForm]:
    letters_only = _NOT_ARABIC_LETTER.sub(" ", arabic.clean_arabic(reading_text))
    words = arabic.name_words(letters_only)
    for start, end in _spans(len(words), spans):
        part = words[start:end]
        plain = arabic.fold_arabic(" ".join(part))
        keys = tuple(phonetic.arabic_keys(part))
        yield NameForm(ARABIC, plain, keys, reversed_, speculative, len(words) - len(part))


def _latin_forms(text: str, spans: bool) -> Iterator[NameForm]:
    folded = latin.fold_latin(text)
    all_words = folded.split()
    positions = latin.name_positions(folded)
    words = [all_words[index] for index in positions]
    marked = latin.fold_marked(text)
    marked_words = marked.split() if marked else []
    if len(marked_words) != len(all_words):
        marked_words = []  # the two foldings disagree on word boundaries: do without
    for start, end in _spans(len(words), spans):
        part = words[start:end]
        if len(part) == 1 and len(part[0]) < 3 and len(words) > 1:
            continue  # a lone particle ("de", "bou") is no name
        keys = [("standard", phonetic.latin_key(part))]
        if marked_words:
            marked_part = [marked_words[index] for index in positions[start:end]]
            marked_key = phonetic.marked_latin_key(marked_part, len(marked_part))
            if marked_key != keys[0][1]:
                keys.append(("long vowels marked", marked_key))
        dropped = len(words) - len(part)
        yield NameForm(LATIN, " ".join(part), tuple(keys), dropped_words=dropped)


def analyse(label: str, guess_order: bool = True, spans: bool = False) -> list[NameForm]:
    """All forms of ``label``; empty when it has no letters or digits at all.

    ``guess_order`` also tries a reversed reading of Arabic with no sign of its order, and
    ``spans`` adds the shorter word spans of a multi-word label; both are for raw labels,
    not for curated gazetteer names. In a label mixing scripts, each script's form counts
    the other script's words as left out.
    """
    text = strip_invisibles(label)
    arabic_text, latin_text = _split_scripts(text)
    arabic_forms: list[NameForm] = []
    if arabic_text:
        for reading in readings(arabic_text, guess_order):
            arabic_forms.extend(
                _arabic_forms(reading.text, reading.reversed, reading.speculative, spans)
            )
    latin_forms = list(_latin_forms(latin_text, spans)) if latin_text else []
    if arabic_forms and latin_forms:
        if all(len(form.plain) < 2 for form in latin_forms):
            latin_forms = []  # a stray letter or digit beside Arabic text
        else:
            arabic_words = len(arabic_forms[0].plain.split()) + arabic_forms[0].dropped_words
            latin_words = len(latin_forms[0].plain.split()) + latin_forms[0].dropped_words
            arabic_forms = [
                replace(f, dropped_words=f.dropped_words + latin_words) for f in arabic_forms
            ]
            latin_forms = [
                replace(f, dropped_words=f.dropped_words + arabic_words) for f in latin_forms
            ]
    return [form for form in (*arabic_forms, *latin_forms) if form.key]


_LABEL_PUNCTUATION = re.compile(r"[^\w]+")


def label_key(label: str) -> str:
    """The identity of a raw label, for learned aliases: invisible characters, case,
    presentation forms, harakat, tatweel, alef/ya/teh marbuta spelling and punctuation
    folded; nothing else. Two labels with the same key are the same label."""
    text = arabic.fold_arabic(arabic.clean_arabic(strip_invisibles(label)))
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_LABEL_PUNCTUATION.sub(" ", text).split())
